package explore

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// corpusHeader starts every file of go test's fuzz corpus format.
const corpusHeader = "go test fuzz v1\n"

// ReadCorpusFile returns the input of a fuzz corpus file holding one
// []byte value (testdata/fuzz/FuzzX/name, as go test -fuzz writes them).
func ReadCorpusFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseCorpus(string(b))
}

// ParseCorpus parses the text of a corpus file holding one []byte value.
func ParseCorpus(text string) ([]byte, error) {
	body, ok := strings.CutPrefix(text, corpusHeader)
	if !ok {
		return nil, fmt.Errorf("explore: not a fuzz corpus file (want %q first)", strings.TrimSpace(corpusHeader))
	}
	body = strings.TrimSpace(body)
	lit, ok := strings.CutPrefix(body, "[]byte(")
	if !ok || !strings.HasSuffix(lit, ")") || strings.Contains(lit, "\n") {
		return nil, fmt.Errorf("explore: corpus file holds %q, want one []byte(...) value", body)
	}
	s, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
	if err != nil {
		return nil, fmt.Errorf("explore: corpus value %s: %w", lit, err)
	}
	return []byte(s), nil
}

// FormatCorpus returns the text of a corpus file holding data, as go test
// -fuzz writes it.
func FormatCorpus(data []byte) string {
	return corpusHeader + "[]byte(" + strconv.Quote(string(data)) + ")\n"
}
