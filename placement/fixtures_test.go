package placement_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// ciARN returns the ARN of the test container instance with bare id id.
func ciARN(id string) string {
	return "arn:aws:ecs:us-east-1:123456789012:container-instance/test/" + id
}

// instance is a fluent builder of container instances.
type instance struct{ ecs.ContainerInstance }

// newInstance returns an ACTIVE, connected instance with 2048 CPU units
// and 4096 MiB, all free, in us-east-1a.
func newInstance(id string) *instance {
	in := &instance{ecs.ContainerInstance{
		ContainerInstanceARN: ciARN(id),
		EC2InstanceID:        "i-" + id,
		Status:               "ACTIVE",
		AgentConnected:       true,
		VersionInfo:          &ecs.VersionInfo{AgentVersion: "1.89.2"},
	}}
	return in.res(2048, 4096).attr(ecs.AttrAvailabilityZone, "us-east-1a").attr(ecs.AttrInstanceType, "m5.large")
}

func intRes(name string, v int) ecs.Resource {
	return ecs.Resource{Name: name, Type: "INTEGER", IntegerValue: v}
}

func portRes(name string, ports ...int) ecs.Resource {
	set := []string{}
	for _, p := range ports {
		set = append(set, strconv.Itoa(p))
	}
	return ecs.Resource{Name: name, Type: "STRINGSET", StringSetValue: set}
}

// res sets registered and remaining CPU and memory to the same amounts.
func (in *instance) res(cpu, mem int) *instance {
	reg := []ecs.Resource{intRes("CPU", cpu), intRes("MEMORY", mem), portRes("PORTS", 22, 2375, 2376, 51678, 51679), portRes("PORTS_UDP")}
	in.RegisteredResources = reg
	in.RemainingResources = append([]ecs.Resource(nil), reg...)
	return in
}

// free sets the remaining CPU and memory.
func (in *instance) free(cpu, mem int) *instance {
	for i := range in.RemainingResources {
		switch in.RemainingResources[i].Name {
		case "CPU":
			in.RemainingResources[i].IntegerValue = cpu
		case "MEMORY":
			in.RemainingResources[i].IntegerValue = mem
		}
	}
	return in
}

// ports sets the remaining TCP ports taken.
func (in *instance) ports(ports ...int) *instance {
	for i := range in.RemainingResources {
		if in.RemainingResources[i].Name == "PORTS" {
			in.RemainingResources[i] = portRes("PORTS", ports...)
		}
	}
	return in
}

// udpPorts sets the remaining UDP ports taken.
func (in *instance) udpPorts(ports ...int) *instance {
	for i := range in.RemainingResources {
		if in.RemainingResources[i].Name == "PORTS_UDP" {
			in.RemainingResources[i] = portRes("PORTS_UDP", ports...)
		}
	}
	return in
}

func (in *instance) gpus(n int) *instance {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "gpu-" + strconv.Itoa(i)
	}
	r := ecs.Resource{Name: "GPU", Type: "STRINGSET", StringSetValue: ids}
	in.RegisteredResources = append(in.RegisteredResources, r)
	in.RemainingResources = append(in.RemainingResources, r)
	return in
}

func (in *instance) attr(name, value string) *instance {
	for i := range in.Attributes {
		if in.Attributes[i].Name == name {
			in.Attributes[i].Value = value
			return in
		}
	}
	in.Attributes = append(in.Attributes, ecs.Attribute{Name: name, Value: value})
	return in
}

func (in *instance) az(z string) *instance { return in.attr(ecs.AttrAvailabilityZone, z) }

func (in *instance) disconnected() *instance { in.AgentConnected = false; return in }

func (in *instance) status(s string) *instance { in.Status = s; return in }

func (in *instance) running(n int) *instance { in.RunningTasksCount = n; return in }

// cluster collects built instances.
func cluster(ins ...*instance) []ecs.ContainerInstance {
	out := make([]ecs.ContainerInstance, len(ins))
	for i, in := range ins {
		out[i] = in.ContainerInstance
	}
	return out
}

// taskDef returns a bridge task definition of one container taking cpu
// and memory, with the given host port mappings (0 for a dynamic port).
func taskDef(family string, cpu, mem int, hostPorts ...int) *ecs.TaskDefinition {
	cd := ecs.ContainerDefinition{Name: "app", Image: "nginx", CPU: cpu, Memory: &mem}
	for k, hp := range hostPorts {
		cp, h := 8000+k, hp
		cd.PortMappings = append(cd.PortMappings, ecs.PortMapping{ContainerPort: &cp, HostPort: &h, Protocol: ecs.TransportProtocolTCP})
	}
	return &ecs.TaskDefinition{
		Family:               family,
		TaskDefinitionARN:    "arn:aws:ecs:us-east-1:123456789012:task-definition/" + family + ":1",
		NetworkMode:          ecs.NetworkModeBridge,
		ContainerDefinitions: []ecs.ContainerDefinition{cd},
	}
}

// engine builds an engine on the instances and tasks.
func engine(t testing.TB, ins []ecs.ContainerInstance, tasks []ecs.Task, exhaustive bool) *placement.Engine {
	t.Helper()
	snap, err := placement.NewSnapshot(ins, tasks)
	require.NoError(t, err)
	return placement.NewEngine(snap, func(o *placement.EngineOptions) {
		o.Exhaustive = exhaustive
	})
}

// place runs a request and returns the instance ids, in order.
func place(t testing.TB, e *placement.Engine, req *placement.Request) ([]string, *placement.Result) {
	t.Helper()
	res, err := e.Place(req)
	require.NoError(t, err)
	ids := []string{}
	for _, p := range res.Placements {
		ids = append(ids, p.InstanceID)
	}
	return ids, res
}

func spread(field string) ecs.PlacementStrategy {
	return ecs.PlacementStrategy{Type: ecs.PlacementStrategyTypeSpread, Field: field}
}

func binpack(field string) ecs.PlacementStrategy {
	return ecs.PlacementStrategy{Type: ecs.PlacementStrategyTypeBinpack, Field: field}
}

func random() ecs.PlacementStrategy {
	return ecs.PlacementStrategy{Type: ecs.PlacementStrategyTypeRandom}
}

func memberOf(expr string) ecs.PlacementConstraint {
	return ecs.PlacementConstraint{Type: ecs.PlacementConstraintTypeMemberOf, Expression: expr}
}

func distinct() ecs.PlacementConstraint {
	return ecs.PlacementConstraint{Type: ecs.PlacementConstraintTypeDistinctInstance}
}

const azField = "attribute:" + ecs.AttrAvailabilityZone
