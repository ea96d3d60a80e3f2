"""errorStrings: error() and errorString() for RemoteHostClosedError,
ConnectionRefusedError, HostNotFoundError, SocketTimeoutError and
AddressInUseError (socket bind and server listen)."""
from tracelib import (LOCALHOST, Port, QAbstractSocket, QHostAddress, QTcpServer,
                      QTcpSocket, call, connected_pair, do, finish, listen, refused_port,
                      step, wait_until)


def report(actor, s):
    call(actor, s, "error")
    call(actor, s, "errorString")


srv = listen()
step("RemoteHostClosedError")
c, p = connected_pair(srv, watch_client=False, watch_peer=False)
p.close()
wait_until("client unconnected", lambda: c.state() == QAbstractSocket.UnconnectedState)
report("client", c)

step("ConnectionRefusedError")
c = QTcpSocket()
do("client", c, "connectToHost", LOCALHOST, refused_port())
wait_until("refused", lambda: c.state() == QAbstractSocket.UnconnectedState)
report("client", c)

step("HostNotFoundError")
c = QTcpSocket()
do("client", c, "connectToHost", "nosuchhost.invalid", Port(80))
wait_until("not found", lambda: c.state() == QAbstractSocket.UnconnectedState)
report("client", c)

step("SocketTimeoutError (waitForReadyRead on a quiet connection)")
c, p = connected_pair(srv, watch_client=False, watch_peer=False)
call("client", c, "waitForReadyRead", 50)
report("client", c)

step("AddressInUseError: bind to a port a server listens on")
c = QTcpSocket()
call("client", c, "bind", QHostAddress(LOCALHOST), Port(srv.serverPort()))
call("client", c, "state")
report("client", c)

step("AddressInUseError: listen on a port a server listens on")
s2 = QTcpServer()
call("server", s2, "listen", QHostAddress(LOCALHOST), Port(srv.serverPort()))
call("server", s2, "serverError")
call("server", s2, "errorString")
finish()
