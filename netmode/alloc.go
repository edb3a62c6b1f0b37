package netmode

import "fmt"

// Fits reports whether one task of r can bind its ports and take its ENI
// on the instance, and if not, why. It changes nothing and, for tasks with
// up to eight dynamic mappings, allocates nothing: it is the check to run
// against every candidate instance. Its answer is Allocate's.
func (s *State) Fits(r *Request) (FitError, bool) {
	if s == nil || r == nil {
		return invalidCall, false
	}
	if r.single {
		if _, ok := s.single(r); ok {
			return FitError{}, true
		}
	}
	q := newSearch(s, r)
	return s.plan(&q)
}

// plan checks r against s and reports the first failure in the order of
// ECS's reasons: RESOURCE:PORTS (every TCP check), then RESOURCE:PORTS_UDP
// (every UDP check), then RESOURCE:ENI. Within a protocol it checks a host
// port asked for twice, each static port in task definition order, the
// reserved-port limit (TCP's static ports take the room first, as its
// check comes first), then the dynamic ports and ranges in task definition
// order, recording the picks in q: all TCP picks, then all UDP picks.
func (s *State) plan(q *search) (FitError, bool) {
	r := q.r
	room := 0 // reserved ports left for the task's static ports
	if r.nStatic > 0 {
		room = int(s.limit) - s.ReservedCount()
	}
	for pr := range proto(2) {
		if n := len(r.static[pr]); n > 0 {
			if fe, ok := s.checkStatic(r, pr, room); !ok {
				return fe, false
			}
			room -= n
		}
		if r.nDyn[pr] > 0 {
			if fe, ok := q.dynamic(pr); !ok {
				return fe, false
			}
		}
	}
	return s.checkENI(r.enis)
}

// single returns, for a task that binds one dynamic port or range and
// nothing else, the ports right after the cursor when they are free:
// what the search would find first. When they are not, the search must
// run.
func (s *State) single(r *Request) (uint16, bool) {
	m := &r.maps[0]
	from := max(int(s.cursor[m.pr])+1, s.dyn.First)
	last := from + int(m.n) - 1
	if last > s.dyn.Last || anyIn(s.reserved[m.pr], from, last) ||
		anyInRuns(s.static(m.pr), from, last) || anyInRuns(s.dynamic(m.pr), from, last) {
		return 0, false
	}
	return uint16(from), true
}

// checkStatic checks r's static host ports of protocol pr, then whether
// they fit in the room left under the reserved-port limit.
func (s *State) checkStatic(r *Request, pr proto, room int) (FitError, bool) {
	if d := r.dup[pr]; d != 0 {
		return portMisfit(CauseDuplicate, pr, int(d)), false
	}
	for _, m := range r.maps {
		if m.kind != static || m.pr != pr {
			continue
		}
		switch {
		case contains(s.reserved[pr], m.hostPort):
			return portMisfit(CauseReserved, pr, int(m.hostPort)), false
		case inRuns(s.static(pr), m.hostPort), inRuns(s.dynamic(pr), m.hostPort):
			return portMisfit(CauseInUse, pr, int(m.hostPort)), false
		}
	}
	if len(r.static[pr]) <= room {
		return FitError{}, true
	}
	// Name the first static port, in task definition order, past the limit.
	k := max(room, 0)
	for _, m := range r.maps {
		if m.kind != static || m.pr != pr {
			continue
		}
		if k == 0 {
			fe := portMisfit(CauseReservedLimit, pr, int(m.hostPort))
			fe.Limit = int(s.limit)
			return fe, false
		}
		k--
	}
	return FitError{}, true // not reached: more static ports than room
}

// dynamic finds, in task definition order, the dynamic ports and ranges
// of r's mappings of protocol pr.
func (q *search) dynamic(pr proto) (FitError, bool) {
	for _, m := range q.r.maps {
		if m.kind == static || m.pr != pr {
			continue
		}
		if _, ok := q.next(pr, int(m.n)); !ok {
			fe := portMisfit(CauseNoDynamicPort, pr, 0)
			if m.kind == portRange {
				fe.Cause = CauseNoContiguousRange
			}
			fe.Count, fe.Range = int(m.n), q.s.dyn
			return fe, false
		}
	}
	return FitError{}, true
}

// Allocate binds one task of r on the instance: its static host ports, the
// dynamic ports and ranges it is given, and its ENI. A fresh instance hands
// out the lowest free dynamic port, then the next free one after the last
// port it handed out, wrapping once to the start of the range. The result
// lists the task's network bindings; keep it to Release them. When the task
// does not fit, the error is a *FitError and s is unchanged.
//
// Bind does the same and writes only the host ports, allocating nothing.
func (s *State) Allocate(r *Request) (*Allocation, error) {
	if s == nil || r == nil {
		refusal := invalidCall
		return nil, &refusal
	}
	var buf [16]uint16
	ports := buf[:0]
	if len(r.maps) > len(buf) {
		ports = make([]uint16, len(r.maps))
	}
	ports = ports[:len(r.maps)]
	if fe, ok := s.Bind(r, ports); !ok {
		refusal := fe // only a refusal puts a FitError on the heap
		return nil, &refusal
	}
	return newAllocation(r, ports), nil
}

