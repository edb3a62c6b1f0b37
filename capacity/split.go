package capacity

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// Splitter divides one service's tasks over the items of its capacity
// provider strategy (rule 134, Open point 7) and remembers how many tasks
// each item has, so that a later scale-out continues the same split.
//
// The first tasks go to the item with a base until it holds base tasks.
// After that the weights alone decide, the base tasks left out: task k of
// the rest goes to the item with the largest w·k/W − r, where w is the
// item's weight, W the sum of the weights and r the item's tasks beyond
// its base; ties go to the earlier item. An item of weight 0 gets no task
// beyond its base, unless it is the strategy's only item: then it takes
// every task.
//
// A Splitter is not safe for concurrent use. Make one with NewSplitter: the
// zero Splitter, like a nil one, has no item to split over, so Peek and
// Next return -1, Take and Place nil, and Resume refuses counts.
type Splitter struct {
	items  []ecs.CapacityProviderStrategyItem
	counts []int // tasks per item
	base   int   // index of the item with a base, or -1
	weight int64 // sum of the weights
}

// NewSplitter returns a Splitter for strategy with no tasks yet. It
// refuses a strategy the API would refuse, or an empty one.
func NewSplitter(strategy []ecs.CapacityProviderStrategyItem) (*Splitter, error) {
	if len(strategy) == 0 {
		return nil, errors.New("capacity: empty capacity provider strategy")
	}
	if err := ValidateStrategy(strategy); err != nil {
		return nil, err
	}
	s := &Splitter{
		items:  slices.Clone(strategy),
		counts: make([]int, len(strategy)),
		base:   -1,
	}
	for i, it := range strategy {
		if it.Base > 0 {
			s.base = i
		}
		s.weight += int64(it.Weight)
	}
	return s, nil
}

// Resume sets the tasks each item holds now, in strategy order: a service
// that already runs tasks continues its split from there.
func (s *Splitter) Resume(counts []int) error {
	if s == nil {
		return errors.New("capacity: Resume of a nil *Splitter")
	}
	if len(counts) != len(s.items) {
		return fmt.Errorf("capacity: %d counts for a strategy of %d items", len(counts), len(s.items))
	}
	for i, c := range counts {
		switch {
		case c < 0:
			return fmt.Errorf("capacity: negative count %d for %s", c, s.items[i].CapacityProvider)
		case c > MaxSplitTasks:
			return fmt.Errorf("capacity: count %d for %s is above %d", c, s.items[i].CapacityProvider, MaxSplitTasks)
		}
	}
	copy(s.counts, counts)
	return nil
}

// Strategy returns a copy of the strategy.
func (s *Splitter) Strategy() []ecs.CapacityProviderStrategyItem {
	if s == nil {
		return nil
	}
	return slices.Clone(s.items)
}

// Counts returns the tasks each item holds, in strategy order.
func (s *Splitter) Counts() []int {
	if s == nil {
		return nil
	}
	return slices.Clone(s.counts)
}

// Peek returns the index of the item the next task goes to, without
// counting it; -1 when s has no item.
func (s *Splitter) Peek() int {
	if s.empty() {
		return -1
	}
	if s.base >= 0 && s.counts[s.base] < s.items[s.base].Base {
		return s.base
	}
	if s.weight == 0 { // a lone item of weight 0
		return 0
	}
	k := s.rest() + 1
	best, bestScore := -1, int64(0)
	for i := range s.items {
		if s.items[i].Weight <= 0 {
			continue
		}
		if sc := s.score(i, k); best < 0 || sc > bestScore {
			best, bestScore = i, sc
		}
	}
	return best
}

// Next returns the index of the item the next task goes to, and counts it;
// -1 when s has no item.
func (s *Splitter) Next() int {
	i := s.Peek()
	if i < 0 {
		return -1
	}
	s.counts[i]++
	return i
}

// Take counts n more tasks and returns how many of them each item got:
// what n calls of Next would count, at a cost that does not grow with n
// (see split). Counts never pass math.MaxInt: n is cut to what they can
// still take. It returns nil when s has no item.
func (s *Splitter) Take(n int) []int {
	if s.empty() {
		return nil
	}
	total := 0
	for _, c := range s.counts {
		total += c
	}
	got := s.split(min(n, math.MaxInt-total))
	for i, g := range got {
		s.counts[i] += g
	}
	return got
}

// Record counts one task on item i, whichever item the split would have
// chosen: a task a caller placed elsewhere, as a what-if fallback does.
// An i that is no item's index counts nothing.
func (s *Splitter) Record(i int) {
	if s == nil || i < 0 || i >= len(s.counts) {
		return
	}
	s.counts[i]++
}

// empty reports whether s has no item to split over: nil, or the zero
// Splitter.
func (s *Splitter) empty() bool {
	return s == nil || len(s.items) == 0 || len(s.counts) != len(s.items)
}

// Release uncounts one task of item i: a task that stopped. It reports
// false when item i holds no task.
func (s *Splitter) Release(i int) bool {
	if s == nil || i < 0 || i >= len(s.counts) || s.counts[i] == 0 {
		return false
	}
	s.counts[i]--
	return true
}

// rest returns the tasks beyond the base on items with a weight.
func (s *Splitter) rest() int64 {
	var r int64
	for i := range s.items {
		if s.items[i].Weight > 0 {
			r += s.beyondBase(i)
		}
	}
	return r
}

func (s *Splitter) beyondBase(i int) int64 {
	return int64(max(s.counts[i]-s.items[i].Base, 0))
}

// score is the item's deficit w·k/W − r, scaled by W to stay integral.
func (s *Splitter) score(i int, k int64) int64 {
	return int64(s.items[i].Weight)*k - s.weight*s.beyondBase(i)
}

// MaxSplitTasks is the most tasks a Splitter counts on one item, and the
// most Split divides at once: 2^40, far beyond any service, and small
// enough for the split's arithmetic to stay exact.
const MaxSplitTasks = 1 << 40

// Split returns how n new tasks of a service divide over the items of
// strategy, in strategy order, given the tasks each item holds now
// (current; nil for none): what n calls of Splitter.Next would give. Its
// cost does not grow with n (see Splitter.Take); n above MaxSplitTasks is
// refused.
func Split(strategy []ecs.CapacityProviderStrategyItem, current []int, n int) ([]int, error) {
	s, err := NewSplitter(strategy)
	if err != nil {
		return nil, err
	}
	if current != nil {
		if err := s.Resume(current); err != nil {
			return nil, err
		}
	}
	if n > MaxSplitTasks {
		return nil, fmt.Errorf("capacity: %d tasks to split, above %d", n, MaxSplitTasks)
	}
	return s.Take(n), nil
}
