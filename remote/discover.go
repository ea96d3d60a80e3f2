package remote

import (
	"context"
	"encoding/json"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// Metadata keys of a source's micro service.
const (
	metaProto     = "slotnet.proto"
	metaPrefix    = "slotnet.prefix"
	metaSignature = "slotnet.signature"
)

// SourceInfo describes a source found by Discover.
type SourceInfo struct {
	Name      string   // the source's name
	ID        string   // the micro service instance id
	Prefix    string   // its subject prefix (WithPrefix)
	Signature string   // the hash of its interface
	Proto     string   // its protocol version
	Endpoints []string // its micro endpoints: "snapshot" and its slots
}

// Discover finds the running sources through NATS's service discovery: it
// sends a micro $SRV.INFO request and collects the answers of slotnet
// sources until wait passes with no new answer, or ctx ends. Other micro
// services are ignored.
func Discover(ctx context.Context, nc *nats.Conn, wait time.Duration) ([]SourceInfo, error) {
	subj, err := micro.ControlSubject(micro.InfoVerb, "", "")
	if err != nil {
		return nil, err
	}
	inbox := nc.NewRespInbox()
	ch := make(chan *nats.Msg, 64)
	sub, err := nc.ChanSubscribe(inbox, ch)
	if err != nil {
		return nil, err
	}
	defer func() { _ = sub.Unsubscribe() }()
	if err := nc.PublishRequest(subj, inbox, nil); err != nil {
		return nil, err
	}
	var out []SourceInfo
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return out, ctx.Err()
		case <-t.C:
			return out, nil
		case m := <-ch:
			if si, ok := parseInfo(m.Data); ok {
				out = append(out, si)
			}
			t.Reset(wait)
		}
	}
}

func parseInfo(data []byte) (SourceInfo, bool) {
	var info micro.Info
	if json.Unmarshal(data, &info) != nil || info.Metadata[metaProto] == "" {
		return SourceInfo{}, false
	}
	si := SourceInfo{
		Name: info.Name, ID: info.ID, Prefix: info.Metadata[metaPrefix],
		Signature: info.Metadata[metaSignature], Proto: info.Metadata[metaProto],
	}
	for _, e := range info.Endpoints {
		si.Endpoints = append(si.Endpoints, e.Name)
	}
	return si, true
}
