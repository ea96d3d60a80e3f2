"""Prints the DataStream golden table: for every case below, every
QDataStream version from Qt_4_0 to Qt_5_15, both byte orders and both
floating-point precisions, one line "case/vN/ORDER/PRECISION: hex" holding
the bytes real Qt 5 (PyQt5) writes. core/datastream_golden_test.go reads and
writes each with slotnet's DataStream; keep the case names in step.

Regenerate the committed table with
    /usr/bin/python3 core/testdata/datastream_golden.py > core/testdata/datastream_golden.txt
"""
import math
import os

os.environ["TZ"] = "UTC"  # LocalTime under Qt_5_0 is converted through the local zone

from PyQt5.QtCore import (QByteArray, QDataStream, QDate, QDateTime, QIODevice,
                          QMetaType, Qt, QTime, QVariant)
from PyQt5.QtNetwork import QHostAddress

VERSIONS = sorted({getattr(QDataStream, n) for n in dir(QDataStream)
                   if n.startswith("Qt_") and 7 <= getattr(QDataStream, n) <= 19})
ORDERS = {"be": QDataStream.BigEndian, "le": QDataStream.LittleEndian}
PRECISIONS = {"sp": QDataStream.SinglePrecision, "dp": QDataStream.DoublePrecision}


def conv(value, type_id):
    v = QVariant(value)
    assert v.convert(type_id), type_id
    return v


def write_int32_list(s, values):  # QList<qint32>: a quint32 count, then the elements
    s.writeUInt32(len(values))
    for v in values:
        s.writeInt32(v)


def dt(spec, offset=0):
    if spec == Qt.OffsetFromUTC:
        return QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5, 6), spec, offset)
    return QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5, 6), spec)


