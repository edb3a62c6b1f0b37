package ecs

import "cmp"

// FindingsError holds every problem found in one API request. ECS answers
// a request with one exception, for the first problem; the validators of
// the library (placement.ValidatePlacement, deploy.ValidateService,
// capacity's checks, ...) return that answer as an *APIError wrapping a
// *FindingsError, so errors.As reaches all the problems at once.
type FindingsError struct {
	// Findings lists every problem, in the order of the request.
	Findings Findings
}

// Error returns the first error finding's message, the message ECS
// answers the request with ("<nil>" for a nil *FindingsError).
func (e *FindingsError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if f, ok := e.first(); ok {
		return cmp.Or(f.APIMessage, f.Message)
	}
	return "invalid request"
}

// Unwrap returns ErrInvalid: every finding is input the API would refuse.
func (e *FindingsError) Unwrap() error { return ErrInvalid }

// first returns the first error finding.
func (e *FindingsError) first() (Finding, bool) {
	for _, f := range e.Findings {
		if f.Severity == SeverityError {
			return f, true
		}
	}
	return Finding{}, false
}

// RequestErr returns nil when no finding is an error, and otherwise the
// error ECS answers the request with: an *APIError of the first error
// finding's exception (InvalidParameterException when it names none) and
// message, wrapping a *FindingsError that holds every finding.
func (fs Findings) RequestErr() error {
	if !fs.HasErrors() {
		return nil
	}
	fe := &FindingsError{Findings: fs}
	f, _ := fe.first()
	return NewAPIError(cmp.Or(f.Exception, InvalidParameterException), cmp.Or(f.APIMessage, f.Message), fe)
}
