"""hostNotFound: connect to a name that cannot resolve."""
from tracelib import (QAbstractSocket, QTcpSocket, Port, call, do, finish, step,
                      wait_until, watch)

c = QTcpSocket()
watch("client", c)
c.errorOccurred.connect(lambda e: call("client", c, "state"))

step("connectToHost to nosuchhost.invalid")
do("client", c, "connectToHost", "nosuchhost.invalid", Port(80))
call("client", c, "state")
call("client", c, "peerName")
wait_until("unconnected", lambda: c.state() == QAbstractSocket.UnconnectedState)
step("not found")
for m in ["state", "error", "errorString", "isValid", "openMode", "peerName",
          "peerAddress", "peerPort"]:
    call("client", c, m)
finish()
