package interop_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// selfSigned makes a certificate for name valid from an hour ago for a
// day, by the clock of the caller: inside a synctest bubble that clock
// starts at midnight UTC, 1 January 2000, so a certificate made outside
// the bubble (or loaded from a file) is not yet valid there — make it
// inside.
func selfSigned(name string) (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		DNSNames:              []string{name},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}

// tlsEcho runs a TLS 1.3 echo server on the server host and talks to it
// from the client host, verifying the certificate for server.test. The
// glue: tls.NewListener over transport.Listen, tls.Client over a
// connection from transport.DialContextFunc.
func tlsEcho(msg string) (version uint16, echo string, err error) {
	_, client, server := twoHosts()
	cert, roots, err := selfSigned("server.test")
	if err != nil {
		return 0, "", err
	}
	l, err := transport.Listen(server, "tcp", "10.0.0.2:443")
	if err != nil {
		return 0, "", err
	}
	tl := tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13})
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := tl.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = io.Copy(c, c)
	}()
	defer func() { tl.Close(); <-done }()

	raw, err := transport.DialContextFunc(client)(context.Background(), "tcp", "server.test:443")
	if err != nil {
		return 0, "", err
	}
	c := tls.Client(raw, &tls.Config{RootCAs: roots, ServerName: "server.test"})
	defer c.Close()
	if err := c.HandshakeContext(context.Background()); err != nil {
		return 0, "", err
	}
	if _, err := io.WriteString(c, msg); err != nil {
		return 0, "", err
	}
	buf := make([]byte, len(msg))
	_, err = io.ReadFull(c, buf)
	return c.ConnectionState().Version, string(buf), err
}

// TLS 1.3 over the in-memory network, with a certificate made on the spot.
func Example_tls() {
	version, echo, err := tlsEcho("secret")
	fmt.Println(tls.VersionName(version), echo, err)
	// Output: TLS 1.3 secret <nil>
}

func TestTLSInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		assert.Equal(t, 2000, time.Now().Year(), "the bubble's clock starts in 2000")
		version, echo, err := tlsEcho("secret")
		require.NoError(t, err)
		assert.Equal(t, uint16(tls.VersionTLS13), version)
		assert.Equal(t, "secret", echo)
	})
}
