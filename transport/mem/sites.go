package mem

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// WithCreationSites makes the network record where every socket, listener,
// DNS server and datagram delivery timer is created, so that Close names
// the call that created what a test left open (memtest.New turns it on).
// Off by default: recording costs a stack walk per socket, and a network
// without it records nothing.
func WithCreationSites(on bool) Option {
	return optionFunc(func(n *Network) { n.life.sites = on })
}

// site is the stack of the call that created a socket, kept as program
// counters and formatted only when a leak is reported.
type site struct{ pcs []uintptr }

// maxSiteDepth bounds the frames a site keeps.
const maxSiteDepth = 32

// newSite records the caller's stack. Callers check WithCreationSites
// first, so that a network without it pays one branch.
//
//go:noinline
func newSite() *site {
	var buf [maxSiteDepth]uintptr
	k := runtime.Callers(2, buf[:])
	return &site{pcs: append([]uintptr(nil), buf[:k]...)}
}

// memDir is the directory of package mem's sources: frames from its
// non-test files are the model's own and are skipped.
var memDir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}()

// userFrame reports whether a frame belongs to the code that uses the
// network: not package mem's own sources, the runtime or package testing.
func userFrame(f runtime.Frame) bool {
	switch {
	case f.File == "":
		return false
	case filepath.Dir(f.File) == memDir && !strings.HasSuffix(f.File, "_test.go"):
		return false
	case strings.HasPrefix(f.Function, "runtime.") || strings.HasPrefix(f.Function, "testing."):
		return false
	}
	return true
}

// format returns the first user frame as file:line and the user frames as
// a stack; both are empty for a nil site.
func (s *site) format() (head, stack string) {
	if s == nil {
		return "", ""
	}
	frames := runtime.CallersFrames(s.pcs)
	var b strings.Builder
	for {
		f, more := frames.Next()
		if userFrame(f) {
			if head == "" {
				head = fmt.Sprintf("%s:%d", filepath.Base(f.File), f.Line)
			}
			fmt.Fprintf(&b, "%s\n\t%s:%d\n", f.Function, f.File, f.Line)
		}
		if !more {
			break
		}
	}
	return head, b.String()
}

// leak names something left open, with where it was created.
func (s *site) leak(kind, what string) Leak {
	head, stack := s.format()
	return Leak{Kind: kind, What: what, Site: head, Stack: stack}
}
