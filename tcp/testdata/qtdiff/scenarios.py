# The Qt side of tcp's differential tests: each scenario of Qt's
# QTcpSocket/QTcpServer autotests that tcp/qt_test.go also runs on
# slotnet, printing the same trace: "actor.signal [arg]" for each
# emission, "actor.call() result" for values. Run:
#   PYTHONPATH=internal/qtcompat QT_QPA_PLATFORM=offscreen \
#     /usr/bin/python3 tcp/testdata/qtdiff/scenarios.py <scenario>
# Loopback only; every wait bounded.
import json
import sys

from PyQt5.QtCore import QCoreApplication, qInstallMessageHandler
from PyQt5.QtNetwork import QAbstractSocket, QHostAddress, QTcpServer, QTcpSocket

import qttrace  # internal/qtcompat, on PYTHONPATH
from qttrace import ERRORS, STATES, out, spin, until

app = QCoreApplication(sys.argv)
S = QAbstractSocket
MODES = {0: "NotOpen", 1: "ReadOnly", 2: "WriteOnly", 3: "ReadWrite"}
LOCAL = QHostAddress("127.0.0.1")
keep = []


def watch(s, n):
    keep.append(s)
    return qttrace.watch(s, lambda name, *a: out(n + "." + name, *qttrace.socket_args(name, a)))


def props(s, n):
    out("%s.props state=%s error=%s errorString=%s peerName=%s peer=%s local=%s valid=%s open=%s avail=%d toWrite=%d" % (
        n, STATES[s.state()], ERRORS[int(s.error())], json.dumps(s.errorString()),
        "set" if s.peerName() else "empty", str(s.peerPort() != 0).lower(), str(s.localPort() != 0).lower(),
        str(s.isValid()).lower(), MODES.get(int(s.openMode()), str(int(s.openMode()))),
        s.bytesAvailable(), s.bytesToWrite()))


def server():
    srv = QTcpServer()
    keep.append(srv)
    assert srv.listen(LOCAL, 0)
    return srv


def peer(srv, n="peer"):
    until(srv.hasPendingConnections)
    return watch(srv.nextPendingConnection(), n)


def refused_port():
    s = QTcpServer()
    s.listen(LOCAL, 0)
    p = s.serverPort()
    s.close()
    return p


def connectionRefused():
    c = watch(QTcpSocket(), "client")
    c.connectToHost("127.0.0.1", refused_port())
    until(lambda: c.state() == S.UnconnectedState)
    props(c, "client")


def hostNotFound():
    c = watch(QTcpSocket(), "client")
    c.connectToHost("nosuchhost.invalid", 80)
    until(lambda: c.state() == S.UnconnectedState)
    props(c, "client")


def remoteCloseError():
    srv = server()
    c = watch(QTcpSocket(), "client")
    c.connectToHost("localhost", srv.serverPort())
    p = peer(srv)
    until(lambda: c.state() == S.ConnectedState)
    c.errorOccurred.connect(lambda e: out("client.state()", STATES[c.state()]))
    p.write(b"abc")
    until(lambda: c.bytesAvailable() == 3 and p.bytesToWrite() == 0)
    p.disconnectFromHost()
    until(lambda: c.state() == S.UnconnectedState)
    props(c, "client")
    out("client.readAll()", bytes(c.readAll()).decode())
    c.connectToHost("localhost", srv.serverPort())
    until(lambda: c.state() == S.ConnectedState)


def abortiveClose():
    srv = server()
    c = watch(QTcpSocket(), "client")
    c.connectToHost("127.0.0.1", srv.serverPort())
    p = peer(srv)
    until(lambda: c.state() == S.ConnectedState)
    c.write(b"abc")
    c.abort()
    props(c, "client")
    until(lambda: p.state() == S.UnconnectedState)


def delayedClose():
    srv = server()
    c = watch(QTcpSocket(), "client")
    c.connectToHost("127.0.0.1", srv.serverPort())
    p = peer(srv)
    until(lambda: c.state() == S.ConnectedState)
    c.write(b"\0" * 100000)
    c.disconnectFromHost()
    out("client.state()", STATES[c.state()])
    out("client.bytesToWrite()", c.bytesToWrite())
    until(lambda: p.state() == S.UnconnectedState)
    out("peer.bytesAvailable()", p.bytesAvailable())


