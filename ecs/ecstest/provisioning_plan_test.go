package ecstest

import (
	"context"
	"testing"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestPlannedScaleOutAgrees: the same workload, tasks waiting in
// PROVISIONING for an empty group of c5.large instances, goes through
// managed scaling simulated here and through the capacity package's plan
// of it (capacity.PlanScaleOut, the same decision, capacity.Decide), and
// both reach the same desired capacities, step after step, and the same
// instances; with a mixed instances policy the estimate from the largest
// type (c5.xlarge) is corrected by a second scale-out once the first
// type's (c5.large) instances are in (rules 139 and 156: the managed
// scaling behavior page,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-scaling-behavior.html).
func TestPlannedScaleOutAgrees(t *testing.T) {
	tests := []struct {
		name     string
		tasks    int
		cpu, mem int
		ports    []int
		maxStep  int
		maxSize  int
		types    []string // the group's mixed instances policy; c5.large alone when empty
		want     []int    // desired capacities, as both must reach them
	}{
		{name: "two to an instance", tasks: 5, cpu: 1024, mem: 1024, maxSize: 10, want: []int{3}},
		{name: "memory bound", tasks: 7, cpu: 256, mem: 1536, maxSize: 10, want: []int{4}},
		{name: "a static host port", tasks: 4, cpu: 256, mem: 256, ports: []int{80}, maxSize: 10, want: []int{4}},
		{name: "maximum step size", tasks: 8, cpu: 2048, mem: 1024, maxStep: 3, maxSize: 10, want: []int{3, 6, 8}},
		{name: "group maximum size", tasks: 8, cpu: 2048, mem: 1024, maxSize: 5, want: []int{5}},
		{name: "several types", tasks: 5, cpu: 1024, mem: 1024, maxSize: 10, types: []string{"c5.large", "c5.xlarge"}, want: []int{2, 3}},
		{name: "fits no instance", tasks: 2, cpu: 4096, mem: 1024, maxSize: 10, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newTestECS(t)
			ms := &ecs.ManagedScaling{Status: ecs.ManagedScalingStatusEnabled, InstanceWarmupPeriod: ptr(0)}
			if tt.maxStep > 0 {
				ms.MaximumScalingStepSize = ptr(tt.maxStep)
			}
			arn, err := e.CreateAutoScalingGroup(ctx, AutoScalingGroup{Name: "workers", InstanceType: "c5.large", InstanceTypes: tt.types, MaxSize: tt.maxSize})
			require.NoError(t, err)
			asg := ecs.AutoScalingGroupProvider{AutoScalingGroupARN: arn, ManagedScaling: ms}
			_, err = e.createCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "asg", AutoScalingGroupProvider: &asg})
			require.NoError(t, err)
			_, err = e.putClusterCapacityProviders(ctx, "default", []string{"asg"}, []ecs.CapacityProviderStrategyItem{{CapacityProvider: "asg", Weight: 1}})
			require.NoError(t, err)
			td := taskDef(t, e, "work", tt.cpu, tt.mem, tt.ports...)
			mustCreateService(t, e, "web", "work", tt.tasks)

			var simulated []int
			for range 20 {
				advance(e, time.Minute)
				if d := describeGroup(t, e).DesiredCapacity; len(simulated) == 0 && d > 0 || len(simulated) > 0 && d != simulated[len(simulated)-1] {
					simulated = append(simulated, d)
				}
			}
			running := describeService(t, e, "web").RunningCount

			var shapes []capacity.InstanceShape
			for _, name := range append([]string{"c5.large"}, tt.types[min(1, len(tt.types)):]...) {
				it, ok := e.catalog.Lookup(name)
				require.True(t, ok)
				shapes = append(shapes, capacity.ShapeOf(it, false))
			}
			demand, err := placement.TaskDemand(td, nil)
			require.NoError(t, err)
			demands := make([]ecs.Resources, tt.tasks)
			for i := range demands {
				demands[i] = demand
			}
			planned := capacity.PlanScaleOut(asg, shapes, demands, 0, tt.maxSize)

			require.Empty(t, cmp.Diff(tt.want, simulated), "simulated")
			require.Empty(t, cmp.Diff(tt.want, planned.Desired), "planned")
			require.Equal(t, planned.Instances, len(describeGroup(t, e).Instances), "instances reached")
			require.Equal(t, planned.Placed, running, "tasks placed")
		})
	}
}
