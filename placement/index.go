package placement

import (
	"cmp"
	"math"
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
// packs the key above the instance's position: key<<32 | i. A list is a
// sorted slice with gaps, slots that hold no instance, about one slot in
// five, spread out when the list is laid out. When an instance's key
// changes its slot becomes a gap (keeping its value, so the list stays
// in order), and its new entry goes into the gap at its new place, or
// next to it, shifting the few entries up to the nearest gap by one: a
// change costs a few slots however far the key moved. (Without gaps, an
// instance that binpack fills moves past every instance with a key in
// between, thousands in a large cluster, at each task.) When no gap is
// near, the list is laid out again. Beside each list a maxTree lets a
// walk jump to the next instance with enough CPU and memory; gaps hold
// gapRoom, which no task fits.
//
// pos finds an instance's slot without a search. lb remembers, per list,
// where the walks for tasks of one size (lbNeed) may start: no slot
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
	pos    []int32 // by instance: the slot of its entry in its list
	lb     []int32 // by list: no slot before has room for lbNeed
	lbNeed room
	// stale lists the instances changed since the index was last walked
	// (sync), whose entries and leaves still show them as they were;
	// isStale marks them, by instance. An index that no request walks
	// pays nothing per change.
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

// gapRoom is the leaf of a slot that holds no instance: less than any
// task needs, and unlike any instance's, hidden or over-committed.
var gapRoom = room{math.MinInt32, math.MinInt32}

// maxShift is how far from its place a new entry looks for a gap before
// the list is laid out again.
const maxShift = 32

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

// slots returns how many slots a list of n instances has: a gap for
// about every four instances, none in an index whose keys never change.
func (x *keyIndex) slots(n int) int {
	if x.kind == 0 || n == 0 {
		return n
	}
	return n + n/4 + 1
}

// newKeyIndex builds an index over the instances of s.
func newKeyIndex(s *state, kind keyKind, part *partition) *keyIndex {
	x := &keyIndex{kind: kind, part: part, pos: make([]int32, len(s.inst)), isStale: make([]bool, len(s.inst))}
	n := 1
	if part != nil {
		n = len(part.values)
	}
	entries := make([][]uint64, n)
	for i := range s.inst {
		v := x.valueOf(s, int32(i))
		entries[v] = append(entries[v], entry(x.key(&s.inst[i]), int32(i)))
	}
	x.lists = make([][]uint64, n)
	x.lb = make([]int32, n)
	x.trees = make([]maxTree, n)
	for v, l := range entries {
		slices.Sort(l)
		// A new index shows every instance, even one hidden in the
		// indexes that saw it earlier in the request.
		x.lists[v] = make([]uint64, x.slots(len(l)))
		copy(x.lists[v], l)
		x.trees[v] = newMaxTree(len(x.lists[v]))
		leaves := x.trees[v].leaves()
		for j, e := range l {
			leaves[j] = s.leaf(entryInst(e))
		}
		x.spread(s, int32(v), 0, len(x.lists[v]), len(l))
	}
	return x
}

// spread lays the n entries at the start of slots a..b-1 of list v out
// over those slots, the gaps spread evenly, and fixes the tree above
// them. Each entry's tree leaf is beside it, and moves with it. Entry j
// moves only to a slot at or after a+j, after it was read; a gap keeps
// the value of the entry before it.
func (x *keyIndex) spread(s *state, v int32, a, b, n int) {
	l, t := x.lists[v], &x.trees[v]
	leaves := t.leaves()
	m, w := b-a, b-1
	for j := n - 1; j >= 0; j-- {
		e, r, at := l[a+j], leaves[a+j], a+j*m/n
		for ; w > at; w-- {
			l[w], leaves[w] = e, gapRoom
		}
		i := entryInst(e)
		l[at], leaves[at] = e, r
		x.pos[i] = int32(at)
		w = at - 1
	}
	var before uint64
	if a > 0 {
		before = l[a-1]
	}
	for ; w >= a; w-- {
		l[w], leaves[w] = before, gapRoom
	}
	if m > 0 {
		t.fix(a, b-1)
	}
}

// compact moves the entries of slots a..b-1 of l, with their leaves, to
// the start of those slots, in order, and returns how many there are.
func compact(l []uint64, leaves []room, a, b int) int {
	n := 0
	for k := a; k < b; k++ {
		if leaves[k] != gapRoom {
			l[a+n], leaves[a+n] = l[k], leaves[k]
			n++
		}
	}
	return n
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

// found records that slot p of list v is the first with room for need,
// or that none has room when p is the list's length, as a walk from the
// list's start found.
func (x *keyIndex) found(v int32, need room, p int) {
	if need == x.lbNeed {
		x.lb[v] = int32(p)
	}
}

// lower records that slot p of list v may now have room.
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
// it lays out the lists that hold them again in one pass.
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

// rebuild lays list v out again with the stale entries replaced by news
// (sorted), in place: the entries kept go to the list's start, the new
// ones merge in from the end.
func (x *keyIndex) rebuild(s *state, v int32, news []staleEntry) {
	l, leaves := x.lists[v], x.trees[v].leaves()
	kept := 0
	for p, e := range l {
		if leaves[p] != gapRoom && !x.isStale[entryInst(e)] {
			l[kept], leaves[kept] = e, leaves[p]
			kept++
		}
	}
	n := kept + len(news)
	a, b := kept-1, len(news)-1
	for w := n - 1; b >= 0; w-- {
		if a >= 0 && l[a] > news[b].e {
			l[w], leaves[w] = l[a], leaves[a]
			a--
		} else {
			l[w], leaves[w] = news[b].e, s.leaf(entryInst(news[b].e))
			b--
		}
	}
	x.spread(s, v, 0, len(l), n)
	x.lb[v] = 0
}

// apply moves instance i's entry, and its tree leaf, to where its key now
// puts it, and updates the tree.
func (x *keyIndex) apply(s *state, i int32) {
	v := x.valueOf(s, i)
	l, t := x.lists[v], &x.trees[v]
	leaves := t.leaves()
	p := int(x.pos[i])
	now := entry(x.key(&s.inst[i]), i)
	q := p
	if now != l[p] {
		q = upper(l, p, now)
	}
	if q == p || q == p+1 {
		// No entry lies between: it keeps its slot.
		l[p] = now
		r := s.leaf(i)
		leaves[p] = r
		t.fix(p, p)
		if r.holds(x.lbNeed) {
			x.lower(v, p)
		}
		return
	}
	// Its slot becomes a gap, which keeps its value: still in order.
	leaves[p] = gapRoom
	lo, hi, ok := x.insert(s, l, leaves, q, now)
	if !ok {
		// No gap near: lay out again, with the entry, the slots around
		// q, as many as it takes for one in eight to be a gap.
		a, b := window(leaves[:len(l)], q)
		n := compact(l, leaves, a, b)
		at, _ := slices.BinarySearch(l[a:a+n], now)
		copy(l[a+at+1:a+n+1], l[a+at:a+n])
		copy(leaves[a+at+1:a+n+1], leaves[a+at:a+n])
		l[a+at], leaves[a+at] = now, s.leaf(entryInst(now))
		x.spread(s, v, a, b, n+1)
		lo, hi = a, b-1
	}
	// One climb when slot p is near the slots changed, else two.
	switch {
	case p >= lo-4 && p <= hi+4:
		t.fix(min(p, lo), max(p, hi))
	default:
		t.fix(p, p)
		t.fix(lo, hi)
	}
	x.lower(v, lo) // an entry that moved down, or the new one, may have room
}

// window returns the slots a..b-1 around slot q, 64 at least, with one
// gap in eight at least (or all the slots of the list), that a new entry
// before q is laid out again with. leaves are the list's, one a slot.
func window(leaves []room, q int) (a, b int) {
	m := len(leaves)
	for w := 64; ; w *= 2 {
		a, b = max(0, q-w/2), min(m, q+w/2)
		gaps := 0
		for k := a; k < b; k++ {
			if leaves[k] == gapRoom {
				gaps++
			}
		}
		if gaps >= max(1, (b-a)/8) || a == 0 && b == m {
			return a, b
		}
	}
}

// insert puts entry now into l before slot q, the first whose value is
// above now: into the gap before q, or into the slot next to q that the
// entries up to the nearest gap make by shifting one slot towards it. It
// returns the slots changed, and false when no gap is within maxShift.
func (x *keyIndex) insert(s *state, l []uint64, leaves []room, q int, now uint64) (lo, hi int, ok bool) {
	i := entryInst(now)
	put := func(at int) {
		l[at], leaves[at] = now, s.leaf(i)
		x.pos[i] = int32(at)
	}
	if q > 0 && leaves[q-1] == gapRoom {
		put(q - 1)
		return q - 1, q - 1, true
	}
	for d := 1; d <= maxShift; d++ {
		if g := q - 1 - d; g >= 0 && leaves[g] == gapRoom {
			// Shift g+1..q-1 down to g..q-2; now goes to q-1.
			copy(l[g:q-1], l[g+1:q])
			copy(leaves[g:q-1], leaves[g+1:q])
			for k := g; k < q-1; k++ {
				x.pos[entryInst(l[k])] = int32(k)
			}
			put(q - 1)
			return g, q - 1, true
		}
		if g := q - 1 + d; g < len(l) && leaves[g] == gapRoom {
			// Shift q..g-1 up to q+1..g; now goes to q.
			copy(l[q+1:g+1], l[q:g])
			copy(leaves[q+1:g+1], leaves[q:g])
			for k := q + 1; k <= g; k++ {
				x.pos[entryInst(l[k])] = int32(k)
			}
			put(q)
			return q, g, true
		}
	}
	return 0, 0, false
}

// upper returns the first slot of l whose value is above now, galloping
// from slot p, so that a short move costs a few looks.
func upper(l []uint64, p int, now uint64) int {
	if l[p] > now {
		hi, lo, step := p, p-1, 1
		for lo >= 0 && l[lo] > now {
			hi = lo
			lo -= step
			step <<= 1
		}
		lo = max(lo, 0)
		k, _ := slices.BinarySearch(l[lo:hi], now+1)
		return lo + k
	}
	lo, hi, step := p+1, p+1, 1
	for hi < len(l) && l[hi] <= now {
		lo = hi + 1
		hi += step
		step <<= 1
	}
	hi = min(hi, len(l))
	k, _ := slices.BinarySearch(l[lo:hi], now+1)
	return lo + k
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
		if s.uncounted(group) {
			break // every count is 0
		}
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
