package placement

import "container/heap"

// Scale-in without scanning. victim scores every candidate for every
// choice; for a chain without a random step, stopCells gets the same
// answer from the few candidates that can win. A chain's spread over an
// attribute scores a task by its value's count, the same for every task
// in the value; binpack and spread(instanceId) score it by its instance.
// Candidates are therefore kept in cells, one per combination of the
// chain's attribute values, each a heap ordered by the steps that depend
// on the instance (the attribute steps are equal within a cell, so they
// do not change the order). The winner is the best of the cells' tops
// under the whole chain, as victim would find it; a stop changes only
// its instance's tasks in their heap, and the counts the cells read.
// The exhaustive engine keeps to victim, and the property tests check
// that the two agree.

// stopCells is the candidates of one ScaleIn, by cell.
type stopCells struct {
	s      *state
	g      int32
	steps  []step
	vcs    []*valueCounts // per step: the counts a spread over an attribute reads
	cells  []*stopHeap
	byInst map[int32][]*stopItem
}

// stopItem is a candidate with its score under the instance's steps
// (zero for the attribute steps).
type stopItem struct {
	id    int32  // the task's slot
	seq   uint64 // the task's age: the newest has the highest
	key   [MaxStrategies]int64
	cell  *stopHeap
	index int // in cell.items; -1 once removed
}

// stopHeap is a cell's candidates, least key first, then newest.
type stopHeap struct {
	values [MaxStrategies]int32 // the cell's value of each attribute step
	items  []*stopItem
}

func (h *stopHeap) Len() int { return len(h.items) }
func (h *stopHeap) Less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	if a.key != b.key {
		return less(a.key[:], b.key[:])
	}
	return a.seq > b.seq
}
func (h *stopHeap) Swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.items[i].index, h.items[j].index = i, j
}
func (h *stopHeap) Push(x any) {
	it := x.(*stopItem)
	it.index = len(h.items)
	h.items = append(h.items, it)
}
func (h *stopHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	it.index = -1
	return it
}

// newStopCells sorts the candidates of group g into cells.
func (s *state) newStopCells(cand []int32, g int32, steps []step) *stopCells {
	c := &stopCells{s: s, g: g, steps: steps, vcs: make([]*valueCounts, len(steps)), byInst: make(map[int32][]*stopItem)}
	for k, st := range steps {
		if st.kind == stepSpreadAttr {
			c.vcs[k] = s.valueCounts(g, st.attr)
		}
	}
	index := make(map[[MaxStrategies]int32]*stopHeap)
	for _, id := range cand {
		in := s.tasks[id].inst
		var values [MaxStrategies]int32
		for k, vc := range c.vcs {
			if vc != nil {
				values[k] = vc.part.valueOf(s.inst[in].attrs)
			}
		}
		h := index[values]
		if h == nil {
			h = &stopHeap{values: values}
			index[values] = h
			c.cells = append(c.cells, h)
		}
		it := &stopItem{id: id, seq: s.tasks[id].seq, cell: h, index: len(h.items)}
		c.score(it)
		h.items = append(h.items, it)
		c.byInst[in] = append(c.byInst[in], it)
	}
	for _, h := range c.cells {
		heap.Init(h)
	}
	return c
}

// score sets an item's key under the steps that depend on its instance.
func (c *stopCells) score(it *stopItem) {
	t := &c.s.tasks[it.id]
	for k, st := range c.steps {
		if c.vcs[k] == nil {
			it.key[k] = c.s.stopScore(t, c.g, st, nil)
		}
	}
}

// pop removes and returns the slot of the task to stop next, or -1 when
// none is left.
func (c *stopCells) pop() int32 {
	var best *stopItem
	var bestKey [MaxStrategies]int64
	for _, h := range c.cells {
		if len(h.items) == 0 {
			continue
		}
		top := h.items[0]
		key := top.key
		for k, vc := range c.vcs {
			if vc != nil {
				key[k] = -int64(vc.counts[h.values[k]])
			}
		}
		if best == nil || less(key[:], bestKey[:]) || key == bestKey && top.seq > best.seq {
			best, bestKey = top, key
		}
	}
	if best == nil {
		return -1
	}
	heap.Remove(best.cell, best.index)
	return best.id
}

// changed rescores the candidates left on instance i after a stop there.
func (c *stopCells) changed(i int32) {
	for _, it := range c.byInst[i] {
		if it.index >= 0 {
			c.score(it)
			heap.Fix(it.cell, it.index)
		}
	}
}
