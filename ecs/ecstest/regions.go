package ecstest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// regionSet holds the control planes of one account's Regions, each with
// its own state, as AWS keeps a Region's resources apart: a cluster made
// in us-east-2 is not one of us-east-1's. They share the clock.
type regionSet struct {
	mu      sync.Mutex
	opts    []func(*Options) // New's, for the control plane of another Region
	byName  map[string]*ECS  // by Region name
	onReset []func(context.Context) error
}

var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// InRegion returns the control plane of the Region name for the same
// account: e itself for e's Region, else one made on first use with the
// options New was given and the same clock, whose ARNs name that Region.
// A name that is not a Region's (us-east-1, eu-central-1, ...) is an
// InvalidParameterException.
func (e *ECS) InRegion(name string) (*ECS, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	if !regionName.MatchString(name) {
		return nil, invalidParameter("%q is not the name of a Region, such as us-east-1.", name)
	}
	rs := e.regions
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if r, ok := rs.byName[name]; ok {
		return r, nil
	}
	opts := append(slices.Clone(rs.opts), WithRegion(name), WithClock(e.clock))
	r := New(opts...)
	r.regions = rs
	rs.byName[name] = r
	return r, nil
}

// OnReset has f run after every Reset, with the state cleared: to set the
// control plane up again as its user started it (ecslocal creates its
// cluster and loads its cluster file so). A nil f is ignored.
func (e *ECS) OnReset(f func(ctx context.Context) error) {
	if e.usable() != nil || f == nil {
		return
	}
	e.regions.mu.Lock()
	defer e.regions.mu.Unlock()
	e.regions.onReset = append(e.regions.onReset, f)
}

// Reset clears the control plane of every Region to how New left it:
// no clusters, task definitions, services, tasks, faults or capacity
// providers, and identifiers from the seed again; the Regions other than
// e's are forgotten. It drops every function scheduled on the clock,
// which ran the old state's lifecycles; the clock keeps its time. Then it
// runs the functions OnReset registered, in order, and returns the first
// error. The Registry of before is no longer the control plane's.
func (e *ECS) Reset(ctx context.Context) error {
	if err := e.usable(); err != nil {
		return err
	}
	rs := e.regions
	rs.mu.Lock()
	regions := make([]*ECS, 0, len(rs.byName))
	for _, name := range slices.Sorted(maps.Keys(rs.byName)) { // one lock order, whoever resets
		regions = append(regions, rs.byName[name])
	}
	rs.byName = map[string]*ECS{e.arns.region: e}
	hooks := slices.Clone(rs.onReset)
	rs.mu.Unlock()
	for _, r := range regions {
		r.mu.Lock()
	}
	e.clock.dropAll()
	for _, r := range regions {
		r.clear()
		r.mu.Unlock()
	}
	var errs []error
	for _, f := range hooks {
		errs = append(errs, f(ctx))
	}
	return errors.Join(errs...)
}

// signedRegion returns the Region a request is signed for: the one of
// its SigV4 credential scope (Authorization: AWS4-HMAC-SHA256
// Credential=AKID/DATE/REGION/ecs/aws4_request, ...), or "" when it names
// none.
func signedRegion(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return ""
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) != 5 || !regionName.MatchString(parts[2]) {
		return ""
	}
	return parts[2]
}

// regional returns the handler of the Region the request is signed for:
// h for h's own, or for a request that names none.
func (h *handler) regional(r *http.Request) (*handler, error) {
	name := signedRegion(r)
	if name == "" || name == h.e.arns.region {
		return h, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if hh := h.regions[name]; hh != nil && h.e.regions.current(hh.e) {
		return hh, nil
	}
	re, err := h.e.InRegion(name)
	if err != nil {
		return nil, fmt.Errorf("region %s: %w", name, err)
	}
	hh := &handler{e: re, config: h.config, admit: h.admit}
	hh.serve()
	if h.regions == nil {
		h.regions = map[string]*handler{}
	}
	h.regions[name] = hh
	return hh, nil
}

// current reports whether r is still the control plane of its Region
// (a Reset forgets the other Regions').
func (rs *regionSet) current(r *ECS) bool {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.byName[r.arns.region] == r
}
