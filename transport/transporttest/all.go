package transporttest

import "testing"

// TestAll runs every section of the suite on env, each as a subtest named
// after its function without the "Test" prefix ("Streams", "Deadlines",
// ..., "Conn"), so `go test -run 'TestMine/Deadlines/PastRead'` picks one
// check.
func TestAll(t *testing.T, env Env) {
	sections := []struct {
		name string
		run  func(*testing.T, Env)
	}{
		{"Streams", TestStreams},
		{"Listener", TestListener},
		{"Deadlines", TestDeadlines},
		{"HalfClose", TestHalfClose},
		{"Reset", TestReset},
		{"BackPressure", TestBackPressure},
		{"Errors", TestErrors},
		{"Datagrams", TestDatagrams},
		{"Broadcast", TestBroadcast},
		{"Multicast", TestMulticast},
		{"Resolver", TestResolver},
		{"Interfaces", TestInterfaces},
		{"Socket", TestSocket},
		{"Conn", TestConn},
	}
	for _, s := range sections {
		t.Run(s.name, func(t *testing.T) { s.run(t, env) })
	}
}
