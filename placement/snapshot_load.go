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

// addInstance fills s.inst[k] from ci and the tasks loaded on it.
func (s *Snapshot) addInstance(k int, ci *ecs.ContainerInstance, tasks []*ecs.Task, opts *SnapshotOptions) error {
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
		arn:          ci.ContainerInstanceARN,
		id:           instanceID(ci.ContainerInstanceARN),
		ec2ID:        ci.EC2InstanceID,
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
	in.az, _ = set.lookup(ecs.AttrAvailabilityZone)
	_, in.external = set.lookup(ecs.AttrExternal)
	if ci.VersionInfo != nil && ci.VersionInfo.AgentVersion != "" {
		// An agent version that does not parse compares as absent.
		in.agentVersion, _ = cql.ParseVersion(ci.VersionInfo.AgentVersion)
	}
	loaded, err := readTasks(tasks, opts)
	if err != nil {
		return err
	}
	in.cpu, in.mem, in.gpu = remaining(ci.RemainingResources, rem, reg, loaded)
	allocs, err := s.restoreNetwork(in, ci, rem, loaded, opts)
	if err != nil {
		return err
	}
	for j, lt := range loaded {
		g := int32(-1)
		if lt.t.DesiredStatus != "STOPPED" {
			g = s.groups.id(lt.t.Group)
			in.addGroup(g, 1)
		}
		s.tasks = append(s.tasks, task{
			arn: lt.t.TaskARN, inst: int32(k), group: g,
			cpu: int32(lt.res.CPU), mem: int32(lt.res.MemoryMiB), gpu: int32(lt.res.GPUs),
			alloc: allocs[j],
		})
	}
	return nil
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
func readTasks(tasks []*ecs.Task, opts *SnapshotOptions) ([]loadedTask, error) {
	out := make([]loadedTask, 0, len(tasks))
	for _, t := range tasks {
		var td *ecs.TaskDefinition
		if opts.TaskDefinition != nil {
			td = opts.TaskDefinition(t.TaskDefinitionARN)
		}
		known := td != nil
		if !known {
			td = taskDefinitionOf(t, opts.Network)
		}
		lt := loadedTask{t: t}
		var err error
		if lt.req, err = netmode.NewRequest(td); err != nil {
			return nil, fmt.Errorf("task %s: %w", t.TaskARN, err)
		}
		if known {
			lt.res, err = TaskDemand(td, t.Overrides)
		} else {
			lt.res, err = taskSize(t)
		}
		if err != nil {
			return nil, fmt.Errorf("task %s: %w", t.TaskARN, err)
		}
		out = append(out, lt)
	}
	return out, nil
}

// taskSize reads the task-level cpu and memory of a described task.
func taskSize(t *ecs.Task) (ecs.Resources, error) {
	var r ecs.Resources
	var err error
	if t.CPU != "" {
		if r.CPU, err = ecs.ParseCPU(t.CPU); err != nil {
			return r, err
		}
	}
	if t.Memory != "" {
		if r.MemoryMiB, err = ecs.ParseMemory(t.Memory); err != nil {
			return r, err
		}
	}
	return r, nil
}

// taskDefinitionOf makes up the network part of a task definition from a
// described task's bindings, for a task whose definition is unknown.
func taskDefinitionOf(t *ecs.Task, nopts netmode.Options) *ecs.TaskDefinition {
	dyn := nopts.DynamicRange
	if dyn == (netmode.PortRange{}) {
		dyn = netmode.DefaultDynamicRange()
	}
	td := &ecs.TaskDefinition{NetworkMode: ecs.NetworkModeBridge}
	for _, a := range t.Attachments {
		if a.Type == "ElasticNetworkInterface" || a.Type == "eni" {
			td.NetworkMode = ecs.NetworkModeAwsvpc
		}
	}
	for _, c := range t.Containers {
		cd := ecs.ContainerDefinition{Name: c.Name}
		if td.NetworkMode == ecs.NetworkModeBridge {
			cd.PortMappings = mappingsOf(c.NetworkBindings, dyn)
		}
		td.ContainerDefinitions = append(td.ContainerDefinitions, cd)
	}
	return td
}

// mappingsOf returns one port mapping per distinct binding.
func mappingsOf(bindings []ecs.NetworkBinding, dyn netmode.PortRange) []ecs.PortMapping {
	var out []ecs.PortMapping
	seen := map[string]bool{}
	for _, b := range bindings {
		key := string(b.Protocol) + "/" + b.HostPortRange
		if b.HostPort != nil {
			key += strconv.Itoa(*b.HostPort)
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		pm := ecs.PortMapping{Protocol: b.Protocol, ContainerPort: b.ContainerPort, ContainerPortRange: b.ContainerPortRange}
		if b.HostPortRange == "" && b.HostPort != nil && !dyn.Contains(*b.HostPort) {
			pm.HostPort = b.HostPort
		}
		out = append(out, pm)
	}
	return out
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
		base.RegisteredResources = slices.Clone(ci.RegisteredResources)
		if hasPorts {
			base.RegisteredResources = setPorts(base.RegisteredResources, ecs.ResourcePorts, without(rem.PortsTCP, statics[0]))
		}
		if hasUDP {
			base.RegisteredResources = setPorts(base.RegisteredResources, ecs.ResourcePortsUDP, without(rem.PortsUDP, statics[1]))
		}
	}
	st, err := netmode.New(&base, opts.Network)
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
	if len(loaded) == 0 {
		return [2][]int{}, nil
	}
	bare := ecs.ContainerInstance{
		Attributes: ci.Attributes,
		RegisteredResources: []ecs.Resource{
			{Name: ecs.ResourcePorts, Type: "STRINGSET", StringSetValue: []string{}},
			{Name: ecs.ResourcePortsUDP, Type: "STRINGSET", StringSetValue: []string{}},
		},
	}
	st, err := netmode.New(&bare, nopts)
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

// setPorts replaces or adds the STRINGSET resource name.
func setPorts(list []ecs.Resource, name string, ports []int) []ecs.Resource {
	set := make([]string, len(ports))
	for i, p := range ports {
		set[i] = strconv.Itoa(p)
	}
	res := ecs.Resource{Name: name, Type: "STRINGSET", StringSetValue: set}
	for i := range list {
		if list[i].Name == name {
			list[i] = res
			return list
		}
	}
	return append(list, res)
}
