package capacity

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// fewerVectors calls f with every count vector over len(zones) zones
// with fewer than n instances in all, until f returns false.
func fewerVectors(zones, n int, f func([]int) bool) {
	c := make([]int, zones)
	var fill func(z, left int) bool
	fill = func(z, left int) bool {
		if z == zones {
			return f(slices.Clone(c))
		}
		for v := 0; v <= left; v++ {
			c[z] = v
			if !fill(z+1, left-v) {
				return false
			}
		}
		return true
	}
	fill(0, n-1)
}

// requireGloballyMinimal checks, by trying every count vector with
// fewer instances, that none of them survives: the zone-loss plan has
// the fewest instances (issue 18: "no plan with fewer instances
// survives").
func requireGloballyMinimal(t *testing.T, p *Planner, ws []Workload, tp TypePlan) {
	t.Helper()
	ctx := context.Background()
	fewerVectors(len(tp.Counts), tp.Instances(), func(c []int) bool {
		ins, err := p.Instances(ws, tp.InstanceType, c)
		require.NoError(t, err)
		err = p.Check(ctx, ws, ins)
		var pe *PlacementError
		if err == nil {
			t.Errorf("%s: the plan has %v (%d instances), but %v (%d) survives too", tp.InstanceType, tp.Counts, tp.Instances(), c, sum(c))
			return false
		}
		require.True(t, errors.As(err, &pe), "%v: %v", c, err)
		return true
	})
}

// TestPlanZoneLossFewest: a zone-loss plan has the fewest instances of
// any counts that survive, balanced over the zones or not. The cases
// are those where a search zone by zone stopped above the fewest (the
// testdata services with minimum healthy 67 %: m5.large [5 5 4] where
// [3 4 6] survives, [7 7 7] where [5 6 9] does).
func TestPlanZoneLossFewest(t *testing.T) {
	cases := []struct {
		desired, mhp int
		mode         ZoneLoss
		types        []string
	}{
		{10, 67, ZoneLossMinimumHealthy, []string{"m5.large", "r5.large"}},
		{16, 67, ZoneLossMinimumHealthy, []string{"m5.large"}},
		{5, 50, ZoneLossFull, []string{"m5.large", "c5.xlarge"}},
		{10, 34, ZoneLossMinimumHealthy, []string{"c5.xlarge"}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d/%d%%/%s", tc.desired, tc.mhp, tc.mode), func(t *testing.T) {
			ws := testdataWorkloads(t, tc.desired)
			for i := range ws {
				ws[i].MaximumPercent = 100
				ws[i].MinimumHealthyPercent = pct(tc.mhp)
			}
			p := NewPlanner(func(o *PlannerOptions) { o.InstanceTypes = tc.types; o.SurviveZoneLoss = tc.mode })
			plan, err := p.Plan(context.Background(), ws)
			require.NoError(t, err)
			for _, tp := range plan.Types {
				require.NoError(t, tp.Err)
				requireGloballyMinimal(t, p, ws, tp)
			}
		})
	}
}

// TestZoneLossMonotone: a zone-loss check's outcome grows with the
// counts, which the search for fewer instances rests on (see
// search.fewest): for random services, the counts planned plus one
// instance in any zone still survive, and counts that fail still fail
// with one instance fewer in any zone.
func TestZoneLossMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 7))
	ctx := context.Background()
	for i := range 12 {
		var ws []Workload
		for j := range 1 + rng.IntN(3) {
			mhp := rng.IntN(101)
			ws = append(ws, Workload{Name: fmt.Sprintf("s%d", j),
				TaskDefinition: td(fmt.Sprintf("s%d", j), 128*(1+rng.IntN(8)), 250*(1+rng.IntN(8))),
				DesiredCount:   1 + rng.IntN(12), MaximumPercent: 100 + 100*rng.IntN(2),
				MinimumHealthyPercent: &mhp, Strategy: [][]ecs.PlacementStrategy{nil, binpackMemory}[rng.IntN(2)]})
		}
		mode := []ZoneLoss{ZoneLossMinimumHealthy, ZoneLossFull}[rng.IntN(2)]
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			p := zoneLossPlanner(mode)
			plan, err := p.Plan(ctx, ws)
			require.NoError(t, err)
			for _, tp := range plan.Types {
				if tp.Err != nil {
					continue
				}
				check := func(c []int) error {
					ins, err := p.Instances(ws, tp.InstanceType, c)
					require.NoError(t, err)
					return p.Check(ctx, ws, ins)
				}
				for z := range tp.Counts {
					up := slices.Clone(tp.Counts)
					up[z]++
					require.NoError(t, check(up), "%s: %v survives, %v does not", tp.InstanceType, tp.Counts, up)
					if tp.Counts[z] == 0 {
						continue
					}
					down := slices.Clone(tp.Counts)
					down[z]--
					if check(down) == nil {
						continue
					}
					for y := range down {
						if down[y] > 0 {
							c := slices.Clone(down)
							c[y]--
							require.Error(t, check(c), "%s: %v fails, %v survives", tp.InstanceType, down, c)
						}
					}
				}
			}
		})
	}
}

// TestPlanZoneLossFewestBound: where the search for fewer instances
// stops at its bound (a plan of hundreds of instances has more count
// vectors to try than maxFewerVectors), the plan says so in a note
// naming the type, and the counts are still minimal one instance at a
// time.
func TestPlanZoneLossFewestBound(t *testing.T) {
	ws := testdataWorkloads(t, 500)
	for i := range ws {
		ws[i].MaximumPercent = 100
	}
	p := NewPlanner(func(o *PlannerOptions) { o.InstanceTypes = []string{"m5.large"}; o.SurviveZoneLoss = ZoneLossFull })
	plan, err := p.Plan(context.Background(), ws)
	require.NoError(t, err)
	require.Len(t, plan.Types, 1)
	require.NoError(t, plan.Types[0].Err)
	require.True(t, slices.ContainsFunc(plan.Notes, func(n string) bool {
		return strings.HasPrefix(n, "zone loss: for m5.large ") && strings.Contains(n, "stopped at its bound")
	}), "notes: %q", plan.Notes)
	requireMinimal(t, p, ws, "m5.large", plan.Types[0].Counts, PhaseZoneLoss)
}

// TestCountVectors: countVectors counts what candidates enumerates.
func TestCountVectors(t *testing.T) {
	for _, tc := range []struct{ zones, total, most int }{
		{2, 5, 3}, {3, 13, 6}, {3, 20, 20}, {3, 20, 5}, {3, 20, 6}, {4, 17, 7}, {6, 12, 3}, {3, 0, 0}, {2, 9, 4},
	} {
		want := 0
		fewerVectors(tc.zones, tc.total+1, func(c []int) bool {
			if sum(c) == tc.total && slices.Max(c) <= tc.most {
				want++
			}
			return true
		})
		require.InDelta(t, float64(want), countVectors(tc.zones, tc.total, tc.most), 0.5, "%+v", tc)
	}
}
