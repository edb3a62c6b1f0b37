package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// syncBuffer is a strings.Builder safe for ecslocal's writes and the
// test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs ecslocal with args until the test ends, and returns the URL
// it prints and its standard error.
func start(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	stderr := new(syncBuffer)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-speed", "0"}, args...), outW, stderr)
		outW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	line, err := bufio.NewReader(outR).ReadString('\n')
	require.NoError(t, err)
	url, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "ecslocal listening on ")
	require.True(t, ok, "first line: %q", line)
	go io.Copy(io.Discard, outR)
	return url, stderr
}

// request sends a request to url+path with host as its Host (the URL's
// when empty) and header, and returns the status.
func request(t *testing.T, method, url, path, host string, header map[string]string) int {
	t.Helper()
	req, err := http.NewRequest(method, url+path, strings.NewReader(""))
	require.NoError(t, err)
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

var api = map[string]string{"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.ListClusters", "Content-Type": "application/x-amz-json-1.1"}

func TestLoopbackOnly(t *testing.T) {
	url, stderr := start(t, "-addr", "127.0.0.1:0")
	require.NotContains(t, stderr.String(), "warning")
	tests := []struct {
		name   string
		method string
		path   string
		host   string
		header map[string]string
		status int
	}{
		{"the API", http.MethodPost, "/", "", api, http.StatusOK},
		{"the API by localhost", http.MethodPost, "/", "localhost", api, http.StatusOK},
		{"a rebound DNS name", http.MethodPost, "/", "rebound.evil.example", api, http.StatusForbidden},
		{"a page of another site", http.MethodPost, "/", "", map[string]string{"Origin": "http://evil.example", "X-Amz-Target": api["X-Amz-Target"]}, http.StatusForbidden},
		{"a cross-site form post to advance the clock", http.MethodPost, "/_ecslocal/advance?seconds=60", "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusForbidden},
		{"a text/plain post to advance the clock", http.MethodPost, "/_ecslocal/advance?seconds=60", "", map[string]string{"Content-Type": "text/plain"}, http.StatusForbidden},
		{"advancing with the control header", http.MethodPost, "/_ecslocal/advance?seconds=60", "", map[string]string{"Content-Type": "text/plain", "X-Ecslocal-Control": "1"}, http.StatusOK},
		{"advancing with JSON", http.MethodPost, "/_ecslocal/advance?seconds=60", "", map[string]string{"Content-Type": "application/json"}, http.StatusOK},
		{"advancing from a rebound DNS name", http.MethodPost, "/_ecslocal/advance?seconds=60", "rebound.evil.example", map[string]string{"X-Ecslocal-Control": "1"}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.status, request(t, tt.method, url, tt.path, tt.host, tt.header))
		})
	}
}

// TestExposed listens on every interface: ecslocal warns, prints the
// address it listens on, and answers for this machine's addresses and
// -allow-host's names only.
func TestExposed(t *testing.T) {
	url, stderr := start(t, "-addr", "0.0.0.0:0", "-allow-host", "ecs.internal")
	require.Regexp(t, `^http://0\.0\.0\.0:[0-9]+$`, url, "the printed URL is the listener's")
	require.Regexp(t, `ecslocal: warning: listening on 0\.0\.0\.0:[0-9]+, every interface of this machine, not a loopback address: anyone who can reach it`, stderr.String())
	port := strings.TrimPrefix(url, "http://0.0.0.0:")
	loopback := "http://127.0.0.1:" + port
	require.Equal(t, http.StatusOK, request(t, http.MethodPost, loopback, "/", "", api))
	require.Equal(t, http.StatusOK, request(t, http.MethodPost, loopback, "/", "ecs.internal:"+port, api))
	require.Equal(t, http.StatusForbidden, request(t, http.MethodPost, loopback, "/", "rebound.evil.example:"+port, api))
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipnet, ok := a.(*net.IPNet); ok && !ipnet.IP.IsLoopback() {
				host := net.JoinHostPort(ipnet.IP.String(), port)
				require.Equal(t, http.StatusOK, request(t, http.MethodPost, loopback, "/", host, api), "this machine's address %s", host)
				break
			}
		}
	}
}

// TestTimeoutFlags sets short timeouts: a connection that trickles its
// body is given up.
func TestTimeoutFlags(t *testing.T) {
	url, _ := start(t, "-addr", "127.0.0.1:0", "-read-header-timeout", "100ms", "-read-timeout", "200ms", "-idle-timeout", "100ms")
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: "+api["X-Amz-Target"]+"\r\nContent-Length: 100\r\n\r\n{")
	require.NoError(t, err)
	// A generous bound, only so that a server without timeouts fails the
	// test rather than hangs it.
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	_, err = io.Copy(io.Discard, conn)
	var ne net.Error
	require.False(t, errors.As(err, &ne) && ne.Timeout(), "ecslocal kept the connection open")
}

func TestHardenFlagErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"zero read timeout":     {"-read-timeout", "0s"},
		"negative idle timeout": {"-idle-timeout", "-1s"},
		"not a duration":        {"-read-header-timeout", "soon"},
		"empty host":            {"-allow-host", " "},
	} {
		t.Run(name, func(t *testing.T) {
			require.Error(t, run(context.Background(), args, io.Discard, io.Discard))
		})
	}
}
