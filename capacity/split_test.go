package capacity

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// order returns the provider of each of n tasks, in order.
func order(t *testing.T, s []ecs.CapacityProviderStrategyItem, n int) []string {
	t.Helper()
	sp, err := NewSplitter(s)
	require.NoError(t, err)
	out := make([]string, n)
	for k := range out {
		out[k] = s[sp.Next()].CapacityProvider
	}
	return out
}

func TestSplitExamples(t *testing.T) {
	tests := []struct {
		name     string
		strategy []ecs.CapacityProviderStrategyItem
		n        int
		want     []int
		order    []string // when set, the order of the tasks
	}{
		{"issue: base 2 then 1:1", items("A", 2, 1, "B", 0, 1), 6, []int{4, 2},
			[]string{"A", "A", "A", "B", "A", "B"}},
		{"issue: 1:4", items("A", 0, 1, "B", 0, 4), 5, []int{1, 4},
			[]string{"B", "B", "A", "B", "B"}},
		{"developer guide: 1:1 splits evenly", items("A", 0, 1, "B", 0, 1), 10, []int{5, 5}, nil},
		{"developer guide: 1 on A for every 4 on B", items("A", 0, 1, "B", 0, 4), 20, []int{4, 16}, nil},
		{"CP1 base 3 weight 1, CP2 weight 1: 4 and 1", items("CP1", 3, 1, "CP2", 0, 1), 5, []int{4, 1}, nil},
		{"base not yet met", items("A", 5, 1, "B", 0, 1), 3, []int{3, 0}, nil},
		{"zero tasks", items("A", 2, 1, "B", 0, 1), 0, []int{0, 0}, nil},
		{"lone provider weight 0 takes every task", items("FARGATE", 0, 0), 7, []int{7}, nil},
		{"weight 0 gets only its base", items("A", 2, 0, "B", 0, 1), 5, []int{2, 3},
			[]string{"A", "A", "B", "B", "B"}},
		{"weight 0 item never gets a task", items("A", 0, 3, "B", 0, 0, "C", 0, 1), 8, []int{6, 0, 2}, nil},
		{"ties go to the earlier item", items("A", 0, 2, "B", 0, 2, "C", 0, 2), 4, []int{2, 1, 1},
			[]string{"A", "B", "C", "A"}},
		{"base on the second item", items("A", 0, 1, "B", 3, 1), 5, []int{1, 4},
			[]string{"B", "B", "B", "A", "B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.strategy, nil, tt.n)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Split (-want +got):\n%s", diff)
			}
			if tt.order != nil {
				if diff := cmp.Diff(tt.order, order(t, tt.strategy, tt.n)); diff != "" {
					t.Errorf("order (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestSplitRefusesInvalid(t *testing.T) {
	_, err := Split(items("FARGATE", 0, 0, "FARGATE_SPOT", 0, 0), nil, 3)
	require.ErrorIs(t, err, ecs.ErrInvalid)
	_, err = NewSplitter(nil)
	require.Error(t, err)
	_, err = Split(items("A", 0, 1), []int{1, 2}, 3)
	require.Error(t, err)
	sp, err := NewSplitter(items("A", 0, 1))
	require.NoError(t, err)
	require.Error(t, sp.Resume([]int{-1}))
}

// TestScaleOutContinues checks that a split done in steps, or resumed from
// the counts of running tasks, equals the split done at once.
func TestScaleOutContinues(t *testing.T) {
	s := items("A", 2, 1, "B", 0, 3, "C", 0, 2)
	all, err := Split(s, nil, 40)
	require.NoError(t, err)

	sp, err := NewSplitter(s)
	require.NoError(t, err)
	var steps []int
	for _, n := range []int{3, 10, 1, 26} {
		steps = add(steps, sp.Take(n))
	}
	require.Equal(t, all, steps)
	require.Equal(t, all, sp.Counts())

	first, err := Split(s, nil, 15)
	require.NoError(t, err)
	rest, err := Split(s, first, 25)
	require.NoError(t, err)
	require.Equal(t, all, add(first, rest))
}

func add(a, b []int) []int {
	if a == nil {
		a = make([]int, len(b))
	}
	out := make([]int, len(a))
	for i := range a {
		out[i] = a[i] + b[i]
	}
	return out
}

func TestReleaseAndReplace(t *testing.T) {
	s := items("FARGATE", 1, 1, "FARGATE_SPOT", 0, 3)
	sp, err := NewSplitter(s)
	require.NoError(t, err)
	sp.Take(9) // FARGATE 1 base + 2, FARGATE_SPOT 6
	require.Equal(t, []int{3, 6}, sp.Counts())
	require.True(t, sp.Release(1)) // a Spot task interrupted
	require.Equal(t, 1, sp.Next()) // its replacement goes back to Spot
	require.False(t, sp.Release(5))
	require.False(t, (&Splitter{counts: []int{0}}).Release(0))
}

func TestSplitterCopies(t *testing.T) {
	s := items("A", 0, 1)
	sp, err := NewSplitter(s)
	require.NoError(t, err)
	s[0].Weight = 7
	require.Equal(t, 1, sp.Strategy()[0].Weight)
	c := sp.Counts()
	c[0] = 9
	require.Equal(t, []int{0}, sp.Counts())
}

// randomStrategy returns a valid strategy of 1 to maxItems items, with a
// base on one item at random.
func randomStrategy(r *rand.Rand, maxItems int) []ecs.CapacityProviderStrategyItem {
	n := 1 + r.IntN(maxItems)
	s := make([]ecs.CapacityProviderStrategyItem, n)
	for i := range s {
		w := r.IntN(MaxWeight + 1)
		if r.IntN(2) == 0 {
			w = r.IntN(5) // small weights, with zeros and ties
		}
		s[i] = ecs.CapacityProviderStrategyItem{CapacityProvider: "cp" + string(rune('a'+i)), Weight: w}
	}
	if n > 1 && totalWeight(s) == 0 {
		s[r.IntN(n)].Weight = 1
	}
	if r.IntN(2) == 0 {
		s[r.IntN(n)].Base = r.IntN(10)
	}
	return s
}

// splitProperties checks, after each of n tasks, that the counts sum to the
// tasks so far, that the base comes first, and how far each item with a
// weight strays from its share of the tasks beyond the base. It returns the
// largest lag behind a share and the largest lead ahead of it.
func splitProperties(t *testing.T, s []ecs.CapacityProviderStrategyItem, n int) (lag, lead float64) {
	t.Helper()
	sp, err := NewSplitter(s)
	require.NoError(t, err)
	base, bi := 0, -1
	for i, it := range s {
		if it.Base > 0 {
			base, bi = it.Base, i
		}
	}
	w := float64(totalWeight(s))
	for k := 1; k <= n; k++ {
		i := sp.Next()
		c := sp.Counts()
		require.Equal(t, k, sum(c), "counts sum to the tasks")
		if k <= base {
			require.Equal(t, bi, i, "task %d goes to the base", k)
			continue
		}
		if bi >= 0 {
			require.GreaterOrEqual(t, c[bi], base, "the base holds")
		}
		if w == 0 {
			require.Equal(t, 0, i)
			continue
		}
		rest := float64(k - base)
		for j, it := range s {
			got := float64(c[j] - min(c[j], it.Base))
			d := float64(it.Weight)*rest/w - got
			lag, lead = math.Max(lag, d), math.Max(lead, -d)
		}
	}
	return lag, lead
}

// TestSplitProperties: the split always sums to N, honours the base and,
// after it, keeps every item within one task of its weight share at every
// prefix, for up to 4 items. An item is never a whole task ahead of its
// share, whatever the number of items; with 5 or more items the largest-
// deficit rule can leave one just over a task behind (see
// TestSplitLagBeyondOne), so for up to 20 items the test bounds the lag at
// 1.25 tasks.
func TestSplitProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 6))
	for trial := range 1500 {
		maxItems := 4
		if trial%2 == 1 {
			maxItems = MaxStrategyItems
		}
		s := randomStrategy(r, maxItems)
		lag, lead := splitProperties(t, s, 1+r.IntN(120))
		require.Less(t, lead, 1.0, "never a task ahead: %v", s)
		if len(s) <= 4 {
			require.LessOrEqual(t, lag, 1.0+1e-9, "within one task: %v", s)
		} else {
			require.Less(t, lag, 1.25, "%v", s)
		}
	}
}

// TestSplitLagBeyondOne documents the smallest case found where the
// largest-deficit rule leaves an item more than one task behind its
// share: weights 1, 1, 1, 11, 11 after 16 tasks give E 6 tasks for a share
// of 11 × 16 / 25 = 7.04.
func TestSplitLagBeyondOne(t *testing.T) {
	got, err := Split(items("A", 0, 1, "B", 0, 1, "C", 0, 1, "D", 0, 11, "E", 0, 11), nil, 16)
	require.NoError(t, err)
	require.Equal(t, []int{1, 1, 1, 7, 6}, got)
}

func TestSplitPropertiesQuick(t *testing.T) {
	// Two items: within half a task, at every prefix.
	r := rand.New(rand.NewPCG(7, 11))
	for range 500 {
		s := items("A", r.IntN(4), r.IntN(MaxWeight+1), "B", 0, 1+r.IntN(MaxWeight))
		lag, lead := splitProperties(t, s, 200)
		require.LessOrEqual(t, max(lag, lead), 0.5+1e-9, "%v", s)
	}
}
