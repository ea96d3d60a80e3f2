package netsock

import (
	"net"
	"net/netip"
	"sync"

	"golang.org/x/net/ipv4"

	"github.com/slotnet/slotnet/transport"
)

// MaxBatch is the most datagrams one ReadDatagrams or WriteDatagrams
// system call moves; longer batches take several calls.
const MaxBatch = 64

var _ transport.DatagramBatcher = (*osDatagram)(nil)

// batch is the per-call state of recvmmsg / sendmmsg: x/net's messages,
// their one-buffer slices, control-message buffers and destination
// addresses, reused through a pool so a steady flow allocates little.
type batch struct {
	msgs  []ipv4.Message // == ipv6.Message (both are socket.Message)
	bufs  [][]byte
	oobs  [][]byte
	addrs []net.UDPAddr
	ips   [][16]byte
}

var batches sync.Pool // of *batch

func (d *osDatagram) getBatch() *batch {
	if bt, ok := batches.Get().(*batch); ok {
		return bt
	}
	bt := &batch{
		msgs:  make([]ipv4.Message, MaxBatch),
		bufs:  make([][]byte, MaxBatch),
		oobs:  make([][]byte, MaxBatch),
		addrs: make([]net.UDPAddr, MaxBatch),
		ips:   make([][16]byte, MaxBatch),
	}
	for i := range bt.msgs {
		bt.msgs[i].Buffers = bt.bufs[i : i+1 : i+1]
	}
	return bt
}

func putBatch(bt *batch) {
	for i := range bt.msgs {
		bt.bufs[i] = nil
		bt.msgs[i].Addr = nil
		bt.msgs[i].OOB = nil
	}
	batches.Put(bt)
}

// ReadDatagrams waits for datagrams and reads as many as are waiting, up
// to len(msgs) (and MaxBatch), with one recvmmsg(2) on Linux (one
// recvmsg elsewhere). Each message gets its data, size and metadata, as
// from ReadDatagram. On a connected socket datagrams from other senders
// are dropped.
func (d *osDatagram) ReadDatagrams(msgs []transport.DatagramMessage) (int, error) {
	if len(msgs) == 0 {
		return 0, nil
	}
	bt := d.getBatch()
	defer putBatch(bt)
	ms := bt.msgs[:min(len(msgs), MaxBatch)]
	oobSize := len(*d.oobBuffer())
	for i := range ms {
		if cap(bt.oobs[i]) < oobSize {
			bt.oobs[i] = make([]byte, oobSize)
		}
	}
	for {
		for i := range ms {
			bt.bufs[i] = msgs[i].Buf
			ms[i].OOB = bt.oobs[i][:oobSize]
			ms[i].Addr = nil
		}
		var n int
		var err error
		if d.v6 {
			n, err = d.p6.ReadBatch(ms, 0)
		} else {
			n, err = d.p4.ReadBatch(ms, 0)
		}
		if err != nil {
			return 0, d.fail("read", d.local, err)
		}
		if kept := d.keepBatch(msgs, ms[:n]); kept > 0 {
			return kept, nil
		}
	}
}

// keepBatch moves the datagrams read into msgs, dropping those a
// connected socket must not see, and returns how many it kept.
func (d *osDatagram) keepBatch(msgs []transport.DatagramMessage, ms []ipv4.Message) int {
	remote, _ := d.peer()
	kept := 0
	for i := range ms {
		m := &ms[i]
		src := udpAddrPort(m.Addr)
		if remote.IsValid() && !samePeer(src, remote) {
			continue
		}
		if kept != i { // an earlier one was dropped: its buffer is free
			m.N = copy(msgs[kept].Buf, msgs[i].Buf[:m.N])
		}
		msgs[kept].N = m.N
		msgs[kept].Meta = d.parseMeta(m.OOB[:m.NN], m.Flags, src)
		kept++
	}
	return kept
}

// WriteDatagrams sends each message's Buf to its Meta.Dst (the connected
// peer when Meta.Dst is the zero value), up to MaxBatch per sendmmsg(2)
// on Linux. A message that WriteDatagram would refuse stops the batch
// there: those before it are sent and its error is returned.
func (d *osDatagram) WriteDatagrams(msgs []transport.DatagramMessage) (int, error) {
	sent := 0
	for sent < len(msgs) {
		n, err := d.writeChunk(msgs[sent:min(len(msgs), sent+MaxBatch)])
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// writeChunk sends up to MaxBatch messages with one system call.
func (d *osDatagram) writeChunk(msgs []transport.DatagramMessage) (int, error) {
	bt := d.getBatch()
	defer putBatch(bt)
	remote, kernelOK := d.peer()
	var stop error
	k := 0
	for ; k < len(msgs); k++ {
		dst, err := d.batchDst(msgs[k], remote)
		if err != nil {
			stop = err
			break
		}
		m := &bt.msgs[k]
		bt.bufs[k] = msgs[k].Buf
		if kernelOK && dst == remote {
			m.Addr = nil // the kernel's peer: sendmmsg without an address
		} else {
			m.Addr = bt.udpAddr(k, dst)
		}
	}
	if k == 0 {
		return 0, stop
	}
	var n int
	var err error
	if d.v6 {
		n, err = d.p6.WriteBatch(bt.msgs[:k], 0)
	} else {
		n, err = d.p4.WriteBatch(bt.msgs[:k], 0)
	}
	for i := range n {
		msgs[i].N = bt.msgs[i].N
	}
	if err != nil {
		return n, d.fail("write", d.local, err)
	}
	switch {
	case n == 0:
		return 0, transport.NewError(transport.TemporaryError, "write", d.local.String(), "the system sent nothing")
	case n < k: // the system took fewer: the caller goes on with the rest
		return n, nil
	}
	return n, stop
}

// batchDst checks one message of a batch and returns its destination.
func (d *osDatagram) batchDst(m transport.DatagramMessage, remote netip.AddrPort) (netip.AddrPort, error) {
	dst := unmapAddrPort(m.Meta.Dst)
	if !dst.IsValid() && remote.IsValid() {
		dst = remote
	}
	return dst, checkSend(m.Buf, dst)
}

// udpAddr fills the batch's i-th address with dst, without allocating.
func (bt *batch) udpAddr(i int, dst netip.AddrPort) *net.UDPAddr {
	a := &bt.addrs[i]
	ip := dst.Addr()
	if ip.Is4() {
		v := ip.As4()
		copy(bt.ips[i][:4], v[:])
		a.IP = bt.ips[i][:4]
	} else {
		bt.ips[i] = ip.As16()
		a.IP = bt.ips[i][:16]
	}
	a.Port, a.Zone = int(dst.Port()), ip.Zone()
	return a
}
