package autoscaling

import (
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

func TestValidate(t *testing.T) {
	require.NoError(t, ValidateScalableTarget(webTarget(2, 10)))
	for _, bad := range []ScalableTarget{
		{ServiceNamespace: "dynamodb", ScalableDimension: DimensionECSDesiredCount, ResourceId: "service/default/web", MaxCapacity: 1},
		{ServiceNamespace: "ecs", ScalableDimension: "ecs:service:Bogus", ResourceId: "service/default/web", MaxCapacity: 1},
		{ServiceNamespace: "ecs", ScalableDimension: DimensionECSDesiredCount, ResourceId: "service/web", MaxCapacity: 1},
		webTarget(5, 2), webTarget(-1, 2),
	} {
		require.ErrorIs(t, ValidateScalableTarget(bad), ErrValidation, "%+v", bad)
	}
	cluster, service, err := ServiceOf("service/default/web")
	require.NoError(t, err)
	require.Equal(t, []string{"default", "web"}, []string{cluster, service})

	require.NoError(t, ValidateScalingPolicy(ttPolicy("cpu", 50)))
	alb := ttPolicy("alb", 1000, func(c *TargetTrackingScalingPolicyConfiguration) {
		c.PredefinedMetricSpecification = &PredefinedMetricSpecification{PredefinedMetricType: MetricALBRequestCount, ResourceLabel: "app/my-alb/778d41231b141a0f/targetgroup/my-tg/943f017f100becff"}
	})
	require.NoError(t, ValidateScalingPolicy(alb))
	require.NoError(t, ValidateScalingPolicy(stepPolicy(StepScalingPolicyConfiguration{AdjustmentType: AdjustmentChangeInCapacity, StepAdjustments: []StepAdjustment{{MetricIntervalLowerBound: ptr(0.0), ScalingAdjustment: 1}}})))
	for _, bad := range []ScalingPolicy{
		ttPolicy("", 50),
		ttPolicy("dynamo", 50, func(c *TargetTrackingScalingPolicyConfiguration) {
			c.PredefinedMetricSpecification.PredefinedMetricType = "DynamoDBReadCapacityUtilization"
		}),
		ttPolicy("alb-no-label", 50, func(c *TargetTrackingScalingPolicyConfiguration) {
			c.PredefinedMetricSpecification.PredefinedMetricType = MetricALBRequestCount
		}),
		ttPolicy("no-metric", 50, func(c *TargetTrackingScalingPolicyConfiguration) { c.PredefinedMetricSpecification = nil }),
		ttPolicy("huge", 1e200),
		{PolicyName: "x", ResourceId: "service/default/web", PolicyType: "SimpleScaling"},
		stepPolicy(StepScalingPolicyConfiguration{AdjustmentType: AdjustmentChangeInCapacity}),
	} {
		require.ErrorIs(t, ValidateScalingPolicy(bad), ErrValidation, bad.PolicyName)
	}

	a := ScheduledAction{ScheduledActionName: "m", ResourceId: "service/default/web", Schedule: "cron(0 8 ? * MON-FRI *)", Timezone: "Europe/Paris", ScalableTargetAction: &ScalableTargetAction{MinCapacity: ptr(2), MaxCapacity: ptr(4)}}
	require.NoError(t, ValidateScheduledAction(a))
	for i, mod := range []func(*ScheduledAction){
		func(a *ScheduledAction) { a.ScheduledActionName = "a/b" },
		func(a *ScheduledAction) { a.Schedule = "cron(0 8 * * * *)" },
		func(a *ScheduledAction) { a.Timezone = "Nowhere/Atlantis" },
		func(a *ScheduledAction) { a.StartTime, a.EndTime = ecs.NewTime(t0), ecs.NewTime(t0.Add(-time.Hour)) },
		func(a *ScheduledAction) {
			a.ScalableTargetAction = &ScalableTargetAction{MinCapacity: ptr(5), MaxCapacity: ptr(4)}
		},
	} {
		b := a
		mod(&b)
		require.Error(t, ValidateScheduledAction(b), "case %d", i)
	}
}

// TestDuringDeployment: no scale-in while a deployment runs, scale-out
// goes on
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html).
func TestDuringDeployment(t *testing.T) {
	target := webTarget(1, 10).DuringDeployment()
	p := []ScalingPolicy{ttPolicy("cpu50", 50)}
	d, _, err := TargetTracking(target, p, map[string]Datapoints{"cpu50": repeat(10, 15)}, State{}, 8, t0)
	require.NoError(t, err)
	require.False(t, d.Changed())
	d, _, err = TargetTracking(target, p, map[string]Datapoints{"cpu50": repeat(100, 3)}, State{}, 2, t0)
	require.NoError(t, err)
	require.Equal(t, 4, d.DesiredCount)
	require.Nil(t, webTarget(1, 10).SuspendedState, "the original target is unchanged")
}
