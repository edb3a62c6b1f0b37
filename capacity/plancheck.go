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
	Unplaced int // of those, not placed
	// Explanation is placement's: reasons, counts, the closest instance.
	Explanation *placement.Explanation
}

// Error returns "capacity: " and the Reason.
func (e *PlacementError) Error() string {
	return errPrefix + e.Reason()
}

// Reason returns the phase, the workload, the count and the service event
// ECS would write: the error's message without the package's prefix.
func (e *PlacementError) Reason() string {
	msg := fmt.Sprintf("%s: %d of %d tasks of %s not placed", e.Phase, e.Unplaced, e.Tasks, e.Workload)
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
}

func newChecker(ws []prepared, headroom int) *checker {
	return &checker{ws: ws, headroom: headroom, big: largestTask(ws)}
}

func request(p *prepared, count int) *placement.Request {
	return &placement.Request{
		TaskDefinition: p.w.TaskDefinition, Count: count, Service: p.w.Name,
		Strategy: p.w.Strategy, Constraints: p.w.Constraints, Seed: 1,
	}
}

// daemons places each daemon on every instance. An instance that turns a
// daemon away only for its placement constraints is not the daemon's; any
// other reason is a failure.
func (c *checker) daemons(ctx context.Context, e *placement.Engine, fail func(int, *PlacementError)) error {
	for i := range c.ws {
		p := &c.ws[i]
		if !p.w.Daemon {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := e.PlaceDaemon(request(p, 1))
		if err != nil {
			return &workloadError{workload: p.w.Name, err: err}
		}
		if res.Explanation == nil {
			continue
		}
		short := 0
		for _, f := range res.Explanation.Failures {
			if f.Reason != placement.MemberOfUnsatisfied && f.Reason != placement.DistinctInstanceUnsatisfied {
				short++
			}
		}
		if short > 0 {
			fail(i, &PlacementError{Phase: PhaseDaemon, Workload: p.w.Name,
				Tasks: len(res.Placements) + res.Unplaced, Unplaced: short, Explanation: res.Explanation})
		}
	}
	return nil
}

// place places count tasks of p; with undo it then stops them again.
func place(e *placement.Engine, p *prepared, count int, phase Phase, undo bool) (*PlacementError, error) {
	if count == 0 {
		return nil, nil
	}
	res, err := e.Place(request(p, count))
	if err != nil {
		return nil, &workloadError{workload: p.w.Name, err: err}
	}
	if undo {
		for _, pl := range res.Placements {
			if err := e.Stop(pl.Task); err != nil {
				return nil, err
			}
		}
	}
	if res.Unplaced > 0 {
		return &PlacementError{Phase: phase, Workload: p.w.Name, Tasks: count,
			Unplaced: res.Unplaced, Explanation: res.Explanation}, nil
	}
	return nil, nil
}

// run checks that the workloads fit snap: the daemons, then the steady
// state, then on top of it the headroom and each service's surge, one at
// a time. It returns the first failure, or nil. When u is not nil it
// records what the steady state takes.
func (c *checker) run(ctx context.Context, snap *placement.Snapshot, u *usage) (*PlacementError, error) {
	e := placement.NewEngine(snap, nil)
	var first *PlacementError
	if err := c.daemons(ctx, e, func(_ int, pe *PlacementError) { first = cmpOr(first, pe) }); err != nil || first != nil {
		return first, err
	}
	for i := range c.ws {
		p := &c.ws[i]
		if p.w.Daemon {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if pe, err := place(e, p, p.w.DesiredCount, PhaseSteady, false); pe != nil || err != nil {
			return pe, err
		}
	}
	if u != nil {
		for st := range e.Instances() {
			u.regCPU += st.RegisteredCPU
			u.regMem += st.RegisteredMemoryMiB
			u.cpu += st.RegisteredCPU - st.CPU
			u.mem += st.RegisteredMemoryMiB - st.MemoryMiB
		}
	}
	if c.big != nil {
		if pe, err := place(e, c.big, c.headroom, PhaseHeadroom, true); pe != nil || err != nil {
			return pe, err
		}
	}
	for i := range c.ws {
		p := &c.ws[i]
		if p.w.Daemon {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if pe, err := place(e, p, p.surge, PhaseSurge, true); pe != nil || err != nil {
			return pe, err
		}
	}
	return nil, nil
}

// probe asks whether each workload's task fits an instance at all: the
// daemons on every instance, then one task of each replica workload,
// stopped again before the next. It returns the failures by workload
// index.
func (c *checker) probe(ctx context.Context, snap *placement.Snapshot) (map[int]*PlacementError, error) {
	e := placement.NewEngine(snap, nil)
	out := map[int]*PlacementError{}
	if err := c.daemons(ctx, e, func(i int, pe *PlacementError) { out[i] = pe }); err != nil {
		return nil, err
	}
	for i := range c.ws {
		p := &c.ws[i]
		if p.w.Daemon {
			continue
		}
		pe, err := place(e, p, 1, PhaseSteady, true)
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
// ⌊desired × maximumPercent / 100⌋ tasks. All placement is the placement
// package's, with each service's strategy and constraints. The result is
// nil, a *PlacementError naming the first thing that did not fit, or an
// error for a workload placement would refuse.
func (p *Planner) Check(ctx context.Context, workloads []Workload, instances []ecs.ContainerInstance) error {
	ws, err := prepare(workloads)
	if err != nil {
		return err
	}
	snap, err := placement.NewSnapshot(instances, nil, p.snapshotOptions())
	if err != nil {
		return err
	}
	pe, err := newChecker(ws, p.Headroom).run(ctx, snap, nil)
	if err != nil {
		return err
	}
	if pe != nil {
		return pe
	}
	return nil
}
