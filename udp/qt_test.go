package udp_test

import (
	"context"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/internal/qtcompat"
	"github.com/slotnet/slotnet/internal/sockettest"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/udp"
)

// The differential harness for QUdpSocket, as tcp's: each scenario runs in
// testdata/qt/scenarios.py on real Qt 5 and below on slotnet; both must
// print testdata/qt/golden/<name>.txt, compared object by object.
type udpScen struct {
	t  *testing.T
	w  world
	tr *sockettest.Trace
}

func (s *udpScen) sock(actor string, tr transport.Transport) *udp.Socket {
	u := newSock(s.t, tr)
	if actor != "" {
		s.tr.Watch(s.t, actor, u.Engine, func() any { return u.PendingDatagramSize() })
	}
	return u
}

func (s *udpScen) until(u *udp.Socket, cond func() bool) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(s.t, u.WaitUntil(ctx, cond))
}

// spin lets what is in flight arrive (virtual time under synctest) and
// runs u's events, as the scripts' spin.
func (s *udpScen) spin(u *udp.Socket, d time.Duration) {
	time.Sleep(d)
	_, _ = u.ProcessEvents()
}

var udpScenarios = map[string]struct {
	osOnly bool // the in-memory network's MTU limit differs from the OS's (docs/sockets.md)
	run    func(s *udpScen)
}{
	"unconnectedServerAndClient": {run: func(s *udpScen) {
		srv := s.sock("server", s.w.b)
		s.tr.Add("server.hasPendingDatagrams() %v", srv.HasPendingDatagrams())
		s.tr.Add("server.pendingDatagramSize() %d", srv.PendingDatagramSize())
		s.tr.Add("server.bind() %v", srv.Bind(s.w.bAddr, 0, transport.DefaultForPlatform) == nil)
		s.tr.Add("server.state() %s", srv.State())
		s.tr.Add("server.bind() %v", srv.Bind(s.w.bAddr, 0, transport.DefaultForPlatform) == nil)
		c := s.sock("client", s.w.a)
		n, _ := c.WriteDatagram([]byte("Almond!"), s.w.bAddr, srv.LocalPort())
		s.tr.Add("client.writeDatagram() %d", n)
		s.tr.Add("client.state() %s", c.State())
		s.until(srv, srv.HasPendingDatagrams)
		d, err := srv.ReceiveDatagram()
		require.NoError(s.t, err)
		s.tr.Add("server.received %s fromClientPort %v toServerPort %v hop %d", d.Data,
			d.SenderPort == c.LocalPort(), d.DestinationPort == srv.LocalPort(), d.HopLimit)
	}},
	"readyReadRule": {run: func(s *udpScen) {
		srv := s.sock("server", s.w.b)
		require.NoError(s.t, srv.Bind(s.w.bAddr, 0, transport.DefaultForPlatform))
		c := s.sock("", s.w.a)
		for _, p := range []string{"A", "AB", "A\x00B", "", strings.Repeat("@", 600)} {
			_, err := c.WriteDatagram([]byte(p), s.w.bAddr, srv.LocalPort())
			require.NoError(s.t, err)
		}
		s.until(srv, srv.HasPendingDatagrams)
		s.spin(srv, 100*time.Millisecond)
		data, _, _, _ := srv.ReadDatagram(1)
		s.tr.Add("server.readDatagram(1) %d", len(data))
		for range 4 {
			s.until(srv, srv.HasPendingDatagrams)
			s.spin(srv, 20*time.Millisecond)
			data, _, _, _ := srv.ReadDatagram(1000)
			s.tr.Add("server.readDatagram() %d", len(data))
		}
		s.spin(srv, 50*time.Millisecond)
		s.tr.Add("server.pendingDatagramSize() %d", srv.PendingDatagramSize())
		if _, _, _, err := srv.ReadDatagram(10); err != nil {
			s.tr.Add("server.readDatagram() None")
		}
		s.tr.Add("server.errorString() %s", srv.ErrorString())
	}},
	"writeDatagram": {osOnly: true, run: func(s *udpScen) {
		srv := s.sock("", s.w.b)
		require.NoError(s.t, srv.Bind(s.w.bAddr, 0, transport.DefaultForPlatform))
		c := s.sock("client", s.w.a)
		require.NoError(s.t, c.Bind(s.w.aAddr, 0, transport.DefaultForPlatform))
		i := 0
		for ; ; i++ {
			if _, err := c.WriteDatagram(make([]byte, i*1024), s.w.bAddr, srv.LocalPort()); err != nil {
				break
			}
		}
		s.tr.Add("client.firstFailure %d", i)
		s.tr.Add("client.errorString() %s", c.ErrorString())
		n, _ := c.WriteDatagram(nil, s.w.bAddr, srv.LocalPort())
		s.tr.Add("client.writeDatagram() %d", n)
	}},
	"bindMode": {run: func(s *udpScen) {
		a := s.sock("", s.w.b)
		s.tr.Add("a.bind() %v", a.Bind(s.w.bAddr, 0, transport.DefaultForPlatform) == nil)
		for _, m := range []struct {
			mode transport.BindMode
			name string
		}{{transport.DefaultForPlatform, "default"}, {transport.ReuseAddressHint, "reuse"}} {
			b := s.sock("", s.w.b)
			ok := b.Bind(s.w.bAddr, a.LocalPort(), m.mode) == nil
			s.tr.Add("b.bind(%s) %v %s", m.name, ok, b.Error())
		}
		c := s.sock("", s.w.b)
		s.tr.Add("c.bind(share) %v", c.Bind(s.w.bAddr, 0, transport.ShareAddress) == nil)
		d := s.sock("", s.w.b)
		s.tr.Add("d.bind(share) %v", d.Bind(s.w.bAddr, c.LocalPort(), transport.ShareAddress) == nil)
	}},
	"connectedMode": {run: func(s *udpScen) {
		srv := s.sock("", s.w.b)
		require.NoError(s.t, srv.Bind(s.w.bAddr, 0, transport.DefaultForPlatform))
		v := s.sock("v", s.w.a)
		require.NoError(s.t, v.ConnectToAddress(s.w.bAddr, srv.LocalPort()))
		s.tr.Add("v.openMode() %d", int(v.OpenMode()))
		n, _ := v.Write([]byte("hi"))
		s.tr.Add("v.write() %d", n)
		s.until(srv, srv.HasPendingDatagrams)
		d, err := srv.ReceiveDatagram()
		require.NoError(s.t, err)
		s.tr.Add("server.received %s", d.Data)
		_, err = srv.WriteDatagram([]byte("back"), d.SenderAddress, d.SenderPort)
		require.NoError(s.t, err)
		s.until(v, func() bool { return v.BytesAvailable() > 0 })
		s.tr.Add("v.bytesAvailable() %d", v.BytesAvailable())
		got, _ := v.ReadN(100)
		s.tr.Add("v.read() %s", got)
	}},
	"multicastRefusals": {run: func(s *udpScen) {
		u := s.sock("s", s.w.b)
		g := netip.MustParseAddr("239.255.43.21")
		s.tr.Add("s.join(unbound) %v %s", u.JoinMulticastGroup(g, "") == nil, u.Error())
		require.NoError(s.t, u.Bind(netip.IPv6Unspecified(), 0, transport.ShareAddress))
		s.tr.Add("s.join(v4 on Any) %v %s", u.JoinMulticastGroup(g, "") == nil, u.Error())
		s.tr.Add("s.join(unicast) %v %s", u.JoinMulticastGroup(netip.MustParseAddr("10.1.2.3"), "") == nil, u.Error())
		require.NoError(s.t, u.Close())
		s.tr.Add("s.leave(closed) %v %s", u.LeaveMulticastGroup(g, "") == nil, u.Error())
	}},
}

func golden(t *testing.T, name string) []string {
	return sockettest.Golden(t, filepath.Join("testdata", "qt", "golden", name+".txt"))
}

func TestQtScenarios(t *testing.T) {
	for name, sc := range udpScenarios {
		t.Run(name, func(t *testing.T) {
			want := sockettest.Normalize(golden(t, name))
			both(t, func(t *testing.T, w world) {
				if sc.osOnly && w.name != "os" {
					return
				}
				s := &udpScen{t: t, w: w, tr: sockettest.New(t)}
				sc.run(s)
				got := s.tr.Take()
				assert.Equal(t, want, sockettest.Normalize(got), "slotnet's trace:\n%s", strings.Join(got, "\n"))
			})
		})
	}
}

// Qt itself, run now, gives the recorded traces.
func TestQtGoldenIsQt(t *testing.T) {
	for name := range udpScenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := qtcompat.Events(qtcompat.Trace(t, "PyQt5.QtNetwork", filepath.Join("testdata", "qt", "scenarios.py"), name))
			assert.Equal(t, sockettest.Normalize(golden(t, name)), sockettest.Normalize(got), "Qt's trace:\n%s", strings.Join(got, "\n"))
		})
	}
}
