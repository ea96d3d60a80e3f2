//go:build !linux

package netsock

// parseCmsg is Linux-only; elsewhere parseMeta uses x/net's parser.
func parseCmsg([]byte) cmsgMeta { return cmsgMeta{hopLimit: -1} }

// haveCmsgParser says parseCmsg understands this system's messages.
const haveCmsgParser = false
