package faultproxy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
)

// FaultsJSON is mem.Faults as the HTTP endpoint reads and writes it:
// durations as Go duration strings ("50ms"), the segment mode by name
// ("whole", "fixed", "random", "byte"), ResetAt as RFC 3339.
type FaultsJSON struct {
	Latency           string      `json:"latency,omitempty"`
	Jitter            string      `json:"jitter,omitempty"`
	Loss              float64     `json:"loss,omitempty"`
	RetransmitDelay   string      `json:"retransmit_delay,omitempty"`
	VisibleStreamLoss bool        `json:"visible_stream_loss,omitempty"`
	Bandwidth         int64       `json:"bandwidth,omitempty"`
	Partitioned       bool        `json:"partitioned,omitempty"`
	ResetAfterBytes   int64       `json:"reset_after_bytes,omitempty"`
	ResetAt           *time.Time  `json:"reset_at,omitempty"`
	Segment           SegmentJSON `json:"segment,omitzero"`
}

// SegmentJSON is mem.Segmentation in FaultsJSON.
type SegmentJSON struct {
	Mode string `json:"mode,omitempty"`
	Size int    `json:"size,omitempty"`
}

var modeNames = []string{mem.SegmentWhole: "whole", mem.SegmentFixed: "fixed", mem.SegmentRandom: "random", mem.SegmentByte: "byte"}

func durationText(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// ToJSON converts f.
func ToJSON(f mem.Faults) FaultsJSON {
	j := FaultsJSON{Latency: durationText(f.Latency), Jitter: durationText(f.Jitter), Loss: f.Loss,
		RetransmitDelay: durationText(f.RetransmitDelay), VisibleStreamLoss: f.VisibleStreamLoss,
		Bandwidth: f.Bandwidth, Partitioned: f.Partitioned, ResetAfterBytes: f.ResetAfterBytes,
		Segment: SegmentJSON{Size: f.Segment.Size}}
	if !f.ResetAt.IsZero() {
		at := f.ResetAt
		j.ResetAt = &at
	}
	if m := int(f.Segment.Mode); m > 0 && m < len(modeNames) {
		j.Segment.Mode = modeNames[m]
	}
	return j
}

// Faults converts j back, with an error naming a bad field.
func (j FaultsJSON) Faults() (mem.Faults, error) {
	var f mem.Faults
	for _, d := range []struct {
		name string
		text string
		to   *time.Duration
	}{{"latency", j.Latency, &f.Latency}, {"jitter", j.Jitter, &f.Jitter}, {"retransmit_delay", j.RetransmitDelay, &f.RetransmitDelay}} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil {
			return mem.Faults{}, fmt.Errorf("faultproxy: %s: %w", d.name, err)
		}
		*d.to = v
	}
	f.Loss, f.VisibleStreamLoss, f.Bandwidth = j.Loss, j.VisibleStreamLoss, j.Bandwidth
	f.Partitioned, f.ResetAfterBytes = j.Partitioned, j.ResetAfterBytes
	if j.ResetAt != nil {
		f.ResetAt = *j.ResetAt
	}
	f.Segment.Size = j.Segment.Size
	if j.Segment.Mode != "" {
		m := -1
		for i, n := range modeNames {
			if n == j.Segment.Mode {
				m = i
			}
		}
		if m < 0 {
			return mem.Faults{}, fmt.Errorf("faultproxy: segment mode %q is not one of %s", j.Segment.Mode, strings.Join(modeNames, ", "))
		}
		f.Segment.Mode = mem.SegmentMode(m)
	}
	return f, validate(f)
}

// state is what GET / answers.
type state struct {
	Listen    string     `json:"listen"`
	Upstream  string     `json:"upstream"`
	Faults    faultsPair `json:"faults"`
	Accepted  int64      `json:"accepted"`
	Active    int64      `json:"active"`
	BytesUp   uint64     `json:"bytes_upstream"`
	BytesDown uint64     `json:"bytes_downstream"`
	Resets    uint64     `json:"resets"`
}

type faultsPair struct {
	Upstream   FaultsJSON `json:"upstream"`
	Downstream FaultsJSON `json:"downstream"`
}

// Handler returns the proxy's HTTP control endpoint, in Toxiproxy's
// spirit:
//
//	GET  /                  the proxy: addresses, both directions' faults, counters
//	GET  /faults/{dir}      one direction's faults (dir: upstream or downstream)
//	POST /faults/{dir}      replace them (a FaultsJSON body); answers the new value
//	POST /partition, /heal  Partition, Heal
//
// Errors answer 400 (bad body or value) or 404 (no such direction) with a
// JSON {"error": "..."}.
func (p *Proxy) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		c := p.Counters()
		writeJSON(w, http.StatusOK, state{Listen: p.Addr(), Upstream: p.upstream,
			Faults:   faultsPair{ToJSON(p.Faults(Upstream)), ToJSON(p.Faults(Downstream))},
			Accepted: c.Accepted, Active: c.Active, BytesUp: c.Upstream.Bytes, BytesDown: c.Downstream.Bytes,
			Resets: c.Upstream.Resets + c.Downstream.Resets})
	})
	mux.HandleFunc("GET /faults/{dir}", func(w http.ResponseWriter, r *http.Request) {
		if dir, ok := dirOf(w, r); ok {
			writeJSON(w, http.StatusOK, ToJSON(p.Faults(dir)))
		}
	})
	mux.HandleFunc("POST /faults/{dir}", func(w http.ResponseWriter, r *http.Request) {
		dir, ok := dirOf(w, r)
		if !ok {
			return
		}
		var j FaultsJSON
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("faultproxy: body: %w", err))
			return
		}
		f, err := j.Faults()
		if err == nil {
			err = p.SetFaults(dir, f)
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusOK, ToJSON(p.Faults(dir)))
	})
	mux.HandleFunc("POST /partition", func(w http.ResponseWriter, _ *http.Request) {
		p.Partition()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /heal", func(w http.ResponseWriter, _ *http.Request) {
		p.Heal()
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func dirOf(w http.ResponseWriter, r *http.Request) (Direction, bool) {
	switch r.PathValue("dir") {
	case "upstream":
		return Upstream, true
	case "downstream":
		return Downstream, true
	}
	writeError(w, http.StatusNotFound, fmt.Errorf("faultproxy: no direction %q (upstream or downstream)", r.PathValue("dir")))
	return 0, false
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}
