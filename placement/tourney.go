package placement

import (
	"math"
	"math/bits"
	"slices"
)

// countIndex orders the instances by how many tasks of one group they
// run, for spread(instanceId), then by a remaining resource when a
// binpack step follows, one tournament tree per value of a partition (one
// for all instances when part is nil). Unlike a sorted
// list, whose entry would jump past every instance of its tier after
// each placement, a tournament keeps every instance at a fixed leaf (its
// position in ARN order) and updates one path of the tree per change.
type countIndex struct {
	group  int32
	second keyKind // 0, keyCPU or keyMemory
	part   *partition
	trees  []tourney
	used   uint64 // when the state last handed it out (state.cntUse)
	// stale lists the instances changed since the index was last walked,
	// whose leaves sync brings up to date; isStale marks them.
	stale   []int32
	isStale []bool
}

// key returns an instance's key: its tasks of the group above, the
// second key below.
func (x *countIndex) key(in *instance) uint64 {
	return uint64(uint32(max(in.count(x.group), 0)))<<32 | x.secondKey(in)
}

// secondKey returns the low half of an instance's key: its remaining
// resource of the second key, or 0.
func (x *countIndex) secondKey(in *instance) uint64 {
	switch x.second {
	case keyCPU:
		return uint64(uint32(max(in.cpu, 0)))
	case keyMemory:
		return uint64(uint32(max(in.mem, 0)))
	}
	return 0
}

// tourney is a tournament tree over a fixed list of instances. Each node
// keeps the least count and the most CPU and memory left among the live
// instances below it. Hidden leaves and padding have key MaxUint64 and
// CPU and memory -1.
type tourney struct {
	size    int
	members []int32 // instance at each leaf, ascending
	key     []uint64
	cpu     []int32
	mem     []int32
}

// newCountIndex builds the count index of group g. It takes the storage
// of an index dropped (state.spare) when there is one, reusing its trees
// when it has the same partition, so that building indexes in turn for
// many groups allocates nothing. A group no instance counted a task of
// has every count 0: its keys need no instance's counts.
func newCountIndex(s *state, group int32, second keyKind, part *partition) *countIndex {
	x := &countIndex{group: group, second: second, part: part}
	spare := s.spare(part)
	if spare != nil && len(spare.isStale) == len(s.inst) {
		x.isStale, x.stale = spare.isStale, spare.stale[:0]
		clear(x.isStale)
	} else {
		x.isStale = make([]bool, len(s.inst))
	}
	var lists [][]int32
	switch {
	case spare != nil && spare.part == part:
		lists = make([][]int32, len(spare.trees))
		for v := range spare.trees {
			lists[v] = spare.trees[v].members
		}
		x.trees = spare.trees
	case part == nil:
		lists = [][]int32{s.allMembers()}
	default:
		lists = part.members
	}
	if x.trees == nil {
		x.trees = make([]tourney, len(lists))
	}
	counts := !s.uncounted(group)
	for v, members := range lists {
		t := &x.trees[v]
		t.size = 1
		for t.size < len(members) {
			t.size <<= 1
		}
		t.members = members
		if len(t.key) != 2*t.size {
			t.key = make([]uint64, 2*t.size)
			t.cpu = make([]int32, 2*t.size)
			t.mem = make([]int32, 2*t.size)
		}
		// A new index shows every instance, even one hidden in the
		// indexes that saw it earlier in the request. The leaves past
		// the members are padding.
		key, cpu, mem := t.key[t.size:], t.cpu[t.size:], t.mem[t.size:]
		for p, i := range members {
			in := &s.inst[i]
			key[p], cpu[p], mem[p] = x.secondKey(in), in.cpu, in.mem
			if counts {
				key[p] |= uint64(uint32(max(in.count(group), 0))) << 32
			}
		}
		for p := len(members); p < t.size; p++ {
			key[p], cpu[p], mem[p] = math.MaxUint64, -1, -1
		}
		for k := t.size - 1; k >= 1; k-- {
			t.pull(k)
		}
	}
	return x
}

