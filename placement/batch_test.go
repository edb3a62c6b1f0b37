package placement_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// batchResult reads a Batch through its accessors into the Result that
// Place reports.
func batchResult(b *placement.Batch) *placement.Result {
	res := &placement.Result{Unplaced: b.Unplaced, Explanation: b.Explanation, Examined: b.Examined}
	for k := range b.Len() {
		res.Placements = append(res.Placements, placement.Placement{
			Task: b.Task(k), TaskARN: b.TaskARN(k), ContainerInstanceARN: b.ContainerInstanceARN(k),
			InstanceID: b.InstanceID(k), EC2InstanceID: b.EC2InstanceID(k), AvailabilityZone: b.AvailabilityZone(k),
			Group: b.Group(), Containers: b.Containers(k), ENIs: b.ENIs(),
		})
	}
	return res
}

// mappings returns the port mappings of a bridge task definition: each
// binds host ports.
func mappings(td *ecs.TaskDefinition) int {
	n := 0
	for _, c := range td.ContainerDefinitions {
		n += len(c.PortMappings)
	}
	return n
}

// TestBatchMatchesPlace places the same requests with Place on one engine
// and PlaceInto, into one reused Batch, on another: every accessor,
// Placement and Result give what Place reports, and the engines stay
// alike.
func TestBatchMatchesPlace(t *testing.T) {
	ranged := taskDef("ranged", 64, 64, 0, 80)
	cp, ranges := 9000, "7000-7009"
	ranged.ContainerDefinitions = append(ranged.ContainerDefinitions, ecs.ContainerDefinition{
		Name: "side", Image: "busybox",
		PortMappings: []ecs.PortMapping{
			{ContainerPort: &cp, Protocol: ecs.TransportProtocolUDP},
			{ContainerPortRange: ranges, Protocol: ecs.TransportProtocolTCP},
		},
	})
	awsvpc := taskDef("vpc", 64, 64)
	awsvpc.NetworkMode = ecs.NetworkModeAwsvpc
	ins := cluster(
		newInstance("a1").az("us-east-1a").attr(ecs.AttrInstanceType, "c5.large"),
		newInstance("a2").az("us-east-1a").free(1024, 2048),
		newInstance("b1").az("us-east-1b"),
		newInstance("c1").az("us-east-1c").free(256, 256),
	)
	tests := []struct {
		name   string
		req    placement.Request
		daemon bool
	}{
		{"spread then binpack, one dynamic port", placement.Request{TaskDefinition: taskDef("web", 128, 256, 0), Service: "web", Count: 9,
			Strategy: []ecs.PlacementStrategy{spread(azField), binpack("memory")}}, false},
		{"task ARNs, fewer than tasks", placement.Request{TaskDefinition: taskDef("web", 128, 256, 0), Service: "web", Count: 4,
			TaskARNs: []string{"t1", "t2"}}, false},
		{"static port, a range and UDP", placement.Request{TaskDefinition: ranged, Count: 3, Strategy: []ecs.PlacementStrategy{binpack("cpu")}}, false},
		{"awsvpc", placement.Request{TaskDefinition: awsvpc, Count: 2, Seed: 7}, false},
		{"none fits", placement.Request{TaskDefinition: taskDef("big", 99999, 64), Count: 2}, false},
		{"all or nothing, too many", placement.Request{TaskDefinition: taskDef("web", 1024, 1024), Count: 40, AllOrNothing: true}, false},
		{"some fit", placement.Request{TaskDefinition: taskDef("mid", 512, 1024), Count: 40, Strategy: []ecs.PlacementStrategy{binpack("memory")}}, false},
		{"daemon", placement.Request{TaskDefinition: taskDef("agent", 16, 16, 0), TaskARNs: []string{"d1", "d2", "d3", "d4"}}, true},
		{"daemon on named instances", placement.Request{TaskDefinition: taskDef("agent2", 16, 16), TaskARNs: []string{"x", "y", "z"},
			Instances: []string{ciARN("b1"), ciARN("nope"), ciARN("a2")}}, true},
	}
	full, compact := engine(t, ins, nil, false), engine(t, ins, nil, false)
	var b placement.Batch
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want *placement.Result
			var err error
			if tt.daemon {
				want, err = full.PlaceDaemon(&tt.req)
				require.NoError(t, err)
				require.NoError(t, compact.PlaceDaemonInto(&b, &tt.req))
			} else {
				want, err = full.Place(&tt.req)
				require.NoError(t, err)
				require.NoError(t, compact.PlaceInto(&b, &tt.req))
			}
			require.Empty(t, cmp.Diff(want, b.Result()), "Result")
			require.Empty(t, cmp.Diff(want, batchResult(&b)), "accessors")
			for k := range b.Len() {
				require.Empty(t, cmp.Diff(want.Placements[k], b.Placement(k)), "Placement(%d)", k)
				require.Len(t, b.HostPorts(k), mappings(tt.req.TaskDefinition))
			}
			require.Empty(t, cmp.Diff(states(full), states(compact)), "engines differ")
		})
	}
	require.NoError(t, placement.CheckIndexes(compact))
}

