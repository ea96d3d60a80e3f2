package transport_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/slotnet/slotnet/transport"
)

// recordingTransport fails every operation but records what it was asked,
// so address parsing can be fuzzed without touching a network.
type recordingTransport struct {
	dialed   []netip.AddrPort
	listened []netip.AddrPort
}

var errRecorded = errors.New("recorded")

func (r *recordingTransport) Dial(_ context.Context, remote netip.AddrPort, _ transport.DialOptions) (transport.Stream, error) {
	r.dialed = append(r.dialed, remote)
	return nil, errRecorded
}

func (r *recordingTransport) Listen(_ context.Context, local netip.AddrPort, _ transport.ListenOptions) (transport.Listener, error) {
	r.listened = append(r.listened, local)
	return nil, errRecorded
}

func (r *recordingTransport) BindDatagram(context.Context, netip.AddrPort, transport.BindOptions) (transport.Datagram, error) {
	return nil, errRecorded
}

func (r *recordingTransport) LookupHost(context.Context, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("192.0.2.7")}, nil
}

func (r *recordingTransport) LookupAddr(context.Context, netip.Addr) ([]string, error) {
	return nil, errRecorded
}

func (r *recordingTransport) Interfaces() ([]transport.Interface, error) { return nil, nil }

// FuzzAdapterAddress feeds arbitrary networks and addresses to the
// adapters: they must return an error or pass a valid address on, never
// panic.
func FuzzAdapterAddress(f *testing.F) {
	for _, s := range []string{"127.0.0.1:80", "[::1]:443", "example.com:8080", ":0", "host", "[fe80::1%eth0]:1", "1.2.3.4:99999"} {
		f.Add("tcp", s)
		f.Add("udp6", s)
	}
	f.Fuzz(func(t *testing.T, network, address string) {
		r := &recordingTransport{}
		c, err := transport.DialContextFunc(r)(context.Background(), network, address)
		if err == nil {
			c.Close()
			t.Fatalf("dial %q %q succeeded on a transport that always fails", network, address)
		}
		for _, ap := range r.dialed {
			if !ap.Addr().IsValid() {
				t.Fatalf("dial %q passed an invalid address %v", address, ap)
			}
		}
		if _, err := transport.Listen(r, network, address); err == nil {
			t.Fatalf("listen %q %q succeeded on a transport that always fails", network, address)
		}
	})
}
