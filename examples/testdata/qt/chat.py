#!/usr/bin/env python3
"""The line chat of examples/chat on real Qt 5 (PyQt5), server and client,
for slotnet's interop tests. The protocol: lines of UTF-8 text, each ended
by "\\n"; the server answers each line with one line, by the rules of
examples/chat's Local responder.

Usage: chat.py server COUNT
         Listens on 127.0.0.1, a port the system picks, and prints
         "port: N"; then "connect: ADDR:PORT" for each client, "got: TEXT"
         for each line and "disconnect: ADDR:PORT"; exits 0 once COUNT
         clients have disconnected.
       chat.py client HOST PORT MESSAGE...
         Connects, prints "connected", writes every MESSAGE as a line at
         once, prints "reply: TEXT" for each line the server sends and,
         once every message has its reply, disconnects and exits 0.

Either prints "error: TEXT" and exits 1 on a socket error (the client
also when the server goes away early), and gives up after 20 seconds
(exit 1). Run with QT_QPA_PLATFORM=offscreen.
"""
import sys
import time

from PyQt5.QtCore import QCoreApplication, QTimer
from PyQt5.QtNetwork import QAbstractSocket, QHostAddress, QTcpServer, QTcpSocket

MAX_LINE = 4096


def respond(msg):
    m = msg.strip().lower()
    if m == "":
        return "Say something."
    if m in ("hello", "hi"):
        return "Hello! Ask me the time, or say bye."
    if "time" in m:
        return "It is " + time.strftime("%H:%M:%S") + "."
    if m == "bye":
        return "Bye."
    return "You said: " + msg.strip()


def text(line):
    return bytes(line).decode("utf-8").rstrip("\r\n")


def main():
    mode = sys.argv[1]
    app = QCoreApplication(sys.argv)

    def fail(msg):
        print("error: " + msg, flush=True)
        app.exit(1)

    if mode == "server":
        count = int(sys.argv[2])
        server = QTcpServer()
        state = {"done": 0}

        def on_new_connection():
            while server.hasPendingConnections():
                sock = server.nextPendingConnection()
                peer = "%s:%d" % (sock.peerAddress().toString(), sock.peerPort())
                print("connect: " + peer, flush=True)

                def on_ready_read(sock=sock):
                    while sock.canReadLine():
                        msg = text(sock.readLine())
                        print("got: " + msg, flush=True)
                        sock.write((respond(msg) + "\n").encode("utf-8"))
                    if sock.bytesAvailable() > MAX_LINE:
                        sock.abort()

                def on_disconnected(sock=sock, peer=peer):
                    print("disconnect: " + peer, flush=True)
                    sock.deleteLater()
                    state["done"] += 1
                    if state["done"] == count:
                        app.exit(0)

                sock.readyRead.connect(on_ready_read)
                sock.disconnected.connect(on_disconnected)

        server.newConnection.connect(on_new_connection)
        if not server.listen(QHostAddress(QHostAddress.LocalHost), 0):
            sys.exit("listen: " + server.errorString())
        print("port: %d" % server.serverPort(), flush=True)
    elif mode == "client":
        host, port, messages = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
        sock = QTcpSocket()
        state = {"replies": 0, "closing": False}

        def on_connected():
            print("connected", flush=True)
            for m in messages:
                sock.write((m + "\n").encode("utf-8"))
            if not messages:
                state["closing"] = True
                sock.disconnectFromHost()

        def on_ready_read():
            while sock.canReadLine():
                print("reply: " + text(sock.readLine()), flush=True)
                state["replies"] += 1
                if state["replies"] == len(messages):
                    state["closing"] = True
                    sock.disconnectFromHost()

        def on_disconnected():
            if state["closing"]:
                app.exit(0)
            else:
                fail("the server went away after %d replies" % state["replies"])

        def on_error(code):
            if code == QAbstractSocket.RemoteHostClosedError:
                return  # disconnected says whether that was expected
            fail(sock.errorString())

        sock.connected.connect(on_connected)
        sock.readyRead.connect(on_ready_read)
        sock.disconnected.connect(on_disconnected)
        sock.error.connect(on_error)
        sock.connectToHost(host, port)
    else:
        sys.exit("unknown mode " + mode)
    QTimer.singleShot(20000, lambda: fail("timed out after 20s"))
    sys.exit(app.exec_())


if __name__ == "__main__":
    main()
