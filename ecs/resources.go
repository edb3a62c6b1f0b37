package ecs

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Resources is what a task takes from a container instance, or what an
// instance has left: CPU units, memory in MiB, GPUs, static host ports and
// ENIs. For a task, PortsTCP and PortsUDP are the host ports it binds; for an
// instance, the ports that are taken (reserved or in use), as the API's
// PORTS and PORTS_UDP resources list them. Port lists are sorted.
type Resources struct {
	CPU       int   // CPU units; 1 vCPU = 1024
	MemoryMiB int   // MiB
	GPUs      int   // count of GPUs
	PortsTCP  []int // host ports, TCP
	PortsUDP  []int // host ports, UDP
	ENIs      int   // elastic network interfaces
}

// TaskResources computes what one task of td takes from an instance, by the
// agent's rule (ToHostResources): the task-level cpu and memory when set,
// else the sum over containers of cpu and of memoryReservation (else
// memory); the host ports of bridge and host mode mappings with a host port
// above 0, split by protocol (host mode binds hostPort = containerPort); the
// GPUs of the containers' resourceRequirements; and one ENI in awsvpc mode.
// Dynamic ports (bridge hostPort 0 or absent) are not counted: they are
// picked at placement. An error names a task cpu or memory the API would
// not accept.
func TaskResources(td *TaskDefinition) (Resources, error) {
	if td == nil {
		return Resources{}, fmt.Errorf("ecs: TaskResources needs a task definition, not nil: %w", ErrInvalid)
	}
	var r Resources
	for i := range td.ContainerDefinitions {
		c := &td.ContainerDefinitions[i]
		r.CPU += c.CPU
		// The agent takes memoryReservation when it is above 0, else
		// memory: "memoryReservation": 0 reserves the hard limit.
		r.MemoryMiB += containerReservation(c)
		for _, rr := range c.ResourceRequirements {
			if rr.Type == ResourceTypeGPU {
				n, err := strconv.Atoi(rr.Value)
				if err != nil {
					return Resources{}, fmt.Errorf("containerDefinitions[%d] GPU %q: not a count", i, rr.Value)
				}
				r.GPUs += n
			}
		}
		if td.NetworkMode == NetworkModeAwsvpc || td.NetworkMode == NetworkModeNone {
			continue
		}
		for _, pm := range c.PortMappings {
			port := 0
			switch {
			case pm.HostPort != nil && *pm.HostPort > 0:
				port = *pm.HostPort
			case td.NetworkMode == NetworkModeHost && pm.ContainerPort != nil:
				port = *pm.ContainerPort
			}
			if port <= 0 {
				continue
			}
			if pm.Protocol == TransportProtocolUDP {
				r.PortsUDP = append(r.PortsUDP, port)
			} else {
				r.PortsTCP = append(r.PortsTCP, port)
			}
		}
	}
	if td.CPU != "" {
		cpu, err := ParseCPU(td.CPU)
		if err != nil {
			return Resources{}, err
		}
		r.CPU = cpu
	}
	if td.Memory != "" {
		mem, err := ParseMemory(td.Memory)
		if err != nil {
			return Resources{}, err
		}
		r.MemoryMiB = mem
	}
	if td.NetworkMode == NetworkModeAwsvpc {
		r.ENIs = 1
	}
	slices.Sort(r.PortsTCP)
	slices.Sort(r.PortsUDP)
	return r, nil
}

// Resource names of a container instance, as the API spells them.
const (
	ResourceCPU      = "CPU"
	ResourceMemory   = "MEMORY"
	ResourceGPU      = "GPU"
	ResourcePorts    = "PORTS"
	ResourcePortsUDP = "PORTS_UDP"
)

// ParseResources reads a container instance's registeredResources or
// remainingResources list. Resources it does not know are ignored; a port
// that is not a number is an error.
func ParseResources(list []Resource) (Resources, error) {
	var r Resources
	for _, res := range list {
		var err error
		switch res.Name {
		case ResourceCPU:
			r.CPU, err = resourceInt(res)
		case ResourceMemory:
			r.MemoryMiB, err = resourceInt(res)
		case ResourceGPU:
			r.GPUs = len(res.StringSetValue)
		case ResourcePorts:
			r.PortsTCP, err = parsePorts(res.StringSetValue)
		case ResourcePortsUDP:
			r.PortsUDP, err = parsePorts(res.StringSetValue)
		}
		if err != nil {
			return Resources{}, fmt.Errorf("resource %s: %w", res.Name, err)
		}
	}
	return r, nil
}

