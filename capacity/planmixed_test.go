package capacity

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// cType and rType have the same CPU, and 4,000 and 16,000 MiB
// registered: a c type and an r type.
var (
	cType = ecs.InstanceType{Name: "c.test", VCPUs: 2, CPU: 2048, MemoryMiB: 4096, RegisteredMemoryMiB: 4000, MaxENIs: 3, Architecture: "x86_64"}
	rType = ecs.InstanceType{Name: "r.test", VCPUs: 2, CPU: 2048, MemoryMiB: 16384, RegisteredMemoryMiB: 16000, MaxENIs: 3, Architecture: "x86_64"}
)

// mixedPlanner plans over cType at 0.1 an hour and rType at rPrice, in
// one zone, with mixed fleets.
func mixedPlanner(rPrice float64) *Planner {
	prices := DefaultPrices()
	prices.EC2.OnDemand = map[string]float64{cType.Name: 0.1, rType.Name: rPrice}
	prices.EC2.Spot = map[string]float64{cType.Name: 0.03, rType.Name: rPrice * 0.3}
	return NewPlanner(func(o *PlannerOptions) {
		o.Catalog = ecs.NewCatalog(cType, rType)
		o.AvailabilityZones = []string{"us-east-1a"}
		o.Prices = prices
		o.MixedTypes = true
	})
}

// TestPlanMixedFleet: 12 CPU-heavy tasks (1024 CPU, 500 MiB: two an
// instance of either type) and 6 memory-heavy ones (128 CPU, 7,900 MiB:
// two an r instance, none on c, and nothing beside them). On r alone: 3
// instances for the memory-heavy tasks, 6 for the CPU-heavy ones, 9. Mixed:
// the same 3 r, and the CPU-heavy tasks on 6 c.
func TestPlanMixedFleet(t *testing.T) {
	ws := []Workload{
		{Name: "compute", TaskDefinition: td("compute", 1024, 500), DesiredCount: 12, MaximumPercent: 100},
		{Name: "cache", TaskDefinition: td("cache", 128, 7900), DesiredCount: 6, MaximumPercent: 100},
	}
	tests := []struct {
		name   string
		rPrice float64
		mixed  bool
		cost   float64 // the EC2 option's, an hour
		note   string
	}{
		// 9 × 0.12 = 1.08 for r alone; 3 × 0.12 + 6 × 0.1 = 0.96 mixed.
		{"mixed is cheaper", 0.12, true, 0.96,
			"EC2 is a mixed fleet: compute (CPU-heavy) on 6 × c.test and cache (memory-heavy) on 3 × r.test cost 700.80 a month, against the cheapest single type, r.test, 788.40; pin each service"},
		// 9 × 0.09 = 0.81 for r alone; 3 × 0.09 + 6 × 0.1 = 0.87 mixed.
		{"one type is cheaper", 0.09, false, 0.81,
			"EC2: no mixed fleet costs less: the cheapest, compute (CPU-heavy) on 6 × c.test and cache (memory-heavy) on 3 × r.test, costs 635.10 a month; the cheapest single type, r.test, 591.30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := mixedPlanner(tt.rPrice).Plan(context.Background(), ws)
			require.NoError(t, err)
			require.Error(t, plan.Types[0].Err, "c.test runs no memory-heavy task")
			require.Equal(t, []int{9}, plan.Types[1].Counts)
			o := plan.Options[0]
			require.InDelta(t, tt.cost*HoursPerMonth, o.Cost.Monthly, 1e-6)
			require.NotEmpty(t, plan.Notes)
			require.Contains(t, plan.Notes[0], tt.note)
			if !tt.mixed {
				require.Equal(t, "r.test", o.InstanceType)
				require.Empty(t, o.Parts)
				return
			}
			require.Empty(t, o.InstanceType)
			want := []FleetPart{
				{InstanceType: "c.test", Counts: []int{6}, Workloads: []string{"compute"}, Shape: shapeCPU, Cost: Cost{Monthly: 0.6 * HoursPerMonth},
					CPUUtilization: 1, MemoryUtilization: 12 * 500 / 24000.0},
				{InstanceType: "r.test", Counts: []int{3}, Workloads: []string{"cache"}, Shape: shapeMemory, Cost: Cost{Monthly: 0.36 * HoursPerMonth},
					CPUUtilization: 6 * 128 / 6144.0, MemoryUtilization: 6 * 7900 / 48000.0},
			}
			if d := cmp.Diff(want, o.Parts, cmpopts.EquateApprox(0, 1e-9)); d != "" {
				t.Errorf("parts (-want +got):\n%s", d)
			}
			require.Equal(t, []InstanceCount{{InstanceType: "c.test", AvailabilityZone: "us-east-1a", Count: 6},
				{InstanceType: "r.test", AvailabilityZone: "us-east-1a", Count: 3}}, o.Instances)
			// The parts are minimal: each fails with one instance fewer,
			// its services pinned to it.
			for _, fp := range o.Parts {
				var part []Workload
				for _, w := range ws {
					if w.Name == fp.Workloads[0] {
						part = append(part, w)
					}
				}
				p := mixedPlanner(tt.rPrice)
				requireMinimal(t, p, part, fp.InstanceType, fp.Counts, PhaseSteady)
			}
			// The whole fleet holds the services pinned to their types.
			p := mixedPlanner(tt.rPrice)
			var fleet []ecs.ContainerInstance
			pinned := make([]Workload, len(ws))
			for _, fp := range o.Parts {
				ins, err := p.Instances(ws, fp.InstanceType, fp.Counts)
				require.NoError(t, err)
				fleet = append(fleet, ins...)
				for i, w := range ws {
					if w.Name == fp.Workloads[0] {
						w.Constraints = []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeMemberOf,
							Expression: "attribute:ecs.instance-type == " + fp.InstanceType}}
						pinned[i] = w
					}
				}
			}
			require.NoError(t, p.Check(context.Background(), pinned, fleet))
			require.Equal(t, OptionEC2Spot, plan.Recommended)
			require.Empty(t, plan.Options[1].InstanceType, "Spot is mixed too")
		})
	}
}

// TestPlanMixedOneShape: services of one shape need no mix, and the
// plan says so.
func TestPlanMixedOneShape(t *testing.T) {
	ws := []Workload{{Name: "a", TaskDefinition: td("a", 1024, 500), DesiredCount: 4}, {Name: "b", TaskDefinition: td("b", 512, 1000), DesiredCount: 4}}
	plan, err := mixedPlanner(0.12).Plan(context.Background(), ws)
	require.NoError(t, err)
	require.Equal(t, "c.test", plan.Options[0].InstanceType)
	require.Contains(t, plan.Notes[len(plan.Notes)-1], "every service's task has the same shape")
}

func TestTaskShapeOf(t *testing.T) {
	tests := []struct {
		cpu, mem int
		want     string
	}{
		{1024, 2048, shapeCPU}, {1024, 3072, shapeCPU}, {1024, 3073, shapeEven}, {1024, 6144, shapeEven},
		{1024, 6145, shapeMemory}, {0, 512, shapeMemory},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, shapeOf(&prepared{demand: ecs.Resources{CPU: tt.cpu, MemoryMiB: tt.mem}}), "%d/%d", tt.cpu, tt.mem)
	}
}
