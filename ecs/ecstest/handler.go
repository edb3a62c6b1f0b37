package ecstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ecscore/ecscore/ecs"
)

// The framing of the ECS JSON protocol (AWS JSON 1.1).
const (
	targetPrefix = "AmazonEC2ContainerServiceV20141113."
	contentType  = "application/x-amz-json-1.1"
)

// operation serves one API operation: it decodes the request body and
// returns the response shape to encode, or an error.
type operation func(ctx context.Context, body []byte) (any, error)

// handler serves an ECS over the ECS JSON protocol.
type handler struct {
	e        *ECS
	ops      map[string]operation // ECS's operations, by name
	apis     []apiService         // the APIs served, by X-Amz-Target prefix (ECS's first)
	requests atomic.Uint64
	config   handlerConfig
	admit    *admission

	mu      sync.Mutex
	regions map[string]*handler // the other Regions' handlers (regional)
}

// Handler returns an http.Handler that serves the control plane over the
// ECS JSON protocol, as the AWS SDKs and the aws CLI speak it: a POST whose
// X-Amz-Target header is AmazonEC2ContainerServiceV20141113.<Operation>,
// with an application/x-amz-json-1.1 body of the operation's request
// shape. Signatures are accepted without checking. The same endpoint
// serves the other JSON APIs of the simulated world, told apart by their
// X-Amz-Target prefix: Application Auto Scaling's
// (AnyScaleFrontendService.<Operation>) and EventBridge's rules and
// targets of scheduled tasks (AWSEvents.<Operation>, events.go).
//
// A success is status 200 with the response shape, timestamps as epoch
// seconds. An error is the API's: status 400 with {"__type": "<exception>",
// "message": "..."} (ClientException, InvalidParameterException,
// ClusterNotFoundException, ...; SerializationException for a body that is
// not JSON or does not fit the request shape, UnknownOperationException
// for an operation the API does not have, UnsupportedFeatureException for
// one that ecstest does not implement yet), or status 500 with a
// ServerException for a fault of ecstest's own, such as a panic, which is
// recovered per request.
//
// List operations honour maxResults (1 to 100, default 100) and nextToken.
// Beside the API, the handler serves the clock under /_ecslocal/:
// POST /_ecslocal/advance with {"seconds": N} (or ?seconds=N) moves it
// forward N seconds, and GET /_ecslocal/clock reads it; both answer
// {"now": EPOCH, "speed": X}. Reset, settle and every fault of the Go API
// are POSTs there too, with JSON bodies (ControlEndpoints lists them).
//
// A browser that opens the handler's address (GET / with an Accept
// header naming text/html, as a navigation sends) gets the console: a
// read-only page of the clusters, what each container instance has left
// (a heat map), the services with their deployments and newest events,
// and the tasks, which refreshes itself while the clock moves. It is one
// self-contained page (its style, script and SVG charts inline; a
// Content-Security-Policy lets it load nothing else and fetch only from
// the handler), it changes nothing, and it costs a bounded amount at any
// size of cluster: it lists a page of each (500 instances, 50 services, 50
// of the newest 5,000 tasks, with links to the others: ?cluster=NAME,
// ?instances=N, ?services=N, ?tasks=N; ?refresh=S, seconds, 0 for never)
// with counts and charts of all. Every other request, GET / without
// text/html among them, is the API's.
//
// Whoever sends it, a request costs the handler a bounded amount: a body
// is at most 1 MiB (beyond, status 413 and a
// RequestEntityTooLargeException), decoding it takes at most a small
// multiple of its size (see ecs.Unmarshal), and the handler takes a
// bounded number of requests at once (MaxRequests), answering the rest
// with a ThrottlingException, status 400, "Rate exceeded", as ECS does; a
// request whose client has gone is not served. Only its user drives it:
// a request with an Origin header of another site than loopback (or the
// hosts of AllowHosts) is refused with status 403 and an
// AccessDeniedException, and so is a POST to a control endpoint with a
// form's Content-Type (the endpoints take no body, application/json, or
// the header X-Ecslocal-Control); with AllowHosts, so is a request whose
// Host is not loopback or one of its hosts, against DNS rebinding. The
// console's page keeps the same rules.
func (e *ECS) Handler(opts ...func(*HandlerOptions)) http.Handler {
	if err := e.usable(); err != nil {
		return unusableHandler(err)
	}
	h := &handler{e: e, config: newHandlerConfig(opts)}
	h.admit = newAdmission(h.config)
	h.serve()
	return h
}

