package dns

import (
	"fmt"
	"strings"
	"testing"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/internal/qtcompat"
)

// qtNames are testdata/qt_hostinfo.py's names, by key.
var qtNames = map[string]string{
	"empty":           "",
	"literal4":        "10.9.8.7",
	"literal6":        " ::1 ",
	"missing":         "nx.invalid",
	"idn":             "bücher.invalid",
	"underscore":      "a_b.invalid",
	"trailing_dot":    "nx.invalid.",
	"empty_label":     "a..b",
	"leading_dot":     ".a",
	"only_dot":        ".",
	"label_64":        strings.Repeat("a", 64) + ".invalid",
	"label_300":       strings.Repeat("a", 300),
	"name_255":        strings.Repeat("a.", 124) + "invalid",
	"leading_hyphen":  "-a.invalid",
	"trailing_hyphen": "a-.invalid",
	"space":           "exa mple.invalid",
	"star":            "a*b.invalid",
	"slash":           "a/b.invalid",
	"at":              "a@b.invalid",
}

// qtText is HostInfo as the script prints a QHostInfo.
func qtText(h HostInfo) string {
	return fmt.Sprintf("%d|%s|%s|%s", h.Error, h.ErrorString, h.HostName, addrs(h))
}

// TestHostInfoAgainstQt asks real Qt 5 and slotnet the same things and
// wants the same answers: error codes and texts, host names, addresses,
// lookup ids, that neither an aborted lookup's slot nor a destroyed
// receiver's runs, and that a cached answer comes at once. The names either fail before any query or end in
// .invalid, which fails everywhere (here: the test server's NXDOMAIN).
func TestHostInfoAgainstQt(t *testing.T) {
	qt := qtcompat.Run(t, "PyQt5.QtNetwork", "testdata/qt_hostinfo.py")
	s := startServer(t)
	c := serverClient(t, s)
	for key, name := range qtNames {
		if got, want := qtText(c.FromName(name)), qt["from_"+key]; got != want {
			t.Errorf("FromName(%.30q): slotnet %q, Qt %q", name, got, want)
		}
	}
	if n := s.count("10.9.8.7.") + s.count(strings.Repeat("a.", 124)+"invalid."); n != 0 {
		t.Errorf("an IP literal or an over-long name sent %d queries", n)
	}

	// A fresh client numbers its lookups 1, 2, 3, ... as Qt does.
	c = serverClient(t, s)
	recv := newReceiver(t)
	for i, name := range []string{"", "10.9.8.7", "nx.invalid", "a..b"} {
		h := lookupWait(t, c, recv, name)
		if h.LookupID != i+1 {
			t.Errorf("lookup %d got id %d", i+1, h.LookupID)
		}
		if got, want := qtText(h), qt[fmt.Sprintf("lookup_%d", i+1)]; got != want {
			t.Errorf("LookupHost(%q): slotnet %q, Qt %q", name, got, want)
		}
	}
	called := make(chan int, 2)
	id, err := c.LookupHost("slow.test", recv, func(h HostInfo) { called <- h.LookupID })
	if err != nil || id != 5 {
		t.Fatalf("fifth lookup: id %d, %v", id, err)
	}
	if err := c.AbortHostLookup(id); err != nil {
		t.Fatal(err)
	}
	doomed, err := core.NewObject(core.WithLoop(recv.Loop()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LookupHost("slow.test", doomed, func(h HostInfo) { called <- h.LookupID }); err != nil {
		t.Fatal(err)
	}
	doomed.Destroy()
	s.unblock()
	lookupWait(t, c, recv, "slow.test") // on the same loop, after the other two
	if got := len(called) > 0; fmt.Sprint(got) != strings.ToLower(qt["aborted_called"]) ||
		fmt.Sprint(got) != strings.ToLower(qt["destroyed_called"]) {
		t.Errorf("aborted or destroyed slot called: %v; Qt: %s, %s", got, qt["aborted_called"], qt["destroyed_called"])
	}
	cachedAtOnce(t, c, s, qt["cached_at_once"])
}

// cachedAtOnce: Qt posts a cached answer at once, so one pass of the
// receiver's loop delivers it; so does slotnet.
func cachedAtOnce(t *testing.T, c *Client, s *testServer, qt string) {
	if h := c.FromName("a.test"); h.Error != NoError {
		t.Fatal(h.ErrorString)
	}
	loop := core.NewLoop() // not running: the test drives it, as Qt's processEvents
	t.Cleanup(func() { _ = loop.Close() })
	recv, err := core.NewObject(core.WithLoop(loop))
	if err != nil {
		t.Fatal(err)
	}
	got := false
	if _, err := c.LookupHost("a.test", recv, func(HostInfo) { got = true }); err != nil {
		t.Fatal(err)
	}
	loop.ProcessEvents()
	if fmt.Sprint(got) != strings.ToLower(qt) {
		t.Errorf("cached answer delivered by one pass: %v, Qt %s", got, qt)
	}
	if n := s.count("a.test."); n != 2 { // A and AAAA, once
		t.Errorf("%d queries for a cached name, want the first lookup's 2", n)
	}
}
