package record

import (
	"net/netip"
	"slices"

	"github.com/slotnet/slotnet/transport"
)

// datagram records one datagram socket's traffic.
type datagram struct {
	transport.Datagram
	r  *Recorder
	id int
}

// WriteDatagram records the datagram, then sends it; one that fails is
// dropped from the recording.
func (d *datagram) WriteDatagram(b []byte, dst netip.AddrPort) (int, error) {
	i := d.r.add(Event{Kind: Datagram, ID: d.id, Side: Client, Peer: dst, Data: slices.Clone(b)})
	n, err := d.Datagram.WriteDatagram(b, dst)
	if err != nil {
		d.r.sent(i, 0)
	}
	return n, err
}

// Write records the datagram to the connected peer, then sends it.
func (d *datagram) Write(b []byte) (int, error) {
	i := d.r.add(Event{Kind: Datagram, ID: d.id, Side: Client, Peer: d.RemoteAddrPort(), Data: slices.Clone(b)})
	n, err := d.Datagram.Write(b)
	if err != nil {
		d.r.sent(i, 0)
	}
	return n, err
}

// ReadDatagram reads one datagram and records it as the server's.
func (d *datagram) ReadDatagram(b []byte) (int, transport.DatagramMeta, error) {
	n, meta, err := d.Datagram.ReadDatagram(b)
	if err == nil {
		d.r.add(Event{Kind: Datagram, ID: d.id, Side: Server, Peer: meta.Src, Data: slices.Clone(b[:n])})
	}
	return n, meta, err
}

// WriteDatagramMeta records the datagram, then sends it with its own hop
// limit and interface (transport.DatagramMetaWriter) when the inner socket
// can, else fails as a socket without that ability does.
func (d *datagram) WriteDatagramMeta(b []byte, dst netip.AddrPort, hopLimit, ifIndex int) (int, error) {
	mw, ok := d.Datagram.(transport.DatagramMetaWriter)
	if !ok {
		return 0, transport.NewError(transport.UnsupportedSocketOperationError, "write", dst.String(),
			"the transport cannot set a hop limit or interface per datagram")
	}
	i := d.r.add(Event{Kind: Datagram, ID: d.id, Side: Client, Peer: dst, Data: slices.Clone(b)})
	n, err := mw.WriteDatagramMeta(b, dst, hopLimit, ifIndex)
	if err != nil {
		d.r.sent(i, 0)
	}
	return n, err
}

var _ transport.DatagramMetaWriter = (*datagram)(nil)