// TestBatchStopsTasks checks that a Batch's tasks are the engine's: Stop
// gives their room and ports back.
func TestBatchStopsTasks(t *testing.T) {
	e := engine(t, cluster(newInstance("a"), newInstance("b")), nil, false)
	before := states(e)
	var b placement.Batch
	require.NoError(t, e.PlaceInto(&b, &placement.Request{TaskDefinition: taskDef("web", 256, 512, 0, 0), Count: 12}))
	require.Equal(t, 12, b.Len())
	for k := range b.Len() {
		require.NoError(t, e.Stop(b.Task(k)))
	}
	after := states(e)
	for arn, st := range after {
		st.PortsTCP, st.RunningTasks = before[arn].PortsTCP, before[arn].RunningTasks
		require.Equal(t, before[arn], st, "%s", arn)
	}
	require.ErrorIs(t, e.Stop(b.Task(0)), placement.ErrNoTask)
}

// TestPlaceIntoAllocations counts the heap allocations of PlaceInto into
// a reused Batch, placing tasks and stopping them again so that the
// cluster stays as it was: a request for 1,000 tasks makes as many as a
// request for one, whatever the chain, so that placing a task allocates
// nothing; and once the engine has seen the task definition, its group
// and its chain, a request allocates nothing either: the tasks placed
// take the slots the ones stopped freed.
func TestPlaceIntoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	chains := []struct {
		name  string
		chain []ecs.PlacementStrategy
	}{
		{"spreadAZ-binpack", []ecs.PlacementStrategy{spread(azField), binpack("memory")}},
		{"binpack", []ecs.PlacementStrategy{binpack("cpu")}},
		{"spreadInstance", []ecs.PlacementStrategy{spread("instanceId")}},
		{"spreadAZ", []ecs.PlacementStrategy{spread(azField)}},
		{"spreadInstance-binpack", []ecs.PlacementStrategy{spread("instanceId"), binpack("memory")}},
		{"binpack-spreadInstance", []ecs.PlacementStrategy{binpack("memory"), spread("instanceId")}},
		{"serviceDefault", nil},
	}
	ins := benchCluster(600)
	for _, c := range chains {
		t.Run(c.name, func(t *testing.T) {
			e := engine(t, ins, nil, false)
			var b placement.Batch
			perRequest := func(n int) float64 {
				req := placement.Request{TaskDefinition: taskDef("web", 128, 512, 0), Service: "web", Count: n, Strategy: c.chain}
				return testing.AllocsPerRun(20, func() {
					if err := e.PlaceInto(&b, &req); err != nil || b.Unplaced > 0 {
						t.Fatal(err, b.Unplaced)
					}
					for k := range b.Len() {
						if err := e.Stop(b.Task(k)); err != nil {
							t.Fatal(err)
						}
					}
				})
			}
			large, small := perRequest(1000), perRequest(1)
			t.Logf("allocations: %v for 1,000 tasks, %v for one", large, small)
			require.Zero(t, (large-small)/999, "allocations per placement")
			require.Zero(t, small, "allocations per request")
			require.NoError(t, placement.CheckIndexes(e))
		})
	}
}

