# Asks real Qt 5 how QHostAddress parses, prints and compares addresses.
# Prints "parse <hex of input>: <result>" and "equal <a> <b>: <bool>" lines
# for transport's hostaddress_qt_test.go.
from PyQt5.QtNetwork import QHostAddress, QAbstractSocket

INPUTS = [
    "", " ", "127.0.0.1", " 127.0.0.1 ", "\t10.0.0.1\n", "123.0.0", "123.0", "123",
    "1.2.3.4.5", "256.0.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1",
    "::", "::1", "0:0:0:0:0:0:0:1", "2001:db8::1", "2001:0db8:0000:0000:0000:0000:0000:0001",
    "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "fe80::1%eth0", "fe80::1%1", "::ffff:127.0.0.1",
    "::ffff:7f00:1", "::127.0.0.1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "1::", "::1:2:3:4:5:6:7",
    "FFFF::", "[::1]", "::1 ", "1.2.3", "01.02.03.04", "0x7f.0.0.1", "1.2.3.", ".1.2.3",
    "1..2.3", "1.2.3.4 5", "1:2:3:4:5:6:7:8:9", ":::", "1:::2", "::1::", "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4", "ffff::ffff:ffff:ffff:ffff:ffff:ffff", "::fffff", "::g",
    "localhost", "example.com", "1.2.3.4/24", "-1.2.3.4", "+1.2.3.4", "1.2.3.04", "1.2.3.999",
    "4294967295", "1.16777215", "1.2.65535", "1.2.65536", "0", "00000000000000000001.2.3.4",
    "255.255.255.256", "1.2.3.4%eth0", "fe80::%", "fe80::1%", "ff02::1", "::ffff:1.2.3.4",
    "2001:db8:0:0:0:0:2:1", "2001:db8::0:1", "2001:db8:0:1:1:1:1:1", "0:0:0:0:0:0:0:0",
    "1:0:0:0:1:0:0:0", "0:0:1:0:0:0:0:1", "::a.b.c.d", "1.2.3.4\x00", "1\x002.3.4", "010.0.0.1", "0x10.0.0.1", "0X10.0.0.1", "0xg.0.0.1",
    "0x.0.0.1", "08.0.0.1", "1e2.0.0.1", "0xffffffff", "0x100000000", "fe80::1%eth 0", "%eth0", "::ffff:1.2.3",
    "1:2:3:4:5:6:1.2.3", "\x00", "::1%", "1:2:3:4:5:6:7:8%x", "::ffff:1.2.3.4%e", "12345678901",
    "1.2.3.4\u00a0", "\u20001.2.3.4", "\x0b1.2.3.4", "1.2.3.4\x1c", "::1%\u00e9", "::1%a%b", "00x1.2.3.4",
    "1.0x2.3.4", "::FFFF:1.2.3.4", "::0:ffff:1.2.3.4", "1.2.3.+4", "1.2. 3.4", "::1 %eth0", "::1% eth0",
    "::1.2.3.04", "::0x1.2.3.4", "::01.2.3.4", "::2", "::ffff", "::1:0", "::0.0.1.0", "::0.1.0.0", "::1.0.0.0",
    "::ffff:0", "::fffe:1.2.3.4", "::00001", "::0001", "0000::1", "::1.2.3.256", "1::1.2.3.4",
    "1:2:3:4:5::1.2.3.4", ":1::", "1::2:", "::1%eth0%", "1.2.3.4\x00x", "\u0661.2.3.4",
    "２.2.3.4", "1.2.3.4 ", " ::1", "::1\t", "fe80::1%eth0 ", "FE80::A%Eth0",
]

def proto(a):
    p = a.protocol()
    return {QAbstractSocket.IPv4Protocol: "IPv4", QAbstractSocket.IPv6Protocol: "IPv6",
            QAbstractSocket.AnyIPProtocol: "Any"}.get(p, "Unknown")

for s in INPUTS:
    a = QHostAddress()
    ok = a.setAddress(s)
    key = "parse " + s.encode("utf-8").hex()
    if ok:
        print("%s: ok %s %s" % (key, proto(a), a.toString()))
    else:
        print("%s: invalid %s" % (key, a.isNull()))

SPECIAL = {
    "Null": QHostAddress(QHostAddress.Null), "Broadcast": QHostAddress(QHostAddress.Broadcast),
    "LocalHost": QHostAddress(QHostAddress.LocalHost), "LocalHostIPv6": QHostAddress(QHostAddress.LocalHostIPv6),
    "Any": QHostAddress(QHostAddress.Any), "AnyIPv6": QHostAddress(QHostAddress.AnyIPv6),
    "AnyIPv4": QHostAddress(QHostAddress.AnyIPv4),
    "v4zero": QHostAddress("0.0.0.0"), "v6zero": QHostAddress("::"), "v4lo": QHostAddress("127.0.0.1"),
    "mappedlo": QHostAddress("::ffff:127.0.0.1"), "v6lo": QHostAddress("::1"),
    "mappedzero": QHostAddress("::ffff:0.0.0.0"), "bcast": QHostAddress("255.255.255.255"),
    "mappedbcast": QHostAddress("::ffff:255.255.255.255"), "mcast": QHostAddress("224.0.0.1"),
    "mappedmcast": QHostAddress("::ffff:224.0.0.1"), "v6mcast": QHostAddress("ff02::1"),
    "scoped": QHostAddress("fe80::1%eth0"), "unscoped": QHostAddress("fe80::1"),
}
for n, a in SPECIAL.items():
    print("special %s: %s %s null=%s loop=%s mcast=%s bcast=%s" % (n, proto(a), a.toString(), a.isNull(),
          a.isLoopback(), a.isMulticast(), a.isBroadcast()))
for n1, a in SPECIAL.items():
    for n2, b in SPECIAL.items():
        print("equal %s %s: %s" % (n1, n2, a == b))
for n, a in SPECIAL.items():
    for sp in ["Null", "Broadcast", "LocalHost", "LocalHostIPv6", "Any", "AnyIPv6", "AnyIPv4"]:
        print("eqspecial %s %s: %s" % (n, sp, a == getattr(QHostAddress, sp)))

SUBNETS = [("192.168.1.5", "192.168.1.0", 24), ("192.168.2.5", "192.168.1.0", 24), ("10.0.0.1", "0.0.0.0", 0),
           ("::1", "::", 0), ("10.0.0.1", "::", 0), ("2001:db8::1", "2001:db8::", 32), ("2001:db9::1", "2001:db8::", 32),
           ("::ffff:10.0.0.1", "10.0.0.0", 8), ("10.0.0.1", "::ffff:10.0.0.0", 104), ("10.1.2.3", "10.1.2.3", 32),
           ("10.1.2.3", "10.1.2.3", 33), ("10.1.2.3", "10.1.2.3", -1), ("", "0.0.0.0", 0)]
for a, s, n in SUBNETS:
    print("subnet %s|%s|%d: %s" % (a, s, n, QHostAddress(a).isInSubnet(QHostAddress(s), n)))
