package capacity

import (
	"errors"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestResolve(t *testing.T) {
	fargateCluster := &ecs.Cluster{
		CapacityProviders:               []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: items("FARGATE", 1, 1, "FARGATE_SPOT", 0, 3),
	}
	zeroDefault := &ecs.Cluster{
		CapacityProviders:               []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: items("FARGATE", 0, 0, "FARGATE_SPOT", 0, 0),
	}
	bare := &ecs.Cluster{CapacityProviders: []string{"asg"}}
	tests := []struct {
		name       string
		launchType ecs.LaunchType
		strategy   []ecs.CapacityProviderStrategyItem
		cluster    *ecs.Cluster
		want       Launch
		wantCode   string
	}{
		{"launch type", ecs.LaunchTypeFargate, nil, fargateCluster, Launch{LaunchType: ecs.LaunchTypeFargate}, ""},
		{"external", ecs.LaunchTypeExternal, nil, nil, Launch{LaunchType: ecs.LaunchTypeExternal}, ""},
		{"both", ecs.LaunchTypeEC2, items("asg", 0, 1), bare, Launch{}, CodeLaunchTypeConflict},
		{"unknown launch type", "FARGATE_SPOT", nil, nil, Launch{}, CodeLaunchType},
		{"managed instances needs a strategy", ecs.LaunchTypeManagedInstances, nil, nil, Launch{}, CodeLaunchType},
		{"strategy", "", items("FARGATE_SPOT", 0, 1), fargateCluster,
			Launch{Strategy: items("FARGATE_SPOT", 0, 1)}, ""},
		{"strategy, no cluster given", "", items("asg", 0, 1), nil, Launch{Strategy: items("asg", 0, 1)}, ""},
		{"bad strategy", "", items("FARGATE", 0, 1, "asg", 0, 1), nil, Launch{}, CodeMixedProviders},
		{"not associated", "", items("FARGATE", 0, 1), bare, Launch{}, CodeNotAssociated},
		{"cluster default", "", nil, fargateCluster,
			Launch{Strategy: items("FARGATE", 1, 1, "FARGATE_SPOT", 0, 3), Default: true}, ""},
		{"default all zero", "", nil, zeroDefault, Launch{}, CodeNoWeight},
		{"no default: EC2", "", nil, bare, Launch{LaunchType: ecs.LaunchTypeEC2, Fallback: true}, ""},
		{"no cluster: EC2", "", nil, nil, Launch{LaunchType: ecs.LaunchTypeEC2, Fallback: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.launchType, tt.strategy, tt.cluster)
			if tt.wantCode != "" {
				require.Error(t, err)
				require.True(t, errors.Is(err, ecs.ErrInvalid))
				require.Equal(t, tt.wantCode, codeOf(t, err, tt.launchType))
				return
			}
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve (-want +got):\n%s", diff)
			}
		})
	}
}

// codeOf finds the code of the problem behind err by its message.
func codeOf(t *testing.T, err error, lt ecs.LaunchType) string {
	t.Helper()
	var api *ecs.APIError
	require.ErrorAs(t, err, &api)
	switch api.Message {
	case conflictMsg:
		return CodeLaunchTypeConflict
	case managedInstancesMsg:
		return CodeLaunchType
	case notAssociatedMsg:
		return CodeNotAssociated
	case mixMsg:
		return CodeMixedProviders
	case defaultNoWeightMsg, noWeightMsg:
		return CodeNoWeight
	}
	if lt != "" {
		require.Contains(t, api.Message, "Member must satisfy enum value set: [EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES]")
		return CodeLaunchType
	}
	t.Fatalf("unexpected message %q", api.Message)
	return ""
}

func TestResolveVerifiedTexts(t *testing.T) {
	_, err := Resolve(ecs.LaunchTypeEC2, items("asg", 0, 1), nil)
	require.EqualError(t, err, "InvalidParameterException: Specifying both a launch type and capacity "+
		"provider strategy is not supported. Remove one and try again.")

	_, err = Resolve("", nil, &ecs.Cluster{DefaultCapacityProviderStrategy: items("FARGATE", 0, 0, "FARGATE_SPOT", 0, 0)})
	require.EqualError(t, err, "InvalidParameterException: There are no capacity providers with a weight "+
		"value greater than zero defined in the default capacity provider strategy. At least one capacity "+
		"provider must have a weight value greater than zero specified. Update the cluster's default "+
		"capacity provider strategy or specify a valid capacity provider strategy and try again.")
}

func TestResolveCopiesStrategy(t *testing.T) {
	s := items("asg", 0, 1)
	l, err := Resolve("", s, nil)
	require.NoError(t, err)
	s[0].Weight = 9
	require.Equal(t, 1, l.Strategy[0].Weight)
}

func TestStrategyIsFargate(t *testing.T) {
	item := func(p string) ecs.CapacityProviderStrategyItem {
		return ecs.CapacityProviderStrategyItem{CapacityProvider: p}
	}
	for name, tc := range map[string]struct {
		launch Launch
		want   bool
	}{
		"none":             {Launch{}, false},
		"EC2":              {Launch{LaunchType: ecs.LaunchTypeEC2}, false},
		"FARGATE":          {Launch{LaunchType: ecs.LaunchTypeFargate}, true},
		"Fargate strategy": {Launch{Strategy: []ecs.CapacityProviderStrategyItem{item("FARGATE"), item("FARGATE_SPOT")}}, true},
		"ASG strategy":     {Launch{Strategy: []ecs.CapacityProviderStrategyItem{item("asg")}}, false},
	} {
		if got := tc.launch.Fargate(); got != tc.want {
			t.Errorf("%s: Fargate() = %v, want %v", name, got, tc.want)
		}
		if got := StrategyIsFargate(tc.launch.Strategy); got != tc.want && tc.launch.LaunchType == "" {
			t.Errorf("%s: StrategyIsFargate = %v, want %v", name, got, tc.want)
		}
	}
}
