package capacity

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// search finds the counts of one instance type.
//
// Its probes place the daemons, the steady state and, on top of it, only
// the first maxProbed critical extras: of those that failed in some check
// before, the ones that failed last (the furthest from fitting first,
// among those that failed together). A failure is final; a fit is
// provisional until
// the counts it leads to fit every extra. Whether counts fit is taken to
// grow with the counts, as the binary search the search replaces took
// it, so that a full fit implies those of every probe above it: the
// search then took the steps a search of full checks would have taken.
// When an extra no probe placed fails there, it becomes critical and the
// search goes on from the failures it knows.
type search struct {
	ck     *checker
	b      *builder
	opts   func(*placement.SnapshotOptions)
	checks *atomic.Int64 // shared by every search of a plan
	n      int           // checks this search ran
	// seen holds the outcome of each count vector checked: a search
	// that comes back to a vector does not place it again.
	seen map[string]checked
	// critical are the extras (indexes in ck.extras) that failed in a
	// check, the ones that failed last first.
	critical []int
	// holds is, per workload of ck.ws, how many of its tasks a fresh
	// instance holds beside the daemons: the unit of the estimates.
	holds []int
	// fit is the engine of the last probe that fitted, with its steady
	// state, which a full check of the same counts goes on with.
	fit struct {
		key    string
		e      *placement.Engine
		extras []int // the extras the probe placed
	}
	// cut is set when fewest stopped at its bound (see fewest).
	cut bool
	// trace, when set, is told of every check placed (for tests).
	trace func(instanceType string, counts []int, full bool, o outcome)
}

// checked is the outcome of a check and how much it placed: every extra
// (full), or the probed ones, sorted.
type checked struct {
	outcome
	full   bool
	probed []int
}

// maxProbed is how many of the critical extras a probe places.
const maxProbed = 4

// probing returns the extras a probe places: the first maxProbed of the
// critical ones.
func (s *search) probing() []int {
	return s.critical[:min(len(s.critical), maxProbed)]
}

// sameSet reports whether sorted a holds the elements of b.
func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range b {
		if _, ok := slices.BinarySearch(a, x); !ok {
			return false
		}
	}
	return true
}

func newSearch(ck *checker, b *builder, opts func(*placement.SnapshotOptions), checks *atomic.Int64) *search {
	return &search{ck: ck, b: b, opts: opts, checks: checks}
}

// try checks whether the workloads fit counts[z] instances in zone z:
// with full, placing every extra (the critical ones first, and on past a
// failure, to find every extra that fails), else only the critical ones.
// It places nothing when an earlier check answers: a failure, a full
// check, or a probe of the same critical extras; and it places only the
// other extras when a probe of the same counts fitted last. Every extra
// that fails becomes critical, the first to fail first.
func (s *search) try(ctx context.Context, counts []int, full bool) (outcome, error) {
	// The search reads how far a check was from fitting, never why: the
	// errors it returns explain their failure with a check of their own.
	s.ck.unexplained = true
	defer func() { s.ck.unexplained = false }()
	key := countsKey(counts)
	if c, ok := s.seen[key]; ok && (c.pe != nil || c.full || !full && sameSet(c.probed, s.probing())) {
		return c.outcome, nil
	}
	var o outcome
	if full && s.fit.key == key {
		// The probe of these counts fitted: place the other extras on
		// its steady state.
		o = s.seen[key].outcome
		var rest []int
		for x := range s.ck.extras {
			if !slices.Contains(s.fit.extras, x) {
				rest = append(rest, x)
			}
		}
		pe, failed, measured, err := s.ck.more(ctx, s.fit.e, rest, s.margin, true)
		if err != nil {
			return outcome{}, err
		}
		o.pe, o.failed, o.measured = pe, failed, append(slices.Clone(o.measured), measured...)
	} else {
		extras := slices.Clone(s.probing())
		if full || len(s.critical) == 0 {
			extras = slices.Clone(s.critical)
			for x := range s.ck.extras {
				if !slices.Contains(s.critical, x) {
					extras = append(extras, x)
				}
			}
		}
		snap, err := placement.NewSnapshot(s.b.instances(counts), nil, s.opts)
		if err != nil {
			return outcome{}, err
		}
		s.n++
		s.checks.Add(1)
		var e *placement.Engine
		if o, e, err = s.ck.steady(ctx, snap, extras, s.margin, true); err != nil {
			return outcome{}, err
		}
		if o.pe == nil && !full && len(extras) < len(s.ck.extras) {
			s.fit.key, s.fit.e, s.fit.extras = key, e, slices.Clone(extras)
		}
		full = full || len(extras) == len(s.ck.extras)
	}
	o.extra = -1
	if len(o.failed) > 0 {
		o.extra = o.failed[0]
	}
	if s.trace != nil {
		s.trace(s.b.it.Name, counts, full, o)
	}
	probed := slices.Sorted(slices.Values(s.probing()))
	// The extras that failed are critical, the furthest from fitting
	// first.
	failed := slices.Clone(o.failed)
	slices.SortStableFunc(failed, func(a, b int) int {
		da, _, _ := s.deficit(o, a)
		db, _, _ := s.deficit(o, b)
		return cmp.Compare(db, da)
	})
	for i := len(failed) - 1; i >= 0; i-- {
		s.promote(failed[i])
	}
	if s.seen == nil {
		s.seen = make(map[string]checked)
	}
	s.seen[key] = checked{outcome: o, full: full, probed: probed}
	return o, nil
}

