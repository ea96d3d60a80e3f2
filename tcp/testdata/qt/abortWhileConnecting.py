"""abortWhileConnecting: abort() right after connectToHost (state
Connecting), and while HostLookup (by name): Unconnected at once, no
error, no errorOccurred, no disconnected."""
from tracelib import (LOCALHOST, Port, QTcpSocket, call, do, finish,
                      listen, spin, step, watch)

srv = listen()
step("abort while Connecting")
c = QTcpSocket()
watch("client", c)
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
call("client", c, "state")
do("client", c, "abort")
for m in ["state", "error", "errorString", "isOpen", "openMode", "peerName", "bytesToWrite"]:
    call("client", c, m)
step("nothing follows (50 ms)")
spin(50)
call("client", c, "state")

step("abort while HostLookup (localhost by name), a write pending")
c2 = QTcpSocket()
watch("client2", c2)
do("client2", c2, "connectToHost", "localhost", Port(srv.serverPort()))
call("client2", c2, "state")
call("client2", c2, "write", b"lost")
do("client2", c2, "abort")
for m in ["state", "error", "isOpen", "bytesToWrite"]:
    call("client2", c2, m)
step("nothing follows (50 ms)")
spin(50)
call("client2", c2, "state")
finish()
