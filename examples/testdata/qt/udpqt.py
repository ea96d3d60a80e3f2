"""What the broadcast and multicast interop programs (broadcast.py,
multicast.py) share: a numbered sender on a timer, a receiver that prints
each datagram, and the run that reports socket errors and gives up after
20 seconds. Each prints one line per event, flushed, for the Go test.
"""
import sys

from PyQt5.QtCore import QCoreApplication, QTimer


class Program:
    def __init__(self, sock):
        self.app = QCoreApplication(sys.argv)
        self.sock = sock
        self.n = 0
        self.timer = None

    def fail(self, text):
        print("error: " + text, flush=True)
        self.app.exit(1)

    def send_every(self, interval, fmt, dest, port, count):
        """Every interval ms write fmt % N (N from 1) to dest:port and
        print "sent: N"; exit 0 after count."""

        def send():
            self.n += 1
            if self.sock.writeDatagram((fmt % self.n).encode(), dest, port) < 0:
                self.fail(self.sock.errorString())
                return
            print("sent: %d" % self.n, flush=True)
            if self.n == count:
                self.app.exit(0)

        self.timer = QTimer()
        self.timer.timeout.connect(send)
        self.timer.start(interval)

    def receive(self, count):
        """Print "received: TEXT" for each datagram; exit 0 after count."""

        def read():
            while self.sock.hasPendingDatagrams():
                data, _host, _port = self.sock.readDatagram(self.sock.pendingDatagramSize())
                print("received: " + bytes(data).decode(), flush=True)
                self.n += 1
                if self.n == count:
                    self.app.exit(0)
                    return

        self.sock.readyRead.connect(read)

    def run(self):
        self.sock.error.connect(lambda _code: self.fail(self.sock.errorString()))
        QTimer.singleShot(20000, lambda: self.fail("timed out after 20s"))
        sys.exit(self.app.exec_())
