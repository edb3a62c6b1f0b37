package netmode

import "github.com/ecscore/ecscore/ecs"

// AwsvpcTaskLimit returns how many awsvpc tasks an instance of type t can
// run: ecs.InstanceType.AwsvpcTaskLimit, kept here for callers of netmode.
func AwsvpcTaskLimit(t ecs.InstanceType, trunking bool) (int, bool) {
	return t.AwsvpcTaskLimit(trunking)
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