// promote makes extra x critical, and the first of the critical extras.
func (s *search) promote(x int) {
	i := slices.Index(s.critical, x)
	if i < 0 {
		s.critical = append(s.critical, x)
		i = len(s.critical) - 1
	}
	copy(s.critical[1:i+1], s.critical[:i])
	s.critical[0] = x
}

// release lets go of what the search built: its instances, outcomes,
// engine and placements, so that a plan over many types holds those of
// the types being planned only.
func (s *search) release() {
	s.b.pool, s.b.out, s.seen = make([][]ecs.ContainerInstance, len(s.b.azs)), nil, nil
	s.fit.key, s.fit.e, s.fit.extras = "", nil, nil
	s.ck.batch = placement.Batch{}
}

// countsKey encodes counts as a map key.
func countsKey(counts []int) string {
	b := make([]byte, 0, 3*len(counts))
	for _, c := range counts {
		b = binary.AppendUvarint(b, uint64(c))
	}
	return string(b)
}

// margin is how many tasks beyond extra x's count a check places to
// measure the room left, when probes place x: what 16 more instances in
// each zone would hold.
func (s *search) margin(x int) int {
	if !slices.Contains(s.probing(), x) {
		return 0
	}
	return min(16*len(s.b.azs)*s.perInstance(s.ck.extras[x].p), 1<<14)
}

// perInstance returns how many tasks of p a fresh instance holds beside
// the daemons that run on every instance, at least 1.
func (s *search) perInstance(p *prepared) int {
	if s.holds == nil {
		shape := ShapeOf(s.b.it, s.b.trunk)
		for _, d := range s.ck.ws {
			if d.w.Daemon && len(d.w.Constraints) == 0 && len(d.w.TaskDefinition.PlacementConstraints) == 0 {
				shape.CPU -= d.demand.CPU
				shape.MemoryMiB -= d.demand.MemoryMiB
				shape.GPUs -= d.demand.GPUs
				shape.ENIs -= d.demand.ENIs
			}
		}
		s.holds = make([]int, len(s.ck.ws))
		for j := range s.ck.ws {
			s.holds[j] = min(max(shape.holds(s.ck.ws[j].demand), 1), 1<<20)
		}
	}
	return s.holds[p.index(s.ck.ws)]
}

// deficit says how far an outcome is from fitting in a phase, in
// instances: how many the tasks the phase left unplaced would fill
// (positive), or how many the room measured beyond it would (zero or
// negative; with bound, the room filled the margin and may be larger).
// The phase is -2 for the steady state, else an extra's index; ok is
// false when the outcome does not measure it.
func (s *search) deficit(o outcome, phase int) (d float64, bound, ok bool) {
	per := func(p *prepared, tasks int) float64 { return float64(tasks) / float64(s.perInstance(p)) }
	if phase >= 0 {
		for _, m := range o.measured {
			if m.extra == phase {
				p := s.ck.extras[phase].p
				if m.unplaced > 0 {
					return per(p, m.unplaced), false, true
				}
				return -per(p, m.slack), m.capped, true
			}
		}
		return 0, false, false
	}
	if o.pe == nil || o.pe.Phase != PhaseSteady {
		return 0, false, false
	}
	// The services after the one that failed were not placed at all.
	after := false
	for i := range s.ck.ws {
		p := &s.ck.ws[i]
		switch {
		case p.w.Name == o.pe.Workload:
			d, after = per(p, o.pe.Unplaced), true
		case after && !p.w.Daemon:
			d += per(p, p.w.DesiredCount)
		}
	}
	return d, false, after
}

