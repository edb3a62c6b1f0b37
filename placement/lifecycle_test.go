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
