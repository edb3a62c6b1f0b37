package capacity

import (
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Ranges and defaults of managed scaling (rule 137). The step sizes and
// the target capacity count instances and percent; the warm-up periods are
// in seconds, as the API writes them.
const (
	DefaultTargetCapacity       = 100
	DefaultMinimumScalingStep   = 1
	DefaultMaximumScalingStep   = 10000
	DefaultInstanceWarmupPeriod = 300 // seconds
	MaxScalingStep              = 10000
	MaxInstanceWarmupPeriod     = 10000 // seconds
)

// ScalingParams is managed scaling with every setting resolved: the API
// shape ecs.ManagedScaling with its absent members replaced by their
// defaults, in the plain values the decision code works on.
// ScalingDefaults makes one from the API shape.
type ScalingParams struct {
	// Enabled reports that managed scaling is on: status ENABLED.
	Enabled bool
	// TargetCapacity is the CapacityProviderReservation managed scaling
	// aims at, a percentage (1–100).
	TargetCapacity int
	// MinimumScalingStepSize and MaximumScalingStepSize bound the
	// instances one scale-out launches (1–10000).
	MinimumScalingStepSize, MaximumScalingStepSize int
	// InstanceWarmupPeriod is how long after its launch an instance
	// holds back a further scale-out.
	InstanceWarmupPeriod time.Duration
}

// ScalingDefaults resolves m: each absent (nil) number takes its default
// (targetCapacity 100, minimumScalingStepSize 1, maximumScalingStepSize
// 10000, instanceWarmupPeriod 300 seconds), and managed scaling is enabled
// only when the status is ENABLED: an absent status is taken as DISABLED
// (an assumption: the API text does not state its default). Numbers that
// are set are taken as they are, 0 included; ProviderProblems reports those
// the API would refuse.
func ScalingDefaults(m ecs.ManagedScaling) ScalingParams {
	return ScalingParams{
		Enabled:                m.Status == ecs.ManagedScalingStatusEnabled,
		TargetCapacity:         valueOr(m.TargetCapacity, DefaultTargetCapacity),
		MinimumScalingStepSize: valueOr(m.MinimumScalingStepSize, DefaultMinimumScalingStep),
		MaximumScalingStepSize: valueOr(m.MaximumScalingStepSize, DefaultMaximumScalingStep),
		InstanceWarmupPeriod:   time.Duration(valueOr(m.InstanceWarmupPeriod, DefaultInstanceWarmupPeriod)) * time.Second,
	}
}

// valueOr returns *p, or def when p is nil.
func valueOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// providerScaling returns p's managed scaling resolved by ScalingDefaults;
// without a managedScaling member, managed scaling is off.
func providerScaling(p ecs.AutoScalingGroupProvider) ScalingParams {
	if p.ManagedScaling == nil {
		return ScalingDefaults(ecs.ManagedScaling{})
	}
	return ScalingDefaults(*p.ManagedScaling)
}

// terminationProtected reports whether managed termination protection is
// in effect for p: ENABLED, and managed scaling on, which it needs (rule
// 141).
func terminationProtected(p ecs.AutoScalingGroupProvider) bool {
	return p.ManagedTerminationProtection == ecs.ManagedTerminationProtectionEnabled &&
		providerScaling(p).Enabled
}

// ProviderProblems returns every reason the API would refuse p in a
// CreateCapacityProvider request: a missing group ARN, a managed scaling
// number out of its range (rule 137), a status or setting outside ENABLED
// and DISABLED. Absent (nil or empty) members are not checked; a number
// that is set is, 0 included.
func ProviderProblems(p ecs.AutoScalingGroupProvider) ecs.Findings {
	const field = "autoScalingGroupProvider"
	var ps ecs.Findings
	if p.AutoScalingGroupARN == "" {
		ps = append(ps, ecs.Finding{Severity: ecs.SeverityError, Path: field + ".autoScalingGroupArn", Code: CodeRequired,
			Exception: ecs.InvalidParameterException,
			Message: constraint("", field+".autoScalingGroupArn",
				"Member must have length greater than or equal to 1")})
	}
	if p.ManagedScaling != nil {
		ps = append(ps, scalingProblems(*p.ManagedScaling, field+".managedScaling")...)
	}
	if pr, bad := optionalEnumProblem(p.ManagedTerminationProtection, field+".managedTerminationProtection"); bad {
		ps = append(ps, pr)
	}
	if pr, bad := optionalEnumProblem(p.ManagedDraining, field+".managedDraining"); bad {
		ps = append(ps, pr)
	}
	return ps
}

// ValidateProvider returns the first of ProviderProblems as an
// *ecs.APIError wrapping ecs.ErrInvalid, or nil.
func ValidateProvider(p ecs.AutoScalingGroupProvider) error {
	return firstErr(ProviderProblems(p))
}

func scalingProblems(m ecs.ManagedScaling, field string) ecs.Findings {
	var ps ecs.Findings
	if p, bad := optionalEnumProblem(m.Status, field+".status"); bad {
		ps = append(ps, p)
	}
	nums := [...]struct {
		name   string
		v      *int
		lo, hi int
	}{
		{"targetCapacity", m.TargetCapacity, 1, 100},
		{"minimumScalingStepSize", m.MinimumScalingStepSize, 1, MaxScalingStep},
		{"maximumScalingStepSize", m.MaximumScalingStepSize, 1, MaxScalingStep},
		{"instanceWarmupPeriod", m.InstanceWarmupPeriod, 0, MaxInstanceWarmupPeriod},
	}
	for _, n := range nums {
		if n.v == nil {
			continue
		}
		if p, bad := rangeProblem(*n.v, n.lo, n.hi, field+"."+n.name, field+"."+n.name, CodeRange); bad {
			ps = append(ps, p)
		}
	}
	return ps
}
