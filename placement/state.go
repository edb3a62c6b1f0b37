package placement

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// state is an engine's working copy of a snapshot, with the indexes and
// caches that make placement fast. It is not safe for concurrent use; the
// Engine serializes access to it.
type state struct {
	*Snapshot
	parts  map[string]*partition
	res    map[idxKey]*keyIndex   // binpack: by resource and partition
	cnt    map[idxKey]*countIndex // spread(instanceId): by group and partition
	plain  map[string]*keyIndex   // members of each value, by partition
	vcs    map[idxKey]*valueCounts
	all    []index          // every index, to update
	vcsOf  [][]*valueCounts // every valueCounts, by group id, to update
	cntUse uint64           // counts cntIndex calls, for cnt's least recently used
	// spareCnt are the count indexes dropped last, whose trees the next
	// one built reuses when it has the same partition.
	spareCnt []*countIndex
	// counted[g] says that some instance counted a task of group g since
	// the state was made: a group not counted has no task anywhere, and
	// an index of its counts needs no instance's.
	counted []bool
	// bulk is the request's walk of the instances without its group's
	// tasks, when its chain allows one (bulk.go).
	bulk bulkWalk
	// members is every instance's position, in order: the one list of
	// a count index over all instances.
	members []int32
	exprs   map[string]*expr

	exhaustive bool
	examined   int64

	// What compile reuses from request to request: the demand, its
	// buffers, the network requests of the task definitions seen last,
	// shapes and group ids.
	dem       demand
	stepBuf   [MaxStrategies]step
	consBuf   []constraint
	reqBuf    []ecs.Attribute
	reqOKBuf  []int8
	nets      [8]tdRequest
	netNext   int
	shapes    map[taskShape]*taskShape
	groupIDs  map[groupKey]int32
	onlyMark  []uint32 // onlyEpoch marks the instances a request names
	onlyEpoch uint32

	// ports stores the host ports of the tasks the engine placed:
	// task.ports is where a task's start (netmode.State.Bind).
	ports []uint16
	// free lists the slots of stopped tasks, which later tasks take, the
	// last freed first; seq counts the tasks the engine learned of.
	free []int32
	seq  uint64
	// pend holds the ports an eager walk bound on pendingInst, when
	// pending.
	pend        []uint16
	pending     bool
	pendingInst int32
	placements  int64

	buf   []int32  // candidates of a tie
	curs  []cursor // merge cursors
	mark  []uint32 // epoch stamps of marked instances
	epoch uint32
	rnd   shuffle

	// dead[i] == deadEpoch marks instance i as unable to take the task of
	// the current request whatever the request's own placements do (it
	// lacks CPU, or an attribute, ...); skip[i] == skipEpoch marks it as
	// already looked at for the current placement. Index trees hide both;
	// killed and skipped list them, to show them again when the request,
	// or the placement, is over.
	dead      []uint32
	deadEpoch uint32
	killed    []hiddenInst
	skip      []uint32
	skipEpoch uint32
	skipped   []hiddenInst
}

// index is an index the state keeps current as instances change.
type index interface {
	// after records a change of instance i, which the index shows at the
	// next sync.
	after(s *state, i int32)
	// sync brings the index up to date with the instances, before a
	// walk.
	sync(s *state)
	// refreshInst recomputes instance i's leaf after it was hidden or
	// shown.
	refreshInst(s *state, i int32)
}

// hiddenInst is an instance hidden in one index.
type hiddenInst struct {
	x index
	i int32
}

// idxKey names an index: a resource or group, and a partition by
// attribute name ("" for all instances).
type idxKey struct {
	id   int32
	attr string
	sub  keyKind
}

