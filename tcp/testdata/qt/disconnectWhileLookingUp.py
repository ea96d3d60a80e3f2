"""disconnectWhileLookingUp: disconnectFromHost (or close) while the name
lookup runs. Qt 5.15 does not cancel the attempt: the state stays
HostLookup, and once the lookup answers the socket connects and then
closes (the server sees a connection come and go). Argument:
"disconnectFromHost" or "close"."""
import sys

from tracelib import (Port, QTcpSocket, accept_into, call, do, finish, listen, spin, step,
                      watch, watch_server)

how = sys.argv[1]
srv = watch_server("server", listen())
peers = []
accept_into(srv, peers)
c = QTcpSocket()
watch("client", c)
step("connectToHost(localhost), then %s() at once" % how)
do("client", c, "connectToHost", "localhost", Port(srv.serverPort()))
call("client", c, "state")
do("client", c, how)
for m in ["state", "error", "isOpen", "openMode"]:
    call("client", c, m)
step("300 ms: the lookup answers; connect, then close")
spin(300)
call("client", c, "state")
call("server", srv, "hasPendingConnections")
finish()
