"""connectionRefused: connect to a loopback port with no listener."""
from tracelib import (LOCALHOST, QAbstractSocket, QTcpSocket, call, do, finish,
                      refused_port, step, wait_until, watch)

port = refused_port()
c = QTcpSocket()
watch("client", c)
# The state seen from inside the errorOccurred slot.
c.errorOccurred.connect(lambda e: call("client", c, "state"))

step("connectToHost to a port with no listener")
do("client", c, "connectToHost", LOCALHOST, port)
call("client", c, "state")
wait_until("unconnected", lambda: c.state() == QAbstractSocket.UnconnectedState)
step("refused")
for m in ["state", "error", "errorString", "isValid", "openMode", "peerAddress",
          "peerPort", "peerName", "localPort", "bytesToWrite"]:
    call("client", c, m)
finish()
