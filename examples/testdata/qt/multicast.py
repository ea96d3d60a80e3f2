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

from PyQt5.QtNetwork import QAbstractSocket, QHostAddress, QNetworkInterface, QUdpSocket

from udpqt import Program


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
    sock = QUdpSocket()
    prog = Program(sock)
    if mode == "send":
        ttl, iface, count, interval = int(sys.argv[4]), interface(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
        if not sock.bind(any_addr, 0):
            sys.exit("bind: " + sock.errorString())
        sock.setSocketOption(QAbstractSocket.MulticastTtlOption, ttl)
        if iface is not None:
            sock.setMulticastInterface(iface)
        prog.send_every(interval, "Multicast message %d", group, port, count)
    elif mode == "receive":
        iface, count = interface(sys.argv[4]), int(sys.argv[5])
        prog.receive(count)
        if not sock.bind(any_addr, port, QAbstractSocket.ShareAddress | QAbstractSocket.ReuseAddressHint):
            sys.exit("bind: " + sock.errorString())
        joined = sock.joinMulticastGroup(group) if iface is None else sock.joinMulticastGroup(group, iface)
        if not joined:
            sys.exit("join: " + sock.errorString())
        print("joined: %d" % sock.localPort(), flush=True)
    else:
        sys.exit("unknown mode " + mode)
    prog.run()


if __name__ == "__main__":
    main()