// probed is a count tried by least, and its outcome.
type probed struct {
	x int
	o outcome
}

// least returns the least x above lo for which at(x) fits, where lo
// fails (or stands for no count at all) and hi fits (or is -1 when no
// fitting x is known yet), trying start first and nothing above limit;
// -1 when limit fails. unit is the instances one step of x adds; known
// are counts checked already, which the estimates may use.
//
// The answer is the x where the outcomes turn from failing to fitting.
// The next x is estimated from the deficits of the outcomes (tasks left
// unplaced, or room left, in instances) on a line through the nearest
// two: the estimated least fitting x, or, when that is hi, hi-1 to
// confirm it. While no fitting x is known, each step up is at least
// twice the one before. Once one is, after an estimate the outcome
// contradicts, or after four that did not halve the interval, the next
// step halves it instead (or, while lo is no count at all, steps down
// from hi by doubling steps). So the number of checks stays logarithmic
// in the interval however poor the estimates.
func (s *search) least(ctx context.Context, at func(int) []int, lo, hi, start, limit, unit int, known ...probed) (int, error) {
	pts := slices.Clone(known)
	x, expect, slow, step := start, 0, 0, 1
	probedLo, grow := false, 1 // grow: the least step up while no fit is known
	for {
		o, err := s.try(ctx, at(x), false)
		if err != nil {
			return 0, err
		}
		pts = append(pts, probed{x, o})
		width := hi - lo
		fits := o.pe == nil
		if fits {
			hi = x
		} else {
			if probedLo {
				grow = max(grow, 2*(x-lo))
			}
			lo, probedLo = x, true
		}
		switch {
		case hi >= 0 && hi-lo <= 1:
			return hi, nil
		case hi < 0 && lo >= limit:
			return -1, nil
		}
		if hi >= 0 && width > 0 && 2*(hi-lo) > width {
			slow++
		} else {
			slow = 0
		}
		miss := expect != 0 && (expect > 0) != fits
		est, ok := s.estimate(pts, unit)
		expect = 0
		switch {
		case hi < 0:
			// Up by the estimate, but by at least twice the step before,
			// or twice lo when there is no estimate, as the doubling
			// search this replaces did.
			x = max(lo+grow, lo+1)
			if !ok {
				x = max(x, 2*lo)
			} else {
				x = max(x, est)
			}
		case !ok || miss || slow >= 4:
			slow = 0
			if probedLo {
				x = lo + (hi-lo)/2
			} else { // doubling steps down from hi
				step *= 2
				x = max(hi-step, lo+(hi-lo)/2)
			}
		case est >= hi:
			x, expect = hi-1, -1 // the boundary, if the estimate is right
		default:
			x, expect = est, 1
		}
		x = min(max(x, lo+1), limit)
		if hi >= 0 {
			x = min(x, hi-1)
		}
	}
}

// estimate returns the least x whose deficits the probes so far put at
// or below zero in every phase they measured: the largest of the
// phases' estimates (see estimatePhase).
func (s *search) estimate(pts []probed, unit int) (int, bool) {
	var phases []int
	for _, p := range pts {
		if p.o.pe != nil && p.o.pe.Phase == PhaseSteady && !slices.Contains(phases, -2) {
			phases = append(phases, -2)
		}
		for _, m := range p.o.measured {
			if !slices.Contains(phases, m.extra) {
				phases = append(phases, m.extra)
			}
		}
	}
	best, found := 0, false
	for _, ph := range phases {
		if est, ok := s.estimatePhase(pts, ph, unit); ok && (!found || est > best) {
			best, found = est, true
		}
	}
	return best, found
}