CASES = {
    "bool_true": lambda s: s.writeBool(True),
    "bool_false": lambda s: s.writeBool(False),
    "int8_min": lambda s: s.writeInt8(-128),
    "int8_max": lambda s: s.writeInt8(127),
    "uint8_max": lambda s: s.writeUInt8(255),
    "int16_min": lambda s: s.writeInt16(-32768),
    "uint16_max": lambda s: s.writeUInt16(65535),
    "int32_min": lambda s: s.writeInt32(-2**31),
    "int32_max": lambda s: s.writeInt32(2**31 - 1),
    "uint32_max": lambda s: s.writeUInt32(2**32 - 1),
    "int64_min": lambda s: s.writeInt64(-2**63),
    "int64_max": lambda s: s.writeInt64(2**63 - 1),
    "uint64_max": lambda s: s.writeUInt64(2**64 - 1),
    "float_1_5": lambda s: s.writeFloat(1.5),
    "float_neg_pi": lambda s: s.writeFloat(-math.pi),
    "float_inf": lambda s: s.writeFloat(math.inf),
    "double_1_5": lambda s: s.writeDouble(1.5),
    "double_pi": lambda s: s.writeDouble(math.pi),
    "double_neg_tiny": lambda s: s.writeDouble(-1e-310),
    "string_null": lambda s: s.writeQString(None),
    "string_empty": lambda s: s.writeQString(""),
    "string_ascii": lambda s: s.writeQString("Hello, Qt"),
    "string_latin_euro": lambda s: s.writeQString("h\u00e9llo w\u00f6rld \u20ac"),
    "string_astral": lambda s: s.writeQString("\U0001d11e clef \U0001f600"),
    "string_fortune": lambda s: s.writeQString("You've been leading a dog's life. Stay off the furniture."),
    "bytearray_null": lambda s: s << QByteArray(),
    "bytearray_empty": lambda s: s << QByteArray(b""),
    "bytearray_bin": lambda s: s << QByteArray(b"\x00\x01\xffabc"),
    "stringlist_empty": lambda s: s.writeQStringList([]),
    "stringlist_3": lambda s: s.writeQStringList(["a", "", "\u00fcn\u00ef"]),
    "list_int32": lambda s: write_int32_list(s, [1, -2, 300000]),
    "date_2020": lambda s: s << QDate(2020, 1, 2),
    "date_epoch": lambda s: s << QDate(1970, 1, 1),
    "date_max": lambda s: s << QDate(9999, 12, 31),
    "date_null": lambda s: s << QDate(),
    "time_3_4_5_6": lambda s: s << QTime(3, 4, 5, 6),
    "time_midnight": lambda s: s << QTime(0, 0),
    "time_last": lambda s: s << QTime(23, 59, 59, 999),
    "time_null": lambda s: s << QTime(),
    "datetime_utc": lambda s: s << dt(Qt.UTC),
    "datetime_local": lambda s: s << dt(Qt.LocalTime),
    "datetime_offset_east": lambda s: s << dt(Qt.OffsetFromUTC, 3600),
    "datetime_offset_west": lambda s: s << dt(Qt.OffsetFromUTC, -19800),
    "datetime_null": lambda s: s << QDateTime(),
    "hostaddress_null": lambda s: s << QHostAddress(),
    "hostaddress_any": lambda s: s << QHostAddress(QHostAddress.Any),
    "hostaddress_ipv4": lambda s: s << QHostAddress("192.168.1.20"),
    "hostaddress_broadcast": lambda s: s << QHostAddress(QHostAddress.Broadcast),
    "hostaddress_ipv6": lambda s: s << QHostAddress("2001:db8::1"),
    "hostaddress_ipv6_scope": lambda s: s << QHostAddress("fe80::1%3"),
    "hostaddress_mapped": lambda s: s << QHostAddress("::ffff:1.2.3.4"),
    "variant_invalid": lambda s: s.writeQVariant(None),
    "variant_bool": lambda s: s.writeQVariant(True),
    "variant_int": lambda s: s.writeQVariant(conv(-7, QMetaType.Int)),
    "variant_uint": lambda s: s.writeQVariant(conv(7, QMetaType.UInt)),
    "variant_longlong": lambda s: s.writeQVariant(conv(-2**40, QMetaType.LongLong)),
    "variant_ulonglong": lambda s: s.writeQVariant(conv(2**40, QMetaType.ULongLong)),
    "variant_double": lambda s: s.writeQVariant(2.25),
    "variant_float": lambda s: s.writeQVariant(conv(0.5, QMetaType.Float)),
    "variant_short": lambda s: s.writeQVariant(conv(-3, QMetaType.Short)),
    "variant_ushort": lambda s: s.writeQVariant(conv(3, QMetaType.UShort)),
    "variant_char": lambda s: s.writeQVariant(conv(65, QMetaType.Char)),
    "variant_schar": lambda s: s.writeQVariant(conv(-65, QMetaType.SChar)),
    "variant_uchar": lambda s: s.writeQVariant(conv(200, QMetaType.UChar)),
    "variant_long": lambda s: s.writeQVariant(conv(-5, QMetaType.Long)),
    "variant_ulong": lambda s: s.writeQVariant(conv(5, QMetaType.ULong)),
    "variant_qchar": lambda s: s.writeQVariant(conv(0x20ac, QMetaType.QChar)),
    "variant_string": lambda s: s.writeQVariant("fortune"),
    "variant_string_null": lambda s: s.writeQVariant(QVariant(QVariant.String)),
    "variant_stringlist": lambda s: s.writeQVariant(conv(["x", "y"], QMetaType.QStringList)),
    "variant_bytearray": lambda s: s.writeQVariant(QByteArray(b"\x01\x02")),
    "variant_date": lambda s: s.writeQVariant(QDate(2020, 1, 2)),
    "variant_time": lambda s: s.writeQVariant(QTime(3, 4, 5, 6)),
    "variant_datetime": lambda s: s.writeQVariant(dt(Qt.OffsetFromUTC, 3600)),
    "variant_list": lambda s: s.writeQVariantList([1, "a", [True, 1.5]]),
    "variant_map": lambda s: s.writeQVariantMap({"b": 1, "a": "x", "\U0001f600": 2, "\uffee": 3}),
    "variant_hash": lambda s: s.writeQVariantHash({"k": 2.5}),
    "variant_of_list": lambda s: s.writeQVariant(QVariant([7, "b"])),
    "variant_of_map": lambda s: s.writeQVariant(QVariant({"z": None, "y": 1})),
}

# Qt 5.0 converted LocalTime through the local zone; slotnet does that
# with time.Local, which a test cannot pin, so that one cell is left out.
SKIP = {("datetime_local", QDataStream.Qt_5_0)}


def main():
    for name, write in CASES.items():
        for v in VERSIONS:
            if (name, v) in SKIP:
                continue
            for oname, order in ORDERS.items():
                for pname, prec in PRECISIONS.items():
                    ba = QByteArray()
                    s = QDataStream(ba, QIODevice.WriteOnly)
                    s.setVersion(v)
                    s.setByteOrder(order)
                    s.setFloatingPointPrecision(prec)
                    write(s)
                    assert s.status() == QDataStream.Ok, (name, v)
                    print("%s/v%d/%s/%s: %s" % (name, v, oname, pname, bytes(ba).hex()))


main()
