// Package dns will hold slotnet's host-name lookups (Qt's QHostInfo):
// asynchronous lookups with ids and abort, a synchronous FromName, and a cache,
// all resolved through the pluggable transport.
//
// This package is not built yet; see docs/ and the project's open issues.
package dns
