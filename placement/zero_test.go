package placement_test

import (
	"reflect"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/zerotest"
	"github.com/ecscore/ecscore/placement"
	"github.com/stretchr/testify/require"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: each returns an error or a
// documented zero result, never a panic (zerotest describes the calls).
func TestZeroValues(t *testing.T) {
	ins := cluster(newInstance("a").res(2048, 4096).az("us-east-1a").ports(22),
		newInstance("b").res(1024, 2048).az("us-east-1b"))
	req := func() *placement.Request {
		return &placement.Request{TaskDefinition: taskDef("web", 128, 128, 0, 8080), Count: 2,
			Strategy:    []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone"), binpack("memory")},
			Constraints: []ecs.PlacementConstraint{distinct()}}
	}
	busy := func() (*placement.Engine, *placement.Batch) {
		e := engine(t, ins, nil, false)
		var b placement.Batch
		require.NoError(t, e.PlaceInto(&b, req()))
		return e, &b
	}
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[*placement.Snapshot](): {func() any {
				snap, err := placement.NewSnapshot(ins, nil)
				require.NoError(t, err)
				return snap
			}},
			zerotest.TypeOf[*placement.Engine]():   {func() any { e, _ := busy(); return e }},
			zerotest.TypeOf[*placement.Batch]():    {func() any { _, b := busy(); return b }},
			zerotest.TypeOf[*placement.Request]():  {func() any { return req() }},
			zerotest.TypeOf[*ecs.TaskDefinition](): {func() any { return taskDef("web", 128, 128, 80) }},
		},
		Funcs: []any{
			(*placement.Batch).AvailabilityZone,
			(*placement.Batch).Bindings,
			(*placement.Batch).ContainerInstanceARN,
			(*placement.Batch).Containers,
			(*placement.Batch).EC2InstanceID,
			(*placement.Batch).ENIs,
			(*placement.Batch).Group,
			(*placement.Batch).HostPorts,
			(*placement.Batch).InstanceID,
			(*placement.Batch).Len,
			(*placement.Batch).Placement,
			(*placement.Batch).Result,
			(*placement.Batch).Task,
			(*placement.Batch).TaskARN,
			(*placement.Engine).Eligible,
			(*placement.Engine).EligibleZones,
			(*placement.Engine).Hold,
			(*placement.Engine).Instance,
			(*placement.Engine).Instances,
			(*placement.Engine).Place,
			(*placement.Engine).PlaceDaemon,
			(*placement.Engine).PlaceDaemonInto,
			(*placement.Engine).PlaceInto,
			(*placement.Engine).ScaleIn,
			(*placement.Engine).Stats,
			(*placement.Engine).Stop,
			(*placement.Engine).Tasks,
			(*placement.Explanation).Event,
			placement.ReasonCount.String,
			placement.NewEngine,
			placement.NewSnapshot,
			(*placement.Snapshot).Len,
			(*placement.Snapshot).Match,
			placement.TaskDemand,
			placement.ValidatePlacement,
			placement.ValidateRunTask,
		},
	})
}
