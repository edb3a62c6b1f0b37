package placement

import "slices"

// Selection. A strategy chain orders the instances lexicographically:
// by the first step's score, ties by the next step's, and the last ties
// by position (the order of the instance ARNs). The instance chosen is the
// first, in that order, that passes every filter.
//
// The exhaustive path (scan) filters every instance and then applies the
// chain to those that fit. The indexed path (chooseIn) walks the instances in
// the first steps' order, tier by tier (a tier is a run of equal scores),
// and stops at the first tier holding an instance that fits; the rest of
// the chain then decides within that tier. Both give the same answer; the
// tests check that they do.

// choose returns the instance for the next task of d, or -1 when none
// fits.
func (s *state) choose(d *demand) int32 {
	i := s.chooseIn(d)
	s.unskip()
	return i
}

// chooseIn picks by the chain's first step, and the second when an index
// serves both.
func (s *state) chooseIn(d *demand) int32 {
	if s.exhaustive {
		return s.scan(d)
	}
	if i, ok := s.nextBulk(d); ok {
		return i
	}
	return s.chooseIndexed(d)
}

// chooseIndexed picks by walking the indexes.
func (s *state) chooseIndexed(d *demand) int32 {
	first, rest := d.chain[0], d.chain[1:]
	switch first.kind {
	case stepBinpackCPU, stepBinpackMemory:
		x := d.keyIndex(func() *keyIndex { return s.resIndex(resourceKey(first.kind), "") })
		return s.walk(d, s.cursors(x, nil, d), rest)
	case stepSpreadInstance:
		second, rest := secondKey(rest)
		x := d.countIndex(func() *countIndex { return s.cntIndex(d.group, "", second) })
		return s.walk(d, s.countCursors(x, nil), rest)
	case stepRandom:
		return s.walkRandom(func(i int32) bool { return s.fitsOnce(i, d) })
	}
	return s.pickSpread(d, first, rest)
}

// keyIndex returns the one keyIndex a chain walks, getting it the first
// time: a request's chain always walks the same index.
func (d *demand) keyIndex(get func() *keyIndex) *keyIndex {
	if d.key == nil {
		d.key = get()
	}
	return d.key
}

// countIndex returns the one countIndex a chain walks, as keyIndex.
func (d *demand) countIndex(get func() *countIndex) *countIndex {
	if d.cnt == nil {
		d.cnt = get()
	}
	return d.cnt
}

// scan filters every instance and applies the whole chain.
func (s *state) scan(d *demand) int32 {
	s.buf = s.buf[:0]
	for i := range s.inst {
		if s.fits(int32(i), d) {
			s.buf = append(s.buf, int32(i))
		}
	}
	if len(s.buf) == 0 {
		return -1
	}
	return s.among(d, s.buf, d.chain)
}

// secondKey reads a binpack step that follows spread(instanceId): a
// countIndex ordered by both serves the two. It returns the resource, or
// 0, and the steps left.
func secondKey(rest []step) (keyKind, []step) {
	if len(rest) > 0 && (rest[0].kind == stepBinpackCPU || rest[0].kind == stepBinpackMemory) {
		return resourceKey(rest[0].kind), rest[1:]
	}
	return 0, rest
}

// resourceKey maps a binpack step to its index key.
func resourceKey(k stepKind) keyKind {
	if k == stepBinpackCPU {
		return keyCPU
	}
	return keyMemory
}

// pickSpread handles a chain that starts with spread over an attribute:
// the values in order of the group's count, each tier of equally loaded
// values together.
func (s *state) pickSpread(d *demand, first step, rest []step) int32 {
	if d.vc == nil {
		d.vc = s.valueCounts(d.group, first.attr)
	}
	vc := d.vc
	order := vc.order
	for t := 0; t < len(order); {
		u := t + 1
		for u < len(order) && entryKey(order[u]) == entryKey(order[t]) {
			u++
		}
		if i := s.pickValues(d, first.attr, order[t:u], rest); i >= 0 {
			return i
		}
		t = u
	}
	return -1
}