// estimatePhase returns the least x whose deficit in phase the probes
// so far put at or below zero: on the line through the nearest failure
// and the nearest fit when there are both and the fit's room was
// measured in full; else on the line through the two nearest failures,
// or through the nearest with a slope of unit instances a step, but no
// higher than the line to a fit whose room filled the margin (a bound:
// the line to it crosses zero at or after the boundary); else from the
// fits measured in full.
func (s *search) estimatePhase(pts []probed, phase, unit int) (int, bool) {
	type point struct {
		x, d  float64
		bound bool // a fit whose room filled the margin: d is an upper bound
	}
	var below, above, measured []point // failing by x descending; fitting, and those measured in full, by x ascending
	for _, p := range pts {
		d, bound, ok := s.deficit(p.o, phase)
		if !ok {
			continue
		}
		pt := point{float64(p.x), d, bound}
		switch {
		case d > 0:
			below = append(below, pt)
		case bound:
			above = append(above, pt)
		default:
			above = append(above, pt)
			measured = append(measured, pt)
		}
	}
	slices.SortFunc(below, func(a, b point) int { return cmp.Compare(b.x, a.x) })
	slices.SortFunc(above, func(a, b point) int { return cmp.Compare(a.x, b.x) })
	slices.SortFunc(measured, func(a, b point) int { return cmp.Compare(a.x, b.x) })
	// root returns where the line through a and b crosses zero, rounded
	// up, if it goes down to zero.
	root := func(a, b point) (int, bool) {
		if a.x == b.x || a.d <= b.d {
			return 0, false
		}
		r := a.x + a.d*(b.x-a.x)/(a.d-b.d)
		if math.IsNaN(r) || r > float64(math.MaxInt32) || r < -1 {
			return 0, false
		}
		return int(math.Ceil(r)), true
	}
	// From the failures alone: the line through the two nearest, or
	// through the nearest with a slope of unit instances a step.
	var fromFailures int
	okFailures := false
	if len(below) > 1 {
		fromFailures, okFailures = root(below[1], below[0])
	}
	if len(below) > 0 && !okFailures {
		fromFailures, okFailures = root(below[0], point{x: below[0].x + 1, d: below[0].d - float64(unit)})
	}
	switch {
	case len(below) > 0 && len(above) > 0:
		across, ok := root(below[0], above[0])
		if !ok {
			return fromFailures, okFailures
		}
		if !above[0].bound {
			return across, true // both measured: the line across the boundary
		}
		// The fit's room only bounds it: the line across is an upper
		// estimate.
		if okFailures && fromFailures < across {
			return fromFailures, true
		}
		return across, true
	case len(below) > 0:
		return fromFailures, okFailures
	case len(measured) > 1:
		return root(measured[0], measured[1])
	case len(measured) == 1:
		return root(measured[0], point{x: measured[0].x + 1, d: measured[0].d - float64(unit)})
	}
	return 0, false
}

// probe reports, for each workload, why its task fits no instance of the
// type, when it does not: a task definition for another architecture or
// for Windows, or placement's answer for one instance in each zone.
func (s *search) probe(ctx context.Context) (map[int]error, error) {
	out := map[int]error{}
	arch := s.b.it.Architecture
	if arch == "" {
		arch = "x86_64"
	}
	for i, p := range s.ck.ws {
		switch {
		case p.windows:
			out[i] = errors.New("a Windows task: the planner's instances run Linux")
		case p.arch != arch:
			out[i] = fmt.Errorf("an %s task on an %s instance type", p.arch, arch)
		}
	}
	ones := make([]int, len(s.b.azs))
	for z := range ones {
		ones[z] = 1
	}
	snap, err := placement.NewSnapshot(s.b.instances(ones), nil, s.opts)
	if err != nil {
		return nil, err
	}
	fails, err := s.ck.probe(ctx, snap)
	if err != nil {
		return nil, err
	}
	for i, pe := range fails {
		if out[i] == nil {
			out[i] = pe
		}
	}
	return out, nil
}

// uniform returns counts of n in every zone.
func (s *search) uniform(n int) []int {
	c := make([]int, len(s.b.azs))
	for z := range c {
		c[z] = n
	}
	return c
}

