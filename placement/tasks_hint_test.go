package placement_test

import (
	"fmt"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/placement"
)

// TestEngineTasksHint checks that EngineOptions.Tasks sizes the task
// table at the start: requests that place up to that many tasks in all
// allocate less than on an engine without the hint, which grows its
// table. The placements are the same with and without it.
func TestEngineTasksHint(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's allocations blur the count")
	}
	var ins []*instance
	for k := range 50 {
		ins = append(ins, newInstance(fmt.Sprintf("ci%02d", k)).res(4096, 16384).free(4096, 16384).az("us-east-1a"))
	}
	td := taskDef("web", 128, 256)
	req := &placement.Request{TaskDefinition: td, Count: 100, Service: "web",
		Strategy: []ecs.PlacementStrategy{binpack("memory")}}
	// Each run builds its engine and places 800 tasks from the start, so
	// that the table's growth (or its absence) is in every measured run,
	// not only in the warm-up run AllocsPerRun makes first.
	allocs := func(hint int) (float64, []string) {
		snap, err := placement.NewSnapshot(cluster(ins...), nil)
		require.NoError(t, err)
		var e *placement.Engine
		n := testing.AllocsPerRun(3, func() {
			e = placement.NewEngine(snap, func(o *placement.EngineOptions) { o.Tasks = hint })
			var b placement.Batch
			for range 8 {
				require.NoError(t, e.PlaceInto(&b, req))
			}
		})
		var where []string
		for ts := range e.Instances() {
			where = append(where, fmt.Sprint(ts.InstanceID, ts.RunningTasks))
		}
		return n, where
	}
	withHint, placedWith := allocs(2000)
	without, placedWithout := allocs(0)
	require.Less(t, withHint, without, "allocations with the hint and without")
	require.Equal(t, placedWithout, placedWith)
}
