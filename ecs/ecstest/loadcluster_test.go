package ecstest

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// The small cluster of ../testdata: a (0b2c…, m5.large in us-east-1a)
// runs one task taking 512 CPU units, 512 MiB and port 80; b (1c3d…) runs
// nothing; c (2d4e…, c5.xlarge) runs two taking 1024 CPU units and 1024
// MiB together, one of them port 8080. testdata/describe-tasks-small-cluster.json
// describes those three tasks, a Fargate task and a STOPPED one.
const (
	smallA = "0b2c6c3a4d5e4f60a1b2c3d4e5f60718"
	smallB = "1c3d7d4b5e6f5071b2c3d4e5f6071829"
	smallC = "2d4e8e5c6f706182c3d4e5f607182930"

	taskWeb    = "5a1f0c2e9b7d4e3a8c6f1b2d3e4f5a60" // on a, service:web, port 80
	taskAPI    = "6b2a1d3f0c8e5f4b9d7a2c3e4f5a6b71" // on c, service:api, port 8080
	taskWorker = "7c3b2e4a1d9f6a5c0e8b3d4f5a6b7c82" // on c, family:worker, container-level sizes, a dynamic port
)

func smallCluster(t *testing.T) ([]ecs.ContainerInstance, []ecs.Task) {
	t.Helper()
	data, err := os.ReadFile("../testdata/describe-container-instances-small-cluster.json")
	require.NoError(t, err)
	list, _, err := ecs.DecodeContainerInstances(data)
	require.NoError(t, err)
	data, err = os.ReadFile("testdata/describe-tasks-small-cluster.json")
	require.NoError(t, err)
	tasks, _, err := ecs.DecodeTasks(data)
	require.NoError(t, err)
	return list, tasks
}

// ciOf returns the ARN in e's default cluster of the container instance id.
func ciOf(e *ECS, id string) string { return e.arns.containerInstance("default", id) }

// requireRemainingAsLoaded requires each loaded instance to describe the
// remaining resources of the output it was loaded from, ports as sets.
func requireRemainingAsLoaded(t *testing.T, e *ECS, list []ecs.ContainerInstance) {
	t.Helper()
	for _, ci := range list {
		want, err := ecs.ParseResources(ci.RemainingResources)
		require.NoError(t, err)
		got := remainingOf(t, e, ciOf(e, lastPart(ci.ContainerInstanceARN)))
		require.Equal(t, want.CPU, got.CPU, ci.ContainerInstanceARN)
		require.Equal(t, want.MemoryMiB, got.MemoryMiB, ci.ContainerInstanceARN)
		require.ElementsMatch(t, want.PortsTCP, got.PortsTCP, ci.ContainerInstanceARN)
		require.ElementsMatch(t, want.PortsUDP, got.PortsUDP, ci.ContainerInstanceARN)
	}
}

// Without the tasks, what remainingResources says is taken stays taken:
// the loaded cluster is as busy as described.
func TestLoadContainerInstancesRemaining(t *testing.T) {
	ctx := context.Background()
	list, _ := smallCluster(t)
	e := newTestECS(t)
	loaded, err := e.LoadContainerInstances(ctx, "", list)
	require.NoError(t, err)
	for i, ci := range loaded {
		require.Equal(t, list[i].RemainingResources[0], ci.RemainingResources[0], "CPU as described")
		require.Equal(t, list[i].RemainingResources[1], ci.RemainingResources[1], "MEMORY as described")
		require.Zero(t, ci.RunningTasksCount, "no task is loaded")
	}
	requireRemainingAsLoaded(t, e, list)

	// Port 80 is taken on a: two tasks of a port-80 task definition go to b
	// and c, and the third finds a taken.
	taskDef(t, e, "web80", 256, 256, 80)
	resp := mustRunTask(t, e, "web80", 3)
	require.Len(t, resp.Tasks, 2)
	on := []string{resp.Tasks[0].ContainerInstanceARN, resp.Tasks[1].ContainerInstanceARN}
	require.ElementsMatch(t, []string{ciOf(e, smallB), ciOf(e, smallC)}, on)
	require.Contains(t, reasons(resp.Failures), ciOf(e, smallA)+" RESOURCE:PORTS")

	// a has 1536 CPU units left, not 1700.
	taskDef(t, e, "big", 1700, 256)
	resp = mustRunTask(t, e, "big", 3)
	require.Len(t, resp.Tasks, 2)
	require.Contains(t, reasons(resp.Failures), ciOf(e, smallA)+" RESOURCE:CPU")

	// What is held is never released: stopping every task leaves the
	// instances as loaded.
	for _, tk := range taskARNs(t, e, taskFilter{}) {
		_, err := e.stopTaskRef(ctx, "", tk, "")
		require.NoError(t, err)
	}
	advance(e, time.Minute)
	requireRemainingAsLoaded(t, e, list)
}

