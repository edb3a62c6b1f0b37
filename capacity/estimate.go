package capacity

import (
	"encoding/binary"
	"math"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// InstanceShape is what managed scaling knows of an instance type of an
// Auto Scaling group: what a fresh instance of it offers tasks.
type InstanceShape struct {
	Name      string
	CPU       int // CPU units the agent registers (1 vCPU = 1024)
	MemoryMiB int // memory the agent registers
	ENIs      int // awsvpc tasks it can run at once
	GPUs      int
	// ReservedTCP and ReservedUDP are the host ports taken on a fresh
	// instance (the agent's reserved ports), sorted.
	ReservedTCP, ReservedUDP []int
}

// ShapeOf returns the shape of an instance of t with no reserved ports:
// its CPU, registered memory and GPUs, and as ENIs the awsvpc tasks it
// runs (ecs.InstanceType.AwsvpcTaskLimit; none when the type has no ENI
// figure).
func ShapeOf(t ecs.InstanceType, trunking bool) InstanceShape {
	enis, _ := t.AwsvpcTaskLimit(trunking)
	return InstanceShape{Name: t.Name, CPU: t.CPU, MemoryMiB: t.RegisteredMemoryMiB, ENIs: enis, GPUs: t.GPUs}
}

// holds returns how many tasks that each need r fit at once on a fresh
// instance of shape s; math.MaxInt when r needs nothing s counts.
func (s InstanceShape) holds(r ecs.Resources) int {
	n := math.MaxInt
	for _, d := range [...]struct{ have, need int }{
		{s.CPU, r.CPU}, {s.MemoryMiB, r.MemoryMiB}, {s.ENIs, r.ENIs}, {s.GPUs, r.GPUs},
	} {
		if d.need > 0 {
			n = min(n, d.have/d.need)
		}
	}
	if len(r.PortsTCP)+len(r.PortsUDP) > 0 { // a static host port: one task per instance
		if overlaps(r.PortsTCP, s.ReservedTCP) || overlaps(r.PortsUDP, s.ReservedUDP) {
			return 0
		}
		n = min(n, 1)
	}
	return n
}

func overlaps(a, b []int) bool {
	for _, p := range a {
		if slices.Contains(b, p) {
			return true
		}
	}
	return false
}

// smallest and largest return, dimension by dimension, the least and the
// most the shapes offer (rule 139.3); ports taken on any, or on all.
func smallest(shapes []InstanceShape) InstanceShape {
	s := shapes[0]
	for _, t := range shapes[1:] {
		s.CPU, s.MemoryMiB = min(s.CPU, t.CPU), min(s.MemoryMiB, t.MemoryMiB)
		s.ENIs, s.GPUs = min(s.ENIs, t.ENIs), min(s.GPUs, t.GPUs)
		s.ReservedTCP, s.ReservedUDP = union(s.ReservedTCP, t.ReservedTCP), union(s.ReservedUDP, t.ReservedUDP)
	}
	s.Name = "smallest"
	return s
}

func largest(shapes []InstanceShape) InstanceShape {
	s := shapes[0]
	for _, t := range shapes[1:] {
		s.CPU, s.MemoryMiB = max(s.CPU, t.CPU), max(s.MemoryMiB, t.MemoryMiB)
		s.ENIs, s.GPUs = max(s.ENIs, t.ENIs), max(s.GPUs, t.GPUs)
		s.ReservedTCP, s.ReservedUDP = intersect(s.ReservedTCP, t.ReservedTCP), intersect(s.ReservedUDP, t.ReservedUDP)
	}
	s.Name = "largest"
	return s
}

func union(a, b []int) []int {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

func intersect(a, b []int) []int {
	var out []int
	for _, p := range a {
		if slices.Contains(b, p) {
			out = append(out, p)
		}
	}
	return out
}

// GroupEstimate is the estimate for one group of PROVISIONING tasks with
// identical requirements.
type GroupEstimate struct {
	Needs ecs.Resources // what each task of the group needs
	Tasks int           // tasks in the group
	// Excluded reports that the tasks fit no instance type of the group:
	// they do not count towards M.
	Excluded bool
	// Min is the instances the tasks need when binpacked onto the largest
	// shape; Max, onto the smallest shape, or -1 when a task does not fit
	// the smallest.
	Min, Max int
}

// Estimate is ECS's estimate of the instances an Auto Scaling group
// provider needs (rule 139, Open point 9).
type Estimate struct {
	Running int // N: instances running
	Busy    int // instances running at least one non-daemon task
	// New is the instances the PROVISIONING tasks need beyond the busy
	// ones: the largest Min of the groups that are not excluded.
	New      int
	Excluded int // PROVISIONING tasks that fit no instance type
	Groups   []GroupEstimate
	// AllExcluded reports PROVISIONING tasks of which none fits: the
	// reservation then stays 100 and nothing scales.
	AllExcluded bool
}

// M returns the instances needed: the busy ones and the new ones.
func (e Estimate) M() int {
	return e.Busy + e.New
}

// Reservation returns the CapacityProviderReservation of e: 100 when every
// PROVISIONING task is excluded, else Reservation(M, N).
func (e Estimate) Reservation() float64 {
	if e.AllExcluded {
		return 100
	}
	return Reservation(e.M(), e.Running)
}

// EstimateNeeds estimates, as ECS does, the instances an Auto Scaling group
// provider needs: the running instances that hold at least one non-daemon
// task, plus what the tasks waiting for capacity (PROVISIONING) need. The
// waiting tasks are grouped by identical requirements; each group is
// binpacked onto the group's largest instance shape (dimension by
// dimension over shapes), giving the least number of instances it needs;
// the groups may share instances, so the estimate takes the largest of
// these numbers, a lower bound that later rounds of scaling correct. Tasks
// that fit no shape are excluded. The binpack onto the smallest shape is
// reported for comparison only. ECS's developer guide names both shapes
// but not how it combines the groups: taking the largest lower bound is
// an assumption after the AWS blog (Open point 9), not re-verified.
func EstimateNeeds(instances []Instance, provisioning []ecs.Resources, shapes []InstanceShape) Estimate {
	e := Estimate{Running: len(instances)}
	for _, in := range instances {
		if in.NonDaemonTasks > 0 {
			e.Busy++
		}
	}
	if len(provisioning) == 0 {
		return e
	}
	e.Groups = groupTasks(provisioning)
	var big, small InstanceShape
	if len(shapes) > 0 {
		big, small = largest(shapes), smallest(shapes)
	}
	for i := range e.Groups {
		g := &e.Groups[i]
		estimateGroup(g, shapes, big, small)
		if g.Excluded {
			e.Excluded += g.Tasks
			continue
		}
		e.New = max(e.New, g.Min)
	}
	e.AllExcluded = e.Excluded == len(provisioning)
	return e
}

func estimateGroup(g *GroupEstimate, shapes []InstanceShape, big, small InstanceShape) {
	fits := false
	for _, s := range shapes {
		if s.holds(g.Needs) > 0 {
			fits = true
			break
		}
	}
	if !fits {
		g.Excluded, g.Max = true, -1
		return
	}
	g.Min = ceilDiv(g.Tasks, big.holds(g.Needs))
	g.Max = -1
	if n := small.holds(g.Needs); n > 0 {
		g.Max = ceilDiv(g.Tasks, n)
	}
}

func ceilDiv(a, b int) int {
	return a/b + min(a%b, 1)
}

// groupTasks groups tasks by identical requirements, in order of first
// appearance.
func groupTasks(tasks []ecs.Resources) []GroupEstimate {
	var groups []GroupEstimate
	index := map[needsKey]int{}
	for _, r := range tasks {
		k := needsKey{
			cpu: r.CPU, mem: r.MemoryMiB, gpus: r.GPUs, enis: r.ENIs,
			tcp: portsKey(r.PortsTCP), udp: portsKey(r.PortsUDP),
		}
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, GroupEstimate{Needs: r})
		}
		groups[i].Tasks++
	}
	return groups
}

// needsKey is a comparable form of ecs.Resources, for groupTasks.
type needsKey struct {
	cpu, mem, gpus, enis int
	tcp, udp             string // portsKey of the host ports
}

// portsKey encodes ports as a string of varints, one per port in order:
// equal lists, and only those, give equal keys.
func portsKey(ports []int) string {
	if len(ports) == 0 {
		return ""
	}
	b := make([]byte, 0, 3*len(ports))
	for _, p := range ports {
		b = binary.AppendVarint(b, int64(p))
	}
	return string(b)
}
