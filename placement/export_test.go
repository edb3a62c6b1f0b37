package placement

import (
	"fmt"
	"math"
	"slices"
)

// CheckIndexes reports the first way the engine's indexes disagree with
// its instances: an entry with a stale key, a list out of order, a tree
// leaf or node that is not what it should be between requests.
func CheckIndexes(e *Engine) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.s
	for _, x := range s.all {
		x.sync(s) // what a walk sees
		var err error
		switch x := x.(type) {
		case *keyIndex:
			err = checkKeyIndex(s, x)
		case *countIndex:
			err = checkCountIndex(s, x)
		}
		if err != nil {
			return err
		}
	}
	for _, vc := range allValueCounts(s) {
		want := make([]int32, len(vc.counts))
		for i := range s.inst {
			want[vc.part.valueOf(s.inst[i].attrs)] += s.inst[i].count(vc.group)
		}
		if !slices.Equal(want, vc.counts) || !slices.IsSorted(vc.order) {
			return fmt.Errorf("value counts of %s: have %v, want %v", vc.part.name, vc.counts, want)
		}
		var order []uint64
		for v, c := range vc.counts {
			if len(vc.part.members[v]) > 0 {
				order = append(order, entry(uint64(uint32(max(c, 0))), int32(v)))
			}
		}
		slices.Sort(order)
		if !slices.Equal(order, vc.order) {
			return fmt.Errorf("value order of %s: have %v, want %v", vc.part.name, vc.order, order)
		}
	}
	return nil
}

func checkKeyIndex(s *state, x *keyIndex) error {
	for v, l := range x.lists {
		if !slices.IsSorted(l) {
			return fmt.Errorf("index %d/%v list %d not sorted", x.kind, x.part != nil, v)
		}
		t := &x.trees[v]
		real := 0
		for p, e := range l {
			if t.leaves()[p] == gapRoom {
				continue
			}
			real++
			i := entryInst(e)
			in := &s.inst[i]
			if entryKey(e) != uint32(x.key(in)) || t.leaves()[p] != roomOf(in) {
				return fmt.Errorf("index %d list %d position %d (%s): stale", x.kind, v, p, s.names[i].id)
			}
			if int(x.pos[i]) != p {
				return fmt.Errorf("index %d list %d position %d (%s): pos says %d", x.kind, v, p, s.names[i].id, x.pos[i])
			}
			if p < int(x.lb[v]) && t.leaves()[p].holds(x.lbNeed) {
				return fmt.Errorf("index %d list %d position %d (%s) has room for %v before the walks' start %d", x.kind, v, p, s.names[i].id, x.lbNeed, x.lb[v])
			}
		}
		if want := x.members(s, int32(v)); real != want {
			return fmt.Errorf("index %d list %d holds %d instances, not %d", x.kind, v, real, want)
		}
		for k := t.size - 1; k >= 1; k-- {
			if t.n[k] != maxRoom(t.n[2*k], t.n[2*k+1]) {
				return fmt.Errorf("index %d list %d node %d: stale", x.kind, v, k)
			}
		}
	}
	return nil
}

func checkCountIndex(s *state, x *countIndex) error {
	for v := range x.trees {
		t := &x.trees[v]
		for p, i := range t.members {
			in, k := &s.inst[i], t.size+p
			if t.key[k] != x.key(in) || t.cpu[k] != in.cpu || t.mem[k] != in.mem {
				return fmt.Errorf("count index %d tree %d leaf %d (%s): stale", x.group, v, p, s.names[i].id)
			}
		}
		for p := len(t.members); p < t.size; p++ {
			if t.key[t.size+p] != math.MaxUint64 {
				return fmt.Errorf("count index padding leaf %d set", p)
			}
		}
		for k := t.size - 1; k >= 1; k-- {
			if t.key[k] != min(t.key[2*k], t.key[2*k+1]) || t.cpu[k] != max(t.cpu[2*k], t.cpu[2*k+1]) {
				return fmt.Errorf("count index %d tree %d node %d: stale", x.group, v, k)
			}
		}
	}
	return nil
}

// allValueCounts returns every valueCounts the state keeps.
func allValueCounts(s *state) []*valueCounts {
	var out []*valueCounts
	for _, vcs := range s.vcsOf {
		out = append(out, vcs...)
	}
	return out
}

// Slots returns how many task slots the engine keeps: its tasks, and the
// stopped ones whose slots no task has taken again.
func Slots(e *Engine) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.s.tasks)
}

// members returns how many instances list v of x holds.
func (x *keyIndex) members(s *state, v int32) int {
	n := 0
	for i := range s.inst {
		if x.valueOf(s, int32(i)) == v {
			n++
		}
	}
	return n
}
