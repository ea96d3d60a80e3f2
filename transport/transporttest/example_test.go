package transporttest_test

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/transporttest"
)

// Classify names the class of an error the way the suite compares them.
func ExampleClassify() {
	timeout := &transport.Error{Code: transport.SocketTimeoutError, Op: "read", Err: os.ErrDeadlineExceeded}
	refused := &transport.Error{Code: transport.ConnectionRefusedError, Op: "dial"}
	fmt.Println(transporttest.Classify(nil))
	fmt.Println(transporttest.Classify(io.EOF))
	fmt.Println(transporttest.Classify(fmt.Errorf("read: %w", io.EOF)))
	fmt.Println(transporttest.Classify(timeout))
	fmt.Println(transporttest.Classify(refused))
	fmt.Println(transporttest.Classify(errors.New("unclassified")))
	// Output:
	// ok
	// EOF
	// wrapped EOF
	// SocketTimeoutError+timeout
	// ConnectionRefusedError
	// UnknownSocketError
}

// An Outcome records what a differential scenario observed.
func ExampleOutcome() {
	var o transporttest.Outcome
	o.Data("read", []byte("hello"))
	o.Op("read", 0, io.EOF)
	o.Err("dial", &transport.Error{Code: transport.ConnectionRefusedError})
	for _, e := range o.Events {
		fmt.Println(e)
	}
	// Output:
	// read "hello"
	// read n=0 EOF
	// dial ConnectionRefusedError
}
