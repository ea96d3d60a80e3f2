"""readyReadSignalsAfterWaitForReadyRead: waitForReadyRead emits exactly
one readyRead for the data it got, and the event loop adds none after."""
from tracelib import (call, connected_pair, finish, listen, note, spin, step,
                      watch_server)

srv = watch_server("server", listen())
step("connect")
c, p = connected_pair(srv)
count = [0]
c.readyRead.connect(lambda: count.__setitem__(0, count[0] + 1))

step("peer writes 3 bytes")
call("peer", p, "write", b"abc")
# Blocking, so that only the peer's socket is served: the client must not
# read the bytes before its own waitForReadyRead.
call("peer", p, "waitForBytesWritten", 2000)
step("client: waitForReadyRead")
call("client", c, "waitForReadyRead", 2000)
call("client", c, "bytesAvailable")
step("the event loop runs for 100 ms")
spin(100)
note("client", "readyRead count %d" % count[0])
call("client", c, "bytesAvailable")
step("waitForReadyRead(100) with 3 bytes buffered and nothing new")
call("client", c, "waitForReadyRead", 100)
call("client", c, "error")
call("client", c, "bytesAvailable")
call("client", c, "readAll")
finish()
