package ecs

import "errors"

// Exception types of the ECS API, as its errors name them in "__type".
const (
	ClientException                                = "ClientException"
	InvalidParameterException                      = "InvalidParameterException"
	ServerException                                = "ServerException"
	ClusterNotFoundException                       = "ClusterNotFoundException"
	ServiceNotFoundException                       = "ServiceNotFoundException"
	ServiceNotActiveException                      = "ServiceNotActiveException"
	PlatformUnknownException                       = "PlatformUnknownException"
	PlatformTaskDefinitionIncompatibilityException = "PlatformTaskDefinitionIncompatibilityException"
	UnsupportedFeatureException                    = "UnsupportedFeatureException"
	LimitExceededException                         = "LimitExceededException"
	ResourceNotFoundException                      = "ResourceNotFoundException"
	ResourceInUseException                         = "ResourceInUseException"
	ClusterContainsContainerInstancesException     = "ClusterContainsContainerInstancesException"
	ClusterContainsServicesException               = "ClusterContainsServicesException"
	ClusterContainsTasksException                  = "ClusterContainsTasksException"
	TargetNotFoundException                        = "TargetNotFoundException"
	AttributeLimitExceededException                = "AttributeLimitExceededException"
)

// Sentinel errors that the library's API errors wrap, for errors.Is.
var (
	// ErrNotFound marks a reference to something that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInactive marks a task definition that was deregistered where an
	// ACTIVE one is needed.
	ErrInactive = errors.New("inactive")
	// ErrInvalid marks input the API would refuse.
	ErrInvalid = errors.New("invalid")
)

// APIError is an error as the ECS API returns it: an exception type such as
// ClientException and the API's message. Err, when set, is the cause (one
// of the sentinels above, or a richer error such as validation findings).
type APIError struct {
	Type    string
	Message string
	Err     error
}

// Error returns the exception type and the message, as "ClientException: ..."
// ("<nil>" for a nil *APIError).
func (e *APIError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return e.Type + ": " + e.Message
}

// Unwrap returns the cause (nil for a nil *APIError).
func (e *APIError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// NewAPIError returns an APIError of the given type and message wrapping err.
func NewAPIError(typ, message string, err error) *APIError {
	return &APIError{Type: typ, Message: message, Err: err}
}
