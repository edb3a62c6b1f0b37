package ecstest

import (
	"context"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"time"
)

// What a request may cost the handler, whoever sends it.
const (
	// maxBodyBytes bounds a request body. ECS's largest request is a
	// task definition, at most 64 KiB; 1 MiB leaves room for any
	// request a client makes.
	maxBodyBytes = 1 << 20
	// DefaultMaxRequests is the most API requests Handler takes at once
	// unless MaxRequests says otherwise: beyond it, a request is a
	// ThrottlingException (status 400, "Rate exceeded"), which the AWS
	// SDKs retry with back-off.
	DefaultMaxRequests = 64
	// controlHeader is the header that marks a request to a control
	// endpoint as its user's, whatever its Content-Type.
	controlHeader = "X-Ecslocal-Control"
)

// HandlerOptions configure Handler. The zero value checks no Host and
// takes DefaultMaxRequests requests at once, of which twice GOMAXPROCS
// (at least 4) run at once.
type HandlerOptions struct {
	// CheckHost makes Handler refuse, with status 403 and an
	// AccessDeniedException, every request whose Host header names
	// neither a loopback address (localhost, 127.0.0.0/8, [::1]) nor one
	// of AllowedHosts. A page that rebinds its own DNS name to 127.0.0.1
	// can make a browser send requests to the handler, but with its own
	// name as Host, so this guard keeps such a page from driving it.
	// NewServer and ecslocal always check Host.
	CheckHost bool
	// AllowedHosts are names or IP addresses (a port allowed and ignored)
	// allowed beside loopback when CheckHost is set.
	AllowedHosts []string
	// MaxInFlight bounds the API requests that read or hold a body (1 MiB
	// at most each); a request beyond them is a ThrottlingException, as
	// ECS answers too many requests. Below 1: DefaultMaxRequests.
	MaxInFlight int
	// MaxWorking bounds those of them that decode and run at once; the
	// others wait for their turn, or for their client to leave. Below 1:
	// twice GOMAXPROCS, at least 4.
	MaxWorking int
}

// handlerConfig is what Handler makes of its options.
type handlerConfig struct {
	checkHost bool
	hosts     []string // lower-case names and addresses allowed beside loopback
	inFlight  int      // requests reading or holding a body
	working   int      // requests decoding and being served
}

func newHandlerConfig(optFns []func(*HandlerOptions)) handlerConfig {
	var o HandlerOptions
	for _, f := range optFns {
		if f != nil {
			f(&o)
		}
	}
	c := handlerConfig{checkHost: o.CheckHost, inFlight: DefaultMaxRequests, working: max(4, 2*runtime.GOMAXPROCS(0))}
	for _, h := range o.AllowedHosts {
		if h = hostOnly(h); h != "" {
			c.hosts = append(c.hosts, h)
		}
	}
	if o.MaxInFlight > 0 {
		c.inFlight = o.MaxInFlight
	}
	if o.MaxWorking > 0 {
		c.working = o.MaxWorking
	}
	return c
}

// AllowHosts is the option that sets HandlerOptions.CheckHost and adds
// hosts to HandlerOptions.AllowedHosts.
func AllowHosts(hosts ...string) func(*HandlerOptions) {
	return func(o *HandlerOptions) {
		o.CheckHost = true
		o.AllowedHosts = append(o.AllowedHosts, hosts...)
	}
}

// MaxRequests is the option that sets HandlerOptions.MaxInFlight and
// MaxWorking.
func MaxRequests(inFlight, working int) func(*HandlerOptions) {
	return func(o *HandlerOptions) { o.MaxInFlight, o.MaxWorking = inFlight, working }
}

