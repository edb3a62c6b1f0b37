package placement_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// Item 5: all-or-nothing leaves the engine as it was when a task does not
// fit; per-task placement keeps the tasks that fit.
func TestAllOrNothing(t *testing.T) {
	ins := cluster(newInstance("a").free(2048, 1024), newInstance("b").free(2048, 1024))
	for _, aon := range []bool{true, false} {
		e := engine(t, ins, nil, false)
		before := states(e)
		got, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 128, 512, 0), Count: 5, AllOrNothing: aon})
		require.Equal(t, "RESOURCE:MEMORY", res.Explanation.Closest.Reason)
		require.NoError(t, placement.CheckIndexes(e))
		if aon {
			require.Empty(t, got)
			require.Equal(t, 5, res.Unplaced)
			require.Equal(t, before, states(e))
			// The next request sees the same ports as if nothing ran.
			_, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 128, 512, 0)})
			require.Equal(t, 49153, *res.Placements[0].Containers[0].NetworkBindings[0].HostPort)
			continue
		}
		require.Len(t, got, 4)
		require.Equal(t, 1, res.Unplaced)
		require.Equal(t, 4, res.Explanation.Task)
	}
}

// Item 4: RunTask overrides change what a task takes.
func TestOverrides(t *testing.T) {
	e := engine(t, cluster(newInstance("a").free(2048, 1024)), nil, false)
	mem := 2048
	_, res := place(t, e, &placement.Request{
		TaskDefinition: taskDef("web", 128, 512),
		Overrides:      &ecs.TaskOverride{ContainerOverrides: []ecs.ContainerOverride{{Name: "app", Memory: &mem}}},
	})
	require.Equal(t, "RESOURCE:MEMORY", res.Explanation.Closest.Reason)
	_, res = place(t, e, &placement.Request{TaskDefinition: taskDef("web", 128, 512), Overrides: &ecs.TaskOverride{CPU: "4096"}})
	require.Equal(t, "RESOURCE:CPU", res.Explanation.Closest.Reason)
	got, _ := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 128, 4096), Overrides: &ecs.TaskOverride{Memory: "1024"}})
	require.Equal(t, []string{"a"}, got)
}

// Item 5: stopping a task frees what it took.
func TestStop(t *testing.T) {
	e := engine(t, cluster(newInstance("a")), nil, false)
	_, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 512, 1024, 80)})
	st, _ := e.Instance(ciARN("a"))
	require.Equal(t, 1536, st.CPU)
	require.NoError(t, e.Stop(res.Placements[0].Task))
	st, _ = e.Instance(ciARN("a"))
	require.Equal(t, 2048, st.CPU)
	require.Equal(t, 4096, st.MemoryMiB)
	require.NotContains(t, st.PortsTCP, 80)
	require.Empty(t, st.Groups)
	require.ErrorIs(t, e.Stop(res.Placements[0].Task), placement.ErrNoTask)
	require.NoError(t, placement.CheckIndexes(e))
}

// Rules 90 and 92: scale-in keeps the zones balanced and stops tasks on
// the instance with the most tasks of the service; binpack stops the task
// whose instance is left with the most free.
func TestScaleIn(t *testing.T) {
	ins := cluster(
		newInstance("a1").az("us-east-1a"), newInstance("a2").az("us-east-1a"),
		newInstance("b1").az("us-east-1b"),
	)
	e := engine(t, ins, nil, false)
	got, _ := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 256, 512), Service: "web", Count: 6})
	require.Equal(t, []string{"a1", "b1", "a2", "b1", "a1", "b1"}, got)
	stopped, err := e.ScaleIn(placement.ScaleInRequest{Service: "web", Count: 3})
	require.NoError(t, err)
	var ids []string
	for _, ts := range stopped {
		ids = append(ids, ts.InstanceID)
	}
	// b has 3, a has 3 (a1: 2, a2: 1): tie goes to the instance with the
	// most (b1 has 3), then zones alternate.
	require.Equal(t, []string{"b1", "a1", "b1"}, ids)

	e = engine(t, cluster(newInstance("x").free(2048, 1024), newInstance("y").free(2048, 4096)), nil, false)
	place(t, e, &placement.Request{TaskDefinition: taskDef("web", 128, 512), Count: 2, Strategy: []ecs.PlacementStrategy{spread("instanceId")}})
	stopped, err = e.ScaleIn(placement.ScaleInRequest{Group: "family:web", Count: 1, Strategy: []ecs.PlacementStrategy{binpack("memory")}})
	require.NoError(t, err)
	require.Equal(t, "y", stopped[0].InstanceID)
}

