package netmode_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

// TestHostMode checks rule 71: hostPort = containerPort, and two copies of
// a task with port mappings cannot run on one instance.
func TestHostMode(t *testing.T) {
	s := mustState(t, nil, netmode.Options{})
	td := taskDef(ecs.NetworkModeHost, ctr("web", tcpPort(80, 0), tcpPort(443, 443), udpPort(53, 0)))
	r := mustRequest(t, td)
	require.Equal(t, 3, r.StaticPorts())

	a, err := s.Allocate(r)
	require.NoError(t, err)
	require.Equal(t, []string{"80/tcp", "443/tcp", "53/udp"}, hostPorts(a))
	require.Equal(t, 9, s.ReservedCount(), "host ports count toward the limit")

	fe, ok := s.Fits(r)
	require.False(t, ok)
	require.Equal(t, netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseInUse, Protocol: "tcp", Port: 80}, fe)
	require.Equal(t, "RESOURCE:PORTS: host port 80/tcp is already in use", fe.Error())

	fe, ok = s.Fits(mustRequest(t, taskDef(ecs.NetworkModeHost, ctr("agent", tcpPort(51678, 0)))))
	require.False(t, ok)
	require.Equal(t, netmode.CauseReserved, fe.Cause)

	fe, ok = s.Fits(mustRequest(t, taskDef(ecs.NetworkModeBridge, ctr("dns", udpPort(5353, 53)))))
	require.False(t, ok, "a bridge task cannot take a port a host task holds")
	require.Equal(t, netmode.FitError{Reason: netmode.ReasonPortsUDP, Cause: netmode.CauseInUse, Protocol: "udp", Port: 53}, fe)

	require.NoError(t, s.Release(a))
	_, ok = s.Fits(r)
	require.True(t, ok)
}

func TestStaticPortInUseByDynamic(t *testing.T) {
	s := mustState(t, nil, netmode.Options{})
	_, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", tcpPort(80, 0)))))
	require.NoError(t, err)
	fe, ok := s.Fits(mustRequest(t, taskDef(ecs.NetworkModeHost, ctr("b", tcpPort(49153, 0)))))
	require.False(t, ok)
	require.Equal(t, netmode.CauseInUse, fe.Cause)
	require.Equal(t, 49153, fe.Port)
}

// TestAwsvpc checks rules 72 and 81–83: no host port, one ENI per task,
// and the instance type's limit with and without trunking.
func TestAwsvpc(t *testing.T) {
	task := taskDef(ecs.NetworkModeAwsvpc, ctr("web", tcpPort(80, 80), portRange("8000-8100", "")))
	tests := []struct {
		name         string
		ci           *ecs.ContainerInstance
		opts         netmode.Options
		limit        int
		known        bool
		instanceType string
	}{
		{"c5.large", instance("c5.large", false), netmode.Options{}, 2, true, "c5.large"},
		{"c5.large trunking", instance("c5.large", true), netmode.Options{}, 10, true, "c5.large"},
		{"m6i.12xlarge trunking", instance("m6i.12xlarge", true), netmode.Options{}, 120, true, "m6i.12xlarge"},
		{"a1.medium", instance("a1.medium", false), netmode.Options{}, 1, true, "a1.medium"},
		{"t3 has no trunk figure", instance("t3.large", true), netmode.Options{}, 2, true, "t3.large"},
		{"unknown type", instance("z9.huge", false), netmode.Options{}, 0, false, "z9.huge"},
		{"unknown type, limit given", instance("z9.huge", false), netmode.Options{AwsvpcTaskLimit: 3}, 3, true, "z9.huge"},
		{"no type attribute", nil, netmode.Options{}, 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustState(t, tt.ci, tt.opts)
			limit, known := s.AwsvpcTaskLimit()
			require.Equal(t, tt.known, known)
			r := mustRequest(t, task)
			require.Equal(t, 1, r.ENIs())
			if !known {
				_, err := s.Allocate(r)
				var fe *netmode.FitError
				require.ErrorAs(t, err, &fe)
				require.Equal(t, netmode.FitError{Reason: netmode.ReasonENI, Cause: netmode.CauseUnknownInstanceType, InstanceType: tt.instanceType}, *fe)
				require.Contains(t, fe.Error(), "unknown instance type")
				return
			}
			require.Equal(t, tt.limit, limit)
			var held []*netmode.Allocation
			for range tt.limit {
				a, err := s.Allocate(r)
				require.NoError(t, err)
				require.Nil(t, hostPorts(a), "awsvpc binds no host port")
				held = append(held, a)
			}
			require.Equal(t, tt.limit, s.ENIsInUse())
			require.Equal(t, 6, s.ReservedCount())
			fe, ok := s.Fits(r)
			require.False(t, ok)
			require.Equal(t, netmode.FitError{Reason: netmode.ReasonENI, Cause: netmode.CauseENILimit, Limit: tt.limit, InstanceType: tt.instanceType}, fe)
			require.NoError(t, s.Release(held[0]))
			_, ok = s.Fits(r)
			require.True(t, ok, "release gives the ENI back")
		})
	}
}

