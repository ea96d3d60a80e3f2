package dns

import (
	"errors"
	"strings"
	"testing"

	"github.com/slotnet/slotnet/transport"
)

// FuzzName: any string gives an immediate answer or a key that DNS can
// carry (ASCII, at most 253 characters, labels of 1 to 63 letters, digits,
// '-' or '_', lower case) and that maps to itself; never a panic.
func FuzzName(f *testing.F) {
	for _, s := range []string{"", "a.test", "bücher.test", "XN--BCHER-KVA.test.", "a..b", "10.0.0.1", " ::1 ",
		"a_b.test", "-a", strings.Repeat("a.", 127), "\u202ea", "a\xffb", "１２７.0.0.1", "ﬀ.test", "ab--c.test", "xn--bcher-kva.test", "0x7f.1", "1.2.3.4\x00z", "a-.b", "_.test"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if _, err := parseLiteral(name); errors.Is(err, errNotLiteral) {
			if a, err := transport.ParseHostAddress(name); err == nil {
				t.Fatalf("%q is %v, but the fast path refused it", name, a)
			}
		}
		if k, ok := plainName(name); ok {
			a, err := idnaProfile.ToASCII(strings.TrimSuffix(name, "."))
			if err != nil || a != k {
				t.Fatalf("%q: fast path %q, IDNA %q %v", name, k, a, err)
			}
		}
		info, key, done := immediate(name)
		if done {
			if info.Error == NoError && len(info.Addresses) != 1 {
				t.Fatalf("%q: an answer without a query must be an IP literal: %+v", name, info)
			}
			if info.Error != NoError && (info.Err == nil || len(info.Addresses) != 0) {
				t.Fatalf("%q: %+v", name, info)
			}
			return
		}
		if len(key) > maxNameLen || key != strings.ToLower(key) {
			t.Fatalf("%q → key %q", name, key)
		}
		for l := range strings.SplitSeq(key, ".") {
			if err := validLabel(l); err != nil {
				t.Fatalf("%q → key %q: %v", name, key, err)
			}
		}
		if again, _, err := asciiName(key); err != nil || again != key {
			t.Fatalf("%q → key %q → %q, %v", name, key, again, err)
		}
	})
}
