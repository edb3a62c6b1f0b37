package ecstest

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is an ECS control plane served over the ECS JSON protocol on a
// loopback address, for tests: point an AWS SDK's ECS client or the aws CLI
// (--endpoint-url) at URL. Make one with NewServer: the zero Server, like
// a nil one, serves nothing, and its Close does nothing.
type Server struct {
	// URL is the base URL of the server, http://127.0.0.1:PORT.
	URL string
	// ECS is the control plane the server serves; tests may use its Go API
	// beside the HTTP one.
	ECS *ECS

	listener net.Listener
	srv      *http.Server
	ownECS   bool
	served   chan struct{} // closed when Serve returns

	mu     sync.Mutex
	conns  map[net.Conn]http.ConnState
	open   sync.WaitGroup // connections not yet closed
	closed bool
}

// NewServer starts a server of e on a free loopback port, or of a new ECS
// with default options when e is nil (which Close then closes). Like
// httptest.NewServer, it panics when it cannot listen.
//
// The server answers only requests for a loopback Host (AllowHosts), and
// bounds the time a connection may take: 10 s to send its headers, 30 s
// its whole request, and 60 s idle between requests (DefaultTimeouts;
// WithTimeouts changes them).
func NewServer(e *ECS, optFns ...func(*ServerOptions)) *Server {
	c := ServerOptions{Timeouts: DefaultTimeouts()}
	for _, f := range optFns {
		if f != nil {
			f(&c)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if ln, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			panic(fmt.Sprintf("ecstest: failed to listen on a port: %v", err))
		}
	}
	s := &Server{ECS: e, listener: ln, served: make(chan struct{}), conns: map[net.Conn]http.ConnState{}}
	if s.ECS == nil {
		s.ECS = New()
		s.ownECS = true
	}
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.ECS.Handler(append([]func(*HandlerOptions){AllowHosts()}, c.Handler...)...), ConnState: s.track}
	c.Timeouts.Apply(s.srv)
	go func() {
		defer close(s.served)
		s.srv.Serve(ln) // returns once Close closes the listener
	}()
	return s
}

// track follows the state of each connection, so that Close can close the
// idle ones at once and wait for the busy ones.
func (s *Server) track(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case http.StateNew:
		s.open.Add(1)
		s.conns[c] = state
		if s.closed {
			c.Close()
		}
	case http.StateActive, http.StateIdle:
		s.conns[c] = state
		if state == http.StateIdle && s.closed {
			c.Close()
		}
	case http.StateHijacked, http.StateClosed:
		if _, ok := s.conns[c]; ok {
			delete(s.conns, c)
			s.open.Done()
		}
	}
}

// Client returns an HTTP client for the server, which keeps enough idle
// connections for a test's concurrent requests.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:               nil,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     30 * time.Second,
	}}
}

// Close stops the server: it closes the listener and the idle connections,
// waits for the requests in flight to finish, and closes the ECS if
// NewServer made it. Close is safe to call more than once.
func (s *Server) Close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	if s.closed || s.listener == nil { // closed, or the zero Server
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.listener.Close()
	s.srv.SetKeepAlivesEnabled(false)
	for c, state := range s.conns {
		if state == http.StateIdle || state == http.StateNew {
			c.Close()
		}
	}
	s.mu.Unlock()
	<-s.served
	s.open.Wait()
	if s.ownECS {
		s.ECS.Close()
	}
}
