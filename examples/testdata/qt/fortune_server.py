#!/usr/bin/env python3
"""A fortune server on real Qt 5 (PyQt5), for slotnet's interop tests.

Usage: fortune_server.py FRAMING COUNT
  FRAMING  qt57 (the bare QString) or qt56 (a quint16 byte count first)
  COUNT    connections to serve before exiting

Listens on 127.0.0.1, a port the system picks, and prints "port: N"; then
for each connection writes the next of its fortunes in turn, prints
"sent: FORTUNE", and closes the connection. Exits 0 once COUNT connections
have disconnected, 1 if that takes more than 20 seconds.
Run with QT_QPA_PLATFORM=offscreen.
"""
import sys

from PyQt5.QtCore import QByteArray, QCoreApplication, QDataStream, QIODevice, QTimer
from PyQt5.QtNetwork import QHostAddress, QTcpServer

# slotnet's test sayings, one of them beyond ASCII and the BMP.
FORTUNES = [
    "Qt wrote this one, in UTF-16.",
    "Straße, café, 日本語 and a fortune cookie 🥠 travel as surrogate pairs.",
    "",
    "The last fortune of the Qt server.",
]


def frame(framing, text):
    block = QByteArray()
    out = QDataStream(block, QIODevice.WriteOnly)
    if framing == "qt56":
        out.setVersion(QDataStream.Qt_4_0)
        out.writeUInt16(0)
        out.writeQString(text)
        out.device().seek(0)
        out.writeUInt16(block.size() - 2)
    else:
        out.setVersion(QDataStream.Qt_5_10)
        out.writeQString(text)
    return block


def main():
    framing, count = sys.argv[1], int(sys.argv[2])
    if framing not in ("qt56", "qt57"):
        sys.exit("unknown framing " + framing)
    app = QCoreApplication(sys.argv)
    server = QTcpServer()
    state = {"next": 0, "done": 0}

    def on_new_connection():
        while server.hasPendingConnections():
            sock = server.nextPendingConnection()
            text = FORTUNES[state["next"] % len(FORTUNES)]
            state["next"] += 1

            def on_disconnected(sock=sock):
                sock.deleteLater()
                state["done"] += 1
                if state["done"] == count:
                    app.exit(0)

            sock.disconnected.connect(on_disconnected)
            sock.write(frame(framing, text))
            print("sent: " + text, flush=True)
            sock.disconnectFromHost()

    server.newConnection.connect(on_new_connection)
    if not server.listen(QHostAddress(QHostAddress.LocalHost), 0):
        sys.exit("listen: " + server.errorString())
    print("port: %d" % server.serverPort(), flush=True)
    QTimer.singleShot(20000, lambda: app.exit(1))
    sys.exit(app.exec_())


if __name__ == "__main__":
    main()
