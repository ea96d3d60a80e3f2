"""Prints, one per line as "name: value", the QAbstractSocket::SocketError
that real Qt 5 reports for the mistakes transporttest's misuse scenarios
make (or "ok" when Qt accepts them). Loopback only. Run it with a python3
that has PyQt5 (Debian: /usr/bin/python3 + python3-pyqt5)."""
import sys

from PyQt5.QtCore import QCoreApplication
from PyQt5.QtNetwork import QAbstractSocket, QHostAddress, QTcpServer, QTcpSocket, QUdpSocket

app = QCoreApplication(sys.argv)
LOOPBACK = QHostAddress("127.0.0.1")
NAMES = {int(getattr(QAbstractSocket, n)): n for n in dir(QAbstractSocket)
         if n.endswith("Error") and isinstance(getattr(QAbstractSocket, n), int)}


def name(code):
    return NAMES.get(int(code), str(int(code)))


def dial_port_zero():
    s = QTcpSocket()
    s.connectToHost(LOOPBACK, 0)
    if s.waitForConnected(5000):
        return "ok"
    return name(s.error())


def negative_backlog():
    srv = QTcpServer()
    srv.setMaxPendingConnections(-1)
    if not srv.listen(LOOPBACK, 0):
        return name(srv.serverError())
    srv.close()
    return "ok"


def datagram_port_zero():
    u = QUdpSocket()
    if not u.bind(LOOPBACK, 0):
        return "bind " + name(u.error())
    if u.writeDatagram(b"x", LOOPBACK, 0) >= 0:
        return "ok"
    return name(u.error())


for fn in (dial_port_zero, negative_backlog, datagram_port_zero):
    print(f"{fn.__name__}: {fn()}")