// resourceInt reads an INTEGER resource, tolerating writers that fill
// longValue or doubleValue instead of integerValue. The value must fit the
// API's Integer (32 bits), as the resource's type says: CPU units and MiB
// beyond it are no instance's, and would wrap where they are counted.
func resourceInt(res Resource) (int, error) {
	var v float64
	switch {
	case res.IntegerValue != 0:
		v = float64(res.IntegerValue)
	case res.LongValue != 0:
		v = float64(res.LongValue)
	default:
		v = res.DoubleValue
	}
	if v < math.MinInt32 || v > math.MaxInt32 || math.IsNaN(v) {
		return 0, fmt.Errorf("%v is outside the range of an INTEGER resource (-2147483648 to 2147483647)", v)
	}
	return int(v), nil
}

func parsePorts(set []string) ([]int, error) {
	ports := make([]int, 0, len(set))
	for _, s := range set {
		p, err := strconv.Atoi(s)
		if err != nil || p < 0 || p > 65535 {
			return nil, fmt.Errorf("port %q is not a number from 0 to 65535", s)
		}
		ports = append(ports, p)
	}
	slices.Sort(ports)
	return slices.Compact(ports), nil
}

// ResourceList writes r in the API's Resource form (CPU, MEMORY, PORTS,
// PORTS_UDP, and GPU when there are GPUs, named gpu-0, gpu-1, ...).
func (r Resources) ResourceList() []Resource {
	list := []Resource{
		{Name: ResourceCPU, Type: "INTEGER", IntegerValue: r.CPU},
		{Name: ResourceMemory, Type: "INTEGER", IntegerValue: r.MemoryMiB},
		{Name: ResourcePorts, Type: "STRINGSET", StringSetValue: portStrings(r.PortsTCP)},
		{Name: ResourcePortsUDP, Type: "STRINGSET", StringSetValue: portStrings(r.PortsUDP)},
	}
	if r.GPUs > 0 {
		ids := make([]string, r.GPUs)
		for i := range ids {
			ids[i] = "gpu-" + strconv.Itoa(i)
		}
		list = append(list, Resource{Name: ResourceGPU, Type: "STRINGSET", StringSetValue: ids})
	}
	return list
}

func portStrings(ports []int) []string {
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(p)
	}
	return s
}

// DescribedTaskResources computes what a described task (an element of
// describe-tasks' tasks) takes from its container instance, for a task
// whose task definition is not at hand:
//
//   - CPU and memory: the task-level cpu and memory when set and not "0"
//     (a described task without a task-level size may carry "0"), else
//     the sum over its containers of cpu and of memoryReservation, else
//     memory, by the agent's rule (rule 21);
//   - GPUs: the distinct gpuIds of its containers;
//   - ports: the host ports its containers' networkBindings hold (a
//     hostPort, not a hostPortRange), split by protocol, sorted; dynamic
//     ports are among them, as a binding does not tell them apart (the
//     dynamic range is the netmode package's);
//   - ENIs: one when it has an ENI attachment (awsvpc), and then no host
//     ports.
//
// An error names a value that is not a size.
func DescribedTaskResources(t *Task) (Resources, error) {
	if t == nil {
		return Resources{}, fmt.Errorf("ecs: DescribedTaskResources needs a task, not nil: %w", ErrInvalid)
	}
	var r Resources
	var err error
	if r.CPU, err = describedSize(t.CPU, ParseCPU, t.Containers, func(c *Container) []string { return []string{c.CPU} }); err != nil {
		return Resources{}, fmt.Errorf("cpu: %w", err)
	}
	if r.MemoryMiB, err = describedSize(t.Memory, ParseMemory, t.Containers, func(c *Container) []string {
		return []string{c.MemoryReservation, c.Memory}
	}); err != nil {
		return Resources{}, fmt.Errorf("memory: %w", err)
	}
	for _, a := range t.Attachments {
		if a.Type == "ElasticNetworkInterface" || a.Type == "eni" {
			r.ENIs = 1
		}
	}
	var gpus []string
	for _, c := range t.Containers {
		for _, g := range c.GPUIDs {
			if !slices.Contains(gpus, g) {
				gpus = append(gpus, g)
			}
		}
		if r.ENIs > 0 {
			continue
		}
		for _, b := range c.NetworkBindings {
			if b.HostPort == nil || b.HostPortRange != "" {
				continue
			}
			if b.Protocol == TransportProtocolUDP {
				r.PortsUDP = append(r.PortsUDP, *b.HostPort)
			} else {
				r.PortsTCP = append(r.PortsTCP, *b.HostPort)
			}
		}
	}
	r.GPUs = len(gpus)
	slices.Sort(r.PortsTCP)
	slices.Sort(r.PortsUDP)
	r.PortsTCP, r.PortsUDP = slices.Compact(r.PortsTCP), slices.Compact(r.PortsUDP)
	return r, nil
}

