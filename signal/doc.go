// Package signal implements slotnet's typed signals and connections, the Go
// counterpart of Qt's signal/slot mechanism. It imports nothing else of
// slotnet: core builds QObject, event loops and timers on top of it.
package signal
