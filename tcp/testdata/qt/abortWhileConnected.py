"""abortWhileConnected: the client aborts with 100 kB unsent; the bytes
are dropped (the peer gets none) and the peer sees a remote close."""
from tracelib import (QAbstractSocket, call, connected_pair, do, finish, listen, note,
                      step, wait_until, watch_server)

srv = watch_server("server", listen())
step("connect")
c, p = connected_pair(srv, skip=("readyRead",))
got = bytearray()
p.readyRead.connect(lambda: got.extend(bytes(p.readAll())))
c.errorOccurred.connect(lambda e: call("client", c, "state"))
p.errorOccurred.connect(lambda e: call("peer", p, "state"))

step("client writes 100 kB and aborts in the same pass")
call("client", c, "write", b"z" * 102400)
do("client", c, "abort")
for m in ["state", "error", "errorString", "isOpen", "openMode", "bytesToWrite",
          "bytesAvailable", "peerPort", "localPort"]:
    call("client", c, m)
wait_until("peer unconnected", lambda: p.state() == QAbstractSocket.UnconnectedState)
step("the peer")
note("peer", "read total %d" % len(got))
for m in ["state", "error", "errorString"]:
    call("peer", p, m)
finish()
