package autoscaling

import (
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// State is what Application Auto Scaling remembers of a scalable target
// between decisions: the cooldowns in effect and the capacity the current
// scale-out cooldown started from. The zero State has no cooldown.
type State struct {
	// ScaleOutCooldownEnd is when the scale-out cooldown started by the
	// last scale-out ends.
	ScaleOutCooldownEnd time.Time `json:"ScaleOutCooldownEnd"`
	// ScaleOutBase is the capacity before the scale-out that started the
	// scale-out cooldown: while that cooldown lasts, the capacity it
	// added counts as part of the next scale-out's desired capacity, so a
	// further scale-out is computed from this base.
	ScaleOutBase int `json:"ScaleOutBase"`
	// ScaleInCooldownEnd is when the scale-in cooldown started by the
	// last scale-in ends.
	ScaleInCooldownEnd time.Time `json:"ScaleInCooldownEnd"`
}

// inScaleOutCooldown reports whether a scale-out cooldown lasts at now.
func (s State) inScaleOutCooldown(now time.Time) bool { return now.Before(s.ScaleOutCooldownEnd) }

// inScaleInCooldown reports whether a scale-in cooldown lasts at now.
func (s State) inScaleInCooldown(now time.Time) bool { return now.Before(s.ScaleInCooldownEnd) }

// Decision is the outcome of one evaluation: the desired count (the
// current one when nothing changes) and, when it changes, the scaling
// activity that records why.
type Decision struct {
	DesiredCount int
	Activity     *ScalingActivity
}

// Changed reports whether the decision changes the desired count.
func (d Decision) Changed() bool { return d.Activity != nil }

// scaleOut applies a scale-out to want (computed from the capacity
// scaleOutBase returns), bounded by the target, and starts the scale-out
// cooldown. A scale-out ends a scale-in cooldown: "if another alarm
// triggers a scale-out activity during the scale-in cooldown period,
// Application Auto Scaling scales out the target immediately", from the
// ScaleInCooldown member of
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
func scaleOut(t ScalableTarget, s State, current, want int, cooldown time.Duration, now time.Time) (int, State, bool) {
	want = t.clamp(want)
	if want <= current {
		return current, s, false
	}
	if !s.inScaleOutCooldown(now) {
		s.ScaleOutBase = current
	}
	s.ScaleOutCooldownEnd = cooldownEnd(now, cooldown)
	s.ScaleInCooldownEnd = time.Time{}
	return want, s, true
}

// scaleOutBase is the capacity a scale-out computes from: during a
// scale-out cooldown, the capacity before the scale-out that started it
// (the capacity that scale-out added is part of the new desired count,
// not added again); otherwise the current capacity.
func scaleOutBase(s State, current int, now time.Time) int {
	if s.inScaleOutCooldown(now) && s.ScaleOutBase < current {
		return s.ScaleOutBase
	}
	return current
}

// scaleIn applies a scale-in to want, bounded by the target, unless a
// scale-in cooldown lasts, and starts the scale-in cooldown. Only the
// scale-in cooldown blocks a scale-in: "the cooldown period is used to
// block subsequent scale in requests until it has expired" (ScaleInCooldown
// of API_TargetTrackingScalingPolicyConfiguration.html, and the scale-in
// case of Cooldown in API_StepScalingPolicyConfiguration.html); the
// scale-out cooldown is about the next scale-out ("after a scale out
// activity completes before another scale out activity can start").
func scaleIn(t ScalableTarget, s State, current, want int, cooldown time.Duration, now time.Time) (int, State, bool) {
	if s.inScaleInCooldown(now) {
		return current, s, false
	}
	want = t.clamp(want)
	if want >= current {
		return current, s, false
	}
	s.ScaleInCooldownEnd = cooldownEnd(now, cooldown)
	return want, s, true
}

// desiredCountActivity is the activity of a change of the desired count.
func desiredCountActivity(t ScalableTarget, n int, cause string, now time.Time) *ScalingActivity {
	return &ScalingActivity{
		ServiceNamespace:  t.ServiceNamespace,
		ResourceId:        t.ResourceId,
		ScalableDimension: t.ScalableDimension,
		Description:       fmt.Sprintf("Setting desired count to %d.", n),
		Cause:             cause,
		StartTime:         ecs.NewTime(now),
		EndTime:           ecs.NewTime(now),
		StatusCode:        ActivityStatusSuccessful,
		StatusMessage:     fmt.Sprintf("Successfully set desired count to %d. Change successfully fulfilled by ecs.", n),
	}
}

// alarmCause is the cause Application Auto Scaling writes when an alarm
// runs a policy.
func alarmCause(alarm, policy string) string {
	return fmt.Sprintf("monitor alarm %s in state ALARM triggered policy %s", alarm, policy)
}
