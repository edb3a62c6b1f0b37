package capacity

import (
	"cmp"
	"context"
	"encoding/binary"
	"slices"
)

// fewest may run, for one instance type, placements of the workload of
// maxFewerTasks tasks in all (a placement's cost grows with its tasks)
// but at least minFewerChecks placements, and consider maxFewerVectors
// count vectors: beyond them it stops, and the counts it has are minimal
// one instance at a time only (search.cut).
const (
	maxFewerTasks   = 1 << 15
	minFewerChecks  = 64
	maxFewerVectors = 1 << 14
)

// fewerChecks returns how many placements fewest may run for s.
func (s *search) fewerChecks() int {
	return max(minFewerChecks, maxFewerTasks/max(s.taskCount(), 1))
}

// fewest returns, for a zone-loss plan, the counts with the fewest
// instances that survive: counts, the search's answer, fits and fails
// with any one instance fewer, but a zone-loss plan need not be
// balanced, and counts with fewer instances spread otherwise over the
// zones may fit (a search zone by zone does not find them).
//
// It looks at every total below counts' total, from the next one down,
// at the count vectors of that total that may fit, the most balanced
// first, and keeps the first that fits; it stops at a total where none
// fits. A vector may fit only when
//   - the instances outside each zone hold the loss targets of every
//     replica workload (its minimum healthy tasks, or its desired count)
//     by CPU, memory, GPUs and ENIs: the instances lost with a zone
//     hold nothing after it;
//   - all the instances hold the steady state and the largest surge;
//   - no vector that failed has as many instances or more in every zone.
//
// The last two stops rest on a check's outcome growing with the
// counts: an instance added in any zone never makes a fitting plan fail
// (TestZoneLossMonotone checks it on random plans). Under it the answer
// has the fewest instances of any counts that fit.
//
// It stops early, with the fewest found so far, after fewerChecks
// placements or maxFewerVectors vectors, and sets s.cut: the plan says
// so in its notes. Then no counts with fewer instances than the answer
// fit among those checked, and the answer is minimal one instance at a
// time.
func (s *search) fewest(ctx context.Context, counts []int) ([]int, error) {
	if s.ck.loss == ZoneLossNone || len(counts) < 2 {
		return counts, nil
	}
	lost := leastInstances(s.ck, s.b.it, s.b.trunk, s.ck.lossTarget, false)
	all := leastInstances(s.ck, s.b.it, s.b.trunk, func(p *prepared) int { return p.w.DesiredCount }, true)
	n0, vectors, budget := s.n, 0, s.fewerChecks()
	best := counts
	for total := sum(counts) - 1; total >= max(all, lost+1); total-- {
		cands, ok := s.candidates(total, lost, maxFewerVectors-vectors)
		vectors += len(cands)
		if !ok {
			s.cut = true
			return best, nil
		}
		var found []int
		for _, c := range cands {
			if s.dominated(c) {
				continue
			}
			if s.n-n0 >= budget {
				s.cut = true
				return best, nil
			}
			o, err := s.try(ctx, c, false)
			if err != nil {
				return nil, err
			}
			if o.pe == nil {
				if o, err = s.try(ctx, c, true); err != nil {
					return nil, err
				}
			}
			if o.pe == nil {
				found = c
				break
			}
		}
		if found == nil {
			return best, nil
		}
		best = found
	}
	return best, nil
}

// candidates returns the count vectors of total instances in which the
// instances outside each zone are lost or more, the most balanced (the
// least difference between the largest and the smallest count) first,
// then in lexical order; false when there are more than limit.
func (s *search) candidates(total, lost, limit int) ([][]int, bool) {
	zones := len(s.b.azs)
	most := total - lost // the most instances one zone may have
	if most < 0 {
		return nil, true
	}
	n := countVectors(zones, total, most)
	if n > float64(limit) {
		return nil, false
	}
	flat := make([]int, 0, int(n+0.5)*zones) // the vectors one after the other
	c := make([]int, zones)
	var fill func(z, left int) bool
	fill = func(z, left int) bool {
		if z == zones-1 {
			if left > most {
				return true
			}
			c[z] = left
			if len(flat) >= limit*zones {
				return false
			}
			flat = append(flat, c...)
			return true
		}
		// The zones after z hold at most most each.
		for v := max(0, left-most*(zones-1-z)); v <= min(most, left); v++ {
			c[z] = v
			if !fill(z+1, left-v) {
				return false
			}
		}
		return true
	}
	if !fill(0, total) {
		return nil, false
	}
	out := make([][]int, len(flat)/zones)
	for i := range out {
		out[i] = flat[i*zones : (i+1)*zones : (i+1)*zones]
	}
	spread := func(c []int) int { return slices.Max(c) - slices.Min(c) }
	slices.SortStableFunc(out, func(a, b []int) int { return cmp.Compare(spread(a), spread(b)) })
	return out, true
}

// dominated reports whether a vector with as many instances or more in
// every zone than c failed a check: then c fails too.
func (s *search) dominated(c []int) bool {
	for key, o := range s.seen {
		if o.pe == nil {
			continue
		}
		f := keyCounts(key, len(c))
		if f == nil {
			continue
		}
		below := true
		for z := range c {
			if c[z] > f[z] {
				below = false
				break
			}
		}
		if below {
			return true
		}
	}
	return false
}

// keyCounts decodes countsKey's encoding of zones counts; nil when key
// is not one.
func keyCounts(key string, zones int) []int {
	out := make([]int, 0, zones)
	b := []byte(key)
	for range zones {
		v, k := binary.Uvarint(b)
		if k <= 0 {
			return nil
		}
		out, b = append(out, int(v)), b[k:]
	}
	if len(b) > 0 {
		return nil
	}
	return out
}

// sum returns the sum of counts.
func sum(counts []int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// countVectors returns how many vectors of zones counts, each from 0 to
// most, sum to total (by inclusion and exclusion; a float64, as it may
// exceed an int).
func countVectors(zones, total, most int) float64 {
	n := 0.0
	for j := 0; j <= zones && j*(most+1) <= total; j++ {
		term := binomial(zones, j) * binomial(total-j*(most+1)+zones-1, zones-1)
		if j%2 == 1 {
			term = -term
		}
		n += term
	}
	return n
}

// binomial returns n choose k as a float64.
func binomial(n, k int) float64 {
	r := 1.0
	for i := range k {
		r = r * float64(n-i) / float64(i+1)
	}
	return r
}
