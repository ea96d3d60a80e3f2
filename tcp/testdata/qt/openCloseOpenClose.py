"""openCloseOpenClose: connect, close, three times over; after each close()
every property is back to the new-socket value (error included)."""
from tracelib import (LOCALHOST, Port, QAbstractSocket, QTcpSocket, call, do, finish,
                      listen, step, wait_until, watch, watch_server)

PROPS = ["state", "error", "errorString", "isOpen", "isValid", "openMode", "isSequential",
         "socketType", "bytesAvailable", "bytesToWrite", "canReadLine", "atEnd",
         "peerName", "peerAddress", "peerPort", "localAddress", "localPort",
         "socketDescriptor"]

srv = watch_server("server", listen())
peers = []
c = QTcpSocket()
watch("client", c)
step("new")
for m in PROPS:
    call("client", c, m)
call("client", c, "getChar")
call("client", c, "readLine")
for i in range(3):
    step("open %d" % (i + 1))
    do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
    wait_until("connected", lambda: c.state() == QAbstractSocket.ConnectedState
               and srv.hasPendingConnections())
    peers.append(srv.nextPendingConnection())  # kept open, unwatched
    call("client", c, "state")
    call("client", c, "openMode")
    step("close %d" % (i + 1))
    do("client", c, "close")
    for m in PROPS:
        call("client", c, m)
    call("client", c, "getChar")
    call("client", c, "readLine")
finish()
