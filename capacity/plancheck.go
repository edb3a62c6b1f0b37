package capacity

import (
	"context"
	"fmt"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// Phase names a part of a plan's check: what must fit at once.
type Phase string

// The phases, in the order Check runs them. Each surge and the headroom
// are placed on top of the steady state, one at a time, and removed again.
const (
	PhaseDaemon   Phase = "daemon"       // each daemon's task on every instance its constraints admit
	PhaseSteady   Phase = "steady state" // every replica service at its desired count
	PhaseHeadroom Phase = "headroom"     // Headroom more tasks of the largest task's service
	PhaseSurge    Phase = "deployment"   // one service at its maximumPercent
)

// PlacementError says why workloads do not fit a cluster: the phase, the
// workload whose tasks did not all fit, and placement's explanation of the
// first that did not.
type PlacementError struct {
	Phase    Phase
	Workload string
	Tasks    int // tasks the phase asked of the workload
	// Zone is the Availability Zone lost, in PhaseZoneLoss.
	Zone     string
	Unplaced int // of those, not placed
	// Explanation is placement's: reasons, counts, the closest instance.
	Explanation *placement.Explanation
}

// Error returns "capacity: " and the Reason.
func (e *PlacementError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return errPrefix + e.Reason()
}

// Reason returns the phase, the workload, the count and the service event
// ECS would write: the error's message without the package's prefix.
func (e *PlacementError) Reason() string {
	if e == nil {
		return "<nil>"
	}
	msg := fmt.Sprintf("%s: %d of %d tasks of %s not placed", e.Phase, e.Unplaced, e.Tasks, e.Workload)
	if e.Zone != "" {
		msg = fmt.Sprintf("%s of %s: %d of %d tasks of %s not placed on the other zones", e.Phase, e.Zone, e.Unplaced, e.Tasks, e.Workload)
	}
	if ev := e.Explanation.Event(); ev != "" {
		msg += ": " + ev
	}
	return msg
}

// checker places prepared workloads on snapshots.
type checker struct {
	ws       []prepared
	headroom int
	big      *prepared // the largest task, for the headroom
	// extras are the phases placed on top of the steady state and
	// removed again, in Check's order: the headroom, then each replica
	// workload's surge.
	extras []extra
	// batch receives each request's placements: a checker is used by one
	// goroutine at a time.
	batch placement.Batch
	// unexplained leaves the failures of replica tasks without
	// placement's explanation: a search needs only how many did not fit.
	unexplained bool
	// loss is the zone loss the extras check, and zt what the last
	// engine's steady state has in each zone (zoneloss.go).
	loss ZoneLoss
	zt   *zoneTasks
	// perZone, when set, counts the steady state's tasks per zone
	// (planzone.go): set for one placement of a plan's counts only.
	perZone *zoneCount
}

// extra is one phase on top of the steady state: count more tasks of p.
type extra struct {
	p     *prepared
	count int
	phase Phase
	zone  string // in PhaseZoneLoss, the zone lost
}

func newChecker(ws []prepared, headroom int) *checker {
	c := &checker{ws: ws, headroom: headroom, big: largestTask(ws)}
	if c.big != nil && headroom > 0 {
		c.extras = append(c.extras, extra{p: c.big, count: headroom, phase: PhaseHeadroom})
	}
	for i := range ws {
		if p := &ws[i]; !p.w.Daemon && p.surge > 0 {
			c.extras = append(c.extras, extra{p: p, count: p.surge, phase: PhaseSurge})
		}
	}
	return c
}

func request(p *prepared, count int) *placement.Request {
	return &placement.Request{
		TaskDefinition: p.w.TaskDefinition, Count: count, Service: p.w.Name,
		Strategy: p.w.Strategy, Constraints: p.w.Constraints, Seed: 1,
	}
}

// daemons places each daemon on every instance. An instance that turns a
// daemon away only for its placement constraints is not the daemon's; any
// other reason is a failure. It adds what the daemon tasks placed take to
// u when u is not nil.
func (c *checker) daemons(ctx context.Context, e *placement.Engine, u *usage, fail func(int, *PlacementError)) error {
	for i := range c.ws {
		p := &c.ws[i]
		if !p.w.Daemon {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		b := &c.batch
		if err := e.PlaceDaemonInto(b, request(p, 1)); err != nil {
			return &workloadError{workload: p.w.Name, err: err}
		}
		u.add(p, b.Len())
		c.perZone.add(b, p)
		if b.Explanation == nil {
			continue
		}
		short := 0
		for _, f := range b.Explanation.Failures {
			if f.Reason != placement.MemberOfUnsatisfied && f.Reason != placement.DistinctInstanceUnsatisfied {
				short++
			}
		}
		if short > 0 {
			fail(i, &PlacementError{Phase: PhaseDaemon, Workload: p.w.Name,
				Tasks: b.Len() + b.Unplaced, Unplaced: short, Explanation: b.Explanation})
		}
	}
	return nil
}

// place places count tasks of p in one request; with undo it then stops
// them again.
func (c *checker) place(e *placement.Engine, p *prepared, count int, phase Phase, undo bool) (*PlacementError, error) {
	pe, _, err := c.placeMore(e, p, count, 0, phase, undo)
	return pe, err
}

// placeMore places count tasks of p and, when they all fit, up to more
// tasks beyond them, in one request; with undo it then stops them again.
// It returns the failure to place the count, and how many of the more
// tasks fitted. A request places its tasks one after another and stops
// at the first that does not fit, so its first count placements are
// those of a request for count tasks. The tasks are placed into the
// checker's Batch, which holds them without allocating per task.
func (c *checker) placeMore(e *placement.Engine, p *prepared, count, more int, phase Phase, undo bool) (*PlacementError, int, error) {
	if count <= 0 {
		return nil, 0, nil
	}
	b := &c.batch
	b.Unexplained = c.unexplained
	if err := e.PlaceInto(b, request(p, count+max(more, 0))); err != nil {
		return nil, 0, &workloadError{workload: p.w.Name, err: err}
	}
	if undo {
		for k := range b.Len() {
			if err := e.Stop(b.Task(k)); err != nil {
				return nil, 0, err
			}
		}
	}
	placed := b.Len()
	if placed < count {
		return &PlacementError{Phase: phase, Workload: p.w.Name, Tasks: count,
			Unplaced: count - placed, Explanation: b.Explanation}, 0, nil
	}
	return nil, placed - count, nil
}

// outcome is the result of one run of a checker.
type outcome struct {
	pe *PlacementError // the first failure, or nil
	// extra is the index in checker.extras of the extra that failed, or
	// -1; failed are all the extras that failed, when a check went on
	// after the first.
	extra  int
	failed []int
	// measured says, for each extra placed, how far it was from fitting.
	measured []measure
	u        usage // what the steady state takes, when it fitted
}

// measure is how far one extra was from fitting: the tasks it left
// unplaced, or the tasks beyond its count that fitted too, up to the
// margin asked (capped: all of them did, none when the margin was 0, and
// the room may be larger).
type measure struct {
	extra           int
	unplaced, slack int
	capped          bool
}

// run checks that the workloads fit snap: the daemons, then the steady
// state, then on top of it the headroom and each service's surge, one at
// a time. The outcome has the first failure, or none, and what the
// steady state takes of the instances (their registration is the
// caller's to add).
//
// extras, when not nil, are the indexes in c.extras of the extras to
// place, in this order; nil means every extra in Check's order. Whether
// the workloads fit does not depend on the order of the extras, each of
// which is removed again before the next, but a search that places
// first the phase that failed last finds a failure sooner. The failure
// reported is the first in the order given. When an extra x fits, up to
// margin(x) more of its tasks are placed too (none when margin is nil),
// to measure the room left.
func (c *checker) run(ctx context.Context, snap *placement.Snapshot, extras []int, margin func(int) int) (outcome, error) {
	out, _, err := c.steady(ctx, snap, extras, margin, false)
	return out, err
}

// steady is run, which also returns the engine with the steady state
// placed when the steady state fits, for more to place other extras on;
// with all, it places every extra of extras even after one failed.
func (c *checker) steady(ctx context.Context, snap *placement.Snapshot, extras []int, margin func(int) int, all bool) (outcome, *placement.Engine, error) {
	out := outcome{extra: -1}
	e := placement.NewEngine(snap, func(o *placement.EngineOptions) { o.Tasks = c.tasks(snap, margin) })
	u := &out.u
	if err := c.daemons(ctx, e, u, func(_ int, f *PlacementError) { out.pe = cmpOr(out.pe, f) }); err != nil || out.pe != nil {
		return out, nil, err
	}
	for i := range c.ws {
		p := &c.ws[i]
		if p.w.Daemon {
			continue
		}
		if err := ctx.Err(); err != nil {
			return out, nil, err
		}
		pe, err := c.place(e, p, p.w.DesiredCount, PhaseSteady, false)
		if pe != nil || err != nil {
			out.pe = pe
			return out, nil, err
		}
		u.add(p, p.w.DesiredCount)
		c.perZone.add(&c.batch, p)
	}
	if extras == nil {
		extras = make([]int, len(c.extras))
		for x := range extras {
			extras[x] = x
		}
	}
	var err error
	if out.pe, out.failed, out.measured, err = c.more(ctx, e, extras, margin, all); err != nil {
		return out, nil, err
	}
	if len(out.failed) > 0 {
		out.extra = out.failed[0]
	}
	return out, e, nil
}

// tasks returns how many tasks a check on snap holds at once, at most:
// a daemon's on every instance, the replicas' steady state, and the
// largest extra with its margin.
func (c *checker) tasks(snap *placement.Snapshot, margin func(int) int) int {
	n, peak := 0, 0
	for i := range c.ws {
		if p := &c.ws[i]; p.w.Daemon {
			n += snap.Len()
		} else {
			n += p.w.DesiredCount
		}
	}
	for x, ex := range c.extras {
		m := 0
		if margin != nil {
			m = max(margin(x), 0)
		}
		peak = max(peak, ex.count+m)
	}
	return n + peak
}

// more places on e each extra of extras (indexes in c.extras) in turn,
// and up to margin(extra) more of its tasks when it fits (none when
// margin is nil), and removes them again, until one fails, or with all through the last: the first
// failure, the extras that failed, and how far each extra placed was
// from fitting.
func (c *checker) more(ctx context.Context, e *placement.Engine, extras []int, margin func(int) int, all bool) (first *PlacementError, failed []int, measured []measure, err error) {
	for _, x := range extras {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		ex := &c.extras[x]
		more := 0
		if margin != nil {
			more = margin(x)
		}
		pe, n, unplaced, err := c.placeExtra(e, ex, more)
		if err != nil {
			return nil, nil, nil, err
		}
		m := measure{extra: x, slack: n, capped: n == more}
		if pe != nil {
			m = measure{extra: x, unplaced: unplaced}
			first = cmpOr(first, pe)
			failed = append(failed, x)
		}
		measured = append(measured, m)
		if pe != nil && !all {
			break
		}
	}
	return first, failed, measured, nil
}

// probe asks whether each workload's task fits an instance at all: the
// daemons on every instance, then one task of each replica workload,
// stopped again before the next. It returns the failures by workload
// index.
func (c *checker) probe(ctx context.Context, snap *placement.Snapshot) (map[int]*PlacementError, error) {
	e := placement.NewEngine(snap)
	out := map[int]*PlacementError{}
	if err := c.daemons(ctx, e, nil, func(i int, pe *PlacementError) { out[i] = pe }); err != nil {
		return nil, err
	}
	for i := range c.ws {
		p := &c.ws[i]
		if p.w.Daemon {
			continue
		}
		pe, err := c.place(e, p, 1, PhaseSteady, true)
		if err != nil {
			return nil, err
		}
		if pe != nil {
			out[i] = pe
		}
	}
	return out, nil
}

func cmpOr(a, b *PlacementError) *PlacementError {
	if a != nil {
		return a
	}
	return b
}

// Check reports whether workloads fit instances as a plan requires:
// each daemon's task on every instance its constraints admit (they are
// placed first, as ECS places daemons first); every replica service at
// its desired count, services in order of task size, the largest first;
// on top of that, Headroom more tasks of the service with the largest task;
// and, one service at a time, each service at its deployment's peak,
// ⌊desired × maximumPercent / 100⌋ tasks; with SurviveZoneLoss, the loss
// of each zone of the instances (PhaseZoneLoss). All placement is the
// placement package's, with each service's strategy and constraints. The result is
// nil, a *PlacementError naming the first thing that did not fit, or an
// error for a workload placement would refuse.
func (p *Planner) Check(ctx context.Context, workloads []Workload, instances []ecs.ContainerInstance) error {
	if p == nil {
		p = &Planner{} // a nil Planner plans as the zero one
	}
	ws, err := p.prepare(workloads)
	if err != nil {
		return err
	}
	snap, err := placement.NewSnapshot(instances, nil, p.snapshotOptions())
	if err != nil {
		return err
	}
	// Instances in one zone only fail the zone loss, which leaves none.
	zones := zonesOf(instances)
	if err := validZoneLoss(p.o.SurviveZoneLoss, max(len(zones), 2)); err != nil {
		return err
	}
	out, err := newChecker(ws, p.o.Headroom).survive(p.o.SurviveZoneLoss, zones).run(ctx, snap, nil, nil)
	if err != nil {
		return err
	}
	if out.pe != nil {
		return out.pe
	}
	return nil
}
