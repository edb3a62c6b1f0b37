package capacity

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// spotPlanner is testPlanner over three zones with a Spot price of 0.03
// an hour for test.large (0.1 on demand).
func spotPlanner(share float64) *Planner {
	p := testPlanner(threeZones)
	prices := *p.o.Prices
	prices.EC2.Spot = map[string]float64{testType.Name: 0.03}
	p.o.Prices = &prices
	p.o.MinOnDemandShare = share
	return p
}

func TestOnDemandOf(t *testing.T) {
	tests := []struct {
		n     int
		share float64
		want  int
	}{
		{10, 0, 0}, {10, 1, 10}, {10, 1 - 0.7, 3}, {3, 0.5, 2}, {1, 0.01, 1}, {0, 0.5, 0}, {7, 1.0 / 7, 1},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, onDemandOf(tt.n, tt.share), "%d × %v", tt.n, tt.share)
	}
}

func TestSpreadSpot(t *testing.T) {
	tests := []struct {
		counts []int
		spot   int
		want   []int
	}{
		{[]int{2, 2, 2}, 3, []int{1, 1, 1}},
		{[]int{3, 2, 1}, 4, []int{2, 1, 1}},
		{[]int{3, 0, 3}, 5, []int{3, 0, 2}},
		{[]int{1, 1}, 5, []int{1, 1}},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, spreadSpot(tt.counts, tt.spot), "%v, %d Spot", tt.counts, tt.spot)
	}
}

// TestPlanSpotShare: MinOnDemandShare keeps that share of the EC2_SPOT
// fleet on demand, priced as such, and bounds each service's FARGATE_SPOT
// tasks alike.
func TestPlanSpotShare(t *testing.T) {
	ws := []Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 12, MaximumPercent: 100}}
	tests := []struct {
		share    float64
		onDemand []int // per zone, of 1, 1, 1
		cost     float64
	}{
		{0, []int{0, 0, 0}, 3 * 0.03 * HoursPerMonth},
		{0.5, []int{0, 1, 1}, (2*0.1 + 0.03) * HoursPerMonth},
		{1 - 0.7, []int{0, 0, 1}, (0.1 + 2*0.03) * HoursPerMonth},
		{1, []int{1, 1, 1}, 3 * 0.1 * HoursPerMonth},
	}
	for _, tt := range tests {
		plan, err := spotPlanner(tt.share).Plan(context.Background(), ws)
		require.NoError(t, err)
		o := plan.option(OptionEC2Spot)
		require.True(t, o.Cost.Priced(), o.Cost.Missing)
		var od []int
		for _, ic := range o.Instances {
			require.Equal(t, 1, ic.Count)
			od = append(od, ic.OnDemand)
		}
		require.Equal(t, tt.onDemand, od, "share %v", tt.share)
		require.InDelta(t, tt.cost, o.Cost.Monthly, 1e-6)
		fs := plan.option(OptionFargateSpot)
		require.Equal(t, onDemandOf(12, tt.share), fs.Tasks[0].OnDemand)
		require.InDelta(t, fs.Tasks[0].Monthly(), fs.Cost.Monthly, 1e-6)
	}
	_, err := spotPlanner(1.5).Plan(context.Background(), ws)
	require.ErrorContains(t, err, "MinOnDemandShare 1.5 is not between 0 and 1")
}

// TestPlanSpotWarning: when the recommended option runs on Spot, a
// service whose minimum healthy tasks (rule 118,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html)
// an interruption of one zone's Spot instances (one Spot pool, rule 166,
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-spot-instances.html)
// would break, even with its tasks re-placed on the instances left
// (rule 167, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/spot-instance-draining-linux-container.html),
// is warned of.
func TestPlanSpotWarning(t *testing.T) {
	web := func(mhp *int) []Workload {
		return []Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 12, MaximumPercent: 100,
			MinimumHealthyPercent: mhp}}
	}
	tests := []struct {
		name  string
		p     *Planner
		ws    []Workload
		risks []SpotRisk
	}{
		// 1 instance a zone of 4 tasks, all Spot: the loss of one
		// leaves 8, and the others have no room.
		{"all Spot, minimum healthy 100%", spotPlanner(0), web(nil),
			[]SpotRisk{{Workload: "web", Zone: "us-east-1a", Running: 8, Minimum: 12}}},
		{"all Spot, minimum healthy 75%", spotPlanner(0), web(pct(75)),
			[]SpotRisk{{Workload: "web", Zone: "us-east-1a", Running: 8, Minimum: 9}}},
		// 8 survive, the minimum is 6.
		{"all Spot, minimum healthy 50%", spotPlanner(0), web(pct(50)), nil},
		// 1 of 3 instances Spot: a bound on the share does not bound
		// the risk; its zone's loss still leaves 8.
		{"half on demand", spotPlanner(0.5), web(nil),
			[]SpotRisk{{Workload: "web", Zone: "us-east-1a", Running: 8, Minimum: 12}}},
		// Surviving a zone's loss survives its Spot pool's.
		{"survives a zone loss", func() *Planner { p := spotPlanner(0); p.o.SurviveZoneLoss = ZoneLossMinimumHealthy; return p }(), web(nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := tt.p.Plan(context.Background(), tt.ws)
			require.NoError(t, err)
			require.Equal(t, OptionEC2Spot, plan.Recommended)
			require.Equal(t, tt.risks, plan.SpotRisks)
			require.Len(t, plan.Warnings, len(tt.risks))
			if len(tt.risks) > 0 {
				require.Contains(t, plan.Warnings[0], "EC2_SPOT, recommended, runs on Spot: an interruption of its Spot capacity in us-east-1a leaves web 8 running tasks where its minimumHealthyPercent asks for")
			}
		})
	}
}

// TestFargateSpotRisks: a service's Fargate Spot tasks spread over the
// zones; one zone's interruption takes ⌈spot tasks / zones⌉, which Fargate
// does not replace with on-demand capacity.
func TestFargateSpotRisks(t *testing.T) {
	ws, err := prepare([]Workload{
		{Name: "web", TaskDefinition: td("web", 512, 1024), DesiredCount: 6},
		{Name: "api", TaskDefinition: td("api", 512, 1024), DesiredCount: 6, MinimumHealthyPercent: pct(50)},
	}, 0)
	require.NoError(t, err)
	o := &Option{Kind: OptionFargateSpot, Tasks: []FargateTask{{Workload: "web", Count: 6}, {Workload: "api", Count: 6}}}
	require.Equal(t, []SpotRisk{{Workload: "web", Zone: "one zone", Running: 4, Minimum: 6}}, fargateSpotRisks(ws, 3, o))
	// Exactly half on demand: web still loses ⌈3 / 3⌉ = 1 of its 6.
	o.Tasks[0].OnDemand, o.Tasks[1].OnDemand = 3, 3
	require.Equal(t, []SpotRisk{{Workload: "web", Zone: "one zone", Running: 5, Minimum: 6}}, fargateSpotRisks(ws, 3, o))
	o.Tasks[0].OnDemand = 6
	require.Nil(t, fargateSpotRisks(ws, 3, o), "web all on demand, api keeps 5 of its minimum 3")
}
