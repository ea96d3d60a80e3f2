"""Prints, as "name: value" lines, how real Qt 5's QDataStream transactions
behave over a QBuffer; core/datastream_qt_test.go replays each with
DataStream and compares."""
from PyQt5.QtCore import QBuffer, QByteArray, QDataStream, QIODevice


def stream(data):
    buf = QBuffer()
    buf.setData(QByteArray(data))
    buf.open(QIODevice.ReadOnly)
    s = QDataStream(buf)
    return s, buf


def nested():
    s, buf = stream(b"\x00\x00\x00\x01\x00\x00")
    s.startTransaction()
    a = s.readUInt32()
    s.startTransaction()
    s.readUInt32()
    inner = s.commitTransaction()
    during = s.readUInt16()
    outer = s.commitTransaction()
    return "%d %s %d %s %d %d" % (a, inner, during, outer, s.status(), buf.bytesAvailable())


def rollback():
    s, buf = stream(b"\x01\x02\x03\x04")
    s.startTransaction()
    s.readUInt16()
    s.rollbackTransaction()
    return "%d %d" % (s.status(), buf.bytesAvailable())


def abort():
    s, buf = stream(b"\x01\x02\x03\x04")
    s.startTransaction()
    s.readUInt16()
    s.abortTransaction()
    return "%d %d" % (s.status(), buf.bytesAvailable())


def rollback_after_corrupt():
    s, buf = stream(b"\x01\x02\x03\x04")
    s.startTransaction()
    s.readUInt8()
    s.setStatus(QDataStream.ReadCorruptData)
    s.rollbackTransaction()
    return "%d %d" % (s.status(), buf.bytesAvailable())


def start_resets_status():
    s, buf = stream(b"\x01")
    s.readUInt32()
    before = s.status()
    s.startTransaction()
    after = s.status()
    s.commitTransaction()
    return "%d %d" % (before, after)


def odd_string_then_int():
    s, buf = stream(b"\x00\x00\x00\x03\x00a\x00b\x00")
    text = s.readQString()
    n = s.readUInt16()
    return "%r %d %d %d" % (text, n, s.status(), buf.bytesAvailable())


for name, fn in [("nested", nested), ("rollback", rollback), ("abort", abort),
                 ("rollback_after_corrupt", rollback_after_corrupt),
                 ("start_resets_status", start_resets_status),
                 ("odd_string_then_int", odd_string_then_int)]:
    print("%s: %s" % (name, fn()))