// run finds the counts: from the lower bound, the least count that fits
// with the same count in every zone; then, zone by zone from the last,
// the fewest instances the zone can do with, until no zone can lose one.
// The result fits, and fails when any one instance is removed.
//
// The searches probe with the critical extras. The count the uniform
// search ends with is checked with every extra, and so are the counts
// the trim ends with: when an extra fails there, it is critical from
// then on, and the search goes on from what it knows.
func (s *search) run(ctx context.Context) ([]int, error) {
	lb := lowerBound(s.ck, s.b.it, s.b.trunk, len(s.b.azs))
	limit := max(lb, s.taskCount()+1)
	zones := len(s.b.azs)
	for {
		lo, known := s.failedUniform(lb - 1)
		start := lb
		if len(known) > 0 {
			start = lo + 1
			if est, ok := s.estimate(known, zones); ok && est > lo {
				start = min(est, limit)
			}
		}
		n := -1
		if lo < limit {
			var err error
			if n, err = s.least(ctx, s.uniform, lo, -1, start, limit, zones, known...); err != nil {
				return nil, err
			}
		}
		if n < 0 {
			// Say why the largest count fails, in Check's order.
			snap, err := placement.NewSnapshot(s.b.instances(s.uniform(limit)), nil, s.opts)
			if err != nil {
				return nil, err
			}
			o, err := s.ck.run(ctx, snap, nil, nil)
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("no count up to %d per zone holds the workloads: %w", limit, o.pe)
		}
		o, err := s.try(ctx, s.uniform(n), true)
		if err != nil {
			return nil, err
		}
		if o.pe != nil {
			continue // an extra the probes did not place fails: search on above n
		}
		counts, err := s.trim(ctx, s.uniform(n))
		if err != nil {
			return nil, err
		}
		probed := slices.Sorted(slices.Values(s.probing()))
		if o, err = s.try(ctx, counts, true); err != nil {
			return nil, err
		}
		if o.pe == nil {
			return counts, nil
		}
		if sameSet(probed, s.probing()) {
			// Only an extra the probes did not place can fail here.
			return nil, fmt.Errorf("capacity: counts %v fit the probes but not the check: %w", counts, s.explain(ctx, counts, o.pe))
		}
	}
}

// explain returns the failure of a check of counts with placement's
// explanation, or pe when the check does not fail again.
func (s *search) explain(ctx context.Context, counts []int, pe *PlacementError) *PlacementError {
	snap, err := placement.NewSnapshot(s.b.instances(counts), nil, s.opts)
	if err != nil {
		return pe
	}
	if o, err := s.ck.run(ctx, snap, nil, nil); err == nil && o.pe != nil {
		return o.pe
	}
	return pe
}

// failedUniform returns the largest count above lo that failed with the
// same count in every zone, or lo, and the uniform counts checked above
// it that failed: what a search that starts again knows.
func (s *search) failedUniform(lo int) (int, []probed) {
	var known []probed
	for key, c := range s.seen {
		if c.pe == nil {
			continue
		}
		n, ok := uniformKey(key, len(s.b.azs))
		if !ok || n <= lo {
			continue
		}
		known = append(known, probed{n, c.outcome})
	}
	for _, p := range known {
		lo = max(lo, p.x)
	}
	slices.SortFunc(known, func(a, b probed) int { return cmp.Compare(a.x, b.x) })
	return lo, known
}

// uniformKey returns n when key is countsKey of n in each of zones zones.
func uniformKey(key string, zones int) (int, bool) {
	b := []byte(key)
	first, k := binary.Uvarint(b)
	if k <= 0 {
		return 0, false
	}
	for range zones - 1 {
		b = b[k:]
		var v uint64
		if v, k = binary.Uvarint(b); k <= 0 || v != first {
			return 0, false
		}
	}
	return int(first), len(b) == k
}

// trim lowers each zone's count, last zone first, to the least that
// still fits, and repeats until taking one instance from any zone fails.
func (s *search) trim(ctx context.Context, counts []int) ([]int, error) {
	for changed := true; changed; {
		changed = false
		for z := len(counts) - 1; z >= 0; z-- {
			if counts[z] == 0 {
				continue
			}
			at := func(x int) []int {
				c := slices.Clone(counts)
				c[z] = x
				return c
			}
			o, err := s.try(ctx, counts, false) // checked already
			if err != nil {
				return nil, err
			}
			least, err := s.least(ctx, at, -1, counts[z], counts[z]-1, counts[z], 1, probed{counts[z], o})
			if err != nil {
				return nil, err
			}
			if least < counts[z] {
				counts[z], changed = least, true
			}
		}
	}
	return counts, nil
}

