package ecstest

import (
	"context"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// managedGroup creates a simulated group of c5.large instances (0 to 10)
// and a provider "asg" with managed scaling for it, and makes it the
// default cluster's provider and default strategy.
func managedGroup(t testing.TB, e *ECS, protect bool) string {
	t.Helper()
	ctx := context.Background()
	arn, err := e.CreateAutoScalingGroup(ctx, AutoScalingGroup{Name: "workers", InstanceType: "c5.large", MaxSize: 10})
	require.NoError(t, err)
	asg := &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: arn, ManagedScaling: &ecs.ManagedScaling{
		Status: ecs.ManagedScalingStatusEnabled, InstanceWarmupPeriod: ptr(60)}}
	if protect {
		asg.ManagedTerminationProtection = ecs.ManagedTerminationProtectionEnabled
	}
	_, err = e.createCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "asg", AutoScalingGroupProvider: asg})
	require.NoError(t, err)
	_, err = e.putClusterCapacityProviders(ctx, "default", []string{"asg"}, []ecs.CapacityProviderStrategyItem{{CapacityProvider: "asg", Weight: 1}})
	require.NoError(t, err)
	return arn
}

func TestManagedScaling(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	managedGroup(t, e, false)
	taskDef(t, e, "work", 1024, 1024)
	svc := mustCreateService(t, e, "web", "work", 4)
	require.Equal(t, []ecs.CapacityProviderStrategyItem{{CapacityProvider: "asg", Weight: 1}}, svc.CapacityProviderStrategy,
		"the service takes the cluster's default strategy")

	advance(e, time.Minute)
	g, err := e.DescribeAutoScalingGroup(ctx, "workers")
	require.NoError(t, err)
	require.Equal(t, 2, g.DesiredCapacity, "two c5.large hold four tasks of 1024 CPU units")
	require.Len(t, g.Instances, 2)
	require.NotEqual(t, g.Instances[0].AvailabilityZone, g.Instances[1].AvailabilityZone, "the group balances its zones")

	svc = requireSteady(t, e, 3*time.Minute)
	require.Equal(t, 4, svc.RunningCount)
	for _, tk := range serviceTasks(t, e, "web") {
		require.Equal(t, "asg", tk.CapacityProviderName)
	}
	list, _, err := e.describeContainerInstances(ctx, "", []string{serviceTasks(t, e, "web")[0].ContainerInstanceARN})
	require.NoError(t, err)
	require.Equal(t, "asg", list[0].CapacityProviderName)

	_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(0)})
	require.NoError(t, err)
	advance(e, 10*time.Minute)
	g, err = e.DescribeAutoScalingGroup(ctx, "workers")
	require.NoError(t, err)
	require.Equal(t, 2, g.DesiredCapacity, "scale-in waits for 15 datapoints")
	advance(e, 10*time.Minute)
	g, err = e.DescribeAutoScalingGroup(ctx, "workers")
	require.NoError(t, err)
	require.Equal(t, 0, g.DesiredCapacity)
	require.Empty(t, g.Instances)
	arns, err := e.listContainerInstances(ctx, "", "", "")
	require.NoError(t, err)
	require.Empty(t, arns, "the group's instances were deregistered as they terminated")
}

