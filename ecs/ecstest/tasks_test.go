package ecstest

import (
	"context"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

func TestTaskLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	ci := register(t, e, "c5.large", "us-east-1a")
	taskDef(t, e, "web", 512, 1024, 0)

	resp := mustRunTask(t, e, "web", 2)
	require.Len(t, resp.Tasks, 2)
	require.Empty(t, resp.Failures)
	arn := resp.Tasks[0].TaskARN
	require.Regexp(t, `^arn:aws:ecs:us-east-1:123456789012:task/default/[0-9a-f]{32}$`, arn)
	require.Equal(t, ci.ContainerInstanceARN, resp.Tasks[0].ContainerInstanceARN)
	require.Equal(t, "us-east-1a", resp.Tasks[0].AvailabilityZone)
	require.Equal(t, "family:web", resp.Tasks[0].Group)
	require.Equal(t, ecs.LaunchTypeEC2, resp.Tasks[0].LaunchType)
	bindings := resp.Tasks[0].Containers[0].NetworkBindings
	require.Len(t, bindings, 1, "placement gave the dynamic port a host port")
	require.Positive(t, *bindings[0].HostPort)

	rem := remainingOf(t, e, ci.ContainerInstanceARN)
	require.Equal(t, 2048-2*512, rem.CPU, "tasks hold their resources from placement")
	require.Equal(t, 3704-2*1024, rem.MemoryMiB)

	timing := DefaultTiming()
	steps := []struct {
		after  time.Duration
		status ecs.TaskStatus
	}{
		{0, "PROVISIONING"},
		{timing.Provisioning, "PENDING"},
		{timing.Pending, "ACTIVATING"},
		{timing.Activating, "RUNNING"},
	}
	for _, s := range steps {
		advance(e, s.after)
		require.Equal(t, s.status, describeTask(t, e, arn).LastStatus)
	}
	running := describeTask(t, e, arn)
	require.Equal(t, t0.Add(30*time.Second), running.StartedAt.Time)
	require.Equal(t, ecs.TaskStatusRunning, running.Containers[0].LastStatus)
	list, _, err := e.describeContainerInstances(ctx, "", []string{ci.ContainerInstanceARN})
	require.NoError(t, err)
	require.Equal(t, 2, list[0].RunningTasksCount)

	stopped, err := e.stopTaskRef(ctx, "", arn, "")
	require.NoError(t, err)
	require.Equal(t, ecs.TaskStatusDeactivating, stopped.LastStatus)
	require.Equal(t, ecs.DesiredStatus("STOPPED"), stopped.DesiredStatus)
	require.Equal(t, ecs.TaskStopCodeUserInitiated, stopped.StopCode)
	require.Equal(t, "Task stopped by user", stopped.StoppedReason)
	for _, s := range []struct {
		after  time.Duration
		status ecs.TaskStatus
	}{
		{timing.Deactivating, "STOPPING"},
		{timing.Stopping, "DEPROVISIONING"},
		{timing.Deprovisioning, "STOPPED"},
	} {
		advance(e, s.after)
		require.Equal(t, s.status, describeTask(t, e, arn).LastStatus)
	}
	done := describeTask(t, e, arn)
	require.Equal(t, 0, *done.Containers[0].ExitCode)
	require.False(t, done.StoppedAt.IsZero())
	require.Equal(t, 2048-512, remainingOf(t, e, ci.ContainerInstanceARN).CPU, "a STOPPED task releases its resources")

	again, err := e.stopTaskRef(ctx, "", arn, "again")
	require.NoError(t, err)
	require.Equal(t, "Task stopped by user", again.StoppedReason, "stopping a stopped task changes nothing")
}

func TestStopBeforeRunning(t *testing.T) {
	e := newTestECS(t)
	register(t, e, "c5.large", "us-east-1a")
	taskDef(t, e, "web", 256, 256)
	arn := mustRunTask(t, e, "web", 1).Tasks[0].TaskARN
	advance(e, 10*time.Second)
	stopped, err := e.stopTaskRef(context.Background(), "", arn, "not needed")
	require.NoError(t, err)
	require.Equal(t, ecs.TaskStatusDeprovisioning, stopped.LastStatus, "a task that never ran goes straight to DEPROVISIONING")
	advance(e, DefaultTiming().Deprovisioning)
	done := describeTask(t, e, arn)
	require.Equal(t, ecs.TaskStatusStopped, done.LastStatus)
	require.Nil(t, done.Containers[0].ExitCode, "its containers never ran")
}

func TestZeroTiming(t *testing.T) {
	e := newTestECS(t, WithTiming(Timing{}))
	register(t, e, "c5.large", "us-east-1a")
	taskDef(t, e, "web", 256, 256)
	arn := mustRunTask(t, e, "web", 1).Tasks[0].TaskARN
	require.Equal(t, ecs.TaskStatusProvisioning, describeTask(t, e, arn).LastStatus, "nothing moves until the clock runs")
	advance(e, 0)
	require.Equal(t, ecs.TaskStatusRunning, describeTask(t, e, arn).LastStatus)
}

