package capacity

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

var threeZones = []string{"us-east-1a", "us-east-1b", "us-east-1c"}

func pct(n int) *int { return &n }

// zoneLossPlanner is testPlanner over three zones surviving mode.
func zoneLossPlanner(mode ZoneLoss) *Planner {
	p := testPlanner(threeZones)
	p.o.SurviveZoneLoss = mode
	return p
}

// requireMinimal checks that counts of typeName survive (Check succeeds)
// and that taking any one instance away fails the check with the phase
// want: no plan with fewer instances survives.
func requireMinimal(t *testing.T, p *Planner, ws []Workload, typeName string, counts []int, want Phase) {
	t.Helper()
	ctx := context.Background()
	ins, err := p.Instances(ws, typeName, counts)
	require.NoError(t, err)
	require.NoError(t, p.Check(ctx, ws, ins), "the plan %v survives", counts)
	for z := range counts {
		if counts[z] == 0 {
			continue
		}
		fewer := slices.Clone(counts)
		fewer[z]--
		ins, err := p.Instances(ws, typeName, fewer)
		require.NoError(t, err)
		err = p.Check(ctx, ws, ins)
		var pe *PlacementError
		require.True(t, errors.As(err, &pe), "%v (one instance fewer) fails: %v", fewer, err)
		if want != "" {
			require.Equal(t, want, pe.Phase, "%v fails for the zone loss: %v", fewer, pe)
		}
	}
}

// TestPlanSurvivesZoneLoss: with SurviveZoneLoss a plan keeps each
// service's minimum healthy tasks, ⌈desired × minimumHealthyPercent / 100⌉
// (rule 118, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html),
// or its desired count, after the loss of any zone, the lost tasks
// re-placed on the other zones' instances as the service scheduler
// replaces the tasks of a draining instance (rule 167,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html);
// and no plan with one instance fewer does.
func TestPlanSurvivesZoneLoss(t *testing.T) {
	// test.large holds 4 tasks of 512 CPU / 1000 MiB.
	web := func(desired int, mhp *int) []Workload {
		return []Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: desired,
			MaximumPercent: 100, MinimumHealthyPercent: mhp}}
	}
	tests := []struct {
		name  string
		mode  ZoneLoss
		ws    []Workload
		plain []int // the plan without zone loss
		want  []int
	}{
		// 12 tasks: 4 in each zone fill one instance each. Losing a zone
		// loses its tasks; the other zones must hold 12 (full): 3
		// instances of 4 tasks after losing the zone with the most
		// instances, so 5 in all.
		{"full", ZoneLossFull, web(12, nil), []int{1, 1, 1}, []int{2, 2, 1}},
		// Minimum healthy 100 % (the default) asks the same.
		{"minimum healthy, default 100%", ZoneLossMinimumHealthy, web(12, nil), []int{1, 1, 1}, []int{2, 2, 1}},
		// 5 tasks fit two instances; full asks for 5 on one zone's
		// instances after the loss of the other: 2 and 2.
		{"full, two zones used", ZoneLossFull, web(5, nil), []int{1, 1, 0}, []int{1, 1, 1}},
		// 50 %: ⌈12 × 50 / 100⌉ = 6 survive on the other zones' 8
		// tasks: nothing to re-place, the plain plan survives.
		{"minimum healthy 50%", ZoneLossMinimumHealthy, web(12, pct(50)), []int{1, 1, 1}, []int{1, 1, 1}},
		// 75 %: 9 must run; 8 survive, 1 is re-placed, and no instance
		// of the other zones has room: one more instance somewhere.
		{"minimum healthy 75%", ZoneLossMinimumHealthy, web(12, pct(75)), []int{1, 1, 1}, []int{2, 2, 1}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain, err := testPlanner(threeZones).Plan(ctx, tt.ws)
			require.NoError(t, err)
			require.NoError(t, plain.Types[0].Err)
			require.Equal(t, tt.plain, plain.Types[0].Counts, "without zone loss")
			p := zoneLossPlanner(tt.mode)
			plan, err := p.Plan(ctx, tt.ws)
			require.NoError(t, err)
			require.NoError(t, plan.Types[0].Err)
			require.Equal(t, tt.want, plan.Types[0].Counts)
			requireMinimal(t, p, tt.ws, testType.Name, plan.Types[0].Counts, "")
			if !slices.Equal(tt.want, tt.plain) {
				// The plain plan does not survive: the check can fail.
				ins, err := p.Instances(tt.ws, testType.Name, tt.plain)
				require.NoError(t, err)
				var pe *PlacementError
				require.ErrorAs(t, p.Check(ctx, tt.ws, ins), &pe)
				require.Equal(t, PhaseZoneLoss, pe.Phase)
				require.NotEmpty(t, pe.Zone)
			}
		})
	}
}

