package placement

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/cql"
	"github.com/ecscore/ecscore/netmode"
)

// loadedTask is a loaded task read against its task definition.
type loadedTask struct {
	t   *ecs.Task
	req *netmode.Request
	res ecs.Resources
}

// taskDefs caches, for one snapshot build, what the loaded tasks of each
// task definition ARN ask: the definition, its network request and its
// size, read once however many tasks run it.
type taskDefs struct {
	opts   *SnapshotOptions
	m      map[string]*tdDemand
	shapes map[[3]int32]*taskShape
}

// shape returns the shape of loaded tasks that take res.
func (c *taskDefs) shape(res ecs.Resources) *taskShape {
	k := [3]int32{int32(res.CPU), int32(res.MemoryMiB), int32(res.GPUs)}
	sh, ok := c.shapes[k]
	if !ok {
		sh = &taskShape{cpu: k[0], mem: k[1], gpu: k[2]}
		if c.shapes == nil {
			c.shapes = make(map[[3]int32]*taskShape)
		}
		c.shapes[k] = sh
	}
	return sh
}

// tdDemand is what tasks of one task definition take; td is nil when
// SnapshotOptions.TaskDefinition does not know it.
type tdDemand struct {
	td  *ecs.TaskDefinition
	req *netmode.Request
	res ecs.Resources
	err error // from reading req or res
}

// lookup returns what tasks of the task definition arn take.
func (c *taskDefs) lookup(arn string) *tdDemand {
	if d, ok := c.m[arn]; ok {
		return d
	}
	d := &tdDemand{}
	if c.opts.TaskDefinition != nil {
		d.td = c.opts.TaskDefinition(arn)
	}
	if d.td != nil {
		if d.req, d.err = netmode.NewRequest(d.td); d.err == nil {
			d.res, d.err = TaskDemand(d.td, nil)
		}
	}
	if c.m == nil {
		c.m = make(map[string]*tdDemand)
	}
	c.m[arn] = d
	return d
}

// addInstance fills s.inst[k] from ci and the tasks loaded on it.
func (s *Snapshot) addInstance(k int, ci *ecs.ContainerInstance, tasks []*ecs.Task, tds *taskDefs) error {
	opts := tds.opts
	reg, err := ecs.ParseResources(ci.RegisteredResources)
	if err != nil {
		return fmt.Errorf("registeredResources: %w", err)
	}
	rem, err := ecs.ParseResources(ci.RemainingResources)
	if err != nil {
		return fmt.Errorf("remainingResources: %w", err)
	}
	in := &s.inst[k]
	*in = instance{
		provider:     ci.CapacityProviderName,
		status:       ci.Status,
		connected:    ci.AgentConnected,
		attrs:        s.attrs.intern(ci.Attributes),
		regCPU:       int32(reg.CPU),
		regMem:       int32(reg.MemoryMiB),
		regGPU:       int32(reg.GPUs),
		running:      int32(ci.RunningTasksCount),
		registeredAt: ci.RegisteredAt.Time,
	}
	set := &s.attrs.sets[in.attrs]
	az, _ := set.lookup(ecs.AttrAvailabilityZone)
	s.names[k] = instName{arn: ci.ContainerInstanceARN, id: instanceID(ci.ContainerInstanceARN), ec2ID: ci.EC2InstanceID, az: az}
	_, in.external = set.lookup(ecs.AttrExternal)
	if ci.VersionInfo != nil && ci.VersionInfo.AgentVersion != "" {
		// An agent version that does not parse compares as absent.
		in.agentVersion, _ = cql.ParseVersion(ci.VersionInfo.AgentVersion)
	}
	loaded, err := readTasks(tasks, tds)
	if err != nil {
		return err
	}
	in.cpu, in.mem, in.gpu = remaining(ci.RemainingResources, rem, reg, loaded)
	allocs, err := s.restoreNetwork(in, ci, rem, loaded, opts)
	if err != nil {
		return err
	}
	for j, lt := range loaded {
		t := task{arn: lt.t.TaskARN, inst: int32(k), group: -1, shape: tds.shape(lt.res), seq: uint64(len(s.tasks))}
		if lt.t.DesiredStatus == ecs.DesiredStatusStopped {
			t.held = true
			in.relCPU += t.shape.cpu
			in.relMem += t.shape.mem
		} else {
			t.group = s.groups.id(lt.t.Group)
			in.addGroup(t.group, 1)
		}
		s.tasks = append(s.tasks, t)
		s.allocs = append(s.allocs, allocs[j])
	}
	return nil
}

