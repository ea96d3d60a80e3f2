"""maxPendingConnections: with a limit of 2, three clients connect (all
three reach Connected: the kernel completes the handshake) but the server
reports only two; the third comes once the queue is drained."""
from tracelib import (LOCALHOST, Port, QAbstractSocket, QTcpSocket, call, do, finish,
                      listen, note, spin, step, wait_until, watch, watch_server)

count = [0]
srv = listen()
do("server", srv, "setMaxPendingConnections", 2)
call("server", srv, "maxPendingConnections")
watch_server("server", srv)
srv.newConnection.connect(lambda: count.__setitem__(0, count[0] + 1))
clients = []
step("three clients connect")
for i in range(3):
    c = QTcpSocket()
    watch("client%d" % (i + 1), c)
    do("client%d" % (i + 1), c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
    clients.append(c)
wait_until("three connected, two reported",
           lambda: count[0] == 2 and all(c.state() == QAbstractSocket.ConnectedState for c in clients))
step("100 ms more: still two")
spin(100)
note("server", "newConnection count %d" % count[0])


def take(name):
    p = call("server", srv, "nextPendingConnection")
    who = [i + 1 for i, c in enumerate(clients) if c.localPort() == p.peerPort()]
    note(name, "is client%s" % (who[0] if who else "?"))
    return p


step("drain the queue")
call("server", srv, "hasPendingConnections")
take("peer1")
call("server", srv, "hasPendingConnections")
take("peer2")
call("server", srv, "hasPendingConnections")
call("server", srv, "nextPendingConnection")
step("the third")
wait_until("third reported", lambda: count[0] == 3)
call("server", srv, "hasPendingConnections")
take("peer3")
call("server", srv, "hasPendingConnections")
finish()
