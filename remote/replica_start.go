package remote

import (
	"fmt"

	"github.com/nats-io/nats.go"
)

// Start subscribes to the source (one wildcard subscription), starts the
// durable consumer if the replica has durable signals, and asks for a
// snapshot: the replica goes Default, then Valid when the source answers
// with the same signature (SignatureMismatch otherwise). It returns once
// subscribed; the states follow on the loop.
func (r *Replica) Start() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	if r.started {
		return ErrStarted
	}
	sub, err := r.nc.Subscribe(r.subj.pubAll(), r.onMsg)
	if err != nil {
		return fmt.Errorf("remote: replica %q: %w", r.name, err)
	}
	if err := sub.SetPendingLimits(r.cfg.pendingMsgs, -1); err != nil {
		_ = sub.Unsubscribe()
		return err
	}
	if err := r.nc.Flush(); err != nil { // the server has the subscription before we ask for a snapshot
		_ = sub.Unsubscribe()
		return fmt.Errorf("remote: replica %q: %w", r.name, err)
	}
	if len(r.durables) > 0 {
		if err := r.startConsumer(); err != nil {
			_ = sub.Unsubscribe()
			return err
		}
	}
	r.sub, r.started = sub, true
	r.status = r.nc.StatusChanged(nats.DISCONNECTED, nats.RECONNECTING, nats.CONNECTED)
	r.watch(r.status, sub.StatusChanged(nats.SubscriptionSlowConsumer))
	r.post(func() {
		r.setState(Default)
		r.fetch()
	})
	return nil
}

// watch turns connection and subscription trouble into Suspect.
func (r *Replica) watch(conn chan nats.Status, sub <-chan nats.SubStatus) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for {
			select {
			case <-r.ctx.Done():
				return
			case s, ok := <-conn:
				if !ok {
					return
				}
				r.post(func() { r.suspect("connection " + s.String()) })
			case _, ok := <-sub:
				if !ok {
					sub = nil
					continue
				}
				r.post(func() { r.suspect("slow consumer") })
			}
		}
	}()
}

// onMsg runs on the NATS client's delivery goroutine: it queues the
// message for the loop, posting one drain per batch rather than one event
// per message, and waits while WithPendingLimit messages are queued, so
// that a slow loop makes the client buffer, then drop (slow consumer).
func (r *Replica) onMsg(m *nats.Msg) {
	r.qmu.Lock()
	for len(r.queue) >= r.cfg.pending && r.ctx.Err() == nil {
		r.qcond.Wait()
	}
	if r.ctx.Err() != nil {
		r.qmu.Unlock()
		return
	}
	r.queue = append(r.queue, m)
	first := len(r.queue) == 1
	r.qmu.Unlock()
	if first {
		_ = r.loop.Post(r.drain)
	}
}

// drain handles the queued messages on the loop.
func (r *Replica) drain() {
	r.qmu.Lock()
	batch := r.queue
	r.queue = r.spare[:0]
	r.qmu.Unlock()
	for i, m := range batch {
		if r.ctx.Err() == nil {
			r.handle(m)
		}
		batch[i] = nil
	}
	r.qmu.Lock()
	r.spare = batch
	r.qcond.Broadcast()
	r.qmu.Unlock()
}