func TestCapacityProviderOperations(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	arn := managedGroup(t, e, true)

	all, failures, err := e.describeCapacityProviders(ctx, nil)
	require.NoError(t, err)
	require.Empty(t, failures)
	require.Equal(t, []string{"FARGATE", "FARGATE_SPOT", "asg"}, []string{all[0].Name, all[1].Name, all[2].Name})
	asg := all[2].AutoScalingGroupProvider
	require.Equal(t, arn, asg.AutoScalingGroupARN)
	require.Equal(t, 100, *asg.ManagedScaling.TargetCapacity, "defaults are shown")
	require.Equal(t, ecs.ManagedDrainingEnabled, asg.ManagedDraining)

	upd, err := e.updateCapacityProvider(ctx, &ecs.UpdateCapacityProviderRequest{Name: "asg",
		AutoScalingGroupProvider: &ecs.AutoScalingGroupProviderUpdate{ManagedScaling: &ecs.ManagedScaling{TargetCapacity: ptr(80)}}})
	require.NoError(t, err)
	require.Equal(t, 80, *upd.AutoScalingGroupProvider.ManagedScaling.TargetCapacity)
	require.Equal(t, ecs.ManagedScalingStatusEnabled, upd.AutoScalingGroupProvider.ManagedScaling.Status, "what the update leaves out stays")

	_, err = e.deleteCapacityProvider(ctx, "asg")
	requireAPIError(t, err, "ResourceInUseException")

	taskDef(t, e, "work", 256, 256)
	mustCreateService(t, e, "web", "work", 1)
	_, err = e.putClusterCapacityProviders(ctx, "default", []string{}, nil)
	requireAPIError(t, err, "ResourceInUseException")
	_, err = e.deleteService(ctx, "", "web", true)
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	_, err = e.putClusterCapacityProviders(ctx, "default", nil, nil)
	require.NoError(t, err)
	gone, err := e.deleteCapacityProvider(ctx, "asg")
	require.NoError(t, err)
	require.Equal(t, ecs.CapacityProviderStatusInactive, gone.Status)

	tests := []struct {
		name string
		req  ecs.CreateCapacityProviderRequest
		typ  string
	}{
		{"reserved prefix", ecs.CreateCapacityProviderRequest{Name: "fargate-2", AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: arn}}, "InvalidParameterException"},
		{"no group", ecs.CreateCapacityProviderRequest{Name: "p"}, "InvalidParameterException"},
		{"unknown group", ecs.CreateCapacityProviderRequest{Name: "p", AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/nope"}}, "InvalidParameterException"},
		{"target capacity above 100", ecs.CreateCapacityProviderRequest{Name: "p", AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: arn,
			ManagedScaling: &ecs.ManagedScaling{TargetCapacity: ptr(101)}}}, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.createCapacityProvider(ctx, &tt.req)
			requireAPIError(t, err, tt.typ)
		})
	}
	_, err = e.putClusterCapacityProviders(ctx, "default", []string{"nope"}, nil)
	requireAPIError(t, err, "InvalidParameterException")
	_, err = e.putClusterCapacityProviders(ctx, "default", []string{"FARGATE"}, []ecs.CapacityProviderStrategyItem{{CapacityProvider: "FARGATE_SPOT", Weight: 1}})
	requireAPIError(t, err, "InvalidParameterException")
}

func TestRunTaskOnProviders(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	managedGroup(t, e, false)
	require.NoError(t, e.SetDesiredCapacity(ctx, "workers", 1))
	advance(e, DefaultLaunchTime)
	register(t, e, "c5.large", "us-east-1a") // not the group's
	taskDef(t, e, "work", 512, 512)
	resp := mustRunTask(t, e, "work", 4)
	require.Len(t, resp.Tasks, 4)
	g, err := e.DescribeAutoScalingGroup(ctx, "workers")
	require.NoError(t, err)
	for _, tk := range resp.Tasks {
		require.Equal(t, "asg", tk.CapacityProviderName)
		require.Equal(t, g.Instances[0].ContainerInstanceARN, tk.ContainerInstanceARN, "the default strategy keeps them on the group")
	}
	resp = mustRunTask(t, e, "work", 1)
	require.Empty(t, resp.Failures, "managed scaling is on: the task waits for capacity (rule 156)")
	require.Len(t, resp.Tasks, 1)
	require.Equal(t, ecs.TaskStatusProvisioning, resp.Tasks[0].LastStatus)
	require.Empty(t, resp.Tasks[0].ContainerInstanceARN)
	launched, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "work", LaunchType: ecs.LaunchTypeEC2})
	require.NoError(t, err)
	require.Len(t, launched.Tasks, 1, "a launch type bypasses the providers")
}

// RunTask refuses a launch type together with a capacity provider
// strategy, as ECS does (rule 130), through capacity.Resolve.
func TestRunTaskLaunchTypeAndStrategy(t *testing.T) {
	e := newTestECS(t)
	ctx := context.Background()
	_, err := e.putClusterCapacityProviders(ctx, "default", []string{"FARGATE"}, nil)
	require.NoError(t, err)
	td := taskDef(t, e, "web", 256, 512)
	_, err = e.RunTask(ctx, &ecs.RunTaskRequest{
		TaskDefinition: td.TaskDefinitionARN, LaunchType: ecs.LaunchTypeEC2,
		CapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "FARGATE", Weight: 1}},
	})
	apiErr := requireAPIError(t, err, ecs.InvalidParameterException)
	require.Equal(t, "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.", apiErr.Message)
	require.ErrorIs(t, err, ecs.ErrInvalid)
}
