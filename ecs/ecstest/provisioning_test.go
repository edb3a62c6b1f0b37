package ecstest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// emptyGroup creates an empty group "workers" of c5.large instances (0 to
// max) and a provider "asg" for it with managed scaling on (no warm-up
// wait), the default cluster's only provider and default strategy.
func emptyGroup(t testing.TB, e *ECS, max int) {
	t.Helper()
	ctx := context.Background()
	arn, err := e.CreateAutoScalingGroup(ctx, AutoScalingGroup{Name: "workers", InstanceType: "c5.large", MaxSize: max})
	require.NoError(t, err)
	asg := &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: arn, ManagedScaling: &ecs.ManagedScaling{
		Status: ecs.ManagedScalingStatusEnabled, InstanceWarmupPeriod: ptr(0)}}
	_, err = e.createCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "asg", AutoScalingGroupProvider: asg})
	require.NoError(t, err)
	_, err = e.putClusterCapacityProviders(ctx, "default", []string{"asg"}, []ecs.CapacityProviderStrategyItem{{CapacityProvider: "asg", Weight: 1}})
	require.NoError(t, err)
}

// statuses returns the lastStatus of each task, in order.
func lastStatuses(t testing.TB, e *ECS, tasks []ecs.Task) []ecs.TaskStatus {
	t.Helper()
	out := make([]ecs.TaskStatus, len(tasks))
	for i, tk := range tasks {
		out[i] = describeTask(t, e, tk.TaskARN).LastStatus
	}
	return out
}

