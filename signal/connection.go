package signal

// Connection is the handle Connect returns: it can disconnect itself and say
// whether it is still connected. (Placeholder: the signal helper completes it.)
type Connection struct{}

// Disconnect breaks the connection; it reports whether it was connected.
func (c *Connection) Disconnect() bool { return false }
