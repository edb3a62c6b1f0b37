package placement

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

// Engine places tasks on a cluster and keeps the cluster's state current
// as it does: each placement changes what the next one sees. It holds the
// indexes that let a placement look at a few instances instead of all.
//
// An Engine is safe for concurrent use. Each call holds the engine's lock
// from its first look at the state to its last change, so concurrent
// requests are serialized: the second sees the first's tasks, and when
// they left no room it is told the task does not fit. No instance is ever
// committed beyond what it has.
//
// Make an Engine with NewEngine. The zero Engine places on an empty
// cluster; the methods of a nil *Engine return errors wrapping
// ecs.ErrInvalid, or nothing.
type Engine struct {
	mu sync.Mutex
	s  *state
}

// EngineOptions configure an Engine.
type EngineOptions struct {
	// Exhaustive makes every placement filter every instance and apply
	// the strategy chain to those that fit, instead of walking the
	// indexes. The answers are the same; it exists to check that they are
	// and to measure what the indexes save.
	Exhaustive bool
	// Tasks, when positive, is how many tasks the caller expects the
	// engine to hold at once: the engine makes its task table that large
	// at the start instead of growing it as they come. It changes no
	// placement.
	Tasks int
}

// NewEngine returns an engine that places tasks on a copy of snap; snap
// itself is left unchanged.
func NewEngine(snap *Snapshot, optFns ...func(*EngineOptions)) *Engine {
	opts := new(EngineOptions)
	for _, f := range optFns {
		if f != nil {
			f(opts)
		}
	}
	if snap == nil {
		snap = emptySnapshot()
	}
	st := newState(snap, opts.Exhaustive)
	if n := min(opts.Tasks, 1<<20) - len(st.tasks); n > 0 {
		st.tasks = slices.Grow(st.tasks, n)
	}
	return &Engine{s: st}
}

// emptySnapshot returns the snapshot of an empty cluster.
func emptySnapshot() *Snapshot {
	snap, err := NewSnapshot(nil, nil, nil)
	if err != nil {
		panic("placement: an empty snapshot failed: " + err.Error()) // cannot happen
	}
	return snap
}

// lock locks e and returns its state, made on first use for the zero
// Engine.
func (e *Engine) lock() *state {
	e.mu.Lock()
	if e.s == nil {
		e.s = newState(emptySnapshot(), false)
	}
	return e.s
}

// errNilEngine is the error of the methods of a nil *Engine.
var errNilEngine = fmt.Errorf("placement: the Engine is nil: %w", ecs.ErrInvalid)

// errNilBatch is the error of PlaceInto and PlaceDaemonInto without a
// Batch.
var errNilBatch = fmt.Errorf("placement: the Batch to place into is nil: %w", ecs.ErrInvalid)

// Placement is one task placed: where it went and the host ports it got.
type Placement struct {
	// Task identifies the task within the engine, for Stop.
	Task TaskID
	// TaskARN is the ARN the request gave the task, or empty.
	TaskARN string
	// ContainerInstanceARN, InstanceID (the ARN's bare id) and
	// EC2InstanceID name the instance.
	ContainerInstanceARN string
	InstanceID           string
	EC2InstanceID        string
	// AvailabilityZone is the instance's ecs.availability-zone.
	AvailabilityZone string
	// Group is the task's group.
	Group string
	// Containers lists the task's containers with their network bindings.
	Containers []netmode.ContainerBindings
	// ENIs is the number of ENIs the task holds (1 in awsvpc mode).
	ENIs int
}

// TaskID identifies a task in an Engine: a task of the snapshot or one
// the engine placed. The engine reuses a stopped task's place for a later
// task, under a new TaskID: the old one stays unknown (Stop and Hold
// return ErrNoTask for it).
type TaskID int64

// taskID returns the id of the task in slot k: the slot, and above it
// how many tasks held the slot before.
func (s *state) taskID(k int32) TaskID {
	return TaskID(int64(s.tasks[k].gen)<<32 | int64(k))
}

