package capacity

import "fmt"

// errPrefix begins the messages of the package's errors.
const errPrefix = "capacity: "

// reasoner is an error of this package that can say what went wrong
// without the "capacity: " prefix, for a sentence that names its source
// itself: a plan's Unplaceable.Reason, or a line of a report.
type reasoner interface {
	error
	Reason() string
}

// ErrorReason returns err's message without the "capacity: " prefix when
// err itself (not an error it wraps, whose prefix would sit inside the
// message) has a Reason method: a *PlacementError, the error of one
// workload that placement refuses, no Fargate size that holds a task.
// Any other error gives err.Error(), and nil gives "".
func ErrorReason(err error) string {
	if err == nil {
		return ""
	}
	// The outermost error only: its message is the one that begins with
	// the prefix.
	if r, ok := err.(reasoner); ok {
		return r.Reason()
	}
	return err.Error()
}

// workloadError is an error of one workload: its name, and what is wrong.
type workloadError struct {
	workload string
	err      error
}

func (e *workloadError) Error() string  { return errPrefix + e.Reason() }
func (e *workloadError) Reason() string { return fmt.Sprintf("workload %q: %v", e.workload, e.err) }
func (e *workloadError) Unwrap() error  { return e.err }

// fargateSizeError says that no Fargate size holds a task.
type fargateSizeError struct {
	os             string
	cpu, memoryMiB int
}

func (e *fargateSizeError) Error() string { return errPrefix + e.Reason() }
func (e *fargateSizeError) Reason() string {
	return fmt.Sprintf("no Fargate size for %s holds cpu %d and memory %d MiB", e.os, e.cpu, e.memoryMiB)
}
