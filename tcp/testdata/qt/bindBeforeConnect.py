"""bindBeforeConnect: bind() puts a socket in BoundState with its local
address and port; connectToHost from there keeps that port. A bind to an
address not on this host fails; a second bind on a bound socket too."""
from tracelib import (LOCALHOST, Port, QAbstractSocket, QHostAddress, QTcpSocket, call,
                      do, finish, listen, note, step, wait_until, watch, watch_server)

srv = watch_server("server", listen())
step("bind to 127.0.0.1, port 0")
c = QTcpSocket()
watch("client", c)
call("client", c, "bind", QHostAddress(LOCALHOST), Port(0))
for m in ["state", "error", "localAddress", "localPort", "isOpen", "openMode", "isValid",
          "peerPort"]:
    call("client", c, m)
bound = c.localPort()
step("bind again")
call("client", c, "bind", QHostAddress(LOCALHOST), Port(0))
call("client", c, "state")
call("client", c, "error")
call("client", c, "errorString")
step("connect from the bound socket")
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
call("client", c, "state")
wait_until("connected", lambda: c.state() == QAbstractSocket.ConnectedState
           and srv.hasPendingConnections())
p = srv.nextPendingConnection()
note("client", "localPort kept %s" % ("true" if c.localPort() == bound else "false"))
note("peer", "peerPort is the bound port %s" % ("true" if p.peerPort() == bound else "false"))
call("client", c, "error")
step("bind to 198.51.100.1 (not on this host)")
c2 = QTcpSocket()
watch("client2", c2)
call("client2", c2, "bind", QHostAddress("198.51.100.1"), Port(0))
for m in ["state", "error", "errorString", "localAddress", "localPort", "isOpen"]:
    call("client2", c2, m)
finish()
