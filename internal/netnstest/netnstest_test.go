package netnstest

import (
	"errors"
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each namespace of a Pair sees only lo and its own end, which has its
// addresses (Exec runs a command inside, Do runs Go code inside), and the
// namespaces are gone after the test.
func TestPair(t *testing.T) {
	var p *Pair
	t.Run("pair", func(t *testing.T) {
		p = New(t)
		out, err := exec.Command("ip", "-n", p.ReceiverNS, "-br", "link").CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Len(t, strings.Split(strings.TrimSpace(string(out)), "\n"), 2, string(out))
		assert.Contains(t, string(out), p.ReceiverIf)

		argv := Exec(p.SenderNS, "ip", "-br", "addr", "show", "dev", p.SenderIf)
		out, err = exec.Command(argv[0], argv[1:]...).CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Contains(t, string(out), p.SenderAddr.String()+"/24")
		if p.IPv6 {
			assert.Contains(t, string(out), "fd00::1/64")
		}

		var names []string
		Do(t, p.SenderNS, func() error {
			ifs, err := net.Interfaces()
			for _, ifc := range ifs {
				names = append(names, ifc.Name)
			}
			return err
		})
		assert.ElementsMatch(t, []string{"lo", p.SenderIf}, names)
		assert.EqualError(t, do(p.ReceiverNS, func() error { return errors.New("boom") }), "boom")
		assert.Error(t, do("slotnet-no-such-ns", func() error { return nil }))
	})
	if p == nil {
		return
	}
	out, err := exec.Command("ip", "netns", "list").CombinedOutput()
	require.NoError(t, err)
	assert.NotContains(t, string(out), p.SenderNS)
	assert.NotContains(t, string(out), p.ReceiverNS)
}
