package autoscaling

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func webTarget(min, max int) ScalableTarget {
	return ScalableTarget{ServiceNamespace: ServiceNamespaceECS, ResourceId: "service/default/web", ScalableDimension: DimensionECSDesiredCount, MinCapacity: min, MaxCapacity: max}
}

func ttPolicy(name string, target float64, mod ...func(*TargetTrackingScalingPolicyConfiguration)) ScalingPolicy {
	c := &TargetTrackingScalingPolicyConfiguration{TargetValue: target, PredefinedMetricSpecification: &PredefinedMetricSpecification{PredefinedMetricType: MetricECSServiceCPU}}
	for _, m := range mod {
		m(c)
	}
	return ScalingPolicy{PolicyName: name, ServiceNamespace: ServiceNamespaceECS, ResourceId: "service/default/web", ScalableDimension: DimensionECSDesiredCount, PolicyType: PolicyTypeTargetTracking, TargetTrackingScalingPolicyConfiguration: c}
}

func repeat(v float64, n int) Datapoints {
	d := make(Datapoints, n)
	for i := range d {
		d[i] = v
	}
	return d
}

func ptr[T any](v T) *T { return &v }

// TestTargetTracking encodes the target tracking behaviour of
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html
// (scale out proportionally and fast, scale in gradually, no scaling on
// insufficient data, several policies: out if any, in only if all) and
// https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html
// (scale in only when sufficiently below the target; the alarms' 3 and 15
// one-minute datapoints).
func TestTargetTracking(t *testing.T) {
	noIn := func(c *TargetTrackingScalingPolicyConfiguration) { c.DisableScaleIn = ptr(true) }
	tests := []struct {
		name     string
		target   ScalableTarget
		policies []ScalingPolicy
		metrics  map[string]Datapoints
		state    State
		current  int
		want     int
		cause    string // prefix of the activity's cause, "" when no change
	}{
		{"90% CPU on a 50% target for 3 minutes: 2 tasks become ceil(2*90/50)=4",
			webTarget(2, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(90, 3)}, State{}, 2, 4,
			"monitor alarm TargetTracking-service/default/web-AlarmHigh-"},
		{"2 datapoints above the target are not enough for the scale-out alarm",
			webTarget(2, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": {40, 90, 90}}, State{}, 2, 2, ""},
		{"no data: no scaling",
			webTarget(2, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, nil, State{}, 5, 5, ""},
		{"scale-out bounded by MaxCapacity",
			webTarget(2, 10), []ScalingPolicy{ttPolicy("cpu10", 10)}, map[string]Datapoints{"cpu10": repeat(100, 3)}, State{}, 2, 10,
			"monitor alarm TargetTracking-service/default/web-AlarmHigh-"},
		{"10% CPU for 15 minutes: 4 tasks fall to ceil(4*10/50)=1, bounded by MinCapacity 2",
			webTarget(2, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(10, 15)}, State{}, 4, 2,
			"monitor alarm TargetTracking-service/default/web-AlarmLow-"},
		{"30% CPU for 15 minutes: 10 tasks fall to ceil(10*30/50)=6",
			webTarget(1, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(30, 15)}, State{}, 10, 6,
			"monitor alarm TargetTracking-service/default/web-AlarmLow-"},
		{"14 datapoints below are not enough for the scale-in alarm",
			webTarget(1, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": append(Datapoints{50}, repeat(10, 14)...)}, State{}, 4, 4, ""},
		{"below the target but within 10% of it: no scale-in",
			webTarget(1, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(46, 15)}, State{}, 4, 4, ""},
		{"DisableScaleIn: no scale-in",
			webTarget(1, 10), []ScalingPolicy{ttPolicy("cpu50", 50, noIn)}, map[string]Datapoints{"cpu50": repeat(10, 15)}, State{}, 4, 4, ""},
		{"DisableScaleIn still scales out",
			webTarget(1, 10), []ScalingPolicy{ttPolicy("cpu50", 50, noIn)}, map[string]Datapoints{"cpu50": repeat(75, 3)}, State{}, 4, 6,
			"monitor alarm TargetTracking-service/default/web-AlarmHigh-"},
		{"two policies: scale out if any is ready, to the largest capacity",
			webTarget(1, 20), []ScalingPolicy{ttPolicy("cpu50", 50), ttPolicy("mem50", 50)},
			map[string]Datapoints{"cpu50": repeat(75, 3), "mem50": repeat(100, 3)}, State{}, 4, 8,
			"monitor alarm TargetTracking-service/default/web-AlarmHigh-"},
		{"two policies: no scale-in unless both are ready",
			webTarget(1, 20), []ScalingPolicy{ttPolicy("cpu50", 50), ttPolicy("mem50", 50)},
			map[string]Datapoints{"cpu50": repeat(10, 15), "mem50": repeat(48, 15)}, State{}, 8, 8, ""},
		{"two policies: scale-in when both are ready, to the larger capacity",
			webTarget(1, 20), []ScalingPolicy{ttPolicy("cpu50", 50), ttPolicy("mem50", 50)},
			map[string]Datapoints{"cpu50": repeat(10, 15), "mem50": repeat(25, 15)}, State{}, 8, 4,
			"monitor alarm TargetTracking-service/default/web-AlarmLow-"},
		{"a policy with DisableScaleIn does not hold back another's scale-in",
			webTarget(1, 20), []ScalingPolicy{ttPolicy("cpu50", 50), ttPolicy("mem50", 50, noIn)},
			map[string]Datapoints{"cpu50": repeat(10, 15), "mem50": repeat(48, 15)}, State{}, 8, 2,
			"monitor alarm TargetTracking-service/default/web-AlarmLow-"},
		{"scale-out cooldown: the same load computed from the base does not add again",
			webTarget(2, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(90, 3)},
			State{ScaleOutCooldownEnd: t0.Add(4 * time.Minute), ScaleOutBase: 2}, 4, 4, ""},
		{"scale-out cooldown does not block a larger scale-out: ceil(2*150/50)=6",
			webTarget(2, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(150, 3)},
			State{ScaleOutCooldownEnd: t0.Add(4 * time.Minute), ScaleOutBase: 2}, 4, 6,
			"monitor alarm TargetTracking-service/default/web-AlarmHigh-"},
		{"scale-in cooldown blocks a scale-in",
			webTarget(1, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(10, 15)},
			State{ScaleInCooldownEnd: t0.Add(time.Minute)}, 8, 8, ""},
		{"scale-in cooldown does not block a scale-out",
			webTarget(1, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(100, 3)},
			State{ScaleInCooldownEnd: t0.Add(time.Minute)}, 4, 8,
			"monitor alarm TargetTracking-service/default/web-AlarmHigh-"},
		// Only the scale-in cooldown blocks scale-in: ScaleInCooldown "is used
		// to block subsequent scale in requests", ScaleOutCooldown is the time
		// "before another scale out activity can start"
		// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html).
		{"scale-out cooldown does not block a scale-in: ceil(8*10/50)=2",
			webTarget(1, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(10, 15)},
			State{ScaleOutCooldownEnd: t0.Add(time.Minute), ScaleOutBase: 4}, 8, 2,
			"monitor alarm TargetTracking-service/default/web-AlarmLow-"},
		{"an expired cooldown blocks nothing",
			webTarget(1, 10), []ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(10, 15)},
			State{ScaleInCooldownEnd: t0, ScaleOutCooldownEnd: t0.Add(-time.Second)}, 8, 2,
			"monitor alarm TargetTracking-service/default/web-AlarmLow-"},
		{"DynamicScalingOutSuspended",
			ScalableTarget{ResourceId: "service/default/web", MinCapacity: 1, MaxCapacity: 10, SuspendedState: &SuspendedState{DynamicScalingOutSuspended: true}},
			[]ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(100, 3)}, State{}, 2, 2, ""},
		{"DynamicScalingInSuspended",
			ScalableTarget{ResourceId: "service/default/web", MinCapacity: 1, MaxCapacity: 10, SuspendedState: &SuspendedState{DynamicScalingInSuspended: true}},
			[]ScalingPolicy{ttPolicy("cpu50", 50)}, map[string]Datapoints{"cpu50": repeat(10, 15)}, State{}, 8, 8, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, _, err := TargetTracking(tc.target, tc.policies, tc.metrics, tc.state, tc.current, t0)
			require.NoError(t, err)
			require.Equal(t, tc.want, d.DesiredCount)
			if tc.cause == "" {
				require.Nil(t, d.Activity)
				return
			}
			require.NotNil(t, d.Activity)
			require.True(t, strings.HasPrefix(d.Activity.Cause, tc.cause), d.Activity.Cause)
			require.Contains(t, d.Activity.Cause, " in state ALARM triggered policy ")
		})
	}
}

// TestTargetTrackingDay drives one policy through a rise and a fall of
// load on a minute clock: the check (target 50 % CPU, min 2, max
// 10, 2 tasks, 90 % CPU, then 10 %) as the pure core sees it. The metric
// follows the load spread over the tasks.
func TestTargetTrackingDay(t *testing.T) {
	target := webTarget(2, 10)
	p := ttPolicy("cpu50", 50)
	load := 180.0 // task-percent: 2 tasks at 90 %
	current, s := 2, State{}
	var d Datapoints
	var counts []int
	var acts []*ScalingActivity
	for m := 0; m < 60; m++ {
		if m == 20 {
			load = 20 // 2 tasks' worth at 10 %
		}
		d = append(d, load/float64(current))
		now := t0.Add(time.Duration(m) * time.Minute)
		dec, ns, err := TargetTracking(target, []ScalingPolicy{p}, map[string]Datapoints{"cpu50": d}, s, current, now)
		require.NoError(t, err)
		if dec.Changed() {
			acts = append(acts, dec.Activity)
			d = nil // the alarms see the new fleet from the next minute
		}
		current, s = dec.DesiredCount, ns
		counts = append(counts, current)
	}
	require.Equal(t, 4, counts[2], "scale-out after the third datapoint above the target")
	require.Equal(t, 4, counts[19], "the load now fits 4 tasks at 45 %, not below 90 % of the target: no scale-in")
	require.Equal(t, 4, counts[33], "scale-in waits for 15 datapoints below the threshold")
	require.Equal(t, 2, counts[34])
	require.Len(t, acts, 2)
	want := []string{"Setting desired count to 4.", "Setting desired count to 2."}
	var got []string
	for _, a := range acts {
		got = append(got, a.Description)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("activities (-want +got):\n%s", diff)
	}
}

func TestTargetTrackingRefusesBadPolicy(t *testing.T) {
	for _, p := range []ScalingPolicy{
		{PolicyName: "x", PolicyType: PolicyTypeTargetTracking},
		ttPolicy("zero", 0),
		ttPolicy("neg-cooldown", 50, func(c *TargetTrackingScalingPolicyConfiguration) { c.ScaleInCooldown = ptr(-1) }),
		ttPolicy("huge-out-cooldown", 50, func(c *TargetTrackingScalingPolicyConfiguration) { c.ScaleOutCooldown = ptr(math.MaxInt) }),
		ttPolicy("beyond-int32-in-cooldown", 50, func(c *TargetTrackingScalingPolicyConfiguration) { c.ScaleInCooldown = ptr(math.MaxInt32 + 1) }),
	} {
		d, _, err := TargetTracking(webTarget(1, 5), []ScalingPolicy{p}, nil, State{}, 3, t0)
		require.ErrorIs(t, err, ErrValidation, p.PolicyName)
		require.Equal(t, 3, d.DesiredCount)
	}
}

// TestAlarmNames: the alarms are named as the ECS developer guide's
// service auto scaling tutorial shows them in a service event:
// "TargetTracking-service/service-autoscaling/sample-webapp-AlarmLow-fcd80aef-5161-4890-aeb4-35dde11ff42c".
func TestAlarmNames(t *testing.T) {
	p := ttPolicy("TargetTrackingPolicy", 50)
	p.ResourceId = "service/service-autoscaling/sample-webapp"
	uuid := `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	require.Regexp(t, `^TargetTracking-service/service-autoscaling/sample-webapp-AlarmHigh-`+uuid+`$`, AlarmHighName(p))
	require.Regexp(t, `^TargetTracking-service/service-autoscaling/sample-webapp-AlarmLow-`+uuid+`$`, AlarmLowName(p))
	require.Equal(t, AlarmHighName(p), AlarmHighName(p), "stable")
	require.NotEqual(t, AlarmHighName(p), AlarmHighName(ttPolicy("other", 50)))
}

// TestCooldownSaturates: the longest cooldown the API takes
// (2,147,483,647 seconds) from the latest time ends at the latest time,
// never before the scale-out that started it.
func TestCooldownSaturates(t *testing.T) {
	latest := time.Unix(maxUnix, 0)
	for _, now := range []time.Time{t0, latest} {
		p := ttPolicy("cpu", 50, func(c *TargetTrackingScalingPolicyConfiguration) { c.ScaleOutCooldown = ptr(math.MaxInt32) })
		d, s, err := TargetTracking(webTarget(1, 10), []ScalingPolicy{p}, map[string]Datapoints{"cpu": {100, 100, 100}}, State{}, 2, now)
		require.NoError(t, err)
		require.Equal(t, 4, d.DesiredCount)
		require.False(t, s.ScaleOutCooldownEnd.Before(now), "cooldown end %v before %v", s.ScaleOutCooldownEnd, now)
	}
}