func repeat[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestRunTaskWaitsForCapacity: RunTask through a provider with managed
// scaling on and an empty group creates its tasks PROVISIONING (desired
// RUNNING, no instance) instead of failing; managed scaling counts them
// (five tasks of 1024 CPU units, two to a c5.large: three instances),
// and they run once the instances register (rule 156, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/standalone-tasks.html;
// rule 139, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-scaling-behavior.html).
func TestRunTaskWaitsForCapacity(t *testing.T) {
	e := newTestECS(t)
	emptyGroup(t, e, 10)
	taskDef(t, e, "work", 1024, 1024)
	resp := mustRunTask(t, e, "work", 5)
	require.Empty(t, resp.Failures)
	require.Len(t, resp.Tasks, 5)
	for _, tk := range resp.Tasks {
		require.Equal(t, ecs.TaskStatusProvisioning, tk.LastStatus)
		require.Equal(t, ecs.DesiredStatusRunning, tk.DesiredStatus)
		require.Empty(t, tk.ContainerInstanceARN)
		require.Equal(t, "asg", tk.CapacityProviderName)
		require.Equal(t, ecs.LaunchTypeEC2, tk.LaunchType)
	}
	advance(e, 30*time.Second)
	require.Equal(t, repeat(ecs.TaskStatusProvisioning, 5), lastStatuses(t, e, resp.Tasks), "they wait while no instance is there")
	arns, err := e.listTasks(context.Background(), "", taskFilter{DesiredStatus: ecs.DesiredStatusRunning})
	require.NoError(t, err)
	require.Len(t, arns, 5, "ListTasks shows them under desiredStatus RUNNING")
	cl := e.describeClusterNamed(t, "default")
	require.Equal(t, 5, cl.PendingTasksCount)

	advance(e, time.Minute) // the evaluation at 1 min scales out
	require.Equal(t, 3, describeGroup(t, e).DesiredCapacity, "ceil(5 tasks / 2 per c5.large)")
	advance(e, 2*time.Minute) // launched, registered, placed, started
	require.Equal(t, repeat(ecs.TaskStatusRunning, 5), lastStatuses(t, e, resp.Tasks))
	for _, tk := range resp.Tasks {
		require.NotEmpty(t, describeTask(t, e, tk.TaskARN).ContainerInstanceARN)
	}
}

// describeClusterNamed describes a cluster.
func (e *ECS) describeClusterNamed(t testing.TB, name string) ecs.Cluster {
	t.Helper()
	out, err := e.DescribeClusters(context.Background(), &ecs.DescribeClustersRequest{Clusters: []string{name}})
	require.NoError(t, err)
	require.Len(t, out.Clusters, 1)
	return out.Clusters[0]
}

// TestWaitingTasksPlacedInOrder: tasks that wait are placed in the order
// they were created as capacity comes (rule 156, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/standalone-tasks.html): of
// three tasks that each need a whole c5.large, the first two take the
// two instances the group can have; the third waits on.
func TestWaitingTasksPlacedInOrder(t *testing.T) {
	e := newTestECS(t)
	emptyGroup(t, e, 2) // managed scaling can launch two at most
	taskDef(t, e, "whole", 2048, 3072)
	var arns []string
	for range 3 {
		arns = append(arns, mustRunTask(t, e, "whole", 1).Tasks[0].TaskARN)
		advance(e, time.Second)
	}
	advance(e, 3*time.Minute)
	require.Equal(t, 2, describeGroup(t, e).DesiredCapacity)
	var got []ecs.TaskStatus
	for _, arn := range arns {
		got = append(got, describeTask(t, e, arn).LastStatus)
	}
	require.Equal(t, []ecs.TaskStatus{ecs.TaskStatusRunning, ecs.TaskStatusRunning, ecs.TaskStatusProvisioning}, got)
}

// TestWaitingTaskTimesOut: a task that waits longer than ECS lets it
// (ProvisioningTimeout, 30 minutes: the upper bound of the "between 10
// and 30 minutes" of https://aws.amazon.com/blogs/containers/deep-dive-on-amazon-ecs-cluster-auto-scaling/, rule 156) stops, TaskFailedToStart.
func TestWaitingTaskTimesOut(t *testing.T) {
	e := newTestECS(t)
	emptyGroup(t, e, 1)
	taskDef(t, e, "huge", 4096, 1024) // fits no c5.large: managed scaling excludes it
	tk := mustRunTask(t, e, "huge", 1).Tasks[0]
	require.Equal(t, ecs.TaskStatusProvisioning, tk.LastStatus)
	advance(e, ProvisioningTimeout-time.Second)
	require.Equal(t, ecs.TaskStatusProvisioning, describeTask(t, e, tk.TaskARN).LastStatus)
	require.Zero(t, describeGroup(t, e).DesiredCapacity, "a task no instance type holds scales nothing (rule 139)")
	advance(e, time.Minute)
	got := describeTask(t, e, tk.TaskARN)
	require.Equal(t, ecs.TaskStatusStopped, got.LastStatus)
	require.Equal(t, ecs.TaskStopCodeTaskFailedToStart, got.StopCode)
	require.True(t, strings.Contains(got.StoppedReason, "timed out waiting for capacity"), got.StoppedReason)
}

// TestProvisioningQuota: RunTask is refused with a ClientException once
// the cluster's quota of tasks in PROVISIONING is reached (rule 157,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html, "If you get a ClientException"), before anything is placed,
// when the request's tasks could take the cluster past it.
func TestProvisioningQuota(t *testing.T) {
	e := newTestECS(t, func(o *Options) { o.Quotas.ProvisioningTasksPerCluster = 4 })
	emptyGroup(t, e, 10)
	taskDef(t, e, "work", 1024, 1024)
	resp := mustRunTask(t, e, "work", 3)
	require.Len(t, resp.Tasks, 3)
	_, err := e.RunTask(context.Background(), &ecs.RunTaskRequest{TaskDefinition: "work", Count: ptr(2)})
	var ae *ecs.APIError
	require.True(t, errors.As(err, &ae), "%v", err)
	require.Equal(t, ecs.ClientException, ae.Type)
	require.Contains(t, ae.Message, "PROVISIONING")
	require.Len(t, mustRunTask(t, e, "work", 1).Tasks, 1, "one more fits the quota")
	_, err = e.RunTask(context.Background(), &ecs.RunTaskRequest{TaskDefinition: "work"})
	require.True(t, errors.As(err, &ae), "%v", err)
	tasks, err := e.Tasks(context.Background(), "")
	require.NoError(t, err)
	require.Len(t, tasks, 4, "a refused RunTask creates nothing")
}

// TestServiceTasksWaitForCapacity: a service through a provider with
// managed scaling on gets PROVISIONING tasks, not only "unable to place"
// events; DescribeServices counts them pending, and they run after the
// scale-out (rule 156, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/standalone-tasks.html).
func TestServiceTasksWaitForCapacity(t *testing.T) {
	e := newTestECS(t)
	emptyGroup(t, e, 10)
	taskDef(t, e, "work", 1024, 1024)
	mustCreateService(t, e, "web", "work", 4)
	advance(e, time.Second)
	tasks := serviceTasks(t, e, "web")
	require.Len(t, tasks, 4)
	for _, tk := range tasks {
		require.Equal(t, ecs.TaskStatusProvisioning, tk.LastStatus)
		require.Empty(t, tk.ContainerInstanceARN)
	}
	svc := describeService(t, e, "web")
	require.Equal(t, 4, svc.PendingCount)
	for _, m := range events(svc) {
		require.NotContains(t, m, "unable to place")
	}
	advance(e, 4*time.Minute)
	svc = describeService(t, e, "web")
	require.Equal(t, 4, svc.RunningCount, "%v", cmp.Diff(nil, events(svc)))
	require.Equal(t, 2, describeGroup(t, e).DesiredCapacity)
}

// TestNoWaitWithoutManagedScaling: through a provider whose managed
// scaling is off, a task that fits nowhere fails at once, as before
// managed scaling (rule 156; the AWS blog https://aws.amazon.com/blogs/containers/deep-dive-on-amazon-ecs-cluster-auto-scaling/: "the transition
// to provisioning only happens if you have enabled managed scaling").
func TestNoWaitWithoutManagedScaling(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	emptyGroup(t, e, 10)
	_, err := e.updateCapacityProvider(ctx, &ecs.UpdateCapacityProviderRequest{Name: "asg",
		AutoScalingGroupProvider: &ecs.AutoScalingGroupProviderUpdate{ManagedScaling: &ecs.ManagedScaling{Status: ecs.ManagedScalingStatusDisabled}}})
	require.NoError(t, err)
	taskDef(t, e, "work", 1024, 1024)
	_, err = e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "work"})
	requireAPIError(t, err, "InvalidParameterException")
	register(t, e, "c5.large", "us-east-1a")
	resp := mustRunTask(t, e, "work", 3)
	require.Empty(t, resp.Tasks, "the instance is not the provider's, and nothing waits")
}

// TestServiceProvisioningQuota: a service's tasks past the cluster's
// quota of tasks in PROVISIONING are not created; the service waits with
// its "unable to place" event and retries, as the scheduler backs off
// (rule 157, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/operating-at-scale-service-quotas.html).
func TestServiceProvisioningQuota(t *testing.T) {
	e := newTestECS(t, func(o *Options) { o.Quotas.ProvisioningTasksPerCluster = 3 })
	emptyGroup(t, e, 10)
	taskDef(t, e, "work", 1024, 1024)
	mustCreateService(t, e, "web", "work", 5)
	advance(e, time.Second)
	require.Len(t, serviceTasks(t, e, "web"), 3)
	svc := describeService(t, e, "web")
	require.Equal(t, 3, svc.PendingCount)
	advance(e, 10*time.Minute)
	svc = describeService(t, e, "web")
	require.Equal(t, 5, svc.RunningCount, "the rest were placed once instances came")
}
