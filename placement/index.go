package placement

import "slices"

// keyKind is what a keyIndex orders instances by.
type keyKind uint8

const (
	keyCPU    keyKind = iota + 1 // remaining CPU units
	keyMemory                    // remaining memory
)

// keyIndex keeps instances ordered by a key, one sorted list per value of
// a partition (one list for all instances when part is nil). An entry
// packs the key above the instance's position: key<<32 | i. Lists are
// sorted slices; after a placement the instance's entry moves to its new
// place with one copy, which for binpack is mostly nothing: the chosen
// instance keeps its place until it no longer fits a task of the size.
// Beside each list a maxTree lets a walk jump to the next instance with
// enough CPU and memory.
type keyIndex struct {
	kind  keyKind
	part  *partition // nil: all instances
	lists [][]uint64
	trees []maxTree
	old   uint64 // the entry of the instance being changed, before
}

// key returns instance i's key. Negative amounts count as 0.
func (x *keyIndex) key(in *instance) uint64 {
	var k int32
	switch x.kind {
	case keyCPU:
		k = in.cpu
	case keyMemory:
		k = in.mem
	}
	return uint64(uint32(max(k, 0)))
}

func entry(key uint64, i int32) uint64 { return key<<32 | uint64(uint32(i)) }

// entryKey and entryInst unpack an entry.
func entryKey(e uint64) uint32 { return uint32(e >> 32) }
func entryInst(e uint64) int32 { return int32(uint32(e)) }

// newKeyIndex builds an index over the instances of s.
func newKeyIndex(s *state, kind keyKind, part *partition) *keyIndex {
	x := &keyIndex{kind: kind, part: part}
	n := 1
	if part != nil {
		n = len(part.values)
	}
	x.lists = make([][]uint64, n)
	for i := range s.inst {
		v := x.valueOf(s, int32(i))
		x.lists[v] = append(x.lists[v], entry(x.key(&s.inst[i]), int32(i)))
	}
	x.trees = make([]maxTree, n)
	for v, l := range x.lists {
		slices.Sort(l)
		// A new index shows every instance, even one hidden in the
		// indexes that saw it earlier in the request.
		t := newMaxTree(len(l))
		for p, e := range l {
			in := &s.inst[entryInst(e)]
			t.setLeaf(p, in.cpu, in.mem)
		}
		if len(l) > 0 {
			t.fix(0, len(l)-1)
		}
		x.trees[v] = t
	}
	return x
}

func (x *keyIndex) valueOf(s *state, i int32) int32 {
	if x.part == nil {
		return 0
	}
	return x.part.valueOf(s.inst[i].attrs)
}

// refresh recomputes the tree leaves of positions lo..hi of list v.
func (x *keyIndex) refresh(s *state, v int32, lo, hi int) {
	l, t := x.lists[v], &x.trees[v]
	for p := lo; p <= hi; p++ {
		c, m := s.leaf(entryInst(l[p]))
		t.setLeaf(p, c, m)
	}
	t.fix(lo, hi)
}

// refreshInst recomputes instance i's tree leaf.
func (x *keyIndex) refreshInst(s *state, i int32) {
	v := x.valueOf(s, i)
	p, _ := slices.BinarySearch(x.lists[v], entry(x.key(&s.inst[i]), i))
	x.refresh(s, v, p, p)
}

// before records instance i's entry ahead of a change.
func (x *keyIndex) before(s *state, i int32) { x.old = entry(x.key(&s.inst[i]), i) }

// after moves instance i's entry, and its tree leaf, to where its key now
// puts it, shifting the entries in between, and updates the tree.
func (x *keyIndex) after(s *state, i int32) {
	v := x.valueOf(s, i)
	l, t := x.lists[v], &x.trees[v]
	now := entry(x.key(&s.inst[i]), i)
	p, _ := slices.BinarySearch(l, x.old)
	q := p
	if now != x.old {
		if q, _ = slices.BinarySearch(l, now); q > p {
			q--
		}
		shift(l, p, q)
		shift(t.cpu[t.size:], p, q)
		shift(t.mem[t.size:], p, q)
		l[q] = now
	}
	c, m := s.leaf(i)
	t.setLeaf(q, c, m)
	t.fix(min(p, q), max(p, q))
}

// shift moves a[p] to position q, shifting the elements in between by
// one.
func shift[T any](a []T, p, q int) {
	v := a[p]
	switch {
	case q > p:
		copy(a[p:q], a[p+1:q+1])
	case q < p:
		copy(a[q+1:p+1], a[q:p])
	}
	a[q] = v
}

// moveEntry replaces old with now in the sorted list l, keeping it
// sorted.
func moveEntry(l []uint64, old, now uint64) {
	p, _ := slices.BinarySearch(l, old)
	q := p
	if now != old {
		if q, _ = slices.BinarySearch(l, now); q > p {
			q--
		}
		shift(l, p, q)
	}
	l[q] = now
}

// valueCounts counts a group's tasks per value of a partition, for spread
// over an attribute, and keeps the values ordered by count (ties by
// value, ascending).
type valueCounts struct {
	group  int32
	part   *partition
	counts []int32
	order  []uint64 // entry(count, value), sorted
}

func newValueCounts(s *state, group int32, part *partition) *valueCounts {
	vc := &valueCounts{group: group, part: part, counts: make([]int32, len(part.values))}
	for i := range s.inst {
		in := &s.inst[i]
		vc.counts[part.valueOf(in.attrs)] += in.count(group)
	}
	vc.order = make([]uint64, len(vc.counts))
	for v, c := range vc.counts {
		vc.order[v] = entry(uint64(uint32(max(c, 0))), int32(v))
	}
	slices.Sort(vc.order)
	return vc
}

// add counts delta more tasks on value v.
func (vc *valueCounts) add(v, delta int32) {
	old := entry(uint64(uint32(max(vc.counts[v], 0))), v)
	vc.counts[v] += delta
	moveEntry(vc.order, old, entry(uint64(uint32(max(vc.counts[v], 0))), v))
}
