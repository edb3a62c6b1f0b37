package autoscaling

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func stepPolicy(c StepScalingPolicyConfiguration) ScalingPolicy {
	return ScalingPolicy{PolicyName: "step", ServiceNamespace: ServiceNamespaceECS, ResourceId: "service/default/web", ScalableDimension: DimensionECSDesiredCount, PolicyType: PolicyTypeStepScaling, StepScalingPolicyConfiguration: &c}
}

// TestStepBounds encodes the bounds of
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepAdjustment.html:
// with a breach threshold of 50, lower 0 and upper 10 is a metric from 50
// (inclusive) to 60 (exclusive); lower -10 and upper 0 is a metric above
// 40 (exclusive) up to 50 (inclusive).
func TestStepBounds(t *testing.T) {
	out := StepScalingPolicyConfiguration{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: []StepAdjustment{
		{MetricIntervalLowerBound: ptr(0.0), MetricIntervalUpperBound: ptr(10.0), ScalingAdjustment: 1},
		{MetricIntervalLowerBound: ptr(10.0), ScalingAdjustment: 3},
	}}
	in := StepScalingPolicyConfiguration{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: []StepAdjustment{
		{MetricIntervalLowerBound: ptr(-10.0), MetricIntervalUpperBound: ptr(0.0), ScalingAdjustment: -1},
		{MetricIntervalUpperBound: ptr(-10.0), ScalingAdjustment: -2},
	}}
	tests := []struct {
		c      StepScalingPolicyConfiguration
		metric float64
		adj    int
		ok     bool
	}{
		{out, 50, 1, true}, {out, 59.9, 1, true}, {out, 60, 3, true}, {out, 99, 3, true}, {out, 49, 0, false},
		{in, 50, -1, true}, {in, 40.1, -1, true}, {in, 40, -2, true}, {in, 0, -2, true}, {in, 51, 0, false},
	}
	for _, tc := range tests {
		require.NoError(t, tc.c.Validate())
		a, ok := tc.c.Step(tc.metric - 50)
		require.Equal(t, tc.ok, ok, "metric %v", tc.metric)
		require.Equal(t, tc.adj, a.ScalingAdjustment, "metric %v", tc.metric)
	}
}

// TestAdjust encodes the adjustment types and the rounding of
// PercentChangeInCapacity in
// https://docs.aws.amazon.com/autoscaling/application/userguide/step-scaling-policy-overview.html
// (12.7 rounds to 12, 0.67 to 1, -0.67 to -1, -6.67 to -6), the
// MinAdjustmentMagnitude example of
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html
// (25 % of 4 tasks is 1; with a magnitude of 2 the service scales out by
// 2) and the PutScalingPolicy example (200 % of 10 is 20: 10 becomes 30).
func TestAdjust(t *testing.T) {
	pct := func(mag *int) StepScalingPolicyConfiguration {
		return StepScalingPolicyConfiguration{AdjustmentType: AdjustmentPercentChangeInCapacity, MinAdjustmentMagnitude: mag}
	}
	tests := []struct {
		name     string
		c        StepScalingPolicyConfiguration
		capacity int
		adj      int
		want     int
	}{
		{"ChangeInCapacity +1 on 10", StepScalingPolicyConfiguration{AdjustmentType: AdjustmentChangeInCapacity}, 10, 1, 11},
		{"ChangeInCapacity -3 on 10", StepScalingPolicyConfiguration{AdjustmentType: AdjustmentChangeInCapacity}, 10, -3, 7},
		{"ExactCapacity 5", StepScalingPolicyConfiguration{AdjustmentType: AdjustmentExactCapacity}, 10, 5, 5},
		{"12.7 rounds down to 12", pct(nil), 127, 10, 139},
		{"0.67 rounds to 1", pct(nil), 67, 1, 68},
		{"-0.67 rounds to -1", pct(nil), 67, -1, 66},
		{"-6.67 rounds up to -6", pct(nil), 667, -1, 661},
		{"25% of 4 is 1, MinAdjustmentMagnitude 2", pct(ptr(2)), 4, 25, 6},
		{"200% of 10 is 20", pct(nil), 10, 200, 30},
		{"-50% of 10 is -5", pct(ptr(2)), 10, -50, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.c.Adjust(tc.capacity, StepAdjustment{ScalingAdjustment: tc.adj}))
		})
	}
}

func TestStepValidate(t *testing.T) {
	ok := []StepAdjustment{{MetricIntervalLowerBound: ptr(0.0), ScalingAdjustment: 1}}
	tests := []StepScalingPolicyConfiguration{
		{AdjustmentType: "Bogus", StepAdjustments: ok},
		{AdjustmentType: AdjustmentChangeInCapacity},
		{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: []StepAdjustment{{ScalingAdjustment: 1}}},
		{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: []StepAdjustment{ // gap
			{MetricIntervalLowerBound: ptr(0.0), MetricIntervalUpperBound: ptr(10.0), ScalingAdjustment: 1},
			{MetricIntervalLowerBound: ptr(20.0), ScalingAdjustment: 2}}},
		{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: []StepAdjustment{ // overlap
			{MetricIntervalLowerBound: ptr(0.0), MetricIntervalUpperBound: ptr(10.0), ScalingAdjustment: 1},
			{MetricIntervalLowerBound: ptr(5.0), ScalingAdjustment: 2}}},
		{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: ok, MinAdjustmentMagnitude: ptr(2)},
		{AdjustmentType: AdjustmentExactCapacity, StepAdjustments: []StepAdjustment{{MetricIntervalLowerBound: ptr(0.0), ScalingAdjustment: -1}}},
		{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: ok, MetricAggregationType: "Sum"},
		{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: ok, Cooldown: ptr(-5)},
		{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: ok, Cooldown: ptr(math.MaxInt32 + 1)}, // beyond the API's Integer
		{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: ok, Cooldown: ptr(math.MaxInt)},       // would overflow a Duration
	}
	for i, c := range tests {
		require.ErrorIs(t, c.Validate(), ErrValidation, "case %d", i)
	}
}