// hostOnly returns the host of a Host header or address, lower case,
// without its port, brackets or final dot.
func hostOnly(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	} else {
		h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// isLoopback reports whether host (from hostOnly) names this machine's
// loopback interface.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// hostAllowed reports whether host (from hostOnly) is one the handler
// answers for.
func (c *handlerConfig) hostAllowed(host string) bool {
	return isLoopback(host) || slices.Contains(c.hosts, host)
}

// refuse answers whether the guard turns r away, and why: a Host it does
// not answer for (with AllowHosts), or an Origin of another site.
func (c *handlerConfig) refuse(r *http.Request) string {
	if c.checkHost && r.Host != "" && !c.hostAllowed(hostOnly(r.Host)) {
		return fmt.Sprintf("Host %q is not one this server answers for: it answers for localhost, 127.0.0.0/8 and [::1]%s only.", r.Host, c.others())
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !c.hostAllowed(hostOnly(u.Host)) {
			return fmt.Sprintf("Origin %q is another site's: this server takes requests from pages of localhost, 127.0.0.0/8 and [::1]%s only.", origin, c.others())
		}
	}
	return ""
}

func (c *handlerConfig) others() string {
	if len(c.hosts) == 0 {
		return ""
	}
	return ", and " + strings.Join(c.hosts, ", ")
}

// refuseControl answers whether a request to a control endpoint is one a
// page of another site could have sent, and why. A browser sends a
// cross-site POST with an Origin (which refuse checks) and, from a form,
// a form's Content-Type; so a POST must carry a JSON Content-Type, no
// Content-Type at all (as curl -X POST and the Go client send a POST
// without a body), or the X-Ecslocal-Control header, which no page can
// add without the server's consent.
func refuseControl(r *http.Request) string {
	if r.Method != http.MethodPost || r.Header.Get(controlHeader) != "" {
		return ""
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && (mt == "application/json" || mt == contentType || mt == "application/x-amz-json-1.0") {
		return ""
	}
	return fmt.Sprintf("Content-Type %q is a form's: post to a control endpoint with no body, with Content-Type application/json, or with the header %s: 1.", ct, controlHeader)
}

// admission bounds the requests a handler takes at once.
type admission struct {
	inFlight chan struct{}
	working  chan struct{}
}

func newAdmission(c handlerConfig) *admission {
	return &admission{inFlight: make(chan struct{}, c.inFlight), working: make(chan struct{}, c.working)}
}

// enter takes a place for a request that is about to read its body, or
// reports that there is none.
func (a *admission) enter() bool {
	select {
	case a.inFlight <- struct{}{}:
		return true
	default:
		return false
	}
}

func (a *admission) leave() { <-a.inFlight }

// work waits for a turn to decode and serve, or for ctx to end; done ends
// the turn.
func (a *admission) work(ctx context.Context) (done func(), err error) {
	select {
	case a.working <- struct{}{}:
		return func() { <-a.working }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Timeouts bound how long a connection may take over each part of a
// request, so that a client that sends slowly, or not at all, gives its
// connection up. A zero field is the default's.
type Timeouts struct {
	// ReadHeader bounds the reading of a request's headers (10 s).
	ReadHeader time.Duration
	// Read bounds the reading of a whole request, body included (30 s).
	Read time.Duration
	// Idle bounds how long a kept-alive connection waits for its next
	// request (60 s).
	Idle time.Duration
}

// DefaultTimeouts returns the timeouts of NewServer and ecslocal.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Idle: 60 * time.Second}
}

// Apply sets srv's ReadHeaderTimeout, ReadTimeout and IdleTimeout to t's,
// or to the default's where t's is zero, and bounds its request headers
// to 64 KiB.
//
// A nil srv is left alone.
func (t Timeouts) Apply(srv *http.Server) {
	if srv == nil {
		return
	}
	d := DefaultTimeouts()
	pick := func(v, def time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return def
	}
	srv.ReadHeaderTimeout = pick(t.ReadHeader, d.ReadHeader)
	srv.ReadTimeout = pick(t.Read, d.Read)
	srv.IdleTimeout = pick(t.Idle, d.Idle)
	srv.MaxHeaderBytes = 64 << 10
}

// ServerOptions configure NewServer.
type ServerOptions struct {
	// Timeouts are the server's timeouts (default DefaultTimeouts()).
	Timeouts Timeouts
	// Handler configures the server's handler; the server always checks
	// Host, answering for loopback names and the AllowedHosts these add.
	Handler []func(*HandlerOptions)
}

// WithTimeouts is the option that sets ServerOptions.Timeouts.
func WithTimeouts(t Timeouts) func(*ServerOptions) {
	return func(o *ServerOptions) { o.Timeouts = t }
}

// WithHandlerOptions is the option that adds optFns to
// ServerOptions.Handler.
func WithHandlerOptions(optFns ...func(*HandlerOptions)) func(*ServerOptions) {
	return func(o *ServerOptions) { o.Handler = append(o.Handler, optFns...) }
}