def close():
    srv = server()
    c = watch(QTcpSocket(), "client")
    c.connectToHost("127.0.0.1", srv.serverPort())
    p = peer(srv)
    until(lambda: c.state() == S.ConnectedState)
    c.write(b"abc")
    c.close()
    out("client.state()", STATES[c.state()])
    out("client.bytesToWrite()", c.bytesToWrite())
    until(lambda: p.state() == S.UnconnectedState)
    props(c, "client")
    out("peer.readAll()", bytes(p.readAll()).decode())


def disconnectWhileConnecting():
    srv = server()
    c = watch(QTcpSocket(), "client")
    c.connectToHost("127.0.0.1", srv.serverPort())
    out("client.write()", c.write(b"hello"))
    c.disconnectFromHost()
    out("client.state()", STATES[c.state()])
    out("client.bytesToWrite()", c.bytesToWrite())
    until(srv.hasPendingConnections)
    p = srv.nextPendingConnection()
    keep.append(p)
    got = []
    until(lambda: got.append(bytes(p.readAll())) or p.state() == S.UnconnectedState)
    got.append(bytes(p.readAll()))
    out("peer.received", b"".join(got).decode())


def abortWhileConnecting():
    srv = server()
    c = watch(QTcpSocket(), "client")
    c.connectToHost("127.0.0.1", srv.serverPort())
    c.abort()
    props(c, "client")


def connectWhileConnecting():
    srv = server()
    c = watch(QTcpSocket(), "client")
    c.connectToHost("127.0.0.1", srv.serverPort())
    c.connectToHost("127.0.0.1", srv.serverPort())
    out("client.state()", STATES[c.state()])
    out("client.errorString()", c.errorString())
    until(lambda: c.state() == S.ConnectedState)


def bindThenConnect():
    srv = server()
    c = watch(QTcpSocket(), "client")
    out("client.bind()", str(c.bind(LOCAL, 0)).lower())
    props(c, "client")
    c.connectToHost("127.0.0.1", srv.serverPort())
    until(lambda: c.state() == S.ConnectedState)


def dontCloseOnTimeout():
    srv = server()
    c = watch(QTcpSocket(), "client")
    c.connectToHost("127.0.0.1", srv.serverPort())
    c.waitForConnected(10000)
    out("client.waitForReadyRead()", str(c.waitForReadyRead(100)).lower())
    props(c, "client")


def openCloseOpenClose():
    srv = server()
    c = watch(QTcpSocket(), "client")
    for _ in range(2):
        c.connectToHost("127.0.0.1", srv.serverPort())
        c.waitForConnected(10000)
        c.close()
        props(c, "client")


def readyReadSignalsAfterWaitForReadyRead():
    srv = server()
    c = QTcpSocket()
    keep.append(c)
    c.connectToHost("127.0.0.1", srv.serverPort())
    c.waitForConnected(10000)
    p = peer(srv, "peer")
    n = [0]
    c.readyRead.connect(lambda: n.__setitem__(0, n[0] + 1))
    p.write(b"abc")
    p.waitForBytesWritten(10000)
    out("client.waitForReadyRead()", str(c.waitForReadyRead(10000)).lower())
    out("client.readyReadCount", n[0])
    out("client.bytesAvailable()", c.bytesAvailable())
    spin(200)
    out("client.readyReadCount", n[0])


def increaseReadBufferSize():
    srv = server()
    c = QTcpSocket()
    keep.append(c)
    c.connectToHost("127.0.0.1", srv.serverPort())
    until(lambda: c.state() == S.ConnectedState)
    p = peer(srv, "p")
    c.setReadBufferSize(256)
    p.write(b"a" * 512)
    until(lambda: c.bytesAvailable() == 256)
    spin(100)
    out("client.bytesAvailable()", c.bytesAvailable())
    c.setReadBufferSize(384)
    until(lambda: c.bytesAvailable() == 384)
    spin(100)
    out("client.bytesAvailable()", c.bytesAvailable())
    c.setReadBufferSize(1024)
    until(lambda: c.bytesAvailable() == 512)
    out("client.bytesAvailable()", c.bytesAvailable())
    c.readAll()
    c.setReadBufferSize(256)
    p.write(b"b" * 512)
    until(lambda: c.bytesAvailable() == 256)
    spin(100)
    out("client.bytesAvailable()", c.bytesAvailable())
    c.setReadBufferSize(0)
    until(lambda: c.bytesAvailable() == 512)
    out("client.bytesAvailable()", c.bytesAvailable())


