package peer

import (
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
)

// dplayer plays a Datagram's steps on one socket, on the script's goroutine.
type dplayer struct {
	sc       *script[dstep]
	pc       net.PacketConn
	buf      []byte
	received int            // datagrams received so far
	last     netip.AddrPort // the last sender
	step     int
	desc     string
}

func (d *Datagram) run(pc net.PacketConn) {
	p := &dplayer{sc: &d.sc, pc: pc, buf: make([]byte, mem.MaxDatagram+1)}
	defer func() {
		_ = pc.Close()
		d.sc.finish()
	}()
	d.sc.attach(pc)
	for {
		i, st, ok := d.sc.current()
		if !ok {
			return
		}
		p.step, p.desc = i, st.desc
		if d.sc.stopped() {
			p.failf(nil, "the test ended before this step")
			return
		}
		if !p.play(st) {
			return
		}
		d.sc.advance(i)
	}
}

func (p *dplayer) failf(err error, format string, args ...any) bool {
	p.fail(&StepError{Diff: -1, Msg: fmt.Sprintf(format, args...), Err: err})
	return false
}

func (p *dplayer) fail(e *StepError) {
	e.Step, e.Desc, e.Offset = p.step, p.desc, -1
	e.Left = p.sc.left(p.step + 1)
	p.sc.fail(e)
}

func (p *dplayer) play(st dstep) bool {
	switch st.kind {
	case dSend:
		return p.send(st.addr, st.data, st.timeout)
	case dReply:
		if !p.last.IsValid() {
			return p.failf(nil, "no datagram received yet to reply to")
		}
		return p.send(p.last, st.data, st.timeout)
	case dExpect:
		return p.expect(st)
	case dNothing:
		return p.nothing(st.dur)
	case dWait:
		if !p.sc.sleep(st.dur) {
			return p.failf(nil, "the test ended while this step waited")
		}
		return true
	}
	return p.failf(nil, "unknown step kind %d", st.kind) // unreachable: the builders make every kind
}

func (p *dplayer) send(to netip.AddrPort, b []byte, timeout time.Duration) bool {
	_ = p.pc.SetWriteDeadline(time.Now().Add(timeout))
	if _, err := p.pc.WriteTo(b, net.UDPAddrFromAddrPort(to)); err != nil {
		return p.failf(err, "sending to %v failed", to)
	}
	return true
}

// receive reads one datagram before deadline.
func (p *dplayer) receive(deadline time.Time) ([]byte, netip.AddrPort, error) {
	_ = p.pc.SetReadDeadline(deadline)
	n, addr, err := p.pc.ReadFrom(p.buf)
	if err != nil {
		return nil, netip.AddrPort{}, err
	}
	p.received++
	from := addrPort(addr)
	p.last = from
	return p.buf[:n], from, nil
}

func (p *dplayer) expect(st dstep) bool {
	got, from, err := p.receive(time.Now().Add(st.timeout))
	switch {
	case err != nil && p.sc.stopped():
		return p.failf(nil, "the test ended while this step waited")
	case isTimeout(err):
		return p.failf(nil, "no datagram before the step's deadline (%v)", st.timeout)
	case err != nil:
		return p.failf(err, "receiving failed")
	}
	if st.addr.IsValid() && !sameAddr(st.addr, from) {
		return p.failf(nil, "datagram %d came from %v, not %v; it held %s", p.received, from, st.addr, describe(got))
	}
	at := firstDiff(st.data, got)
	if at < 0 && len(got) != len(st.data) {
		at = min(len(got), len(st.data))
	}
	if at >= 0 {
		p.fail(&StepError{
			Msg:      fmt.Sprintf("datagram %d from %v (%d bytes) differs at byte %d", p.received, from, len(got), at),
			Expected: st.data, Got: clone(got), Diff: at,
		})
		return false
	}
	return true
}

func (p *dplayer) nothing(dur time.Duration) bool {
	got, from, err := p.receive(time.Now().Add(dur))
	switch {
	case err != nil && p.sc.stopped():
		return p.failf(nil, "the test ended while this step waited")
	case isTimeout(err):
		return true
	case err != nil:
		return p.failf(err, "receiving failed")
	}
	return p.failf(nil, "datagram %d arrived from %v: %s", p.received, from, describe(got))
}

// addrPort returns a datagram source as a netip.AddrPort.
func addrPort(a net.Addr) netip.AddrPort {
	if u, ok := a.(*net.UDPAddr); ok {
		return u.AddrPort()
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return ap
}

// sameAddr compares two addresses, an IPv4-mapped one equal to its IPv4 form.
func sameAddr(a, b netip.AddrPort) bool {
	return a.Port() == b.Port() && a.Addr().Unmap() == b.Addr().Unmap()
}