func TestRunTaskFailures(t *testing.T) {
	e := newTestECS(t)
	a := register(t, e, "c5.large", "us-east-1a")
	b := register(t, e, "c5.large", "us-east-1b")
	taskDef(t, e, "big", 256, 8192)
	taskDef(t, e, "half", 1024, 512)
	taskDef(t, e, "port", 128, 128, 8080)

	resp := mustRunTask(t, e, "big", 1)
	require.Empty(t, resp.Tasks)
	require.ElementsMatch(t, []ecs.Failure{
		{ARN: a.ContainerInstanceARN, Reason: "RESOURCE:MEMORY"},
		{ARN: b.ContainerInstanceARN, Reason: "RESOURCE:MEMORY"},
	}, stripDetail(resp.Failures))

	resp = mustRunTask(t, e, "port", 3)
	require.Len(t, resp.Tasks, 2, "one static host port 8080 per instance")
	require.Equal(t, "RESOURCE:PORTS", resp.Failures[0].Reason)
	require.Contains(t, remainingOf(t, e, a.ContainerInstanceARN).PortsTCP, 8080, "remainingResources shows the static port taken")

	resp = mustRunTask(t, e, "half", 5)
	require.Len(t, resp.Tasks, 2, "one more task of 1024 CPU units fits each c5.large")
	require.Len(t, resp.Failures, 2)
	require.Equal(t, "RESOURCE:CPU", resp.Failures[0].Reason)

	tests := []struct {
		name string
		req  ecs.RunTaskRequest
		typ  string
	}{
		{"no task definition", ecs.RunTaskRequest{}, "ClientException"},
		{"unknown task definition", ecs.RunTaskRequest{TaskDefinition: "nope"}, "ClientException"},
		{"count above 10", ecs.RunTaskRequest{TaskDefinition: "half", Count: ptr(11)}, "InvalidParameterException"},
		{"bad strategy", ecs.RunTaskRequest{TaskDefinition: "half", PlacementStrategy: []ecs.PlacementStrategy{{Type: "binpack", Field: "disk"}}}, "InvalidParameterException"},
		{"bad constraint", ecs.RunTaskRequest{TaskDefinition: "half", PlacementConstraints: []ecs.PlacementConstraint{{Type: "memberOf", Expression: "attribute:ecs.os-type =="}}}, "InvalidParameterException"},
		{"no such cluster", ecs.RunTaskRequest{TaskDefinition: "half", Cluster: "nope"}, "ClusterNotFoundException"},
		{"Fargate without compatibility", ecs.RunTaskRequest{TaskDefinition: "half", LaunchType: ecs.LaunchTypeFargate}, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.RunTask(context.Background(), &tt.req)
			requireAPIError(t, err, tt.typ)
		})
	}
}

func TestRunTaskWithoutInstances(t *testing.T) {
	e := newTestECS(t)
	taskDef(t, e, "web", 256, 256)
	_, err := e.RunTask(context.Background(), &ecs.RunTaskRequest{TaskDefinition: "web"})
	err2 := requireAPIError(t, err, "InvalidParameterException")
	require.Equal(t, "No Container Instances were found in your cluster.", err2.Message)
}

func stripDetail(fs []ecs.Failure) []ecs.Failure {
	out := make([]ecs.Failure, len(fs))
	for i, f := range fs {
		out[i] = ecs.Failure{ARN: f.ARN, Reason: f.Reason}
	}
	return out
}

func TestStartTask(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	a := register(t, e, "c5.large", "us-east-1a")
	b := register(t, e, "c5.large", "us-east-1b")
	gone := register(t, e, "c5.large", "us-east-1c")
	_, err := e.deregisterContainerInstance(ctx, "", gone.ContainerInstanceARN, false)
	require.NoError(t, err)
	taskDef(t, e, "web", 1024, 512)
	missing := "arn:aws:ecs:us-east-1:123456789012:container-instance/default/0123456789abcdef0123456789abcdef"

	resp, err := e.StartTask(ctx, &ecs.StartTaskRequest{
		TaskDefinition:     "web",
		ContainerInstances: []string{a.ContainerInstanceARN, a.ContainerInstanceARN, a.ContainerInstanceARN, gone.ContainerInstanceARN, missing, b.ContainerInstanceARN},
	})
	require.NoError(t, err)
	require.Len(t, resp.Tasks, 3)
	for i, want := range []string{a.ContainerInstanceARN, a.ContainerInstanceARN, b.ContainerInstanceARN} {
		require.Equal(t, want, resp.Tasks[i].ContainerInstanceARN)
	}
	require.Equal(t, []ecs.Failure{
		{ARN: a.ContainerInstanceARN, Reason: "RESOURCE:CPU"},
		{ARN: gone.ContainerInstanceARN, Reason: "INACTIVE"},
		{ARN: missing, Reason: "MISSING"},
	}, stripDetail(resp.Failures))
}

