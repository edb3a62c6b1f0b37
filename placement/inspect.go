package placement

import (
	"iter"

	"github.com/ecscore/ecscore/ecs"
)

// InstanceState is what an engine knows of one container instance now.
type InstanceState struct {
	ContainerInstanceARN string
	InstanceID           string
	AvailabilityZone     string
	Status               string
	AgentConnected       bool
	// Remaining CPU units, MiB of memory and GPUs.
	CPU, MemoryMiB, GPUs int
	// Registered CPU units, MiB of memory and GPUs.
	RegisteredCPU, RegisteredMemoryMiB, RegisteredGPUs int
	// RunningTasks is the instance's runningTasksCount plus the tasks
	// placed on it since the snapshot, less those stopped.
	RunningTasks int
	// PortsTCP and PortsUDP are the host ports taken: reserved, static
	// and dynamic, sorted.
	PortsTCP, PortsUDP []int
	// ENIs is the number of ENIs its awsvpc tasks hold.
	ENIs int
	// Groups counts the instance's tasks per task group.
	Groups map[string]int
}

// Instances returns the state of every container instance, in ARN order.
func (e *Engine) Instances() iter.Seq[InstanceState] {
	return func(yield func(InstanceState) bool) {
		if e == nil {
			return
		}
		// Copy the states under the lock and yield after releasing it, so
		// that the loop body may call the engine's other methods.
		e.lock()
		states := make([]InstanceState, len(e.s.inst))
		for i := range e.s.inst {
			states[i] = e.s.instanceState(int32(i))
		}
		e.mu.Unlock()
		for _, st := range states {
			if !yield(st) {
				return
			}
		}
	}
}

// Instance returns the state of the container instance arn, and false if
// the engine has no such instance.
func (e *Engine) Instance(arn string) (InstanceState, bool) {
	if e == nil {
		return InstanceState{}, false
	}
	e.lock()
	defer e.mu.Unlock()
	i, ok := e.s.byARN[arn]
	if !ok {
		return InstanceState{}, false
	}
	return e.s.instanceState(i), true
}

func (s *state) instanceState(i int32) InstanceState {
	in, name := &s.inst[i], &s.names[i]
	st := InstanceState{
		ContainerInstanceARN: name.arn,
		InstanceID:           name.id,
		AvailabilityZone:     name.az,
		Status:               in.status,
		AgentConnected:       in.connected,
		CPU:                  int(in.cpu),
		MemoryMiB:            int(in.mem),
		GPUs:                 int(in.gpu),
		RegisteredCPU:        int(in.regCPU),
		RegisteredMemoryMiB:  int(in.regMem),
		RegisteredGPUs:       int(in.regGPU),
		RunningTasks:         int(in.running),
		ENIs:                 in.net.ENIsInUse(),
		Groups:               make(map[string]int, len(in.groups)),
	}
	for _, p := range []ecs.TransportProtocol{ecs.TransportProtocolTCP, ecs.TransportProtocolUDP} {
		ports := append(in.net.Taken(p), in.net.DynamicInUse(p)...)
		if p == ecs.TransportProtocolTCP {
			st.PortsTCP = sortedInts(ports)
		} else {
			st.PortsUDP = sortedInts(ports)
		}
	}
	for _, gc := range in.groups {
		st.Groups[s.groups.names[gc.group]] = int(gc.n)
	}
	return st
}

// Stats are an engine's running totals.
type Stats struct {
	Placements int64 // tasks placed and not rolled back
	Examined   int64 // instance evaluations, over all placements
}

// Stats returns the engine's running totals.
func (e *Engine) Stats() Stats {
	if e == nil {
		return Stats{}
	}
	e.lock()
	defer e.mu.Unlock()
	return Stats{Placements: e.s.placements, Examined: e.s.examined}
}