// reasons returns each failure as its ARN and reason.
func reasons(failures []ecs.Failure) []string {
	out := []string{}
	for _, f := range failures {
		out = append(out, f.ARN+" "+f.Reason)
	}
	return out
}

func taskARNs(t *testing.T, e *ECS, f taskFilter) []string {
	t.Helper()
	arns, err := e.listTasks(context.Background(), "", f)
	require.NoError(t, err)
	return arns
}

// With the tasks, the instances are as described and the tasks run on
// them, holding what they take, counted for their groups, until they stop.
func TestLoadClusterWithTasks(t *testing.T) {
	ctx := context.Background()
	list, tasks := smallCluster(t)
	e := newTestECS(t)
	instances, loaded, err := e.LoadCluster(ctx, "", list, tasks)
	require.NoError(t, err)
	require.Len(t, instances, 3)
	require.Equal(t, []int{1, 0, 2}, []int{instances[0].RunningTasksCount, instances[1].RunningTasksCount, instances[2].RunningTasksCount},
		"runningTasksCount as described")
	requireRemainingAsLoaded(t, e, list)

	ids := []string{}
	for _, tk := range loaded {
		ids = append(ids, lastPart(tk.TaskARN))
	}
	require.ElementsMatch(t, []string{taskWeb, taskAPI, taskWorker}, ids, "the Fargate and STOPPED tasks are skipped")
	require.ElementsMatch(t, []string{e.arns.task("default", taskWeb), e.arns.task("default", taskAPI), e.arns.task("default", taskWorker)},
		taskARNs(t, e, taskFilter{}))
	require.Equal(t, []string{e.arns.task("default", taskWorker)}, taskARNs(t, e, taskFilter{Family: "worker"}))
	require.Equal(t, []string{e.arns.task("default", taskAPI)}, taskARNs(t, e, taskFilter{ContainerInstance: smallC, Family: "api"}))

	web := describeTask(t, e, e.arns.task("default", taskWeb))
	require.Equal(t, ciOf(e, smallA), web.ContainerInstanceARN)
	require.Equal(t, "service:web", web.Group)
	require.Equal(t, ecs.TaskStatusRunning, web.LastStatus)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", web.TaskDefinitionARN)
	require.Equal(t, 80, *web.Containers[0].NetworkBindings[0].HostPort)
	require.Equal(t, web.TaskARN, web.Containers[0].TaskARN)
	worker := describeTask(t, e, e.arns.task("default", taskWorker))
	require.Equal(t, "512", worker.CPU, "the containers' CPU units")
	require.Equal(t, "512", worker.Memory, "the containers' reservation and memory")

	// The tasks count for their groups.
	got, err := e.listContainerInstances(ctx, "", "", "task:group == service:web")
	require.NoError(t, err)
	require.Equal(t, []string{ciOf(e, smallA)}, got)
	got, err = e.listContainerInstances(ctx, "", "", "runningTasksCount == 2")
	require.NoError(t, err)
	require.Equal(t, []string{ciOf(e, smallC)}, got)
	taskDef(t, e, "web", 128, 128)
	resp, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "web", Count: ptr(2), Group: "service:web",
		PlacementConstraints: []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeDistinctInstance}}})
	require.NoError(t, err)
	require.Len(t, resp.Tasks, 2)
	for _, tk := range resp.Tasks {
		require.NotEqual(t, ciOf(e, smallA), tk.ContainerInstanceARN, "a runs service:web already")
	}

	// Port 8080 is the api task's on c.
	taskDef(t, e, "other8080", 128, 128, 8080)
	started, err := e.StartTask(ctx, &ecs.StartTaskRequest{TaskDefinition: "other8080", ContainerInstances: []string{smallC}})
	require.NoError(t, err)
	require.Equal(t, []string{ciOf(e, smallC) + " RESOURCE:PORTS"}, reasons(started.Failures))

	// Stopping the web task frees what it took on a, port 80 included.
	_, err = e.stopTaskRef(ctx, "", taskWeb, "")
	require.NoError(t, err)
	advance(e, time.Minute)
	require.Equal(t, ecs.TaskStatusStopped, describeTask(t, e, e.arns.task("default", taskWeb)).LastStatus)
	a := remainingOf(t, e, ciOf(e, smallA))
	require.Equal(t, 2048, a.CPU)
	require.Equal(t, 7680, a.MemoryMiB)
	require.NotContains(t, a.PortsTCP, 80)
	taskDef(t, e, "web80", 256, 256, 80)
	started, err = e.StartTask(ctx, &ecs.StartTaskRequest{TaskDefinition: "web80", ContainerInstances: []string{smallA}})
	require.NoError(t, err)
	require.Len(t, started.Tasks, 1, "%+v", started.Failures)
	require.Equal(t, 80, *started.Tasks[0].Containers[0].NetworkBindings[0].HostPort)

	// A second load of the same tasks is refused.
	_, _, err = e.LoadCluster(ctx, "", nil, tasks)
	require.NoError(t, err, "tasks on no loaded instance are skipped")
	_, _, err = e.LoadCluster(ctx, "", list, tasks)
	requireAPIError(t, err, "InvalidParameterException")
}