// apiService is an API the handler serves on the one endpoint, told
// apart by the prefix of X-Amz-Target, all in the JSON 1.1 protocol.
type apiService struct {
	prefix string               // such as "AmazonEC2ContainerServiceV20141113."
	ops    map[string]operation // what serves each operation, by name
	model  []string             // the API's operations, served or not
}

// serve sets the operations h serves: ECS's (h.ops) and those of the
// other APIs of the endpoint (apiServices).
func (h *handler) serve() {
	h.ops = h.operations()
	h.apis = []apiService{
		{prefix: targetPrefix, model: modelOperations()}, // ops: h.ops, which tests replace
		{prefix: aasTargetPrefix, ops: h.aasOperations(), model: aasOperationNames()},
		{prefix: eventsPrefix, ops: h.eventsOperations(), model: eventsModelOperations()},
	}
}

// apiOf returns the API whose prefix X-Amz-Target has (ECS's when none
// has) and the operation it names, "" when none.
func (h *handler) apiOf(target string) (apiService, string) {
	for _, api := range h.apis {
		if op, ok := strings.CutPrefix(target, api.prefix); ok {
			return api, op
		}
	}
	return h.apis[0], ""
}

// served returns what serves the operation of the API with the prefix,
// or nil.
func (h *handler) served(prefix, op string) operation {
	if prefix == targetPrefix {
		return h.ops[op]
	}
	for _, api := range h.apis {
		if api.prefix == prefix {
			return api.ops[op]
		}
	}
	return nil
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := h.requests.Add(1)
	w.Header().Set("X-Amzn-RequestId", fmt.Sprintf("%08x-0000-4000-8000-%012x", uint32(h.e.seed), n))
	op := ""
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.e.logger.Error("ecstest: recovered a panic", "operation", op, "panic", v, "stack", string(debug.Stack()))
			writeError(w, http.StatusInternalServerError, ecs.ServerException, fmt.Sprintf("ecstest failed serving %s: %v", op, v))
		}
	}()
	if why := h.config.refuse(r); why != "" {
		writeError(w, http.StatusForbidden, accessDeniedException, why)
		return
	}
	if isConsole(r) {
		h.serveConsole(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/_ecslocal/") || r.URL.Path == motoReset {
		h.serveControl(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, unknownOperationException,
			"The ECS API takes POST requests, not "+r.Method+".")
		return
	}
	target := r.Header.Get("X-Amz-Target")
	api, op := h.apiOf(target)
	if op == "" {
		writeError(w, http.StatusBadRequest, unknownOperationException,
			fmt.Sprintf("X-Amz-Target %q names no operation of %s.", target, strings.TrimSuffix(api.prefix, ".")))
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != contentType && mt != "application/x-amz-json-1.0") {
			writeError(w, http.StatusBadRequest, serializationException,
				fmt.Sprintf("Content-Type %q is not %s.", ct, contentType))
			return
		}
	}
	hh, err := h.regional(r)
	if err != nil {
		h.writeAPIError(w, op, err)
		return
	}
	serve := hh.served(api.prefix, op)
	if serve == nil {
		if slices.Contains(api.model, op) {
			h.writeAPIError(w, op, notImplemented(op))
		} else {
			writeError(w, http.StatusBadRequest, unknownOperationException,
				fmt.Sprintf("%s is not an operation of %s.", op, strings.TrimSuffix(api.prefix, ".")))
		}
		return
	}
	if !h.admit.enter() {
		writeError(w, http.StatusBadRequest, throttlingException, "Rate exceeded")
		return
	}
	defer h.admit.leave()
	body, err := readBody(w, r)
	if err != nil {
		writeBodyError(w, err)
		return
	}
	done, err := h.admit.work(r.Context())
	if err != nil {
		return // the client has gone: nobody reads an answer
	}
	defer done()
	if r.Context().Err() != nil {
		return
	}
	resp, err := serve(r.Context(), body)
	if d := hh.e.perReq; d > 0 {
		hh.e.clock.Advance(d)
	}
	if err != nil {
		h.writeAPIError(w, op, err)
		return
	}
	data, err := ecs.Marshal(resp)
	if err != nil {
		h.writeAPIError(w, op, fmt.Errorf("encode %s response: %w", op, err))
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// readBody reads r's body, at most maxBodyBytes, into a buffer of the
// size it declares.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > maxBodyBytes {
		return nil, &http.MaxBytesError{Limit: maxBodyBytes}
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	return buf.Bytes(), err
}

