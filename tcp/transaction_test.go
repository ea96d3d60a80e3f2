package tcp_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
)

// A DataStream over a socket uses the socket's read transactions: the
// bytes of a frame that has not fully arrived stay in the socket's buffer
// (BytesAvailable counts them, the stream holds none), as with Qt's
// QDataStream over a QTcpSocket (the fortune client's readFortune).
func TestDataStreamUsesTheSocketsTransactions(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c, p := blockingPair(t, w)

		var frame bytes.Buffer
		out := core.NewDataStreamWriter(&frame)
		out.WriteString("You've been leading a dog's life. Stay off the furniture.")
		require.NoError(t, out.Err())
		half := frame.Len() / 2

		_, _ = p.Write(frame.Bytes()[:half])
		for c.BytesAvailable() < int64(half) {
			require.NoError(t, c.WaitForReadyRead(10*time.Second))
		}
		in := core.NewDataStream(c)
		in.StartTransaction()
		assert.True(t, c.IsTransactionStarted(), "the stream's transaction is the socket's")
		_ = in.ReadString()
		assert.False(t, in.CommitTransaction(), "half a frame")
		assert.False(t, c.IsTransactionStarted())
		assert.Equal(t, int64(half), c.BytesAvailable(), "the partial frame stays in the socket")
		assert.Zero(t, in.Buffered(), "the stream holds nothing itself")

		_, _ = p.Write(frame.Bytes()[half:])
		for c.BytesAvailable() < int64(frame.Len()) {
			require.NoError(t, c.WaitForReadyRead(10*time.Second))
		}
		in.StartTransaction()
		got := in.ReadString()
		require.True(t, in.CommitTransaction(), "the whole frame: %v", in.Err())
		assert.Equal(t, "You've been leading a dog's life. Stay off the furniture.", got)
		assert.Zero(t, c.BytesAvailable())
	})
}

// What a transaction has read stays buffered and counts against the read
// buffer size until the commit; the commit makes room, and the reader
// resumes.
func TestTransactionCommitReleasesTheReadBuffer(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c, p := blockingPair(t, w)
		require.NoError(t, c.SetReadBufferSize(8))

		_, _ = p.Write([]byte("0123456789abcdefghij"))
		for c.BytesAvailable() < 8 {
			require.NoError(t, c.WaitForReadyRead(10*time.Second))
		}
		require.NoError(t, c.StartTransaction())
		b, err := c.ReadN(100)
		require.NoError(t, err)
		assert.Equal(t, "01234567", string(b))
		assert.Zero(t, c.BytesAvailable())
		require.NoError(t, c.RollbackTransaction())
		assert.Equal(t, int64(8), c.BytesAvailable(), "a rollback keeps the bytes")

		require.NoError(t, c.StartTransaction())
		b, err = c.ReadN(5)
		require.NoError(t, err)
		assert.Equal(t, "01234", string(b))
		require.NoError(t, c.CommitTransaction())
		assert.Equal(t, int64(3), c.BytesAvailable())
		for c.BytesAvailable() < 8 { // only the commit's 5 bytes of room let these in
			require.NoError(t, c.WaitForReadyRead(10*time.Second))
		}
		assert.Equal(t, "56789abc", string(c.Peek(100)))
		var rest []byte
		for len(rest) < 15 {
			if c.BytesAvailable() == 0 {
				require.NoError(t, c.WaitForReadyRead(10*time.Second))
			}
			rest = append(rest, c.ReadAll()...)
		}
		assert.Equal(t, "56789abcdefghij", string(rest), "the commit let the rest in")
	})
}
