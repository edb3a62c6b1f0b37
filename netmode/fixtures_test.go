package netmode_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

// taskDef builds a task definition of the given mode and containers.
func taskDef(mode ecs.NetworkMode, containers ...ecs.ContainerDefinition) *ecs.TaskDefinition {
	return &ecs.TaskDefinition{Family: "web", NetworkMode: mode, ContainerDefinitions: containers}
}

// ctr builds a container definition with port mappings.
func ctr(name string, mappings ...ecs.PortMapping) ecs.ContainerDefinition {
	return ecs.ContainerDefinition{Name: name, PortMappings: mappings}
}

// tcpPort maps containerPort to hostPort over TCP; hostPort 0 leaves it
// out (dynamic in bridge mode).
func tcpPort(containerPort, hostPort int) ecs.PortMapping {
	pm := ecs.PortMapping{ContainerPort: &containerPort}
	if hostPort != 0 {
		pm.HostPort = &hostPort
	}
	return pm
}

// udpPort is tcpPort over UDP.
func udpPort(containerPort, hostPort int) ecs.PortMapping {
	pm := tcpPort(containerPort, hostPort)
	pm.Protocol = ecs.TransportProtocolUDP
	return pm
}

// portRange maps a containerPortRange.
func portRange(r string, p ecs.TransportProtocol) ecs.PortMapping {
	return ecs.PortMapping{ContainerPortRange: r, Protocol: p}
}

// instance builds a container instance of a type, with attributes and
// registered resources.
func instance(instanceType string, trunking bool, registered ...ecs.Resource) *ecs.ContainerInstance {
	ci := &ecs.ContainerInstance{RegisteredResources: registered}
	if instanceType != "" {
		ci.Attributes = append(ci.Attributes, ecs.Attribute{Name: netmode.AttributeInstanceType, Value: instanceType})
	}
	if trunking {
		ci.Attributes = append(ci.Attributes, ecs.Attribute{Name: netmode.AttributeENITrunking})
	}
	return ci
}

// ports is a registered PORTS or PORTS_UDP resource.
func ports(name string, list ...int) ecs.Resource {
	r := ecs.Resource{Name: name, Type: "STRINGSET"}
	for _, p := range list {
		r.StringSetValue = append(r.StringSetValue, strconv.Itoa(p))
	}
	return r
}

func mustRequest(t testing.TB, td *ecs.TaskDefinition) *netmode.Request {
	t.Helper()
	r, err := netmode.NewRequest(td)
	require.NoError(t, err)
	return r
}

func mustState(t testing.TB, ci *ecs.ContainerInstance, opts netmode.Options) *netmode.State {
	t.Helper()
	s, err := netmode.New(ci, func(o *netmode.Options) { *o = opts })
	require.NoError(t, err)
	return s
}

// hostPorts lists the host ports of an allocation, "port/proto" for single
// ports and "first-last/proto" for ranges, in binding order.
func hostPorts(a *netmode.Allocation) []string {
	var out []string
	for _, c := range a.Containers {
		for _, b := range c.NetworkBindings {
			if b.HostPortRange != "" {
				out = append(out, b.HostPortRange+"/"+string(b.Protocol))
				continue
			}
			out = append(out, strconv.Itoa(*b.HostPort)+"/"+string(b.Protocol))
		}
	}
	return out
}

func intp(v int) *int { return &v }
