package netmode_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

// TestFailureReasonOrder checks that a task failing several checks is
// refused for the first failure in the order of ECS's reasons (issue 5):
// RESOURCE:PORTS, then RESOURCE:PORTS_UDP, then RESOURCE:ENI, whatever the
// task definition's order of its mappings. Within one protocol the checks
// keep their order: a host port asked for twice, each static port in task
// definition order, the reserved-port limit, the dynamic ports.
func TestFailureReasonOrder(t *testing.T) {
	one := netmode.PortRange{First: 50000, Last: 50000}
	tests := []struct {
		name    string
		ci      *ecs.ContainerInstance
		opts    netmode.Options
		running []*ecs.TaskDefinition // allocated first
		td      *ecs.TaskDefinition
		want    netmode.FitError
	}{{
		name: "reserved UDP port before reserved TCP port",
		ci:   instance("", false, ports(ecs.ResourcePortsUDP, 53)),
		td:   taskDef("", ctr("dns", udpPort(53, 53)), ctr("ssh", tcpPort(22, 22))),
		want: netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseReserved, Protocol: "tcp", Port: 22},
	}, {
		name:    "UDP port in use before TCP port in use",
		running: []*ecs.TaskDefinition{taskDef("", ctr("a", udpPort(53, 5353), tcpPort(80, 8080)))},
		td:      taskDef("", ctr("a", udpPort(53, 5353), tcpPort(80, 8080))),
		want:    netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseInUse, Protocol: "tcp", Port: 8080},
	}, {
		name:    "UDP port in use before reserved TCP port, other containers",
		running: []*ecs.TaskDefinition{taskDef("", ctr("a", udpPort(53, 5353)))},
		td:      taskDef("", ctr("a", udpPort(53, 5353)), ctr("b"), ctr("c", tcpPort(1, 2375))),
		want:    netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseReserved, Protocol: "tcp", Port: 2375},
	}, {
		name: "UDP port asked for twice before TCP port asked for twice",
		td:   taskDef("", ctr("a", udpPort(1, 7000), udpPort(2, 7000), tcpPort(3, 8000)), ctr("b", tcpPort(4, 8000))),
		want: netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseDuplicate, Protocol: "tcp", Port: 8000},
	}, {
		name: "UDP port asked for twice before reserved TCP port",
		td:   taskDef("", ctr("a", udpPort(1, 7000), udpPort(2, 7000), tcpPort(22, 22))),
		want: netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseReserved, Protocol: "tcp", Port: 22},
	}, {
		name:    "UDP static port in use before no TCP dynamic port",
		opts:    netmode.Options{DynamicRange: one},
		running: []*ecs.TaskDefinition{taskDef("", ctr("a", tcpPort(80, 0), udpPort(53, 5353)))},
		td:      taskDef("", ctr("a", udpPort(53, 5353), tcpPort(80, 0))),
		want: netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseNoDynamicPort, Protocol: "tcp",
			Count: 1, Range: one},
	}, {
		name: "no UDP range before no TCP range",
		opts: netmode.Options{DynamicRange: one},
		td:   taskDef("", ctr("a", portRange("1-2", "udp")), ctr("b", portRange("1-3", "tcp"))),
		want: netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseNoContiguousRange, Protocol: "tcp",
			Count: 3, Range: one},
	}, {
		name: "UDP after TCP: a UDP failure when every TCP check passes",
		ci:   instance("", false, ports(ecs.ResourcePortsUDP, 53)),
		td:   taskDef("", ctr("a", tcpPort(80, 8080), udpPort(53, 53), tcpPort(81, 0))),
		want: netmode.FitError{Reason: netmode.ReasonPortsUDP, Cause: netmode.CauseReserved, Protocol: "udp", Port: 53},
	}, {
		name:    "within TCP, task definition order",
		running: []*ecs.TaskDefinition{taskDef("", ctr("a", tcpPort(80, 8080)))},
		td:      taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(22, 22))),
		want:    netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseInUse, Protocol: "tcp", Port: 8080},
	}, {
		name: "reserved-port limit: TCP static ports take the room first",
		opts: netmode.Options{ReservedPortLimit: 7}, // 6 reserved, room for 1
		td:   taskDef("", ctr("a", udpPort(1, 7000), tcpPort(2, 1001), tcpPort(3, 1002))),
		want: netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseReservedLimit, Protocol: "tcp", Port: 1002, Limit: 7},
	}, {
		name: "reserved-port limit: passed by the UDP ports when the TCP ones fit",
		opts: netmode.Options{ReservedPortLimit: 8}, // room for 2
		td:   taskDef("", ctr("a", udpPort(1, 7000), tcpPort(2, 1001), tcpPort(3, 1002))),
		want: netmode.FitError{Reason: netmode.ReasonPortsUDP, Cause: netmode.CauseReservedLimit, Protocol: "udp", Port: 7000, Limit: 8},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustState(t, tt.ci, tt.opts)
			for _, td := range tt.running {
				_, err := s.Allocate(mustRequest(t, td))
				require.NoError(t, err)
			}
			before := snap(s)
			r := mustRequest(t, tt.td)
			fe, ok := s.Fits(r)
			require.False(t, ok)
			require.Empty(t, cmp.Diff(tt.want, fe))
			_, err := s.Allocate(r)
			var got *netmode.FitError
			require.True(t, errors.As(err, &got), "%v", err)
			require.Equal(t, fe, *got, "Fits and Allocate agree")
			require.Empty(t, cmp.Diff(before, snap(s)), "a refusal changes nothing")
		})
	}
}

