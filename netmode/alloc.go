package netmode

import "fmt"

// Fits reports whether one task of r can bind its ports and take its ENI
// on the instance, and if not, why. It changes nothing and, for tasks with
// up to eight dynamic mappings, allocates nothing: it is the check to run
// against every candidate instance. Its answer is Allocate's.
func (s *State) Fits(r *Request) (FitError, bool) {
	q := search{s: s, r: r, cursor: s.cursor}
	return s.plan(&q)
}

// plan checks r against s in a fixed order: the ENI, then the static ports
// (see checkStatic), then the dynamic ports and ranges in task definition
// order, recording the picks in q.
func (s *State) plan(q *search) (FitError, bool) {
	r := q.r
	if fe, ok := s.checkENI(r.enis); !ok {
		return fe, false
	}
	if r.nStatic > 0 {
		if fe, ok := s.checkStatic(r); !ok {
			return fe, false
		}
	}
	if !r.dynamic {
		return FitError{}, true
	}
	for _, m := range r.maps {
		if m.kind == static {
			continue
		}
		if _, ok := q.next(m.pr, int(m.n)); !ok {
			fe := portMisfit(CauseNoDynamicPort, m.pr, 0)
			if m.kind == portRange {
				fe.Cause = CauseNoContiguousRange
			}
			fe.Count, fe.Range = int(m.n), s.dyn
			return fe, false
		}
	}
	return FitError{}, true
}

// checkStatic checks each static host port, then the reserved-port limit.
func (s *State) checkStatic(r *Request) (FitError, bool) {
	if r.dup.port != 0 {
		return portMisfit(CauseDuplicate, r.dup.pr, int(r.dup.port)), false
	}
	for _, m := range r.maps {
		if m.kind != static {
			continue
		}
		switch {
		case contains(s.reserved[m.pr], m.hostPort):
			return portMisfit(CauseReserved, m.pr, int(m.hostPort)), false
		case contains(s.static(m.pr), m.hostPort), contains(s.dynamic(m.pr), m.hostPort):
			return portMisfit(CauseInUse, m.pr, int(m.hostPort)), false
		}
	}
	room := int(s.limit) - s.ReservedCount()
	if r.nStatic <= room {
		return FitError{}, true
	}
	// Name the first static port, in task definition order, past the limit.
	k := max(room, 0)
	for _, m := range r.maps {
		if m.kind != static {
			continue
		}
		if k == 0 {
			fe := portMisfit(CauseReservedLimit, m.pr, int(m.hostPort))
			fe.Limit = int(s.limit)
			return fe, false
		}
		k--
	}
	return FitError{}, true // not reached: nStatic > room
}

// Allocate binds one task of r on the instance: its static host ports, the
// dynamic ports and ranges it is given, and its ENI. A fresh instance hands
// out the lowest free dynamic port, then the next free one after the last
// port it handed out, wrapping once to the start of the range. The result
// lists the task's network bindings; keep it to Release them. When the task
// does not fit, the error is a *FitError and s is unchanged.
func (s *State) Allocate(r *Request) (*Allocation, error) {
	q := search{s: s, r: r, cursor: s.cursor}
	if fe, ok := s.plan(&q); !ok {
		return nil, &fe
	}
	a := newAllocation(r, q.picks())
	s.hold(a)
	s.cursor = q.cursor
	return a, nil
}

// hold marks the allocation's ports and ENIs as held. They are free: the
// caller checked.
func (s *State) hold(a *Allocation) {
	if len(a.holds) > 0 {
		h := s.own()
		for _, hd := range a.holds {
			list := &h.static[hd.pr]
			if hd.dynamic {
				list = &h.dynamic[hd.pr]
			}
			*list = insertRun(*list, hd.first, int(hd.n))
		}
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
	if int(s.enis) < a.ENIs {
		return fmt.Errorf("release %d ENIs, %d in use: %w", a.ENIs, s.enis, ErrNotHeld)
	}
	for _, hd := range a.holds {
		list := s.static(hd.pr)
		if hd.dynamic {
			list = s.dynamic(hd.pr)
		}
		if !holdsRun(list, hd.first, int(hd.n)) {
			return fmt.Errorf("release host port %d/%s: %w", hd.first, hd.pr.api(), ErrNotHeld)
		}
	}
	if len(a.holds) > 0 {
		h := s.own()
		for _, hd := range a.holds {
			list := &h.static[hd.pr]
			if hd.dynamic {
				list = &h.dynamic[hd.pr]
			}
			*list = removeRun(*list, hd.first, int(hd.n))
		}
	}
	s.enis -= int32(a.ENIs)
	return nil
}
