package placement_test

import (
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

func binding(container, host int, proto ecs.TransportProtocol) ecs.NetworkBinding {
	return ecs.NetworkBinding{BindIP: "0.0.0.0", ContainerPort: &container, HostPort: &host, Protocol: proto}
}

// runningTask is a task of td on instance id holding the host ports.
func runningTask(arn, id string, td *ecs.TaskDefinition, group string, bindings ...ecs.NetworkBinding) ecs.Task {
	return ecs.Task{
		TaskARN: arn, ContainerInstanceARN: ciARN(id), TaskDefinitionARN: td.TaskDefinitionARN,
		Group: group, LastStatus: "RUNNING", DesiredStatus: "RUNNING", CPU: "512", Memory: "1024",
		Containers: []ecs.Container{{Name: "app", NetworkBindings: bindings}},
	}
}

// Item 1: remainingResources is authoritative for CPU, memory and ports;
// loaded tasks count for groups and dynamic ports, not for CPU and memory
// a second time.
func TestSnapshotRemainingIsAuthoritative(t *testing.T) {
	td := taskDef("web", 512, 1024, 80, 0)
	in := newInstance("a").free(1536, 3072).ports(22, 2375, 2376, 51678, 51679, 80)
	task := runningTask("t1", "a", td, "service:web", binding(8000, 80, "tcp"), binding(8001, 49153, "tcp"))
	for _, known := range []bool{true, false} {
		opts := &placement.SnapshotOptions{}
		if known {
			opts.TaskDefinition = func(arn string) *ecs.TaskDefinition { return td }
		}
		snap, err := placement.NewSnapshot(cluster(in), []ecs.Task{task}, func(o *placement.SnapshotOptions) { *o = *opts })
		require.NoError(t, err)
		e := placement.NewEngine(snap)
		st, ok := e.Instance(ciARN("a"))
		require.True(t, ok)
		require.Equal(t, 1536, st.CPU)
		require.Equal(t, 3072, st.MemoryMiB)
		require.Equal(t, []int{22, 80, 2375, 2376, 49153, 51678, 51679}, st.PortsTCP)
		require.Equal(t, map[string]int{"service:web": 1}, st.Groups)
		// The next dynamic port follows the one in use.
		res, err := e.Place(&placement.Request{TaskDefinition: taskDef("api", 128, 128, 0)})
		require.NoError(t, err)
		require.Equal(t, 49154, *res.Placements[0].Containers[0].NetworkBindings[0].HostPort)
		// The static port 80 is taken.
		res, err = e.Place(&placement.Request{TaskDefinition: taskDef("api", 128, 128, 80)})
		require.NoError(t, err)
		require.Equal(t, "RESOURCE:PORTS", res.Explanation.Closest.Reason)
	}
}

// Item 1: without remainingResources, what remains is registered less
// the loaded tasks.
func TestSnapshotWithoutRemaining(t *testing.T) {
	td := taskDef("web", 512, 1024, 0)
	in := newInstance("a")
	in.RemainingResources = nil
	tasks := []ecs.Task{
		runningTask("t1", "a", td, "service:web", binding(8000, 49153, "tcp")),
		runningTask("t2", "a", td, "service:web", binding(8000, 49154, "tcp")),
		{TaskARN: "t3", ContainerInstanceARN: ciARN("a"), LastStatus: "STOPPED", CPU: "1024", Memory: "1024", Group: "service:web"},
		{TaskARN: "t4", ContainerInstanceARN: ciARN("a"), LastStatus: "RUNNING", DesiredStatus: "STOPPED", CPU: "256", Memory: "256", Group: "service:web"},
		{TaskARN: "t5", ContainerInstanceARN: ciARN("elsewhere"), LastStatus: "RUNNING", CPU: "256", Memory: "256"},
	}
	snap, err := placement.NewSnapshot(cluster(in), tasks, func(o *placement.SnapshotOptions) {
		o.TaskDefinition = func(arn string) *ecs.TaskDefinition {
			if arn == td.TaskDefinitionARN {
				return td
			}
			return nil
		}
	})
	require.NoError(t, err)
	st, _ := placement.NewEngine(snap).Instance(ciARN("a"))
	require.Equal(t, 2048-512-512-256, st.CPU)
	require.Equal(t, 4096-1024-1024-256, st.MemoryMiB)
	require.Equal(t, map[string]int{"service:web": 2}, st.Groups)
}

// A described task whose task-level size is "0" takes nothing at the task
// level: "0" reads as absent, not as an invalid size.
func TestSnapshotTaskSizeZero(t *testing.T) {
	in := newInstance("a")
	in.RemainingResources = nil
	tasks := []ecs.Task{{TaskARN: "t1", ContainerInstanceARN: ciARN("a"), LastStatus: "RUNNING", CPU: "0", Memory: "0", Group: "family:x"}}
	snap, err := placement.NewSnapshot(cluster(in), tasks)
	require.NoError(t, err)
	st, _ := placement.NewEngine(snap).Instance(ciARN("a"))
	require.Equal(t, 2048, st.CPU)
	require.Equal(t, map[string]int{"family:x": 1}, st.Groups)
}

// Item 1: bad input is an error, never a panic.
func TestSnapshotErrors(t *testing.T) {
	_, err := placement.NewSnapshot(cluster(newInstance("a"), newInstance("a")), nil)
	require.ErrorContains(t, err, "listed twice")
	td := taskDef("web", 512, 1024, 80)
	clash := []ecs.Task{
		runningTask("t1", "a", td, "g", binding(8000, 80, "tcp")),
		runningTask("t2", "a", td, "g", binding(8000, 80, "tcp")),
	}
	_, err = placement.NewSnapshot(cluster(newInstance("a")), clash)
	require.ErrorContains(t, err, "task t2")
}

// The describe-container-instances fixture of package ecs builds a
// snapshot whose instances take tasks.
func TestSnapshotFromDescribeOutput(t *testing.T) {
	data, err := os.ReadFile("../ecs/testdata/describe-container-instances-small-cluster.json")
	require.NoError(t, err)
	ins, _, err := ecs.DecodeContainerInstances(data)
	require.NoError(t, err)
	snap, err := placement.NewSnapshot(ins, nil)
	require.NoError(t, err)
	require.Equal(t, 3, snap.Len())
	e := placement.NewEngine(snap)
	got, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 512, 1024, 80), Service: "web", Count: 3})
	// 80 is taken on the first instance; spread over zones puts one in
	// each of the other two, then none fits.
	require.Len(t, got, 2)
	require.Equal(t, 1, res.Unplaced)
	require.Equal(t, "RESOURCE:PORTS", res.Explanation.Closest.Reason)
}