// describedSize reads a task-level cpu or memory value with parse; without
// one (or with "0"), it is the sum over the containers of the first value
// above 0 of those member gives.
func describedSize(task string, parse func(string) (int, error), cs []Container, member func(*Container) []string) (int, error) {
	if task != "" && task != "0" {
		return parse(task)
	}
	sum := 0
	for i := range cs {
		for _, v := range member(&cs[i]) {
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return 0, fmt.Errorf("container %s: %q is not a whole number", cs[i].Name, v)
			}
			if n > 0 {
				sum += n
				break
			}
		}
	}
	return sum, nil
}

// TaskDefinitionFromTask makes up the part of a task definition that
// placement reads from a described task whose definition is unknown: the
// awsvpc network mode when the task has an ENI attachment, else bridge;
// one container per container of the task, with its name, image, cpu,
// memory and memoryReservation, and in bridge mode one port mapping per
// distinct network binding (protocol, container port or range, and the
// host port; dynamicHostPort tells the host ports that were picked at
// placement, which the mapping leaves out). dynamicHostPort may be nil.
// A nil t gives nil.
func TaskDefinitionFromTask(t *Task, dynamicHostPort func(port int) bool) *TaskDefinition {
	if t == nil {
		return nil
	}
	td := &TaskDefinition{NetworkMode: NetworkModeBridge, CPU: t.CPU, Memory: t.Memory}
	for _, a := range t.Attachments {
		if a.Type == "ElasticNetworkInterface" || a.Type == "eni" {
			td.NetworkMode = NetworkModeAwsvpc
		}
	}
	for _, c := range t.Containers {
		cd := ContainerDefinition{Name: c.Name, Image: c.Image}
		cd.CPU, _ = strconv.Atoi(c.CPU)
		if n, err := strconv.Atoi(c.Memory); err == nil {
			cd.Memory = &n
		}
		if n, err := strconv.Atoi(c.MemoryReservation); err == nil {
			cd.MemoryReservation = &n
		}
		if td.NetworkMode == NetworkModeBridge {
			cd.PortMappings = mappingsOfBindings(c.NetworkBindings, dynamicHostPort)
		}
		td.ContainerDefinitions = append(td.ContainerDefinitions, cd)
	}
	return td
}

// mappingsOfBindings returns one port mapping per distinct binding.
func mappingsOfBindings(bindings []NetworkBinding, dynamic func(int) bool) []PortMapping {
	var out []PortMapping
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
		pm := PortMapping{Protocol: b.Protocol, ContainerPort: b.ContainerPort, ContainerPortRange: b.ContainerPortRange}
		if b.HostPortRange == "" && b.HostPort != nil && (dynamic == nil || !dynamic(*b.HostPort)) {
			pm.HostPort = b.HostPort
		}
		out = append(out, pm)
	}
	return out
}

// Add returns r and o together: CPU, memory, GPUs and ENIs summed, host
// ports the union of both (sorted, each once).
func (r Resources) Add(o Resources) Resources {
	return Resources{
		CPU: r.CPU + o.CPU, MemoryMiB: r.MemoryMiB + o.MemoryMiB, GPUs: r.GPUs + o.GPUs, ENIs: r.ENIs + o.ENIs,
		PortsTCP: portUnion(r.PortsTCP, o.PortsTCP), PortsUDP: portUnion(r.PortsUDP, o.PortsUDP),
	}
}

// Sub returns r less o: CPU, memory, GPUs and ENIs subtracted (they may go
// below 0), host ports those of r that o does not have.
func (r Resources) Sub(o Resources) Resources {
	return Resources{
		CPU: r.CPU - o.CPU, MemoryMiB: r.MemoryMiB - o.MemoryMiB, GPUs: r.GPUs - o.GPUs, ENIs: r.ENIs - o.ENIs,
		PortsTCP: portMinus(r.PortsTCP, o.PortsTCP), PortsUDP: portMinus(r.PortsUDP, o.PortsUDP),
	}
}

// Fits reports whether demand fits in r, what an instance has left: no
// more CPU, memory, GPUs or ENIs than r has, and none of the host ports r
// lists as taken.
func (r Resources) Fits(demand Resources) bool {
	return demand.CPU <= r.CPU && demand.MemoryMiB <= r.MemoryMiB && demand.GPUs <= r.GPUs && demand.ENIs <= r.ENIs &&
		!slices.ContainsFunc(demand.PortsTCP, func(p int) bool { return slices.Contains(r.PortsTCP, p) }) &&
		!slices.ContainsFunc(demand.PortsUDP, func(p int) bool { return slices.Contains(r.PortsUDP, p) })
}

func portUnion(a, b []int) []int {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func portMinus(a, b []int) []int {
	if len(a) == 0 {
		return nil
	}
	return slices.DeleteFunc(slices.Clone(a), func(p int) bool { return slices.Contains(b, p) })
}
