#!/usr/bin/env python3
"""A fortune client on real Qt 5 (PyQt5), for slotnet's interop tests.

Usage: fortune_client.py HOST PORT FRAMING
  FRAMING  qt57: the bare QString, read in a QDataStream transaction that
           is retried on each readyRead until the string is complete;
           qt56: a quint16 byte count, then that many bytes.

Connects, prints "fortune: TEXT" once a whole fortune has arrived and exits
0; on a socket error prints "error: TEXT" and exits 1; gives up after 10
seconds (exit 1). Run with QT_QPA_PLATFORM=offscreen.
"""
import sys

from PyQt5.QtCore import QCoreApplication, QDataStream, QTimer
from PyQt5.QtNetwork import QAbstractSocket, QTcpSocket


def main():
    host, port, framing = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if framing not in ("qt56", "qt57"):
        sys.exit("unknown framing " + framing)
    app = QCoreApplication(sys.argv)
    sock = QTcpSocket()
    stream = QDataStream(sock)
    stream.setVersion(QDataStream.Qt_4_0 if framing == "qt56" else QDataStream.Qt_5_10)
    state = {"size": -1, "done": False}

    def finish(line, code):
        if not state["done"]:
            state["done"] = True
            print(line, flush=True)
            app.exit(code)

    def read_qt57():
        stream.startTransaction()
        text = stream.readQString()
        if stream.commitTransaction():
            finish("fortune: " + text, 0)

    def read_qt56():
        if state["size"] < 0:
            if sock.bytesAvailable() < 2:
                return
            state["size"] = stream.readUInt16()
        if sock.bytesAvailable() < state["size"]:
            return
        finish("fortune: " + stream.readQString(), 0)

    def on_error(code):
        if code == QAbstractSocket.RemoteHostClosedError and state["done"]:
            return
        finish("error: " + sock.errorString(), 1)

    sock.readyRead.connect(read_qt56 if framing == "qt56" else read_qt57)
    sock.error.connect(on_error)
    sock.connectToHost(host, port)
    QTimer.singleShot(10000, lambda: finish("error: no fortune after 10s", 1))
    sys.exit(app.exec_())


if __name__ == "__main__":
    main()
