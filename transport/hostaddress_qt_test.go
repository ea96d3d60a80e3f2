package transport

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/slotnet/slotnet/internal/qtcompat"
)

// qtAddresses are the addresses testdata/hostaddress.py names.
var qtAddresses = map[string]HostAddress{
	"Null": Null, "Broadcast": Broadcast, "LocalHost": LocalHost, "LocalHostIPv6": LocalHostIPv6,
	"Any": Any, "AnyIPv6": AnyIPv6, "AnyIPv4": AnyIPv4,
	"v4zero": MustParseHostAddress("0.0.0.0"), "v6zero": MustParseHostAddress("::"),
	"v4lo": MustParseHostAddress("127.0.0.1"), "mappedlo": MustParseHostAddress("::ffff:127.0.0.1"),
	"v6lo": MustParseHostAddress("::1"), "mappedzero": MustParseHostAddress("::ffff:0.0.0.0"),
	"bcast": MustParseHostAddress("255.255.255.255"), "mappedbcast": MustParseHostAddress("::ffff:255.255.255.255"),
	"mcast": MustParseHostAddress("224.0.0.1"), "mappedmcast": MustParseHostAddress("::ffff:224.0.0.1"),
	"v6mcast": MustParseHostAddress("ff02::1"), "scoped": MustParseHostAddress("fe80::1%eth0"),
	"unscoped": MustParseHostAddress("fe80::1"),
}

func qtProto(p NetworkLayerProtocol) string {
	return map[NetworkLayerProtocol]string{IPv4Protocol: "IPv4", IPv6Protocol: "IPv6",
		AnyIPProtocol: "Any"}[p] + map[bool]string{true: "Unknown"}[p == UnknownNetworkLayerProtocol]
}

// TestHostAddressAgainstQt compares parsing, printing, the predicates,
// == and IsInSubnet with real Qt 5's QHostAddress, line by line.
func TestHostAddressAgainstQt(t *testing.T) {
	qt := qtcompat.Run(t, "PyQt5.QtNetwork", "testdata/hostaddress.py")
	checked := 0
	for key, want := range qt {
		kind, rest, _ := strings.Cut(key, " ")
		var got string
		switch kind {
		case "parse":
			in, err := hex.DecodeString(rest)
			if err != nil {
				t.Fatalf("bad key %q", key)
			}
			rest = strconv.Quote(string(in))
			if a, err := ParseHostAddress(string(in)); err == nil {
				got = fmt.Sprintf("ok %s %s", qtProto(a.Protocol()), a)
			} else {
				got = "invalid True"
			}
		case "special":
			a := qtAddresses[rest]
			got = fmt.Sprintf("%s %s null=%s loop=%s mcast=%s bcast=%s", qtProto(a.Protocol()), a,
				py(a.IsNull()), py(a.IsLoopback()), py(a.IsMulticast()), py(a.IsBroadcast()))
		case "equal", "eqspecial":
			n1, n2, _ := strings.Cut(rest, " ")
			a, b := qtAddresses[n1], qtAddresses[n2]
			got = py(a.Equal(b))
			if a.ScopeID() == b.ScopeID() && (a == b) != a.Equal(b) {
				t.Errorf("%s == %s is %v, Equal says %v", n1, n2, a == b, a.Equal(b))
			}
		case "subnet":
			f := strings.Split(rest, "|")
			a, _ := ParseHostAddress(f[0])
			n, _ := strconv.Atoi(f[2])
			got = py(a.IsInSubnet(MustParseHostAddress(f[1]), n))
		default:
			t.Fatalf("unknown line %q", key)
		}
		checked++
		if got != want {
			t.Errorf("%s %s: slotnet %q, Qt %q", kind, rest, got, want)
		}
	}
	if checked < 500 {
		t.Fatalf("only %d comparisons; the script printed too little", checked)
	}
}

func py(b bool) string { return map[bool]string{true: "True", false: "False"}[b] }
