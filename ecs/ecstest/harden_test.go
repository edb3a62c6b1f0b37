package ecstest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestHostileLoadThenNormalRequest sends 16 concurrent hostile bodies of
// 1 MiB, each refused with a 4xx, and then a normal request, which is
// served. BenchmarkHostileLoad measures the memory it takes.
func TestHostileLoadThenNormalRequest(t *testing.T) {
	srv := NewServer(nil)
	defer srv.Close()
	c := srv.Client()
	for _, status := range hostileRound(c, srv.URL, hostileBodies(1<<20), 0, 16) {
		require.GreaterOrEqual(t, status, 400)
		require.Less(t, status, 500)
	}
	require.Equal(t, http.StatusOK, post(c, srv.URL, "ListClusters", []byte(`{}`)))
}

// guardRequest is a request to a handler in the guard's tests.
type guardRequest struct {
	name    string
	opts    []func(*HandlerOptions)
	method  string // POST if empty
	path    string // "/" if empty
	host    string // example.com, httptest's, if empty
	header  map[string]string
	status  int
	errType string
}

func TestGuard(t *testing.T) {
	hosts := AllowHosts()
	tests := []guardRequest{
		{name: "a foreign Host", opts: []func(*HandlerOptions){hosts}, host: "evil.example", status: 403, errType: accessDeniedException},
		{name: "a foreign Host with a port", opts: []func(*HandlerOptions){hosts}, host: "evil.example:8555", status: 403, errType: accessDeniedException},
		{name: "a rebinding name ending in localhost", opts: []func(*HandlerOptions){hosts}, host: "localhost.evil.example", status: 403, errType: accessDeniedException},
		{name: "localhost", opts: []func(*HandlerOptions){hosts}, host: "localhost:8555", status: 200},
		{name: "LOCALHOST.", opts: []func(*HandlerOptions){hosts}, host: "LOCALHOST.", status: 200},
		{name: "127.0.0.0/8", opts: []func(*HandlerOptions){hosts}, host: "127.3.2.1:80", status: 200},
		{name: "[::1]", opts: []func(*HandlerOptions){hosts}, host: "[::1]:8555", status: 200},
		{name: "a host of AllowHosts", opts: []func(*HandlerOptions){AllowHosts("ECS.internal:8555")}, host: "ecs.internal", status: 200},
		{name: "another address", opts: []func(*HandlerOptions){AllowHosts("192.0.2.7:8555")}, host: "192.0.2.8:8555", status: 403, errType: accessDeniedException},
		{name: "no Host check without AllowHosts", host: "evil.example", status: 200},
		{name: "a foreign Origin", header: map[string]string{"Origin": "http://evil.example"}, status: 403, errType: accessDeniedException},
		{name: "a null Origin", header: map[string]string{"Origin": "null"}, status: 403, errType: accessDeniedException},
		{name: "a loopback Origin", header: map[string]string{"Origin": "http://localhost:3000"}, status: 200},
		{name: "an Origin of AllowHosts", opts: []func(*HandlerOptions){AllowHosts("ecs.internal")}, host: "ecs.internal", header: map[string]string{"Origin": "https://ecs.internal"}, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.header = withDefault(tt.header, map[string]string{"X-Amz-Target": targetPrefix + "ListClusters", "Content-Type": contentType})
			serveGuarded(t, tt)
		})
	}
}

func TestGuardControl(t *testing.T) {
	advance := "/_ecslocal/advance?seconds=1"
	tests := []guardRequest{
		{name: "a form post", path: advance, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 403, errType: accessDeniedException},
		{name: "a multipart form post", path: advance, header: map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, status: 403, errType: accessDeniedException},
		{name: "a text/plain post", path: advance, header: map[string]string{"Content-Type": "text/plain"}, status: 403, errType: accessDeniedException},
		{name: "a form post from another site", path: advance, header: map[string]string{"Content-Type": "text/plain", "Origin": "http://evil.example"}, status: 403, errType: accessDeniedException},
		{name: "a form post with the control header", path: advance, header: map[string]string{"Content-Type": "text/plain", controlHeader: "1"}, status: 200},
		{name: "a JSON post", path: advance, header: map[string]string{"Content-Type": "application/json"}, status: 200},
		{name: "a post without a body or Content-Type", path: advance, status: 200},
		{name: "the control header from another site", path: advance, header: map[string]string{controlHeader: "1", "Origin": "http://evil.example"}, status: 403, errType: accessDeniedException},
		{name: "a foreign Host", opts: []func(*HandlerOptions){AllowHosts()}, host: "evil.example", path: advance, header: map[string]string{controlHeader: "1"}, status: 403, errType: accessDeniedException},
		{name: "reading the clock", method: http.MethodGet, path: "/_ecslocal/clock", status: 200},
		{name: "reading the clock from another site", method: http.MethodGet, path: "/_ecslocal/clock", header: map[string]string{"Origin": "http://evil.example"}, status: 403, errType: accessDeniedException},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { serveGuarded(t, tt) })
	}
}

