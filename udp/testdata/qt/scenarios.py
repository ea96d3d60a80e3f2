# The Qt side of udp's differential tests: scenarios of Qt's QUdpSocket
# autotests that udp/qt_test.go also runs on slotnet, printing the same
# trace ("actor.signal [arg]", "actor.call() value").
#   PYTHONPATH=internal/qtcompat QT_QPA_PLATFORM=offscreen \
#     /usr/bin/python3 udp/testdata/qt/scenarios.py <scenario>
# Loopback only; every wait bounded.
import sys

from PyQt5.QtCore import QCoreApplication
from PyQt5.QtNetwork import QAbstractSocket, QHostAddress, QUdpSocket

import qttrace  # internal/qtcompat, on PYTHONPATH
from qttrace import ERRORS, STATES, out, spin, until

app = QCoreApplication(sys.argv)
S = QAbstractSocket
L = QHostAddress("127.0.0.1")
keep = []
ready = {}  # actor -> readyRead count: the scripts wait for the signal, as
            # slotnet's pending datagrams are the loop's view (docs/sockets.md)


def watch(s, n):
    keep.append(s)

    def record(name, *a):
        if name == "readyRead":
            a = (s.pendingDatagramSize(),)
            ready[n] = ready.get(n, 0) + 1
        out(n + "." + name, *qttrace.socket_args(name, a))
    return qttrace.watch(s, record)


def tf(b):
    return str(bool(b)).lower()


def unconnectedServerAndClient():
    srv = watch(QUdpSocket(), "server")
    out("server.hasPendingDatagrams()", tf(srv.hasPendingDatagrams()))
    out("server.pendingDatagramSize()", srv.pendingDatagramSize())
    out("server.bind()", tf(srv.bind(L, 0)))
    out("server.state()", STATES[srv.state()])
    out("server.bind()", tf(srv.bind(L, 0)))
    c = watch(QUdpSocket(), "client")
    out("client.writeDatagram()", c.writeDatagram(b"Almond!", L, srv.localPort()))
    out("client.state()", STATES[c.state()])
    until(lambda: ready.get("server"))
    d = srv.receiveDatagram()
    out("server.received", bytes(d.data()).decode(), "fromClientPort", tf(d.senderPort() == c.localPort()),
        "toServerPort", tf(d.destinationPort() == srv.localPort()), "hop", d.hopLimit())


def readyReadRule():
    srv = watch(QUdpSocket(), "server")
    srv.bind(L, 0)
    c = QUdpSocket()
    keep.append(c)
    for p in [b"A", b"AB", b"A\0B", b"", b"@" * 600]:
        c.writeDatagram(p, L, srv.localPort())
    until(srv.hasPendingDatagrams)
    spin(100)
    data = srv.readDatagram(1)[0]
    out("server.readDatagram(1)", len(data))
    for i in range(4):
        until(srv.hasPendingDatagrams)
        spin(20)
        out("server.readDatagram()", len(srv.readDatagram(1000)[0]))
    spin(50)
    out("server.pendingDatagramSize()", srv.pendingDatagramSize())
    out("server.readDatagram()", srv.readDatagram(10)[0])
    out("server.errorString()", srv.errorString())


def writeDatagram():
    srv = QUdpSocket()
    keep.append(srv)
    srv.bind(L, 0)
    c = watch(QUdpSocket(), "client")
    c.bind(L, 0)
    i = 0
    while True:
        n = c.writeDatagram(b"\0" * (i * 1024), L, srv.localPort())
        if n < 0:
            break
        i += 1
    out("client.firstFailure", i)
    out("client.errorString()", c.errorString())
    out("client.writeDatagram()", c.writeDatagram(b"", L, srv.localPort()))


def bindMode():
    a = QUdpSocket()
    keep.append(a)
    out("a.bind()", tf(a.bind(L, 0)))
    for mode, name in [(QUdpSocket.DefaultForPlatform, "default"), (QUdpSocket.ReuseAddressHint, "reuse")]:
        b = QUdpSocket()
        keep.append(b)
        out("b.bind(%s)" % name, tf(b.bind(L, a.localPort(), mode)), ERRORS[int(b.error())])
    c = QUdpSocket()
    keep.append(c)
    out("c.bind(share)", tf(c.bind(L, 0, QUdpSocket.ShareAddress)))
    d = QUdpSocket()
    keep.append(d)
    out("d.bind(share)", tf(d.bind(L, c.localPort(), QUdpSocket.ShareAddress)))


def connectedMode():
    srv = QUdpSocket()
    keep.append(srv)
    srv.bind(L, 0)
    v = watch(QUdpSocket(), "v")
    v.connectToHost("127.0.0.1", srv.localPort())
    out("v.openMode()", int(v.openMode()))
    out("v.write()", v.write(b"hi"))
    until(srv.hasPendingDatagrams)
    d = srv.receiveDatagram()
    out("server.received", bytes(d.data()).decode())
    srv.writeDatagram(b"back", L, d.senderPort())
    until(lambda: ready.get("v"))
    out("v.bytesAvailable()", v.bytesAvailable())
    out("v.read()", bytes(v.read(100)).decode())


def multicastRefusals():
    s = watch(QUdpSocket(), "s")
    out("s.join(unbound)", tf(s.joinMulticastGroup(QHostAddress("239.255.43.21"))), ERRORS[int(s.error())])
    s.bind(QHostAddress.Any, 0, QUdpSocket.ShareAddress)
    out("s.join(v4 on Any)", tf(s.joinMulticastGroup(QHostAddress("239.255.43.21"))), ERRORS[int(s.error())])
    out("s.join(unicast)", tf(s.joinMulticastGroup(QHostAddress("10.1.2.3"))), ERRORS[int(s.error())])
    s.close()
    out("s.leave(closed)", tf(s.leaveMulticastGroup(QHostAddress("239.255.43.21"))), ERRORS[int(s.error())])


if __name__ == "__main__":
    globals()[sys.argv[1]]()
    for o in keep:
        o.blockSignals(True)
