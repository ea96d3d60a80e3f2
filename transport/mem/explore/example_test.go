package explore_test

import (
	"fmt"

	"github.com/slotnet/slotnet/transport/mem/explore"
)

// Any bytes are a scenario: the fuzzer's input decides the order of
// simultaneous deliveries, the segmentation, the delays and the seed. The
// two committed inputs that make the planted bug of this package's tests
// fail are tie orders alone, on a network without delay; a short input
// leaves the rest at its simplest.
func ExampleDecode() {
	for _, in := range []string{"", "\x01", "A", "\x00\x00\x00\x00\x00\x00\x00\x00\x81\x03\x04\x02\x07"} {
		s := explore.Decode([]byte(in))
		fmt.Printf("%q: %v (encodes back to %q)\n", in, s, s.Encode())
	}
	// Output:
	// "": tie=0 segment=whole latency=0s jitter=0s seed=0 (encodes back to "")
	// "\x01": tie=1 segment=whole latency=0s jitter=0s seed=0 (encodes back to "\x01")
	// "A": tie=65 segment=whole latency=0s jitter=0s seed=0 (encodes back to "A")
	// "\x00\x00\x00\x00\x00\x00\x00\x00\x81\x03\x04\x02\a": tie=0 segment=fixed(4)+short reads latency=10ms jitter=2ms seed=7 (encodes back to "\x00\x00\x00\x00\x00\x00\x00\x00\x81\x03\x04\x02\a")
}

// The text of a corpus file, as go test -fuzz writes one and as
// testdata/fuzz/FuzzUpperPlantedBug/minimised holds the minimised input.
func ExampleFormatCorpus() {
	text := explore.FormatCorpus([]byte("\x01"))
	fmt.Print(text)
	data, err := explore.ParseCorpus(text)
	fmt.Println(explore.Decode(data), err)
	// Output:
	// go test fuzz v1
	// []byte("\x01")
	// tie=1 segment=whole latency=0s jitter=0s seed=0 <nil>
}
