package ecstest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// motoReset is the reset endpoint of moto's server mode, which ecstest
// answers as /_ecslocal/reset, so that test suites written for moto reset
// it unchanged.
const motoReset = "/moto-api/reset"

// maxAdvance bounds one advance of the clock through the control endpoint.
const maxAdvance = 10 * 365 * 24 * time.Hour

// clockState is the answer of the control endpoints.
type clockState struct {
	Now   ecs.Time `json:"now"`
	Speed float64  `json:"speed"`
}

// serveControl serves the endpoints beside the API under /_ecslocal/.
// A POST that a page of another site could have sent is refused
// (refuseControl).
func (h *handler) serveControl(w http.ResponseWriter, r *http.Request) {
	clock := h.e.clock
	if why := refuseControl(r); why != "" {
		writeError(w, http.StatusForbidden, accessDeniedException, why)
		return
	}
	switch r.URL.Path {
	case "/_ecslocal/advance":
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, unknownOperationException, "Advance the clock with POST.")
			return
		}
		d, err := advanceBy(r.URL.Query().Get("seconds"))
		if err != nil {
			writeError(w, http.StatusBadRequest, ecs.InvalidParameterException, err.Error())
			return
		}
		clock.Advance(d)
	case "/_ecslocal/reset", motoReset:
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, unknownOperationException, "Reset with POST.")
			return
		}
		if err := h.e.Reset(r.Context()); err != nil {
			writeError(w, http.StatusInternalServerError, ecs.ServerException, "reset: "+err.Error())
			return
		}
	case "/_ecslocal/settle":
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, unknownOperationException, "Settle a service with POST.")
			return
		}
		q := r.URL.Query()
		within := time.Duration(0)
		if s := q.Get("seconds"); s != "" {
			d, err := advanceBy(s)
			if err != nil {
				writeError(w, http.StatusBadRequest, ecs.InvalidParameterException, err.Error())
				return
			}
			within = d
		}
		hh, err := h.regional(r)
		if err != nil {
			h.writeAPIError(w, "settle", err)
			return
		}
		svc, err := hh.e.Settle(r.Context(), q.Get("cluster"), q.Get("service"), within)
		if err != nil {
			h.writeAPIError(w, "settle", err)
			return
		}
		ecs.SetEmptyLists(svc)
		data, err := ecs.Marshal(struct {
			Service *ecs.Service `json:"service"`
		}{svc})
		if err != nil {
			writeError(w, http.StatusInternalServerError, ecs.ServerException, err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
		return
	case "/_ecslocal/clock":
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			writeError(w, http.StatusMethodNotAllowed, unknownOperationException, "Read the clock with GET.")
			return
		}
	default:
		writeError(w, http.StatusNotFound, unknownOperationException,
			fmt.Sprintf("%s is not an endpoint: use POST /_ecslocal/advance?seconds=N, POST /_ecslocal/reset, POST /_ecslocal/settle?cluster=C&service=S or GET /_ecslocal/clock.", r.URL.Path))
		return
	}
	data, err := ecs.Marshal(clockState{Now: ecs.NewTime(clock.Now()), Speed: clock.Speed()})
	if err != nil {
		writeError(w, http.StatusInternalServerError, ecs.ServerException, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

// advanceBy reads the seconds parameter: a number of seconds, fractions
// allowed, from 0 to ten years.
func advanceBy(text string) (time.Duration, error) {
	secs, err := strconv.ParseFloat(text, 64)
	switch {
	case text == "":
		return 0, fmt.Errorf("seconds is required: POST /_ecslocal/advance?seconds=N")
	case err != nil || math.IsNaN(secs):
		return 0, fmt.Errorf("seconds %q is not a number", text)
	case secs < 0:
		return 0, fmt.Errorf("seconds %q is negative: the clock does not go back", text)
	case secs > maxAdvance.Seconds():
		return 0, fmt.Errorf("seconds %q is more than ten years", text)
	}
	return time.Duration(secs * float64(time.Second)), nil
}
