package capacity

import (
	"fmt"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// TestScaleInStep encodes the scale-in step limit: ECS removes up to 50 %
// of an Auto Scaling group's capacity per managed scale-in step (rule 140;
// https://aws.amazon.com/blogs/containers/faster-scaling-in-for-amazon-ecs-cluster-auto-scaling/).
func TestScaleInStep(t *testing.T) {
	tests := []struct{ n, want int }{
		{-1, 0}, {0, 0}, {1, 1}, {2, 1}, {3, 1}, {4, 2}, {5, 2}, {10, 5}, {334, 167},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, ScaleInStep(tt.n), "n=%d", tt.n)
	}
}

// TestScaleInHalfPerStep: ten instances of which eight are empty go to two
// in three steps (10, 5, 3, 2), never losing more than half of the group's
// capacity in one evaluation (rule 140; the blog's example scales 334
// c5.xlarge instances in to 34 over several steps:
// https://aws.amazon.com/blogs/containers/faster-scaling-in-for-amazon-ecs-cluster-auto-scaling/).
func TestScaleInHalfPerStep(t *testing.T) {
	p := provider(nil)
	instances := append(busy(2), empty(8)...)
	s := ScalingState{Instances: instances, DesiredCapacity: 10, LowDatapoints: ScaleInDatapoints}
	var got []int
	for s.DesiredCapacity > 2 {
		d := Decide(p, s)
		require.Equal(t, ScaleIn, d.Action, d.Reason)
		require.GreaterOrEqual(t, d.Desired*2, s.DesiredCapacity, "more than half removed in one step")
		got = append(got, d.Desired)
		s.DesiredCapacity, s.Instances, s.LowDatapoints = d.Desired, s.Instances[:d.Desired], d.LowDatapoints
	}
	require.Equal(t, []int{5, 3, 2}, got)
	d := Decide(p, s)
	require.Equal(t, Hold, d.Action, "the two busy instances stay")
}

// TestScaleInOnlyEmpty: with managed termination protection only
// instances without non-daemon tasks may go, and a target below 100 keeps
// its spare room; an instance running only daemon tasks is empty
// (rules 140 and 141;
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-termination-protection.html).
func TestScaleInOnlyEmpty(t *testing.T) {
	for _, protect := range []bool{true, false} {
		t.Run(fmt.Sprint("protection=", protect), func(t *testing.T) {
			p := provider(nil)
			if !protect {
				p.ManagedTerminationProtection = ecs.ManagedTerminationProtectionDisabled
			}
			// 6 busy, 2 empty: the reservation is 75 %, and 2 at most may go.
			s := ScalingState{Instances: append(busy(6), empty(2)...), DesiredCapacity: 8, LowDatapoints: 40}
			d := Decide(p, s)
			require.Equal(t, ScaleIn, d.Action, d.Reason)
			require.Equal(t, 6, d.Desired, "only the two empty instances go")
			require.Equal(t, []string{"empty-a", "empty-b"}, d.Removable[:2], "empty ones first")
		})
	}
}

// TestScaleInWarmup: an empty instance still within instanceWarmupPeriod
// cannot contribute to the metric yet (API ManagedScaling,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html)
// and a scale-in does not take it; past its warm-up it goes.
func TestScaleInWarmup(t *testing.T) {
	p := provider(func(m *ecs.ManagedScaling) { m.InstanceWarmupPeriod = intp(300) })
	fresh := Instance{ID: "fresh", LaunchedAt: now.Add(-100 * time.Second)}
	s := ScalingState{Now: now, Instances: append(busy(2), fresh), DesiredCapacity: 3, LowDatapoints: 40}
	d := Decide(p, s)
	require.Equal(t, Hold, d.Action, d.Reason)
	require.Empty(t, d.Removable)

	s.Now = now.Add(200 * time.Second)
	d = Decide(p, s)
	require.Equal(t, ScaleIn, d.Action, d.Reason)
	require.Equal(t, 2, d.Desired)
	require.Equal(t, []string{"fresh"}, d.Removable)
}
