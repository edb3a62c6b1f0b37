package capacity

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// inZone keeps a workload's tasks in zone az: memberOf on the
// ecs.availability-zone attribute
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html).
func inZone(az string) []ecs.PlacementConstraint {
	return []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeMemberOf,
		Expression: "attribute:ecs.availability-zone == " + az}}
}

// TestPlanZoneUtilization checks each zone's share of registered CPU and
// memory that the steady state reserves, worked out by hand over
// testType (2048 CPU units, 4000 MiB registered).
func TestPlanZoneUtilization(t *testing.T) {
	ab := []string{"us-east-1a", "us-east-1b"}
	tests := []struct {
		name  string
		zones []string
		ws    []Workload
		want  []ZoneUtilization
	}{
		{"two instances full in a, one half used in b", ab, []Workload{
			{Name: "a", TaskDefinition: td("a", 1024, 2000), DesiredCount: 4, MaximumPercent: 100, Constraints: inZone("us-east-1a")},
			{Name: "b", TaskDefinition: td("b", 1024, 2000), DesiredCount: 1, MaximumPercent: 100, Constraints: inZone("us-east-1b")},
		}, []ZoneUtilization{
			{AvailabilityZone: "us-east-1a", Instances: 2, CPUUtilization: 1, MemoryUtilization: 1},
			{AvailabilityZone: "us-east-1b", Instances: 1, CPUUtilization: 0.5, MemoryUtilization: 0.5},
		}},
		{"binpack: one zone used, the others without instances", nil, []Workload{
			{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 3, MaximumPercent: 100, Strategy: binpackMemory},
		}, []ZoneUtilization{
			{AvailabilityZone: "us-east-1a", Instances: 1, CPUUtilization: 0.75, MemoryUtilization: 0.75},
			{AvailabilityZone: "us-east-1b"},
			{AvailabilityZone: "us-east-1c"},
		}},
		{"a daemon on every instance counts in its zone", ab, []Workload{
			{Name: "agent", TaskDefinition: td("agent", 512, 500), Daemon: true},
			{Name: "a", TaskDefinition: td("a", 1536, 3500), DesiredCount: 2, MaximumPercent: 100, Constraints: inZone("us-east-1a")},
			{Name: "b", TaskDefinition: td("b", 512, 500), DesiredCount: 1, MaximumPercent: 100, Constraints: inZone("us-east-1b")},
		}, []ZoneUtilization{
			{AvailabilityZone: "us-east-1a", Instances: 2, CPUUtilization: 1, MemoryUtilization: 1},
			{AvailabilityZone: "us-east-1b", Instances: 1, CPUUtilization: 0.5, MemoryUtilization: 0.25},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := testPlanner(tt.zones).Plan(context.Background(), tt.ws)
			require.NoError(t, err)
			require.Len(t, plan.Types, 1)
			tp := plan.Types[0]
			require.NoError(t, tp.Err)
			if diff := cmp.Diff(tt.want, tp.Zones, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("zones (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanZoneUtilizationFresh checks that a plan's zones, which may
// come from the engine of the search's last probe (its surge, headroom
// and zone-loss extras removed again), equal those of a placement of
// the steady state of its own. Without zone loss, test.large's plan takes
// its zones from the probe's engine.
func TestPlanZoneUtilizationFresh(t *testing.T) {
	ws := []Workload{
		{Name: "agent", TaskDefinition: td("agent", 256, 250), Daemon: true},
		{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 7},
		{Name: "api", TaskDefinition: td("api", 768, 1200), DesiredCount: 5, MaximumPercent: 150},
	}
	for _, loss := range []ZoneLoss{ZoneLossNone, ZoneLossFull} {
		t.Run("loss="+string(loss), func(t *testing.T) {
			p := testPlanner(nil, testType, bigType)
			p.o.Headroom, p.o.SurviveZoneLoss = 1, loss
			plan, err := p.Plan(context.Background(), ws)
			require.NoError(t, err)
			prep, err := p.prepare(ws)
			require.NoError(t, err)
			for _, tp := range plan.Types {
				require.NoError(t, tp.Err)
				b, err := p.builder(prep, tp.InstanceType)
				require.NoError(t, err)
				s := newSearch(newChecker(prep, p.o.Headroom).survive(loss, plan.AvailabilityZones), b, p.snapshotOptions(), nil)
				fresh, err := s.zoneUtilization(context.Background(), tp.Counts) // no probe: a placement of its own
				require.NoError(t, err)
				if diff := cmp.Diff(fresh, tp.Zones); diff != "" {
					t.Errorf("%s %v: zones (-fresh +plan):\n%s", tp.InstanceType, tp.Counts, diff)
				}
			}
		})
	}
}
