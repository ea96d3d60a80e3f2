// Package core is slotnet's object model: Qt's QObject, event loop and
// QTimer in Go, built on the typed signals of package signal. (The rest of
// core — I/O buffers, the socket engine, DataStream — builds on it.)
//
// # Loops
//
// A [Loop] is one goroutine at a time running, in order, the functions
// posted to it and its timers: a QThread with a QEventLoop. Start runs it on
// a goroutine of its own, which Close joins; Run runs it on the calling
// goroutine until [Loop.Quit] or [Loop.Exit] (which set Run's exit code),
// the context ends, or Close:
//
//	loop := core.NewLoop(core.WithName("net"), core.WithLogger(log))
//	if err := loop.Start(); err != nil { … }
//	defer loop.Close()
//	loop.Post(func() { … })            // runs later, on net
//	err := loop.Invoke(func() { … })   // runs on net; waits for it
//
// A loop that nobody runs makes progress through [Loop.ProcessEvents]
// (QCoreApplication::processEvents), which runs the due timers and the queued
// events once on the caller's goroutine — handy in tests and in programs with
// a main loop of their own. A waiting loop blocks in a select on its queue,
// its next timer, quit and close; it never polls.
//
// Invoke called from the loop's own goroutine (inside a posted function, slot
// or timer of that loop) runs the function at once instead of waiting for
// itself; the loop recognises that goroutine by its id. [Loop.IsCurrent]
// exposes the same test.
//
// A panic in a posted function, a queued slot or a timer's slots is
// recovered: it is logged at Error level with its stack (fields "loop",
// "panic", "stack") and the loop goes on with the next event. [WithRepanic]
// turns recovery off. A direct slot's panic reaches whoever emitted, as any
// Go call's would.
//
// # Objects
//
// An [Object] is a QObject. It has affinity to one loop ([WithLoop],
// [Object.MoveToLoop]), a name ([Object.SetObjectName]), a parent and
// children ([WithParent], [Object.SetParent], [Object.FindChild]), and
// signals: [Object.Destroyed] and [Object.ObjectNameChanged].
//
// # Types with signals of their own
//
// A type with signals of its own (a socket, a timer) embeds *Object and
// makes its signals the object's with one call in its constructor,
// [Object.BindSignals]:
//
//	type Socket struct {
//		*core.Object
//		ReadyRead    signal.Signal0
//		StateChanged signal.Signal[State]
//	}
//
//	func NewSocket(opts ...core.ObjectOption) (*Socket, error) {
//		obj, err := core.NewObject(opts...)
//		if err != nil {
//			return nil, err
//		}
//		s := &Socket{Object: obj}
//		if err := obj.BindSignals(s); err != nil {
//			return nil, err
//		}
//		obj.AddDestroyHook(s.abort) // runs however the object is destroyed
//		return s, nil
//	}
//
// BindSignals binds every signal field of the struct — exported or not,
// also inside struct and array fields, never through a pointer — to the
// object, for the signals' life. Then:
//
//   - s.BlockSignals(true) silences them;
//   - Auto connections compare the object's loop with the receiver's, so a
//     slot of an object on the same loop runs inside Emit;
//   - destroying the object — Destroy, its parent's Destroy, DeleteLater —
//     disconnects all of them, after the destroy hooks and Destroyed have
//     run (so the abort above still reaches the slots, as a Qt socket's
//     destructor does): Connect then fails with [ErrDestroyed], and Emit
//     does nothing.
//
// The fields are found by reflection once per type, at construction; an
// emission never uses it. A forgotten BindSignals is caught: connecting
// with signal.To(s) fails with [signal.ErrUnbound] while s has a signal
// field bound to no object, and a signal bound to one object cannot be
// bound to another ([signal.ErrAlreadyBound]). A single signal outside the
// struct can be bound with [signal.Signal.Bind](obj.SignalHost()).
//
// An *Object (and so a *Socket) is a [signal.Receiver]: a connection made
// with signal.To(obj) runs queued slots on obj's loop and dies when obj is
// destroyed.
//
// # Destruction
//
// [Object.Destroy] follows Qt 5's ~QObject: destroy hooks (an embedding
// type's "destructor") run first; then the object's signals are unblocked
// and Destroyed is emitted; then the connections of its signals (all those
// bound to it) and those with it as receiver are dropped; then its
// children are destroyed, in order, each the same way; last it leaves its
// parent. So a tree goes
// depth-first with every parent's Destroyed before its children's: for
// root{a{a1}, b} the order is root, a, a1, b. [Object.DeleteLater] queues the
// destruction on the object's loop.
//
// # The threading contract
//
// An object's methods are called, and its signals emitted, on its loop, as
// Qt requires of a QObject and its thread. Work crosses goroutines through
// [Loop.Post], [Loop.Invoke] or a queued connection. A parent and its
// children share one loop; only a whole tree moves, from its root
// ([ErrHasParent]), carrying its active timers with their remaining time.
//
// An object with no loop is in blocking mode (Qt's objects in a thread
// without an event loop). Its internal events — what its own background work
// hands back with [Object.PostEvent], and DeleteLater — wait in a queue of
// the object until [Object.ProcessEvents] or [Object.WaitForEvents] runs
// them on the calling goroutine, where the object's signals are then emitted;
// blocking calls such as a socket's WaitForReadyRead are built on them.
// Internal events run one at a time, so such a blocking call made inside one
// of them (a slot waiting for more data) runs the later ones. An object with
// a loop gets its internal events pumped through that loop, and only there:
// its ProcessEvents or WaitForEvents called from any other goroutine returns
// [ErrWrongLoop] instead of racing with the loop. Destroying an object wakes
// a WaitForEvents blocked on it ([ErrDestroyed]). A timer needs a loop.
//
// Background work that reports far more often than the loop reads — a
// socket's reader saying "more data arrived" — uses a [Notifier]
// ([Object.NewNotifier]): however often Notify is called, at most one event
// is queued until it has run, and Notify allocates nothing.
//
// Any goroutine may wait for a condition on an object with
// [Object.WaitUntil]: the condition is evaluated where the object's state
// may be read — on its loop after each pass, or, in blocking mode, on the
// caller after each batch of internal events — so a test or a blocking call
// waits for what the loop changes without a race:
//
//	err := sock.WaitUntil(ctx, func() bool { return sock.State() == Connected })
//
// # A closed loop
//
// [Loop.Close] is final, and every operation has one answer on a closed
// loop: it is refused with [ErrLoopClosed] where it can return an error,
// and otherwise dropped and logged at Error level (first drop, then at each
// power of two of [Loop.Dropped]), never queued where nothing will run it:
//
//   - Post, Invoke, Start, Run, Timer.Start, NewObject and MoveToLoop to
//     it: ErrLoopClosed. Invoke and WaitUntil already waiting return it.
//   - Queued emissions to a receiver on it: dropped and logged.
//     BlockingQueued emissions: return at once without running the slot
//     (and logged); an emitter already waiting is released by Close.
//   - PostEvent to an object on it: dropped and logged; ProcessEvents and
//     WaitForEvents on such an object: ErrLoopClosed.
//   - DeleteLater on an object on it: destroys the object at once, on the
//     calling goroutine. A DeleteLater still pending when the loop closes
//     destroys its object in Close, as the loop's last event.
//   - What was queued when Close ran is dropped and let go: the loop keeps
//     no closure or argument reachable.
//   - MoveToLoop away from it still works, and the object's later events
//     run on the new loop.
//
// # Timers
//
// A [Timer] (QTimer) is an object that emits Timeout on its loop after its
// interval, once ([WithSingleShot]) or repeatedly. [Timer.RemainingTime] is
// -1 when inactive, as in Qt. [SingleShot] and [SingleShotTo] are
// QTimer::singleShot, the latter cancelled when its receiver is destroyed.
// Timers keep time with package time only — each loop waits on one
// time.Timer set to its earliest deadline — so under testing/synctest an
// hour-long interval takes no real time; a closed loop holds no timer.
//
// # Name-based wiring
//
// Qt's connect(sender, SIGNAL("readyRead()"), receiver, SLOT("read()"))
// names signals by string. A [Bus] bridges typed signals and the topics of a
// github.com/asaskevich/EventBus: [PublishTo] and [Publish0] publish a
// signal on the topic "<objectName>.<signalName>" ([Topic]; an unnamed
// object has none), and [SubscribeTo] and [Subscribe0] re-emit a topic on a
// typed signal, on the loop of the signal's object. Types are checked as
// soon as both sides are known: subscribing a signal that cannot take the
// topic's published type fails with a [*BusTypeError]; an event published
// by name that does not fit is reported as one (to [WithErrorHandler], and
// the first of each subscription to the log), never as a panic inside
// EventBus.
//
// # Failures are loud
//
// Without [WithLogger], a loop and a bus write their Error-level entries —
// a recovered panic with its stack, an undelivered bus event — to standard
// error. WithLogger(zap.NewNop()) silences them on purpose.
//
// # Qt → slotnet
//
//	QObject                          Object
//	QObject::destroyed               Object.Destroyed
//	QObject::objectNameChanged       Object.ObjectNameChanged
//	QObject::deleteLater             Object.DeleteLater
//	QObject::moveToThread            Object.MoveToLoop
//	QObject::thread                  Object.Loop
//	QObject::setParent, children     Object.SetParent, Object.Children
//	QObject::findChild(ren)          Object.FindChild, Object.FindChildren
//	QObject::blockSignals            Object.BlockSignals
//	signals: in a QObject subclass   signal fields + Object.BindSignals
//	QThread + QEventLoop             Loop (Start/Run, Quit/Exit, Close)
//	QThread::currentThread() == t    Loop.IsCurrent
//	QThread::currentThread()         CurrentLoop (tests, diagnostics)
//	QEventLoop::exec                 Loop.Run
//	QCoreApplication::postEvent      Loop.Post, Object.PostEvent
//	QMetaObject::invokeMethod        Loop.Invoke (blocking queued)
//	QCoreApplication::processEvents  Loop.ProcessEvents
//	QTimer                           Timer
//	QTimer::singleShot               SingleShot, SingleShotTo
//	QTimer::remainingTime            Timer.RemainingTime
//	connect(SIGNAL(..), SLOT(..))    Bus, PublishTo, SubscribeTo
package core
