package discovery

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/signal"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/udp"
)

// Port is the default port responders listen on.
const Port = 45455

// Request is the request datagram.
const Request = "FREESPACE?"

const answerPrefix = "FREESPACE "

// Errors of the constructors.
var (
	ErrBadPort   = errors.New("discovery: the port must be in 1…65535 (0 only to bind a free one)")
	ErrBadName   = errors.New("discovery: a host name must be non-empty, without spaces")
	ErrBadWindow = errors.New("discovery: the window must be positive")
	ErrNoFree    = errors.New("discovery: no free-space function")
)

// FreeFunc returns a host's free space in bytes.
type FreeFunc func() (uint64, error)

// Fixed is a FreeFunc that always reports n bytes: a simulated host, or
// the command's -fake flag.
func Fixed(n uint64) FreeFunc { return func() (uint64, error) { return n, nil } }

// Answer is one host's answer.
type Answer struct {
	Host string
	Free uint64         // bytes
	From netip.AddrPort // where it came from
}

// String renders a as "host free-bytes (from)".
func (a Answer) String() string { return fmt.Sprintf("%s %d (%s)", a.Host, a.Free, a.From) }

// FormatAnswer returns the answer datagram for host and free.
func FormatAnswer(host string, free uint64) []byte {
	return []byte(answerPrefix + host + " " + strconv.FormatUint(free, 10))
}

// ParseAnswer parses an answer datagram.
func ParseAnswer(b []byte) (host string, free uint64, err error) {
	s, ok := strings.CutPrefix(string(b), answerPrefix)
	if !ok {
		return "", 0, fmt.Errorf("discovery: not an answer: %q", b)
	}
	host, num, ok := strings.Cut(s, " ")
	if !ok || host == "" {
		return "", 0, fmt.Errorf("discovery: answer without a host: %q", b)
	}
	free, err = strconv.ParseUint(num, 10, 64)
	if err != nil {
		return "", 0, fmt.Errorf("discovery: answer with a bad free space: %q", b)
	}
	return host, free, nil
}

// Responder answers requests on one UDP port. It lives on one loop.
type Responder struct {
	sock *udp.Socket
	name string
	free FreeFunc
	// Answered is emitted with the address each answer went to.
	Answered signal.Signal[netip.AddrPort]
	// Failed is emitted with an error text when the free space cannot be
	// read or the answer cannot be sent (the request goes unanswered).
	Failed signal.Signal[string]
}

// NewResponder makes a responder named name on loop l (call it on l),
// bound to addr and port with ShareAddress, so several responders in one
// process share the port. Port 0 binds a free port (Port says which; bind
// the others to it). Bind to an unspecified address (0.0.0.0) to receive
// broadcasts: on Linux a socket bound to a unicast address gets none.
func NewResponder(l *core.Loop, name string, free FreeFunc, addr netip.Addr, port int, opts ...socket.Option) (*Responder, error) {
	if name == "" || strings.ContainsAny(name, " \t\n") {
		return nil, ErrBadName
	}
	if port < 0 || port > 65535 {
		return nil, ErrBadPort
	}
	if free == nil {
		return nil, ErrNoFree
	}
	sock, err := udp.NewSocket(append([]socket.Option{socket.WithLoop(l)}, opts...)...)
	if err != nil {
		return nil, err
	}
	r := &Responder{sock: sock, name: name, free: free}
	if err := sock.BindSignals(r); err != nil {
		sock.Destroy()
		return nil, err
	}
	_, _ = sock.ReadyRead.Connect(r.readPending)
	if err := sock.Bind(addr, port, transport.ShareAddress); err != nil {
		sock.Destroy()
		return nil, fmt.Errorf("discovery: bind %s port %d: %w", addr, port, err)
	}
	return r, nil
}

func (r *Responder) readPending() {
	for r.sock.HasPendingDatagrams() {
		dg, err := r.sock.ReceiveDatagram()
		if err != nil {
			return
		}
		if string(dg.Data) != Request || dg.SenderPort <= 0 {
			continue
		}
		free, err := r.free()
		if err != nil {
			r.Failed.Emit(fmt.Sprintf("free space: %v", err))
			continue
		}
		if _, err := r.sock.WriteDatagram(FormatAnswer(r.name, free), dg.SenderAddress, dg.SenderPort); err != nil {
			r.Failed.Emit(r.sock.ErrorString())
			continue
		}
		r.Answered.Emit(netip.AddrPortFrom(dg.SenderAddress, uint16(dg.SenderPort)))
	}
}

// Port returns the bound port.
func (r *Responder) Port() int { return r.sock.LocalPort() }

// Socket returns the responder's socket.
func (r *Responder) Socket() *udp.Socket { return r.sock }

// Close destroys the responder's socket.
func (r *Responder) Close() { r.sock.Destroy() }

