package capacity

import (
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Values of the ENABLED/DISABLED settings of an Auto Scaling group provider.
const (
	Enabled  = "ENABLED"
	Disabled = "DISABLED"
)

// Ranges and defaults of managed scaling (rule 137).
const (
	DefaultTargetCapacity       = 100
	DefaultMinimumScalingStep   = 1
	DefaultMaximumScalingStep   = 10000
	DefaultInstanceWarmupPeriod = 300 // seconds
	MaxScalingStep              = 10000
	MaxInstanceWarmupPeriod     = 10000 // seconds
)

// ManagedScaling is the API shape ManagedScaling: how ECS scales an Auto
// Scaling group provider's group. A zero number means the member is
// absent and takes its default; InstanceWarmupPeriod, whose 0 is a valid
// value, is a pointer for that reason.
type ManagedScaling struct {
	Status                 string `json:"status,omitempty"`                 // ENABLED or DISABLED
	TargetCapacity         int    `json:"targetCapacity,omitempty"`         // 1–100, default 100
	MinimumScalingStepSize int    `json:"minimumScalingStepSize,omitempty"` // 1–10000, default 1
	MaximumScalingStepSize int    `json:"maximumScalingStepSize,omitempty"` // 1–10000, default 10000
	InstanceWarmupPeriod   *int   `json:"instanceWarmupPeriod,omitempty"`   // seconds, 0–10000, default 300
}

// AutoScalingGroupProvider is the API shape AutoScalingGroupProvider: an
// Auto Scaling group capacity provider's settings.
type AutoScalingGroupProvider struct {
	AutoScalingGroupARN          string          `json:"autoScalingGroupArn"`
	ManagedScaling               *ManagedScaling `json:"managedScaling,omitempty"`
	ManagedTerminationProtection string          `json:"managedTerminationProtection,omitempty"` // default DISABLED
	ManagedDraining              string          `json:"managedDraining,omitempty"`
}

// WithDefaults returns m with absent members set to the API's defaults. An
// absent status is taken as DISABLED (an assumption: the API text does not
// state its default).
func (m ManagedScaling) WithDefaults() ManagedScaling {
	if m.Status == "" {
		m.Status = Disabled
	}
	if m.TargetCapacity == 0 {
		m.TargetCapacity = DefaultTargetCapacity
	}
	if m.MinimumScalingStepSize == 0 {
		m.MinimumScalingStepSize = DefaultMinimumScalingStep
	}
	if m.MaximumScalingStepSize == 0 {
		m.MaximumScalingStepSize = DefaultMaximumScalingStep
	}
	if m.InstanceWarmupPeriod == nil {
		w := DefaultInstanceWarmupPeriod
		m.InstanceWarmupPeriod = &w
	}
	return m
}

// Warmup returns the instance warm-up period, its default when absent.
func (m ManagedScaling) Warmup() time.Duration {
	w := DefaultInstanceWarmupPeriod
	if m.InstanceWarmupPeriod != nil {
		w = *m.InstanceWarmupPeriod
	}
	return time.Duration(w) * time.Second
}

// scaling returns p's managed scaling with defaults, DISABLED when absent.
func (p AutoScalingGroupProvider) scaling() ManagedScaling {
	if p.ManagedScaling == nil {
		return ManagedScaling{}.WithDefaults()
	}
	return p.ManagedScaling.WithDefaults()
}

// terminationProtected reports whether managed termination protection is
// in effect: ENABLED, and managed scaling on, which it needs (rule 141).
func (p AutoScalingGroupProvider) terminationProtected() bool {
	return p.ManagedTerminationProtection == Enabled && p.scaling().Status == Enabled
}

// ProviderProblems returns every reason the API would refuse p in a
// CreateCapacityProvider request: a missing group ARN, a managed scaling
// number out of its range (rule 137), a setting outside ENABLED and
// DISABLED. Zero numbers are taken as absent.
func ProviderProblems(p AutoScalingGroupProvider) []Problem {
	const field = "autoScalingGroupProvider"
	var ps []Problem
	if p.AutoScalingGroupARN == "" {
		ps = append(ps, Problem{Path: field + ".autoScalingGroupArn", Code: CodeRequired,
			Type: ecs.InvalidParameterException,
			Message: constraint("", field+".autoScalingGroupArn",
				"Member must have length greater than or equal to 1")})
	}
	if p.ManagedScaling != nil {
		ps = append(ps, scalingProblems(*p.ManagedScaling, field+".managedScaling")...)
	}
	for _, e := range [...]struct{ name, v string }{
		{"managedTerminationProtection", p.ManagedTerminationProtection},
		{"managedDraining", p.ManagedDraining},
	} {
		if e.v == "" {
			continue
		}
		if pr, bad := enumProblem(e.v, field+"."+e.name, field+"."+e.name, Enabled, Disabled); bad {
			ps = append(ps, pr)
		}
	}
	return ps
}

// ValidateProvider returns the first of ProviderProblems as an
// *ecs.APIError wrapping ecs.ErrInvalid, or nil.
func ValidateProvider(p AutoScalingGroupProvider) error {
	return firstErr(ProviderProblems(p))
}

func scalingProblems(m ManagedScaling, field string) []Problem {
	var ps []Problem
	if m.Status != "" {
		if p, bad := enumProblem(m.Status, field+".status", field+".status", Enabled, Disabled); bad {
			ps = append(ps, p)
		}
	}
	nums := [...]struct {
		name      string
		v, lo, hi int
		set       bool
	}{
		{"targetCapacity", m.TargetCapacity, 1, 100, m.TargetCapacity != 0},
		{"minimumScalingStepSize", m.MinimumScalingStepSize, 1, MaxScalingStep, m.MinimumScalingStepSize != 0},
		{"maximumScalingStepSize", m.MaximumScalingStepSize, 1, MaxScalingStep, m.MaximumScalingStepSize != 0},
		{"instanceWarmupPeriod", deref(m.InstanceWarmupPeriod), 0, MaxInstanceWarmupPeriod, m.InstanceWarmupPeriod != nil},
	}
	for _, n := range nums {
		if !n.set {
			continue
		}
		if p, bad := rangeProblem(n.v, n.lo, n.hi, field+"."+n.name, field+"."+n.name, CodeRange); bad {
			ps = append(ps, p)
		}
	}
	return ps
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
