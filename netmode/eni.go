package netmode

import "github.com/ecscore/ecscore/ecs"

// AwsvpcTaskLimit returns how many awsvpc tasks an instance of type t can
// run. Each awsvpc task takes one ENI, and the primary ENI is the
// instance's own, so the limit is t.MaxENIs − 1. With ENI trunking (the
// instance has the ecs.capability.task-eni-trunking attribute) tasks use
// branch interfaces of the trunk ENI instead and the limit is t.TrunkENIs,
// the developer guide's "task limit with ENI trunking"; when the catalogue
// has no such figure for t the limit without trunking applies. The result
// is false when t has no ENI figure at all.
func AwsvpcTaskLimit(t ecs.InstanceType, trunking bool) (int, bool) {
	if trunking && t.TrunkENIs > 0 {
		return t.TrunkENIs, true
	}
	if t.MaxENIs < 1 {
		return 0, false
	}
	return t.MaxENIs - 1, true
}

// checkENI reports whether n more ENIs fit the instance.
func (s *State) checkENI(n int) (FitError, bool) {
	switch {
	case n == 0:
		return FitError{}, true
	case s.eniLimit < 0:
		return FitError{Reason: ReasonENI, Cause: CauseUnknownInstanceType, InstanceType: s.instanceType}, false
	case int(s.enis)+n > int(s.eniLimit):
		return FitError{Reason: ReasonENI, Cause: CauseENILimit, Limit: int(s.eniLimit), InstanceType: s.instanceType}, false
	}
	return FitError{}, true
}