// slotOf returns the slot of the task id names, and false when the engine
// holds no such task (never placed, or stopped).
func (s *state) slotOf(id TaskID) (int32, bool) {
	k, gen := int64(uint32(id)), uint32(uint64(id)>>32)
	if id < 0 || k >= int64(len(s.tasks)) || s.tasks[k].gen != gen || s.tasks[k].stopped {
		return 0, false
	}
	return int32(k), true
}

// Result is the outcome of a request.
type Result struct {
	// Placements lists the tasks placed, in order.
	Placements []Placement
	// Unplaced is the number of tasks of the request not placed.
	Unplaced int
	// Explanation says why the first task that was not placed did not
	// fit; nil when every task was placed.
	Explanation *Explanation
	// Examined is the number of instance evaluations the request made:
	// divided by the tasks asked for, the instances examined per
	// placement.
	Examined int
}

// ErrNoTaskDefinition is returned for a request without a task
// definition.
var ErrNoTaskDefinition = errors.New("placement: request has no task definition")

// Place places the request's tasks one after another, each seeing the
// ones before. When a task does not fit, no later task would, so Place
// stops there: the result explains why and counts the tasks left
// unplaced. With AllOrNothing the engine is then left as it was and the
// result lists no placement. An invalid request (a strategy or
// constraint the API would refuse) returns an *ecs.APIError and changes
// nothing.
//
// Place builds every placement's names and network bindings; PlaceInto
// places the same tasks into a reusable Batch and builds nothing.
func (e *Engine) Place(req *Request) (*Result, error) {
	if e == nil {
		return nil, errNilEngine
	}
	var b Batch
	if err := e.PlaceInto(&b, req); err != nil {
		return nil, err
	}
	return b.Result(), nil
}

// PlaceInto places the request's tasks as Place does, writing them into b
// in compact form instead of building a Result: b's storage is reused,
// and grown only for a request that places more tasks than b has held, so
// that a caller that keeps b places tasks without allocating per task.
// What b held before is dropped, also on error.
func (e *Engine) PlaceInto(b *Batch, req *Request) error {
	if e == nil {
		return errNilEngine
	}
	if b == nil {
		return errNilBatch
	}
	e.lock()
	defer e.mu.Unlock()
	s := e.s
	b.reset()
	d, err := s.compile(req)
	if err != nil {
		return err
	}
	defer s.revive()
	start := s.examined
	var undo *undoLog
	if req.AllOrNothing {
		undo = &undoLog{tasks: len(s.tasks), ports: len(s.ports), seq: s.seq}
	}
	s.rnd.seed = req.Seed
	s.startBulk(d)
	n := req.count()
	b.start(s, d, req, n)
	s.grow(d, n)
	for k := 0; k < n; k++ {
		s.rnd.seq = uint64(k)
		i := s.choose(d)
		if i < 0 {
			b.Unplaced = n - k
			if !b.Unexplained {
				b.Explanation = s.explain(d, req, k, nil)
			}
			break
		}
		if err := s.place(b, i, d, int32(k), undo); err != nil {
			b.reset()
			return err
		}
	}
	b.Examined = int(s.examined - start)
	s.revive() // before a rollback, which must see every instance live
	if undo != nil && b.Unplaced > 0 {
		s.rollback(undo)
		b.Unplaced = n
		b.drop()
	}
	return nil
}

// grow makes room in the task table and the port store for n more tasks
// of d, so that placing them does not grow them task by task.
func (s *state) grow(d *demand, n int) {
	n = max(min(n, 1<<20)-len(s.free), 0)
	s.tasks = growBy(s.tasks, n)
	s.ports = growBy(s.ports, n*d.maps)
}

// growBy makes room in a for n more elements, growing it by a quarter at
// least when it must grow, so that a table filled by small requests is
// copied a few times per element in all, and a large table keeps little
// room it does not use.
func growBy[T any](a []T, n int) []T {
	if cap(a)-len(a) >= n {
		return a
	}
	return slices.Grow(a, max(n, len(a)/4))
}