// TestSnapshotSharedLists checks that instances sharing their resource
// and attribute lists and their version, as a capacity planner's
// instances of one type and zone do, place as instances with lists of
// their own and the same content do: each keeps its own resources and
// ports.
func TestSnapshotSharedLists(t *testing.T) {
	ins := cluster(newInstance("a1"), newInstance("a2"), newInstance("a3"),
		newInstance("b1").az("us-east-1b"), newInstance("b2").az("us-east-1b"))
	shared := slices.Clone(ins)
	for i := range shared {
		first := &shared[0]
		if i >= 3 {
			first = &shared[3]
		}
		shared[i].RegisteredResources, shared[i].RemainingResources = first.RegisteredResources, first.RemainingResources
		shared[i].Attributes, shared[i].VersionInfo = first.Attributes, first.VersionInfo
	}
	req := &placement.Request{TaskDefinition: taskDef("web", 512, 1024, 0, 8080), Count: 12,
		Strategy: []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeSpread, Field: "instanceId"}}}
	want, err := engine(t, ins, nil, false).Place(req)
	require.NoError(t, err)
	e := engine(t, shared, nil, false)
	got, err := e.Place(req)
	require.NoError(t, err)
	require.NotEmpty(t, want.Placements)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shared lists place otherwise (-own +shared):\n%s", diff)
	}
	require.NoError(t, placement.CheckIndexes(e))
}