// pull recomputes node k from its children.
func (t *tourney) pull(k int) {
	t.key[k] = min(t.key[2*k], t.key[2*k+1])
	t.cpu[k] = max(t.cpu[2*k], t.cpu[2*k+1])
	t.mem[k] = max(t.mem[2*k], t.mem[2*k+1])
}

// setLeaf sets leaf p of t from its instance's current state.
func (x *countIndex) setLeaf(s *state, t *tourney, p int) {
	i := t.members[p]
	k := t.size + p
	r := s.leaf(i)
	t.cpu[k], t.mem[k] = r.cpu, r.mem
	t.key[k] = math.MaxUint64
	if !s.hidden(i) {
		t.key[k] = x.key(&s.inst[i])
	}
}

// update refreshes instance i's leaf and, with climb, the path above it.
func (x *countIndex) update(s *state, i int32, climb bool) {
	v := int32(0)
	if x.part != nil {
		v = x.part.valueOf(s.inst[i].attrs)
	}
	t := &x.trees[v]
	p, _ := slices.BinarySearch(t.members, i)
	x.setLeaf(s, t, p)
	if !climb {
		return
	}
	for k := (t.size + p) >> 1; k >= 1; k >>= 1 {
		t.pull(k)
	}
}

// after records that instance i changed: its leaf changes at the next
// sync.
func (x *countIndex) after(_ *state, i int32) {
	if !x.isStale[i] {
		x.isStale[i] = true
		x.stale = append(x.stale, i)
	}
}

// sync brings the leaves of the stale instances, and the nodes above
// them, up to date, before a walk: path by path for a few, or every node
// once for many.
func (x *countIndex) sync(s *state) {
	if len(x.stale) == 0 {
		return
	}
	size := 0
	for v := range x.trees {
		size += x.trees[v].size
	}
	climb := len(x.stale)*bits.Len(uint(size)) < size
	for _, i := range x.stale {
		x.isStale[i] = false
		x.update(s, i, climb)
	}
	x.stale = x.stale[:0]
	if climb {
		return
	}
	for v := range x.trees {
		t := &x.trees[v]
		for k := t.size - 1; k >= 1; k-- {
			t.pull(k)
		}
	}
}

func (x *countIndex) refreshInst(s *state, i int32) { x.update(s, i, true) }

// best returns the leaf with the least (key, position) among those whose
// instance has at least cpu and mem left, or -1.
func (t *tourney) best(cpu, mem int32) int {
	p, _ := t.find(1, 0, t.size, cpu, mem, math.MaxUint64, math.MaxInt)
	return p
}

// find searches node k, over leaves lo..hi-1, for a leaf that beats the
// best so far, (bk, bp), best child first. A subtree whose least key is
// higher, or equal with every position later, cannot.
func (t *tourney) find(k, lo, hi int, cpu, mem int32, bk uint64, bp int) (int, uint64) {
	if t.cpu[k] < cpu || t.mem[k] < mem || t.key[k] > bk || t.key[k] == bk && lo >= bp {
		return -1, 0
	}
	if k >= t.size {
		return lo, t.key[k]
	}
	mid := (lo + hi) / 2
	if t.key[2*k+1] < t.key[2*k] {
		p, key := t.find(2*k+1, mid, hi, cpu, mem, bk, bp)
		if p >= 0 {
			bk, bp = key, p
		}
		if q, key := t.find(2*k, lo, mid, cpu, mem, bk, bp); q >= 0 {
			return q, key
		}
		return p, bk
	}
	p, key := t.find(2*k, lo, mid, cpu, mem, bk, bp)
	if p >= 0 {
		bk, bp = key, p
	}
	if q, key := t.find(2*k+1, mid, hi, cpu, mem, bk, bp); q >= 0 {
		return q, key
	}
	return p, bk
}
