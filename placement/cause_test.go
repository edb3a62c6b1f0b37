package placement_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/cql"
	"github.com/ecscore/ecscore/netmode"
	"github.com/ecscore/ecscore/placement"
)

// A request refused for its task definition's sizes or port mappings
// gives an *ecs.APIError that keeps the cause for errors.Is and errors.As.
func TestPlaceErrorKeepsCause(t *testing.T) {
	badCPU := taskDef("web", 128, 128)
	badCPU.CPU = "lots"
	badMode := taskDef("web", 128, 128, 80)
	badMode.NetworkMode = "bogus"
	for _, tc := range []struct {
		name  string
		td    *ecs.TaskDefinition
		typ   string
		cause error
	}{
		{"unit form", badCPU, ecs.InvalidParameterException, ecs.ErrUnitForm},
		{"network mode", badMode, ecs.ClientException, netmode.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := engine(t, cluster(newInstance("a")), nil, false)
			_, err := e.Place(&placement.Request{TaskDefinition: tc.td, Count: 1})
			var ae *ecs.APIError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tc.typ, ae.Type)
			require.ErrorIs(t, err, ecs.ErrInvalid)
			require.ErrorIs(t, err, tc.cause)
			require.NotContains(t, ae.Message, "%!")
		})
	}
}

// Match's error for an expression that does not parse keeps the parser's
// *cql.Error.
func TestSnapshotMatchErrorKeepsCause(t *testing.T) {
	snap := querySnapshot(t)
	_, err := snap.Match("attribute:stack ==")
	require.ErrorIs(t, err, ecs.ErrInvalid)
	var ce *cql.Error
	require.True(t, errors.As(err, &ce), "%v", err)
	var ae *ecs.APIError
	require.ErrorAs(t, err, &ae)
	require.Contains(t, ae.Message, ce.Error())
}
