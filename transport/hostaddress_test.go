package transport

import (
	"errors"
	"net/netip"
	"testing"
)

// FuzzParseHostAddress checks that parsing never panics, that every error
// wraps ErrInvalidHostAddress, and that the printed form of a parsed
// address parses back to the same address.
func FuzzParseHostAddress(f *testing.F) {
	for _, s := range []string{"", " 1.2.3.4 ", "123.0.0", "0x7f.1", "010.1", "::", "::ffff:1.2.3.4",
		"fe80::1%eth0", "::1.2.3.4", "1:2:3:4:5:6:7::", "1.2.3.4\x00x", "::1%a%b", "4294967295"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseHostAddress(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidHostAddress) || a != Null {
				t.Fatalf("ParseHostAddress(%q) = %v, %v", s, a, err)
			}
			return
		}
		if a.IsNull() || a.Protocol() == AnyIPProtocol {
			t.Fatalf("ParseHostAddress(%q) = %v of protocol %v", s, a, a.Protocol())
		}
		b, err := ParseHostAddress(a.String())
		if err != nil || b != a {
			t.Fatalf("ParseHostAddress(%q) = %v, reparsed from %q as %v, %v", s, a, a.String(), b, err)
		}
		if a.Addr() != HostAddressFrom(a.Addr()).Addr() {
			t.Fatalf("%v does not survive netip.Addr", a)
		}
	})
}

func TestHostAddressNetipConversion(t *testing.T) {
	for _, tc := range []struct {
		h    HostAddress
		addr netip.Addr
	}{
		{Null, netip.Addr{}},
		{Any, netip.IPv6Unspecified()},
		{AnyIPv4, netip.IPv4Unspecified()},
		{LocalHost, netip.MustParseAddr("127.0.0.1")},
		{MustParseHostAddress("::ffff:1.2.3.4"), netip.MustParseAddr("::ffff:1.2.3.4")},
		{MustParseHostAddress("fe80::1%eth0"), netip.MustParseAddr("fe80::1%eth0")},
	} {
		if got := tc.h.Addr(); got != tc.addr {
			t.Errorf("%v.Addr() = %v, want %v", tc.h, got, tc.addr)
		}
		if tc.h != Any && HostAddressFrom(tc.addr) != tc.h {
			t.Errorf("HostAddressFrom(%v) = %v, want %v", tc.addr, HostAddressFrom(tc.addr), tc.h)
		}
	}
	if HostAddressFrom(netip.IPv6Unspecified()) == Any {
		t.Error("HostAddressFrom(::) is Any; Qt keeps :: (AnyIPv6) apart from Any")
	}
}

func TestHostAddressScopeAndText(t *testing.T) {
	a := MustParseHostAddress("fe80::1").WithScopeID("eth1")
	if a.String() != "fe80::1%eth1" || a.ScopeID() != "eth1" {
		t.Errorf("scoped address prints %q (scope %q)", a, a.ScopeID())
	}
	if LocalHost.WithScopeID("eth0") != LocalHost {
		t.Error("an IPv4 address took a scope id")
	}
	var h HostAddress
	if err := h.UnmarshalText([]byte(" 10.1 ")); err != nil || h.String() != "10.0.0.1" {
		t.Errorf("UnmarshalText(\" 10.1 \") = %v, %v", h, err)
	}
	if err := h.UnmarshalText([]byte("")); err != nil || h != Null {
		t.Errorf("UnmarshalText(\"\") = %v, %v; want Null", h, err)
	}
	if err := h.UnmarshalText([]byte("bjarne")); !errors.Is(err, ErrInvalidHostAddress) {
		t.Errorf("UnmarshalText(\"bjarne\") error %v", err)
	}
	if got, _ := MustParseHostAddress("1.2.3.4").MarshalText(); string(got) != "1.2.3.4" {
		t.Errorf("MarshalText = %q", got)
	}
	if !MustParseHostAddress("10.1.2.3").IsInPrefix(netip.MustParsePrefix("10.0.0.0/8")) {
		t.Error("10.1.2.3 not in 10.0.0.0/8")
	}
	if IPv6Protocol.String() != "IPv6Protocol" || NetworkLayerProtocol(7).String() != "NetworkLayerProtocol(7)" {
		t.Error("NetworkLayerProtocol.String")
	}
}
