package capacity

import "github.com/ecscore/ecscore/ecs"

// The split of many tasks at once.
//
// After the base, the rule of Splitter.Next is smooth weighted round
// robin: with W the sum of the weights and R the tasks the items with a
// weight hold beyond their base, each item has the score
// s = w·R − W·r, and the scores sum to 0. Each task adds w to every score
// and gives the task to the largest score (the earlier item on a tie),
// whose score then loses W. No formula gives the counts after n tasks in
// general (the split of 16 tasks over weights 1, 1, 1, 11, 11 leaves the
// last item 1.04 tasks below its share while the fourth is 0.04 above
// it: it is not an apportionment of the total), so split uses three
// facts that let it skip almost every task:
//
//  1. A task goes to an item whose score is above -W after it, and a score
//     only falls when its item gets a task; so once every score is above
//     -W it stays so.
//  2. Let g be the greatest common divisor of the weights and P = W/g.
//     When R is a multiple of P every score is a multiple of W; if each is
//     also above -W and they sum to 0, each is 0: each item holds exactly
//     w·R/W. That happens at the first multiple of P at which no item
//     holds more than its share, and at every multiple of P after it.
//  3. From scores all 0, P tasks give each item w/g and return to 0.
//
// So split jumps to that multiple of P, then over whole rounds of P, and
// plays the fewer than P tasks left one by one. Before the jump (when
// the counts a Splitter resumed stray from the rule: an item far ahead of
// its share waits, one far behind catches up) it plays rounds of P tasks
// and, when a block of rounds leaves the items that got tasks with the
// same change of score and the others untouched, repeats that block as
// many times as the others stay out of reach. Playing tasks goes run by
// run: while one item keeps the largest score, its run is counted at
// once. The cost is thus some rounds of at most P ≤ 20,000 tasks (20
// items of weight 1,000), each at most one run per task over at most 20
// items, however many tasks are split.

// split returns how n more tasks divide over the items, without counting
// them.
func (s *Splitter) split(n int) []int {
	got := make([]int, len(s.items))
	if n <= 0 {
		return got
	}
	if s.base >= 0 && s.counts[s.base] < s.items[s.base].Base {
		t := min(n, s.items[s.base].Base-s.counts[s.base])
		got[s.base] += t
		n -= t
	}
	if n == 0 {
		return got
	}
	if s.weight == 0 { // a lone item of weight 0
		got[0] += n
		return got
	}
	r := newRoundRobin(s.items)
	for k, i := range r.items {
		c := s.counts[i] + got[i] - s.items[i].Base
		r.r[k] = int64(max(c, 0))
	}
	for k, x := range r.take(int64(n)) {
		got[r.items[k]] += int(x)
	}
	return got
}

// roundRobin plays the weighted part of a split over the items with a
// weight.
type roundRobin struct {
	items []int   // the strategy's items with a weight, in order
	w     []int64 // their weights
	r     []int64 // their tasks beyond the base
	W, g  int64   // the sum of the weights, and their greatest common divisor
	P     int64   // W/g: tasks in a round
	runs  int64   // runs played, for tests
}

