package placement

// Bulk placement of a spread request. A request whose chain is
// spread(instanceId), alone or after spread over one attribute, and whose
// task has no placement constraint, puts each task on the instance with
// the fewest tasks of its group (in the zone, or other value, with the
// fewest), ties to the lowest position. While instances with none of the
// group's tasks fit, that is the first of them in position order that
// fits, and the request's tasks take them one after another; then those
// with one task, and so on. The walk below finds them with a cursor per
// value that only moves forward through the instances with its level's
// count of tasks, starting again at the value's first instance for the
// next level, without building the group's count index (a tree over
// every instance): in time linear in the instances it passes.
//
// It gives the answer of the indexed walk: an instance the cursor passed
// either took a task of the request (its count is above the level now)
// or has another count, or did not fit, and still does not, since only
// the instances that take a task change during a request and the task
// has no constraint that could look at another instance. So when a
// value's cursor is at level L, no instance of the value with fewer than
// L tasks fits, and the value's candidate, the first that fits with L,
// is its least by (tasks, position), which the values of the tier the
// spread picks compare. A value with no instance that fits at any level
// has none for the rest of the request: the tier's other values decide,
// or, when none has one, the next tier's, as in pickSpread.

// A request whose chain is binpack alone, and whose task has no
// placement constraint, puts each task on the instance with the least of
// the resource left that fits it, ties to the lowest position. Once it
// placed one there, that instance stays the answer for as long as it
// fits another: it has less left than before, and every instance before
// it in the order did not fit and has not changed. When it is full, the
// answer is the first instance after it, in the order the index had at
// the request's start, that fits: the instances before did not, and
// only those the request filled have changed since. So the request walks
// the index's list once, forward, with the list as it was (the leaves of
// the instances it fills show more room than they have left, which only
// makes it look at them again), and the index moves their entries at the
// next request's walk, not once a task.

// bulkWalk is a request's walk of the instances without its group's
// tasks, one cursor per value of the partition (one for all instances
// when part is nil), or for binpack the instance it fills.
type bulkWalk struct {
	on      bool
	binpack bool
	last    int32      // binpack: the instance of the last task, or -1
	started bool       // binpack: cur is set
	cur     cursor     // binpack: the walk of the index's list, at last
	part    *partition // nil: every instance, in one list
	at      []int32    // by value: the next member to look at
	cand    []int32    // by value: a member that fits with level tasks of the group, -1, or noneFits
	level   []int32    // by value: the count of the group's tasks the cursor looks for
	top     []int32    // by value: the most tasks of the group an instance with room has, of those seen at this level
}

// startBulk sets the walk up for d's request when its chain and task
// allow it.
func (s *state) startBulk(d *demand) {
	w := &s.bulk
	w.on = false
	if s.exhaustive || len(d.cons) > 0 {
		return
	}
	var part *partition
	switch c := d.chain; {
	case len(c) == 1 && (c[0].kind == stepBinpackCPU || c[0].kind == stepBinpackMemory):
		w.on, w.binpack, w.last, w.started = true, true, -1, false
		return
	case len(c) == 1 && c[0].kind == stepSpreadInstance:
	case len(c) == 2 && c[0].kind == stepSpreadAttr && c[1].kind == stepSpreadInstance:
		part = s.partition(c[0].attr)
		if d.vc == nil {
			d.vc = s.valueCounts(d.group, c[0].attr)
		}
	default:
		return
	}
	n := 1
	if part != nil {
		n = len(part.values)
	}
	w.on, w.binpack, w.part = true, false, part
	w.at = append(w.at[:0], make([]int32, n)...)
	w.level = append(w.level[:0], make([]int32, n)...)
	w.top = append(w.top[:0], make([]int32, n)...)
	w.cand = w.cand[:0]
	for range n {
		w.cand = append(w.cand, -1)
	}
}

// members returns the instances of value v of the walk, in position
// order.
func (w *bulkWalk) members(s *state, v int32) []int32 {
	if w.part == nil {
		return s.allMembers()
	}
	return w.part.members[v]
}