// Rule 103: a daemon runs one task on each candidate instance.
func TestPlaceDaemon(t *testing.T) {
	ins := cluster(newInstance("a"), newInstance("b").free(100, 100), newInstance("c").status("DRAINING"), newInstance("d"))
	e := engine(t, ins, nil, false)
	req := &placement.Request{TaskDefinition: taskDef("agent", 128, 128), Service: "daemon"}
	res, err := e.PlaceDaemon(req)
	require.NoError(t, err)
	var got []string
	for _, p := range res.Placements {
		got = append(got, p.InstanceID)
	}
	require.Equal(t, []string{"a", "d"}, got)
	require.Equal(t, 1, res.Unplaced)
	require.Equal(t, "b", res.Explanation.Closest.InstanceID)
	res, err = e.PlaceDaemon(req)
	require.NoError(t, err)
	require.Empty(t, res.Placements)
}

// Item 7: concurrent requests on one engine never over-commit an
// instance: each sees the others' tasks.
func TestConcurrentPlacements(t *testing.T) {
	e := engine(t, cluster(newInstance("a").free(2048, 4096), newInstance("b").free(2048, 4096)), nil, false)
	var wg sync.WaitGroup
	placed := make([]int, 8)
	for g := range placed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.Place(&placement.Request{TaskDefinition: taskDef("web", 128, 512, 0), Count: 3, Seed: uint64(g)})
			if err == nil {
				placed[g] = len(res.Placements)
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, n := range placed {
		total += n
	}
	require.Equal(t, 16, total)
	for st := range e.Instances() {
		require.Zero(t, st.MemoryMiB)
	}
	require.NoError(t, placement.CheckIndexes(e))
}

// TestStopFreesSlot checks that a stopped task's place goes to a later
// task under a new id: the old id is unknown from then on, the engine's
// tasks stay in the order it learned of them, and a cluster whose tasks
// come and go keeps as many places as it ever ran tasks at once.
func TestStopFreesSlot(t *testing.T) {
	e := engine(t, cluster(newInstance("a"), newInstance("b")), nil, false)
	var b placement.Batch
	req := &placement.Request{TaskDefinition: taskDef("web", 128, 256, 0), Count: 3, TaskARNs: []string{"t1", "t2", "t3"}}
	require.NoError(t, e.PlaceInto(&b, req))
	old := b.Task(1)
	require.NoError(t, e.Stop(old))
	req = &placement.Request{TaskDefinition: taskDef("web", 128, 256, 0), TaskARNs: []string{"t4"}}
	require.NoError(t, e.PlaceInto(&b, req))
	reused := b.Task(0)
	require.NotEqual(t, old, reused)
	require.ErrorIs(t, e.Stop(old), placement.ErrNoTask)
	require.ErrorIs(t, e.Hold(old), placement.ErrNoTask)
	require.Equal(t, 3, placement.Slots(e))
	var arns []string
	for _, ts := range e.Tasks() {
		arns = append(arns, ts.TaskARN)
	}
	require.Equal(t, []string{"t1", "t3", "t4"}, arns, "in the order learned")
	require.NoError(t, e.Hold(reused))
	require.NoError(t, e.Stop(reused))

	// Churn: tasks placed and stopped keep the slots of the most at once.
	for range 50 {
		require.NoError(t, e.PlaceInto(&b, &placement.Request{TaskDefinition: taskDef("web", 128, 256, 0, 0), Count: 10}))
		for k := range b.Len() {
			require.NoError(t, e.Stop(b.Task(k)))
		}
	}
	require.Equal(t, 12, placement.Slots(e))
	require.NoError(t, placement.CheckIndexes(e))
}

// TestAllOrNothingReusedSlots checks that an all-or-nothing request that
// failed after taking stopped tasks' slots leaves the engine as it was:
// the next tasks get the ids and ports they would have got.
func TestAllOrNothingReusedSlots(t *testing.T) {
	ins := cluster(newInstance("a").free(1024, 2048), newInstance("b").free(1024, 2048))
	build := func() *placement.Engine {
		e := engine(t, ins, nil, false)
		var b placement.Batch
		require.NoError(t, e.PlaceInto(&b, &placement.Request{TaskDefinition: taskDef("web", 128, 256, 0), Count: 6}))
		for _, k := range []int{4, 1, 2} {
			require.NoError(t, e.Stop(b.Task(k)))
		}
		return e
	}
	failed, clean := build(), build()
	before := states(failed)
	var b placement.Batch
	require.NoError(t, failed.PlaceInto(&b, &placement.Request{TaskDefinition: taskDef("big", 512, 1024, 0, 0), Count: 5, AllOrNothing: true}))
	require.Zero(t, b.Len())
	require.Equal(t, 5, b.Unplaced)
	require.Equal(t, before, states(failed))
	require.Equal(t, clean.Tasks(), failed.Tasks())
	next := &placement.Request{TaskDefinition: taskDef("web", 128, 256, 0), Count: 4}
	want, err := clean.Place(next)
	require.NoError(t, err)
	got, err := failed.Place(next)
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.NoError(t, placement.CheckIndexes(failed))
}
