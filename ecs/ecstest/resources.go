package ecstest

import (
	"slices"
	"strconv"

	"github.com/ecscore/ecscore/ecs"
)

// heldResources is what a container instance loaded from a
// describe-container-instances output (LoadCluster) had taken beyond the
// tasks loaded with it, as its remainingResources said: held by tasks the
// control plane does not know, for as long as the instance is registered.
// CPU and memory may be negative when the loaded tasks take more than the
// figures said, which then stand.
type heldResources struct {
	cpu, mem int
	gpus     []string // GPU IDs
	tcp, udp []int    // host ports
}

// used returns what the instance's tasks hold, and what else it was
// loaded with holds: their CPU, memory and GPUs, and the static host
// ports they map, each once (dynamic ones are the agent's to pick and not
// shown in remainingResources). CPU and memory are never less than none.
func (inst *instance) used() ecs.Resources {
	u := ecs.Resources{
		CPU: inst.held.cpu, MemoryMiB: inst.held.mem, GPUs: len(inst.held.gpus),
		PortsTCP: slices.Clone(inst.held.tcp), PortsUDP: slices.Clone(inst.held.udp),
	}
	for _, tk := range inst.tasks {
		u = u.Add(ecs.Resources{CPU: tk.demand.CPU, MemoryMiB: tk.demand.MemoryMiB, GPUs: len(tk.gpuIDs()),
			PortsTCP: tk.demand.PortsTCP, PortsUDP: tk.demand.PortsUDP})
	}
	u.CPU, u.MemoryMiB = max(u.CPU, 0), max(u.MemoryMiB, 0)
	return u
}

// heldGPUs returns the IDs of the GPUs of the instance that are taken:
// by its tasks, or held since it was loaded.
func (inst *instance) heldGPUs() map[string]bool {
	held := map[string]bool{}
	for _, g := range inst.held.gpus {
		held[g] = true
	}
	for _, tk := range inst.tasks {
		for _, g := range tk.gpuIDs() {
			held[g] = true
		}
	}
	return held
}

// takeGPUs returns the IDs of n GPUs of the instance that are not taken,
// in order, or as many as there are.
func (inst *instance) takeGPUs(n int) []string {
	if n <= 0 {
		return nil
	}
	held := inst.heldGPUs()
	var out []string
	for _, r := range inst.ci.RegisteredResources {
		if r.Name != ecs.ResourceGPU {
			continue
		}
		for _, g := range slices.Sorted(slices.Values(r.StringSetValue)) {
			if len(out) < n && !held[g] {
				out = append(out, g)
			}
		}
	}
	return out
}

// remaining returns the registered resources less what the tasks hold.
func remaining(registered []ecs.Resource, used ecs.Resources, gpus map[string]bool) []ecs.Resource {
	out := cloneResources(registered)
	hasTCP, hasUDP := false, false
	for i := range out {
		r := &out[i]
		switch r.Name {
		case ecs.ResourceCPU:
			subtract(r, used.CPU)
		case ecs.ResourceMemory:
			subtract(r, used.MemoryMiB)
		case ecs.ResourcePorts:
			hasTCP = true
			r.StringSetValue = addPorts(r.StringSetValue, used.PortsTCP)
		case ecs.ResourcePortsUDP:
			hasUDP = true
			r.StringSetValue = addPorts(r.StringSetValue, used.PortsUDP)
		case ecs.ResourceGPU:
			r.StringSetValue = slices.DeleteFunc(r.StringSetValue, func(g string) bool { return gpus[g] })
		}
	}
	if !hasTCP && len(used.PortsTCP) > 0 {
		out = append(out, ecs.Resource{Name: ecs.ResourcePorts, Type: "STRINGSET", StringSetValue: addPorts(nil, used.PortsTCP)})
	}
	if !hasUDP && len(used.PortsUDP) > 0 {
		out = append(out, ecs.Resource{Name: ecs.ResourcePortsUDP, Type: "STRINGSET", StringSetValue: addPorts(nil, used.PortsUDP)})
	}
	return out
}

// subtract takes n from an INTEGER resource, in whichever member holds
// its value.
func subtract(r *ecs.Resource, n int) {
	switch {
	case r.LongValue != 0 && r.IntegerValue == 0:
		r.LongValue -= int64(n)
	case r.DoubleValue != 0 && r.IntegerValue == 0:
		r.DoubleValue -= float64(n)
	default:
		r.IntegerValue -= n
	}
}

// addPorts adds ports to a STRINGSET of ports, keeping each once and the
// set's order, the new ones in ascending order after.
func addPorts(set []string, ports []int) []string {
	out := slices.Clone(set)
	if out == nil {
		out = []string{}
	}
	for _, p := range slices.Sorted(slices.Values(ports)) {
		s := strconv.Itoa(p)
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// describe returns a copy of the container instance as
// describe-container-instances shows it: what remains of its resources
// and its counts of running and pending tasks.
func (inst *instance) describe() *ecs.ContainerInstance {
	c := cloneInstance(&inst.ci)
	for _, tk := range inst.tasks {
		switch tk.t.LastStatus {
		case ecs.TaskStatusRunning:
			c.RunningTasksCount++
		case ecs.TaskStatusProvisioning, ecs.TaskStatusPending, ecs.TaskStatusActivating:
			c.PendingTasksCount++
		}
	}
	c.RemainingResources = remaining(inst.ci.RegisteredResources, inst.used(), inst.heldGPUs())
	return c
}