func withDefault(m, defaults map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// serveGuarded serves tt's request and checks its status and, for an
// error, the API's error shape.
func serveGuarded(t *testing.T, tt guardRequest) {
	t.Helper()
	h := newTestECS(t).Handler(tt.opts...)
	method, path := tt.method, tt.path
	if method == "" {
		method = http.MethodPost
	}
	if path == "" {
		path = "/"
	}
	req := httptest.NewRequest(method, path, strings.NewReader(""))
	if tt.host != "" {
		req.Host = tt.host
	}
	for k, v := range tt.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(t, tt.status, rec.Code, rec.Body.String())
	if tt.errType == "" {
		return
	}
	var body map[string]string
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	require.Equal(t, tt.errType, body["__type"])
	require.NotEmpty(t, body["message"])
	require.Len(t, body, 2, "the API's error shape: __type and message")
	require.Equal(t, tt.errType, rec.Header().Get("X-Amzn-ErrorType"))
}

// TestServerChecksHost sends a request naming another Host to a server
// on loopback, as a page that rebinds its DNS name would.
func TestServerChecksHost(t *testing.T) {
	srv := NewServer(nil)
	defer srv.Close()
	for host, want := range map[string]int{"rebound.evil.example": http.StatusForbidden, "localhost": http.StatusOK} {
		req, err := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{}`))
		require.NoError(t, err)
		req.Host = host
		req.Header.Set("X-Amz-Target", targetPrefix+"ListClusters")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, want, resp.StatusCode, host)
	}
}

// blockingHandler returns a handler whose ListClusters waits for release
// and counts its calls.
func blockingHandler(t *testing.T, opts ...func(*HandlerOptions)) (h *handler, entered chan struct{}, release chan struct{}, calls *int, mu *sync.Mutex) {
	h = newTestECS(t).Handler(opts...).(*handler)
	entered, release = make(chan struct{}, 8), make(chan struct{})
	calls, mu = new(int), new(sync.Mutex)
	h.ops["ListClusters"] = func(context.Context, []byte) (any, error) {
		mu.Lock()
		*calls++
		mu.Unlock()
		entered <- struct{}{}
		<-release
		return struct{}{}, nil
	}
	return h, entered, release, calls, mu
}

func listClustersRequest(ctx context.Context) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`)).WithContext(ctx)
	req.Header.Set("X-Amz-Target", targetPrefix+"ListClusters")
	return req
}

// TestThrottling fills the handler's one place and checks that the next
// request is a ThrottlingException, as ECS answers.
func TestThrottling(t *testing.T) {
	h, entered, release, _, _ := blockingHandler(t, MaxRequests(1, 1))
	done := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, listClustersRequest(context.Background()))
		done <- rec.Code
	}()
	<-entered
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, listClustersRequest(context.Background()))
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.JSONEq(t, `{"__type":"ThrottlingException","message":"Rate exceeded"}`, rec.Body.String())
	close(release)
	require.Equal(t, http.StatusOK, <-done)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, listClustersRequest(context.Background()))
	require.Equal(t, http.StatusOK, rec.Code, "served again once the place is free")
}

