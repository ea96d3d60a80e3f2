package faultproxy

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// call sends one request to h and returns the status and body.
func call(t *testing.T, h http.Handler, method, path, body string) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
	b, err := io.ReadAll(w.Result().Body)
	require.NoError(t, err)
	return w.Code, strings.TrimSpace(string(b))
}

func TestHTTPFaults(t *testing.T) {
	p := newProxy(t, "127.0.0.1:1")
	h := p.Handler()
	code, body := call(t, h, "POST", "/faults/upstream",
		`{"latency":"50ms","jitter":"5ms","bandwidth":1000000,"segment":{"mode":"random","size":16}}`)
	require.Equal(t, http.StatusOK, code, body)
	assert.JSONEq(t, `{"latency":"50ms","jitter":"5ms","bandwidth":1000000,"segment":{"mode":"random","size":16}}`, body)
	assert.Equal(t, mem.Faults{Latency: 50 * time.Millisecond, Jitter: 5 * time.Millisecond, Bandwidth: 1e6,
		Segment: mem.Segmentation{Mode: mem.SegmentRandom, Size: 16}}, p.Faults(Upstream))

	code, body = call(t, h, "GET", "/faults/downstream", "")
	assert.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{}`, body)

	code, _ = call(t, h, "POST", "/partition", "")
	assert.Equal(t, http.StatusNoContent, code)
	code, body = call(t, h, "GET", "/", "")
	require.Equal(t, http.StatusOK, code)
	var st state
	require.NoError(t, json.Unmarshal([]byte(body), &st))
	assert.Equal(t, p.Addr(), st.Listen)
	assert.Equal(t, "127.0.0.1:1", st.Upstream)
	assert.True(t, st.Faults.Upstream.Partitioned)
	assert.True(t, st.Faults.Downstream.Partitioned)
	code, _ = call(t, h, "POST", "/heal", "")
	assert.Equal(t, http.StatusNoContent, code)
	assert.False(t, p.Faults(Downstream).Partitioned)
}

func TestHTTPErrors(t *testing.T) {
	p := newProxy(t, "127.0.0.1:1")
	h := p.Handler()
	for _, c := range []struct {
		method, path, body string
		code               int
		want               string
	}{
		{"GET", "/faults/sideways", "", 404, `no direction \"sideways\"`},
		{"POST", "/faults/upstream", `{"latency":"fast"}`, 400, "latency: time: invalid duration"},
		{"POST", "/faults/upstream", `{"lag":"1s"}`, 400, `unknown field \"lag\"`},
		{"POST", "/faults/upstream", `{"loss":3}`, 400, "not a probability"},
		{"POST", "/faults/upstream", `{"segment":{"mode":"chunky"}}`, 400, `segment mode \"chunky\" is not one of whole, fixed, random, byte`},
		{"POST", "/faults/upstream", `not json`, 400, "body:"},
		{"DELETE", "/faults/upstream", "", 405, ""},
	} {
		code, body := call(t, h, c.method, c.path, c.body)
		assert.Equal(t, c.code, code, "%s %s %s", c.method, c.path, c.body)
		assert.Contains(t, body, c.want)
	}
	assert.Equal(t, mem.Faults{}, p.Faults(Upstream))
}

// TestJSONRoundTrip: every field survives ToJSON and back.
func TestJSONRoundTrip(t *testing.T) {
	f := mem.Faults{Latency: time.Second, Jitter: time.Millisecond, Loss: 0.5, RetransmitDelay: time.Second,
		VisibleStreamLoss: true, Bandwidth: 5, Partitioned: true, ResetAfterBytes: 9,
		ResetAt: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Segment: mem.Segmentation{Mode: mem.SegmentByte, Size: 3}}
	b, err := json.Marshal(ToJSON(f))
	require.NoError(t, err)
	var j FaultsJSON
	require.NoError(t, json.Unmarshal(b, &j))
	back, err := j.Faults()
	require.NoError(t, err)
	assert.Equal(t, f, back)
}
