"""Times PyQt5's QDataStream on the operations core/datastream_bench_test.go
measures, for a side-by-side ratio. SLOTNET_BENCH_OP names the operation and
SLOTNET_BENCH_N the iterations; prints "ns_per_op: N"."""
import os
import time

from PyQt5.QtCore import QByteArray, QDataStream, QIODevice

FORTUNE = "You've been leading a dog's life. Stay off the furniture."
LIST = ["fortune %04d" % i for i in range(1000)]
V = QDataStream.Qt_5_10


def writer():
    block = QByteArray()
    out = QDataStream(block, QIODevice.WriteOnly)
    out.setVersion(V)
    return block, out


def fortune57_encode():
    block, out = writer()
    out.writeQString(FORTUNE)
    return block


def fortune56_encode():  # quint16 size, then the QString (Qt <= 5.6's fortune server)
    block, out = writer()
    out.writeUInt16(0)
    out.writeQString(FORTUNE)
    out.device().seek(0)
    out.writeUInt16(block.size() - 2)
    return block


def stringlist_encode():
    block, out = writer()
    out.writeQStringList(LIST)
    return block


def reader(data):
    s = QDataStream(data)
    s.setVersion(V)
    return s


def main():
    op = os.environ["SLOTNET_BENCH_OP"]
    n = int(os.environ.get("SLOTNET_BENCH_N", "1"))
    encoders = {"fortune57": fortune57_encode, "fortune56": fortune56_encode,
                "stringlist": stringlist_encode}
    name, kind = op.split("/")
    if kind == "encode":
        fn = encoders[name]
    else:
        data = encoders[name]()
        if name == "fortune57":
            def fn():
                return reader(data).readQString()
        elif name == "fortune56":
            def fn():
                s = reader(data)
                s.readUInt16()
                return s.readQString()
        else:
            def fn():
                return reader(data).readQStringList()
    minimum = 200 if name == "stringlist" else 20000
    n = max(n, minimum)
    fn()
    start = time.perf_counter_ns()
    for _ in range(n):
        fn()
    print("ns_per_op: %f" % ((time.perf_counter_ns() - start) / n))


main()
