package ecstest

import (
	"fmt"

	"github.com/ecscore/ecscore/ecs"
)

// Exception types of the JSON protocol itself, which the ECS API's model
// does not name.
const (
	unknownOperationException = "UnknownOperationException"
	serializationException    = "SerializationException"
	requestTooLargeException  = "RequestEntityTooLargeException"
	// throttlingException is ECS's answer to more requests than it
	// takes at once: status 400, message "Rate exceeded". The AWS SDKs
	// retry it with back-off.
	throttlingException = "ThrottlingException"
	// accessDeniedException answers, with status 403, a request that
	// Handler's guard refuses: a foreign Host or Origin, or a cross-site
	// request to a control endpoint.
	accessDeniedException = "AccessDeniedException"
)

func apiErrorf(typ string, cause error, format string, args ...any) error {
	return ecs.NewAPIError(typ, fmt.Sprintf(format, args...), cause)
}

func invalidParameter(format string, args ...any) error {
	return apiErrorf(ecs.InvalidParameterException, ecs.ErrInvalid, format, args...)
}

// invalidParameterWrap is invalidParameter for a request refused because
// of err: the error wraps both ecs.ErrInvalid and err, so that callers can
// tell the cause with errors.Is and errors.As.
func invalidParameterWrap(err error, format string, args ...any) error {
	return apiErrorf(ecs.InvalidParameterException, fmt.Errorf("%w: %w", ecs.ErrInvalid, err), format, args...)
}

func clientError(format string, args ...any) error {
	return apiErrorf(ecs.ClientException, ecs.ErrInvalid, format, args...)
}

func clusterNotFound() error {
	return ecs.NewAPIError(ecs.ClusterNotFoundException, "Cluster not found.", ecs.ErrNotFound)
}

// notImplemented answers an operation of the ECS API that ecstest does not
// serve: a 400 UnsupportedFeatureException that says so, never a pretence
// of success.
func notImplemented(op string) error {
	return apiErrorf(ecs.UnsupportedFeatureException, nil,
		"ecstest does not implement %s: it is outside what ecstest serves.", op)
}
