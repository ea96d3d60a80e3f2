package transport

import (
	"net/netip"
	"strings"
)

// String returns the address as QHostAddress::toString prints it: dotted
// IPv4; IPv6 in RFC 5952 form (lower case, the longest run of two or more
// zero groups as "::"), with an IPv4-mapped address as "::ffff:a.b.c.d"
// and an IPv4-compatible one (first 96 bits zero, beyond ::ffff) as
// "::a.b.c.d", then "%scope"; Any as "0.0.0.0"; Null as "".
func (h HostAddress) String() string {
	switch {
	case h.any:
		return "0.0.0.0"
	case !h.ip.IsValid():
		return ""
	case h.ip.Is4():
		return h.ip.String()
	}
	b := h.ip.As16()
	var s string
	if [12]byte(b[:12]) == [12]byte{} && b[12]|b[13] != 0 {
		s = "::" + netip.AddrFrom4([4]byte(b[12:])).String()
	} else {
		s = h.ip.WithZone("").String()
	}
	if z := h.ip.Zone(); z != "" {
		s += "%" + z
	}
	return s
}

// MarshalText implements encoding.TextMarshaler with String.
func (h HostAddress) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with
// ParseHostAddress; empty (or blank) text is Null.
func (h *HostAddress) UnmarshalText(text []byte) error {
	if strings.TrimSpace(string(text)) == "" {
		*h = Null
		return nil
	}
	a, err := ParseHostAddress(string(text))
	if err != nil {
		return err
	}
	*h = a
	return nil
}