// TestAwsvpcTaskLimitRule83 checks the developer guide's rows through
// AwsvpcTaskLimit.
func TestAwsvpcTaskLimitRule83(t *testing.T) {
	rows := []struct {
		name          string
		without, with int
	}{
		{"c5.large", 2, 10}, {"c5.xlarge", 3, 20}, {"c5.2xlarge", 3, 40}, {"c5.4xlarge", 7, 60},
		{"c5.24xlarge", 14, 120}, {"m5.large", 2, 10}, {"m5.xlarge", 3, 20}, {"m5.2xlarge", 3, 40},
		{"m5.4xlarge", 7, 60}, {"m5.8xlarge", 7, 60}, {"m5.24xlarge", 14, 120}, {"r5.large", 2, 10},
		{"r5.xlarge", 3, 20}, {"m6i.8xlarge", 7, 90}, {"m6i.12xlarge", 7, 120}, {"a1.medium", 1, 10},
		{"c6g.medium", 1, 4},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			it, ok := ecs.DefaultCatalog().Lookup(row.name)
			require.True(t, ok)
			without, ok := netmode.AwsvpcTaskLimit(it, false)
			require.True(t, ok)
			with, _ := netmode.AwsvpcTaskLimit(it, true)
			require.Equal(t, [2]int{row.without, row.with}, [2]int{without, with})
		})
	}
	_, ok := netmode.AwsvpcTaskLimit(ecs.InstanceType{Name: "x"}, false)
	require.False(t, ok)
}

func TestNoneMode(t *testing.T) {
	s := mustState(t, nil, netmode.Options{})
	r := mustRequest(t, taskDef(ecs.NetworkModeNone, ctr("batch")))
	a, err := s.Allocate(r)
	require.NoError(t, err)
	require.Empty(t, cmp.Diff([]netmode.ContainerBindings{{Name: "batch"}}, a.Containers))
	require.Zero(t, a.ENIs)
	require.NoError(t, s.Release(a))
}