func newState(s *Snapshot, exhaustive bool) *state {
	st := &state{
		Snapshot:   s.clone(),
		parts:      make(map[string]*partition),
		res:        make(map[idxKey]*keyIndex),
		cnt:        make(map[idxKey]*countIndex),
		plain:      make(map[string]*keyIndex),
		vcs:        make(map[idxKey]*valueCounts),
		exprs:      make(map[string]*expr),
		shapes:     make(map[taskShape]*taskShape),
		groupIDs:   make(map[groupKey]int32),
		onlyMark:   make([]uint32, len(s.inst)),
		onlyEpoch:  1,
		exhaustive: exhaustive,
		mark:       make([]uint32, len(s.inst)),
		dead:       make([]uint32, len(s.inst)),
		deadEpoch:  1,
		skip:       make([]uint32, len(s.inst)),
		skipEpoch:  1,
		rnd:        shuffle{perm: identity(len(s.inst))},
	}
	st.seq = uint64(len(st.tasks))
	for i := range st.inst {
		for _, gc := range st.inst[i].groups {
			st.count(gc.group)
		}
	}
	st.rnd.rng = rand.New(&st.rnd.pcg)
	return st
}

// partition returns the partition of the instances by attribute name.
func (s *state) partition(name string) *partition {
	p, ok := s.parts[name]
	if !ok {
		sets := make([]int32, len(s.inst))
		for i := range s.inst {
			sets[i] = s.inst[i].attrs
		}
		p = newPartition(name, &s.attrs, sets)
		s.parts[name] = p
	}
	return p
}

// partOf returns the partition for a step's attribute, nil for "".
func (s *state) partOf(attr string) *partition {
	if attr == "" {
		return nil
	}
	return s.partition(attr)
}

// resIndex returns the index of instances by remaining CPU or memory.
func (s *state) resIndex(kind keyKind, attr string) *keyIndex {
	k := idxKey{id: int32(kind), attr: attr}
	x, ok := s.res[k]
	if !ok {
		x = newKeyIndex(s, kind, s.partOf(attr))
		s.res[k] = x
		s.all = append(s.all, x)
	}
	return x
}

// maxCountIndexes is how many count indexes a state keeps. Each group's
// index is as large as the cluster and, since its nodes keep the most CPU
// and memory left below them, changes with every task placed or stopped
// anywhere; with a thousand services a cluster would keep a thousand of
// them current for every task. Past this many, the one used least
// recently is dropped and built again (in time linear in the instances)
// when its group next places.
const maxCountIndexes = 8

// cntIndex returns the index of instances by their tasks of group g,
// then by the second key.
func (s *state) cntIndex(g int32, attr string, second keyKind) *countIndex {
	s.cntUse++
	k := idxKey{g, attr, second}
	x, ok := s.cnt[k]
	if !ok {
		if len(s.cnt) >= maxCountIndexes {
			s.dropCountIndex()
		}
		x = newCountIndex(s, g, second, s.partOf(attr))
		s.cnt[k] = x
		s.all = append(s.all, x)
	}
	x.used = s.cntUse
	return x
}

// dropCountIndex drops the count index used least recently. A request
// walks one count index, the one it asked for last, so the one dropped
// is no request's.
func (s *state) dropCountIndex() {
	var lru idxKey
	var old *countIndex
	for k, x := range s.cnt {
		if old == nil || x.used < old.used {
			lru, old = k, x
		}
	}
	delete(s.cnt, lru)
	s.all = slices.DeleteFunc(s.all, func(x index) bool { return x == index(old) })
	if len(s.spareCnt) >= maxSpareCounts {
		s.spareCnt = slices.Delete(s.spareCnt, 0, 1)
	}
	s.spareCnt = append(s.spareCnt, old)
}

// maxSpareCounts is how many dropped count indexes a state keeps for
// their trees: one for each partition a few services spread over.
const maxSpareCounts = 4

// spare returns a dropped count index for a new one over part to take
// the storage of: one over part when there is one, else the one dropped
// last, or nil.
func (s *state) spare(part *partition) *countIndex {
	if len(s.spareCnt) == 0 {
		return nil
	}
	k := len(s.spareCnt) - 1
	for j := k; j >= 0; j-- {
		if s.spareCnt[j].part == part {
			k = j
			break
		}
	}
	x := s.spareCnt[k]
	s.spareCnt = slices.Delete(s.spareCnt, k, k+1)
	return x
}

// count records that an instance counts a task of group g.
func (s *state) count(g int32) {
	if int(g) >= len(s.counted) {
		s.counted = append(s.counted, make([]bool, int(g)+1-len(s.counted))...)
	}
	s.counted[g] = true
}

