// Package remote carries slotnet's typed signals across processes and
// machines on NATS: Qt Remote Objects' sources and replicas, with what
// QtRO does not give — no signal lost unnoticed, typed errors, context
// cancellation and durable replay.
//
// # Sources and replicas
//
// A [Source] exposes the signals, properties and slots of a Go value under
// the subject prefix "<prefix>.<name>" (WithPrefix, default "slotnet"):
//
//	src, _ := remote.NewSource(nc, "thermo")
//	remote.ExposeSignal(src, "reading", &th.Reading, nil)          // signal.Signal[float64]
//	remote.ExposeProperty(src, "unit", "C", &th.UnitChanged, nil)  // value + NOTIFY signal
//	remote.ExposeSlot(src, "calibrate", th.Calibrate, nil, nil)    // func(ctx, Req) (Resp, error)
//	src.Start()
//
// A [Replica], in another process, declares the same members with the same
// types and emits them on its own loop. It is a core.Object: the replica
// signals are bound to it and their connections die with it.
//
//	rep, _ := remote.NewReplica(nc, loop, "thermo", nil)
//	var reading signal.Signal[float64]
//	remote.ReplicaSignal(rep, "reading", &reading, nil)
//	unit, _ := remote.ReplicaProperty[string](rep, "unit", nil)
//	calibrate, _ := remote.ReplicaSlot[Offset, Result](rep, "calibrate", nil, nil)
//	rep.Start()
//
// The typed API has no any: ExposeSignal, ReplicaSignal, ReplicaProperty
// and ReplicaSlot are generic, and a [Codec] per member turns values into
// bytes. nil means [JSON] (encoding/json: any type without generated code,
// readable by every NATS tool, tolerant of added fields; its decoder
// returns errors for hostile bytes, which the package fuzzes).
//
// # States
//
// A replica's [State] follows QtRO: Uninitialized until Start, Default
// (zero values, no source yet), Valid once a snapshot from a source with
// the same interface arrived, Suspect while it may have lost messages, and
// SignatureMismatch when the source's interface differs. The signature is
// a hash of the members' kinds, names and codec schemas (the shape of the
// Go types, without package paths). StateChanged reports each change.
//
// # Order, gaps and Missed
//
// A source publishes everything from its one connection, under one lock,
// with a header "Slotnet-Seq: epoch/sequence/signals" ([HeaderSeq]) and a
// protocol version ([HeaderProto], "1.0"; replicas accept any 1.x and
// ignore headers and trailing fields they do not know). A replica has one
// wildcard subscription per source. Order is guaranteed per source, not
// across sources.
//
// A gap in the sequence, a slow-consumer drop or a disconnect makes the
// replica Suspect; it fetches a snapshot (the properties with the sequence
// of their last change, and the source's position) and returns to Valid.
// [Replica.Missed] reports the signals it will never emit, counted exactly
// from the signals field: per epoch, signals emitted plus Missed equal the
// signals published since the replica's first snapshot. Property changes
// are never missed, since the snapshot recovers them. A restarted source
// has a new epoch; the replica follows it from its first message.
//
// A replica bounds its work in flight ([WithPendingLimit]); beyond it the
// NATS client buffers up to [WithPendingMessages] and then drops, which the
// replica sees as a slow consumer: memory stays bounded and the loss is
// counted.
//
// # Remote slots
//
// [RemoteSlot.Call] is a NATS request/reply on the source's micro service
// endpoint. It returns the typed reply, or [ErrNoResponders] at once when no
// source listens, [ErrTimeout] (also matching context.DeadlineExceeded)
// when ctx's deadline or [WithCallTimeout] passes, ctx's error when ctx is
// cancelled, and a [*SlotError] carrying the slot's own code and message.
//
// # Durable signals
//
// [Durable] on both sides makes a signal go through JetStream (stream
// "SLOTNET_<prefix>_<name>"). Each message has a Nats-Msg-Id, so a retried
// publish is stored once; a replica with [WithDurableName] has a durable
// consumer, acknowledges each signal after emitting it, and one message is
// in flight at a time: a replica restarted with the same name replays what
// it missed in order, each signal once.
//
// # Discovery, TLS and auth
//
// Each source is a micro service (name = source name, metadata with its
// prefix, signature and protocol). [Discover] sends $SRV.INFO and returns
// the slotnet sources that answer. TLS, credentials and the like are the
// nats.Conn's own options: the package takes a connection, it does not
// make one.
//
// # Faults as tests
//
// [Dialer] makes nats.go dial through a slotnet transport, so a client on
// the in-memory network (transport/mem) meets its partitions, latency and
// resets; package remotetest runs an embedded nats-server (no listener,
// in-process clients, restartable, JetStream in a temporary directory) and
// bridges it onto the in-memory network.
//
// # Qt Remote Objects → slotnet
//
//	QRemoteObjectHost / enableRemoting(obj)     NewSource + Expose… + Source.Start
//	.rep SIGNAL(sig(T))                         ExposeSignal / ReplicaSignal[T]
//	.rep PROP(T p NOTIFY)                       ExposeProperty / ReplicaProperty[T], Property.Changed
//	.rep SLOT(R s(A))                           ExposeSlot / ReplicaSlot[A, R], RemoteSlot.Call
//	QRemoteObjectNode::acquire<R>()             NewReplica + Replica… + Replica.Start
//	QRemoteObjectReplica::State                 State (Uninitialized, Default, Valid, Suspect, SignatureMismatch)
//	QRemoteObjectReplica::stateChanged          Replica.StateChanged (StateChange{State, Old})
//	QRemoteObjectReplica::isReplicaValid        Replica.State() == Valid
//	QRemoteObjectPendingReply<T>                RemoteSlot.Call (blocking, with ctx)
//	repc signature check                        Source.Signature / Replica.Signature
//	QRemoteObjectRegistry                       Discover (micro $SRV.INFO)
//	(no Qt counterpart)                         Replica.Missed, Durable, SlotError
package remote