func TestListAndDescribeTasks(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	a := register(t, e, "m5.xlarge", "us-east-1a")
	register(t, e, "m5.xlarge", "us-east-1b")
	taskDef(t, e, "web", 256, 256)
	taskDef(t, e, "api", 256, 256)
	web := mustRunTask(t, e, "web", 3)
	api, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "api", Count: ptr(2), StartedBy: "ci", Group: "batch"})
	require.NoError(t, err)
	_, err = e.stopTaskRef(ctx, "", web.Tasks[0].TaskARN, "")
	require.NoError(t, err)
	arns := func(ts []ecs.Task) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.TaskARN)
		}
		return out
	}
	onA := []string{}
	for _, t := range append(web.Tasks[1:], api.Tasks...) {
		if t.ContainerInstanceARN == a.ContainerInstanceARN {
			onA = append(onA, t.TaskARN)
		}
	}
	tests := []struct {
		name string
		f    taskFilter
		want []string
	}{
		{"RUNNING by default", taskFilter{}, append(arns(web.Tasks[1:]), arns(api.Tasks)...)},
		{"family", taskFilter{Family: "web"}, arns(web.Tasks[1:])},
		{"startedBy", taskFilter{StartedBy: "ci"}, arns(api.Tasks)},
		{"STOPPED", taskFilter{DesiredStatus: "STOPPED"}, arns(web.Tasks[:1])},
		{"instance", taskFilter{ContainerInstance: a.ContainerInstanceARN}, onA},
		{"launch type", taskFilter{LaunchType: ecs.LaunchTypeFargate}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.listTasks(ctx, "", tt.f)
			require.NoError(t, err)
			require.ElementsMatch(t, tt.want, got)
		})
	}
	_, err = e.listTasks(ctx, "", taskFilter{Family: "web", ServiceName: "web"})
	requireAPIError(t, err, "InvalidParameterException")

	id := api.Tasks[0].TaskARN[len(api.Tasks[0].TaskARN)-32:]
	got, failures, err := e.describeTasks(ctx, "", []string{id, "0123456789abcdef0123456789abcdef"})
	require.NoError(t, err)
	require.Equal(t, api.Tasks[0].TaskARN, got[0].TaskARN)
	require.Equal(t, "batch", got[0].Group)
	require.Equal(t, "MISSING", failures[0].Reason)
}

func TestInstancesWithTasks(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	ci := register(t, e, "c5.large", "us-east-1a")
	taskDef(t, e, "web", 256, 256)
	arn := mustRunTask(t, e, "web", 1).Tasks[0].TaskARN

	_, err := e.deregisterContainerInstance(ctx, "", ci.ContainerInstanceARN, false)
	requireAPIError(t, err, "InvalidParameterException")
	gone, err := e.deregisterContainerInstance(ctx, "", ci.ContainerInstanceARN, true)
	require.NoError(t, err)
	require.Equal(t, "INACTIVE", gone.Status)

	_, err = e.deleteCluster(ctx, "default")
	requireAPIError(t, err, "ClusterContainsTasksException")
	_, err = e.stopTaskRef(ctx, "", arn, "")
	require.NoError(t, err)
	advance(e, time.Minute)
	_, err = e.deleteCluster(ctx, "default")
	require.NoError(t, err)
}

func TestTasksOverHTTP(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	register(t, e, "c5.large", "us-east-1a")
	c.call("RegisterTaskDefinition", webRequest("web"), nil)

	var run ecs.RunTaskResponse
	c.call("RunTask", ecs.RunTaskRequest{TaskDefinition: "web", Count: ptr(2)}, &run)
	require.Len(t, run.Tasks, 2)

	var list ecs.ListTasksResponse
	c.call("ListTasks", ecs.ListTasksRequest{MaxResults: ptr(1)}, &list)
	require.Len(t, list.TaskARNs, 1)
	require.NotEmpty(t, list.NextToken)

	var desc ecs.DescribeTasksResponse
	c.call("DescribeTasks", ecs.DescribeTasksRequest{Tasks: []string{run.Tasks[0].TaskARN}}, &desc)
	require.Equal(t, ecs.TaskStatusProvisioning, desc.Tasks[0].LastStatus)

	var stop ecs.StopTaskResponse
	c.call("StopTask", ecs.StopTaskRequest{Task: run.Tasks[0].TaskARN, Reason: "done"}, &stop)
	require.Equal(t, "done", stop.Task.StoppedReason)

	require.Equal(t, "InvalidParameterException", c.fail("StopTask", ecs.StopTaskRequest{Task: "0123456789abcdef0123456789abcdef"}).Type)
	require.Equal(t, "InvalidParameterException", c.fail("RunTask", ecs.RunTaskRequest{TaskDefinition: "web", Count: ptr(0)}).Type)
}
