package faultproxy_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/slotnet/slotnet/transport/faultproxy"
	"github.com/slotnet/slotnet/transport/mem"
)

// upper is the server of the upper-case line protocol, on a real socket.
func upper(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if _, err := io.WriteString(c, strings.ToUpper(line)); err != nil {
			return
		}
	}
}

// Example_upperLineOverProxy puts the fault proxy between a real client
// and a real server of the upper-case line protocol on loopback: 20 ms of
// latency each way, the client's bytes cut into single-byte segments, the
// same mem.Faults values a test gives the in-memory network.
func Example_upperLineOverProxy() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err == nil {
			upper(c)
		}
	}()

	p, err := faultproxy.New("127.0.0.1:0", ln.Addr().String(), faultproxy.WithSeed(42))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	_ = p.SetFaults(faultproxy.Upstream, mem.Faults{Latency: 20 * time.Millisecond,
		Segment: mem.Segmentation{Mode: mem.SegmentByte}})
	_ = p.SetFaults(faultproxy.Downstream, mem.Faults{Latency: 20 * time.Millisecond})

	start := time.Now()
	c, _ := net.Dial("tcp", p.Addr()) // the client dials the proxy
	_, _ = io.WriteString(c, "hello\n")
	answer, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Printf("%q after at least 80ms: %v\n", answer, time.Since(start) >= 80*time.Millisecond)
	st := p.Counters()
	fmt.Println("upstream segments:", st.Upstream.Segments, "bytes:", st.Upstream.Bytes)
	fmt.Println("downstream segments:", st.Downstream.Segments, "bytes:", st.Downstream.Bytes)
	c.Close()
	<-done
	ln.Close()
	// Output:
	// "HELLO\n" after at least 80ms: true
	// upstream segments: 6 bytes: 6
	// downstream segments: 1 bytes: 6
}