// Bind binds one task of r as Allocate does, but keeps what the task holds
// in compact form: ports[i] gets the first host port of r's mapping i (its
// static host port, its dynamic port, or the first port of its range), for
// the r.Mappings() mappings; ports must have room for them. r and ports
// say all an Allocation does: r.Bindings gives the task's network
// bindings, Unbind gives them back. Bind allocates nothing for a task of
// up to eight dynamic mappings, on an instance whose held ports of each
// kind are one run (as next-fit hands them out) or whose lists of runs
// have room. When the task does not fit, it returns why, as Fits does, and
// s is unchanged; a nil s or r, or ports without room, give a FitError of
// CauseInvalid.
func (s *State) Bind(r *Request, ports []uint16) (FitError, bool) {
	if s == nil || r == nil || len(ports) < len(r.maps) {
		return invalidCall, false
	}
	if r.single {
		if first, ok := s.single(r); ok {
			m := &r.maps[0]
			ports[0] = first
			s.insert(listOf(m.pr, true), first, int(m.n))
			s.cursor[m.pr] = int32(first) + int32(m.n) - 1
			return FitError{}, true
		}
	}
	q := newSearch(s, r)
	if fe, ok := s.plan(&q); !ok {
		return fe, false
	}
	k := [2]int{0, r.nDyn[tcp]} // the next pick of each protocol
	for i, m := range r.maps {
		first := m.hostPort
		if m.kind != static {
			first = q.pick(k[m.pr]).first
			k[m.pr]++
		}
		ports[i] = first
		s.insert(listOf(m.pr, m.kind != static), first, int(m.n))
	}
	s.enis += int32(r.enis)
	s.cursor = q.cursor
	return FitError{}, true
}

// Unbind gives back what a Bind of r that wrote ports holds: the exact
// inverse, as Release is of Allocate. An error wrapping ErrNotHeld, for
// ports s does not hold (say, ones already given back), leaves s
// unchanged.
func (s *State) Unbind(r *Request, ports []uint16) error {
	if s == nil || r == nil {
		return fmt.Errorf("netmode: Unbind needs a State and a Request, not nil: %w", ErrNotHeld)
	}
	if int(s.enis) < r.enis {
		return fmt.Errorf("release %d ENIs, %d in use: %w", r.enis, s.enis, ErrNotHeld)
	}
	if len(ports) < len(r.maps) {
		return fmt.Errorf("release %d mappings' ports, have %d: %w", len(r.maps), len(ports), ErrNotHeld)
	}
	for i, m := range r.maps {
		if !s.holdsRun(listOf(m.pr, m.kind != static), ports[i], int(m.n)) {
			return fmt.Errorf("release host port %d/%s: %w", ports[i], m.pr.api(), ErrNotHeld)
		}
	}
	for i, m := range r.maps {
		s.remove(listOf(m.pr, m.kind != static), ports[i], int(m.n))
	}
	s.enis -= int32(r.enis)
	return nil
}

// hold marks the allocation's ports and ENIs as held. They are free: the
// caller checked.
func (s *State) hold(a *Allocation) {
	for _, hd := range a.holds {
		s.insert(listOf(hd.pr, hd.dynamic), hd.first, int(hd.n))
	}
	s.enis += int32(a.ENIs)
}

// Release gives the allocation's host ports and ENIs back to the instance:
// the exact inverse of the Allocate or Restore that returned it. The
// next-fit cursor is not rewound, as the agent's is not, so the next task
// does not get a port the last one just let go. An error wrapping
// ErrNotHeld, for an allocation s does not hold (say, one already
// released), leaves s unchanged.
func (s *State) Release(a *Allocation) error {
	if s == nil || a == nil {
		return fmt.Errorf("netmode: Release needs a State and an Allocation, not nil: %w", ErrNotHeld)
	}
	if int(s.enis) < a.ENIs {
		return fmt.Errorf("release %d ENIs, %d in use: %w", a.ENIs, s.enis, ErrNotHeld)
	}
	for _, hd := range a.holds {
		if !s.holdsRun(listOf(hd.pr, hd.dynamic), hd.first, int(hd.n)) {
			return fmt.Errorf("release host port %d/%s: %w", hd.first, hd.pr.api(), ErrNotHeld)
		}
	}
	for _, hd := range a.holds {
		s.remove(listOf(hd.pr, hd.dynamic), hd.first, int(hd.n))
	}
	s.enis -= int32(a.ENIs)
	return nil
}
