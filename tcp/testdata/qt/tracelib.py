"""Shared helpers of the QTcpSocket/QTcpServer scenario scripts.

Each scenario script drives real Qt 5 (PyQt5) and prints a trace, one
event per line, that slotnet's tcp tests must reproduce. README.md in this
directory describes the format; in short:

    <actor>.<signal> [arg]        a signal emission
    <actor>.<method>(args) [res]  a call (void calls: printed before the
                                  call; calls with a result: printed when
                                  the call returns)
    # text                        a step marker, ignored by the Go side

Between two markers, lines are grouped by actor (in ACTOR_ORDER, where
client2 ranks with client, then the rest alphabetically), each actor's lines in Qt's order: the order
between two sockets depends on the kernel, the order within one does not.

Behaviour is read from Qt; nothing here is copied from Qt's sources.
"""

import faulthandler
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PyQt5.QtCore import (QCoreApplication, QElapsedTimer, QEventLoop,  # noqa: E402
                          QIODevice, QTimer)
from PyQt5.QtNetwork import (QAbstractSocket, QHostAddress, QTcpServer,  # noqa: E402
                             QTcpSocket)

import qttrace  # noqa: E402  (internal/qtcompat, on PYTHONPATH)

# A hard cap: a stuck script dies (with its Python stack on stderr) and
# exits non-zero, even when blocked inside a Qt call.
faulthandler.dump_traceback_later(8, exit=True)

app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])

LOCALHOST = "127.0.0.1"
ACTOR_ORDER = ["client", "server", "peer"]


def _names(enum_type, cls=QAbstractSocket):
    out = {}
    for n in dir(cls):
        v = getattr(cls, n)
        if isinstance(v, enum_type):
            out[int(v)] = n
    return out


STATE = _names(QAbstractSocket.SocketState)
ERROR = _names(QAbstractSocket.SocketError)
SOCKTYPE = _names(QAbstractSocket.SocketType)


class Port(int):
    """A port number: printed as <port> (it differs per run), 0 as 0."""


def open_mode(m):
    m = int(m)
    if m == 0:
        return "NotOpen"
    parts = []
    rw = m & 3
    if rw:
        parts.append({1: "ReadOnly", 2: "WriteOnly", 3: "ReadWrite"}[rw])
    for bit, name in [(4, "Append"), (8, "Truncate"), (16, "Text"),
                      (32, "Unbuffered"), (64, "NewOnly"), (128, "ExistingOnly")]:
        if m & bit:
            parts.append(name)
    return "|".join(parts)


BIG = 64  # byte strings longer than this print as len=N


def fmt(v):
    """Renders a value the way the traces show it."""
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, QAbstractSocket.SocketState):
        return STATE[int(v)]
    if isinstance(v, QAbstractSocket.SocketError):
        return ERROR[int(v)]
    if isinstance(v, QAbstractSocket.SocketType):
        return SOCKTYPE[int(v)]
    if isinstance(v, QIODevice.OpenMode):
        return open_mode(v)
    if isinstance(v, Port):
        return "<port>" if int(v) != 0 else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (bytes, bytearray)) or type(v).__name__ == "QByteArray":
        b = bytes(v)
        return "len=%d" % len(b) if len(b) > BIG else repr(b)
    if isinstance(v, str):
        return v if v else '""'
    if isinstance(v, QHostAddress):
        return "Null" if v.isNull() else v.toString()
    if isinstance(v, tuple):
        return " ".join(fmt(x) for x in v)
    if isinstance(v, (QTcpSocket, QAbstractSocket)):
        return "socket"
    return str(v)


def fmt_args(args):
    """Arguments as the traces show them: strings bare (hosts), the rest
    as fmt renders a value."""
    return ", ".join(a if isinstance(a, str) and a.isprintable() else fmt(a) for a in args)


# Read-like methods whose Qt return of -1 PyQt5 turns into None.
MINUS_ONE = {"read", "readLine", "peek", "write", "readData"}

_pending = []  # (actor, line) since the last marker
_seq = 0
_done = False


def emit(actor, line):
    """Records one trace line of actor (flushed at the next marker)."""
    if _done:
        return
    _pending.append((actor, "%s.%s" % (actor, line)))


def flush():
    global _pending
    rank = {a: i for i, a in enumerate(ACTOR_ORDER)}
    order = sorted({a for a, _ in _pending},
                   key=lambda a: (rank.get(a.rstrip("0123456789"), len(rank)), a))
    for a in order:
        for b, line in _pending:
            if a == b:
                print(line)
    _pending = []
    sys.stdout.flush()


