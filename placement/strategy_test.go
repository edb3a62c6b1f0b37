package placement_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// Each case runs on the indexed engine and on the exhaustive one, which
// must agree.
func TestStrategies(t *testing.T) {
	td := taskDef("web", 256, 512)
	tests := []struct {
		name      string
		instances []*instance
		req       placement.Request
		want      []string
	}{{
		// Rule 86: binpack(memory) takes the instance with the least
		// remaining memory that still fits the task.
		name: "binpack memory least remaining that fits",
		instances: []*instance{
			newInstance("a").free(2048, 4096),
			newInstance("b").free(2048, 1024),
			newInstance("c").free(2048, 256), // too little
			newInstance("d").free(2048, 2048),
		},
		req:  placement.Request{Count: 4, Strategy: []ecs.PlacementStrategy{binpack("memory")}},
		want: []string{"b", "b", "d", "d"},
	}, {
		// Rule 86: binpack(cpu).
		name: "binpack cpu",
		instances: []*instance{
			newInstance("a").free(1024, 4096),
			newInstance("b").free(512, 4096),
			newInstance("c").free(2048, 4096),
		},
		req:  placement.Request{Count: 4, Strategy: []ecs.PlacementStrategy{binpack("cpu")}},
		want: []string{"b", "b", "a", "a"},
	}, {
		// Rule 86: spread(instanceId) balances the group over instances;
		// ties go to the ARN that sorts first.
		name:      "spread instanceId",
		instances: []*instance{newInstance("c"), newInstance("a"), newInstance("b")},
		req:       placement.Request{Count: 5, Strategy: []ecs.PlacementStrategy{spread("instanceId")}},
		want:      []string{"a", "b", "c", "a", "b"},
	}, {
		// Rule 86: host is instanceId.
		name:      "spread host",
		instances: []*instance{newInstance("a"), newInstance("b")},
		req:       placement.Request{Count: 3, Strategy: []ecs.PlacementStrategy{spread("host")}},
		want:      []string{"a", "b", "a"},
	}, {
		// Rule 86: spread over an attribute balances its values.
		name: "spread az",
		instances: []*instance{
			newInstance("a1").az("us-east-1a"), newInstance("a2").az("us-east-1a"),
			newInstance("b1").az("us-east-1b"),
		},
		req:  placement.Request{Count: 4, Strategy: []ecs.PlacementStrategy{spread(azField)}},
		want: []string{"a1", "b1", "a1", "b1"},
	}, {
		// Rule 88: spread(AZ) then binpack(memory): balance zones, then
		// pack within the zone; equal zones are one tier, so binpack
		// decides between them.
		name: "spread az then binpack memory",
		instances: []*instance{
			newInstance("a1").az("us-east-1a").free(2048, 4096),
			newInstance("a2").az("us-east-1a").free(2048, 1024),
			newInstance("b1").az("us-east-1b").free(2048, 3072),
			newInstance("b2").az("us-east-1b").free(2048, 2048),
		},
		req:  placement.Request{Count: 4, Strategy: []ecs.PlacementStrategy{spread(azField), binpack("memory")}},
		want: []string{"a2", "b2", "a2", "b2"},
	}, {
		// Rule 92: the service default is spread over zones, then the
		// instance with the fewest tasks of the service.
		name: "service default",
		instances: []*instance{
			newInstance("a1").az("us-east-1a"), newInstance("a2").az("us-east-1a"),
			newInstance("b1").az("us-east-1b"),
		},
		req:  placement.Request{Count: 4, Service: "web"},
		want: []string{"a1", "b1", "a2", "b1"},
	}, {
		// Rule 84: strategies are best effort; spread skips a full zone.
		name: "spread skips a zone with no room",
		instances: []*instance{
			newInstance("a1").az("us-east-1a").free(2048, 100),
			newInstance("b1").az("us-east-1b"),
		},
		req:  placement.Request{Count: 2, Strategy: []ecs.PlacementStrategy{spread(azField)}},
		want: []string{"b1", "b1"},
	}, {
		// An instance without the attribute is a value of its own.
		name: "spread missing attribute is a value",
		instances: []*instance{
			newInstance("a").attr("rack", "r1"), newInstance("b").attr("rack", "r1"), newInstance("c"),
		},
		req:  placement.Request{Count: 3, Strategy: []ecs.PlacementStrategy{spread("attribute:rack")}},
		want: []string{"a", "c", "a"},
	}, {
		// Rule 88: binpack then spread: spread only decides among equally
		// packed instances, which the rest of the chain then breaks by ARN.
		name: "binpack then spread az",
		instances: []*instance{
			newInstance("a1").az("us-east-1a").free(2048, 1024),
			newInstance("b1").az("us-east-1b").free(2048, 1024),
			newInstance("b2").az("us-east-1b").free(2048, 4096),
		},
		req:  placement.Request{Count: 3, Strategy: []ecs.PlacementStrategy{binpack("memory"), spread(azField)}},
		want: []string{"a1", "a1", "b1"},
	}}
	for _, tt := range tests {
		for _, exhaustive := range []bool{false, true} {
			t.Run(tt.name+map[bool]string{false: "/indexed", true: "/exhaustive"}[exhaustive], func(t *testing.T) {
				e := engine(t, cluster(tt.instances...), nil, exhaustive)
				req := tt.req
				req.TaskDefinition = td
				got, res := place(t, e, &req)
				require.Zero(t, res.Unplaced, "explanation: %+v", res.Explanation)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("placements (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// Rule 91, open point 6: RunTask's default is random, seeded: the same
// seed gives the same placements, and different seeds spread differently.
func TestRandomSeeded(t *testing.T) {
	var ins []*instance
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		ins = append(ins, newInstance(id))
	}
	run := func(seed uint64, exhaustive bool) []string {
		e := engine(t, cluster(ins...), nil, exhaustive)
		got, _ := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 128, 128), Count: 8, Seed: seed})
		return got
	}
	first := run(1, false)
	require.Equal(t, first, run(1, false))
	require.Equal(t, first, run(1, true))
	require.NotEqual(t, first, run(2, false))
	seen := map[string]bool{}
	for _, id := range first {
		seen[id] = true
	}
	require.Greater(t, len(seen), 2, "8 random placements on 8 instances hit %v", first)
}
