#!/usr/bin/python3
"""Runs every scenario several times, checks that Qt gives the same trace
each time, and writes golden/<golden>.txt.

    /usr/bin/python3 record.py [-n RUNS] [--check] [scenario ...]

--check compares with the golden files instead of writing them. Exits
non-zero when a trace is unstable, a script fails or takes 3 s or more, or
(--check) a golden file differs.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# golden name -> (script, args)
SCENARIOS = {
    "constructing": ("constructing.py", []),
    "connectSuccess": ("connectSuccess.py", []),
    "connectionRefused": ("connectionRefused.py", []),
    "hostNotFound": ("hostNotFound.py", []),
    "remoteCloseError": ("remoteCloseError.py", []),
    "abortiveClose": ("abortiveClose.py", []),
    "delayedClose": ("delayedClose.py", []),
    "clientSendDataOnDelayedDisconnect": ("clientSendDataOnDelayedDisconnect.py", []),
    "disconnectWhileConnecting": ("disconnectWhileConnecting.py", []),
    "disconnectWhileConnecting_nodata": ("disconnectWhileConnecting.py", ["nodata"]),
    "serverDisconnectWithBuffered": ("serverDisconnectWithBuffered.py", []),
    "openCloseOpenClose": ("openCloseOpenClose.py", []),
    "dontCloseOnTimeout": ("dontCloseOnTimeout.py", []),
    "readyReadSignalsAfterWaitForReadyRead": ("readyReadSignalsAfterWaitForReadyRead.py", []),
    "zeroAndMinusOneReturns": ("zeroAndMinusOneReturns.py", []),
    "increaseReadBufferSize": ("increaseReadBufferSize.py", []),
    "listenError": ("listenError.py", []),
    "listenWhileListening": ("listenWhileListening.py", []),
    "clientServerLoop": ("clientServerLoop.py", []),
    "maxPendingConnections": ("maxPendingConnections.py", []),
    "pauseAccepting": ("pauseAccepting.py", []),
    "waitForNewConnection": ("waitForNewConnection.py", []),
    "writeBytesWritten": ("writeBytesWritten.py", []),
    "abortWhileConnecting": ("abortWhileConnecting.py", []),
    "abortWhileConnected": ("abortWhileConnected.py", []),
    "closeVsDisconnect_close": ("closeVsDisconnect.py", ["close"]),
    "closeVsDisconnect_disconnectFromHost": ("closeVsDisconnect.py", ["disconnectFromHost"]),
    "errorStrings": ("errorStrings.py", []),
    "bufferedReads": ("bufferedReads.py", []),
    "bindBeforeConnect": ("bindBeforeConnect.py", []),
    "timeoutConnect": ("timeoutConnect.py", []),
    "disconnectWhileLookingUp_disconnectFromHost": ("disconnectWhileLookingUp.py",
                                                    ["disconnectFromHost"]),
    "disconnectWhileLookingUp_close": ("disconnectWhileLookingUp.py", ["close"]),
    "disconnectWhileConnectingNoEventLoop": ("disconnectWhileConnectingNoEventLoop.py", []),
}


def run(script, args):
    # tracelib imports qttrace from internal/qtcompat.
    qtcompat = os.path.join(HERE, "..", "..", "..", "internal", "qtcompat")
    path = os.pathsep.join(p for p in [qtcompat, os.environ.get("PYTHONPATH", "")] if p)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=path)
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, os.path.join(HERE, script)] + args, cwd=HERE,
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        raise RuntimeError("%s %s: exit %d\n%s" % (script, " ".join(args), p.returncode,
                                                   p.stderr.decode()))
    return p.stdout.decode(), dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    bad = 0
    for name in a.names or SCENARIOS:
        script, args = SCENARIOS[name]
        outs, worst = [], 0.0
        try:
            for _ in range(a.n):
                out, dt = run(script, args)
                outs.append(out)
                worst = max(worst, dt)
        except Exception as e:  # a failing script is reported, the rest still run
            print("FAIL %s: %s" % (name, e))
            bad += 1
            continue
        stable = all(o == outs[0] for o in outs)
        path = os.path.join(HERE, "golden", name + ".txt")
        status = "ok"
        if not stable:
            status = "UNSTABLE (%d distinct traces)" % len(set(outs))
            bad += 1
            for i, o in enumerate(sorted(set(outs))):
                print("--- %s variant %d ---\n%s" % (name, i, o))
        elif worst >= 3.0:
            status = "SLOW"
            bad += 1
        elif a.check:
            with open(path) as f:
                if f.read() != outs[0]:
                    status = "DIFFERS from golden"
                    bad += 1
        else:
            with open(path, "w") as f:
                f.write(outs[0])
        print("%-46s %d runs, slowest %.2fs: %s" % (name, a.n, worst, status))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
