package capacity

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// referenceSplit is the split one task at a time, as Splitter.Next did
// before Take learnt to skip: the base first, then task k of the rest to
// the item with a weight whose w·k − W·r is largest, the earlier on a tie.
// The closed form must agree with it for every input.
func referenceSplit(strategy []ecs.CapacityProviderStrategyItem, current []int, n int) []int {
	counts := make([]int, len(strategy))
	copy(counts, current)
	base, weight := -1, 0
	for i, it := range strategy {
		if it.Base > 0 {
			base = i
		}
		weight += it.Weight
	}
	beyond := func(i int) int { return max(counts[i]-strategy[i].Base, 0) }
	got := make([]int, len(strategy))
	for range n {
		pick := 0
		switch {
		case base >= 0 && counts[base] < strategy[base].Base:
			pick = base
		case weight == 0:
		default:
			k := 1
			for i, it := range strategy {
				if it.Weight > 0 {
					k += beyond(i)
				}
			}
			pick = -1
			var best int
			for i, it := range strategy {
				if it.Weight <= 0 {
					continue
				}
				if sc := it.Weight*k - weight*beyond(i); pick < 0 || sc > best {
					pick, best = i, sc
				}
			}
		}
		counts[pick]++
		got[pick]++
	}
	return got
}

// randomSplitStrategy returns a valid strategy of 1 to 20 items: weights
// small (with zeros and ties) or up to 1,000, a base up to 200 on one item
// half the time.
func randomSplitStrategy(r *rand.Rand) []ecs.CapacityProviderStrategyItem {
	n := 1 + r.IntN(MaxStrategyItems)
	if r.IntN(2) == 0 {
		n = 1 + r.IntN(5)
	}
	s := make([]ecs.CapacityProviderStrategyItem, n)
	for i := range s {
		w := r.IntN(5)
		if r.IntN(3) == 0 {
			w = r.IntN(MaxWeight + 1)
		}
		s[i] = ecs.CapacityProviderStrategyItem{CapacityProvider: "cp" + strconv.Itoa(i), Weight: w}
	}
	if n > 1 && totalWeight(s) == 0 {
		s[r.IntN(n)].Weight = 1 + r.IntN(3)
	}
	if r.IntN(2) == 0 {
		s[r.IntN(n)].Base = 1 + r.IntN(200)
	}
	return s
}

// randomCounts returns tasks already on each item: none, a few, up to a
// few thousand, or the split's own counts for some tasks.
func randomCounts(r *rand.Rand, s []ecs.CapacityProviderStrategyItem) []int {
	c := make([]int, len(s))
	switch r.IntN(4) {
	case 0:
		return nil
	case 1:
		return referenceSplit(s, nil, r.IntN(3000))
	}
	for i := range c {
		switch r.IntN(3) {
		case 1:
			c[i] = r.IntN(30)
		case 2:
			c[i] = r.IntN(3000)
		}
	}
	return c
}

// TestSplitClosedFormProperty checks the closed form against the split
// one task at a time, over random strategies, bases, weights, counts
// already running and counts up to a few thousand, at once and in steps.
func TestSplitClosedFormProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 12))
	trials := 3000
	if testing.Short() {
		trials = 300
	}
	for trial := range trials {
		s := randomSplitStrategy(r)
		current := randomCounts(r, s)
		n := r.IntN(3000)
		want := referenceSplit(s, current, n)
		got, err := Split(s, current, n)
		require.NoError(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("trial %d: Split(%v, %v, %d) (-one by one +closed form):\n%s", trial, s, current, n, diff)
		}
		// In two steps, from a Splitter.
		sp, err := NewSplitter(s)
		require.NoError(t, err)
		if current != nil {
			require.NoError(t, sp.Resume(current))
		}
		first := r.IntN(n + 1)
		steps := add(sp.Take(first), sp.Take(n-first))
		if diff := cmp.Diff(want, steps); diff != "" {
			t.Fatalf("trial %d: Take(%d) then Take(%d) (-one by one +closed form):\n%s", trial, first, n-first, diff)
		}
	}
}

// TestSplitCatchUp checks the split where the counts running stray far
// from the rule: an item far ahead of its share waits while the others
// catch up, in the order the rule gives.
func TestSplitCatchUp(t *testing.T) {
	tests := []struct {
		name     string
		strategy []ecs.CapacityProviderStrategyItem
		current  []int
		n        int
	}{
		{"one item far ahead, two heavy items catch up", items("A", 0, 1, "B", 0, 1000, "C", 0, 1000), []int{40, 0, 0}, 50000},
		{"two far behind, unequal", items("A", 0, 3, "B", 0, 5, "C", 0, 7), []int{0, 2000, 10}, 20000},
		{"the base item ahead of its weight", items("A", 5, 1, "B", 0, 9), []int{400, 3}, 5000},
		{"weights 1, 1, 1, 11, 11", items("A", 0, 1, "B", 0, 1, "C", 0, 1, "D", 0, 11, "E", 0, 11), []int{0, 0, 90, 0, 0}, 3001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.strategy, tt.current, tt.n)
			require.NoError(t, err)
			if diff := cmp.Diff(referenceSplit(tt.strategy, tt.current, tt.n), got); diff != "" {
				t.Errorf("(-one by one +closed form):\n%s", diff)
			}
		})
	}
}

// TestSplitHugeCount splits 2,000,000,000 tasks: the counts sum to the
// total, each item is within its share by fewer tasks than there are
// items, and the closed form plays at most one round of tasks one run at
// a time, whatever the count: it returns at once by construction.
func TestSplitHugeCount(t *testing.T) {
	s := make([]ecs.CapacityProviderStrategyItem, MaxStrategyItems)
	W := 0
	for i := range s {
		s[i] = ecs.CapacityProviderStrategyItem{CapacityProvider: "cp" + strconv.Itoa(i), Weight: 1 + (i*389)%MaxWeight}
		W += s[i].Weight
	}
	s[3].Base = 100000
	const n = 2_000_000_000
	got, err := Split(s, nil, n)
	require.NoError(t, err)
	require.Equal(t, n, sum(got))
	for i, it := range s {
		share := float64(n-s[3].Base)*float64(it.Weight)/float64(W) + float64(it.Base)
		require.InDelta(t, share, float64(got[i]), float64(len(s)), "item %d", i)
	}

	rr := newRoundRobin(s)
	rr.take(n)
	require.LessOrEqual(t, rr.runs, rr.P, "runs played one by one")

	counts, err := SplitCounts(s, n)
	require.NoError(t, err)
	for i := range counts {
		require.Equal(t, got[i], counts[i].Count)
	}
	_, err = Split(s, nil, MaxSplitTasks+1)
	require.Error(t, err)
}