// TestBatchReuse checks that a Batch reused for requests of different
// sizes and task definitions holds only the last request's placements.
func TestBatchReuse(t *testing.T) {
	e := engine(t, cluster(newInstance("a"), newInstance("b").az("us-east-1b")), nil, false)
	var b placement.Batch
	for k, n := range []int{5, 1, 3, 0} {
		td := taskDef(fmt.Sprint("f", k), 64, 64, make([]int, k)...)
		require.NoError(t, e.PlaceInto(&b, &placement.Request{TaskDefinition: td, Count: n}))
		require.Equal(t, max(n, 1), b.Len())
		for j := range b.Len() {
			require.Len(t, b.HostPorts(j), k)
			require.Equal(t, "family:"+td.Family, b.Group())
		}
	}
	require.Error(t, e.PlaceInto(&b, &placement.Request{}))
	require.Zero(t, b.Len())
}

// TestBatchUnexplained checks that a Batch with Unexplained places what
// one without places and counts the tasks left, without an explanation,
// and keeps the setting.
func TestBatchUnexplained(t *testing.T) {
	ins := cluster(newInstance("a").free(256, 1024), newInstance("b").az("us-east-1b").free(256, 1024))
	req := &placement.Request{TaskDefinition: taskDef("web", 128, 256), Count: 7}
	var plain, quiet placement.Batch
	quiet.Unexplained = true
	require.NoError(t, engine(t, ins, nil, false).PlaceInto(&plain, req))
	require.NoError(t, engine(t, ins, nil, false).PlaceInto(&quiet, req))
	require.NotNil(t, plain.Explanation)
	require.Nil(t, quiet.Explanation)
	require.True(t, quiet.Unexplained)
	require.Equal(t, 3, plain.Unplaced)
	if diff := cmp.Diff(batchResult(&plain).Placements, batchResult(&quiet).Placements); diff != "" {
		t.Errorf("placements differ (-explained +unexplained):\n%s", diff)
	}
	require.Equal(t, plain.Unplaced, quiet.Unplaced)
}

// TestBatchConcurrent checks, under the race detector, that goroutines
// sharing an engine may each read their own Batch while the others place
// and stop tasks.
func TestBatchConcurrent(t *testing.T) {
	e := engine(t, benchCluster(60), nil, false)
	done := make(chan error)
	for g := range 4 {
		go func() {
			var b placement.Batch
			req := placement.Request{TaskDefinition: taskDef(fmt.Sprint("f", g), 128, 256, 0), Count: 5,
				Strategy: []ecs.PlacementStrategy{spread(azField), binpack("memory")}}
			for range 50 {
				if err := e.PlaceInto(&b, &req); err != nil {
					done <- err
					return
				}
				for k := range b.Len() {
					if b.ContainerInstanceARN(k) == "" || b.AvailabilityZone(k) == "" || len(b.Containers(k)) != 1 {
						done <- fmt.Errorf("placement %d of %d incomplete", k, b.Len())
						return
					}
					if err := e.Stop(b.Task(k)); err != nil {
						done <- err
						return
					}
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		require.NoError(t, <-done)
	}
	require.NoError(t, placement.CheckIndexes(e))
}

// TestIndexKeepsMostOvercommitted checks that an instance whose remaining
// CPU and memory are both the least int32 (an over-committed instance, as
// a describe output may give it) stays in the indexes: its room once read
// as an empty slot of a key list and dropped it.
func TestIndexKeepsMostOvercommitted(t *testing.T) {
	var ins []ecs.ContainerInstance
	for i := range 41 {
		in := newInstance(fmt.Sprint("i", i))
		if i == 7 {
			in.free(math.MinInt32, math.MinInt32)
		}
		ins = append(ins, in.ContainerInstance)
	}
	e := engine(t, ins, nil, false)
	var b placement.Batch
	req := placement.Request{TaskDefinition: taskDef("web", 128, 256), Count: 3, Strategy: []ecs.PlacementStrategy{binpack("memory")}}
	require.NoError(t, e.PlaceInto(&b, &req))
	require.NoError(t, placement.CheckIndexes(e))
}
