// Package spy records signal emissions for tests: Qt's QSignalSpy for
// slotnet.
//
// A [Recorder] is attached to any number of signals, each under a name of
// the test's choosing. Every emission becomes an [Event] with its sequence
// number, name, argument, the loop the spy's slot ran on and the time:
//
//	r := spy.New()
//	spy.On0(r, "connected", &sock.Connected)
//	spy.On(r, "stateChanged", &sock.StateChanged)
//	spy.On(r, "errorOccurred", &sock.ErrorOccurred)
//	sock.ConnectToHost("localhost", 1) // nothing listens there
//	r.Wait(ctx, "errorOccurred", 1)
//	spy.AssertSequence(t, r,
//		"stateChanged HostLookupState",
//		"stateChanged ConnectingState",
//		"stateChanged UnconnectedState",
//		"errorOccurred ConnectionRefusedError")
//
// # Connections
//
// [On0] and [On] connect the spy's slot Direct, so that it runs inside Emit
// and the event shows the loop of the emission; extra signal.ConnectOption
// values apply after that and may change it (signal.Queued with
// signal.To(obj) records on obj's loop, as a queued slot of obj would see
// it). [Recorder.Disconnect] detaches the spy from all its signals.
//
// # Which loop
//
// [Event].Loop is core.CurrentLoop() when the slot ran: the loop whose
// events the goroutine was processing (through Run, Start or
// ProcessEvents), or nil for a goroutine processing none — an emission by an
// object in blocking mode, or by the test itself. This needs no
// registration of loops; core.CurrentLoop looks through the live loops, a
// cost that only matters with thousands of them.
//
// # Waiting
//
// [Recorder.Wait] and [Recorder.WaitTimeout] wait until the number of
// recorded emissions of a name reaches n (Count, not new emissions: Clear or
// Take first to wait for new ones). They sleep until a record wakes them,
// for emissions made on other goroutines, such as a started loop's. When
// the emitter is an object without a loop, whose internal events only the
// waiting goroutine can run (Qt's blocking mode), use [Recorder.WaitOn],
// which waits with core.Object.WaitUntil and so runs those events. Under
// testing/synctest a timeout takes no real time: the wait returns as soon as
// every goroutine of the bubble is blocked.
//
// # Comparing
//
// [Recorder.Sequence] renders each event as "name", or "name arg" with the
// argument formatted by %v (so by its String or Error method) or by the
// function given with [WithFormat]. [AssertSequence] compares it with an
// expected sequence and fails the test with a unified diff ([Diff]);
// [AssertCounts] checks the number of emissions of some names.
//
// # Qt → spy
//
//	QSignalSpy spy(obj, &C::sig)     spy.On(r, "sig", &obj.Sig)
//	spy.count()                      r.Count("sig")
//	spy.at(i).at(0)                  r.Args("sig")[i]
//	spy.takeFirst()                  r.Take()
//	spy.clear()                      r.Clear()
//	spy.wait(ms)                     r.WaitTimeout("sig", r.Count("sig")+1, d)
//	QTRY_COMPARE(spy.count(), n)     r.Wait(ctx, "sig", n)
package spy
