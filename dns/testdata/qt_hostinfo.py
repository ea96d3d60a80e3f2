# Asks real Qt 5 how QHostInfo answers, for dns/hostinfo_qt_test.go.
# Prints "name: value" lines; a result is "error|errorString|hostName|addresses".
# Only names that fail before any query, or fail in any resolver (.invalid,
# RFC 6761), are asked, so that the answers do not depend on the network.
import sys

from PyQt5.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, pyqtSlot
from PyQt5.QtNetwork import QHostInfo

app = QCoreApplication(sys.argv)


def text(h):
    addrs = " ".join(a.toString() for a in h.addresses())
    return "%d|%s|%s|%s" % (h.error(), h.errorString(), h.hostName(), addrs)


NAMES = {
    "empty": "",
    "literal4": "10.9.8.7",
    "literal6": " ::1 ",
    "missing": "nx.invalid",
    "idn": "bücher.invalid",
    "underscore": "a_b.invalid",
    "trailing_dot": "nx.invalid.",
    "empty_label": "a..b",
    "leading_dot": ".a",
    "only_dot": ".",
    "label_64": "a" * 64 + ".invalid",
    "label_300": "a" * 300,
    "name_255": "a." * 124 + "invalid",
    "leading_hyphen": "-a.invalid",
    "trailing_hyphen": "a-.invalid",
    "space": "exa mple.invalid",
    "star": "a*b.invalid",
    "slash": "a/b.invalid",
    "at": "a@b.invalid",
}
for key, name in NAMES.items():
    print("from_%s: %s" % (key, text(QHostInfo.fromName(name))))


calls = []  # the ids of every slot call, whatever the receiver


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.got = {}

    @pyqtSlot(QHostInfo)
    def done(self, h):
        calls.append(h.lookupId())
        self.got[h.lookupId()] = text(h)  # h lives only during the call


# PyQt5's lookupHost returns 0, not the id, so the ids are those of the
# results: Qt numbers lookups 1, 2, 3, ... in the order they are started.
r = Receiver()
order = ["", "10.9.8.7", "nx.invalid", "a..b"]
for name in order:
    QHostInfo.lookupHost(name, r.done)
QHostInfo.lookupHost("nx.invalid", r.done)  # id 5: aborted
QHostInfo.abortHostLookup(5)
QHostInfo.abortHostLookup(12345)  # unknown: ignored
doomed = Receiver()
QHostInfo.lookupHost("nx.invalid", doomed.done)  # id 6: receiver destroyed
doomed.deleteLater()  # destroyed on the next pass of the loop, before the answer
loop = QEventLoop()
QTimer.singleShot(1000, loop.quit)
loop.exec_()
for i, name in enumerate(order, 1):
    print("lookup_%d: %s" % (i, r.got[i] if i in r.got else "missing"))
print("aborted_called: %s" % (5 in calls))
print("destroyed_called: %s" % (6 in calls))

# A name looked up a moment ago comes from the cache: its answer is posted
# at once, so one pass of the event loop delivers it.
QHostInfo.lookupHost("localhost", r.done)  # id 7
loop = QEventLoop()
QTimer.singleShot(500, loop.quit)
loop.exec_()
QHostInfo.lookupHost("localhost", r.done)  # id 8
app.processEvents()
print("cached_at_once: %s" % (8 in r.got))
