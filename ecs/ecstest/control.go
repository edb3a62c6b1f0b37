package ecstest

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// motoReset is the reset endpoint of moto's server mode, which ecstest
// answers as /_ecslocal/reset, so that test suites written for moto reset
// it unchanged.
const motoReset = "/moto-api/reset"

// maxAdvance bounds one advance of the clock through the control endpoint.
const maxAdvance = 10 * 365 * 24 * time.Hour

// clockState is the answer of the clock endpoints.
type clockState struct {
	Now   ecs.Time `json:"now"`
	Speed float64  `json:"speed"`
}

// ControlEndpoint describes an endpoint the handler serves beside the API,
// under /_ecslocal/: the clock, reset, settle and the faults of the Go API,
// for tests in any language.
type ControlEndpoint struct {
	// Method is the HTTP method it takes (POST, or GET for a read).
	Method string
	// Path is its path, such as /_ecslocal/advance.
	Path string
	// Body is the JSON body it takes, with each member's type, or "" when
	// it takes none.
	Body string
	// Doc says what it does and what it answers.
	Doc string
}

// controlEndpoint is a ControlEndpoint with what serves it: f gets the
// handler of the request's Region, the body (nil when there is none) and
// the query, and returns the value to answer as JSON.
type controlEndpoint struct {
	ControlEndpoint
	serve func(ctx context.Context, h *handler, body []byte, q url.Values) (any, error)
}

// ControlEndpoints returns the endpoints the handler serves under
// /_ecslocal/, in the order a reader learns them. Each POST takes a JSON
// body of the members Body lists (absent members are zero), answers 200
// with a JSON object, or an error as the API writes one
// (InvalidParameterException for a bad member, ClusterNotFoundException,
// ...). A request is served by the Region its SigV4 credential scope
// names, as the API is.
func ControlEndpoints() []ControlEndpoint {
	list := controlEndpoints()
	out := make([]ControlEndpoint, len(list))
	for i, c := range list {
		out[i] = c.ControlEndpoint
	}
	return out
}

// serveControl serves the endpoints beside the API under /_ecslocal/.
// A POST that a page of another site could have sent is refused
// (refuseControl).
func (h *handler) serveControl(w http.ResponseWriter, r *http.Request) {
	if why := refuseControl(r); why != "" {
		writeError(w, http.StatusForbidden, accessDeniedException, why)
		return
	}
	path := r.URL.Path
	if path == motoReset {
		path = "/_ecslocal/reset"
	}
	var ep *controlEndpoint
	all := controlEndpoints()
	for i := range all {
		if all[i].Path == path {
			ep = &all[i]
		}
	}
	if ep == nil {
		paths := make([]string, len(all))
		for i, c := range all {
			paths[i] = c.Method + " " + c.Path
		}
		writeError(w, http.StatusNotFound, unknownOperationException,
			fmt.Sprintf("%s is not an endpoint: the endpoints are %s.", r.URL.Path, strings.Join(paths, ", ")))
		return
	}
	if r.Method != ep.Method {
		w.Header().Set("Allow", ep.Method)
		writeError(w, http.StatusMethodNotAllowed, unknownOperationException,
			fmt.Sprintf("%s takes %s, not %s.", ep.Path, ep.Method, r.Method))
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		writeBodyError(w, err)
		return
	}
	hh, err := h.regional(r)
	if err != nil {
		h.writeAPIError(w, path, err)
		return
	}
	resp, err := ep.serve(r.Context(), hh, body, r.URL.Query())
	if err != nil {
		h.writeAPIError(w, path, err)
		return
	}
	ecs.SetEmptyLists(resp)
	data, err := ecs.Marshal(resp)
	if err != nil {
		writeError(w, http.StatusInternalServerError, ecs.ServerException, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

// decodeControl reads a control endpoint's JSON body into req; a member
// the endpoint does not take is refused, so that a misspelt one is not
// silently ignored.
func decodeControl(body []byte, req any) error {
	return decode(body, req, true)
}

// advanceRequest is the body of /_ecslocal/advance.
type advanceRequest struct {
	Seconds *float64 `json:"seconds"`
}

// settleRequest is the body of /_ecslocal/settle.
type settleRequest struct {
	Cluster string   `json:"cluster"`
	Service string   `json:"service"`
	Seconds *float64 `json:"seconds"`
}

// seconds returns the seconds of a body, or of the query when the body
// has none, as a duration of 0 to ten years; required says whether they
// must be given.
func seconds(body *float64, q url.Values, required bool) (time.Duration, error) {
	text := q.Get("seconds")
	if body != nil {
		text = strconv.FormatFloat(*body, 'g', -1, 64)
	}
	if text == "" && !required {
		return 0, nil
	}
	d, err := advanceBy(text)
	if err != nil {
		return 0, invalidParameter("%s", err.Error())
	}
	return d, nil
}

func serveAdvance(ctx context.Context, h *handler, body []byte, q url.Values) (any, error) {
	var req advanceRequest
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	d, err := seconds(req.Seconds, q, true)
	if err != nil {
		return nil, err
	}
	h.e.clock.Advance(d)
	return h.clockState(), nil
}

func serveReset(ctx context.Context, h *handler, body []byte, q url.Values) (any, error) {
	if err := h.e.Reset(ctx); err != nil {
		return nil, apiErrorf(ecs.ServerException, err, "reset: %v", err)
	}
	return h.clockState(), nil
}

func serveClock(ctx context.Context, h *handler, body []byte, q url.Values) (any, error) {
	return h.clockState(), nil
}

func serveSettle(ctx context.Context, h *handler, body []byte, q url.Values) (any, error) {
	req := settleRequest{Cluster: q.Get("cluster"), Service: q.Get("service")}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	within, err := seconds(req.Seconds, q, false)
	if err != nil {
		return nil, err
	}
	svc, err := h.e.Settle(ctx, req.Cluster, req.Service, within)
	if err != nil {
		return nil, err
	}
	return struct {
		Service *ecs.Service `json:"service"`
	}{svc}, nil
}

func (h *handler) clockState() clockState {
	return clockState{Now: ecs.NewTime(h.e.clock.Now()), Speed: h.e.clock.Speed()}
}

// advanceBy reads the seconds parameter: a number of seconds, fractions
// allowed, from 0 to ten years.
func advanceBy(text string) (time.Duration, error) {
	secs, err := strconv.ParseFloat(text, 64)
	switch {
	case text == "":
		return 0, fmt.Errorf("seconds is required: POST /_ecslocal/advance?seconds=N or the body {\"seconds\": N}")
	case err != nil || math.IsNaN(secs):
		return 0, fmt.Errorf("seconds %q is not a number", text)
	case secs < 0:
		return 0, fmt.Errorf("seconds %q is negative: the clock does not go back", text)
	case secs > maxAdvance.Seconds():
		return 0, fmt.Errorf("seconds %q is more than ten years", text)
	}
	return time.Duration(secs * float64(time.Second)), nil
}
