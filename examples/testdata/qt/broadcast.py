#!/usr/bin/env python3
"""A broadcast sender and receiver on real Qt 5 (PyQt5), for slotnet's
interop tests; they behave as Qt's broadcast example does, with the
addresses as arguments so that a test can keep every datagram on loopback.

Usage: broadcast.py send BIND ADDRESS PORT COUNT INTERVAL_MS
         Binds BIND (port 0; "none" leaves binding to the first write),
         then every INTERVAL_MS writes "Broadcast message N" (N from 1) to
         ADDRESS:PORT and prints "sent: N"; exits 0 after COUNT messages.
       broadcast.py receive BIND PORT COUNT
         Binds BIND ("any": QHostAddress::Any, as Qt's receiver does) and
         PORT (0: the system picks) with ShareAddress, prints "bound: PORT",
         then "received: TEXT" for each datagram; exits 0 after COUNT.

Either prints "error: TEXT" and exits 1 on a socket error, and gives up
after 20 seconds (exit 1). Run with QT_QPA_PLATFORM=offscreen.
"""
import sys

from PyQt5.QtNetwork import QAbstractSocket, QHostAddress, QUdpSocket

from udpqt import Program


def address(text):
    if text == "any":
        return QHostAddress(QHostAddress.Any)
    return QHostAddress(text)


def main():
    mode = sys.argv[1]
    sock = QUdpSocket()
    prog = Program(sock)
    if mode == "send":
        bind, dest, port, count, interval = sys.argv[2], QHostAddress(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        if bind != "none" and not sock.bind(address(bind), 0):
            sys.exit("bind: " + sock.errorString())
        prog.send_every(interval, "Broadcast message %d", dest, port, count)
    elif mode == "receive":
        bind, port, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        prog.receive(count)
        if not sock.bind(address(bind), port, QAbstractSocket.ShareAddress):
            sys.exit("bind: " + sock.errorString())
        print("bound: %d" % sock.localPort(), flush=True)
    else:
        sys.exit("unknown mode " + mode)
    prog.run()


if __name__ == "__main__":
    main()
