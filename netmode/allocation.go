package netmode

import (
	"github.com/ecscore/ecscore/ecs"
)

// BindIP is the address every binding is reported on, as the agent
// reports IPv4 bindings in describe-tasks.
const BindIP = "0.0.0.0"

// Allocation is what one task holds on an instance: its network bindings,
// per container, and its ENIs. State.Allocate and State.Restore return it;
// State.Release takes it back.
type Allocation struct {
	// Containers lists every container of the task definition, in its
	// order, with the bindings of its host ports in the API's
	// NetworkBinding shape (nil when it binds none).
	Containers []ContainerBindings
	// ENIs is the number of ENIs the task holds: 1 in awsvpc mode.
	ENIs int

	holds []hold
}

// ContainerBindings are the network bindings of one container of a task.
type ContainerBindings struct {
	Name            string
	NetworkBindings []ecs.NetworkBinding
}

// hold is a run of host ports a task holds.
type hold struct {
	pr      proto
	dynamic bool
	first   uint16
	n       uint16
}

// newAllocation builds the bindings of a task of r given its dynamic picks,
// which follow r's dynamic mappings in order.
func newAllocation(r *Request, picks []pick) *Allocation {
	a := &Allocation{ENIs: r.enis, Containers: make([]ContainerBindings, len(r.names))}
	for i, name := range r.names {
		a.Containers[i].Name = name
	}
	if len(r.maps) == 0 {
		return a
	}
	a.holds = make([]hold, 0, len(r.maps))
	all := make([]ecs.NetworkBinding, len(r.maps))
	nums := make([]int, 2*len(r.maps)) // backing for the *int fields
	k := 0
	for i, m := range r.maps {
		first := m.hostPort
		if m.kind != static {
			first, k = picks[k].first, k+1
		}
		a.holds = append(a.holds, hold{m.pr, m.kind != static, first, m.n})
		all[i] = binding(m, first, nums[2*i:2*i+2])
	}
	for i := 0; i < len(all); {
		c := r.maps[i].container
		j := i + 1
		for j < len(all) && r.maps[j].container == c {
			j++
		}
		a.Containers[c].NetworkBindings = all[i:j:j]
		i = j
	}
	return a
}

// binding writes mapping m bound from host port first, using nums for the
// port fields.
func binding(m mapping, first uint16, nums []int) ecs.NetworkBinding {
	b := ecs.NetworkBinding{BindIP: BindIP, Protocol: m.pr.api()}
	if m.kind == portRange {
		b.ContainerPortRange = PortRange{int(m.containerPort), int(m.containerPort) + int(m.n) - 1}.String()
		b.HostPortRange = PortRange{int(first), int(first) + int(m.n) - 1}.String()
		return b
	}
	nums[0], nums[1] = int(m.containerPort), int(first)
	b.ContainerPort, b.HostPort = &nums[0], &nums[1]
	return b
}