// TestStepScaling runs a step policy with its cooldown, as the Cooldown
// member of StepScalingPolicyConfiguration describes it, with its example
// of an ECS service scaled out by 2 then 3 tasks
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html:
// 300 seconds by default; during a scale-out cooldown the capacity the
// last scale-out added counts toward the next one; a scale-in waits).
func TestStepScaling(t *testing.T) {
	p := stepPolicy(StepScalingPolicyConfiguration{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: []StepAdjustment{
		{MetricIntervalLowerBound: ptr(0.0), MetricIntervalUpperBound: ptr(20.0), ScalingAdjustment: 2},
		{MetricIntervalLowerBound: ptr(20.0), ScalingAdjustment: 4},
	}})
	target := webTarget(1, 20)
	d, s, err := StepScaling(target, p, "cpu-high", 70, 80, State{}, 10, t0)
	require.NoError(t, err)
	require.Equal(t, 12, d.DesiredCount)
	require.Equal(t, "monitor alarm cpu-high in state ALARM triggered policy step", d.Activity.Cause)
	require.Equal(t, t0.Add(300*time.Second), s.ScaleOutCooldownEnd)

	// The same breach a minute later: 10+2 is already there.
	d, s2, err := StepScaling(target, p, "cpu-high", 70, 80, s, 12, t0.Add(time.Minute))
	require.NoError(t, err)
	require.False(t, d.Changed())
	require.Equal(t, s, s2)

	// A larger breach during the cooldown: 10+4 = 14.
	d, _, err = StepScaling(target, p, "cpu-high", 70, 95, s, 12, t0.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, 14, d.DesiredCount)

	// After the cooldown, the same breach adds again.
	d, _, err = StepScaling(target, p, "cpu-high", 70, 80, s, 12, t0.Add(300*time.Second))
	require.NoError(t, err)
	require.Equal(t, 14, d.DesiredCount)

	// A scale-in policy waits for its cooldown and stops at MinCapacity.
	in := stepPolicy(StepScalingPolicyConfiguration{AdjustmentType: AdjustmentPercentChangeInCapacity, Cooldown: ptr(60), StepAdjustments: []StepAdjustment{
		{MetricIntervalUpperBound: ptr(0.0), ScalingAdjustment: -50},
	}})
	d, s, err = StepScaling(webTarget(3, 20), in, "cpu-low", 30, 10, State{}, 10, t0)
	require.NoError(t, err)
	require.Equal(t, 5, d.DesiredCount)
	d, _, err = StepScaling(webTarget(3, 20), in, "cpu-low", 30, 10, s, 5, t0.Add(30*time.Second))
	require.NoError(t, err)
	require.False(t, d.Changed())
	d, _, err = StepScaling(webTarget(3, 20), in, "cpu-low", 30, 10, s, 5, t0.Add(60*time.Second))
	require.NoError(t, err)
	require.Equal(t, 3, d.DesiredCount)

	// The documented example: a scale-out by 2 tasks starts the
	// cooldown; the alarm fires again at a step of 3 tasks, the 2 count
	// as part of the capacity, and 1 task is added.
	doc := stepPolicy(StepScalingPolicyConfiguration{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: []StepAdjustment{
		{MetricIntervalLowerBound: ptr(0.0), MetricIntervalUpperBound: ptr(10.0), ScalingAdjustment: 2},
		{MetricIntervalLowerBound: ptr(10.0), ScalingAdjustment: 3},
	}})
	d, s, err = StepScaling(target, doc, "cpu-high", 70, 75, State{}, 4, t0)
	require.NoError(t, err)
	require.Equal(t, 6, d.DesiredCount)
	d, _, err = StepScaling(target, doc, "cpu-high", 70, 85, s, 6, t0.Add(2*time.Minute))
	require.NoError(t, err)
	require.Equal(t, 7, d.DesiredCount, "only 1 task added")

	_, _, err = StepScaling(target, ttPolicy("tt", 50), "a", 1, 2, State{}, 1, t0)
	require.ErrorIs(t, err, ErrValidation)
}

func TestAggregate(t *testing.T) {
	d := Datapoints{3, 1, 2}
	for agg, want := range map[string]float64{"": 2, AggregationAverage: 2, AggregationMinimum: 1, AggregationMaximum: 3} {
		v, ok, err := Aggregate(agg, d)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, want, v, agg)
	}
	_, ok, err := Aggregate("", nil)
	require.NoError(t, err)
	require.False(t, ok)
	_, _, err = Aggregate("Sum", d)
	require.ErrorIs(t, err, ErrValidation)
}
