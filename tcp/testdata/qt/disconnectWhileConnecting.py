"""disconnectWhileConnecting: write, then disconnectFromHost while still
Connecting; once connected the socket flushes and closes, and the server
receives exactly the bytes. Argument "nodata" skips the write."""
import sys

from tracelib import (LOCALHOST, Port, QAbstractSocket, QTcpSocket, accept_into, call,
                      do, finish, listen, note, step, wait_until, watch, watch_server)

DATA = b"" if sys.argv[1:] == ["nodata"] else b"Hello, world!"
srv = watch_server("server", listen())
peers, got = [], bytearray()
# The server's socket is taken and watched in the newConnection slot: the
# client may be gone already when the event loop next runs.
accept_into(srv, peers, skip=("readyRead",),
            on_accept=lambda name, p: p.readyRead.connect(lambda: got.extend(bytes(p.readAll()))))
c = QTcpSocket()
watch("client", c)

step("connectToHost, write, disconnectFromHost while Connecting")
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
call("client", c, "state")
if DATA:
    call("client", c, "write", DATA)
    call("client", c, "bytesToWrite")
do("client", c, "disconnectFromHost")
call("client", c, "state")
call("client", c, "bytesToWrite")
wait_until("client and peer unconnected",
           lambda: c.state() == QAbstractSocket.UnconnectedState and peers
           and peers[0].state() == QAbstractSocket.UnconnectedState)
step("peer's bytes")
note("peer", "read total %d equal %s" % (len(got), "true" if bytes(got) == DATA else "false"))
call("client", c, "state")
call("client", c, "error")
finish()
