"""pauseAccepting: after pauseAccepting() the server reports nothing for
400 ms while five clients connect; resumeAccepting() reports all five."""
from tracelib import (LOCALHOST, Port, QAbstractSocket, QTcpSocket, call, do, finish,
                      listen, note, spin, step, wait_until, watch, watch_server)

count = [0]
srv = watch_server("server", listen())
srv.newConnection.connect(lambda: count.__setitem__(0, count[0] + 1))
clients = []


def connect(i):
    c = QTcpSocket()
    watch("client%d" % i, c)
    do("client%d" % i, c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
    clients.append(c)


step("one client, accepted")
connect(1)
wait_until("first", lambda: count[0] == 1 and clients[0].state() == QAbstractSocket.ConnectedState)
step("pauseAccepting; five clients connect")
do("server", srv, "pauseAccepting")
for i in range(2, 7):
    connect(i)
wait_until("five connected",
           lambda: all(c.state() == QAbstractSocket.ConnectedState for c in clients))
step("400 ms: nothing")
spin(400)
note("server", "newConnection count %d" % count[0])
call("server", srv, "hasPendingConnections")
call("server", srv, "isListening")
step("resumeAccepting")
do("server", srv, "resumeAccepting")
wait_until("all six", lambda: count[0] == 6)
note("server", "newConnection count %d" % count[0])
finish()