// place commits one task of d on instance i, the request's task k, and
// adds it to b.
func (s *state) place(b *Batch, i int32, d *demand, k int32, undo *undoLog) error {
	if undo != nil {
		undo.save(&s.inst[i], i)
	}
	arn := ""
	if int(k) < len(b.arns) {
		arn = b.arns[k]
	} else {
		k = -1
	}
	slot, err := s.commit(i, d, arn, undo)
	if err != nil {
		// Fits said yes: the network state disagrees with itself.
		return fmt.Errorf("placement: instance %s: %w", s.names[i].arn, err)
	}
	b.add(s.taskID(slot), i, k, s.taskPorts(&s.tasks[slot]))
	return nil
}

// undoLog records what an all-or-nothing request changed.
type undoLog struct {
	tasks int                      // slots before the request
	ports int                      // length of the port store before the request
	seq   uint64                   // the state's seq before the request
	nets  map[int32]*netmode.State // network state of each instance touched, before
	order []int32                  // instances touched, in order
	// placed lists the slots the request's tasks took, in order; reused,
	// the slots of stopped tasks it reused, as they were.
	placed []int32
	reused []reusedSlot
}

// reusedSlot is a stopped task's slot as it was before a task reused it.
type reusedSlot struct {
	k int32
	t task
}

// save keeps instance i's network state before the request first changes
// it, and gives the instance a copy to change.
func (u *undoLog) save(in *instance, i int32) {
	if u.nets == nil {
		u.nets = make(map[int32]*netmode.State)
	}
	if _, ok := u.nets[i]; ok {
		return
	}
	u.nets[i] = in.net
	u.order = append(u.order, i)
	in.net = in.net.Clone()
}

// rollback undoes the request's placements.
func (s *state) rollback(u *undoLog) {
	for j := len(u.placed) - 1; j >= 0; j-- {
		t := &s.tasks[u.placed[j]]
		s.change(t.inst, t.group, t.shape, -1)
		s.placements--
	}
	for j := len(u.reused) - 1; j >= 0; j-- { // back on the free list, in its order
		r := &u.reused[j]
		s.tasks[r.k] = r.t
		s.free = append(s.free, r.k)
	}
	s.tasks = s.tasks[:u.tasks]
	s.ports = s.ports[:u.ports]
	s.seq = u.seq
	for _, i := range u.order {
		s.inst[i].net = u.nets[i]
	}
}

// compile checks a request and compiles it against the state. The
// demand it returns is the state's own, valid until the next compile:
// compiling a request of a task definition the state has seen allocates
// nothing.
func (s *state) compile(req *Request) (*demand, error) {
	if req == nil || req.TaskDefinition == nil {
		return nil, ErrNoTaskDefinition
	}
	td := req.TaskDefinition
	chain, err := appendStrategy(s.stepBuf[:0], req.strategy())
	if err != nil {
		return nil, err
	}
	cons, err := appendConstraints(s.consBuf[:0], td, req.Constraints, s.exprs)
	if err != nil {
		return nil, err
	}
	s.consBuf = cons[:0]
	res, err := TaskDemand(td, req.Overrides)
	if err != nil {
		return nil, ecs.NewAPIError(ecs.InvalidParameterException, err.Error(), fmt.Errorf("%w: %w", ecs.ErrInvalid, err))
	}
	nr, err := s.netRequest(td)
	if err != nil {
		return nil, ecs.NewAPIError(ecs.ClientException, err.Error(), fmt.Errorf("%w: %w", ecs.ErrInvalid, err))
	}
	switch req.LaunchType {
	case "", ecs.LaunchTypeEC2, ecs.LaunchTypeExternal:
	default:
		return nil, invalidParameter("Launch type %s does not place tasks on container instances.", req.LaunchType)
	}
	s.reqBuf = appendRequired(s.reqBuf[:0], td)
	d := &s.dem
	*d = demand{
		cpu: int32(res.CPU), mem: int32(res.MemoryMiB), gpu: int32(res.GPUs),
		net:      nr,
		maps:     nr.Mappings(),
		required: s.reqBuf,
		cons:     cons,
		external: req.LaunchType == ecs.LaunchTypeExternal,
		provider: req.CapacityProvider,
		chain:    chain,
	}
	d.group, d.groupName = s.groupOf(req)
	d.shape = s.shapeOf(d.cpu, d.mem, d.gpu, nr)
	d.eager = !s.exhaustive && !req.AllOrNothing
	s.bulk.on = false // PlaceInto starts it
	if len(req.Instances) > 0 {
		d.only = true
		s.onlyEpoch = nextEpoch(s.onlyEpoch, s.onlyMark)
		for _, arn := range req.Instances {
			if i, ok := s.byARN[arn]; ok {
				s.onlyMark[i] = s.onlyEpoch
			}
		}
	}
	return d, nil
}

