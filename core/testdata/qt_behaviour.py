"""Prints, one per line as "name: value", how real Qt 5 behaves in the
scenarios core's qtcompat_test.go replays with slotnet. Run it with a
python3 that has PyQt5 (Debian: /usr/bin/python3 + python3-pyqt5)."""
import sys

from PyQt5.QtCore import QCoreApplication, QObject, QTimer, pyqtSignal

app = QCoreApplication(sys.argv)


def run_events():
    QTimer.singleShot(0, app.quit)
    app.exec_()


def named(name, log, parent=None):
    o = QObject(parent)
    o.setObjectName(name)
    o.destroyed.connect(lambda _=None, n=name: log.append(n))
    return o


def destruction_order():
    log = []
    root = named("p", log)
    a = named("a", log, root)
    named("a1", log, a)
    named("b", log, root)
    root.deleteLater()
    run_events()
    return ",".join(log)


def destroyed_while_blocked():
    log = []
    o = named("blocked", log)
    o.blockSignals(True)
    o.deleteLater()
    run_events()
    return ",".join(log)


class Emitter(QObject):
    sig = pyqtSignal(int)


def disconnect_during_emit():
    log = []
    e = Emitter()

    def first(v):
        log.append("first%d" % v)
        if v == 1:
            e.sig.disconnect(second)

    def second(v):
        log.append("second%d" % v)

    e.sig.connect(first)
    e.sig.connect(second)
    e.sig.emit(1)
    e.sig.emit(2)
    return ",".join(log)


def connect_during_emit():
    log = []
    e = Emitter()

    def late(v):
        log.append("late%d" % v)

    def first(v):
        log.append("first%d" % v)
        if v == 1:
            e.sig.connect(late)

    e.sig.connect(first)
    e.sig.emit(1)
    e.sig.emit(2)
    return ",".join(log)


def blocked_emits_nothing():
    log = []
    e = Emitter()
    e.sig.connect(lambda v: log.append(v))
    e.blockSignals(True)
    e.sig.emit(1)
    e.blockSignals(False)
    e.sig.emit(2)
    return ",".join(str(v) for v in log)


def inactive_timer_remaining():
    t = QTimer()
    t.setInterval(1000)
    return str(t.remainingTime())


for name, fn in [
    ("destruction_order", destruction_order),
    ("destroyed_while_blocked", destroyed_while_blocked),
    ("disconnect_during_emit", disconnect_during_emit),
    ("connect_during_emit", connect_during_emit),
    ("blocked_emits_nothing", blocked_emits_nothing),
    ("inactive_timer_remaining", inactive_timer_remaining),
]:
    print("%s: %s" % (name, fn()))