// nextBulk returns the instance for the request's next task, and false
// when the walk cannot tell (it is over: the indexed walk goes on).
func (s *state) nextBulk(d *demand) (int32, bool) {
	w := &s.bulk
	if !w.on {
		return -1, false
	}
	if w.binpack {
		return s.nextBinpack(d)
	}
	order := []uint64{0} // value 0 stands for every instance
	if w.part != nil {
		order = d.vc.order
	}
	// The values by the group's count, each tier of equally loaded
	// values together, as pickSpread takes them.
	for t := 0; t < len(order); {
		u := t + 1
		for u < len(order) && entryKey(order[u]) == entryKey(order[t]) {
			u++
		}
		if i, ok := s.bulkTier(d, order[t:u]); ok {
			return i, true
		}
		t = u
	}
	return -1, true // no instance fits
}

// bulkTier returns the instance with the fewest tasks of the group, ties
// to the lowest position, of those that fit among the values of tier
// (entries of valueCounts.order), and false when none fits.
func (s *state) bulkTier(d *demand, tier []uint64) (int32, bool) {
	w := &s.bulk
	best, bv := int32(-1), int32(-1)
	for _, e := range tier {
		v := entryInst(e)
		if w.part == nil {
			v = 0
		}
		for w.cand[v] == -1 {
			if w.cand[v] = s.bulkFind(d, w.members(s, v), &w.at[v], w.level[v], &w.top[v]); w.cand[v] >= 0 {
				break
			}
			if w.top[v] <= w.level[v] {
				w.cand[v] = noneFits // at any level, for the rest of the request
				break
			}
			w.level[v], w.at[v], w.top[v], w.cand[v] = w.level[v]+1, 0, 0, -1
		}
		if w.cand[v] == noneFits {
			continue
		}
		i := w.members(s, v)[w.cand[v]]
		if best < 0 || w.level[v] < w.level[bv] || w.level[v] == w.level[bv] && i < best {
			best, bv = i, v
		}
	}
	if best < 0 {
		return -1, false
	}
	w.at[bv], w.cand[bv] = w.cand[bv]+1, -1
	w.top[bv] = max(w.top[bv], w.level[bv]+1) // the instance chosen has one more
	return best, true
}

// noneFits is bulkWalk.cand of a value none of whose instances fits.
const noneFits = -2

// bulkFind returns the first member from *at on that has level tasks of
// d's group and fits d's task, or -1, and moves *at to it. It raises
// *top to the count of each member it passes that has the CPU and memory
// for the task: one that lacks them never fits during the request.
func (s *state) bulkFind(d *demand, members []int32, at *int32, level int32, top *int32) int32 {
	for p := *at; int(p) < len(members); p++ {
		i := members[p]
		in := &s.inst[i]
		if in.cpu < d.cpu || in.mem < d.mem {
			continue
		}
		n := max(in.count(d.group), 0)
		*top = max(*top, n)
		if n != level {
			continue
		}
		if ok, _ := s.check(i, d); ok {
			*at = p
			return p
		}
	}
	*at = int32(len(members))
	return -1
}

// nextBinpack returns the instance for the next task of a binpack
// request: the one it filled last while it fits, else the next in the
// index's list, from the start of the request, that fits.
func (s *state) nextBinpack(d *demand) (int32, bool) {
	w := &s.bulk
	if !w.started {
		kind := resourceKey(d.chain[0].kind)
		x := d.keyIndex(func() *keyIndex { return s.resIndex(kind, "") })
		w.cur, w.started = s.cursors(x, nil, d)[0], true
	}
	if i := w.last; i >= 0 {
		if ok, _ := s.check(i, d); ok {
			return i, true
		}
		w.last = -1
		w.cur.advance(s, false) // the cursor's head is the instance filled
	}
	for {
		_, i, ok := w.cur.peek(d)
		if !ok {
			return -1, true // no instance fits
		}
		if fit, _ := s.check(i, d); fit {
			w.last = i
			return i, true
		}
		w.cur.advance(s, false)
	}
}
