package transport

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode"
)

// ParseHostAddress parses s as QHostAddress::setAddress does: surrounding
// whitespace is ignored (and inner runs of it count as one space); text
// with a ':' is IPv6, with an optional "%scope" suffix; anything else is
// IPv4 in the inet_aton forms Qt accepts — one to four dot-separated
// numbers, each decimal, octal (leading 0) or hex (0x), the last filling
// the remaining bytes ("123.0.0" is 123.0.0.0, "1.2.3" is 1.2.0.3). Text
// Qt rejects gives an error wrapping ErrInvalidHostAddress. One known
// difference: Qt also accepts a '+' sign before a number of an embedded
// IPv4 part ("::+1.2.3.4"); this parser rejects it.
func ParseHostAddress(s string) (HostAddress, error) {
	t := simplify(s)
	if t != "" {
		if strings.Contains(t, ":") {
			if a, ok := parseIPv6(t); ok {
				return HostAddress{ip: a}, nil
			}
		} else if a, ok := parseIPv4(t); ok {
			return HostAddress{ip: a}, nil
		}
	}
	return Null, fmt.Errorf("%w: %q", ErrInvalidHostAddress, s)
}

// MustParseHostAddress is ParseHostAddress for constants in code and
// tests; it panics on text Qt rejects.
func MustParseHostAddress(s string) HostAddress {
	h, err := ParseHostAddress(s)
	if err != nil {
		panic(err)
	}
	return h
}

// simplify is QString::simplified: trims white space at both ends and
// turns each inner run of it into one space.
func simplify(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// parseIPv6 parses an IPv6 address with an optional "%scope"; an empty
// scope is none, and a scope may not hold another '%'.
func parseIPv6(s string) (netip.Addr, bool) {
	addr, scope, _ := strings.Cut(s, "%")
	if strings.Contains(scope, "%") {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is6() || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.WithZone(scope), true
}

// parseIPv4 parses Qt's IPv4 forms. Like Qt, which hands the text to a
// C-string number parser, it stops at a NUL byte.
func parseIPv4(s string) (netip.Addr, bool) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var acc uint64
	for i, p := range parts {
		x, ok := parseCNumber(p)
		last := i == len(parts)-1
		if !ok || !last && x > 0xff || last && x>>(8*(5-len(parts))) != 0 {
			return netip.Addr{}, false
		}
		if last {
			acc = acc<<(8*(5-len(parts))) | x
		} else {
			acc = acc<<8 | x
		}
	}
	return netip.AddrFrom4([4]byte{byte(acc >> 24), byte(acc >> 16), byte(acc >> 8), byte(acc)}), true
}

// parseCNumber parses all of p as C's strtoull with base 0 does: leading
// white space, an optional '+', then hex after "0x", octal after "0", or
// decimal. It fails on an empty number, a '-', trailing text or overflow.
func parseCNumber(p string) (uint64, bool) {
	p = strings.TrimLeft(p, " \t\n\v\f\r")
	p = strings.TrimPrefix(p, "+")
	base := 10
	switch {
	case len(p) > 2 && (p[:2] == "0x" || p[:2] == "0X") && isHexDigit(p[2]):
		base, p = 16, p[2:]
	case len(p) > 1 && p[0] == '0':
		base, p = 8, p[1:]
	}
	if p == "" || p[0] == '+' || p[0] == '-' {
		return 0, false
	}
	x, err := strconv.ParseUint(p, base, 64)
	return x, err == nil
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