// A loaded task goes on with its lifecycle on the virtual clock.
func TestLoadClusterLifecycle(t *testing.T) {
	ctx := context.Background()
	list, tasks := smallCluster(t)
	e := newTestECS(t)
	byID := map[string]*ecs.Task{}
	for i := range tasks {
		byID[lastPart(tasks[i].TaskARN)] = &tasks[i]
	}
	byID[taskWeb].LastStatus = "PENDING"
	byID[taskAPI].DesiredStatus = "STOPPED"
	byID[taskWorker].LastStatus, byID[taskWorker].DesiredStatus = "STOPPING", "RUNNING"
	_, loaded, err := e.LoadCluster(ctx, "", list, tasks)
	require.NoError(t, err)
	status := map[string]string{}
	for _, tk := range loaded {
		status[lastPart(tk.TaskARN)] = string(tk.LastStatus) + "/" + string(tk.DesiredStatus)
	}
	require.Equal(t, map[string]string{
		taskWeb:    "PENDING/RUNNING",
		taskAPI:    "DEACTIVATING/STOPPED",
		taskWorker: "STOPPING/STOPPED",
	}, status)
	require.Equal(t, 1, describeInstance(t, e, smallA).PendingTasksCount)

	advance(e, time.Minute)
	require.Equal(t, ecs.TaskStatusRunning, describeTask(t, e, taskWeb).LastStatus)
	require.Equal(t, ecs.TaskStatusStopped, describeTask(t, e, taskAPI).LastStatus)
	require.Equal(t, ecs.TaskStatusStopped, describeTask(t, e, taskWorker).LastStatus)
	c := remainingOf(t, e, ciOf(e, smallC))
	require.Equal(t, 4096, c.CPU, "the stopped tasks released c")
	require.NotContains(t, c.PortsTCP, 8080)
	require.Equal(t, 1, describeInstance(t, e, smallA).RunningTasksCount)
}

func describeInstance(t *testing.T, e *ECS, id string) ecs.ContainerInstance {
	t.Helper()
	list, _, err := e.describeContainerInstances(context.Background(), "", []string{id})
	require.NoError(t, err)
	return list[0]
}

// remainingResources stands for GPUs and UDP ports too, and when the tasks
// take more than it says is taken.
func TestLoadClusterHeldResources(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	const id = "0123456789abcdef0123456789abcdef"
	ci := ecs.ContainerInstance{
		ContainerInstanceARN: "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/" + id,
		Status:               "ACTIVE",
		Attributes:           []ecs.Attribute{{Name: ecs.AttrInstanceType, Value: "g4dn.12xlarge"}, {Name: ecs.AttrAvailabilityZone, Value: "us-east-1a"}},
		RegisteredResources: []ecs.Resource{
			{Name: "CPU", Type: "INTEGER", IntegerValue: 4096},
			{Name: "MEMORY", Type: "INTEGER", IntegerValue: 8192},
			{Name: "PORTS", Type: "STRINGSET", StringSetValue: []string{"22"}},
			{Name: "PORTS_UDP", Type: "STRINGSET", StringSetValue: []string{}},
			{Name: "GPU", Type: "STRINGSET", StringSetValue: []string{"g0", "g1", "g2", "g3"}},
		},
		RemainingResources: []ecs.Resource{
			{Name: "CPU", Type: "INTEGER", IntegerValue: 4096}, // the task's 1024 units are not counted
			{Name: "MEMORY", Type: "INTEGER", IntegerValue: 6144},
			{Name: "PORTS", Type: "STRINGSET", StringSetValue: []string{"22", "443"}},
			{Name: "PORTS_UDP", Type: "STRINGSET", StringSetValue: []string{"53", "514"}},
			{Name: "GPU", Type: "STRINGSET", StringSetValue: []string{"g2", "g3"}},
		},
	}
	tk := ecs.Task{
		TaskARN: "arn:aws:ecs:us-east-1:123456789012:task/prod/fedcba9876543210fedcba9876543210", ContainerInstanceARN: ci.ContainerInstanceARN,
		TaskDefinitionARN: "arn:aws:ecs:us-east-1:123456789012:task-definition/dns:1", LastStatus: "RUNNING", DesiredStatus: "RUNNING",
		CPU: "1024", Memory: "1024", Group: "family:dns",
		Containers: []ecs.Container{{Name: "dns", GPUIDs: []string{"g0"}, NetworkBindings: []ecs.NetworkBinding{
			{ContainerPort: ptr(53), HostPort: ptr(53), Protocol: ecs.TransportProtocolUDP},
		}}},
	}
	_, _, err := e.LoadCluster(ctx, "", []ecs.ContainerInstance{ci}, []ecs.Task{tk})
	require.NoError(t, err)
	got := describeInstance(t, e, id)
	rem, err := ecs.ParseResources(got.RemainingResources)
	require.NoError(t, err)
	require.Equal(t, 4096, rem.CPU, "as described, though the task takes 1024")
	require.Equal(t, 6144, rem.MemoryMiB)
	require.ElementsMatch(t, []int{22, 443}, rem.PortsTCP)
	require.ElementsMatch(t, []int{53, 514}, rem.PortsUDP)
	require.Equal(t, []string{"g2", "g3"}, stringSet(got.RemainingResources, "GPU"), "g0 is the task's, g1 is held")

	_, err = e.stopTaskRef(ctx, "", "fedcba9876543210fedcba9876543210", "")
	require.NoError(t, err)
	advance(e, time.Minute)
	got = describeInstance(t, e, id)
	rem, err = ecs.ParseResources(got.RemainingResources)
	require.NoError(t, err)
	require.Equal(t, 4096, rem.CPU, "never more than registered")
	require.Equal(t, 7168, rem.MemoryMiB, "the task's 1024 MiB are back")
	require.Equal(t, []int{514}, rem.PortsUDP, "53 was the task's, 514 is held")
	require.Equal(t, []string{"g0", "g2", "g3"}, stringSet(got.RemainingResources, "GPU"))
}