// alike reports whether two container instances share the lists and the
// version that addInstance reads (the same slices, not equal ones, as a
// capacity planner's instances of one type and zone do): with no task
// loaded on either, they read alike but for their names and states.
func alike(a, b *ecs.ContainerInstance) bool {
	return sameSlice(a.RegisteredResources, b.RegisteredResources) &&
		sameSlice(a.RemainingResources, b.RemainingResources) &&
		sameSlice(a.Attributes, b.Attributes) && a.VersionInfo == b.VersionInfo
}

// sameSlice reports whether a and b are the same slice: the same length
// and, when not empty, the same first element.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// copyInstance reads ci, alike the instance at from (see alike) and with
// no task loaded on either, as instance k: from's resources, attributes,
// agent version and network state, ci's names and states.
func (s *Snapshot) copyInstance(k, from int, ci *ecs.ContainerInstance) {
	in := &s.inst[k]
	*in = s.inst[from]
	in.provider, in.status, in.connected = ci.CapacityProviderName, ci.Status, ci.AgentConnected
	in.running = int32(ci.RunningTasksCount)
	in.registeredAt = ci.RegisteredAt.Time
	in.net = s.inst[from].net.Clone()
	in.groups = nil
	s.names[k] = instName{arn: ci.ContainerInstanceARN, id: instanceID(ci.ContainerInstanceARN), ec2ID: ci.EC2InstanceID, az: s.names[from].az}
}

// remaining returns the CPU, memory and GPUs an instance has left: the
// remainingResources figure when listed, else registered less the loaded
// tasks.
func remaining(list []ecs.Resource, rem, reg ecs.Resources, loaded []loadedTask) (cpu, mem, gpu int32) {
	var used ecs.Resources
	for _, lt := range loaded {
		used.CPU += lt.res.CPU
		used.MemoryMiB += lt.res.MemoryMiB
		used.GPUs += lt.res.GPUs
	}
	cpu, mem, gpu = int32(reg.CPU-used.CPU), int32(reg.MemoryMiB-used.MemoryMiB), int32(reg.GPUs-used.GPUs)
	for _, r := range list {
		switch r.Name {
		case ecs.ResourceCPU:
			cpu = int32(rem.CPU)
		case ecs.ResourceMemory:
			mem = int32(rem.MemoryMiB)
		case ecs.ResourceGPU:
			gpu = int32(rem.GPUs)
		}
	}
	return cpu, mem, gpu
}

// readTasks reads each loaded task against its task definition, or
// against one made up from its bindings.
func readTasks(tasks []*ecs.Task, tds *taskDefs) ([]loadedTask, error) {
	if len(tasks) == 0 {
		return nil, nil
	}
	out := make([]loadedTask, 0, len(tasks))
	for _, t := range tasks {
		lt := loadedTask{t: t}
		var err error
		switch d := tds.lookup(t.TaskDefinitionARN); {
		case d.td == nil:
			if lt.req, err = netmode.NewRequest(taskDefinitionOf(t, tds.opts.Network)); err == nil {
				lt.res, err = ecs.DescribedTaskResources(t)
			}
		case t.Overrides != nil:
			if lt.req, err = d.req, d.err; err == nil {
				lt.res, err = TaskDemand(d.td, t.Overrides)
			}
		default:
			lt.req, lt.res, err = d.req, d.res, d.err
		}
		if err != nil {
			return nil, fmt.Errorf("task %s: %w", t.TaskARN, err)
		}
		out = append(out, lt)
	}
	return out, nil
}

// taskDefinitionOf makes up the network part of a task definition from a
// described task's bindings, for a task whose definition is unknown
// (ecs.TaskDefinitionFromTask, with the dynamic host port range of nopts).
func taskDefinitionOf(t *ecs.Task, nopts netmode.Options) *ecs.TaskDefinition {
	dyn := nopts.DynamicRange
	if dyn == (netmode.PortRange{}) {
		dyn = netmode.DefaultDynamicRange()
	}
	return ecs.TaskDefinitionFromTask(t, dyn.Contains)
}