// writeBodyError answers a body readBody could not read: too large
// (status 413), or cut short.
func writeBodyError(w http.ResponseWriter, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, requestTooLargeException,
			fmt.Sprintf("The request body is larger than %d bytes.", maxBodyBytes))
		return
	}
	writeError(w, http.StatusBadRequest, serializationException, "The request body could not be read: "+err.Error())
}

// writeAPIError answers err: an *ecs.APIError as its type says (status 500
// for a ServerException, else 400), anything else as a ServerException.
func (h *handler) writeAPIError(w http.ResponseWriter, op string, err error) {
	var apiErr *ecs.APIError
	if !errors.As(err, &apiErr) {
		h.e.logger.Error("ecstest: operation failed", "operation", op, "error", err)
		writeError(w, http.StatusInternalServerError, ecs.ServerException, err.Error())
		return
	}
	status := http.StatusBadRequest
	if apiErr.Type == ecs.ServerException {
		status = http.StatusInternalServerError
	}
	writeError(w, status, apiErr.Type, apiErr.Message)
}

// writeError writes an error as the JSON protocol does: the exception type
// in the body's __type and in the X-Amzn-ErrorType header.
func writeError(w http.ResponseWriter, status int, typ, message string) {
	body, err := ecs.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{typ, message})
	if err != nil { // strings always encode
		body = []byte(`{"__type":"` + ecs.ServerException + `"}`)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Amzn-ErrorType", typ)
	w.WriteHeader(status)
	w.Write(body)
}

// decode reads a request body into req: an empty body is an empty
// request; a body that is not JSON, or has a value of the wrong type, is a
// SerializationException that names each problem. A member the shape
// does not define is skipped, as ECS skips it, unless strict
// (Options.StrictRequests), when it is a SerializationException too.
func decode(body []byte, req any, strict bool) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	err := ecs.Unmarshal(body, req, func(o *ecs.DecodeOptions) { o.Lenient = !strict })
	if err == nil {
		return nil
	}
	var se *ecs.SyntaxError
	if errors.As(err, &se) {
		return apiErrorf(serializationException, err, "The request body is not JSON: %v.", se)
	}
	var de *ecs.DecodeError
	if errors.As(err, &de) {
		const most = 10
		var msgs []string
		tooMany := true // only lists longer than the API allows
		for i, fe := range de.Errors {
			if i < most {
				msgs = append(msgs, fe.Error())
			}
			tooMany = tooMany && errors.Is(fe, ecs.ErrTooMany)
		}
		if more := len(de.Errors) + de.More - most; more > 0 {
			msgs = append(msgs, fmt.Sprintf("and %d more", more))
		}
		if tooMany && de.More == 0 {
			return apiErrorf(ecs.InvalidParameterException, fmt.Errorf("%w: %w", ecs.ErrInvalid, err),
				"The request has more elements than the API allows: %s.", strings.Join(msgs, "; "))
		}
		return apiErrorf(serializationException, err, "The request body does not fit the request: %s.", strings.Join(msgs, "; "))
	}
	return err
}
