package autoscaling_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/zerotest"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: each returns an error or a
// documented zero result, never a panic (zerotest describes the calls).
func TestZeroValues(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	one, ten, zero := 1, 10, 0.0
	target := func() autoscaling.ScalableTarget {
		return autoscaling.ScalableTarget{ServiceNamespace: autoscaling.ServiceNamespaceECS, ScalableDimension: autoscaling.DimensionECSDesiredCount,
			ResourceId: "service/default/web", MinCapacity: 1, MaxCapacity: 10}
	}
	stepConfig := func() autoscaling.StepScalingPolicyConfiguration {
		return autoscaling.StepScalingPolicyConfiguration{AdjustmentType: autoscaling.AdjustmentChangeInCapacity,
			StepAdjustments: []autoscaling.StepAdjustment{{MetricIntervalLowerBound: &zero, ScalingAdjustment: 2}}}
	}
	tt := func() autoscaling.ScalingPolicy {
		return autoscaling.ScalingPolicy{PolicyName: "cpu", ResourceId: "service/default/web", PolicyType: autoscaling.PolicyTypeTargetTracking,
			TargetTrackingScalingPolicyConfiguration: &autoscaling.TargetTrackingScalingPolicyConfiguration{TargetValue: 50,
				PredefinedMetricSpecification: &autoscaling.PredefinedMetricSpecification{PredefinedMetricType: autoscaling.MetricECSServiceCPU}}}
	}
	step := func() autoscaling.ScalingPolicy {
		c := stepConfig()
		return autoscaling.ScalingPolicy{PolicyName: "step", ResourceId: "service/default/web", PolicyType: autoscaling.PolicyTypeStepScaling,
			StepScalingPolicyConfiguration: &c}
	}
	action := func() autoscaling.ScheduledAction {
		return autoscaling.ScheduledAction{ScheduledActionName: "every5", ResourceId: "service/default/web", Schedule: "rate(5 minutes)",
			CreationTime: ecs.NewTime(t0), ScalableTargetAction: &autoscaling.ScalableTargetAction{MinCapacity: &one, MaxCapacity: &ten}}
	}
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[autoscaling.ScalableTarget]():                 {func() any { return target() }},
			zerotest.TypeOf[autoscaling.StepScalingPolicyConfiguration](): {func() any { return stepConfig() }},
			zerotest.TypeOf[autoscaling.ScalingPolicy]():                  {func() any { return tt() }, func() any { return step() }},
			zerotest.TypeOf[[]autoscaling.ScalingPolicy]():                {func() any { return []autoscaling.ScalingPolicy{tt(), step()} }},
			zerotest.TypeOf[autoscaling.ScheduledAction]():                {func() any { return action() }},
			zerotest.TypeOf[autoscaling.Schedule](): {func() any {
				s, _ := autoscaling.ParseSchedule("cron(0 12 ? * L *)")
				return s
			}},
			zerotest.TypeOf[autoscaling.Tick](): {func() any {
				return autoscaling.Tick{Target: target(), Policies: []autoscaling.ScalingPolicy{tt(), step()},
					Metrics: map[string]autoscaling.Datapoints{"cpu": {90, 90, 90}}, Actions: []autoscaling.ScheduledAction{action()},
					Alarms: map[string]autoscaling.StepAlarm{"step": {AlarmName: "high", Threshold: 1, Datapoints: autoscaling.Datapoints{5}}},
					Last:   t0, Now: t0.Add(time.Hour), DesiredCount: 2}
			}},
		},
		Funcs: []any{
			autoscaling.Aggregate,
			autoscaling.AlarmHighName,
			autoscaling.AlarmLowName,
			autoscaling.Decision.Changed,
			autoscaling.Evaluate,
			autoscaling.FollowBounds,
			autoscaling.ParseSchedule,
			autoscaling.RunScheduled,
			autoscaling.ScalableTarget.DuringDeployment,
			autoscaling.Schedule.Next,
			autoscaling.Schedule.String,
			autoscaling.ScheduledAction.Due,
			autoscaling.ScheduledAction.NextRun,
			autoscaling.ServiceOf,
			autoscaling.StepScaling,
			autoscaling.StepScalingPolicyConfiguration.Adjust,
			autoscaling.StepScalingPolicyConfiguration.Step,
			autoscaling.StepScalingPolicyConfiguration.Validate,
			autoscaling.TargetTracking,
			autoscaling.ValidateScalableTarget,
			autoscaling.ValidateScalingPolicy,
			autoscaling.ValidateScheduledAction,
		},
	})
}
