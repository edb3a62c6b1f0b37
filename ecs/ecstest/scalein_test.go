package ecstest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// scaleInGroup creates a group "workers" of c5.large instances (0 to 10,
// desired n) and a provider "asg" for it with managed scaling (instance
// warm-up 60 s) changed by f, the default cluster's only provider and
// default strategy.
func scaleInGroup(t testing.TB, e *ECS, n int, f func(*ecs.AutoScalingGroupProvider)) {
	t.Helper()
	ctx := context.Background()
	arn, err := e.CreateAutoScalingGroup(ctx, AutoScalingGroup{Name: "workers", InstanceType: "c5.large", MaxSize: 10, DesiredCapacity: n})
	require.NoError(t, err)
	asg := &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: arn, ManagedScaling: &ecs.ManagedScaling{
		Status: ecs.ManagedScalingStatusEnabled, InstanceWarmupPeriod: ptr(60)}}
	if f != nil {
		f(asg)
	}
	_, err = e.createCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "asg", AutoScalingGroupProvider: asg})
	require.NoError(t, err)
	_, err = e.putClusterCapacityProviders(ctx, "default", []string{"asg"}, []ecs.CapacityProviderStrategyItem{{CapacityProvider: "asg", Weight: 1}})
	require.NoError(t, err)
}

func describeGroup(t testing.TB, e *ECS) *GroupState {
	t.Helper()
	g, err := e.DescribeAutoScalingGroup(context.Background(), "workers")
	require.NoError(t, err)
	return g
}

// TestManagedScaleInHalfPerStep: ten instances of which eight are empty
// scale in to two over three steps (10, 5, 3, 2), one a minute once the
// 15 datapoints are in, each removing at most half of the group's
// capacity (rule 140: AWS Containers blog "Faster scaling-in for Amazon
// ECS cluster auto scaling",
// https://aws.amazon.com/blogs/containers/faster-scaling-in-for-amazon-ecs-cluster-auto-scaling/),
// and only empty instances (managed termination protection, rule 141).
func TestManagedScaleInHalfPerStep(t *testing.T) {
	e := newTestECS(t)
	scaleInGroup(t, e, 10, func(p *ecs.AutoScalingGroupProvider) {
		p.ManagedTerminationProtection = ecs.ManagedTerminationProtectionEnabled
	})
	taskDef(t, e, "whole", 2048, 1024) // a c5.large each
	advance(e, 2*time.Minute)
	require.Len(t, describeGroup(t, e).Instances, 10)
	mustCreateService(t, e, "web", "whole", 2)
	advance(e, time.Minute)
	busy := map[string]bool{}
	for _, tk := range serviceTasks(t, e, "web") {
		require.Equal(t, ecs.TaskStatusRunning, tk.LastStatus)
		busy[tk.ContainerInstanceARN] = true
	}
	require.Len(t, busy, 2)

	steps := []int{10}
	for range 30 {
		advance(e, time.Minute)
		g := describeGroup(t, e)
		if last := steps[len(steps)-1]; g.DesiredCapacity != last {
			require.GreaterOrEqual(t, 2*g.DesiredCapacity, last, "a step removed more than half the group")
			steps = append(steps, g.DesiredCapacity)
		}
	}
	require.Equal(t, []int{10, 5, 3, 2}, steps)
	g := describeGroup(t, e)
	require.Len(t, g.Instances, 2)
	for _, in := range g.Instances {
		require.True(t, busy[in.ContainerInstanceARN], "an instance running a task was terminated")
	}
	require.Equal(t, 2, describeService(t, e, "web").RunningCount)
}

// TestManagedScaleInWarmup: an empty instance still within its
// instanceWarmupPeriod, which cannot yet contribute to the metric (API
// ManagedScaling,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html),
// is not what a scale-in removes: a settled empty instance goes first.
func TestManagedScaleInWarmup(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	scaleInGroup(t, e, 2, func(p *ecs.AutoScalingGroupProvider) {
		p.ManagedScaling.Status = ecs.ManagedScalingStatusDisabled
		p.ManagedScaling.InstanceWarmupPeriod = ptr(600)
	})
	advance(e, 15*time.Minute)
	old := describeGroup(t, e).Instances
	require.NoError(t, e.SetDesiredCapacity(ctx, "workers", 3))
	advance(e, 2*time.Minute)
	require.Len(t, describeGroup(t, e).Instances, 3)
	fresh := describeGroup(t, e).Instances[2].EC2InstanceID
	require.NoError(t, e.SetDesiredCapacity(ctx, "workers", 2))
	got := describeGroup(t, e).Instances
	require.Len(t, got, 2)
	require.Equal(t, fresh, got[1].EC2InstanceID, "the instance within its warm-up stays, though it is the newest")
	require.Contains(t, []string{old[0].EC2InstanceID, old[1].EC2InstanceID}, got[0].EC2InstanceID)
}

// TestManagedDrainingScaleIn: with managedDraining ENABLED (the default)
// ECS drains an instance before the group terminates it, so the service
// replaces its task elsewhere first; with DISABLED the instance goes at
// once with its task (rule 142; API AutoScalingGroupProvider,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AutoScalingGroupProvider.html).
func TestManagedDrainingScaleIn(t *testing.T) {
	for _, drain := range []ecs.ManagedDraining{ecs.ManagedDrainingEnabled, ecs.ManagedDrainingDisabled} {
		t.Run(string(drain), func(t *testing.T) {
			ctx := context.Background()
			e := newTestECS(t)
			scaleInGroup(t, e, 3, func(p *ecs.AutoScalingGroupProvider) {
				p.ManagedScaling.Status = ecs.ManagedScalingStatusDisabled
				p.ManagedDraining = drain
			})
			taskDef(t, e, "half", 1024, 512)
			advance(e, 2*time.Minute)
			mustCreateService(t, e, "web", "half", 3)
			requireSteady(t, e, 2*time.Minute)
			for _, in := range describeGroup(t, e).Instances {
				list, _, err := e.describeContainerInstances(ctx, "", []string{in.ContainerInstanceARN})
				require.NoError(t, err)
				require.Equal(t, 1, list[0].RunningTasksCount, "one task per instance")
			}

			require.NoError(t, e.SetDesiredCapacity(ctx, "workers", 2))
			g := describeGroup(t, e)
			if drain == ecs.ManagedDrainingDisabled {
				require.Len(t, g.Instances, 2, "terminated at once")
			} else {
				require.Len(t, g.Instances, 3)
				k := slices.IndexFunc(g.Instances, func(in GroupInstance) bool { return in.Draining })
				require.GreaterOrEqual(t, k, 0, "one instance drains")
				list, _, err := e.describeContainerInstances(ctx, "", []string{g.Instances[k].ContainerInstanceARN})
				require.NoError(t, err)
				require.Equal(t, "DRAINING", list[0].Status)
				require.Equal(t, 1, list[0].RunningTasksCount, "its task runs until the service replaces it")
			}
			svc := requireSteady(t, e, 5*time.Minute)
			require.Equal(t, 3, svc.RunningCount)
			require.Len(t, describeGroup(t, e).Instances, 2, "the drained instance was terminated")
		})
	}
}
