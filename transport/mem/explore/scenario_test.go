package explore_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport/mem/explore"
)

// Every input decodes to a scenario whose encoding decodes back to it and
// is no longer than the input's meaningful bytes.
func FuzzDecodeEncode(f *testing.F) {
	explore.AddSeeds(f, 8)
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := explore.Decode(data)
		enc := s.Encode()
		require.Equal(t, s, explore.Decode(enc))
		assert.LessOrEqual(t, len(enc), 20)
		assert.False(t, bytes.HasSuffix(enc, []byte{0}), "trailing zeros are trimmed")
	})
}

func TestGenerateIsDeterministic(t *testing.T) {
	assert.Equal(t, explore.Decode(nil), explore.Generate(0))
	for i := range 50 {
		assert.Equal(t, explore.Generate(i), explore.Generate(i))
	}
	assert.NotEqual(t, explore.Generate(1), explore.Generate(2))
}

func TestParseCorpusErrors(t *testing.T) {
	for text, want := range map[string]string{
		"[]byte(\"x\")\n":                            "not a fuzz corpus file",
		"go test fuzz v1\nstring(\"x\")\n":           "want one []byte(...) value",
		"go test fuzz v1\n[]byte(\"x\")\nint(1)\n":   "want one []byte(...) value",
		"go test fuzz v1\n[]byte(\"x)\n":             "corpus value",
		"go test fuzz v1\n[]byte(\"a\\x00\\\"b\")\n": "",
	} {
		data, err := explore.ParseCorpus(text)
		if want == "" {
			require.NoError(t, err)
			assert.Equal(t, []byte("a\x00\"b"), data)
			continue
		}
		assert.ErrorContains(t, err, want, text)
	}
	_, err := explore.ReadCorpusFile("testdata/no-such-file")
	assert.Error(t, err)
}
