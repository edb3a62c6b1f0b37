package netmode

import "slices"

// pick is a run of dynamic ports chosen for one mapping of a task.
type pick struct {
	pr    proto
	first uint16
	n     uint16
}

// search finds free runs of dynamic ports for one task without changing
// the State: the ports the task binds statically and the runs it has been
// given so far count as used. The first picks live in the struct, so that
// a search on the stack allocates nothing.
type search struct {
	s      *State
	r      *Request
	cursor [2]int32
	n      int     // picks in fixed
	fixed  [8]pick // the first picks
	extra  []pick  // picks past the eighth
}

// newSearch starts a search for a task of r on s. A task with more than
// eight dynamic mappings gets room for the rest of its picks at once.
func newSearch(s *State, r *Request) search {
	q := search{s: s, r: r, cursor: s.cursor}
	if n := r.nDyn[tcp] + r.nDyn[udp] - len(q.fixed); n > 0 {
		q.extra = make([]pick, 0, n)
	}
	return q
}

func (q *search) add(p pick) {
	if q.n < len(q.fixed) {
		q.fixed[q.n] = p
		q.n++
		return
	}
	q.extra = append(q.extra, p)
}

// pick returns the i-th pick made.
func (q *search) pick(i int) pick {
	if i < len(q.fixed) {
		return q.fixed[i]
	}
	return q.extra[i-len(q.fixed)]
}

// next finds n contiguous free ports of protocol pr and records them. It
// searches next-fit: from after the cursor to the end of the range, then,
// wrapping once, from the start of the range.
func (q *search) next(pr proto, n int) (int, bool) {
	lo, hi := q.s.dyn.First, q.s.dyn.Last
	from := int(q.cursor[pr]) + 1
	first, ok := 0, false
	switch {
	case from <= lo || from > hi:
		first, ok = q.firstRun(pr, n, lo, hi)
	default:
		first, ok = q.firstRun(pr, n, from, hi)
		if !ok {
			// Wrap once: only runs that start before from are left.
			first, ok = q.firstRun(pr, n, lo, min(hi, from+n-2))
		}
	}
	if !ok {
		return 0, false
	}
	q.add(pick{pr, uint16(first), uint16(n)})
	q.cursor[pr] = int32(first + n - 1)
	return first, true
}

// firstRun returns the start of the lowest run of n free ports within
// [from, hi]. It steps from one used run of ports to the next, never port
// by port, so its cost grows with the runs it passes, not with the range.
func (q *search) firstRun(pr proto, n, from, hi int) (int, bool) {
	if from+n-1 > hi {
		return 0, false
	}
	if q.free(pr, from, from+n-1) {
		return from, true // next-fit's common answer: right after the cursor
	}
	u := q.usedFrom(pr, from)
	for p := from; p+n-1 <= hi; {
		first, last := u.next(p)
		if first >= p+n {
			return p, true
		}
		p = last + 1
	}
	return 0, false
}

// free reports whether every port of protocol pr from lo to hi is free:
// not reserved, not held, not a static port of the task and not picked.
func (q *search) free(pr proto, lo, hi int) bool {
	if anyIn(q.s.reserved[pr], lo, hi) || anyIn(q.r.static[pr], lo, hi) ||
		anyInRuns(q.s.static(pr), lo, hi) || anyInRuns(q.s.dynamic(pr), lo, hi) {
		return false
	}
	for _, picks := range [2][]pick{q.fixed[:q.n], q.extra} {
		for _, pk := range picks {
			if pk.pr == pr && int(pk.first) <= hi && int(pk.first)+int(pk.n)-1 >= lo {
				return false
			}
		}
	}
	return true
}

// anyIn reports whether the sorted set holds a port within [lo, hi].
func anyIn(set []uint16, lo, hi int) bool {
	if len(set) == 0 || int(set[len(set)-1]) < lo || int(set[0]) > hi {
		return false
	}
	if len(set) <= 16 { // the reserved ports, mostly: a scan is quicker
		for _, p := range set {
			if int(p) >= lo {
				return int(p) <= hi
			}
		}
		return false
	}
	i, _ := slices.BinarySearch(set, uint16(lo))
	return i < len(set) && int(set[i]) <= hi
}

// anyInRuns reports whether the runs l hold a port within [lo, hi].
func anyInRuns(l []span, lo, hi int) bool {
	if len(l) == 0 || int(l[len(l)-1].last) < lo || int(l[0].first) > hi {
		return false
	}
	_, ok := firstInRuns(l, lo, hi)
	return ok
}

// usedFrom returns a cursor over the ports of protocol pr that are used,
// positioned at the first one not below from.
func (q *search) usedFrom(pr proto, from int) used {
	u := used{
		ports: [2][]uint16{q.s.reserved[pr], q.r.static[pr]},
		runs:  [2][]span{q.s.static(pr), q.s.dynamic(pr)},
		picks: [2][]pick{q.fixed[:q.n], q.extra},
		pr:    pr,
	}
	for k, l := range u.ports {
		switch {
		case len(l) == 0 || int(l[len(l)-1]) < from:
			u.pat[k] = len(l) // nothing used at or above from
		default:
			u.pat[k], _ = slices.BinarySearch(l, uint16(from))
		}
	}
	for k, l := range u.runs {
		switch {
		case len(l) == 0 || int(l[len(l)-1].last) < from:
			u.rat[k] = len(l)
		case len(l) == 1:
			u.rat[k] = 0
		default:
			u.rat[k] = find(l, uint16(from))
		}
	}
	return u
}

// used merges the sorted lists of used ports (the reserved ports and the
// task's own static ports), the runs of held ports (static and dynamic)
// and the runs picked so far.
type used struct {
	ports [2][]uint16
	pat   [2]int
	runs  [2][]span
	rat   [2]int
	picks [2][]pick
	pr    proto
}

// next returns the lowest used port not below p and the last port of a
// used run from it, or 65536 when no port is used at or above p. Calls
// must not decrease p.
func (u *used) next(p int) (first, last int) {
	first, last = 1<<16, 1<<16
	take := func(f, l int) {
		if f < first || f == first && l > last {
			first, last = f, l
		}
	}
	for k, l := range u.ports {
		i := u.pat[k]
		for i < len(l) && int(l[i]) < p {
			i++
		}
		u.pat[k] = i
		if i < len(l) {
			take(int(l[i]), int(l[i]))
		}
	}
	for k, l := range u.runs {
		i := u.rat[k]
		for i < len(l) && int(l[i].last) < p {
			i++
		}
		u.rat[k] = i
		if i < len(l) {
			take(max(int(l[i].first), p), int(l[i].last))
		}
	}
	for _, picks := range u.picks {
		for _, pk := range picks {
			if end := int(pk.first) + int(pk.n) - 1; pk.pr == u.pr && end >= p {
				take(max(int(pk.first), p), end)
			}
		}
	}
	return first, last
}
