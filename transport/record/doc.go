// Package record records a real network session and replays it in memory.
package record
