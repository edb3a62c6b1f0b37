package ecstest

import (
	"fmt"
	"net/http"

	"github.com/ecscore/ecscore/ecs"
)

// usable refuses a call on an ECS that New did not make: a nil *ECS, or
// the zero ECS, which has no clock, registry or state. Every exported
// method of ECS checks it first, so that such a call returns this error
// (or a zero result) instead of panicking.
func (e *ECS) usable() error {
	if e == nil || e.clock == nil || e.registry == nil || e.clusters == nil {
		return ecs.NewAPIError(ecs.ClientException, "ecstest: the ECS is nil or was not made with New.", ecs.ErrInvalid)
	}
	return nil
}

// checkRequest refuses a call on an ECS that New did not make, and a nil
// request, as the API refuses a request without a body.
func checkRequest[T any](e *ECS, req *T) error {
	if err := e.usable(); err != nil {
		return err
	}
	if req == nil {
		return invalidParameter("The request is required: the %T is nil.", req)
	}
	return checkWire(req)
}

// checkWire refuses a request of the Go API that the ECS protocol could
// not carry (an Integer member outside int32, a list over the model's
// limit), as the API's front end refuses it before any operation sees it,
// so that the operations, which copy nested members through their JSON
// (deepCopy), never meet one.
func checkWire[T any](req *T) error {
	data, err := ecs.Marshal(req)
	if err == nil {
		err = ecs.Unmarshal(data, new(T))
	}
	if err != nil {
		return apiErrorf(ecs.InvalidParameterException, fmt.Errorf("%w: %w", ecs.ErrInvalid, err), "%v", err)
	}
	return nil
}

// unusableHandler answers every request to the Handler of an ECS that New
// did not make with a ServerException.
func unusableHandler(err error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusInternalServerError, ecs.ServerException, fmt.Sprint(err))
	})
}
