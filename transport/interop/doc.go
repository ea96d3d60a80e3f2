// Package interop shows real third-party network stacks running over
// slotnet's transports unchanged: net/http, gRPC, crypto/tls, miekg/dns and
// a websocket library, each with the one line of glue it needs (see the
// Examples, and docs/transport.md). It is a separate Go module so that the
// main module does not depend on those stacks; `make test` and CI run its
// tests. Each example runs in real time as an Example and again inside a
// testing/synctest bubble as a test, where the in-memory network takes no
// real time.
package interop