// taskCount returns the most tasks live at once in any phase: with one
// task per instance, that many instances in each zone hold them.
func (s *search) taskCount() int {
	steady, peak := 0, s.ck.headroom
	for _, p := range s.ck.ws {
		if !p.w.Daemon {
			steady += p.w.DesiredCount
			peak = max(peak, p.surge)
		}
	}
	return steady + peak
}

// lowerBound returns a count per zone below which the workloads cannot
// fit instances of it: for CPU, memory, GPUs and ENIs, the most the
// steady state plus the largest of the headroom and each surge needs,
// over what an instance offers after the daemons that run on every
// instance; and for a service with static host ports, one instance per
// task at its peak. It is at least 1.
func lowerBound(ck *checker, it ecs.InstanceType, trunk bool, zones int) int {
	return max(ceilDiv(leastInstances(ck, it, trunk, func(p *prepared) int { return p.w.DesiredCount }, true), zones), 1)
}

// leastInstances returns the fewest instances of it, at least 1, that
// can hold tasks(p) tasks of each replica workload (and with peaks the
// largest of the headroom and each surge beside them) for CPU, memory,
// GPUs and ENIs, after the daemons that run on every instance, and for
// a service with static host ports one instance per task.
func leastInstances(ck *checker, it ecs.InstanceType, trunk bool, tasks func(*prepared) int, peaks bool) int {
	enis, _ := it.AwsvpcTaskLimit(trunk)
	offer := [4]int{it.CPU, it.RegisteredMemoryMiB, it.GPUs, enis}
	var steady, peak [4]int
	instances := 1
	dims := func(r ecs.Resources) [4]int { return [4]int{r.CPU, r.MemoryMiB, r.GPUs, r.ENIs} }
	for _, p := range ck.ws {
		d := dims(p.demand)
		if p.w.Daemon {
			if len(p.w.Constraints) == 0 && len(p.w.TaskDefinition.PlacementConstraints) == 0 {
				for k := range offer {
					offer[k] -= d[k]
				}
			}
			continue
		}
		n, surge := tasks(&p), 0
		if peaks {
			surge = p.surge
		}
		for k := range d {
			steady[k] += n * d[k]
			peak[k] = max(peak[k], surge*d[k])
		}
		if p.static {
			instances = max(instances, n+surge)
		}
	}
	if big := ck.big; big != nil && peaks {
		d := dims(big.demand)
		for k := range d {
			peak[k] = max(peak[k], ck.headroom*d[k])
		}
	}
	for k := range offer {
		if need := steady[k] + peak[k]; need > 0 && offer[k] > 0 {
			instances = max(instances, ceilDiv(need, offer[k]))
		}
	}
	return instances
}

// usage is what the steady state takes of the instances, and what they
// registered.
type usage struct {
	cpu, mem, regCPU, regMem int
}

// add counts n tasks of p; u may be nil.
func (u *usage) add(p *prepared, n int) {
	if u != nil {
		u.cpu += n * p.demand.CPU
		u.mem += n * p.demand.MemoryMiB
	}
}

// stranded returns the CPU units and MiB of memory the registration keeps
// unused when the steady state's mix of tasks grows until the more used
// resource is full: regCPU - cpu*regMem/mem when memory is the more used
// (cpu/regCPU < mem/regMem), and the other way round.
func (u usage) stranded() (cpu, mem int) {
	switch l, r := u.cpu*u.regMem, u.mem*u.regCPU; {
	case u.regCPU <= 0 || u.regMem <= 0 || l == r:
		return 0, 0
	case l < r: // memory runs out first
		return u.regCPU - int(int64(u.cpu)*int64(u.regMem)/int64(u.mem)), 0
	default:
		return 0, u.regMem - int(int64(u.mem)*int64(u.regCPU)/int64(u.cpu))
	}
}
