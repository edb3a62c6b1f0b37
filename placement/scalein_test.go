package placement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// scaleInEngine places tasks of service web, one per entry of ids, each
// on the instance named and taking mem[k] MiB (512 when mem is short),
// and returns the engine and the tasks' ARNs.
func scaleInEngine(t *testing.T, ins []ecs.ContainerInstance, ids []string, mem []int) (*placement.Engine, []string) {
	t.Helper()
	e := engine(t, ins, nil, false)
	var arns []string
	for k, id := range ids {
		arn := "task-" + id + "-" + string(rune('0'+k))
		m := 512
		if k < len(mem) {
			m = mem[k]
		}
		_, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 256, m), Service: "web",
			Instances: []string{ciARN(id)}, TaskARNs: []string{arn}})
		require.Zero(t, res.Unplaced)
		arns = append(arns, arn)
	}
	return e, arns
}

// Rules 90 and 92: the stop rules, restricted to some tasks of the group,
// and with the chosen tasks held until they stop.
func TestScaleInTasks(t *testing.T) {
	zones := cluster(
		newInstance("a1").az("us-east-1a"), newInstance("a2").az("us-east-1a"),
		newInstance("b1").az("us-east-1b"), newInstance("c1").az("us-east-1c"),
	)
	tests := []struct {
		name     string
		ins      []ecs.ContainerInstance
		on       []string // instance of each task
		mem      []int    // MiB each task takes; 512 when short
		tasks    []int    // candidates, by index in on; nil for all
		count    int
		strategy []ecs.PlacementStrategy
		keep     bool
		want     []string // instances of the tasks chosen, in order
	}{
		{"rule 92: the zone with the most, then the instance with the most",
			zones, []string{"a1", "a1", "a2", "b1", "b1", "c1"}, nil, nil, 2, nil, false, []string{"a1", "b1"}},
		{"rule 92: only the candidates are chosen, all tasks count",
			zones, []string{"a1", "a1", "a2", "b1", "b1", "c1"}, nil, []int{2, 3, 5}, 2, nil, false, []string{"a2", "b1"}},
		{"rule 92: a held task no longer counts for its zone; ties go to the newest",
			zones, []string{"a1", "a1", "a2", "b1", "b1", "c1"}, nil, nil, 3, nil, true, []string{"a1", "b1", "a2"}},
		{"rule 90: spread keeps the field balanced",
			zones, []string{"a1", "a2", "b1", "b1", "b1", "c1"}, nil, []int{0, 1, 2, 5}, 2,
			[]ecs.PlacementStrategy{spread(azField)}, false, []string{"b1", "a2"}},
		{"rule 90: binpack stops where the most will be left",
			cluster(newInstance("x").free(1024, 1024), newInstance("y").free(1024, 2048)),
			[]string{"x", "x", "y"}, nil, nil, 2, []ecs.PlacementStrategy{binpack("memory")}, false, []string{"y", "x"}},
		// x is left with 0 MiB, y with 400: stopping x's 1024 MiB task
		// leaves x the most; then x's 256 MiB task leaves x 1280 MiB
		// counting the held task, y 912.
		{"rule 90: binpack counts what held tasks will give back",
			cluster(newInstance("x").free(2048, 1280), newInstance("y").free(2048, 912)),
			[]string{"x", "x", "y"}, []int{1024, 256, 512}, nil, 2, []ecs.PlacementStrategy{binpack("memory")}, true, []string{"x", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, arns := scaleInEngine(t, tt.ins, tt.on, tt.mem)
			req := placement.ScaleInRequest{Service: "web", Count: tt.count, Strategy: tt.strategy, KeepResources: tt.keep}
			for _, k := range tt.tasks {
				req.Tasks = append(req.Tasks, arns[k])
			}
			got, err := e.ScaleIn(req)
			require.NoError(t, err)
			var ids []string
			for _, ts := range got {
				ids = append(ids, ts.InstanceID)
			}
			require.Equal(t, tt.want, ids)
			require.NoError(t, placement.CheckIndexes(e))
		})
	}
}

// A task ScaleIn holds leaves its group at once and keeps what it took
// until Stop: later placements balance without it (rule 89) but cannot
// use its room.
func TestScaleInKeepResources(t *testing.T) {
	e, arns := scaleInEngine(t, cluster(newInstance("a").free(512, 4096), newInstance("b").free(512, 4096)), []string{"a", "b"}, nil)
	got, err := e.ScaleIn(placement.ScaleInRequest{Service: "web", Count: 1, Tasks: arns[:1], KeepResources: true})
	require.NoError(t, err)
	require.Equal(t, arns[0], got[0].TaskARN)
	st, _ := e.Instance(ciARN("a"))
	require.Equal(t, 256, st.CPU, "the held task keeps its CPU")
	require.Empty(t, st.Groups, "and leaves its group")
	require.Equal(t, 1, st.RunningTasks)
	_, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 512, 512), Service: "web"})
	require.Equal(t, "RESOURCE:CPU", res.Explanation.Closest.Reason)
	require.NoError(t, e.Stop(got[0].Task))
	ids, _ := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 512, 512), Service: "web"})
	require.Equal(t, []string{"a"}, ids)
	require.NoError(t, placement.CheckIndexes(e))
}