// AskConfig configures an Asker.
type AskConfig struct {
	// Target is where the request goes: the limited broadcast
	// 255.255.255.255 by default; a subnet's broadcast (10.0.0.255,
	// 127.255.255.255 on loopback) or one host also work.
	Target netip.Addr
	// Port is the responders' port (Port by default).
	Port int
	// Bind is the asker's own address (0.0.0.0 by default). Bind to
	// 127.0.0.1 to keep a loopback run on lo.
	Bind netip.Addr
	// Window is how long the asker collects answers (one second by
	// default): it cannot know how many hosts will answer.
	Window time.Duration
	// Expect, when positive, ends the window early once that many answers
	// have come (a test or an in-process demo knows how many responders
	// it started).
	Expect int
}

// Result is what an Asker found.
type Result struct {
	// Answers in the order they came (one per host name: a repeated
	// answer replaces the earlier one).
	Answers []Answer
	// Best is the answer with the most free space (ties: the smaller host
	// name); valid only if Found.
	Best  Answer
	Found bool
}

// Best returns the answer with the most free space, ties going to the
// smaller host name, and false for no answers.
func Best(answers []Answer) (Answer, bool) {
	if len(answers) == 0 {
		return Answer{}, false
	}
	return slices.MaxFunc(answers, func(a, b Answer) int {
		if a.Free != b.Free {
			if a.Free < b.Free {
				return -1
			}
			return 1
		}
		return strings.Compare(b.Host, a.Host) // the smaller name is the larger
	}), true
}

// Asker is the originator: it broadcasts the request and collects the
// answers. It lives on one loop.
type Asker struct {
	sock    *udp.Socket
	timer   *core.Timer
	cfg     AskConfig
	answers []Answer
	asking  bool
	// Answered is emitted with each answer as it comes.
	Answered signal.Signal[Answer]
	// Invalid is emitted with the text of a datagram that is not an
	// answer (the asker ignores it).
	Invalid signal.Signal[string]
	// Done is emitted once the window ends (or Expect answers came).
	Done signal.Signal[Result]
	// Failed is emitted with Qt's error text when the request cannot be
	// sent.
	Failed signal.Signal[string]
}

// NewAsker makes an asker on loop l (call it on l).
func NewAsker(l *core.Loop, cfg AskConfig, opts ...socket.Option) (*Asker, error) {
	if !cfg.Target.IsValid() {
		cfg.Target = netip.AddrFrom4([4]byte{255, 255, 255, 255})
	}
	if cfg.Port == 0 {
		cfg.Port = Port
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, ErrBadPort
	}
	if !cfg.Bind.IsValid() {
		cfg.Bind = netip.IPv4Unspecified()
	}
	if cfg.Window == 0 {
		cfg.Window = time.Second
	}
	if cfg.Window < 0 {
		return nil, ErrBadWindow
	}
	sock, err := udp.NewSocket(append([]socket.Option{socket.WithLoop(l)}, opts...)...)
	if err != nil {
		return nil, err
	}
	a := &Asker{sock: sock, cfg: cfg}
	if err := sock.BindSignals(a); err != nil {
		sock.Destroy()
		return nil, err
	}
	if a.timer, err = core.NewTimer(core.WithParent(sock.Object), core.WithInterval(cfg.Window), core.WithSingleShot()); err != nil {
		sock.Destroy()
		return nil, err
	}
	_, _ = a.timer.Timeout.Connect(a.finish)
	_, _ = sock.ReadyRead.Connect(a.readPending)
	if err := sock.Bind(cfg.Bind, 0, transport.DefaultForPlatform); err != nil {
		sock.Destroy()
		return nil, fmt.Errorf("discovery: bind %s: %w", cfg.Bind, err)
	}
	return a, nil
}

// Ask sends the request and starts the window; the answers of an earlier
// ask are forgotten.
func (a *Asker) Ask() error {
	a.answers = nil
	if _, err := a.sock.WriteDatagram([]byte(Request), a.cfg.Target, a.cfg.Port); err != nil {
		a.Failed.Emit(a.sock.ErrorString())
		return err
	}
	a.asking = true
	return a.timer.Start()
}

func (a *Asker) readPending() {
	for a.sock.HasPendingDatagrams() {
		dg, err := a.sock.ReceiveDatagram()
		if err != nil {
			return
		}
		host, free, err := ParseAnswer(dg.Data)
		if err != nil {
			a.Invalid.Emit(string(dg.Data))
			continue
		}
		if !a.asking {
			continue // late: the window has ended
		}
		ans := Answer{Host: host, Free: free, From: netip.AddrPortFrom(dg.SenderAddress, uint16(dg.SenderPort))}
		a.answers = slices.DeleteFunc(a.answers, func(o Answer) bool { return o.Host == host })
		a.answers = append(a.answers, ans)
		a.Answered.Emit(ans)
		if a.cfg.Expect > 0 && len(a.answers) >= a.cfg.Expect {
			a.finish()
		}
	}
}

func (a *Asker) finish() {
	if !a.asking {
		return
	}
	a.asking = false
	a.timer.Stop()
	best, ok := Best(a.answers)
	a.Done.Emit(Result{Answers: slices.Clone(a.answers), Best: best, Found: ok})
}

// Socket returns the asker's socket.
func (a *Asker) Socket() *udp.Socket { return a.sock }

// Close destroys the asker.
func (a *Asker) Close() { a.sock.Destroy() }
