package placement

import "slices"

// cursor walks one list of an index in entry order, skipping the
// instances whose tree leaves show too little CPU or memory for the
// task: a sorted list of a keyIndex by position, or a tournament of a
// countIndex by taking its best leaf and hiding it once looked at.
type cursor struct {
	x     *keyIndex
	cx    *countIndex
	v     int32
	at    int    // keyIndex: the next position to look at
	key   uint64 // the next instance's key, when ready
	inst  int32  // the next instance, when ready
	ready bool
}

// peek returns the key and instance of the cursor's next instance that
// has room for the task's CPU and memory, and false at the end.
func (c *cursor) peek(d *demand) (key uint64, inst int32, ok bool) {
	if c.ready {
		return c.key, c.inst, true
	}
	if c.cx != nil {
		t := &c.cx.trees[c.v]
		if p := t.best(d.cpu, d.mem); p >= 0 {
			c.key, c.inst, c.ready = t.key[t.size+p], t.members[p], true
		}
		return c.key, c.inst, c.ready
	}
	l := c.x.lists[c.v]
	if c.at < len(l) {
		need := room{d.cpu, d.mem}
		p := c.x.trees[c.v].next(c.at, need)
		if p < 0 || p >= len(l) {
			p = len(l)
		}
		if c.at <= int(c.x.lb[c.v]) {
			c.x.found(c.v, need, p) // nothing before p has room
		}
		c.at = p
		if p < len(l) {
			c.key, c.inst, c.ready = uint64(entryKey(l[p])), entryInst(l[p]), true
		}
	}
	return c.key, c.inst, c.ready
}

// before reports whether (key, inst) comes before (k2, i2).
func before(key uint64, inst int32, k2 uint64, i2 int32) bool {
	return key < k2 || key == k2 && inst < i2
}

// advance moves the cursor past its head, hiding the head's instance for
// the rest of the request when it failed for good.
func (c *cursor) advance(s *state, dead bool) {
	i := c.inst
	c.ready = false
	if c.cx != nil {
		if dead {
			s.kill(c.cx, i)
		} else {
			s.skipInst(c.cx, i)
		}
		return
	}
	if dead {
		s.kill(c.x, i)
	}
	c.at++
}

// cursors positions a cursor in each list of x that vals names (every
// list when vals is nil), where a walk for d's task may start.
func (s *state) cursors(x *keyIndex, vals []uint64, d *demand) []cursor {
	x.sync(s)
	curs := s.curs[:0]
	need := room{d.cpu, d.mem}
	if vals == nil {
		for v := range x.lists {
			curs = append(curs, cursor{x: x, v: int32(v), at: x.start(int32(v), need)})
		}
	} else {
		for _, e := range vals {
			v := entryInst(e)
			if x.part == nil {
				v = 0
			}
			curs = append(curs, cursor{x: x, v: v, at: x.start(v, need)})
		}
	}
	s.curs = curs
	return curs
}

// countCursors returns a cursor on each tree of x that vals names (every
// tree when vals is nil).
func (s *state) countCursors(x *countIndex, vals []uint64) []cursor {
	x.sync(s)
	s.curs = s.curs[:0]
	if vals == nil {
		for v := range x.trees {
			s.curs = append(s.curs, cursor{cx: x, v: int32(v)})
		}
		return s.curs
	}
	for _, e := range vals {
		s.curs = append(s.curs, cursor{cx: x, v: entryInst(e)})
	}
	return s.curs
}

// walk merges the cursors' lists in entry order and returns the first
// instance that fits or, when rest is not empty, the best by rest of the
// first tier with any instance that fits.
func (s *state) walk(d *demand, curs []cursor, rest []step) int32 {
	for {
		best, key, i := -1, uint64(0), int32(0)
		for c := range curs {
			if k, j, ok := curs[c].peek(d); ok && (best < 0 || before(k, j, key, i)) {
				best, key, i = c, k, j
			}
		}
		if best < 0 {
			return -1
		}
		if len(rest) == 0 {
			ok, dead := s.first(i, d)
			if ok {
				return i
			}
			curs[best].advance(s, dead)
			continue
		}
		if len(rest) == 1 && rest[0].kind == stepSpreadInstance {
			if i := s.leastInTier(d, curs, key); i >= 0 {
				return i
			}
			continue
		}
		s.buf = s.collect(d, curs, key, true, s.buf[:0])
		if len(s.buf) > 0 {
			return s.among(d, s.buf, rest)
		}
	}
}

// leastInTier returns, among the instances of the cursors' entries of key
// tier that fit, the one with the fewest tasks of the group, ties to the
// lowest position: what collect and among give for a chain whose rest is
// spread(instanceId) alone. It checks only the instances that could beat
// the best so far; a cursor gives its entries of a tier in position
// order, so once one with no task of the group fits, the cursor's later
// ones cannot. It returns -1, the tier passed, when none fits.
func (s *state) leastInTier(d *demand, curs []cursor, tier uint64) int32 {
	best, least := int32(-1), int32(0)
	for c := range curs {
		cu := &curs[c]
		for {
			key, i, ok := cu.peek(d)
			if !ok || key != tier {
				break
			}
			n := s.inst[i].count(d.group)
			if best >= 0 && (n > least || n == least && i > best) {
				if least == 0 && i > best {
					break // the rest of the cursor's tier comes later
				}
				cu.advance(s, false)
				continue
			}
			fit, dead := s.check(i, d)
			cu.advance(s, !fit && dead)
			if fit {
				best, least = i, n
			}
		}
	}
	return best
}

// first checks instance i for a walk that takes the first that fits.
// With d.eager the port and ENI check is the allocation itself, kept in
// s.pending for commit.
func (s *state) first(i int32, d *demand) (ok, permanent bool) {
	if !d.eager {
		return s.check(i, d)
	}
	if ok, permanent = s.checkBase(i, d); !ok {
		return false, permanent
	}
	s.pend = slices.Grow(s.pend[:0], d.maps)[:d.maps]
	if _, ok := s.inst[i].net.Bind(d.net, s.pend); !ok {
		return false, true
	}
	s.pending, s.pendingInst = true, i
	return true, true
}

// collect appends to buf the instances that fit among the cursors'
// entries of key tier (of every key, when one is false), in position order.
func (s *state) collect(d *demand, curs []cursor, tier uint64, one bool, buf []int32) []int32 {
	for c := range curs {
		cu := &curs[c]
		for {
			key, i, ok := cu.peek(d)
			if !ok || one && key != tier {
				break
			}
			fit, dead := s.check(i, d)
			if fit {
				buf = append(buf, i)
			}
			cu.advance(s, !fit && dead)
		}
	}
	slices.Sort(buf)
	return buf
}

// anyFits reports whether an instance under the cursors fits the task.
func (s *state) anyFits(d *demand, curs []cursor) bool {
	for c := range curs {
		cu := &curs[c]
		for {
			_, i, ok := cu.peek(d)
			if !ok {
				break
			}
			fit, dead := s.check(i, d)
			if fit {
				return true
			}
			cu.advance(s, dead)
		}
	}
	return false
}