// restoreNetwork builds the instance's port and ENI state and returns
// each loaded task's allocation. When remainingResources lists PORTS or
// PORTS_UDP, the instance's reserved ports are those less the static
// ports of its loaded tasks, which are then restored on top: what is taken
// ends up exactly as listed.
func (s *Snapshot) restoreNetwork(in *instance, ci *ecs.ContainerInstance, rem ecs.Resources, loaded []loadedTask, opts *SnapshotOptions) ([]*netmode.Allocation, error) {
	hasPorts, hasUDP := false, false
	for _, r := range ci.RemainingResources {
		hasPorts = hasPorts || r.Name == ecs.ResourcePorts
		hasUDP = hasUDP || r.Name == ecs.ResourcePortsUDP
	}
	base := *ci
	if hasPorts || hasUDP {
		statics, err := staticPorts(ci, loaded, opts.Network)
		if err != nil {
			return nil, err
		}
		var set [2]ecs.Resource
		n := 0
		if hasPorts {
			set[n], n = reservedPorts(ci, ecs.ResourcePorts, rem.PortsTCP, statics[0]), n+1
		}
		if hasUDP {
			set[n], n = reservedPorts(ci, ecs.ResourcePortsUDP, rem.PortsUDP, statics[1]), n+1
		}
		cloned := false
		for _, res := range set[:n] {
			if registered(base.RegisteredResources, res) {
				continue
			}
			if !cloned {
				base.RegisteredResources, cloned = slices.Clone(ci.RegisteredResources), true
			}
			base.RegisteredResources = setResource(base.RegisteredResources, res)
		}
	}
	st, err := netmode.New(&base, func(o *netmode.Options) { *o = opts.Network })
	if err != nil {
		return nil, err
	}
	allocs := make([]*netmode.Allocation, len(loaded))
	for j, lt := range loaded {
		if allocs[j], err = st.Restore(lt.req, lt.t.Containers); err != nil {
			return nil, fmt.Errorf("task %s: %w", lt.t.TaskARN, err)
		}
	}
	in.net = st
	return allocs, nil
}

// staticPorts restores the loaded tasks on an instance with no reserved
// ports and returns the static host ports they hold, TCP then UDP.
func staticPorts(ci *ecs.ContainerInstance, loaded []loadedTask, nopts netmode.Options) ([2][]int, error) {
	if !slices.ContainsFunc(loaded, func(lt loadedTask) bool { return lt.req.StaticPorts() > 0 }) {
		return [2][]int{}, nil // no static port to find; restoreNetwork checks the bindings
	}
	bare := ecs.ContainerInstance{
		Attributes: ci.Attributes,
		RegisteredResources: []ecs.Resource{
			{Name: ecs.ResourcePorts, Type: "STRINGSET", StringSetValue: []string{}},
			{Name: ecs.ResourcePortsUDP, Type: "STRINGSET", StringSetValue: []string{}},
		},
	}
	st, err := netmode.New(&bare, func(o *netmode.Options) { *o = nopts })
	if err != nil {
		return [2][]int{}, err
	}
	for _, lt := range loaded {
		if _, err := st.Restore(lt.req, lt.t.Containers); err != nil {
			return [2][]int{}, fmt.Errorf("task %s: %w", lt.t.TaskARN, err)
		}
	}
	return [2][]int{st.StaticInUse(ecs.TransportProtocolTCP), st.StaticInUse(ecs.TransportProtocolUDP)}, nil
}

// without returns the sorted ports of all that are not in drop.
func without(all, drop []int) []int {
	out := make([]int, 0, len(all))
	for _, p := range all {
		if _, found := slices.BinarySearch(drop, p); !found {
			out = append(out, p)
		}
	}
	return out
}

// reservedPorts returns the resource name that the instance's network
// state is to reserve: the remaining ports, rem, less the static ports of
// the loaded tasks. With no static port it is the remaining list's own
// resource (the last of that name, as ecs.ParseResources reads them),
// which reads the same.
func reservedPorts(ci *ecs.ContainerInstance, name string, rem, statics []int) ecs.Resource {
	if len(statics) > 0 {
		return portsResource(name, without(rem, statics))
	}
	var res ecs.Resource
	for _, r := range ci.RemainingResources {
		if r.Name == name {
			res = r
		}
	}
	return res
}

// registered reports whether setResource(list, res) would change nothing
// netmode reads: the first resource of list named as res lists the same
// ports.
func registered(list []ecs.Resource, res ecs.Resource) bool {
	for i := range list {
		if list[i].Name == res.Name {
			return slices.Equal(list[i].StringSetValue, res.StringSetValue)
		}
	}
	return false
}

// portsResource returns the STRINGSET resource name listing ports.
func portsResource(name string, ports []int) ecs.Resource {
	set := make([]string, len(ports))
	for i, p := range ports {
		set[i] = strconv.Itoa(p)
	}
	return ecs.Resource{Name: name, Type: "STRINGSET", StringSetValue: set}
}

// setResource replaces the first resource of list named as res, or adds
// res.
func setResource(list []ecs.Resource, res ecs.Resource) []ecs.Resource {
	name := res.Name
	for i := range list {
		if list[i].Name == name {
			list[i] = res
			return list
		}
	}
	return append(list, res)
}
