package placement

import "github.com/ecscore/ecscore/netmode"

// Batch holds the placements of one request in compact form: for each
// task placed, its engine task, its instance and the first host port of
// each of its port mappings (netmode.State.Bind). Engine.PlaceInto fills
// it; its methods resolve the rest on demand, the names from the engine's
// instances and the network bindings from the ports.
//
// Keep a Batch and pass it to PlaceInto request after request: its
// storage is reused and grows only for a request that places more tasks
// than it has held, so placing tasks allocates nothing per task. A
// Batch's placements describe the tasks as they were placed; they stay
// valid when the engine changes afterwards, until the next PlaceInto
// into the Batch. A Batch is not safe for concurrent use. The zero value
// is an empty Batch, and so is a nil *Batch for the methods that read.
// The methods that take a placement k give zero results for a k that is
// not one (below 0 or from Len up).
type Batch struct {
	// Unplaced is the number of tasks of the request not placed.
	Unplaced int
	// Explanation says why the first task that was not placed did not
	// fit; nil when every task was placed.
	Explanation *Explanation
	// Examined is the number of instance evaluations the request made.
	Examined int
	// Unexplained, when set, has PlaceInto leave Explanation nil,
	// sparing its cost (every filter on every instance), for a caller
	// that needs only how many tasks were not placed. PlaceInto keeps it.
	Unexplained bool

	placed []placed
	ports  []uint16 // maps per placement, in order
	maps   int      // host ports per task: net.Mappings()
	net    *netmode.Request
	group  string
	arns   []string   // the request's TaskARNs
	names  []instName // the engine's instances
}

// placed is one task of a Batch.
type placed struct {
	task TaskID
	inst int32 // the instance's position in the engine
	arn  int32 // the task's index in Batch.arns, or -1
}

// reset empties b.
func (b *Batch) reset() {
	b.Unplaced, b.Explanation, b.Examined = 0, nil, 0
	b.placed, b.ports = b.placed[:0], b.ports[:0]
	b.net, b.group, b.arns, b.names, b.maps = nil, "", nil, nil, 0
}

// start readies b for the n tasks of req, compiled as d.
func (b *Batch) start(s *state, d *demand, req *Request, n int) {
	b.net, b.maps, b.group, b.arns, b.names = d.net, d.maps, d.groupName, req.TaskARNs, s.names
	n = min(n, 1<<20)
	if cap(b.placed) < n {
		b.placed = make([]placed, 0, n)
	}
	if cap(b.ports) < n*d.maps {
		b.ports = make([]uint16, 0, n*d.maps)
	}
}

// add appends a task placed on instance i, the request's task k (-1 for
// none that has an ARN), holding ports.
func (b *Batch) add(id TaskID, i, k int32, ports []uint16) {
	b.placed = append(b.placed, placed{id, i, k})
	b.ports = append(b.ports, ports...)
}

// drop forgets the placements, which were rolled back.
func (b *Batch) drop() {
	b.placed, b.ports = b.placed[:0], b.ports[:0]
}

// Len returns the number of tasks placed.
func (b *Batch) Len() int {
	if b == nil {
		return 0
	}
	return len(b.placed)
}

// valid reports whether k is a placement of b.
func (b *Batch) valid(k int) bool { return b != nil && uint(k) < uint(len(b.placed)) }

// name returns the instance of placement k, or the zero instName.
func (b *Batch) name(k int) instName {
	if !b.valid(k) {
		return instName{}
	}
	return b.names[b.placed[k].inst]
}

// Task returns the engine task of placement k, for Engine.Stop and
// Engine.Hold.
func (b *Batch) Task(k int) TaskID {
	if !b.valid(k) {
		return 0
	}
	return b.placed[k].task
}

// TaskARN returns the ARN the request gave the task of placement k
// (Request.TaskARNs, which b reads and does not copy), or "".
func (b *Batch) TaskARN(k int) string {
	if !b.valid(k) {
		return ""
	}
	if a := b.placed[k].arn; a >= 0 {
		return b.arns[a]
	}
	return ""
}

// ContainerInstanceARN returns the ARN of the instance of placement k.
func (b *Batch) ContainerInstanceARN(k int) string { return b.name(k).arn }

// InstanceID returns the bare id of the instance of placement k: what
// follows the last slash of its ARN.
func (b *Batch) InstanceID(k int) string { return b.name(k).id }

// EC2InstanceID returns the EC2 instance ID of the instance of placement
// k, or "".
func (b *Batch) EC2InstanceID(k int) string { return b.name(k).ec2ID }

// AvailabilityZone returns the ecs.availability-zone of the instance of
// placement k, or "".
func (b *Batch) AvailabilityZone(k int) string { return b.name(k).az }

// Group returns the task group of the request's tasks.
func (b *Batch) Group() string {
	if b == nil {
		return ""
	}
	return b.group
}

// HostPorts returns the first host port of each port mapping of the task
// of placement k that binds host ports, in task definition order: its
// static host port, its dynamic port or the first port of its range. The
// slice is b's own: it changes with the next PlaceInto into b.
func (b *Batch) HostPorts(k int) []uint16 {
	if !b.valid(k) {
		return nil
	}
	return b.ports[k*b.maps : (k+1)*b.maps : (k+1)*b.maps]
}

// ENIs returns the number of ENIs each task holds: 1 in awsvpc mode.
func (b *Batch) ENIs() int {
	if b == nil || b.net == nil {
		return 0
	}
	return b.net.ENIs()
}

// Containers returns the containers of the task of placement k with
// their network bindings, as Placement.Containers lists them. It builds
// them, and so allocates.
func (b *Batch) Containers(k int) []netmode.ContainerBindings {
	if !b.valid(k) {
		return nil
	}
	if cs := b.net.Bindings(1, b.HostPorts(k)); len(cs) == 1 {
		return cs[0]
	}
	return nil
}

// Bindings returns the containers of every placement's task with their
// network bindings, as Placement.Containers lists them, built together in
// a few allocations. The result is the caller's: it does not change with
// b.
func (b *Batch) Bindings() [][]netmode.ContainerBindings {
	if b.Len() == 0 {
		return nil
	}
	return b.net.Bindings(len(b.placed), b.ports)
}

// Placement returns placement k in full, as Place reports it.
func (b *Batch) Placement(k int) Placement {
	if !b.valid(k) {
		return Placement{}
	}
	return b.placement(k, b.Containers(k))
}

func (b *Batch) placement(k int, cs []netmode.ContainerBindings) Placement {
	p := &b.placed[k]
	name := &b.names[p.inst]
	return Placement{
		Task:                 p.task,
		TaskARN:              b.TaskARN(k),
		ContainerInstanceARN: name.arn,
		InstanceID:           name.id,
		EC2InstanceID:        name.ec2ID,
		AvailabilityZone:     name.az,
		Group:                b.group,
		Containers:           cs,
		ENIs:                 b.ENIs(),
	}
}

// Result returns the batch as Place reports it: every placement in full,
// their network bindings built together in a few allocations.
func (b *Batch) Result() *Result {
	if b == nil {
		return &Result{}
	}
	res := &Result{Unplaced: b.Unplaced, Explanation: b.Explanation, Examined: b.Examined}
	n := len(b.placed)
	if n == 0 {
		return res
	}
	res.Placements = make([]Placement, n)
	cs := b.Bindings()
	for k := range n {
		res.Placements[k] = b.placement(k, cs[k])
	}
	return res
}
