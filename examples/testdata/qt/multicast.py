#!/usr/bin/env python3
"""A multicast sender and receiver on real Qt 5 (PyQt5), for slotnet's
interop tests; they behave as Qt's multicast example does, with the group,
port and interface as arguments so that a test can keep every datagram on
loopback.

Usage: multicast.py send GROUP PORT TTL IFACE COUNT INTERVAL_MS
         Binds the Any address of GROUP's family (port 0), sets the
         multicast TTL and the outgoing interface IFACE ("-": the system's
         choice), then every INTERVAL_MS writes "Multicast message N" (N
         from 1) to GROUP:PORT and prints "sent: N"; exits 0 after COUNT.
       multicast.py receive GROUP PORT IFACE COUNT
         Binds the Any address of GROUP's family and PORT (0: the system
         picks) with ShareAddress|ReuseAddressHint, joins GROUP on IFACE
         ("-": the system's choice), prints "joined: PORT", then
         "received: TEXT" for each datagram; exits 0 after COUNT.

Either prints "error: TEXT" and exits 1 on a socket error, and gives up
after 20 seconds (exit 1). Run with QT_QPA_PLATFORM=offscreen.
"""
import sys

from PyQt5.QtCore import QCoreApplication, QTimer
from PyQt5.QtNetwork import QAbstractSocket, QHostAddress, QNetworkInterface, QUdpSocket


def interface(name):
    if name == "-":
        return None
    iface = QNetworkInterface.interfaceFromName(name)
    if not iface.isValid():
        sys.exit("no interface " + name)
    return iface


def main():
    mode, group, port = sys.argv[1], QHostAddress(sys.argv[2]), int(sys.argv[3])
    if group.protocol() == QAbstractSocket.IPv4Protocol:
        any_addr = QHostAddress(QHostAddress.AnyIPv4)
    else:
        any_addr = QHostAddress(QHostAddress.AnyIPv6)
    app = QCoreApplication(sys.argv)
    sock = QUdpSocket()

    def fail(text):
        print("error: " + text, flush=True)
        app.exit(1)

    if mode == "send":
        ttl, iface, count, interval = int(sys.argv[4]), interface(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
        if not sock.bind(any_addr, 0):
            sys.exit("bind: " + sock.errorString())
        sock.setSocketOption(QAbstractSocket.MulticastTtlOption, ttl)
        if iface is not None:
            sock.setMulticastInterface(iface)
        state = {"n": 0}
        timer = QTimer()

        def send():
            state["n"] += 1
            data = ("Multicast message %d" % state["n"]).encode()
            if sock.writeDatagram(data, group, port) < 0:
                fail(sock.errorString())
                return
            print("sent: %d" % state["n"], flush=True)
            if state["n"] == count:
                app.exit(0)

        timer.timeout.connect(send)
        timer.start(interval)
    elif mode == "receive":
        iface, count = interface(sys.argv[4]), int(sys.argv[5])
        state = {"n": 0}

        def read():
            while sock.hasPendingDatagrams():
                data, _host, _port = sock.readDatagram(sock.pendingDatagramSize())
                print("received: " + bytes(data).decode(), flush=True)
                state["n"] += 1
                if state["n"] == count:
                    app.exit(0)
                    return

        sock.readyRead.connect(read)
        if not sock.bind(any_addr, port, QAbstractSocket.ShareAddress | QAbstractSocket.ReuseAddressHint):
            sys.exit("bind: " + sock.errorString())
        joined = sock.joinMulticastGroup(group) if iface is None else sock.joinMulticastGroup(group, iface)
        if not joined:
            sys.exit("join: " + sock.errorString())
        print("joined: %d" % sock.localPort(), flush=True)
    else:
        sys.exit("unknown mode " + mode)
    sock.error.connect(lambda _code: fail(sock.errorString()))
    QTimer.singleShot(20000, lambda: fail("timed out after 20s"))
    sys.exit(app.exec_())


if __name__ == "__main__":
    main()