// TestWaitingRequestLeaves checks that a request waiting for its turn is
// not served once its client has gone.
func TestWaitingRequestLeaves(t *testing.T) {
	h, entered, release, calls, mu := blockingHandler(t, MaxRequests(4, 1))
	first := make(chan struct{})
	go func() {
		defer close(first)
		h.ServeHTTP(httptest.NewRecorder(), listClustersRequest(context.Background()))
	}()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	second := make(chan struct{})
	go func() {
		defer close(second)
		h.ServeHTTP(httptest.NewRecorder(), listClustersRequest(ctx))
	}()
	cancel()
	<-second // returns without its turn
	close(release)
	<-first
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, 1, *calls, "the request whose client left was not served")
}

// TestServerTimeouts checks that, with short timeouts, the server gives
// up a connection that trickles its headers, one that trickles its body,
// and one kept alive and idle.
func TestServerTimeouts(t *testing.T) {
	const short = 200 * time.Millisecond
	srv := NewServer(nil, WithTimeouts(Timeouts{ReadHeader: short, Read: 2 * short, Idle: short}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	tests := []struct {
		name string
		send string // what the client sends before it falls silent
	}{
		{"headers", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: " + targetPrefix + "ListClusters\r\n"},
		{"body", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: " + targetPrefix + "ListClusters\r\nContent-Length: 100\r\n\r\n{\"maxRe"},
		{"idle", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: " + targetPrefix + "ListClusters\r\nContent-Length: 2\r\n\r\n{}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			defer conn.Close()
			_, err = io.WriteString(conn, tt.send)
			require.NoError(t, err)
			// A generous bound, only so that a server without timeouts
			// fails the test rather than hangs it.
			require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
			r := bufio.NewReader(conn)
			if tt.name == "idle" {
				resp, err := http.ReadResponse(r, nil)
				require.NoError(t, err)
				require.Equal(t, http.StatusOK, resp.StatusCode)
				_, err = io.Copy(io.Discard, resp.Body)
				require.NoError(t, err)
			}
			_, err = io.Copy(io.Discard, r) // until the server closes
			var ne net.Error
			require.False(t, errors.As(err, &ne) && ne.Timeout(), "the server kept the connection open")
		})
	}
}

func TestTimeoutsApply(t *testing.T) {
	var srv http.Server
	Timeouts{Read: time.Second}.Apply(&srv)
	d := DefaultTimeouts()
	require.Equal(t, time.Second, srv.ReadTimeout)
	require.Equal(t, d.ReadHeader, srv.ReadHeaderTimeout, "a zero field is the default's")
	require.Equal(t, d.Idle, srv.IdleTimeout)
	require.Positive(t, srv.MaxHeaderBytes)
}

// TestRequestBounds checks the API's answers to requests over its bounds:
// a body over 1 MiB, a list longer than the model allows, and a body
// with more errors than are listed.
func TestRequestBounds(t *testing.T) {
	var tags []string
	for i := range 51 {
		tags = append(tags, `{"key":"k`+strconv.Itoa(i)+`","value":"v"}`)
	}
	tests := []struct {
		name, op, body string
		status         int
		errType        string
		message        string
	}{
		{"a body over 1 MiB", "ListClusters", `{"nextToken":"` + strings.Repeat("a", maxBodyBytes) + `"}`, 413, requestTooLargeException, "larger than 1048576 bytes"},
		{"a body of 1 MiB", "ListClusters", `{"nextToken":"` + strings.Repeat("a", maxBodyBytes-20) + `"}`, 400, "InvalidParameterException", ""},
		{"51 tags", "CreateCluster", `{"clusterName":"c","tags":[` + strings.Join(tags, ",") + `]}`, 400, "InvalidParameterException",
			"tags: 51 elements, where the API allows at most 50"},
		{"1000 wrong elements", "DescribeTasks", `{"tasks":[` + strings.TrimSuffix(strings.Repeat("1,", 1000), ",") + `]}`, 400, serializationException,
			"tasks[9]: expected string, got number 1; and 990 more."},
	}
	c := newAPIClient(t, newTestECS(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, data := c.raw(tt.op, []byte(tt.body))
			require.Equal(t, tt.status, status, "%.300s", data)
			var body map[string]string
			require.NoError(t, json.Unmarshal(data, &body))
			require.Equal(t, tt.errType, body["__type"])
			require.Contains(t, body["message"], tt.message)
		})
	}
}
