package netmode

import (
	"slices"
	"sync/atomic"
)

// span is the run of host ports first..last, inclusive.
type span struct{ first, last uint16 }

// The lists of held ports: static or dynamic, per protocol. Static ports
// count toward the reserved-port limit; dynamic ones do not.
const (
	staticTCP  = iota // static host ports, TCP
	staticUDP         // static host ports, UDP
	dynamicTCP        // dynamic ports and ranges, TCP
	dynamicUDP        // dynamic ports and ranges, UDP
	lists             // how many lists there are
)

// listOf returns the list that holds ports of protocol pr, dynamic or
// static.
func listOf(pr proto, dynamic bool) int {
	if dynamic {
		return dynamicTCP + int(pr)
	}
	return staticTCP + int(pr)
}

// holdings are the lists of held ports of an instance that have more than
// one run (a list of one run lives in the State itself, see State.one).
// Each list is sorted and its runs are disjoint and not adjacent.
//
// Holdings are copy-on-write: State.Clone shares them and counts the extra
// sharer in refs; the first State to change shared holdings copies them.
// A clone that is dropped without changing anything leaves refs one too
// high, which costs at most one needless copy later.
type holdings struct {
	refs  atomic.Int32 // States sharing these holdings, beyond the first
	lists [lists][]span
}

// headroom is the room for more runs each list of copied holdings gets,
// so that the change that made the copy does not grow it again.
const headroom = 2

// copy returns unshared holdings with the same runs, in one buffer.
func (h *holdings) copy() *holdings {
	n := 0
	for _, l := range h.lists {
		n += len(l) + headroom
	}
	buf := make([]span, 0, n)
	c := new(holdings)
	for k, l := range h.lists {
		start := len(buf)
		buf = append(buf, l...)
		end := len(buf)
		buf = buf[:end+headroom]
		c.lists[k] = buf[start:end:len(buf)]
	}
	return c
}

// runs returns list k: sorted, disjoint, non-adjacent runs of ports.
func (s *State) runs(k int) []span {
	if s.inline&(1<<k) != 0 {
		return s.one[k : k+1]
	}
	if s.held == nil {
		return nil
	}
	return s.held.lists[k]
}

// own makes s the only owner of its holdings and returns them for writing.
func (s *State) own() *holdings {
	switch {
	case s.held == nil:
		s.held = new(holdings)
	case s.held.refs.Load() > 0:
		h := s.held.copy()
		s.held.refs.Add(-1)
		s.held = h
	}
	return s.held
}

// insert adds first..first+n-1, none of which list k holds, to list k.
// A list of one run stays in s; only a second run takes a list into the
// holdings. Runs that touch are merged, so that the contiguous ports
// next-fit hands out keep one run.
func (s *State) insert(k int, first uint16, n int) {
	r := span{first, uint16(int(first) + n - 1)}
	if k == staticTCP || k == staticUDP {
		s.statics += int32(n)
	}
	bit := uint8(1) << k
	l := s.runs(k)
	switch {
	case len(l) == 0:
		s.one[k] = r
		s.inline |= bit
		return
	case s.inline&bit != 0:
		if m, ok := join(s.one[k], r); ok {
			s.one[k] = m
			return
		}
		a := s.one[k]
		s.inline &^= bit
		h := s.own()
		if r.first < a.first {
			a, r = r, a
		}
		h.lists[k] = append(h.lists[k][:0], a, r)
		return
	}
	h := s.own()
	h.lists[k] = insertSpan(h.lists[k], r)
}

// join returns the one run that a and b, disjoint, make when they touch.
func join(a, b span) (span, bool) {
	switch {
	case int(a.last)+1 == int(b.first):
		return span{a.first, b.last}, true
	case int(b.last)+1 == int(a.first):
		return span{b.first, a.last}, true
	}
	return span{}, false
}

// insertSpan adds r, which overlaps no run of l, to l, merging it with the
// runs it touches.
func insertSpan(l []span, r span) []span {
	i, _ := slices.BinarySearchFunc(l, r.first, func(x span, p uint16) int { return int(x.first) - int(p) })
	prev := i > 0 && int(l[i-1].last)+1 == int(r.first)
	next := i < len(l) && int(r.last)+1 == int(l[i].first)
	switch {
	case prev && next:
		l[i-1].last = l[i].last
		return slices.Delete(l, i, i+1)
	case prev:
		l[i-1].last = r.last
		return l
	case next:
		l[i].first = r.first
		return l
	}
	return slices.Insert(l, i, r)
}

// find returns the index of the first run of l that ends at or after p.
func find(l []span, p uint16) int {
	i, _ := slices.BinarySearchFunc(l, p, func(x span, p uint16) int { return int(x.last) - int(p) })
	return i
}

// holdsRun reports whether list k holds all of first..first+n-1.
func (s *State) holdsRun(k int, first uint16, n int) bool {
	l := s.runs(k)
	i := find(l, first)
	return i < len(l) && l[i].first <= first && int(l[i].last) >= int(first)+n-1
}

// remove deletes first..first+n-1, which holdsRun found, from list k.
func (s *State) remove(k int, first uint16, n int) {
	if k == staticTCP || k == staticUDP {
		s.statics -= int32(n)
	}
	last := uint16(int(first) + n - 1)
	bit := uint8(1) << k
	if s.inline&bit != 0 {
		sp := s.one[k]
		left, right := span{sp.first, first - 1}, span{last + 1, sp.last}
		switch hasLeft, hasRight := sp.first < first, last < sp.last; {
		case hasLeft && hasRight:
			s.inline &^= bit
			h := s.own()
			h.lists[k] = append(h.lists[k][:0], left, right)
		case hasLeft:
			s.one[k] = left
		case hasRight:
			s.one[k] = right
		default:
			s.inline &^= bit
		}
		return
	}
	h := s.own()
	l := h.lists[k]
	i := find(l, first)
	sp := l[i]
	var parts [2]span
	np := 0
	if sp.first < first {
		parts[np] = span{sp.first, first - 1}
		np++
	}
	if last < sp.last {
		parts[np] = span{last + 1, sp.last}
		np++
	}
	l = slices.Replace(l, i, i+1, parts[:np]...)
	if len(l) == 1 { // one run: back into s
		s.one[k] = l[0]
		s.inline |= bit
		l = l[:0]
	}
	h.lists[k] = l
}

// inRuns reports whether the runs l hold port.
func inRuns(l []span, port uint16) bool {
	i := find(l, port)
	return i < len(l) && l[i].first <= port
}

// firstInRuns returns the lowest port of the runs l within [lo, hi].
func firstInRuns(l []span, lo, hi int) (int, bool) {
	i := find(l, uint16(lo))
	if i < len(l) && int(l[i].first) <= hi {
		return max(int(l[i].first), lo), true
	}
	return 0, false
}

// contains reports whether the sorted set holds port.
func contains(set []uint16, port uint16) bool {
	_, ok := slices.BinarySearch(set, port)
	return ok
}

func ints(set []uint16) []int {
	out := make([]int, len(set))
	for i, p := range set {
		out[i] = int(p)
	}
	return out
}

// portsOf lists the ports of the runs l.
func portsOf(l []span) []int {
	n := 0
	for _, r := range l {
		n += int(r.last) - int(r.first) + 1
	}
	out := make([]int, 0, n)
	for _, r := range l {
		for p := int(r.first); p <= int(r.last); p++ {
			out = append(out, p)
		}
	}
	return out
}
