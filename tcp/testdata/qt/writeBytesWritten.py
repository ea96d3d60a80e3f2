"""writeBytesWritten: writes made in one pass of the event loop are sent
together and reported by one bytesWritten with their sum; a write in a
later pass gets its own. waitForBytesWritten emits bytesWritten inside."""
from tracelib import (call, connected_pair, finish, listen, note, step, wait_until,
                      watch_server)

srv = watch_server("server", listen())
step("connect")
c, p = connected_pair(srv, skip=("readyRead",))
got = bytearray()
p.readyRead.connect(lambda: got.extend(bytes(p.readAll())))

step("two writes in one pass")
call("client", c, "write", b"abc")
call("client", c, "write", b"defgh")
call("client", c, "bytesToWrite")
wait_until("flushed and received", lambda: c.bytesToWrite() == 0 and len(got) == 8)
call("client", c, "bytesToWrite")
step("a write in a later pass")
call("client", c, "write", b"ij")
wait_until("flushed and received", lambda: c.bytesToWrite() == 0 and len(got) == 10)
step("write, then waitForBytesWritten")
call("client", c, "write", b"klmno")
call("client", c, "waitForBytesWritten", 2000)
call("client", c, "bytesToWrite")
step("waitForBytesWritten with nothing to write")
call("client", c, "waitForBytesWritten", 100)
call("client", c, "error")
step("an empty write")
call("client", c, "write", b"")
call("client", c, "bytesToWrite")
wait_until("received", lambda: len(got) == 15)
note("peer", "read total %d %r" % (len(got), bytes(got)))
finish()
