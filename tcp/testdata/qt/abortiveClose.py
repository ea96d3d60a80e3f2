"""abortiveClose: the peer aborts; the client sees no readyRead, one
RemoteHostClosedError, then disconnected."""
from tracelib import (QAbstractSocket, call, connected_pair, do, finish, listen,
                      step, wait_until, watch_server)

srv = watch_server("server", listen())
step("connect")
c, p = connected_pair(srv)
c.errorOccurred.connect(lambda e: call("client", c, "state"))

step("peer aborts")
do("peer", p, "abort")
call("peer", p, "state")
call("peer", p, "error")
call("peer", p, "isOpen")
wait_until("client unconnected", lambda: c.state() == QAbstractSocket.UnconnectedState)
step("client after the abort")
for m in ["state", "error", "errorString", "bytesAvailable"]:
    call("client", c, m)
finish()
