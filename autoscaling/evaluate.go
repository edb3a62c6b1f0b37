package autoscaling

import (
	"fmt"
	"slices"
	"time"
)

// StepAlarm is a CloudWatch alarm in state ALARM that runs a step scaling
// policy: its name, its threshold and the datapoints of its evaluation
// period, which the policy's MetricAggregationType aggregates.
type StepAlarm struct {
	AlarmName  string
	Threshold  float64
	Datapoints Datapoints
}

// Tick is one evaluation of a scalable target at Now: what a caller on a
// clock passes each minute.
type Tick struct {
	Target   ScalableTarget
	Policies []ScalingPolicy
	// Metrics are the datapoints of each target tracking policy, by
	// PolicyName.
	Metrics map[string]Datapoints
	// Alarms are the step scaling alarms in ALARM now, by the PolicyName
	// of the policy each runs.
	Alarms map[string]StepAlarm
	// Actions are the target's scheduled actions; those due in
	// (Last, Now] run, oldest first.
	Actions []ScheduledAction
	Last    time.Time
	State   State
	// DesiredCount is the service's desired count now.
	DesiredCount int
	// DeploymentInProgress turns dynamic scale-in off while an ECS
	// deployment runs (see [ScalableTarget.DuringDeployment]).
	DeploymentInProgress bool
	Now                  time.Time
}

// Result is the outcome of a [Tick]: the target (with the bounds its
// scheduled actions set), the desired count, the state to keep, and the
// activities in the order they happened.
type Result struct {
	Target       ScalableTarget
	DesiredCount int
	State        State
	Activities   []ScalingActivity
}

// maxRunsPerTick bounds the scheduled runs one tick replays, so a caller
// that jumps its clock by years does not replay every minute of a
// cron(* * * * ? *).
const maxRunsPerTick = 1000

// Evaluate runs one tick: the scheduled actions due since Last (each
// setting the bounds, the count following them), then the target tracking
// policies, then each step scaling policy whose alarm is in ALARM, in
// the order of Policies. An error leaves nothing changed.
func Evaluate(in Tick) (Result, error) {
	r := Result{Target: in.Target, DesiredCount: in.DesiredCount, State: in.State}
	add := func(d Decision) {
		r.DesiredCount = d.DesiredCount
		if d.Activity != nil {
			r.Activities = append(r.Activities, *d.Activity)
		}
	}
	type run struct {
		at time.Time
		a  ScheduledAction
	}
	var runs []run
	for _, a := range in.Actions {
		ts, err := a.Due(in.Last, in.Now, maxRunsPerTick)
		if err != nil {
			return Result{}, fmt.Errorf("scheduled action %q: %w", a.ScheduledActionName, err)
		}
		for _, t := range ts {
			runs = append(runs, run{t, a})
		}
	}
	// Oldest first; equal times keep the order of Actions.
	slices.SortStableFunc(runs, func(x, y run) int { return x.at.Compare(y.at) })
	for _, x := range runs {
		nt, d, err := RunScheduled(r.Target, x.a, r.DesiredCount, x.at)
		if err != nil {
			// A run that would leave the minimum above the maximum fails
			// alone: Application Auto Scaling records the failure and the
			// target's policies keep running.
			r.Activities = append(r.Activities, scheduledFailure(r.Target, x.a, x.at, err))
			continue
		}
		r.Target = nt
		add(d)
	}
	dyn := r.Target
	if in.DeploymentInProgress {
		dyn = dyn.DuringDeployment()
	}
	var tt []ScalingPolicy
	for _, p := range in.Policies {
		if p.PolicyType == PolicyTypeTargetTracking {
			tt = append(tt, p)
		}
	}
	if len(tt) > 0 {
		d, s, err := TargetTracking(dyn, tt, in.Metrics, r.State, r.DesiredCount, in.Now)
		if err != nil {
			return Result{}, err
		}
		r.State = s
		add(d)
	}
	for _, p := range in.Policies {
		alarm, ok := in.Alarms[p.PolicyName]
		if p.PolicyType != PolicyTypeStepScaling || !ok {
			continue
		}
		agg := ""
		if p.StepScalingPolicyConfiguration != nil {
			agg = p.StepScalingPolicyConfiguration.MetricAggregationType
		}
		v, ok, err := Aggregate(agg, alarm.Datapoints)
		if err != nil {
			return Result{}, fmt.Errorf("policy %q: %w", p.PolicyName, err)
		}
		if !ok {
			continue
		}
		d, s, err := StepScaling(dyn, p, alarm.AlarmName, alarm.Threshold, v, r.State, r.DesiredCount, in.Now)
		if err != nil {
			return Result{}, err
		}
		r.State = s
		add(d)
	}
	return r, nil
}