// TestLossTarget: the minimum healthy tasks round up, as ECS rounds them
// (rule 118).
func TestLossTarget(t *testing.T) {
	tests := []struct {
		desired int
		mhp     *int
		mode    ZoneLoss
		want    int
	}{
		{5, pct(50), ZoneLossMinimumHealthy, 3},
		{5, pct(60), ZoneLossMinimumHealthy, 3},
		{5, pct(61), ZoneLossMinimumHealthy, 4},
		{5, pct(0), ZoneLossMinimumHealthy, 0},
		{5, nil, ZoneLossMinimumHealthy, 5},
		{5, pct(50), ZoneLossFull, 5},
		{0, nil, ZoneLossFull, 0},
	}
	for _, tt := range tests {
		c := &checker{loss: tt.mode}
		p := &prepared{w: &Workload{DesiredCount: tt.desired, MinimumHealthyPercent: tt.mhp}}
		require.Equal(t, tt.want, c.lossTarget(p), "%d tasks, %v, %s", tt.desired, tt.mhp, tt.mode)
	}
}

// TestZoneLossOptions: the mode must be known and needs two zones.
func TestZoneLossOptions(t *testing.T) {
	ws := []Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 2}}
	p := testPlanner([]string{"us-east-1a"})
	p.o.SurviveZoneLoss = ZoneLossFull
	_, err := p.Plan(context.Background(), ws)
	require.ErrorContains(t, err, "at least 2 Availability Zones")
	p = zoneLossPlanner("half")
	_, err = p.Plan(context.Background(), ws)
	require.ErrorContains(t, err, `SurviveZoneLoss "half"`)
}

// TestPlanSurvivesZoneLossTestdata plans examples/ecsplan's services
// (web with binpack-free spread, api binpacking memory, the logs daemon)
// at 20 tasks each, deployments that stop tasks before they start new
// ones (maximumPercent 100, so no surge room hides the loss), over its
// three types: each type's plan survives the loss of any zone, and none
// with one instance fewer does.
func TestPlanSurvivesZoneLossTestdata(t *testing.T) {
	ws := testdataWorkloads(t, 20)
	for i := range ws {
		ws[i].MaximumPercent = 100
	}
	for _, mode := range []ZoneLoss{ZoneLossMinimumHealthy, ZoneLossFull} {
		t.Run(string(mode), func(t *testing.T) {
			p := NewPlanner(func(o *PlannerOptions) {
				o.InstanceTypes = testdataTypes
				o.SurviveZoneLoss = mode
			})
			plan, err := p.Plan(context.Background(), ws)
			require.NoError(t, err)
			plain, err := NewPlanner(func(o *PlannerOptions) { o.InstanceTypes = testdataTypes }).Plan(context.Background(), ws)
			require.NoError(t, err)
			more := false
			for i, tp := range plan.Types {
				more = more || tp.Instances() > plain.Types[i].Instances()
				require.NoError(t, tp.Err, tp.InstanceType)
				require.GreaterOrEqual(t, tp.Instances(), plain.Types[i].Instances(), tp.InstanceType)
				t.Logf("%s: %v (without zone loss %v)", tp.InstanceType, tp.Counts, plain.Types[i].Counts)
				requireMinimal(t, p, ws, tp.InstanceType, tp.Counts, "")
			}
			require.True(t, more, "surviving a zone loss takes more instances of some type")
		})
	}
}

