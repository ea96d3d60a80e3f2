package peer

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// Datagram is a scripted UDP peer: a list of steps — send a datagram to an
// address, reply to the last sender, expect a datagram (from anyone or from
// one address), expect silence, wait — played on one datagram socket
// (Play on a net.PacketConn, PlaySocket on a transport.Datagram such as a
// mem.DatagramSocket). Datagrams keep their boundaries, so an expectation
// is one whole datagram. Each expectation waits at most the step's timeout
// (DefaultTimeout unless Timeout changed it). The script closes its socket
// when it ends; steps left unplayed fail the test at cleanup, as for a
// Stream.
type Datagram struct {
	sc script[dstep]
}

type dkind uint8

const (
	dSend dkind = iota
	dReply
	dExpect
	dNothing
	dWait
)

// dstep is one step of a Datagram script.
type dstep struct {
	kind    dkind
	addr    netip.AddrPort // Send's destination; ExpectFrom's source (valid only then)
	data    []byte
	dur     time.Duration // Wait, ExpectNothing
	timeout time.Duration
	desc    string
}

// NewDatagram returns an empty datagram script reporting to t, with the
// same cleanup as NewStream's.
func NewDatagram(t testing.TB) *Datagram {
	t.Helper()
	d := &Datagram{}
	d.sc.init(t, func(st dstep) string { return st.desc })
	return d
}

func (d *Datagram) add(st dstep, bad string) *Datagram {
	st.timeout = d.sc.timeout
	if msg := d.sc.add(st, bad); msg != "" {
		d.sc.t.Helper()
		d.sc.t.Errorf("%s", msg)
	}
	return d
}

// Timeout sets how long the expectations added after it wait for a
// datagram; d ≤ 0 restores DefaultTimeout.
func (d *Datagram) Timeout(dur time.Duration) *Datagram {
	d.sc.setTimeout(dur)
	return d
}

// Label names the step added last, as Stream.Label does.
func (d *Datagram) Label(name string) *Datagram {
	d.sc.label(name)
	return d
}

// Send sends b as one datagram to to. An empty b is an empty datagram,
// which UDP delivers.
func (d *Datagram) Send(to netip.AddrPort, b []byte) *Datagram {
	d.sc.t.Helper()
	return d.send("Send", to, b)
}

// SendString is Send of a string.
func (d *Datagram) SendString(to netip.AddrPort, str string) *Datagram {
	d.sc.t.Helper()
	return d.send("SendString", to, []byte(str))
}

func (d *Datagram) send(name string, to netip.AddrPort, b []byte) *Datagram {
	d.sc.t.Helper()
	bad := ""
	if !to.IsValid() {
		bad = "invalid destination address"
	}
	return d.add(dstep{kind: dSend, addr: to, data: clone(b), desc: fmt.Sprintf("%s(%v, %s)", name, to, describe(b))}, bad)
}

// Reply sends b to the sender of the last datagram the script received.
func (d *Datagram) Reply(b []byte) *Datagram {
	d.sc.t.Helper()
	return d.add(dstep{kind: dReply, data: clone(b), desc: "Reply(" + describe(b) + ")"}, "")
}

// ReplyString is Reply of a string.
func (d *Datagram) ReplyString(str string) *Datagram {
	d.sc.t.Helper()
	return d.add(dstep{kind: dReply, data: []byte(str), desc: "ReplyString(" + describe([]byte(str)) + ")"}, "")
}

// Expect receives the next datagram, from any sender, and fails unless it
// is exactly b.
func (d *Datagram) Expect(b []byte) *Datagram {
	d.sc.t.Helper()
	return d.add(dstep{kind: dExpect, data: clone(b), desc: "Expect(" + describe(b) + ")"}, "")
}

// ExpectString is Expect of a string.
func (d *Datagram) ExpectString(str string) *Datagram {
	d.sc.t.Helper()
	return d.add(dstep{kind: dExpect, data: []byte(str), desc: "ExpectString(" + describe([]byte(str)) + ")"}, "")
}

// ExpectFrom receives the next datagram and fails unless it came from
// from (an IPv4-mapped address equals its IPv4 form) and is exactly b.
func (d *Datagram) ExpectFrom(from netip.AddrPort, b []byte) *Datagram {
	d.sc.t.Helper()
	bad := ""
	if !from.IsValid() {
		bad = "invalid source address"
	}
	return d.add(dstep{kind: dExpect, addr: from, data: clone(b), desc: fmt.Sprintf("ExpectFrom(%v, %s)", from, describe(b))}, bad)
}

// ExpectNothing fails if a datagram arrives within dur.
func (d *Datagram) ExpectNothing(dur time.Duration) *Datagram {
	d.sc.t.Helper()
	return d.add(dstep{kind: dNothing, dur: dur, desc: fmt.Sprintf("ExpectNothing(%v)", dur)}, "")
}

// Wait pauses the script for dur (virtual time under testing/synctest).
func (d *Datagram) Wait(dur time.Duration) *Datagram {
	d.sc.t.Helper()
	return d.add(dstep{kind: dWait, dur: dur, desc: fmt.Sprintf("Wait(%v)", dur)}, "")
}

// Play runs the script on pc in a goroutine of its own and returns at once;
// the script closes pc when it ends.
func (d *Datagram) Play(pc net.PacketConn) {
	d.sc.t.Helper()
	if !d.sc.begin(pc == nil, "Play") {
		return
	}
	go d.run(pc)
}

// PlaySocket runs the script on a transport.Datagram (a mem.DatagramSocket,
// or the OS transport's), through transport.PacketConn.
func (d *Datagram) PlaySocket(s transport.Datagram) {
	d.sc.t.Helper()
	if s == nil {
		d.Play(nil)
		return
	}
	d.Play(transport.PacketConn(s))
}

// Done is closed when the script has ended, passed or failed.
func (d *Datagram) Done() <-chan struct{} { return d.sc.done }

// Err returns the script's failure as a *StepError, or nil.
func (d *Datagram) Err() error { return d.sc.errValue() }

// Len returns the number of steps in the script.
func (d *Datagram) Len() int { return d.sc.length() }
