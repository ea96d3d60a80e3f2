# Asks real Qt 5 what becomes of queued calls when their connection is
# broken before they are delivered. Prints "name: value" lines for
# signal/qtcompat_test.go.
from PyQt5.QtCore import QCoreApplication, QObject, pyqtSignal, Qt

app = QCoreApplication([])


class Sender(QObject):
    sig = pyqtSignal(int)


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.got = []


def show(name, values):
    print("%s: %s" % (name, " ".join(str(v) for v in values) or "-"))


# Calls queued, then the connection is disconnected, then the loop runs.
s, r = Sender(), Receiver()
c = s.sig.connect(lambda v: r.got.append(v), Qt.QueuedConnection)
for i in range(5):
    s.sig.emit(i)
s.sig.disconnect(c)
app.processEvents()
show("disconnected_before_delivery", r.got)

# The slot disconnects its own connection at its first call.
s, r = Sender(), Receiver()
conn = []


def once(v):
    r.got.append(v)
    s.sig.disconnect(conn[0])


conn.append(s.sig.connect(once, Qt.QueuedConnection))
for i in range(5):
    s.sig.emit(i)
app.processEvents()
show("disconnected_by_first_call", r.got)