// netRequest returns the network request of td: the one read last time
// when td still asks for it (netmode.Request.Matches), so that requests
// of a task definition share one.
func (s *state) netRequest(td *ecs.TaskDefinition) (*netmode.Request, error) {
	for _, c := range s.nets {
		if c.td == td && c.net.Matches(td) {
			return c.net, nil
		}
	}
	nr, err := netmode.NewRequest(td)
	if err != nil {
		return nil, err
	}
	s.nets[s.netNext] = tdRequest{td, nr}
	s.netNext = (s.netNext + 1) % len(s.nets)
	return nr, nil
}

// tdRequest is a task definition's network request, read once.
type tdRequest struct {
	td  *ecs.TaskDefinition
	net *netmode.Request
}

// shapeOf returns the shape of the tasks of a request, shared with
// earlier requests of the same shape.
func (s *state) shapeOf(cpu, mem, gpu int32, net *netmode.Request) *taskShape {
	want := taskShape{cpu: cpu, mem: mem, gpu: gpu, net: net}
	if sh, ok := s.shapes[want]; ok {
		return sh
	}
	sh := new(taskShape)
	*sh = want
	if len(s.shapes) >= maxShapes {
		clear(s.shapes) // tasks keep theirs; later requests make new ones
	}
	s.shapes[want] = sh
	return sh
}

// maxShapes bounds the shapes a state keeps for later requests.
const maxShapes = 256

// groupOf returns the id and name of the request's task group (see
// Request.group), adding it to the state's groups if new. A group the
// state has seen costs a map lookup and no allocation.
func (s *state) groupOf(r *Request) (int32, string) {
	k := groupKey{kind: groupCustom, name: r.Group}
	switch {
	case r.Service != "":
		k = groupKey{kind: groupService, name: r.Service}
	case r.Group == "":
		k = groupKey{kind: groupFamily, name: r.TaskDefinition.Family}
	}
	g, ok := s.groupIDs[k]
	if !ok {
		g = s.groups.id(r.group())
		s.groupIDs[k] = g
	}
	return g, s.groups.names[g]
}

// groupKey names a request's group by what it is made from.
type groupKey struct {
	kind uint8 // groupService, groupFamily or groupCustom
	name string
}

// Kinds of groupKey.
const (
	groupService = iota + 1 // service:<name>
	groupFamily             // family:<name>
	groupCustom             // the name itself
)

// appendRequired appends the attributes td needs: its
// requiresAttributes and those its features imply.
func appendRequired(out []ecs.Attribute, td *ecs.TaskDefinition) []ecs.Attribute {
	out = append(out, td.RequiresAttributes...)
	for _, a := range ecs.RequiredAttributes(td) {
		dup := false
		for _, b := range out {
			dup = dup || b.Name == a.Name
		}
		if !dup {
			out = append(out, a)
		}
	}
	return out
}
