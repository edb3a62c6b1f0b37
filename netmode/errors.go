package netmode

import (
	"errors"
	"fmt"

	"github.com/ecscore/ecscore/ecs"
)

// Reasons ECS gives when a task does not fit an instance because of its
// network needs, as the API's Failure.reason spells them.
const (
	ReasonPorts    = "RESOURCE:PORTS"     // a TCP host port
	ReasonPortsUDP = "RESOURCE:PORTS_UDP" // a UDP host port
	ReasonENI      = "RESOURCE:ENI"       // an elastic network interface
)

// ErrInvalid marks a task definition whose port mappings no network mode
// could bind (for example a host-mode hostPort that differs from its
// containerPort). Such a task fits no instance; validation should have
// refused it.
var ErrInvalid = errors.New("invalid port mapping")

// ErrNotHeld marks a Release of ports or ENIs the state does not hold, for
// example an Allocation released twice.
var ErrNotHeld = errors.New("not held by this instance")

// Cause says which rule turned a task away. It refines FitError.Reason.
type Cause uint8

// Causes of a FitError.
const (
	// CauseReserved: a static host port is one of the instance's reserved
	// ports (its registered PORTS or PORTS_UDP).
	CauseReserved Cause = iota + 1
	// CauseInUse: a static host port is held by a task already on the
	// instance, statically or dynamically.
	CauseInUse
	// CauseDuplicate: the task asks for the same host port twice.
	CauseDuplicate
	// CauseReservedLimit: the task's static host ports would take the
	// instance past its limit of reserved ports (100 by default).
	CauseReservedLimit
	// CauseNoDynamicPort: no port of the dynamic range is free.
	CauseNoDynamicPort
	// CauseNoContiguousRange: no run of contiguous free ports of the size a
	// containerPortRange needs is left in the dynamic range.
	CauseNoContiguousRange
	// CauseENILimit: the instance already runs as many awsvpc tasks as it
	// has ENIs for.
	CauseENILimit
	// CauseUnknownInstanceType: the catalogue does not know the instance's
	// type and the caller gave no awsvpc task limit.
	CauseUnknownInstanceType
	// CauseInvalid: the call itself was wrong, not the instance: a nil
	// State or Request, or ports with room for fewer than Mappings()
	// ports. Its FitError has no Reason.
	CauseInvalid
)

var causeNames = [...]string{
	CauseReserved:            "reserved port",
	CauseInUse:               "port in use",
	CauseDuplicate:           "duplicate port",
	CauseReservedLimit:       "reserved port limit",
	CauseNoDynamicPort:       "no dynamic port",
	CauseNoContiguousRange:   "no contiguous range",
	CauseENILimit:            "ENI limit",
	CauseUnknownInstanceType: "unknown instance type",
	CauseInvalid:             "invalid call",
}

// String returns a short name of the cause, such as "port in use".
func (c Cause) String() string {
	if int(c) < len(causeNames) && causeNames[c] != "" {
		return causeNames[c]
	}
	return fmt.Sprintf("Cause(%d)", uint8(c))
}

// FitError says why a task's ports or ENI do not fit an instance. Reason is
// the ECS failure reason; the other fields name what caused it. It is a
// small value: State.Fits returns it without allocating, and Allocate
// returns a *FitError that errors.As unpacks.
type FitError struct {
	Reason       string                // ReasonPorts, ReasonPortsUDP or ReasonENI
	Cause        Cause                 // the rule that refused the task
	Protocol     ecs.TransportProtocol // tcp or udp; empty for an ENI reason
	Port         int                   // the host port that caused it, or 0
	Count        int                   // contiguous ports wanted (dynamic causes)
	Range        PortRange             // the dynamic range searched (dynamic causes)
	Limit        int                   // the limit reached (reserved ports or awsvpc tasks)
	InstanceType string                // the instance type (ENI causes)
}

// Error describes the failure in one line, starting with the ECS reason
// ("<nil>" for a nil *FitError).
func (e *FitError) Error() string {
	if e == nil {
		return "<nil>"
	}
	switch e.Cause {
	case CauseReserved:
		return fmt.Sprintf("%s: host port %d/%s is reserved on the instance", e.Reason, e.Port, e.Protocol)
	case CauseInUse:
		return fmt.Sprintf("%s: host port %d/%s is already in use", e.Reason, e.Port, e.Protocol)
	case CauseDuplicate:
		return fmt.Sprintf("%s: the task asks for host port %d/%s twice", e.Reason, e.Port, e.Protocol)
	case CauseReservedLimit:
		return fmt.Sprintf("%s: host port %d/%s would pass the limit of %d reserved ports", e.Reason, e.Port, e.Protocol, e.Limit)
	case CauseNoDynamicPort:
		return fmt.Sprintf("%s: no free %s port left in the dynamic range %s", e.Reason, e.Protocol, e.Range)
	case CauseNoContiguousRange:
		return fmt.Sprintf("%s: no %d contiguous free %s ports left in the dynamic range %s", e.Reason, e.Count, e.Protocol, e.Range)
	case CauseENILimit:
		return fmt.Sprintf("%s: the instance (%s) already runs its limit of %d awsvpc tasks", e.Reason, e.InstanceType, e.Limit)
	case CauseUnknownInstanceType:
		return fmt.Sprintf("%s: unknown instance type %q; give its awsvpc task limit", e.Reason, e.InstanceType)
	case CauseInvalid:
		return "netmode: invalid call: a nil State or Request, or ports with room for fewer than Request.Mappings() ports"
	}
	return e.Reason
}

// invalidCall is the FitError of a call with a nil State or Request, or
// too few ports.
var invalidCall = FitError{Cause: CauseInvalid}

func portReason(p proto) string {
	if p == udp {
		return ReasonPortsUDP
	}
	return ReasonPorts
}

func portMisfit(c Cause, p proto, port int) FitError {
	return FitError{Reason: portReason(p), Cause: c, Protocol: p.api(), Port: port}
}
