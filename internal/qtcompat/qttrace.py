"""The helper slotnet's real-Qt trace scripts share (tcp/testdata/qt,
tcp/testdata/qtdiff, udp/testdata/qt): watch() connects every signal of a
socket to one recording function, which each script formats its own way.

The Go side (internal/qtcompat) puts this directory on PYTHONPATH; to run
a script by hand, do the same:

    PYTHONPATH=internal/qtcompat QT_QPA_PLATFORM=offscreen /usr/bin/python3 <script> ...

Behaviour is read from Qt; nothing here is copied from Qt's sources.
"""

# The signals of a QAbstractSocket (QTcpSocket, QUdpSocket) a trace
# records, in the order they are connected.
SOCKET_SIGNALS = ("hostFound", "connected", "disconnected", "stateChanged",
                  "errorOccurred", "readyRead", "bytesWritten", "aboutToClose",
                  "readChannelFinished")


def watch(sock, record, signals=SOCKET_SIGNALS):
    """Connects each signal of sock named in signals to record(name, *args),
    args being the signal's arguments (e.g. the new state), and returns
    sock."""
    def slot_for(name):
        def slot(*args):
            record(name, *args)
        return slot
    for name in signals:
        getattr(sock, name).connect(slot_for(name))
    return sock


# What the differential scenario scripts (tcp/testdata/qtdiff,
# udp/testdata/qt) share besides watch(): Qt's names for socket states
# and errors, a flushed print, and bounded waits that run the event loop.
from PyQt5.QtCore import QCoreApplication, QElapsedTimer, QEventLoop  # noqa: E402
from PyQt5.QtNetwork import QAbstractSocket as _S  # noqa: E402

STATES = {_S.UnconnectedState: "UnconnectedState", _S.HostLookupState: "HostLookupState",
          _S.ConnectingState: "ConnectingState", _S.ConnectedState: "ConnectedState",
          _S.BoundState: "BoundState", _S.ListeningState: "ListeningState", _S.ClosingState: "ClosingState"}
ERRORS = {int(getattr(_S, k)): k for k in dir(_S) if isinstance(getattr(_S, k), _S.SocketError)}


def socket_args(name, args):
    """Returns a socket signal's arguments as a trace prints them: a state
    or error by Qt's name, anything else as it is."""
    if name == "stateChanged":
        return (STATES[args[0]],)
    if name == "errorOccurred":
        return (ERRORS[int(args[0])],)
    return args


def out(*a):
    print(*a, flush=True)


def until(cond, ms=10000):
    """Runs the event loop until cond() holds; exits the script after ms."""
    t = QElapsedTimer()
    t.start()
    while not cond():
        if t.elapsed() > ms:
            raise SystemExit("timed out")
        QCoreApplication.processEvents(QEventLoop.AllEvents, 20)


def spin(ms):
    """Runs the event loop for ms milliseconds."""
    t = QElapsedTimer()
    t.start()
    while t.elapsed() < ms:
        QCoreApplication.processEvents(QEventLoop.AllEvents, 20)
