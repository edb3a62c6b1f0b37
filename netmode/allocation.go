package netmode

import (
	"strconv"

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

// newAllocation builds the bindings of a task of r given the dynamic picks
// of q, which are all the TCP picks then all the UDP picks, each in task
// definition order (see State.plan). The Allocation, its containers,
// bindings, port numbers and holds take one allocation (see newParts); the
// hostPortRange texts of all its ranges take one more.
func newAllocation(r *Request, q *search) *Allocation {
	p := newParts(len(r.names), len(r.maps))
	a := p.a
	a.ENIs = r.enis
	a.Containers = p.containers
	for i, name := range r.names {
		a.Containers[i].Name = name
	}
	if len(r.maps) == 0 {
		return a
	}
	a.holds = p.holds
	all, nums := p.bindings, p.nums
	k := [2]int{0, r.nDyn[tcp]} // the next pick of each protocol
	for i, m := range r.maps {
		first := m.hostPort
		if m.kind != static {
			first = q.pick(k[m.pr]).first
			k[m.pr]++
		}
		a.holds[i] = hold{m.pr, m.kind != static, first, m.n}
		all[i] = binding(m, first, nums[2*i:2*i+2])
	}
	if r.ranges != nil {
		setRanges(r, a.holds, all)
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
// port fields. setRanges fills in the texts of a range.
func binding(m mapping, first uint16, nums []int) ecs.NetworkBinding {
	b := ecs.NetworkBinding{BindIP: BindIP, Protocol: m.pr.api()}
	if m.kind == portRange {
		return b
	}
	nums[0], nums[1] = int(m.containerPort), int(first)
	b.ContainerPort, b.HostPort = &nums[0], &nums[1]
	return b
}

// setRanges writes the containerPortRange and hostPortRange texts of the
// range bindings. The containerPortRange texts are r's; the hostPortRange
// texts are cut from one string.
func setRanges(r *Request, holds []hold, all []ecs.NetworkBinding) {
	var buf [64]byte
	text := buf[:0]
	for i, m := range r.maps {
		if m.kind == portRange {
			text = appendRange(text, holds[i].first, holds[i].n)
		}
	}
	str := string(text)
	for i, m := range r.maps {
		if m.kind != portRange {
			continue
		}
		n := rangeLen(holds[i].first, holds[i].n)
		all[i].ContainerPortRange = r.ranges[i]
		all[i].HostPortRange, str = str[:n], str[n:]
	}
}

// appendRange appends "first-last" for the n ports from first, as
// PortRange.String writes it.
func appendRange(b []byte, first, n uint16) []byte {
	b = strconv.AppendUint(b, uint64(first), 10)
	b = append(b, '-')
	return strconv.AppendUint(b, uint64(first)+uint64(n)-1, 10)
}

// rangeLen returns the length of appendRange's text.
func rangeLen(first, n uint16) int {
	return digits(int(first)) + 1 + digits(int(first)+int(n)-1)
}

func digits(v int) int {
	d := 1
	for ; v >= 10; v /= 10 {
		d++
	}
	return d
}

// parts are the pieces of one Allocation, cut from one block of memory.
type parts struct {
	a          *Allocation
	containers []ContainerBindings
	bindings   []ecs.NetworkBinding
	nums       []int // two per binding: the targets of ContainerPort and HostPort
	holds      []hold
}

// block lays out an Allocation and arrays for its parts: C is an array of
// ContainerBindings, B one of ecs.NetworkBinding, N one of int (twice B's
// length) and H one of hold (B's length).
type block[C, B, N, H any] struct {
	a Allocation
	b B
	n N
	h H
	c C
}

// Size classes of newParts: a task with up to containerCaps[i] containers and
// mappingCaps[j] mappings takes a block of carvers[i][j].
var (
	containerCaps = [...]int{1, 2, 4, 10} // ECS allows 10 containers per task definition
	mappingCaps   = [...]int{0, 1, 2, 4, 8, 12, 16}
	carvers       = [len(containerCaps)][len(mappingCaps)]func() parts{
		carverRow[[1]ContainerBindings](),
		carverRow[[2]ContainerBindings](),
		carverRow[[4]ContainerBindings](),
		carverRow[[10]ContainerBindings](),
	}
)

func carverRow[C any]() [len(mappingCaps)]func() parts {
	type nb = ecs.NetworkBinding
	return [...]func() parts{
		carveBlock[C, [0]nb, [0]int, [0]hold],
		carveBlock[C, [1]nb, [2]int, [1]hold],
		carveBlock[C, [2]nb, [4]int, [2]hold],
		carveBlock[C, [4]nb, [8]int, [4]hold],
		carveBlock[C, [8]nb, [16]int, [8]hold],
		carveBlock[C, [12]nb, [24]int, [12]hold],
		carveBlock[C, [16]nb, [32]int, [16]hold],
	}
}

// newParts returns the parts of an Allocation with nc containers and nm
// mappings: in one allocation, from the smallest block that holds them,
// when there is one; else each part on its own.
func newParts(nc, nm int) parts {
	var p parts
	i, j := classOf(containerCaps[:], nc), classOf(mappingCaps[:], nm)
	if i < 0 || j < 0 {
		p = parts{new(Allocation), make([]ContainerBindings, nc),
			make([]ecs.NetworkBinding, nm), make([]int, 2*nm), make([]hold, nm)}
	} else {
		p = carvers[i][j]()
	}
	// Cap each part so that a caller appending to one never writes into
	// the next.
	p.containers = p.containers[:nc:nc]
	p.bindings = p.bindings[:nm:nm]
	p.nums = p.nums[: 2*nm : 2*nm]
	p.holds = p.holds[:nm:nm]
	return p
}

// classOf returns the index of the first cap not below n, or -1.
func classOf(caps []int, n int) int {
	for i, c := range caps {
		if n <= c {
			return i
		}
	}
	return -1
}

func carveBlock[C, B, N, H any]() parts {
	k := new(block[C, B, N, H])
	return parts{&k.a, slots[ContainerBindings](&k.c), slots[ecs.NetworkBinding](&k.b), slots[int](&k.n), slots[hold](&k.h)}
}

// slots returns the array p points to as a slice. p is a pointer to an
// array of T of one of the lengths block uses.
func slots[T any](p any) []T {
	switch p := p.(type) {
	case *[0]T:
		return p[:]
	case *[1]T:
		return p[:]
	case *[2]T:
		return p[:]
	case *[4]T:
		return p[:]
	case *[8]T:
		return p[:]
	case *[10]T:
		return p[:]
	case *[12]T:
		return p[:]
	case *[16]T:
		return p[:]
	case *[24]T:
		return p[:]
	case *[32]T:
		return p[:]
	}
	panic("netmode: slots of an unexpected array")
}
