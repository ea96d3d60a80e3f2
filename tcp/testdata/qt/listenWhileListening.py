"""listenWhileListening: a second listen() on a listening server is
refused (Qt warns on stderr) and changes nothing; close() stops it."""
from tracelib import (LOCALHOST, Port, QHostAddress, QTcpServer, call, do, finish,
                      note, step, watch_server)

s = watch_server("server", QTcpServer())
step("listen")
call("server", s, "listen", QHostAddress(LOCALHOST), Port(0))
port = s.serverPort()
step("listen again, any port")
call("server", s, "listen", QHostAddress(LOCALHOST), Port(0))
for m in ["isListening", "serverError", "errorString", "serverAddress"]:
    call("server", s, m)
note("server", "serverPort unchanged %s" % ("true" if s.serverPort() == port else "false"))
step("close")
do("server", s, "close")
for m in ["isListening", "serverError", "errorString", "serverAddress", "serverPort",
          "hasPendingConnections"]:
    call("server", s, m)
step("listen after close")
call("server", s, "listen", QHostAddress(LOCALHOST), Port(0))
call("server", s, "isListening")
finish()
