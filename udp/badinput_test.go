package udp_test

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/udp"
)

// Every method of udp.Socket in every state: an error value, never a panic.
func TestEveryMethodInEveryState(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		peer := newSock(t, w.b)
		require.NoError(t, peer.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		makers := map[string]func() *udp.Socket{
			"new": func() *udp.Socket { return newSock(t, w.a) },
			"Bound": func() *udp.Socket {
				s := newSock(t, w.a)
				require.NoError(t, s.Bind(w.aAddr, 0, transport.DefaultForPlatform))
				return s
			},
			"HostLookup": func() *udp.Socket {
				s := newSock(t, w.a)
				require.NoError(t, s.ConnectToHost(w.bName, peer.LocalPort()))
				return s
			},
			"Connected": func() *udp.Socket {
				s := newSock(t, w.a)
				require.NoError(t, s.ConnectToAddress(w.bAddr, peer.LocalPort()))
				return s
			},
			"Closed": func() *udp.Socket {
				s := newSock(t, w.a)
				require.NoError(t, s.Bind(w.aAddr, 0, transport.DefaultForPlatform))
				require.NoError(t, s.Close())
				return s
			},
			"Destroyed": func() *udp.Socket {
				s := newSock(t, w.a)
				s.Destroy()
				return s
			},
		}
		group := netip.MustParseAddr("239.255.43.21")
		calls := map[string]func(s *udp.Socket) error{
			"Bind port out of range": func(s *udp.Socket) error { return s.Bind(w.aAddr, 70000, 0) },
			"BindPort":               func(s *udp.Socket) error { return s.BindPort(0, transport.ShareAddress) },
			"WriteDatagram": func(s *udp.Socket) error {
				_, err := s.WriteDatagram([]byte("x"), w.bAddr, peer.LocalPort())
				return err
			},
			"WriteDatagram bad port": func(s *udp.Socket) error { _, err := s.WriteDatagram([]byte("x"), w.bAddr, -2); return err },
			"WriteDatagram no addr":  func(s *udp.Socket) error { _, err := s.WriteDatagram([]byte("x"), netip.Addr{}, 1); return err },
			"WriteDatagram huge":     func(s *udp.Socket) error { _, err := s.WriteDatagram(make([]byte, 70000), w.bAddr, 1); return err },
			"ReadDatagram":           func(s *udp.Socket) error { _, _, _, err := s.ReadDatagram(10); return err },
			"ReadDatagram -1":        func(s *udp.Socket) error { _, _, _, err := s.ReadDatagram(-1); return err },
			"ReceiveDatagram":        func(s *udp.Socket) error { _, err := s.ReceiveDatagram(); return err },
			"Join":                   func(s *udp.Socket) error { return s.JoinMulticastGroup(group, "") },
			"Join invalid":           func(s *udp.Socket) error { return s.JoinMulticastGroup(netip.Addr{}, "") },
			"Join unspecified":       func(s *udp.Socket) error { return s.JoinMulticastGroup(netip.IPv4Unspecified(), "") },
			"Leave":                  func(s *udp.Socket) error { return s.LeaveMulticastGroup(group, "nosuchif") },
			"SetMulticastInterface":  func(s *udp.Socket) error { return s.SetMulticastInterface("nosuchif") },
			"Write":                  func(s *udp.Socket) error { _, err := s.Write([]byte("x")); return err },
			"Read":                   func(s *udp.Socket) error { _, err := s.Read(make([]byte, 4)); return err },
			"ConnectToHost bad port": func(s *udp.Socket) error { return s.ConnectToHost("x", -1) },
			"WaitForReadyRead":       func(s *udp.Socket) error { return s.WaitForReadyRead(time.Millisecond) },
			"WaitForBytesWritten":    func(s *udp.Socket) error { return s.WaitForBytesWritten(time.Millisecond) },
			"SetReadBufferSize -1":   func(s *udp.Socket) error { return s.SetReadBufferSize(-1) },
			"getters": func(s *udp.Socket) error {
				_ = fmt.Sprint(s.HasPendingDatagrams(), s.PendingDatagramSize(), s.MulticastInterface(), s.State(),
					s.BytesAvailable(), s.LocalPort(), s.PeerPort())
				return nil
			},
			"Abort": func(s *udp.Socket) error { return s.Abort() },
			"Close": func(s *udp.Socket) error { return s.Close() },
		}
		for sname, mk := range makers {
			for cname, call := range calls {
				s := mk()
				var err error
				require.NotPanics(t, func() { err = call(s) }, "%s in %s", cname, sname)
				s.Destroy()
				if err == nil {
					continue
				}
				var te *transport.Error
				if !errors.As(err, &te) && !errors.Is(err, core.ErrDestroyed) {
					t.Errorf("%s in %s: unclassified error %T %v", cname, sname, err, err)
				}
			}
		}
	})
}

// Blocking mode, no loop: WaitForReadyRead and WaitForBytesWritten.
func TestBlockingWaits(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		r := newSock(t, w.b)
		require.NoError(t, r.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		s := newSock(t, w.a)
		require.NoError(t, s.ConnectToAddress(w.bAddr, r.LocalPort()))
		_, err := s.Write([]byte("ping"))
		require.NoError(t, err)
		require.NoError(t, r.WaitForReadyRead(10*time.Second))
		data, _, _, err := r.ReadDatagram(100)
		require.NoError(t, err)
		assert.Equal(t, "ping", string(data))
		err = r.WaitForReadyRead(50 * time.Millisecond)
		assert.ErrorIs(t, err, transport.SocketTimeoutError)
		assert.Equal(t, socket.BoundState, r.State(), "a timeout closes nothing")
	})
}
