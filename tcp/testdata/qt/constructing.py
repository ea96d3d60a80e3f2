"""constructing: every property of a new QTcpSocket and a new QTcpServer,
and what the read calls return on a socket that is not open."""
from tracelib import (QTcpServer, QTcpSocket, call, finish, step, watch,
                      watch_server)

step("a new QTcpSocket")
c = QTcpSocket()
watch("client", c)
for m in ["state", "error", "errorString", "peerName", "peerAddress", "peerPort",
          "localAddress", "localPort", "isValid", "isOpen", "socketType", "openMode",
          "bytesAvailable", "bytesToWrite", "canReadLine", "atEnd", "readBufferSize",
          "isSequential", "socketDescriptor"]:
    call("client", c, m)

step("reading and writing a socket that is not open (Qt warns on stderr)")
call("client", c, "read", 10)
call("client", c, "readLine", 10)
call("client", c, "readLine")
call("client", c, "readAll")
call("client", c, "getChar")
call("client", c, "peek", 10)
call("client", c, "write", b"x")
call("client", c, "flush")
step("the errors are unchanged")
call("client", c, "state")
call("client", c, "error")
call("client", c, "errorString")
call("client", c, "bytesToWrite")

step("a new QTcpServer")
s = QTcpServer()
watch_server("server", s)
for m in ["isListening", "maxPendingConnections", "serverAddress", "serverPort",
          "serverError", "errorString", "hasPendingConnections",
          "nextPendingConnection", "socketDescriptor"]:
    call("server", s, m)
finish()