def step(text):
    """Flushes the lines so far and prints a marker."""
    flush()
    print("# " + text)


def call(actor, obj, method, *args):
    """Calls obj.method(*args) and records its result."""
    r = getattr(obj, method)(*args)
    if r is None and method in MINUS_ONE:
        shown = "-1"
    elif method.endswith("Port") and isinstance(r, int):
        shown = fmt(Port(r))
    elif method == "socketDescriptor":
        # PyQt5 gives a sip.voidptr; -1 comes back as 2**64-1.
        shown = "-1" if int(r) in (-1, 2**64 - 1) else "<fd>"
    elif method == "getChar":
        ok, c = r
        shown = ("true %r" % bytes(c)) if ok else "false"
    else:
        shown = fmt(r)
    emit(actor, "%s(%s) %s" % (method, fmt_args(args), shown))
    return r


def do(actor, obj, method, *args):
    """Records a void call of obj.method(*args), then makes it."""
    emit(actor, "%s(%s)" % (method, fmt_args(args)))
    return getattr(obj, method)(*args)


def note(actor, text):
    """Records a free-form line of actor (e.g. a total)."""
    emit(actor, text)


def watch(actor, sock, skip=(), counts=None):
    """Records every signal of a socket under actor. Signals in skip are
    not recorded; a name in skip whose counter is wanted goes to counts
    (a dict the scenario reads and prints as a total)."""
    def record(name, *a):
        if counts is not None and name in counts:
            counts[name] += 1
        if name in skip:
            return
        emit(actor, name + "".join(" " + fmt(x) for x in a))
    return qttrace.watch(sock, record)


def watch_server(actor, srv):
    srv.newConnection.connect(lambda: emit(actor, "newConnection"))
    srv.acceptError.connect(lambda e: emit(actor, "acceptError " + fmt(e)))
    return srv


def fail(msg):
    flush()
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()
    os._exit(1)


def wait_until(what, cond, timeout_ms=2000):
    """Runs the event loop until cond() holds (checked every 2 ms), then
    flushes; fails the script after timeout_ms."""
    if not cond():
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(2)
        el = QElapsedTimer()
        el.start()

        def check():
            if cond() or el.elapsed() > timeout_ms:
                loop.quit()
        timer.timeout.connect(check)
        timer.start()
        loop.exec_()
        timer.stop()
        if not cond():
            fail("timed out after %d ms waiting for %s" % (timeout_ms, what))


def spin(ms):
    """Runs the event loop for ms milliseconds (for 'nothing happens')."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec_()


def expect(what, ok):
    """Fails the script when a precondition of the scenario does not hold."""
    if not ok:
        fail("unexpected: " + what)


def listen(srv=None, actor="server"):
    """A listening server on 127.0.0.1, port chosen by the system."""
    srv = srv or QTcpServer()
    expect("listen", srv.listen(QHostAddress(LOCALHOST), 0))
    return srv


def refused_port():
    """A loopback port with no listener: listen, note the port, close."""
    s = QTcpServer()
    expect("listen", s.listen(QHostAddress(LOCALHOST), 0))
    p = s.serverPort()
    s.close()
    return Port(p)


def connected_pair(srv, client_actor="client", peer_actor="peer", watch_client=True,
                   watch_peer=True, skip=()):
    """A client connected to srv and the server's socket for it, both
    watched; the connection steps are traced."""
    c = QTcpSocket()
    if watch_client:
        watch(client_actor, c, skip=skip)
    do(client_actor, c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
    wait_until("connected", lambda: c.state() == QAbstractSocket.ConnectedState
               and srv.hasPendingConnections())
    p = srv.nextPendingConnection()
    if watch_peer:
        watch(peer_actor, p, skip=skip)
    return c, p


def finish():
    """Prints what is pending and exits at once: no destructor runs, so
    sockets dying with the interpreter add nothing to the trace."""
    global _done
    flush()
    _done = True
    sys.stdout.flush()
    os._exit(0)


def accept_into(srv, peers, actor="peer", skip=(), on_accept=None):
    """Takes every connection srv reports, in its newConnection slot, and
    watches it at once, so that none of the accepted socket's signals is
    missed however fast the client is. The sockets go to the list peers;
    the first is traced as actor, the next as actor2, actor3, ..."""
    def take():
        while srv.hasPendingConnections():
            p = srv.nextPendingConnection()
            name = actor if not peers else "%s%d" % (actor, len(peers) + 1)
            peers.append(p)
            watch(name, p, skip=skip)
            if on_accept:
                on_accept(name, p)
    srv.newConnection.connect(take)
