"""listenError: listening on an address this host does not have, and on a
port in use."""
from tracelib import (LOCALHOST, Port, QHostAddress, QTcpServer, call, finish, step,
                      watch_server)

step("listen on 1.2.3.4 (not on this host)")
s = watch_server("server", QTcpServer())
call("server", s, "listen", QHostAddress("1.2.3.4"), Port(0))
for m in ["isListening", "serverError", "errorString", "serverAddress", "serverPort"]:
    call("server", s, m)
step("the same server listens on 127.0.0.1")
call("server", s, "listen", QHostAddress(LOCALHOST), Port(0))
for m in ["isListening", "serverError", "errorString", "serverAddress", "serverPort"]:
    call("server", s, m)
step("a second server on the same port")
s2 = watch_server("server2", QTcpServer())
call("server2", s2, "listen", QHostAddress(LOCALHOST), Port(s.serverPort()))
for m in ["isListening", "serverError", "errorString", "serverAddress", "serverPort"]:
    call("server2", s2, m)
finish()
