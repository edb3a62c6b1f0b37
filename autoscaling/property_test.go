package autoscaling

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPropertyBounds drives random targets, policies and metrics on a
// minute clock: the desired count never leaves [MinCapacity, MaxCapacity]
// (it starts inside), and a target whose policies all disable scale-in
// never loses capacity to dynamic scaling. Both are documented
// properties: dynamic scaling stays within the scalable target's minimum
// and maximum
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html)
// and DisableScaleIn means the policy "won't remove capacity"
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html).
func TestPropertyBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 1))
	for run := 0; run < 300; run++ {
		min := rng.IntN(5)
		max := min + rng.IntN(20)
		target := webTarget(min, max)
		noIn := rng.IntN(3) == 0
		var policies []ScalingPolicy
		for i := 0; i <= rng.IntN(2); i++ {
			p := ttPolicy([]string{"cpu", "mem"}[i], float64(10+rng.IntN(80)), func(c *TargetTrackingScalingPolicyConfiguration) {
				c.DisableScaleIn = ptr(noIn)
				c.ScaleOutCooldown = ptr(rng.IntN(600))
				c.ScaleInCooldown = ptr(rng.IntN(600))
			})
			policies = append(policies, p)
		}
		step := stepPolicy(StepScalingPolicyConfiguration{AdjustmentType: AdjustmentPercentChangeInCapacity, MinAdjustmentMagnitude: ptr(1), StepAdjustments: []StepAdjustment{
			{MetricIntervalLowerBound: ptr(0.0), ScalingAdjustment: 10 + rng.IntN(200)},
		}})
		current := min + rng.IntN(max-min+1)
		s := State{}
		metrics := map[string]Datapoints{}
		for m := 0; m < 120; m++ {
			now := t0.Add(time.Duration(m) * time.Minute)
			for _, p := range policies {
				metrics[p.PolicyName] = append(metrics[p.PolicyName], rng.Float64()*150)
			}
			prev := current
			d, ns, err := TargetTracking(target, policies, metrics, s, current, now)
			require.NoError(t, err)
			current, s = d.DesiredCount, ns
			if rng.IntN(10) == 0 {
				d, ns, err = StepScaling(target, step, "high", 50, 50+rng.Float64()*50, s, current, now)
				require.NoError(t, err)
				current, s = d.DesiredCount, ns
			}
			require.GreaterOrEqual(t, current, min, "run %d minute %d", run, m)
			require.LessOrEqual(t, current, max, "run %d minute %d", run, m)
			if noIn {
				require.GreaterOrEqual(t, current, prev, "run %d minute %d: scale-in with DisableScaleIn", run, m)
			}
		}
	}
}
