package ecs

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEmptyListsNames checks that every member of the table names a list
// of its shape.
func TestEmptyListsNames(t *testing.T) {
	for typ, names := range emptyLists {
		for _, name := range names {
			f := typ.FieldByIndex(fieldIndex(typ, name))
			require.Equal(t, reflect.Slice, f.Type.Kind(), "%s.%s", typ.Name(), name)
		}
	}
}

// TestSetEmptyLists checks that a response encodes with the lists ECS
// always writes, as the API's example of CreateService writes
// "loadBalancers": [] and "events": [], and that lists given are kept.
func TestSetEmptyLists(t *testing.T) {
	resp := &DescribeServicesResponse{Services: []Service{
		{ServiceName: "web", Tags: nil},
		{ServiceName: "api", PlacementStrategy: []PlacementStrategy{{Type: PlacementStrategyTypeRandom}}},
	}}
	SetEmptyLists(resp)
	data, err := Marshal(resp)
	require.NoError(t, err)
	var got struct {
		Services []map[string]json.RawMessage `json:"services"`
		Failures json.RawMessage              `json:"failures"`
	}
	require.NoError(t, json.Unmarshal(data, &got))
	require.JSONEq(t, `[]`, string(got.Failures))
	for _, member := range []string{"events", "loadBalancers", "serviceRegistries", "placementConstraints", "placementStrategy"} {
		require.JSONEq(t, `[]`, string(got.Services[0][member]), member)
	}
	require.NotContains(t, got.Services[0], "tags", "a list ECS leaves out when empty stays out")
	require.JSONEq(t, `[{"type":"random"}]`, string(got.Services[1]["placementStrategy"]))

	td := &TaskDefinition{ContainerDefinitions: []ContainerDefinition{{Name: "app"}}}
	SetEmptyLists(td)
	require.NotNil(t, td.ContainerDefinitions[0].Environment, "nested shapes are filled too")
	require.NotNil(t, td.Volumes)
	SetEmptyLists(nil) // nothing to fill
}
