"""waitForNewConnection: timing out (false, timedOut true, error set),
succeeding (true, newConnection emitted inside), and on a server that is
not listening (false at once; Qt leaves the timedOut flag unwritten, so
PyQt5 returns whatever was there: only the result is printed)."""
from tracelib import (LOCALHOST, Port, QHostAddress, QTcpServer, QTcpSocket, call, do, fmt, note,
                      finish, step, watch, watch_server)

s = watch_server("server", QTcpServer())
step("not listening")
ok, _ = s.waitForNewConnection(100)
note("server", "waitForNewConnection(100) " + fmt(ok))
call("server", s, "serverError")
call("server", s, "errorString")
step("listening, nobody connects")
call("server", s, "listen", QHostAddress(LOCALHOST), Port(0))
call("server", s, "waitForNewConnection", 100)
call("server", s, "serverError")
call("server", s, "errorString")
call("server", s, "isListening")
call("server", s, "waitForNewConnection", 0)
step("a client connects")
c = QTcpSocket()
watch("client", c)
do("client", c, "connectToHost", LOCALHOST, Port(s.serverPort()))
call("server", s, "waitForNewConnection", 2000)
call("server", s, "serverError")
call("server", s, "hasPendingConnections")
finish()
