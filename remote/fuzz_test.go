package remote

import (
	"errors"
	"testing"
)

type fuzzValue struct {
	N    int               `json:"n"`
	S    string            `json:"s"`
	L    []float64         `json:"l"`
	M    map[string]uint16 `json:"m"`
	Next *fuzzValue        `json:"next"`
}

// FuzzJSONDecode feeds hostile payloads to the default codec: an error or
// a value that encodes back, never a panic.
func FuzzJSONDecode(f *testing.F) {
	for _, s := range []string{`{"n":1}`, `{"n":1}{"n":2}`, `{"l":[1,2,"x"]}`, `{"next":{"next":{}}}`, `nul`, "\xff", `{"m":{"a":70000}}`} {
		f.Add([]byte(s))
	}
	c := JSON[fuzzValue]()
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := c.Decode(data)
		if err != nil {
			if !errors.Is(err, ErrDecode) {
				t.Fatalf("error %v does not match ErrDecode", err)
			}
			return
		}
		if _, err := c.Encode(v); err != nil {
			t.Fatalf("decoded value does not encode: %v", err)
		}
	})
}

// FuzzSeqHeader feeds hostile Slotnet-Seq and Slotnet-Proto values.
func FuzzSeqHeader(f *testing.F) {
	f.Add("1", "ab/3/2")
	f.Add("1.9", "ab/3/2/future")
	f.Add("2.0", "ab/0/0")
	f.Add("", "/////")
	f.Fuzz(func(t *testing.T, proto, seq string) {
		h := map[string][]string{HeaderProto: {proto}, HeaderSeq: {seq}}
		si, err := readHeaders(h)
		if err != nil {
			if !errors.Is(err, ErrProtocol) {
				t.Fatalf("error %v does not match ErrProtocol", err)
			}
			return
		}
		if si.seq == 0 || si.signals > si.seq {
			t.Fatalf("accepted an out-of-range %+v", si)
		}
	})
}

// FuzzSnapshot feeds hostile snapshot replies.
func FuzzSnapshot(f *testing.F) {
	f.Add([]byte(`{"proto":"1.0","signature":"x","epoch":1,"seq":2,"signals":1,"props":{"u":{"seq":1,"data":"IkMi"}}}`))
	f.Add([]byte(`{"proto":"1.0","epoch":1,"seq":1,"signals":2}`))
	f.Add([]byte(`{"props":{"u":{"data":"!!"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decodeSnapshot(data)
		if err != nil {
			if !errors.Is(err, ErrProtocol) {
				t.Fatalf("error %v does not match ErrProtocol", err)
			}
			return
		}
		if s.Epoch == 0 || s.Signals > s.Seq {
			t.Fatalf("accepted an out-of-range snapshot %+v", s)
		}
	})
}

func TestSeqHeaderRoundTrip(t *testing.T) {
	in := seqInfo{epoch: 0xdeadbeef, seq: 42, signals: 40}
	out, err := parseSeq(in.String())
	if err != nil || out != in {
		t.Fatalf("parseSeq(%q) = %+v, %v", in.String(), out, err)
	}
	if _, err := parseSeq("ab/3"); !errors.Is(err, ErrProtocol) {
		t.Fatalf("two fields accepted: %v", err)
	}
	if out, err := parseSeq("ab/3/2/more/fields"); err != nil || out.seq != 3 {
		t.Fatalf("extra fields refused: %+v %v", out, err)
	}
}
