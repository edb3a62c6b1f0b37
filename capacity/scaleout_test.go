package capacity

import (
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestPlanScaleOut: managed scaling grows an empty group for the tasks
// that wait in PROVISIONING as the managed scaling behavior page describes
// (rule 139,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-scaling-behavior.html):
// the tasks' instances at once, within the step sizes, held by warm-up,
// up to the group's maximum size; tasks that fit no instance are excluded
// and scale nothing.
func TestPlanScaleOut(t *testing.T) {
	c5, ok := ecs.DefaultCatalog().Lookup("c5.large")
	require.True(t, ok)
	shape := ShapeOf(c5, false)
	c5xl, ok := ecs.DefaultCatalog().Lookup("c5.xlarge")
	require.True(t, ok)
	xl := ShapeOf(c5xl, false)
	provider := func(f func(*ecs.ManagedScaling)) ecs.AutoScalingGroupProvider {
		m := ecs.ManagedScaling{Status: ecs.ManagedScalingStatusEnabled, InstanceWarmupPeriod: intp(0)}
		if f != nil {
			f(&m)
		}
		return ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a", ManagedScaling: &m}
	}
	one := []InstanceShape{shape}
	n := func(k int, r ecs.Resources) []ecs.Resources {
		out := make([]ecs.Resources, k)
		for i := range out {
			out[i] = r
		}
		return out
	}
	tests := []struct {
		name    string
		p       ecs.AutoScalingGroupProvider
		shapes  []InstanceShape
		tasks   []ecs.Resources
		desired int
		max     int
		want    ScaleOutRun
	}{
		{"two to an instance", provider(nil), one, n(5, ecs.Resources{CPU: 1024, MemoryMiB: 1024}), 0, 10,
			ScaleOutRun{Desired: []int{3}, Instances: 3, Placed: 5, Evaluations: 1}},
		{"a static host port: one to an instance", provider(nil), one, n(4, ecs.Resources{CPU: 256, MemoryMiB: 256, PortsTCP: []int{80}}), 0, 10,
			ScaleOutRun{Desired: []int{4}, Instances: 4, Placed: 4, Evaluations: 1}},
		{"the maximum step size", provider(func(m *ecs.ManagedScaling) { m.MaximumScalingStepSize = intp(3) }), one,
			n(8, ecs.Resources{CPU: 2048, MemoryMiB: 1024}), 0, 10,
			ScaleOutRun{Desired: []int{3, 6, 8}, Instances: 8, Placed: 8, Evaluations: 3}},
		{"the group's maximum size", provider(nil), one, n(8, ecs.Resources{CPU: 2048, MemoryMiB: 1024}), 0, 5,
			ScaleOutRun{Desired: []int{5}, Instances: 5, Placed: 5, Waiting: 3, Evaluations: 2}},
		{"room on the instances there", provider(nil), one, n(3, ecs.Resources{CPU: 1024, MemoryMiB: 1024}), 1, 10,
			ScaleOutRun{Desired: []int{2}, Instances: 2, Placed: 3, Evaluations: 1}},
		{"excluded: fits no instance", provider(nil), one, n(2, ecs.Resources{CPU: 4096}), 0, 10,
			ScaleOutRun{Instances: 0, Waiting: 2, Evaluations: 1}},
		{"several types: the largest gives a lower bound, corrected later", provider(nil), []InstanceShape{shape, xl},
			n(5, ecs.Resources{CPU: 1024, MemoryMiB: 1024}), 0, 10,
			ScaleOutRun{Desired: []int{2, 3}, Instances: 3, Placed: 5, Evaluations: 2}},
		{"managed scaling off", ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a"}, one, n(2, ecs.Resources{CPU: 1024}), 0, 10,
			ScaleOutRun{Waiting: 2, Evaluations: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PlanScaleOut(tt.p, tt.shapes, tt.tasks, tt.desired, tt.max)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("PlanScaleOut (-want +got):\n%s", diff)
			}
		})
	}
	require.Zero(t, PlanScaleOut(provider(nil), []InstanceShape{shape}, make([]ecs.Resources, MaxScaleOutTasks+1), 0, 0).Evaluations)
}
