package remote

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go"
)

// The protocol's headers. A replica ignores headers it does not know and
// fields it does not know at the end of Slotnet-Seq, so a newer source can
// add both without breaking older replicas.
const (
	// HeaderProto carries the protocol version, "major.minor". A replica
	// accepts every minor version of its major version.
	HeaderProto = "Slotnet-Proto"
	// HeaderSeq carries "epoch/sequence/signals": the source's epoch (new
	// at every start), the message's sequence number in that epoch (every
	// published signal and property change takes one, from 1), and the
	// number of signals published in the epoch up to this message.
	HeaderSeq = "Slotnet-Seq"
	// HeaderError carries a remote slot's error code ("Nats-Service-Error-Code" in micro).
	protoMajor = 1
	protoMinor = 0
)

// ProtoVersion is the protocol version this package speaks.
var ProtoVersion = strconv.Itoa(protoMajor) + "." + strconv.Itoa(protoMinor)

// seqInfo is the content of HeaderSeq.
type seqInfo struct {
	epoch   uint64
	seq     uint64
	signals uint64
}

func (s seqInfo) String() string {
	var b [64]byte
	out := strconv.AppendUint(b[:0], s.epoch, 16)
	out = append(out, '/')
	out = strconv.AppendUint(out, s.seq, 10)
	out = append(out, '/')
	out = strconv.AppendUint(out, s.signals, 10)
	return string(out)
}

// parseSeq reads HeaderSeq; extra "/"-separated fields are ignored. It
// does not allocate: it runs for every message a replica receives.
func parseSeq(v string) (seqInfo, error) {
	var s seqInfo
	rest := v
	fields := [3]*uint64{&s.epoch, &s.seq, &s.signals}
	for i, dst := range fields {
		var f string
		var found bool
		f, rest, found = strings.Cut(rest, "/")
		if !found && i < 2 {
			return seqInfo{}, fmt.Errorf("%w: %s %q has fewer than 3 fields", ErrProtocol, HeaderSeq, v)
		}
		base := 10
		if i == 0 {
			base = 16
		}
		n, err := strconv.ParseUint(f, base, 64)
		if err != nil {
			return seqInfo{}, fmt.Errorf("%w: %s %q: %v", ErrProtocol, HeaderSeq, v, err)
		}
		*dst = n
	}
	if s.seq == 0 || s.signals > s.seq {
		return seqInfo{}, fmt.Errorf("%w: %s %q is out of range", ErrProtocol, HeaderSeq, v)
	}
	return s, nil
}

// checkProto accepts a version of our major version; minor versions add
// only what older replicas may ignore.
func checkProto(v string) error {
	major, _, _ := strings.Cut(v, ".")
	if n, err := strconv.Atoi(major); err != nil || n != protoMajor {
		return fmt.Errorf("%w: version %q, this replica speaks %s", ErrProtocol, v, ProtoVersion)
	}
	return nil
}

// readHeaders extracts the sequence of a published message.
func readHeaders(h nats.Header) (seqInfo, error) {
	if err := checkProto(h.Get(HeaderProto)); err != nil {
		return seqInfo{}, err
	}
	return parseSeq(h.Get(HeaderSeq))
}

// checkToken refuses names that are not a single NATS subject token.
func checkToken(what, s string) error {
	if s == "" || strings.ContainsAny(s, ".*> \t\r\n") {
		return fmt.Errorf("%w: %s %q must be one NATS subject token (no '.', '*', '>', spaces)", ErrInvalidName, what, s)
	}
	return nil
}

// subjects of one source.
type subjects struct{ base string }

func newSubjects(prefix, name string) subjects { return subjects{base: prefix + "." + name} }

func (s subjects) pub(member string) string     { return s.base + ".pub." + member }
func (s subjects) pubAll() string               { return s.base + ".pub.>" }
func (s subjects) durable(member string) string { return s.base + ".durable." + member }
func (s subjects) durableAll() string           { return s.base + ".durable.>" }
func (s subjects) slot(member string) string    { return s.base + ".slot." + member }
func (s subjects) snapshot() string             { return s.base + ".snapshot" }

// memberOf returns the last token of a published subject.
func memberOf(subject string) string {
	return subject[strings.LastIndexByte(subject, '.')+1:]
}
