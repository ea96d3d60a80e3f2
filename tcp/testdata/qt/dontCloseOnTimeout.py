"""dontCloseOnTimeout: a blocking wait that times out sets
SocketTimeoutError and emits errorOccurred, but the socket stays
connected and usable."""
from tracelib import (call, connected_pair, finish, listen, step,
                      wait_until, watch_server)

srv = watch_server("server", listen())
step("connect")
c, p = connected_pair(srv)
c.errorOccurred.connect(lambda e: call("client", c, "state"))

step("waitForReadyRead(100) with nothing coming")
call("client", c, "waitForReadyRead", 100)
for m in ["state", "error", "errorString", "isValid", "isOpen", "openMode"]:
    call("client", c, m)
step("waitForDisconnected(100) on a live connection")
call("client", c, "waitForDisconnected", 100)
call("client", c, "state")
call("client", c, "error")
step("still usable: the peer writes, the client reads")
call("peer", p, "write", b"ping")
wait_until("client has the bytes", lambda: c.bytesAvailable() == 4 and p.bytesToWrite() == 0)
call("client", c, "read", 10)
call("client", c, "state")
call("client", c, "error")
step("waitForConnected on a connected socket")
call("client", c, "waitForConnected", 100)
call("client", c, "error")
finish()
