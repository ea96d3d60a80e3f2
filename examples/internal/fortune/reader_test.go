package fortune

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// trickle is a device whose bytes arrive when the test says: Read returns
// what has arrived, 0 bytes when nothing has (a slotnet socket's Read).
type trickle struct{ buf bytes.Buffer }

func (t *trickle) Read(p []byte) (int, error) {
	if t.buf.Len() == 0 {
		return 0, nil
	}
	return t.buf.Read(p)
}

func (t *trickle) BytesAvailable() int64 { return int64(t.buf.Len()) }

// Bytes arriving one at a time: no fortune until the last, then exactly it,
// and the next frame after it reads the same way.
func TestReaderByteByByte(t *testing.T) {
	for _, f := range []Framing{Qt56, Qt57} {
		t.Run(f.String(), func(t *testing.T) {
			dev := &trickle{}
			r := NewReader(f, dev)
			for _, want := range []string{Fortunes[0], "ünïcödé 🥠", ""} {
				frame, err := Frame(f, want)
				require.NoError(t, err)
				for i, b := range frame {
					dev.buf.WriteByte(b)
					got, ok, err := r.Next()
					require.NoError(t, err)
					if i < len(frame)-1 {
						require.False(t, ok, "a fortune after %d of %d bytes", i+1, len(frame))
						continue
					}
					require.True(t, ok)
					assert.Equal(t, want, got)
				}
				assert.Zero(t, dev.buf.Len())
			}
		})
	}
}

// The bytes of both framings, as Qt writes them.
func TestFrameBytes(t *testing.T) {
	got, err := Frame(Qt57, "Hi")
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 0, 0, 4, 0, 'H', 0, 'i'}, got)
	got, err = Frame(Qt56, "Hi")
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 8, 0, 0, 0, 4, 0, 'H', 0, 'i'}, got)
	_, err = Frame(Qt56, string(make([]byte, 40000)))
	assert.ErrorIs(t, err, ErrTooLong)
}

func TestReaderBadFrames(t *testing.T) {
	for name, c := range map[string]struct {
		f     Framing
		bytes []byte
	}{
		"qt57 odd length":            {Qt57, []byte{0, 0, 0, 3, 0, 'H', 0}},
		"qt56 count short of string": {Qt56, []byte{0, 5, 0, 0, 0, 4, 0, 'H', 0, 'i'}},
		"qt56 bytes after string":    {Qt56, []byte{0, 9, 0, 0, 0, 4, 0, 'H', 0, 'i', 0}},
	} {
		t.Run(name, func(t *testing.T) {
			dev := &trickle{}
			dev.buf.Write(c.bytes)
			_, ok, err := NewReader(c.f, dev).Next()
			assert.False(t, ok)
			assert.Error(t, err)
		})
	}
}

func TestParseFraming(t *testing.T) {
	for _, f := range []Framing{Qt56, Qt57} {
		got, err := ParseFraming(f.String())
		require.NoError(t, err)
		assert.Equal(t, f, got)
	}
	_, err := ParseFraming("qt6")
	assert.Error(t, err)
}
