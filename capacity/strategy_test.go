package capacity

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// items builds a strategy from name, base, weight triples.
func items(spec ...any) []ecs.CapacityProviderStrategyItem {
	var s []ecs.CapacityProviderStrategyItem
	for i := 0; i+2 < len(spec); i += 3 {
		s = append(s, ecs.CapacityProviderStrategyItem{
			CapacityProvider: spec[i].(string), Base: spec[i+1].(int), Weight: spec[i+2].(int),
		})
	}
	return s
}

func codes(ps ecs.Findings) []string {
	var cs []string
	for _, p := range ps {
		cs = append(cs, p.Code)
	}
	return cs
}

func manyItems(n int) []ecs.CapacityProviderStrategyItem {
	s := make([]ecs.CapacityProviderStrategyItem, n)
	for i := range s {
		s[i] = ecs.CapacityProviderStrategyItem{CapacityProvider: "asg-" + string(rune('a'+i)), Weight: 1}
	}
	return s
}

func TestStrategyProblems(t *testing.T) {
	tests := []struct {
		name     string
		strategy []ecs.CapacityProviderStrategyItem
		want     []string // codes
	}{
		{"empty means no strategy", nil, nil},
		{"lone provider weight 0", items("FARGATE", 0, 0), nil},
		{"lone provider base only", items("asg", 5, 0), nil},
		{"two providers, one weight", items("FARGATE", 2, 1, "FARGATE_SPOT", 0, 0), nil},
		{"limits accepted", items("a", MaxBase, MaxWeight, "b", 0, 0), nil},
		{"20 items", manyItems(20), nil},
		{"21 items", manyItems(21), []string{CodeTooManyProviders}},
		{"no name", items("", 0, 1), []string{CodeProviderName}},
		{"base too big", items("a", MaxBase+1, 1), []string{CodeBaseRange}},
		{"base negative", items("a", -1, 1), []string{CodeBaseRange}},
		{"weight too big", items("a", 0, MaxWeight+1), []string{CodeWeightRange}},
		{"weight negative", items("a", 0, -1, "b", 0, 1), []string{CodeWeightRange}},
		{"duplicate", items("a", 0, 1, "a", 0, 2), []string{CodeDuplicateProvider}},
		{"two bases", items("a", 1, 1, "b", 2, 1), []string{CodeMultipleBases}},
		{"explicit base 0 is no base", items("a", 1, 1, "b", 0, 1), nil},
		{"fargate with asg", items("FARGATE", 0, 1, "asg", 0, 1), []string{CodeMixedProviders}},
		{"spot with asg", items("asg", 0, 1, "FARGATE_SPOT", 0, 1), []string{CodeMixedProviders}},
		{"all weights 0", items("FARGATE", 0, 0, "FARGATE_SPOT", 0, 0), []string{CodeNoWeight}},
		{"all weights 0 with a base", items("FARGATE", 3, 0, "FARGATE_SPOT", 0, 0), []string{CodeNoWeight}},
		{"every problem at once", items("FARGATE", 1, 2000, "FARGATE", 1, 0, "asg", 0, 0),
			[]string{CodeWeightRange, CodeDuplicateProvider, CodeMultipleBases, CodeMixedProviders}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := StrategyProblems(tt.strategy)
			if diff := cmp.Diff(tt.want, codes(got)); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
			for _, p := range got {
				require.Equal(t, ecs.InvalidParameterException, p.Exception)
				require.NotEmpty(t, p.Message)
			}
		})
	}
}

func TestStrategyMessages(t *testing.T) {
	tests := []struct {
		name     string
		strategy []ecs.CapacityProviderStrategyItem
		path     string
		message  string
	}{
		{"weight range", items("a", 0, 1, "b", 0, 1001), "capacityProviderStrategy[1].weight",
			"1 validation error detected: Value '1001' at 'capacityProviderStrategy.2.member.weight' " +
				"failed to satisfy constraint: Member must have value less than or equal to 1000"},
		{"base range", items("a", -3, 1), "capacityProviderStrategy[0].base",
			"1 validation error detected: Value '-3' at 'capacityProviderStrategy.1.member.base' " +
				"failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"mix (verified)", items("FARGATE", 0, 1, "asg", 0, 1), "capacityProviderStrategy",
			"A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling " +
				"groups and Fargate providers. Specify one or the other and try again."},
		{"one base (developer guide)", items("a", 1, 1, "b", 1, 1), "capacityProviderStrategy",
			"Only one capacity provider in a capacity provider strategy can have a base defined."},
		{"twenty (developer guide)", manyItems(21), "capacityProviderStrategy",
			"A capacity provider strategy can contain a maximum of 20 capacity providers."},
		{"duplicate", items("a", 0, 1, "a", 0, 1), "capacityProviderStrategy[1].capacityProvider",
			"The capacity provider a is specified more than once in the capacity provider strategy. " +
				"Specify each capacity provider once and try again."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := StrategyProblems(tt.strategy)
			require.NotEmpty(t, ps)
			require.Equal(t, tt.path, ps[0].Path)
			require.Equal(t, tt.message, ps[0].Message)
		})
	}
}

func TestValidateStrategyError(t *testing.T) {
	require.NoError(t, ValidateStrategy(items("FARGATE", 0, 1)))
	err := ValidateStrategy(items("FARGATE", 0, 0, "FARGATE_SPOT", 0, 0))
	var api *ecs.APIError
	require.ErrorAs(t, err, &api)
	require.Equal(t, ecs.InvalidParameterException, api.Type)
	require.True(t, errors.Is(err, ecs.ErrInvalid))
	require.True(t, strings.HasPrefix(api.Message, "There are no capacity providers with a weight value greater than zero"))
	require.True(t, strings.HasPrefix(err.Error(), "InvalidParameterException: "))
}

func TestIsFargate(t *testing.T) {
	require.True(t, IsFargate("FARGATE"))
	require.True(t, IsFargate("FARGATE_SPOT"))
	require.False(t, IsFargate("fargate"))
	require.False(t, IsFargate("my-asg"))
}
