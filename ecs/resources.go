package ecs

import (
	"fmt"
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
			r.CPU = resourceInt(res)
		case ResourceMemory:
			r.MemoryMiB = resourceInt(res)
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
// longValue or doubleValue instead of integerValue.
func resourceInt(res Resource) int {
	switch {
	case res.IntegerValue != 0:
		return res.IntegerValue
	case res.LongValue != 0:
		return int(res.LongValue)
	default:
		return int(res.DoubleValue)
	}
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
