package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/slotnet/slotnet/remote"
	"github.com/slotnet/slotnet/signal"
)

// Room is the chat room, the source object.
type Room struct {
	Message      signal.Signal[Message]
	TopicChanged signal.Signal[string]

	mu    sync.Mutex // guards count and topic: slots run on NATS goroutines
	count int
	topic string
}

// Post is the room's slot: it broadcasts a message and returns how many
// the room has carried.
func (r *Room) Post(_ context.Context, m Message) (int, error) {
	if m.Text == "" {
		return 0, remote.NewSlotError("400", "empty message")
	}
	r.mu.Lock()
	r.count++
	n := r.count
	r.mu.Unlock()
	r.Message.Emit(m)
	return n, nil
}

// SetTopic is the room's slot that changes its topic property.
func (r *Room) SetTopic(_ context.Context, t string) (string, error) {
	r.mu.Lock()
	r.topic = t
	r.mu.Unlock()
	r.TopicChanged.Emit(t)
	return t, nil
}

// startServer runs nats-server on a loopback address.
func startServer(listen string) (*server.Server, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, err
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil, err
	}
	if p == 0 {
		p = server.RANDOM_PORT
	}
	srv, err := server.NewServer(&server.Options{Host: host, Port: p, NoLog: true, NoSigs: true})
	if err != nil {
		return nil, err
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("nats-server not ready")
	}
	return srv, nil
}

// runRoom serves the room until in ends.
func runRoom(listen string, in io.Reader, out io.Writer) error {
	srv, err := startServer(listen)
	if err != nil {
		return err
	}
	defer srv.WaitForShutdown()
	defer srv.Shutdown()
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		return err
	}
	defer nc.Close()
	room := &Room{topic: "welcome"}
	src, err := remote.NewSource(nc, "chat")
	if err != nil {
		return err
	}
	defer src.Close()
	if err := expose(src, room); err != nil {
		return err
	}
	fmt.Fprintln(out, "room on", srv.ClientURL())
	_, _ = io.Copy(io.Discard, in)
	return nil
}

func expose(src *remote.Source, room *Room) error {
	if err := remote.ExposeSignal(src, "message", &room.Message, nil); err != nil {
		return err
	}
	if err := remote.ExposeProperty(src, "topic", room.topic, &room.TopicChanged, nil); err != nil {
		return err
	}
	if err := remote.ExposeSlot(src, "post", room.Post, nil, nil); err != nil {
		return err
	}
	if err := remote.ExposeSlot(src, "setTopic", room.SetTopic, nil, nil); err != nil {
		return err
	}
	return src.Start()
}
