package capacity

import (
	"encoding/json"
	"flag"
	"io"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestParseStrategy(t *testing.T) {
	tests := []struct {
		in   string
		want []ecs.CapacityProviderStrategyItem
	}{
		{"FARGATE", items("FARGATE", 0, 0)},
		{"A:base=2,weight=1,B,weight=1", items("A", 2, 1, "B", 0, 1)},
		{"A:base=2,weight=1,B:weight=1", items("A", 2, 1, "B", 0, 1)},
		{"A:base=2:weight=1", items("A", 2, 1)},
		{"A:weight=1,B:weight=4", items("A", 0, 1, "B", 0, 4)},
		{" A : base = 2 , weight=3 ", items("A", 2, 3)},
		{"A:", items("A", 0, 0)},
		{"A,B,C", items("A", 0, 0, "B", 0, 0, "C", 0, 0)},
		{"A:weight=-1", items("A", 0, -1)}, // syntax only: the API check refuses it
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseStrategy(tt.in)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseStrategy (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseStrategyErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"A,,B",
		"weight=1",
		":base=1",
		"A:base",
		"A:base=x",
		"A:base=1,base=2",
		"A:size=1",
		"A:weight=1.5",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := ParseStrategy(in)
			require.Error(t, err)
		})
	}
}

func TestStrategyFlag(t *testing.T) {
	var sf StrategyFlag
	fs := flag.NewFlagSet("split", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(&sf, "strategy", "")
	require.NoError(t, fs.Parse([]string{"-strategy", "A:base=2,weight=1", "-strategy", "B:weight=1"}))
	require.Equal(t, StrategyFlag(items("A", 2, 1, "B", 0, 1)), sf)
	require.Equal(t, "A:base=2,weight=1,B:base=0,weight=1", sf.String())
	require.Error(t, fs.Parse([]string{"-strategy", "A:bogus=1"}))
	require.Empty(t, (*StrategyFlag)(nil).String())

	again, err := ParseStrategy(sf.String())
	require.NoError(t, err)
	require.Equal(t, []ecs.CapacityProviderStrategyItem(sf), again)
}

func TestSplitCounts(t *testing.T) {
	got, err := SplitCounts(items("A", 2, 1, "B", 0, 1, "C", 0, 0), 6)
	require.NoError(t, err)
	data, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, `[{"capacityProvider":"A","count":4},{"capacityProvider":"B","count":2},
		{"capacityProvider":"C","count":0}]`, string(data))

	_, err = SplitCounts(items("A", 0, 1), -1)
	require.Error(t, err)
	_, err = SplitCounts(items("FARGATE", 0, 1, "asg", 0, 1), 3)
	require.ErrorIs(t, err, ecs.ErrInvalid)
}