func newRoundRobin(items []ecs.CapacityProviderStrategyItem) *roundRobin {
	r := &roundRobin{items: make([]int, 0, len(items)), w: make([]int64, 0, len(items))}
	for i, it := range items {
		if it.Weight > 0 {
			w := int64(it.Weight)
			r.items = append(r.items, i)
			r.w = append(r.w, w)
			r.W += w
			r.g = gcd(r.g, w)
		}
	}
	r.r = make([]int64, len(r.items))
	r.P = r.W / r.g
	return r
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// take returns the tasks each item gets of n more.
func (r *roundRobin) take(n int64) []int64 {
	m := len(r.items)
	got := make([]int64, m)
	var R int64
	for _, x := range r.r {
		R += x
	}
	s := make([]int64, m) // the scores
	for k := range s {
		s[k] = r.w[k]*R - r.W*r.r[k]
	}
	K, end := R, R+n // tasks beyond the base now, and at the end
	// Up to a multiple of P.
	next := min((K+r.P-1)/r.P*r.P, end)
	r.play(s, got, next-K, nil)
	K = next
	margin := make([]int64, m)
	s0, got0 := make([]int64, m), make([]int64, m)
	for K < end {
		if zero(s) {
			// Fact 3: whole rounds, then what is left.
			q, rest := (end-K)/r.P, (end-K)%r.P
			for k := range got {
				got[k] += q * (r.w[k] / r.g)
			}
			clear(s)
			r.play(s, got, rest, nil)
			return got
		}
		if end-K < r.P {
			r.play(s, got, end-K, nil)
			return got
		}
		// A block of rounds, repeated while it can be.
		copy(s0, s)
		copy(got0, got)
		for k := range margin {
			margin[k] = maxInt64
		}
		for rounds := int64(1); rounds <= int64(2*m+1) && end-K >= r.P; rounds++ {
			r.play(s, got, r.P, margin)
			K += r.P
			if zero(s) {
				break
			}
			if q := r.repeats(s, got, s0, got0, margin, (end-K)/(rounds*r.P)); q > 0 {
				for k := range s {
					s[k] += q * (s[k] - s0[k])
					got[k] += q * (got[k] - got0[k])
				}
				K += q * rounds * r.P
				break
			}
		}
	}
	return got
}

const maxInt64 = 1<<63 - 1

func zero(s []int64) bool {
	for _, x := range s {
		if x != 0 {
			return false
		}
	}
	return true
}

// repeats returns how many more times, up to limit, the block of rounds
// from scores s0 and counts got0 to s and got repeats exactly: 0 unless
// the items that got tasks in it all changed score by the same amount;
// then as many times as each other item, whose score rose relative to
// theirs, stays short of a task (margin: how far short it came in the
// block, at the least).
func (r *roundRobin) repeats(s, got, s0, got0, margin []int64, limit int64) int64 {
	common, set := int64(0), false
	for k := range s {
		if got[k] > got0[k] {
			d := s[k] - s0[k]
			if set && d != common {
				return 0
			}
			common, set = d, true
		}
	}
	q := limit
	for k := range s {
		if got[k] == got0[k] {
			if gain := s[k] - s0[k] - common; gain > 0 {
				q = min(q, margin[k]/gain)
			}
		}
	}
	return q
}

// play gives n tasks by the rule, run by run, from scores s, adding to
// got. With margin, it lowers margin[k] to how short of getting a task
// item k came, for the items that got none.
func (r *roundRobin) play(s, got []int64, n int64, margin []int64) {
	W := r.W
	for n > 0 {
		l := 0 // the leader: the largest score after adding the weights
		for k := 1; k < len(s); k++ {
			if s[k]+r.w[k] > s[l]+r.w[l] {
				l = k
			}
		}
		// The leader keeps every task of its run: before its t+1-th,
		// its lead over k is num - t·den.
		run := n
		for k := range s {
			if k == l {
				continue
			}
			num, den := s[l]-s[k]+r.w[l]-r.w[k], W+r.w[k]-r.w[l]
			if k < l { // a tie goes to k
				num--
			}
			run = min(run, 1+num/den)
		}
		if margin != nil {
			for k := range s {
				if k == l {
					continue
				}
				// The lead at the first and the last task of the run.
				for _, t := range [2]int64{0, run - 1} {
					lead := s[l] + (t+1)*r.w[l] - t*W - s[k] - (t+1)*r.w[k]
					if k < l {
						lead--
					}
					margin[k] = min(margin[k], lead)
				}
			}
		}
		for k := range s {
			s[k] += r.w[k] * run
		}
		s[l] -= W * run
		got[l] += run
		n -= run
		r.runs++
	}
}
