package autoscaling

import (
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// TestEvaluate runs an hour on a minute clock with a scheduled action that
// raises the minimum to 4 at 12:10, a target tracking policy, and a step
// policy whose alarm fires at 12:30.
func TestEvaluate(t *testing.T) {
	target := webTarget(2, 10)
	tt := ttPolicy("cpu50", 50)
	step := stepPolicy(StepScalingPolicyConfiguration{AdjustmentType: AdjustmentChangeInCapacity, MetricAggregationType: AggregationMaximum, StepAdjustments: []StepAdjustment{
		{MetricIntervalLowerBound: ptr(0.0), ScalingAdjustment: 3},
	}})
	action := ScheduledAction{ScheduledActionName: "noon", ResourceId: target.ResourceId, Schedule: "cron(10 12 * * ? *)", CreationTime: ecs.NewTime(t0),
		ScalableTargetAction: &ScalableTargetAction{MinCapacity: ptr(4)}}
	desired, state, last := 2, State{}, t0
	var causes []string
	metrics := map[string]Datapoints{}
	for m := 1; m <= 60; m++ {
		now := t0.Add(time.Duration(m) * time.Minute)
		metrics["cpu50"] = append(metrics["cpu50"], 46) // below the target, above 90 % of it: no scaling
		in := Tick{Target: target, Policies: []ScalingPolicy{tt, step}, Metrics: metrics, Actions: []ScheduledAction{action},
			Last: last, State: state, DesiredCount: desired, Now: now}
		if m == 30 {
			in.Alarms = map[string]StepAlarm{"step": {AlarmName: "queue-high", Threshold: 100, Datapoints: Datapoints{90, 120}}}
		}
		r, err := Evaluate(in)
		require.NoError(t, err)
		for _, a := range r.Activities {
			causes = append(causes, a.Cause)
		}
		target, desired, state, last = r.Target, r.DesiredCount, r.State, now
		switch m {
		case 9:
			require.Equal(t, 2, desired)
		case 10:
			require.Equal(t, 4, desired)
			require.Equal(t, 4, target.MinCapacity)
		case 30:
			require.Equal(t, 7, desired)
		}
	}
	require.Equal(t, []string{"minimum capacity was set to 4", "monitor alarm queue-high in state ALARM triggered policy step"}, causes)

	// A deployment in progress holds back scale-in.
	in := Tick{Target: webTarget(1, 10), Policies: []ScalingPolicy{tt}, Metrics: map[string]Datapoints{"cpu50": repeat(10, 15)}, DesiredCount: 8, Now: t0, Last: t0, DeploymentInProgress: true}
	r, err := Evaluate(in)
	require.NoError(t, err)
	require.Equal(t, 8, r.DesiredCount)
	in.DeploymentInProgress = false
	r, err = Evaluate(in)
	require.NoError(t, err)
	require.Equal(t, 2, r.DesiredCount)

	// A bad scheduled action changes nothing.
	bad := action
	bad.Schedule = "cron(bad)"
	_, err = Evaluate(Tick{Target: target, Actions: []ScheduledAction{bad}, Last: t0, Now: t0.Add(time.Hour)})
	require.ErrorIs(t, err, ErrInvalidSchedule)
}

// TestEvaluateRunOrder: the runs of several scheduled actions happen
// oldest first, and runs at the same minute in the order of Actions, so
// the last bound set is the one of the latest run.
func TestEvaluateRunOrder(t *testing.T) {
	act := func(name, expr string, min int) ScheduledAction {
		return ScheduledAction{ScheduledActionName: name, ResourceId: "service/c/s", Schedule: expr, CreationTime: ecs.NewTime(t0),
			ScalableTargetAction: &ScalableTargetAction{MinCapacity: ptr(min)}}
	}
	tests := []struct {
		name    string
		actions []ScheduledAction
		wantMin int
	}{
		{"the later run wins", []ScheduledAction{act("late", "cron(20 12 * * ? *)", 3), act("early", "cron(10 12 * * ? *)", 5)}, 3},
		{"same minute: the later action wins", []ScheduledAction{act("a", "cron(10 12 * * ? *)", 3), act("b", "cron(10 12 * * ? *)", 5)}, 5},
		{"interleaved rates", []ScheduledAction{act("r7", "rate(7 minutes)", 2), act("r5", "rate(5 minutes)", 6)}, 6}, // r5 at 12:50 after r7 at 12:49
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Evaluate(Tick{Target: webTarget(1, 10), Actions: tc.actions, DesiredCount: 1, Last: t0, Now: t0.Add(50 * time.Minute)})
			require.NoError(t, err)
			require.Equal(t, tc.wantMin, r.Target.MinCapacity)
		})
	}
}

// BenchmarkEvaluateManyRuns replays a day of 50 every-minute scheduled
// actions (1000 runs each, the per-tick bound): sorting their runs is
// O(n log n), where the former insertion sort was quadratic.
func BenchmarkEvaluateManyRuns(b *testing.B) {
	var actions []ScheduledAction
	for i := range 50 {
		actions = append(actions, ScheduledAction{ScheduledActionName: "a" + string(rune('A'+i)), ResourceId: "service/c/s",
			Schedule: "rate(1 minute)", CreationTime: ecs.NewTime(t0.Add(time.Duration(i) * time.Second)),
			ScalableTargetAction: &ScalableTargetAction{MinCapacity: ptr(1 + i%5)}})
	}
	in := Tick{Target: webTarget(1, 10), Actions: actions, DesiredCount: 1, Last: t0, Now: t0.Add(24 * time.Hour)}
	for b.Loop() {
		if _, err := Evaluate(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(50*maxRunsPerTick), "runs/op")
}

// TestEvaluateScheduledBeyondMax: a scheduled action whose MinCapacity is
// above the target's MaxCapacity fails alone, recorded as a Failed
// activity, and the target tracking policy still scales; "you must include
// both sizes to ensure that the new minimum capacity is not greater than
// the maximum capacity"
// (https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-policy-overview.html).
func TestEvaluateScheduledBeyondMax(t *testing.T) {
	target := webTarget(1, 10)
	action := ScheduledAction{ScheduledActionName: "too-high", ResourceId: target.ResourceId, Schedule: "cron(10 12 * * ? *)", CreationTime: ecs.NewTime(t0),
		ScalableTargetAction: &ScalableTargetAction{MinCapacity: ptr(20)}}
	in := Tick{Target: target, Policies: []ScalingPolicy{ttPolicy("cpu50", 50)}, Metrics: map[string]Datapoints{"cpu50": repeat(100, 3)},
		Actions: []ScheduledAction{action}, DesiredCount: 2, Last: t0, Now: t0.Add(15 * time.Minute)}
	r, err := Evaluate(in)
	require.NoError(t, err)
	require.Equal(t, target, r.Target, "bounds unchanged")
	require.Equal(t, 4, r.DesiredCount, "target tracking still scales out")
	require.Len(t, r.Activities, 2)
	require.Equal(t, ActivityStatusFailed, r.Activities[0].StatusCode)
	require.Contains(t, r.Activities[0].StatusMessage, "MinCapacity 20")
	require.Equal(t, ActivityStatusSuccessful, r.Activities[1].StatusCode)
}
