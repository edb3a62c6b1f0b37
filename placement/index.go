package placement

import (
	"cmp"
	"slices"
)

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
//
// pos finds an instance's entry without a search. lb remembers, per list,
// where the walks for tasks of one size (lbNeed) may start: no instance
// before lb[v] shows room for one in the tree. A walk raises it to the
// first instance it finds with room; a change lowers it to where the
// change could have made room. For binpack the instance that takes the
// task is the first with room, and stays so while a task of the size
// fits it, so each walk starts on it.
type keyIndex struct {
	kind   keyKind
	part   *partition // nil: all instances
	lists  [][]uint64
	trees  []maxTree
	pos    []int32 // by instance: the position of its entry in its list
	lb     []int32 // by list: no position before has room for lbNeed
	lbNeed room
	// changed lists the positions whose leaves a move changed.
	changed []int32
	// stale lists the instances changed since the index was last walked
	// (sync), whose entries and leaves still show them as they were;
	// isStale marks them, by instance. An index that no request walks
	// pays nothing per change: a long move per change of an instance
	// costs the distance moved, a sync of many costs one pass.
	stale   []int32
	isStale []bool
	// merge is sync's buffer of the stale instances' new entries.
	merge []staleEntry
}

// staleEntry is a stale instance's new entry, in list v.
type staleEntry struct {
	v int32
	e uint64
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
	x := &keyIndex{kind: kind, part: part, pos: make([]int32, len(s.inst)), changed: make([]int32, 0, 64),
		isStale: make([]bool, len(s.inst))}
	n := 1
	if part != nil {
		n = len(part.values)
	}
	x.lists = make([][]uint64, n)
	x.lb = make([]int32, n)
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
			i := entryInst(e)
			x.pos[i] = int32(p)
			t.leaves()[p] = room{s.inst[i].cpu, s.inst[i].mem}
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

// start returns where a walk of list v for a task needing need begins.
func (x *keyIndex) start(v int32, need room) int {
	if need != x.lbNeed {
		clear(x.lb) // what was known holds for another size
		x.lbNeed = need
	}
	return int(x.lb[v])
}

// found records that position p of list v is the first with room for
// need, or that none has room when p is the list's length, as a walk
// from the list's start found.
func (x *keyIndex) found(v int32, need room, p int) {
	if need == x.lbNeed {
		x.lb[v] = int32(p)
	}
}

// lower records that position p of list v may now have room.
func (x *keyIndex) lower(v int32, p int) {
	x.lb[v] = min(x.lb[v], int32(p))
}

// refreshInst recomputes instance i's tree leaf.
func (x *keyIndex) refreshInst(s *state, i int32) {
	v, p := x.valueOf(s, i), int(x.pos[i])
	t := &x.trees[v]
	r := s.leaf(i)
	t.leaves()[p] = r
	t.fix(p, p)
	if r.holds(x.lbNeed) {
		x.lower(v, p)
	}
}

// after records that instance i changed: its entry moves at the next
// sync.
func (x *keyIndex) after(_ *state, i int32) {
	if !x.isStale[i] {
		x.isStale[i] = true
		x.stale = append(x.stale, i)
	}
}

// maxMoves is how many stale instances a sync moves one by one; past it,
// it rebuilds the lists that hold them in one pass.
const maxMoves = 8

// sync brings the entries and leaves of the stale instances up to date,
// before a walk.
func (x *keyIndex) sync(s *state) {
	if len(x.stale) == 0 {
		return
	}
	if len(x.stale) <= maxMoves {
		for _, i := range x.stale {
			x.isStale[i] = false
			x.apply(s, i)
		}
		x.stale = x.stale[:0]
		return
	}
	// The new entries of the stale instances, by list and order.
	m := x.merge[:0]
	for _, i := range x.stale {
		m = append(m, staleEntry{x.valueOf(s, i), entry(x.key(&s.inst[i]), i)})
	}
	slices.SortFunc(m, func(a, b staleEntry) int {
		if a.v != b.v {
			return int(a.v - b.v)
		}
		return cmp.Compare(a.e, b.e)
	})
	for lo := 0; lo < len(m); {
		hi := lo + 1
		for hi < len(m) && m[hi].v == m[lo].v {
			hi++
		}
		x.rebuild(s, m[lo].v, m[lo:hi])
		lo = hi
	}
	for _, i := range x.stale {
		x.isStale[i] = false
	}
	x.stale, x.merge = x.stale[:0], m[:0]
}

// rebuild replaces the stale entries of list v by news (sorted), merging
// them with the others, and rebuilds the list's positions and tree.
func (x *keyIndex) rebuild(s *state, v int32, news []staleEntry) {
	l := x.lists[v]
	kept := 0
	for _, e := range l {
		if !x.isStale[entryInst(e)] {
			l[kept] = e
			kept++
		}
	}
	// Merge from the end: the kept entries and the new ones fill l.
	a, b := kept-1, len(news)-1
	for w := len(l) - 1; b >= 0; w-- {
		if a >= 0 && l[a] > news[b].e {
			l[w] = l[a]
			a--
		} else {
			l[w] = news[b].e
			b--
		}
	}
	t := &x.trees[v]
	leaves := t.leaves()
	for p, e := range l {
		i := entryInst(e)
		x.pos[i] = int32(p)
		leaves[p] = s.leaf(i)
	}
	t.fix(0, len(l)-1)
	x.lb[v] = 0
}

// apply moves instance i's entry, and its tree leaf, to where its key now
// puts it, shifting the entries in between, and updates the tree.
func (x *keyIndex) apply(s *state, i int32) {
	v := x.valueOf(s, i)
	l, t := x.lists[v], &x.trees[v]
	p := int(x.pos[i])
	now := entry(x.key(&s.inst[i]), i)
	q := p
	switch old := l[p]; {
	case now < old:
		q = seekDown(l, p, now)
	case now > old:
		q = seekUp(l, p, now)
	}
	leaves := t.leaves()
	was := leaves[p]
	if q != p {
		x.move(l, leaves, p, q)
	}
	l[q] = now
	r := s.leaf(i)
	leaves[q] = r
	if q == p {
		t.fix(p, p)
	} else {
		x.fixMoved(t, leaves, p, q, was)
	}
	switch {
	case q > p: // entries after p moved down: one may have room
		x.lower(v, p)
	case r.holds(x.lbNeed):
		x.lower(v, q)
	}
}

// fixMoved fixes the tree after the entry at p moved to q, shifting those
// in between; was is the moved leaf before. A long move mostly passes
// instances alike (full, or of one type filled alike), whose shifted
// leaves are equal to their neighbours': only where a leaf differs from
// the one it replaced does a path of the tree change. When few did, it
// climbs from each; else it fixes the whole range.
func (x *keyIndex) fixMoved(t *maxTree, leaves []room, p, q int, was room) {
	lo, hi := min(p, q), max(p, q)
	limit := (hi - lo + 1) / 4
	ch := x.changed[:0]
	// The moved leaf is new at q, and the leaf at p replaced it.
	ch = append(ch, int32(q))
	if leaves[p] != was {
		ch = append(ch, int32(p))
	}
	// Between, each leaf replaced its neighbour on the side of p.
	if q < p {
		ls := leaves[q+1 : p+1]
		next := ls[len(ls)-1]
		for j := len(ls) - 2; j >= 0; j-- {
			if cur := ls[j]; cur != next {
				if ch = append(ch, int32(q+1+j)); len(ch) > limit {
					break
				}
				next = cur
			}
		}
	} else {
		ls := leaves[p:q]
		prev := ls[0]
		for j := 1; j < len(ls); j++ {
			if cur := ls[j]; cur != prev {
				if ch = append(ch, int32(p+j)); len(ch) > limit {
					break
				}
				prev = cur
			}
		}
	}
	x.changed = ch
	if len(ch) > limit {
		t.fix(lo, hi)
		return
	}
	for _, k := range ch {
		t.fix(int(k), int(k))
	}
}

// move moves the entry and leaf at position p to position q, shifting
// those in between by one, and keeps pos current. The caller sets the
// entry and the leaf at q.
func (x *keyIndex) move(l []uint64, leaves []room, p, q int) {
	i := entryInst(l[p])
	lo, hi := q, p // the positions whose entries change
	if q < p {
		copy(l[q+1:p+1], l[q:p])
		copy(leaves[q+1:p+1], leaves[q:p])
		lo = q + 1
	} else {
		copy(l[p:q], l[p+1:q+1])
		copy(leaves[p:q], leaves[p+1:q+1])
		lo, hi = p, q-1
	}
	for k := lo; k <= hi; k++ {
		x.pos[entryInst(l[k])] = int32(k)
	}
	x.pos[i] = int32(q)
}

// seekDown returns where an entry now, lower than the entry at p, goes
// in the sorted list l once taken from p: the first position before p
// whose entry is above now, or p. It gallops down from p, so that a
// short move costs a few looks.
func seekDown(l []uint64, p int, now uint64) int {
	hi, lo, step := p, p-1, 1
	for lo >= 0 && l[lo] > now {
		hi = lo
		lo -= step
		step <<= 1
	}
	lo = max(lo, 0)
	k, _ := slices.BinarySearch(l[lo:hi], now)
	return lo + k
}

// seekUp returns where an entry now, higher than the entry at p, goes in
// the sorted list l once taken from p: one before the first position
// after p whose entry is above now, or the last position. It gallops up
// from p.
func seekUp(l []uint64, p int, now uint64) int {
	lo, hi, step := p+1, p+1, 1
	for hi < len(l) && l[hi] < now {
		lo = hi + 1
		hi += step
		step <<= 1
	}
	hi = min(hi, len(l))
	k, _ := slices.BinarySearch(l[lo:hi], now)
	return lo + k - 1
}

// valueCounts counts a group's tasks per value of a partition, for spread
// over an attribute, and keeps the values that some instance has ordered
// by count (ties by value, ascending).
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
	// A value no instance has (no instance lacks the attribute, say) has
	// no tasks and takes none: the order leaves it out, so that spread
	// does not walk it.
	vc.order = make([]uint64, 0, len(vc.counts))
	for v, c := range vc.counts {
		if len(part.members[v]) > 0 {
			vc.order = append(vc.order, entry(uint64(uint32(max(c, 0))), int32(v)))
		}
	}
	slices.Sort(vc.order)
	return vc
}

// add counts delta more tasks on value v. A partition has few values,
// and a count moves by one: the entry is found by a scan and moves a step
// or two.
func (vc *valueCounts) add(v, delta int32) {
	old := entry(uint64(uint32(max(vc.counts[v], 0))), v)
	vc.counts[v] += delta
	now := entry(uint64(uint32(max(vc.counts[v], 0))), v)
	o := vc.order
	var p int
	if len(o) <= 16 {
		for o[p] != old {
			p++
		}
	} else {
		p, _ = slices.BinarySearch(o, old)
	}
	o[p] = now
	for ; p > 0 && o[p-1] > now; p-- {
		o[p-1], o[p] = now, o[p-1]
	}
	for ; p+1 < len(o) && o[p+1] < now; p++ {
		o[p+1], o[p] = now, o[p+1]
	}
}
