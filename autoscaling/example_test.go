package autoscaling_test

import (
	"fmt"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
)

// A service of 2 tasks (min 2, max 10) with a target tracking policy at
// 50 % CPU runs at 90 % for three minutes: the scale-out alarm fires and
// the desired count becomes ceil(2 × 90 / 50) = 4.
func Example() {
	target := autoscaling.ScalableTarget{
		ServiceNamespace:  autoscaling.ServiceNamespaceECS,
		ResourceId:        "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount,
		MinCapacity:       2,
		MaxCapacity:       10,
	}
	policy := autoscaling.ScalingPolicy{
		PolicyName:        "cpu50",
		ServiceNamespace:  target.ServiceNamespace,
		ResourceId:        target.ResourceId,
		ScalableDimension: target.ScalableDimension,
		PolicyType:        autoscaling.PolicyTypeTargetTracking,
		TargetTrackingScalingPolicyConfiguration: &autoscaling.TargetTrackingScalingPolicyConfiguration{
			TargetValue: 50,
			PredefinedMetricSpecification: &autoscaling.PredefinedMetricSpecification{
				PredefinedMetricType: autoscaling.MetricECSServiceCPU,
			},
		},
	}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	metrics := map[string]autoscaling.Datapoints{"cpu50": {90, 90, 90}}
	d, state, err := autoscaling.TargetTracking(target, []autoscaling.ScalingPolicy{policy}, metrics, autoscaling.State{}, 2, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.DesiredCount)
	fmt.Println(d.Activity.Description)
	fmt.Println("scale-out cooldown until", state.ScaleOutCooldownEnd.Format(time.TimeOnly))
	// Output:
	// 4
	// Setting desired count to 4.
	// scale-out cooldown until 12:05:00
}

// A scheduled action raises the minimum to 5 at 08:00 on weekdays in Los
// Angeles; run on a service of 2 tasks, it scales out to 5.
func ExampleRunScheduled() {
	five := 5
	action := autoscaling.ScheduledAction{
		ScheduledActionName:  "morning",
		Schedule:             "cron(0 8 ? * MON-FRI *)",
		Timezone:             "America/Los_Angeles",
		ScalableTargetAction: &autoscaling.ScalableTargetAction{MinCapacity: &five},
	}
	next, _, err := action.NextRun(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)) // a Saturday
	if err != nil {
		fmt.Println(err)
		return
	}
	target := autoscaling.ScalableTarget{ResourceId: "service/default/web", MinCapacity: 1, MaxCapacity: 10}
	_, d, err := autoscaling.RunScheduled(target, action, 2, next)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(next.UTC())
	fmt.Println(d.DesiredCount, d.Activity.Cause)
	// Output:
	// 2026-12-07 16:00:00 +0000 UTC
	// 5 minimum capacity was set to 5
}