func TestNewRequestInvalid(t *testing.T) {
	tests := []struct {
		name string
		td   *ecs.TaskDefinition
		want string
	}{
		{"none with mappings", taskDef(ecs.NetworkModeNone, ctr("a"), ctr("b", tcpPort(80, 0))),
			"containerDefinitions[1].portMappings: invalid port mapping: network mode none takes no port mappings"},
		{"host hostPort differs", taskDef(ecs.NetworkModeHost, ctr("a", tcpPort(80, 8080))),
			"containerDefinitions[0].portMappings[0].hostPort: invalid port mapping: host mode binds hostPort = containerPort (80), have 8080"},
		{"host range", taskDef(ecs.NetworkModeHost, ctr("a", portRange("1-2", ""))),
			"containerDefinitions[0].portMappings[0].containerPortRange"},
		{"range with hostPort", taskDef("", ctr("a", ecs.PortMapping{ContainerPortRange: "1-2", HostPort: intp(5)})),
			"portMappings[0].hostPort"},
		{"bad range", taskDef("", ctr("a", portRange("9-3", ""))), "containerPortRange"},
		{"one-port range", taskDef("", ctr("a", portRange("9-9", ""))), "containerPortRange"},
		{"no containerPort", taskDef("", ctr("a", ecs.PortMapping{HostPort: intp(80)})), "portMappings[0].containerPort"},
		{"containerPort too big", taskDef("", ctr("a", tcpPort(70000, 0))), "containerPort"},
		{"hostPort negative", taskDef("", ctr("a", tcpPort(80, -1))), "portMappings[0].hostPort"},
		{"protocol", taskDef("", ctr("a", ecs.PortMapping{ContainerPort: intp(80), Protocol: "sctp"})), "protocol"},
		{"mode", taskDef("nat", ctr("a")), "networkMode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := netmode.NewRequest(tt.td)
			require.True(t, errors.Is(err, netmode.ErrInvalid), "%v", err)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestNewRequestModes(t *testing.T) {
	r := mustRequest(t, taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(81, 0))))
	require.Equal(t, ecs.NetworkModeBridge, r.Mode())
	require.Equal(t, 1, r.StaticPorts())
	require.Zero(t, r.ENIs())
	r = mustRequest(t, taskDef(ecs.NetworkModeAwsvpc, ctr("a", tcpPort(80, 0))))
	require.Equal(t, 1, r.ENIs())
	require.Zero(t, r.StaticPorts())
}

// TestRequestMatches checks that a request matches the task definition it
// was read from, and copies of it, and no definition that binds otherwise.
func TestRequestMatches(t *testing.T) {
	base := func() *ecs.TaskDefinition {
		return taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(81, 0)), ctr("b", udpPort(53, 0), portRange("1000-1009", "")))
	}
	tests := []struct {
		name   string
		change func(td *ecs.TaskDefinition)
		want   bool
	}{
		{"same", func(*ecs.TaskDefinition) {}, true},
		{"bridge spelled out", func(td *ecs.TaskDefinition) { td.NetworkMode = ecs.NetworkModeBridge }, true},
		{"protocol spelled out", func(td *ecs.TaskDefinition) {
			td.ContainerDefinitions[0].PortMappings[0].Protocol = ecs.TransportProtocolTCP
		}, true},
		{"other mode", func(td *ecs.TaskDefinition) { td.NetworkMode = ecs.NetworkModeHost }, false},
		{"container renamed", func(td *ecs.TaskDefinition) { td.ContainerDefinitions[1].Name = "c" }, false},
		{"container added", func(td *ecs.TaskDefinition) { td.ContainerDefinitions = append(td.ContainerDefinitions, ctr("c")) }, false},
		{"host port changed", func(td *ecs.TaskDefinition) { td.ContainerDefinitions[0].PortMappings[0].HostPort = intp(8081) }, false},
		{"static made dynamic", func(td *ecs.TaskDefinition) { td.ContainerDefinitions[0].PortMappings[0].HostPort = intp(0) }, false},
		{"dynamic made static", func(td *ecs.TaskDefinition) { td.ContainerDefinitions[0].PortMappings[1].HostPort = intp(9000) }, false},
		{"container port changed", func(td *ecs.TaskDefinition) { td.ContainerDefinitions[0].PortMappings[1].ContainerPort = intp(82) }, false},
		{"protocol changed", func(td *ecs.TaskDefinition) {
			td.ContainerDefinitions[1].PortMappings[0].Protocol = ecs.TransportProtocolTCP
		}, false},
		{"range changed", func(td *ecs.TaskDefinition) {
			td.ContainerDefinitions[1].PortMappings[1].ContainerPortRange = "1000-1010"
		}, false},
		{"mapping moved to another container", func(td *ecs.TaskDefinition) {
			c := td.ContainerDefinitions
			c[0].PortMappings, c[1].PortMappings = c[0].PortMappings[:1], append([]ecs.PortMapping{c[0].PortMappings[1]}, c[1].PortMappings...)
		}, false},
		{"mapping dropped", func(td *ecs.TaskDefinition) {
			td.ContainerDefinitions[1].PortMappings = td.ContainerDefinitions[1].PortMappings[:1]
		}, false},
		{"mapping invalid", func(td *ecs.TaskDefinition) { td.ContainerDefinitions[0].PortMappings[0].HostPort = intp(70000) }, false},
	}
	r := mustRequest(t, base())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := base()
			tt.change(td)
			require.Equal(t, tt.want, r.Matches(td))
			require.Zero(t, testing.AllocsPerRun(10, func() { r.Matches(td) }))
		})
	}
	awsvpc := taskDef(ecs.NetworkModeAwsvpc, ctr("a", tcpPort(80, 80)))
	require.True(t, mustRequest(t, awsvpc).Matches(taskDef(ecs.NetworkModeAwsvpc, ctr("a", tcpPort(80, 80)))))
	require.False(t, mustRequest(t, awsvpc).Matches(taskDef(ecs.NetworkModeNone, ctr("a"))))
	host := taskDef(ecs.NetworkModeHost, ctr("a", tcpPort(80, 0), tcpPort(81, 81)))
	require.True(t, mustRequest(t, host).Matches(taskDef(ecs.NetworkModeHost, ctr("a", tcpPort(80, 80), tcpPort(81, 0)))))
	require.False(t, mustRequest(t, host).Matches(taskDef(ecs.NetworkModeHost, ctr("a", tcpPort(80, 80), tcpPort(81, 82)))))
}