// A load that cannot be made changes nothing.
func TestLoadClusterErrors(t *testing.T) {
	ctx := context.Background()
	for name, change := range map[string]func(list []ecs.ContainerInstance, tasks []ecs.Task){
		"task ID twice": func(_ []ecs.ContainerInstance, tasks []ecs.Task) {
			tasks[1].TaskARN = tasks[0].TaskARN
		},
		"a static port twice": func(_ []ecs.ContainerInstance, tasks []ecs.Task) {
			tasks[2].Containers[0].NetworkBindings[0].HostPort = ptr(8080)
		},
		"an unregistered GPU": func(_ []ecs.ContainerInstance, tasks []ecs.Task) {
			tasks[0].Containers[0].GPUIDs = []string{"gpu-7"}
		},
		"a bad lastStatus": func(_ []ecs.ContainerInstance, tasks []ecs.Task) {
			tasks[0].LastStatus = "NAPPING"
		},
		"a bad cpu": func(_ []ecs.ContainerInstance, tasks []ecs.Task) {
			tasks[0].CPU = "lots"
		},
		"a bad remainingResources": func(list []ecs.ContainerInstance, _ []ecs.Task) {
			list[1].RemainingResources = append(list[1].RemainingResources, ecs.Resource{Name: "PORTS", Type: "STRINGSET", StringSetValue: []string{"http"}})
		},
	} {
		t.Run(name, func(t *testing.T) {
			list, tasks := smallCluster(t)
			change(list, tasks)
			e := newTestECS(t)
			_, _, err := e.LoadCluster(ctx, "", list, tasks)
			requireAPIError(t, err, "InvalidParameterException")
			arns, err := e.listContainerInstances(ctx, "", "", "")
			require.NoError(t, err)
			require.Empty(t, arns)
			require.Empty(t, taskARNs(t, e, taskFilter{}))
		})
	}
}

// Loaded tasks keep the service scheduler's and the placement engine's
// view consistent: a service placed on a loaded cluster spreads around
// the loaded tasks and never over-commits an instance.
func TestLoadClusterThenService(t *testing.T) {
	ctx := context.Background()
	list, tasks := smallCluster(t)
	e := newTestECS(t)
	_, _, err := e.LoadCluster(ctx, "", list, tasks)
	require.NoError(t, err)
	taskDef(t, e, "app", 512, 2048)
	mustCreateService(t, e, "app", "app", 6)
	advance(e, 5*time.Minute)
	running := taskARNs(t, e, taskFilter{ServiceName: "app"})
	// a: 1536 units, 7168 MiB left: 3 tasks; b: 7680 MiB: 3; c: 3072
	// units, 6656 MiB: 3. Six fit.
	require.Len(t, running, 6)
	for _, id := range []string{smallA, smallB, smallC} {
		rem := remainingOf(t, e, ciOf(e, id))
		require.GreaterOrEqual(t, rem.CPU, 0, id)
		require.GreaterOrEqual(t, rem.MemoryMiB, 0, id)
	}
	require.Equal(t, strconv.Itoa(512), describeTask(t, e, taskAPI).CPU)
	require.True(t, slices.Contains(taskARNs(t, e, taskFilter{}), e.arns.task("default", taskAPI)))
}
