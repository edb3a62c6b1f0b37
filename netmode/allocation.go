package netmode

import (
	"strconv"
	"strings"

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

// newAllocation builds the Allocation of a task of r that Bind gave
// ports. The Allocation, its containers, bindings, port numbers and holds
// take one allocation (see newParts); the hostPortRange texts of all its
// ranges take one more.
func newAllocation(r *Request, ports []uint16) *Allocation {
	p := newParts(len(r.names), len(r.maps))
	a := p.a
	a.ENIs = r.enis
	a.Containers = p.containers
	if len(r.maps) > 0 {
		a.holds = p.holds
		for i, m := range r.maps {
			a.holds[i] = hold{m.pr, m.kind != static, ports[i], m.n}
		}
	}
	var buf [64]byte
	r.fill(ports, a.Containers, p.bindings, p.nums, string(r.rangeTexts(buf[:0], ports)))
	return a
}

// maxBindingTasks bounds the tasks of one Bindings call, whose result
// takes memory per task even when the tasks bind no port.
const maxBindingTasks = 1 << 24

// Mappings returns how many of the task's port mappings bind host ports:
// the number of ports Bind writes for one task.
func (r *Request) Mappings() int {
	if r == nil {
		return 0
	}
	return len(r.maps)
}

// Bindings returns the network bindings of tasks of r from the ports Bind
// wrote for them: ports holds r.Mappings() ports per task, one task after
// another, and the result has, per task, every container of the task
// definition with its bindings, as Allocation.Containers lists them. All
// the tasks' bindings take a few allocations together, not some per task.
// It returns nil for a nil r, tasks below 1 or above maxBindingTasks, and
// ports holding fewer than tasks × r.Mappings() ports.
func (r *Request) Bindings(tasks int, ports []uint16) [][]ContainerBindings {
	if r == nil || tasks <= 0 || tasks > maxBindingTasks {
		return nil
	}
	nc, nm := len(r.names), len(r.maps)
	if nm > 0 && len(ports)/nm < tasks {
		return nil
	}
	out := make([][]ContainerBindings, tasks)
	cs := make([]ContainerBindings, tasks*nc)
	var all []ecs.NetworkBinding
	var nums []int
	if nm > 0 {
		all = make([]ecs.NetworkBinding, tasks*nm)
		nums = make([]int, 2*tasks*nm)
	}
	var str string
	if r.ranges != nil {
		str = r.allRangeTexts(ports[:tasks*nm])
	}
	for t := range tasks {
		c := cs[t*nc : (t+1)*nc : (t+1)*nc]
		b, e := t*nm, (t+1)*nm
		str = r.fill(ports[b:e], c, all[b:e:e], nums[2*b:2*e:2*e], str)
		out[t] = c
	}
	return out
}

// fill writes into cs (one per container) the bindings of a task that
// holds ports, using all for its bindings and nums for their port fields.
// The hostPortRange texts of its ranges are cut from the front of text
// (see rangeTexts); fill returns the rest.
func (r *Request) fill(ports []uint16, cs []ContainerBindings, all []ecs.NetworkBinding, nums []int, text string) string {
	for i, name := range r.names {
		cs[i].Name = name
	}
	if len(r.maps) == 0 {
		return text
	}
	for i, m := range r.maps {
		all[i] = binding(m, ports[i], nums[2*i:2*i+2])
		if m.kind == portRange {
			n := rangeLen(ports[i], m.n)
			all[i].ContainerPortRange = r.ranges[i]
			all[i].HostPortRange, text = text[:n], text[n:]
		}
	}
	for i := 0; i < len(all); {
		c := r.maps[i].container
		j := i + 1
		for j < len(all) && r.maps[j].container == c {
			j++
		}
		cs[c].NetworkBindings = all[i:j:j]
		i = j
	}
	return text
}

// rangeTexts appends to b the hostPortRange texts of the range mappings of
// the tasks that hold ports (r.Mappings() per task), in order.
func (r *Request) rangeTexts(b []byte, ports []uint16) []byte {
	if r.ranges == nil {
		return b
	}
	nm := len(r.maps)
	for t := 0; t+nm <= len(ports); t += nm {
		for i, m := range r.maps {
			if m.kind == portRange {
				b = appendRange(b, ports[t+i], m.n)
			}
		}
	}
	return b
}

// allRangeTexts returns rangeTexts of ports as one string, built in one
// allocation.
func (r *Request) allRangeTexts(ports []uint16) string {
	n, nm := 0, len(r.maps)
	for t := 0; t+nm <= len(ports); t += nm {
		for i, m := range r.maps {
			if m.kind == portRange {
				n += rangeLen(ports[t+i], m.n)
			}
		}
	}
	var sb strings.Builder
	sb.Grow(n)
	var buf [16]byte
	for t := 0; t+nm <= len(ports); t += nm {
		for i, m := range r.maps {
			if m.kind == portRange {
				sb.Write(appendRange(buf[:0], ports[t+i], m.n))
			}
		}
	}
	return sb.String()
}

// binding writes mapping m bound from host port first, using nums for the
// port fields. fill writes the texts of a range.
func binding(m mapping, first uint16, nums []int) ecs.NetworkBinding {
	b := ecs.NetworkBinding{BindIP: BindIP, Protocol: m.pr.api()}
	if m.kind == portRange {
		return b
	}
	nums[0], nums[1] = int(m.containerPort), int(first)
	b.ContainerPort, b.HostPort = &nums[0], &nums[1]
	return b
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
