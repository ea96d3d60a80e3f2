// Package signal implements slotnet's typed signals and connections, the Go
// counterpart of Qt's signal/slot mechanism. It imports nothing else of
// slotnet: core builds QObject, event loops and timers on top of it.
//
// # Signals and slots
//
// A signal is a field of the object that emits it. [Signal0] carries no
// value and calls func() slots; [Signal] carries one value of type T and
// calls func(T) slots (several values travel as one struct). The zero value
// of both is ready to use:
//
//	type Counter struct {
//		ValueChanged signal.Signal[int]
//	}
//
//	conn, err := c.ValueChanged.Connect(func(v int) { fmt.Println(v) })
//	c.ValueChanged.Emit(42)
//	conn.Disconnect()
//
// Connect returns a [*Connection], which disconnects itself and says whether
// it is still connected. [Signal.DisconnectAll] breaks every connection,
// [Signal.IsConnected] tells (with one atomic load) whether building a
// costly value to emit is worth it, and [Signal.Receivers] counts the live
// connections.
//
// # Objects: emitters and receivers
//
// The per-object state a signal consults is a [Host]: the loop the object
// lives on (its [Dispatcher]), whether its signals are blocked, the signals
// that are part of the object and the connections that must die with it.
// core.Object embeds one. A signal bound to a Host ([Signal.Bind], or all
// the signal fields of a struct at once with [Host.BindSignals], which
// core.Object.BindSignals calls) is part of that object for life:
//
//   - it emits nothing while the Host's signals are blocked;
//   - Auto and BlockingQueued connections compare the Host's loop with the
//     receiver's;
//   - [Host.Destroy] disconnects it for good: a later Connect fails with
//     [ErrDestroyed] and Emit does nothing (it has no connection left);
//   - it cannot be bound to another Host ([ErrAlreadyBound]).
//
// An unbound signal has no loop and is never blocked: right for a
// free-standing signal, a mistake for a field of a type that embeds an
// object. That mistake is caught when such a value is used as a receiver:
// [To] refuses a struct with a signal field bound to no Host
// ([ErrUnbound]).
//
// Anything with a Host is a [Receiver]. Passing one with [To] makes it the
// connection's receiver, Qt's context object: queued calls run on the
// receiver's loop, Auto decides from it, and the connection is broken when
// the receiver's [Host.Destroy] runs (a destroyed receiver is refused with
// [ErrReceiverDestroyed]).
//
// # Connection kinds
//
// A [Kind] says how an emission reaches a slot. Pass it with [WithKind] or
// directly, as in sig.Connect(fn, signal.Queued, signal.To(obj)).
//
//   - [Direct]: the slot runs inside Emit, on the emitting goroutine.
//   - [Queued]: the call is posted to the receiver's Dispatcher and runs when
//     its loop drains it; Emit returns at once. The value is copied into a
//     per-connection queue: no closure, no boxing, no allocation per call.
//   - [BlockingQueued]: as Queued, and Emit waits until the slot has run.
//     When the emitter lives on the receiver's loop, the slot runs directly
//     instead, since waiting for its own loop would deadlock. (Emitting from
//     the receiver's loop through an unbound signal still deadlocks, as do
//     two loops waiting on each other, and as they do in Qt.)
//   - [Auto], the default: Go has no goroutine identity, so the choice is
//     made from loop affinity. The slot runs directly when the connection
//     has no receiver, when the receiver has no loop, or when the emitter's
//     loop is the receiver's loop; otherwise the call is queued. The rule is
//     applied at each emission, so moving an object to another loop
//     ([Host.SetDispatcher]) takes effect at once; it costs an atomic load
//     or two per emission.
//
// A Queued or BlockingQueued connection needs a loop to post to. Without
// To, the bound emitter is the receiver (as the sender is the context of a
// context-less connection in Qt); with neither, Connect fails with
// [ErrNoReceiver], and with a receiver that has no loop, with [ErrNoLoop].
// If the receiver leaves its loop later (SetDispatcher(nil)), its calls run
// directly. Calls already queued when a receiver moves to another loop are
// delivered by the loop they were posted to.
//
// A queued call whose connection was disconnected, or whose receiver was
// destroyed, before delivery is dropped. A blocked BlockingQueued emitter is
// then released all the same, and also when the slot panics on the loop.
//
// # Flags
//
//   - [UniqueConnection](key): a second connection with the same key on the same signal
//     is refused with [ErrDuplicateConnection] while the first is connected.
//     Qt compares the receiver and slot to find duplicates; Go functions are
//     not comparable, so the caller names the connection instead.
//   - [SingleShotConnection]: the connection disconnects itself when an emission
//     claims it, before the slot runs; the slot runs at most once even when
//     several goroutines emit at the same time. A queued single-shot call
//     still pending is cancelled by Disconnect or by destroying the receiver.
//     [Connection.Ran] then tells the connection's owner whether the slot
//     ran or was cancelled (Disconnect first: after it the answer is final).
//
// # The emission contract
//
//   - Slots are called in connection order.
//   - A slot disconnected during an emission is not called later in it; a
//     slot connected during an emission is not called in it.
//   - Connect and Disconnect are safe from any goroutine, also during an
//     emission: the connections form an immutable snapshot behind an atomic
//     pointer, replaced on every change (copy on write).
//   - An emission with only direct connections takes no lock, writes no
//     shared memory and allocates nothing; two goroutines may emit the same
//     signal at once.
//   - An emitter whose Host has SignalsBlocked emits nothing.
//   - A direct slot's panic reaches the emitter, as any Go call's would. A
//     queued slot's panic is the loop's: see [Dispatcher.SetPanicHandler].
//
// # Disconnecting from another goroutine
//
// Disconnect does not wait for calls already under way, and takes no lock
// that an emission would take. What it guarantees:
//
//   - On the goroutine that emits, or on the receiver's loop (which
//     delivers the queued calls), Disconnect is exact: once it has
//     returned, the slot is not called again — not later in the emission
//     under way, not for queued calls posted before it.
//   - From any other goroutine, a call that had already started when
//     Disconnect was called may still run, or be running, after Disconnect
//     returned: a direct emission under way on another goroutine that had
//     already passed the slot's check, and a queued call whose delivery had
//     begun on the loop. Each such call is one that started before
//     Disconnect; every call that starts after Disconnect returned is
//     dropped — queued calls posted before it included, since a queued call
//     checks its connection when it is delivered.
//
// Qt promises no more across threads. To know that a slot can no longer
// run, disconnect on its receiver's loop (post the Disconnect there), or
// for a single-shot connection, Disconnect and then ask [Connection.Ran].
//
// # Dispatchers
//
// A [Dispatcher] is the event queue of one loop (core.Loop wraps one). Any
// goroutine posts to it ([Dispatcher.Post], [Dispatcher.PostEvent]); the
// loop's goroutine waits on [Dispatcher.Wake] and runs the events with
// [Dispatcher.Drain], in posting order. Queued calls of every connection go
// through the same queue, so their order across signals is the order of the
// emissions. Consecutive calls of one connection, with nothing posted in
// between, travel as one event (a run), so Drain and Pending count events,
// not calls. A producer that outruns a loop is never blocked: every 1024
// events or calls behind, it yields its processor so the loop can catch up.
//
// A Drain called from inside an event (a nested loop: a slot that waits)
// keeps that order across all signals, as Qt's nested processEvents does:
// it finishes the run under way, delivers the rest of the enclosing batch,
// then what was posted before it was called. If A1, C1 and B1 are emitted
// and A1's slot emits B2 and drains, the slots see A1 C1 B1 B2.
//
// [Dispatcher.Close] ends a dispatcher for good (core.Loop.Close calls it):
// what is still queued is dropped and let go, and reported to the handler
// set with [Dispatcher.SetDropHandler]; afterwards Post and PostEvent fail
// with [ErrLoopClosed], a Queued emission to it is dropped and reported,
// and a BlockingQueued emission returns at once without running its slot
// — an emitter already waiting is released by Close. Nothing piles up on a
// closed loop and no emitter hangs on one.
//
// # Qt → slotnet
//
//	QObject::connect(s, &S::sig, r, &R::slot)   s.Sig.Connect(r.Slot, signal.To(r))
//	QObject::connect(s, &S::sig, functor)       s.Sig.Connect(fn)
//	QObject::disconnect(connection)             conn.Disconnect()
//	QMetaObject::Connection                     *signal.Connection
//	emit sig(v)                                 s.Sig.Emit(v)
//	Qt::AutoConnection                          signal.Auto (default)
//	Qt::DirectConnection                        signal.Direct
//	Qt::QueuedConnection                        signal.Queued
//	Qt::BlockingQueuedConnection                signal.BlockingQueued
//	Qt::UniqueConnection                        signal.UniqueConnection(key)
//	Qt::SingleShotConnection                    signal.SingleShotConnection()
//	(no Qt counterpart)                         Connection.Ran
//	QObject::blockSignals / signalsBlocked      Host.BlockSignals / Host.SignalsBlocked
//	QObject::isSignalConnected                  Signal.IsConnected
//	QObject::receivers                          Signal.Receivers
//	QObject::thread / moveToThread              Host.Dispatcher / Host.SetDispatcher
//	QObject::~QObject (drops its connections)   Host.Destroy
//	signals: of a QObject subclass              signal fields + Host.BindSignals
//	QCoreApplication::postEvent                 Dispatcher.PostEvent
package signal