// BenchmarkPlanZoneLoss plans examples/ecsplan's services at 5,000 tasks
// each over its three types to survive the loss of any zone at their
// desired counts, deployments without surge (maximumPercent 100).
func BenchmarkPlanZoneLoss(b *testing.B) {
	ws := testdataWorkloads(b, 5000)
	for i := range ws {
		ws[i].MaximumPercent = 100
	}
	p := NewPlanner(func(o *PlannerOptions) {
		o.InstanceTypes = testdataTypes
		o.SurviveZoneLoss = ZoneLossFull
	})
	benchPlan(b, p, ws)
}

// TestPlanZoneLossProperty: for random services (sizes, counts, minimum
// healthy percents, spread or binpack), every zone-loss plan passes
// Check and fails it with any one instance fewer.
func TestPlanZoneLossProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 18))
	strategies := [][]ecs.PlacementStrategy{nil, binpackMemory}
	for i := range 60 {
		var ws []Workload
		for j := range 1 + rng.IntN(3) {
			mhp := rng.IntN(101)
			ws = append(ws, Workload{Name: fmt.Sprintf("s%d", j),
				TaskDefinition: td(fmt.Sprintf("s%d", j), 128*(1+rng.IntN(8)), 250*(1+rng.IntN(8))),
				DesiredCount:   1 + rng.IntN(12), MaximumPercent: 100 + 100*rng.IntN(2),
				MinimumHealthyPercent: &mhp, Strategy: strategies[rng.IntN(2)]})
		}
		mode := []ZoneLoss{ZoneLossMinimumHealthy, ZoneLossFull}[rng.IntN(2)]
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			p := zoneLossPlanner(mode)
			plan, err := p.Plan(context.Background(), ws)
			require.NoError(t, err)
			require.NoError(t, plan.Types[0].Err)
			requireMinimal(t, p, ws, testType.Name, plan.Types[0].Counts, "")
		})
	}
}

// TestPlanZoneLossEveryOrder: after the loss of a zone each service's
// scheduler re-places its tasks on its own, up to the service's desired
// count (rules 167 and 179,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html),
// in an order nobody chooses. A
// plan survives only when every service keeps its minimum (or desired
// count) after the others took what they re-place first, largest first
// or smallest first. Both cases are plans that survived when the
// services were re-placed largest first only, to their minimum.
func TestPlanZoneLossEveryOrder(t *testing.T) {
	// test.large holds 2 tasks of a (1024 CPU) or 4 of b (512 CPU),
	// 4 tasks by memory.
	ws := func(a, aMin, b int) []Workload {
		return []Workload{
			{Name: "b", TaskDefinition: td("b", 512, 1000), DesiredCount: b, MaximumPercent: 100, MinimumHealthyPercent: pct(100)},
			{Name: "a", TaskDefinition: td("a", 1024, 1000), DesiredCount: a, MaximumPercent: 100, MinimumHealthyPercent: pct(aMin)},
		}
	}
	tests := []struct {
		name       string
		mode       ZoneLoss
		ws         []Workload
		once, want []int // once: the plan when re-placed once, largest first
	}{
		// b must keep all 5 tasks; a may lose both of its tasks, but its
		// scheduler re-places them too, and when it does so first b's
		// lost tasks find no room on 4 instances.
		{"minimum healthy, the other service to its desired count", ZoneLossMinimumHealthy, ws(2, 0, 5), []int{2, 2, 0}, []int{2, 2, 1}},
		// 5 a and 4 b fit 4 instances when a goes first; when b's lost
		// tasks go first they take half of the CPU of instances a needs.
		{"full, smallest first", ZoneLossFull, ws(5, 0, 4), []int{2, 2, 2}, []int{3, 3, 1}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := zoneLossPlanner(tt.mode)
			plan, err := p.Plan(ctx, tt.ws)
			require.NoError(t, err)
			require.NoError(t, plan.Types[0].Err)
			require.Equal(t, tt.want, plan.Types[0].Counts)
			requireMinimal(t, p, tt.ws, testType.Name, plan.Types[0].Counts, PhaseZoneLoss)
			ins, err := p.Instances(tt.ws, testType.Name, tt.once)
			require.NoError(t, err)
			var pe *PlacementError
			require.ErrorAs(t, p.Check(ctx, tt.ws, ins), &pe)
			require.Equal(t, PhaseZoneLoss, pe.Phase)
			require.NotEmpty(t, pe.Zone)
		})
	}
}