def readTransaction():
    """QIODevice's read transactions on a connected socket; a call Qt
    refuses (it warns) is traced "refused", one it takes "ok"."""
    srv = server()
    c = QTcpSocket()
    keep.append(c)
    c.connectToHost("127.0.0.1", srv.serverPort())
    until(lambda: c.state() == S.ConnectedState)
    p = peer(srv, "p")
    warned = []
    qInstallMessageHandler(lambda _mode, _ctx, msg: warned.append(msg))
    q = lambda b: json.dumps(bytes(b).decode())
    tf = lambda v: str(v).lower()

    def val(call, v):
        out("client." + call, v)

    def act(call, fn, *a):
        del warned[:]
        fn(*a)
        val(call, "refused" if warned else "ok")

    p.write(b"abc\ndef")
    until(lambda: c.bytesAvailable() == 7 and p.bytesToWrite() == 0)
    val("isTransactionStarted()", tf(c.isTransactionStarted()))
    act("startTransaction()", c.startTransaction)
    val("isTransactionStarted()", tf(c.isTransactionStarted()))
    val("read(2)", q(c.read(2)))
    val("bytesAvailable()", c.bytesAvailable())
    val("canReadLine()", tf(c.canReadLine()))
    val("peek(10)", q(c.peek(10)))
    val("getChar()", q(c.getChar()[1]))
    val("readLine()", q(c.readLine()))
    val("canReadLine()", tf(c.canReadLine()))
    val("atEnd()", tf(c.atEnd()))
    act("rollbackTransaction()", c.rollbackTransaction)
    val("isTransactionStarted()", tf(c.isTransactionStarted()))
    val("bytesAvailable()", c.bytesAvailable())
    val("read(2)", q(c.read(2)))
    act("startTransaction()", c.startTransaction)
    act("startTransaction()", c.startTransaction)
    val("readAll()", q(c.readAll()))
    val("bytesAvailable()", c.bytesAvailable())
    val("read(1)", q(c.read(1)))
    act("commitTransaction()", c.commitTransaction)
    val("isTransactionStarted()", tf(c.isTransactionStarted()))
    val("bytesAvailable()", c.bytesAvailable())
    act("commitTransaction()", c.commitTransaction)
    act("rollbackTransaction()", c.rollbackTransaction)

    act("startTransaction()", c.startTransaction)
    p.write(b"ghi")
    until(lambda: c.bytesAvailable() == 3 and p.bytesToWrite() == 0)
    val("read(1)", q(c.read(1)))
    p.write(b"jk")
    until(lambda: c.bytesAvailable() == 4 and p.bytesToWrite() == 0)
    val("bytesAvailable()", c.bytesAvailable())
    act("rollbackTransaction()", c.rollbackTransaction)
    val("bytesAvailable()", c.bytesAvailable())

    act("startTransaction()", c.startTransaction)
    val("getChar()", q(c.getChar()[1]))
    act('ungetChar("g")', c.ungetChar, b"g")
    val("bytesAvailable()", c.bytesAvailable())
    act("rollbackTransaction()", c.rollbackTransaction)
    val("bytesAvailable()", c.bytesAvailable())
    val("peek(10)", q(c.peek(10)))
    act('ungetChar("X")', c.ungetChar, b"X")
    val("bytesAvailable()", c.bytesAvailable())
    val("read(2)", q(c.read(2)))

    act("startTransaction()", c.startTransaction)
    val("read(1)", q(c.read(1)))
    c.close()
    val("isTransactionStarted()", tf(c.isTransactionStarted()))
    val("bytesAvailable()", c.bytesAvailable())
    qInstallMessageHandler(None)
    until(lambda: p.state() == S.UnconnectedState)

if __name__ == "__main__":
    globals()[sys.argv[1]]()
    for o in keep:  # the end: what the interpreter's exit destroys is not part of it
        o.blockSignals(True)
