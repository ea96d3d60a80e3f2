// Package dns is slotnet's host-name lookup (Qt's QHostInfo): asynchronous
// lookups whose result arrives on a receiver's loop, with ids and abort; a
// synchronous FromName; reverse lookups; a cache (60 s, 128 names, as Qt)
// and one shared query per name in flight. Lookups go to a pluggable
// Resolver: any transport.Transport (the OS transport asks the system's
// resolver, an in-memory network its Zone) or ServerResolver, a DNS server
// spoken to over a transport.
//
// Addresses are transport.HostAddress (Qt's QHostAddress). An IP literal
// answers itself without a query; the empty name is HostNotFound ("No host
// name given"); an invalid name is HostNotFound ("Invalid hostname"), and a
// name over 253 characters HostNotFound ("Host not found", never sent), as
// Qt 5 says. Unicode names go on the wire in punycode, so
// both spellings resolve alike. Waiting lookups hold no goroutine: one
// goroutine runs per distinct query in flight.
//
// # Qt names
//
//	QHostInfo                               HostInfo
//	QHostInfo::HostInfoError                HostInfoError (NoError, HostNotFound, UnknownError)
//	QHostInfo::lookupHost(name, obj, slot)  LookupHost, Client.LookupHost, LookupHostContext
//	QHostInfo::abortHostLookup              AbortHostLookup (ErrUnknownID for an id not pending)
//	QHostInfo::fromName                     FromName, FromNameContext
//	QHostInfo::fromName(address) (reverse)  Client.LookupAddr
//	QHostInfo::localHostName                LocalHostName
//	QHostInfo::localDomainName              LocalDomainName
//	qt_qhostinfo_clear_cache, enable_cache  Client.ClearCache, WithCache, WithoutCache
//	(no Qt equivalent)                      ResolveHost: addresses for a socket to connect to
package dns
