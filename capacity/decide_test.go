package capacity

import (
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

var now = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

// provider returns an enabled provider with managed termination
// protection, changed by f.
func provider(f func(*ecs.ManagedScaling)) ecs.AutoScalingGroupProvider {
	m := ecs.ManagedScaling{Status: ecs.ManagedScalingStatusEnabled}
	if f != nil {
		f(&m)
	}
	return ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "arn:asg", ManagedScaling: &m,
		ManagedTerminationProtection: ecs.ManagedTerminationProtectionEnabled}
}

func TestDecide(t *testing.T) {
	shapes := []InstanceShape{xlarge}
	quarter := ecs.Resources{CPU: 1024, MemoryMiB: 1024} // 4 per xlarge
	tests := []struct {
		name      string
		p         ecs.AutoScalingGroupProvider
		s         ScalingState
		action    Action
		desired   int
		cpr       float64
		low       int
		removable []string
	}{
		{"disabled", ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a"},
			ScalingState{Instances: empty(2), DesiredCapacity: 2, LowDatapoints: 20}, Hold, 2, 0, 0, nil},
		{"nothing, nothing needed", provider(nil), ScalingState{}, Hold, 0, 100, 0, nil},
		{"first scale-out from zero", provider(nil),
			ScalingState{Provisioning: tasks(3, quarter), Shapes: shapes}, ScaleOut, 1, 200, 0, nil},
		{"scale-out by what is needed", provider(nil),
			ScalingState{Instances: busy(2), Provisioning: tasks(5, quarter), Shapes: shapes, DesiredCapacity: 2},
			ScaleOut, 4, 200, 0, nil},
		{"scale-out clamped to the maximum step", provider(func(m *ecs.ManagedScaling) { m.MaximumScalingStepSize = intp(1) }),
			ScalingState{Instances: busy(2), Provisioning: tasks(5, quarter), Shapes: shapes, DesiredCapacity: 2},
			ScaleOut, 3, 200, 0, nil},
		{"scale-out raised to the minimum step", provider(func(m *ecs.ManagedScaling) { m.MinimumScalingStepSize = intp(5) }),
			ScalingState{Instances: busy(2), Provisioning: tasks(5, quarter), Shapes: shapes, DesiredCapacity: 2},
			ScaleOut, 7, 200, 0, nil},
		{"scale-out capped by the group's maximum", provider(func(m *ecs.ManagedScaling) { m.MinimumScalingStepSize = intp(5) }),
			ScalingState{Instances: busy(2), Provisioning: tasks(5, quarter), Shapes: shapes, DesiredCapacity: 2, MaxSize: 3},
			ScaleOut, 3, 200, 0, nil},
		{"target 50 keeps spare instances", provider(func(m *ecs.ManagedScaling) { m.TargetCapacity = intp(50) }),
			ScalingState{Instances: busy(4), DesiredCapacity: 4}, ScaleOut, 8, 100, 0, nil},
		{"scale-out already requested", provider(nil),
			ScalingState{Instances: busy(2), Provisioning: tasks(5, quarter), Shapes: shapes, DesiredCapacity: 4},
			Hold, 4, 200, 0, nil},
		{"warm-up holds a scale-out", provider(nil),
			ScalingState{Now: now, Instances: []Instance{{ID: "new", LaunchedAt: now.Add(-100 * time.Second), NonDaemonTasks: 1}},
				Provisioning: tasks(8, quarter), Shapes: shapes, DesiredCapacity: 1, LowDatapoints: 3},
			Hold, 1, 300, 0, nil},
		{"warm-up over", provider(nil),
			ScalingState{Now: now, Instances: []Instance{{ID: "new", LaunchedAt: now.Add(-300 * time.Second), NonDaemonTasks: 1}},
				Provisioning: tasks(8, quarter), Shapes: shapes, DesiredCapacity: 1},
			ScaleOut, 3, 300, 0, nil},
		{"at target", provider(nil), ScalingState{Instances: busy(3), DesiredCapacity: 3, LowDatapoints: 4},
			Hold, 3, 100, 0, nil},
		{"below target: waits for datapoints", provider(nil),
			ScalingState{Instances: append(busy(2), empty(2)...), DesiredCapacity: 4, LowDatapoints: 13},
			Hold, 4, 50, 14, []string{"empty-a", "empty-b"}},
		{"15th low datapoint: scale-in of the empty instances", provider(nil),
			ScalingState{Instances: append(busy(2), empty(2)...), DesiredCapacity: 4, LowDatapoints: 14},
			ScaleIn, 2, 50, 15, []string{"empty-a", "empty-b"}},
		{"scale-in stops at the group's minimum", provider(nil),
			ScalingState{Instances: append(busy(2), empty(2)...), DesiredCapacity: 4, MinSize: 3, LowDatapoints: 30},
			ScaleIn, 3, 50, 31, []string{"empty-a", "empty-b"}},
		{"scale-in to the target", provider(func(m *ecs.ManagedScaling) { m.TargetCapacity = intp(80) }),
			ScalingState{Instances: append(busy(2), empty(3)...), DesiredCapacity: 5, LowDatapoints: 14},
			ScaleIn, 3, 40, 15, []string{"empty-a", "empty-b", "empty-c"}},
		{"below target but the ceiling keeps N", provider(func(m *ecs.ManagedScaling) { m.TargetCapacity = intp(95) }),
			ScalingState{Instances: append(busy(9), empty(1)...), DesiredCapacity: 10, LowDatapoints: 20},
			Hold, 10, 90, 21, []string{"empty-a"}},
		{"every waiting task excluded", provider(nil),
			ScalingState{Instances: empty(3), Provisioning: tasks(2, ecs.Resources{CPU: 99999}), Shapes: shapes,
				DesiredCapacity: 3, LowDatapoints: 14},
			Hold, 3, 100, 0, []string{"empty-a", "empty-b", "empty-c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.p, tt.s)
			require.Equal(t, tt.action, d.Action, d.Reason)
			require.Equal(t, tt.desired, d.Desired, d.Reason)
			require.InDelta(t, tt.cpr, d.Reservation, 1e-9)
			require.Equal(t, tt.low, d.LowDatapoints)
			require.Equal(t, tt.removable, d.Removable)
			require.NotEmpty(t, d.Reason)
		})
	}
}

func TestRemovable(t *testing.T) {
	in := []Instance{{ID: "a", NonDaemonTasks: 2}, {ID: "b"}, {ID: "c", NonDaemonTasks: 1}, {ID: "d"}}
	require.Equal(t, []string{"b", "d"}, Removable(in, true))
	require.Equal(t, []string{"b", "d", "a", "c"}, Removable(in, false))

	// Managed termination protection needs managed scaling (rule 141).
	p := ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a",
		ManagedTerminationProtection: ecs.ManagedTerminationProtectionEnabled}
	require.False(t, terminationProtected(p))
	require.True(t, terminationProtected(provider(nil)))
}

func TestActionString(t *testing.T) {
	require.Equal(t, "hold", Hold.String())
	require.Equal(t, "scale-out", ScaleOut.String())
	require.Equal(t, "scale-in", ScaleIn.String())
}
