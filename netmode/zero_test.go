package netmode_test

import (
	"reflect"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/zerotest"
	"github.com/ecscore/ecscore/netmode"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: each returns an error or a
// documented zero result, never a panic (zerotest describes the calls).
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[*netmode.State](): {func() any {
				return mustState(t, instance("m5.large", true, ports("PORTS", 22)), netmode.Options{})
			}},
			zerotest.TypeOf[*netmode.Request](): {func() any {
				return mustRequest(t, taskDef(ecs.NetworkModeBridge, ctr("web", tcpPort(80, 0), tcpPort(81, 8081)),
					ctr("side", portRange("9000-9009", ecs.TransportProtocolUDP))))
			}, func() any {
				return mustRequest(t, taskDef(ecs.NetworkModeAwsvpc, ctr("web", tcpPort(80, 80))))
			}},
			zerotest.TypeOf[*ecs.TaskDefinition](): {func() any {
				return taskDef(ecs.NetworkModeHost, ctr("web", tcpPort(80, 80), udpPort(53, 53)))
			}},
		},
		Funcs: []any{
			netmode.AwsvpcTaskLimit,
			(*netmode.FitError).Error,
			netmode.New,
			netmode.NewRequest,
			netmode.PortRange.Contains,
			netmode.PortRange.Len,
			netmode.PortRange.String,
			(*netmode.Request).Bindings,
			(*netmode.Request).ENIs,
			(*netmode.Request).Mappings,
			(*netmode.Request).Matches,
			(*netmode.Request).Mode,
			(*netmode.Request).StaticPorts,
			(*netmode.State).Allocate,
			(*netmode.State).AwsvpcTaskLimit,
			(*netmode.State).Bind,
			(*netmode.State).Clone,
			(*netmode.State).CloneInto,
			(*netmode.State).DynamicInUse,
			(*netmode.State).DynamicRange,
			(*netmode.State).ENIsInUse,
			(*netmode.State).Fits,
			(*netmode.State).InstanceType,
			(*netmode.State).Release,
			(*netmode.State).Reserved,
			(*netmode.State).ReservedCount,
			(*netmode.State).ReservedPortLimit,
			(*netmode.State).Restore,
			(*netmode.State).StaticInUse,
			(*netmode.State).Taken,
			(*netmode.State).Unbind,
		},
	})
}
