package autoscaling

import (
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// location returns the scheduled action's time zone: its Timezone (an
// IANA name), or UTC.
func (a ScheduledAction) location() (*time.Location, error) {
	if a.Timezone == "" {
		return time.UTC, nil
	}
	if a.Timezone == "Local" {
		// Go's name for the host's zone, not an IANA name: a schedule in
		// it would depend on the machine it runs on.
		return nil, fmt.Errorf("%w: Timezone %q is not an IANA time zone name", ErrInvalidSchedule, a.Timezone)
	}
	loc, err := time.LoadLocation(a.Timezone)
	if err != nil {
		return nil, fmt.Errorf("%w: Timezone %q is not a time zone name: %w", ErrInvalidSchedule, a.Timezone, err)
	}
	return loc, nil
}

// NextRun returns the first time after after at which the scheduled
// action runs, within its StartTime and EndTime, and false when it never
// runs again. A rate is counted from StartTime, or from CreationTime
// without one; an action with neither (one not yet stored by
// PutScheduledAction) counts it from after.
func (a ScheduledAction) NextRun(after time.Time) (time.Time, bool, error) {
	s, loc, err := a.parse()
	if err != nil {
		return time.Time{}, false, err
	}
	t, ok := a.nextRun(s, loc, after)
	return t, ok, nil
}

// parse returns the action's schedule and time zone.
func (a ScheduledAction) parse() (Schedule, *time.Location, error) {
	s, err := ParseSchedule(a.Schedule)
	if err != nil {
		return Schedule{}, nil, err
	}
	loc, err := a.location()
	if err != nil {
		return Schedule{}, nil, err
	}
	return s, loc, nil
}

// nextRun is NextRun with the schedule parsed and the zone loaded.
func (a ScheduledAction) nextRun(s Schedule, loc *time.Location, after time.Time) (time.Time, bool) {
	anchor := a.CreationTime.Time
	if anchor.IsZero() && a.StartTime.IsZero() {
		anchor = after
	}
	if !a.StartTime.IsZero() {
		anchor = a.StartTime.Time
		if after.Before(anchor) && s.rate == 0 {
			after = anchor.Add(-time.Nanosecond)
		}
	}
	t, ok := s.Next(after, anchor, loc)
	if !ok || (!a.EndTime.IsZero() && t.After(a.EndTime.Time)) {
		return time.Time{}, false
	}
	return t, true
}

// MaxDueRuns is the most run times [ScheduledAction.Due] returns at once,
// whatever its limit, so a span of centuries does not exhaust memory.
const MaxDueRuns = 10000

// Due returns the run times of the scheduled action in (last, now], at
// most limit of them (and at most MaxDueRuns), oldest first, so a caller
// that advances its clock by a span runs each one that fell in it. The
// schedule is parsed once for all of them.
func (a ScheduledAction) Due(last, now time.Time, limit int) ([]time.Time, error) {
	s, loc, err := a.parse()
	if err != nil {
		return nil, err
	}
	limit = min(limit, MaxDueRuns)
	var runs []time.Time
	for len(runs) < limit {
		t, ok := a.nextRun(s, loc, last)
		if !ok || t.After(now) {
			break
		}
		runs = append(runs, t)
		last = t
	}
	return runs, nil
}

// RunScheduled runs a scheduled action on its scalable target at now: it
// sets the target's MinCapacity and/or MaxCapacity, and the desired count
// follows them. "If the current capacity is below the minimum capacity,
// Application Auto Scaling scales out to the minimum capacity. If the
// current capacity is above the maximum capacity, Application Auto
// Scaling scales in to the maximum capacity"
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ScalableTargetAction.html).
// The decision's activity is that of [FollowBounds]. When the target's
// ScheduledScalingSuspended is set nothing changes.
// A new minimum above the maximum (or the reverse) is refused, as
// RegisterScalableTarget refuses it, and the target is left unchanged.
func RunScheduled(t ScalableTarget, a ScheduledAction, current int, now time.Time) (ScalableTarget, Decision, error) {
	if t.suspended().ScheduledScalingSuspended || a.ScalableTargetAction == nil {
		return t, Decision{DesiredCount: current}, nil
	}
	nt := t
	if v := a.ScalableTargetAction.MinCapacity; v != nil {
		nt.MinCapacity = *v
	}
	if v := a.ScalableTargetAction.MaxCapacity; v != nil {
		nt.MaxCapacity = *v
	}
	if nt.MinCapacity < 0 || nt.MinCapacity > nt.MaxCapacity {
		return t, Decision{DesiredCount: current}, fmt.Errorf("%w: scheduled action %q: MinCapacity %d must be at least 0 and not greater than MaxCapacity %d", ErrValidation, a.ScheduledActionName, nt.MinCapacity, nt.MaxCapacity)
	}
	return nt, FollowBounds(nt, current, now), nil
}

// FollowBounds moves a desired count outside a target's new bounds to the
// nearest bound, as after a scheduled action or a RegisterScalableTarget
// that changes MinCapacity or MaxCapacity. The activity is the one
// Application Auto Scaling records: "Setting desired count to 1." caused
// by "minimum capacity was set to 1" (as DescribeScalingActivities shows
// it after a scheduled scale-up in
// https://dev.to/andreafalzetti/how-to-configure-ecs-fargate-scheduled-autoscaling-556c),
// or "maximum capacity was set to N" for a scale-in to a new maximum. A
// count within the bounds is left alone, with no activity.
func FollowBounds(t ScalableTarget, current int, now time.Time) Decision {
	n := t.clamp(current)
	if n == current {
		return Decision{DesiredCount: current}
	}
	bound := "minimum"
	if n < current {
		bound = "maximum"
	}
	return Decision{DesiredCount: n, Activity: desiredCountActivity(t, n, fmt.Sprintf("%s capacity was set to %d", bound, n), now)}
}

// scheduledFailure is the Failed activity of a scheduled action's run
// that [RunScheduled] refuses (a new minimum above the maximum, or the
// reverse): the target's bounds and desired count stay as they were.
// "In some cases, however, you must include both sizes to ensure that the
// new minimum capacity is not greater than the maximum capacity"
// (https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-policy-overview.html):
// PutScheduledAction cannot know the bounds at run time, so the run fails.
func scheduledFailure(t ScalableTarget, a ScheduledAction, at time.Time, err error) ScalingActivity {
	return ScalingActivity{
		ServiceNamespace:  t.ServiceNamespace,
		ResourceId:        t.ResourceId,
		ScalableDimension: t.ScalableDimension,
		Description:       fmt.Sprintf("Running scheduled action %s.", a.ScheduledActionName),
		Cause:             fmt.Sprintf("scheduled action name %s was triggered", a.ScheduledActionName),
		StartTime:         ecs.NewTime(at),
		EndTime:           ecs.NewTime(at),
		StatusCode:        ActivityStatusFailed,
		StatusMessage:     fmt.Sprintf("Failed to run scheduled action %s. Reason: %v", a.ScheduledActionName, err),
	}
}