// TestRestoreReasonOrder checks that Restore, too, reports a TCP conflict
// before a UDP one.
func TestRestoreReasonOrder(t *testing.T) {
	s := mustState(t, instance("", false, ports(ecs.ResourcePortsUDP, 53)), netmode.Options{})
	r := mustRequest(t, taskDef("", ctr("a", udpPort(53, 53), tcpPort(22, 22))))
	_, err := s.Restore(r, []ecs.Container{{Name: "a", NetworkBindings: []ecs.NetworkBinding{
		bound(53, 53, "udp"), bound(22, 22, "tcp"),
	}}})
	var fe *netmode.FitError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseReserved, Protocol: "tcp", Port: 22}, *fe)
}

// TestBindingsFollowTaskDefinition checks that the bindings of a task
// whose TCP and UDP dynamic mappings interleave, and of tasks too large
// for one block, come in task definition order with the right ports.
func TestBindingsFollowTaskDefinition(t *testing.T) {
	s := mustState(t, nil, netmode.Options{})
	a, err := s.Allocate(mustRequest(t, taskDef("",
		ctr("a", udpPort(1, 0), tcpPort(2, 0)), ctr("b"),
		ctr("c", portRange("10-11", "udp"), tcpPort(3, 8080), portRange("20-22", "tcp"), udpPort(4, 0)))))
	require.NoError(t, err)
	require.Equal(t, []string{"49153/udp", "49153/tcp", "49154-49155/udp", "8080/tcp", "49154-49156/tcp", "49156/udp"}, hostPorts(a))
	require.Equal(t, "10-11", a.Containers[2].NetworkBindings[0].ContainerPortRange)
	require.Equal(t, "20-22", a.Containers[2].NetworkBindings[2].ContainerPortRange)

	for _, shape := range []struct{ containers, perContainer int }{{12, 1}, {1, 17}, {3, 7}, {11, 0}} {
		t.Run(fmt.Sprint(shape), func(t *testing.T) {
			s := mustState(t, nil, netmode.Options{})
			var cs []ecs.ContainerDefinition
			var want []string
			for c := range shape.containers {
				cd := ctr("c" + strconv.Itoa(c))
				for range shape.perContainer {
					cd.PortMappings = append(cd.PortMappings, tcpPort(80, 0))
					want = append(want, strconv.Itoa(49153+len(want))+"/tcp")
				}
				cs = append(cs, cd)
			}
			a, err := s.Allocate(mustRequest(t, taskDef("", cs...)))
			require.NoError(t, err)
			require.Len(t, a.Containers, shape.containers)
			for i, c := range a.Containers {
				require.Equal(t, "c"+strconv.Itoa(i), c.Name)
				require.Len(t, c.NetworkBindings, shape.perContainer)
				require.Equal(t, len(c.NetworkBindings), cap(c.NetworkBindings))
			}
			require.Equal(t, want, hostPorts(a))
			require.NoError(t, s.Release(a))
			require.Empty(t, s.DynamicInUse("tcp"))
		})
	}
}

// TestAllocateAllocations checks how many heap allocations Allocate makes:
// one for a task of up to ten containers and sixteen mappings, one more
// for the hostPortRange texts of its ranges, and one more for the search
// of a task with more than eight dynamic mappings.
func TestAllocateAllocations(t *testing.T) {
	tests := []struct {
		name string
		td   *ecs.TaskDefinition
		want float64
	}{
		{"one dynamic port", taskDef("", ctr("a", tcpPort(80, 0))), 1},
		{"static and dynamic, two containers", taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(81, 0)), ctr("b", udpPort(53, 0))), 1},
		{"ten dynamic ports", dynamicTask(10), 2},
		{"two ranges", taskDef("", ctr("a", portRange("1000-1099", ""), portRange("2000-2009", "udp"))), 2},
		{"awsvpc", taskDef(ecs.NetworkModeAwsvpc, ctr("a", tcpPort(80, 80)), ctr("b")), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustState(t, instance("c5.large", false), netmode.Options{})
			r := mustRequest(t, tt.td)
			got := testing.AllocsPerRun(100, func() {
				a, err := s.Allocate(r)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Release(a); err != nil {
					t.Fatal(err)
				}
			})
			require.Equal(t, tt.want, got)
		})
	}
}
