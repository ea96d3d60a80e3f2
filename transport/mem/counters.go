package mem

// Counters returns a snapshot of the host's counters.
func (h *Host) Counters() HostCounters {
	h.mu.Lock()
	s := h.stats
	h.mu.Unlock()
	s.StreamBytesSent += h.streamSent.Load()
	s.StreamBytesReceived += h.streamRecv.Load()
	s.Resets += h.streamResets.Load()
	s.ConnectionsRefused += h.streamRefused.Load()
	return s
}
