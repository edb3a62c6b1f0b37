package capacity

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// slots returns a room callback that gives each provider a fixed number of
// task slots and uses one per task it accepts, recording every call.
func slots(free map[string]int, calls *[]string) func(string) bool {
	return func(p string) bool {
		*calls = append(*calls, p)
		if free[p] == 0 {
			return false
		}
		free[p]--
		return true
	}
}

func TestPlaceReportsWithoutMoving(t *testing.T) {
	sp, err := NewSplitter(items("A", 0, 1, "B", 0, 1))
	require.NoError(t, err)
	var calls []string
	got := sp.Place(4, slots(map[string]int{"A": 1, "B": 5}, &calls), false)
	want := []ProviderChoice{
		{Task: 0, Provider: "A", Placed: true},
		{Task: 1, Provider: "B", Placed: true},
		{Task: 2, Provider: "A"}, // no room on A: reported, not moved
		{Task: 3, Provider: "B", Placed: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Place (-want +got):\n%s", diff)
	}
	require.Equal(t, []string{"A", "B", "A", "B"}, calls)
	require.Equal(t, []int{2, 2}, sp.Counts(), "the waiting task counts on its provider")
}

func TestPlaceWhatIfFallsBack(t *testing.T) {
	sp, err := NewSplitter(items("A", 0, 1, "B", 0, 2, "C", 0, 1))
	require.NoError(t, err)
	var calls []string
	got := sp.Place(5, slots(map[string]int{"A": 0, "B": 3, "C": 1}, &calls), true)
	want := []ProviderChoice{
		{Task: 0, Provider: "B", Placed: true},
		{Task: 1, Provider: "A", Fallback: "C"}, // B and C tried by deficit: C (1/4) before B (1/2 − 1)
		{Task: 2, Provider: "A", Fallback: "B"},
		{Task: 3, Provider: "A", Fallback: "B"}, // B and C tie: B, the earlier
		{Task: 4, Provider: "A"},                // nobody has room: counted on A
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Place (-want +got):\n%s", diff)
	}
	require.Equal(t, []int{1, 3, 1}, sp.Counts())
}

func TestPlaceWhatIfSkipsWeightZero(t *testing.T) {
	sp, err := NewSplitter(items("A", 0, 1, "B", 0, 0))
	require.NoError(t, err)
	var calls []string
	got := sp.Place(1, slots(map[string]int{"B": 9}, &calls), true)
	require.Equal(t, []ProviderChoice{{Task: 0, Provider: "A"}}, got)
	require.Equal(t, []string{"A"}, calls, "a weight-0 provider is never tried")
}

func TestPlaceBaseFallback(t *testing.T) {
	sp, err := NewSplitter(items("FARGATE", 2, 1, "FARGATE_SPOT", 0, 1))
	require.NoError(t, err)
	var calls []string
	got := sp.Place(3, slots(map[string]int{"FARGATE": 1, "FARGATE_SPOT": 9}, &calls), true)
	want := []ProviderChoice{
		{Task: 0, Provider: "FARGATE", Placed: true},
		{Task: 1, Provider: "FARGATE", Fallback: "FARGATE_SPOT"},
		{Task: 2, Provider: "FARGATE", Fallback: "FARGATE_SPOT"},
	}
	require.Equal(t, want, got)
}