// uncounted reports whether no instance counted a task of group g since
// the state was made: every instance's count of g is 0.
func (s *state) uncounted(g int32) bool {
	return int(g) >= len(s.counted) || !s.counted[g]
}

// allMembers returns every instance's position, in order, shared: its
// callers only read it.
func (s *state) allMembers() []int32 {
	if len(s.members) != len(s.inst) {
		s.members = identity(len(s.inst))
	}
	return s.members
}

// plainIndex returns the instances of each value of a partition, in
// order; its keys are all zero and never change.
func (s *state) plainIndex(attr string) *keyIndex {
	x, ok := s.plain[attr]
	if !ok {
		x = newKeyIndex(s, 0, s.partOf(attr))
		s.plain[attr] = x
		s.all = append(s.all, x)
	}
	return x
}

// valueCounts returns the counts of group g's tasks per value of attr.
func (s *state) valueCounts(g int32, attr string) *valueCounts {
	k := idxKey{id: g, attr: attr}
	vc, ok := s.vcs[k]
	if !ok {
		vc = newValueCounts(s, g, s.partition(attr))
		s.vcs[k] = vc
		if int(g) >= len(s.vcsOf) {
			s.vcsOf = append(s.vcsOf, make([][]*valueCounts, int(g)+1-len(s.vcsOf))...)
		}
		s.vcsOf[g] = append(s.vcsOf[g], vc)
	}
	return vc
}

// change applies a task of group g and shape sh taking (sign +1) or
// giving back (sign -1) its CPU, memory and GPUs on instance i, and
// updates every index.
func (s *state) change(i int32, g int32, sh *taskShape, sign int32) {
	s.update(i, g, sh.cpu, sh.mem, sh.gpu, sign, sign)
}

// update changes instance i by a task of group g (none when g < 0): its
// resources by sign (+1 taken, -1 given back, 0 unchanged), its running
// count by sign too, and its group count by groupSign; then every index.
func (s *state) update(i int32, g int32, cpu, mem, gpu int32, sign, groupSign int32) {
	in := &s.inst[i]
	in.cpu -= sign * cpu
	in.mem -= sign * mem
	in.gpu -= sign * gpu
	in.running += sign
	if g >= 0 && groupSign != 0 {
		in.addGroup(g, groupSign)
		s.count(g)
	}
	for _, x := range s.all {
		x.after(s, i)
	}
	if g < 0 || groupSign == 0 {
		return
	}
	if int(g) >= len(s.vcsOf) {
		return
	}
	for _, vc := range s.vcsOf[g] {
		vc.add(vc.part.valueOf(in.attrs), groupSign)
	}
}

// hidden reports whether index trees hide instance i.
func (s *state) hidden(i int32) bool {
	return s.dead[i] == s.deadEpoch || s.skip[i] == s.skipEpoch
}

// leaf returns the CPU and memory instance i shows in index trees:
// hiddenRoom when it is hidden.
func (s *state) leaf(i int32) room {
	if s.hidden(i) {
		return hiddenRoom
	}
	return roomOf(&s.inst[i])
}

// roomOf returns the room of a live instance. One over-committed to the
// least int32 in both would read as gapRoom, an empty slot of a key list,
// and drop out of its index; one more is as far from fitting any task.
func roomOf(in *instance) room {
	return room{max(in.cpu, math.MinInt32+1), max(in.mem, math.MinInt32+1)}
}

// kill hides instance i in x for the rest of the request.
func (s *state) kill(x index, i int32) {
	s.dead[i] = s.deadEpoch
	x.refreshInst(s, i)
	s.killed = append(s.killed, hiddenInst{x, i})
}

// skipInst hides instance i in x for the rest of the placement.
func (s *state) skipInst(x index, i int32) {
	s.skip[i] = s.skipEpoch
	x.refreshInst(s, i)
	s.skipped = append(s.skipped, hiddenInst{x, i})
}

// reveal shows the hidden instances of list again.
func (s *state) reveal(list []hiddenInst) []hiddenInst {
	for _, h := range list {
		h.x.refreshInst(s, h.i)
	}
	return list[:0]
}

