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