// pickValues chooses among the instances whose value of attr is one of
// vals (entries of valueCounts.order).
func (s *state) pickValues(d *demand, attr string, vals []uint64, rest []step) int32 {
	if len(rest) == 0 {
		return s.walk(d, s.cursors(d.keyIndex(func() *keyIndex { return s.plainIndex(attr) }), vals, d), nil)
	}
	switch k := rest[0].kind; k {
	case stepBinpackCPU, stepBinpackMemory:
		x := d.keyIndex(func() *keyIndex { return s.resIndex(resourceKey(k), attr) })
		return s.walk(d, s.cursors(x, vals, d), rest[1:])
	case stepSpreadInstance:
		second, rest := secondKey(rest[1:])
		x := d.countIndex(func() *countIndex { return s.cntIndex(d.group, attr, second) })
		return s.walk(d, s.countCursors(x, vals), rest)
	case stepRandom:
		// The first in the random order with a value of the tier that
		// fits: the instance random would pick among the tier's.
		part := s.partition(attr)
		if !s.anyFits(d, s.cursors(s.plainIndex(attr), vals, d)) {
			return -1 // spare a walk through every instance
		}
		return s.walkRandom(func(i int32) bool {
			return inValues(part.valueOf(s.inst[i].attrs), vals) && s.fits(i, d)
		})
	}
	// Other refinements: every instance of the tier that fits.
	x := d.keyIndex(func() *keyIndex { return s.plainIndex(attr) })
	s.buf = s.collect(d, s.cursors(x, vals, d), 0, false, s.buf[:0])
	if len(s.buf) == 0 {
		return -1
	}
	return s.among(d, s.buf, rest)
}

// inValues reports whether value v is one of vals (entries of
// valueCounts.order).
func inValues(v int32, vals []uint64) bool {
	for _, e := range vals {
		if entryInst(e) == v {
			return true
		}
	}
	return false
}

// fitsOnce is fits for a random walk that leads the chain: an instance
// that fails for good is marked dead, and later walks of the request pass
// it over without evaluating it again. No index is walked in such a
// request, so none needs to hide it.
func (s *state) fitsOnce(i int32, d *demand) bool {
	if s.dead[i] == s.deadEpoch {
		return false
	}
	ok, dead := s.check(i, d)
	if !ok && dead {
		s.dead[i] = s.deadEpoch
	}
	return ok
}

// among applies the steps of a chain to candidates that all fit, and
// returns the first by the chain, ties to the lowest position. It reorders
// cands.
func (s *state) among(d *demand, cands []int32, chain []step) int32 {
	for _, st := range chain {
		if len(cands) == 1 {
			break
		}
		if st.kind == stepRandom {
			s.epoch = nextEpoch(s.epoch, s.mark)
			for _, i := range cands {
				s.mark[i] = s.epoch
			}
			return s.walkRandom(func(i int32) bool { return s.mark[i] == s.epoch })
		}
		cands = s.best(d, cands, st)
	}
	return slices.Min(cands)
}

// best keeps the candidates with the lowest score by step st.
func (s *state) best(d *demand, cands []int32, st step) []int32 {
	var vc *valueCounts
	if st.kind == stepSpreadAttr {
		vc = s.valueCounts(d.group, st.attr)
	}
	score := func(i int32) int64 {
		in := &s.inst[i]
		switch st.kind {
		case stepBinpackCPU:
			return int64(in.cpu)
		case stepBinpackMemory:
			return int64(in.mem)
		case stepSpreadInstance:
			return int64(in.count(d.group))
		}
		return int64(vc.counts[vc.part.valueOf(in.attrs)])
	}
	low := score(cands[0])
	for _, i := range cands[1:] {
		low = min(low, score(i))
	}
	return slices.DeleteFunc(cands, func(i int32) bool { return score(i) != low })
}