// revive shows every killed instance again: the request is over.
func (s *state) revive() {
	s.deadEpoch = nextEpoch(s.deadEpoch, s.dead)
	s.killed = s.reveal(s.killed)
}

// nextEpoch returns the epoch after e, clearing the stamps when the
// counter wraps so that no old stamp matches.
func nextEpoch(e uint32, stamps []uint32) uint32 {
	if e++; e == 0 {
		clear(stamps)
		e = 1
	}
	return e
}

// unskip shows every skipped instance again: the placement is over.
func (s *state) unskip() {
	s.skipEpoch = nextEpoch(s.skipEpoch, s.skip)
	s.skipped = s.reveal(s.skipped)
}

// commit places one task of d on instance i, which fits it, and returns
// its slot: a stopped task's, or a new one. Its host ports go to the port
// store. undo, when not nil, records what it changed.
func (s *state) commit(i int32, d *demand, arn string, undo *undoLog) (int32, error) {
	if !s.pending || s.pendingInst != i {
		s.pend = slices.Grow(s.pend[:0], d.maps)[:d.maps]
		if fe, ok := s.inst[i].net.Bind(d.net, s.pend); !ok {
			refusal := fe
			return -1, &refusal
		}
	}
	s.pending = false
	k := s.slot(d.maps, undo)
	t := &s.tasks[k]
	copy(s.ports[t.ports:int(t.ports)+d.maps], s.pend)
	t.arn, t.shape, t.seq, t.inst, t.group = arn, d.shape, s.seq, i, d.group
	t.held, t.stopped = false, false
	s.seq++
	s.change(i, d.group, d.shape, +1)
	s.placements++
	if undo != nil {
		undo.placed = append(undo.placed, k)
	}
	return k, nil
}

// slot returns a slot for a task holding n host ports: the last one a
// stopped task freed, or a new one, with room for the ports in the port
// store.
func (s *state) slot(n int, undo *undoLog) int32 {
	var k int32
	if f := len(s.free); f > 0 {
		k, s.free = s.free[f-1], s.free[:f-1]
		if undo != nil {
			undo.reused = append(undo.reused, reusedSlot{k, s.tasks[k]})
		}
	} else {
		k = int32(len(s.tasks))
		s.tasks = append(s.tasks, task{})
	}
	if t := &s.tasks[k]; int(t.portCap) < n {
		t.ports, t.portCap = int32(len(s.ports)), uint16(n)
		s.ports = append(s.ports, make([]uint16, n)...)
	}
	return k
}

// taskPorts returns the host ports of a task the engine placed.
func (s *state) taskPorts(t *task) []uint16 {
	if t.shape.net == nil {
		return nil
	}
	return s.ports[t.ports : int(t.ports)+t.shape.net.Mappings()]
}

// shuffle gives each placement a seeded random order of the instances:
// a Fisher-Yates shuffle drawn lazily, only as far as the walk goes, from
// a generator seeded by the request's seed and the task's index. The
// order of a placement depends on nothing else, so every walk of the same
// placement sees the same order. After a walk the permutation is put back
// to the identity.
type shuffle struct {
	perm []int32
	swap []int32 // positions swapped, to undo
	pcg  rand.PCG
	rng  *rand.Rand // draws from pcg
	seed uint64
	seq  uint64
}

func identity(n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}

// walkRandom returns the first instance, in the placement's random order,
// that accept takes, or -1.
func (s *state) walkRandom(accept func(int32) bool) int32 {
	r := &s.rnd
	r.pcg.Seed(r.seed, r.seq)
	rng := r.rng
	n := len(r.perm)
	found := int32(-1)
	for pos := 0; pos < n; pos++ {
		j := pos + rng.IntN(n-pos)
		r.perm[pos], r.perm[j] = r.perm[j], r.perm[pos]
		r.swap = append(r.swap, int32(j))
		if accept(r.perm[pos]) {
			found = r.perm[pos]
			break
		}
	}
	for pos := len(r.swap) - 1; pos >= 0; pos-- {
		j := r.swap[pos]
		r.perm[pos], r.perm[j] = r.perm[j], r.perm[pos]
	}
	r.swap = r.swap[:0]
	return found
}
