package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/remote"
	"github.com/slotnet/slotnet/signal"
)

// user is a chat user: a replica of the room.
type user struct {
	name     string
	rep      *remote.Replica
	post     *remote.RemoteSlot[Message, int]
	setTopic *remote.RemoteSlot[string, string]
	mu       sync.Mutex // serialises lines on out
	out      io.Writer
}

func (u *user) say(format string, a ...any) {
	u.mu.Lock()
	defer u.mu.Unlock()
	fmt.Fprintf(u.out, "[%s] %s\n", u.name, fmt.Sprintf(format, a...))
}

func newUser(nc *nats.Conn, loop *core.Loop, name string, out io.Writer) (*user, error) {
	rep, err := remote.NewReplica(nc, loop, "chat", nil)
	if err != nil {
		return nil, err
	}
	u := &user{name: name, rep: rep, out: out}
	var message signal.Signal[Message]
	if err := remote.ReplicaSignal(rep, "message", &message, nil); err != nil {
		return nil, err
	}
	topic, err := remote.ReplicaProperty[string](rep, "topic", nil)
	if err != nil {
		return nil, err
	}
	if u.post, err = remote.ReplicaSlot[Message, int](rep, "post", nil, nil); err != nil {
		return nil, err
	}
	if u.setTopic, err = remote.ReplicaSlot[string, string](rep, "setTopic", nil, nil); err != nil {
		return nil, err
	}
	_, _ = message.Connect(func(m Message) { u.say("%s: %s", m.From, m.Text) })
	_, _ = topic.Changed.Connect(func(t string) { u.say("topic: %s", t) })
	_, _ = rep.Missed.Connect(func(n int) { u.say("missed %d messages", n) })
	return u, nil
}

// runUser joins the room and posts each line of in until it ends.
func runUser(url, name string, in io.Reader, out io.Writer) error {
	if name == "" {
		return fmt.Errorf("-name is required")
	}
	nc, err := nats.Connect(url, nats.Name(name))
	if err != nil {
		return err
	}
	defer nc.Close()
	loop := core.NewLoop(core.WithName(name))
	if err := loop.Start(); err != nil {
		return err
	}
	defer loop.Close()
	u, err := newUser(nc, loop, name, out)
	if err != nil {
		return err
	}
	defer u.rep.Destroy()
	valid := make(chan struct{})
	var once sync.Once
	_, _ = u.rep.StateChanged.Connect(func(c remote.StateChange) {
		if c.State == remote.Valid {
			once.Do(func() { close(valid) })
		}
	})
	if err := u.rep.Start(); err != nil {
		return err
	}
	<-valid
	u.say("joined")
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		u.send(sc.Text())
	}
	return sc.Err()
}

// send posts one line, or sets the topic for "/topic text".
func (u *user) send(line string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if t, ok := strings.CutPrefix(line, "/topic "); ok {
		if _, err := u.setTopic.Call(ctx, t); err != nil {
			u.say("error: %v", err)
		}
		return
	}
	if _, err := u.post.Call(ctx, Message{From: u.name, Text: line}); err != nil {
		u.say("error: %v", err)
	}
}
