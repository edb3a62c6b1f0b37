package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Runtime is the world a Driver acts on: it starts and stops tasks and
// reports their state. Start and stop must be idempotent per task ARN: the
// Driver may ask again for a task whose earlier call failed.
type Runtime interface {
	// Observe returns the current state of the service's tasks and of the
	// cluster. Tasks that stopped since the previous call must appear at
	// least once as STOPPED.
	Observe(ctx context.Context) (Observation, error)
	// StartTask starts a task where its PlacedTask says.
	StartTask(ctx context.Context, s Start) error
	// StopTask stops a task with the stop code and reason given.
	StopTask(ctx context.Context, s Stop) error
	// Changes receives a value when the state Observe reports changes.
	// It may return nil when the Clock alone tells time, as a simulation's
	// does.
	Changes() <-chan struct{}
}

// Observation is what a Runtime reports.
type Observation struct {
	// Tasks are the service's tasks as describe-tasks shows them.
	Tasks []ecs.Task
	// Instances are the cluster's container instances. Step reads their
	// ARN, status and attributes; PlacementPlacer also reads their
	// remaining resources, while EnginePlacer asks its engine, so a
	// Runtime that keeps an engine may leave them out.
	Instances []ecs.ContainerInstance
	Targets   map[string]TargetHealth // by task ARN, for load balancers
	Discovery map[string]string       // State.Discovery: tasks failing their Cloud Map health check
	Alarms    []string                // deployment alarms in ALARM
	Hold      string                  // State.Hold: the deployment held beside the older ones
	HoldStart bool                    // State.HoldStart: it starts no task yet
}

// Clock tells the Driver the time and lets it wait.
type Clock interface {
	Now() time.Time
	// Wait returns when the time reaches until (never, if until is zero),
	// when changed receives, or with ctx's error when ctx is done.
	Wait(ctx context.Context, until time.Time, changed <-chan struct{}) error
}

// SystemClock is the Clock of the real world.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Wait waits for until, changed or ctx.
func (SystemClock) Wait(ctx context.Context, until time.Time, changed <-chan struct{}) error {
	var timer <-chan time.Time
	if !until.IsZero() {
		t := time.NewTimer(time.Until(until))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer:
	case <-changed:
	}
	return nil
}

// ApplyError reports a Runtime call that failed. The Driver keeps what
// the step did before the call and computes the next step afresh from a
// new observation, so nothing is applied twice.
type ApplyError struct {
	Op      string // "observe", "start" or "stop"
	TaskARN string
	Err     error
}

// Error returns the operation, the task and the Runtime's error ("<nil>"
// for a nil *ApplyError, and "<nil>" for its missing error).
func (e *ApplyError) Error() string {
	if e == nil {
		return "<nil>"
	}
	cause := "<nil>"
	if e.Err != nil {
		cause = e.Err.Error()
	}
	if e.TaskARN == "" {
		return "deploy: " + e.Op + ": " + cause
	}
	return "deploy: " + e.Op + " " + e.TaskARN + ": " + cause
}

// Unwrap returns the Runtime's error (nil for a nil *ApplyError).
func (e *ApplyError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Driver runs the service scheduler against a Runtime: observe, Step,
// apply, wait for a change or the step's wake-up time, again. Runtime,
// Clock and NewPlacer are required: Step and Run of a Driver without one
// (the zero Driver, or a nil one) return an error that names it.
type Driver struct {
	// Service is the service, updated after every step.
	Service *ecs.Service
	// TaskDefinitions holds the deployments' task definitions by ARN.
	TaskDefinitions map[string]*ecs.TaskDefinition
	Runtime         Runtime
	Clock           Clock
	// NewPlacer returns the Placer for a step's observation.
	NewPlacer func(Observation) (Placer, error)
	// Memory is the scheduler's memory, updated after every step.
	Memory  Memory
	Options Options
	// RetryDelay is the wait after a failed Runtime call (default 5 s).
	RetryDelay time.Duration
	// OnStep, if set, sees every step's state and result.
	OnStep func(*State, *Result)
}

// Step runs one step: it observes, computes the step, applies it (stops
// first, then starts) and keeps the result. When a Runtime call fails it
// keeps what was applied before the failure and returns an *ApplyError;
// the next Step starts again from a fresh observation.
func (d *Driver) Step(ctx context.Context) (*Result, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	obs, err := d.Runtime.Observe(ctx)
	if err != nil {
		return nil, &ApplyError{Op: "observe", Err: err}
	}
	placer, err := d.NewPlacer(obs)
	if err != nil {
		return nil, fmt.Errorf("deploy: placer: %w", err)
	}
	st := &State{
		Service: d.Service, Tasks: obs.Tasks, TaskDefinitions: d.TaskDefinitions,
		Instances: obs.Instances, Placer: placer, Targets: obs.Targets, Discovery: obs.Discovery, Alarms: obs.Alarms, Hold: obs.Hold, HoldStart: obs.HoldStart,
		Now: d.Clock.Now(), Memory: d.Memory, Options: d.Options,
	}
	res, err := Step(st)
	if err != nil {
		return nil, err
	}
	stops, starts, err := d.apply(ctx, res)
	if err != nil {
		res = partial(res, d.Service, stops, starts)
	}
	d.Service, d.Memory = res.Service, res.Memory
	if d.OnStep != nil {
		d.OnStep(st, res)
	}
	return res, err
}

// check refuses a Driver without what it needs to step.
func (d *Driver) check() error {
	switch {
	case d == nil:
		return errors.New("deploy: the Driver is nil")
	case d.Runtime == nil:
		return errors.New("deploy: Driver.Runtime is nil")
	case d.Clock == nil:
		return errors.New("deploy: Driver.Clock is nil")
	case d.NewPlacer == nil:
		return errors.New("deploy: Driver.NewPlacer is nil")
	}
	return nil
}

// apply makes the Runtime calls of res and returns how many stops and
// starts succeeded.
func (d *Driver) apply(ctx context.Context, res *Result) (stops, starts int, err error) {
	for _, s := range res.Stop {
		if err := ctx.Err(); err != nil {
			return stops, 0, err
		}
		if err := d.Runtime.StopTask(ctx, s); err != nil {
			return stops, 0, &ApplyError{Op: "stop", TaskARN: s.TaskARN, Err: err}
		}
		stops++
	}
	for _, s := range res.Start {
		if err := ctx.Err(); err != nil {
			return stops, starts, err
		}
		if err := d.Runtime.StartTask(ctx, s); err != nil {
			return stops, starts, &ApplyError{Op: "start", TaskARN: s.TaskARN, Err: err}
		}
		starts++
	}
	return stops, starts, nil
}

// Run steps until done reports true for a step's result, ctx is done, or
// a step fails for a reason other than a Runtime call (which it retries
// after RetryDelay). Between steps it waits for the Runtime to change or
// for the step's wake-up time.
func (d *Driver) Run(ctx context.Context, done func(*Result) bool) error {
	if err := d.check(); err != nil {
		return err
	}
	for {
		res, err := d.Step(ctx)
		var ae *ApplyError
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &ae):
			retry := d.RetryDelay
			if retry <= 0 {
				retry = 5 * time.Second
			}
			if err := d.Clock.Wait(ctx, d.Clock.Now().Add(retry), nil); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		case done != nil && done(res):
			return nil
		}
		if err := d.Clock.Wait(ctx, res.Wake, d.Runtime.Changes()); err != nil {
			return err
		}
	}
}

// partial returns res cut to the stops and starts that were applied. When
// all the stops (or starts) were applied, their events stay as they are;
// when some were not, the events of stops (or starts) are rewritten as
// EventStopped (or EventStarted) events naming only those applied, and
// Availability Zone rebalancing's own event of the task goes with them.
// Events of other kinds stay as they are.
func partial(res *Result, before *ecs.Service, stops, starts int) *Result {
	out := *res
	out.Stop, out.Start = res.Stop[:stops], res.Start[:starts]
	name := res.Service.ServiceName
	mem := res.Memory
	allStops, allStarts := stops == len(res.Stop), starts == len(res.Start)
	var events []ecs.ServiceEvent
	var kinds []EventKind
	for i, e := range res.Events {
		k := EventOther
		if i < len(res.Kinds) {
			k = res.Kinds[i]
		}
		switch k {
		case EventStopped, EventRebalanceStopped:
			if !allStops {
				continue // written again below
			}
		case EventStarted, EventRebalanceStarted:
			if !allStarts {
				continue
			}
		}
		events, kinds = append(events, e), append(kinds, k)
	}
	var now ecs.Time
	if len(res.Events) > 0 {
		now = res.Events[0].CreatedAt
	}
	add := func(evs []event) {
		for _, e := range evs {
			events = append(events, ecs.ServiceEvent{ID: mem.eventID(), CreatedAt: now, Message: e.msg})
			kinds = append(kinds, e.kind)
		}
	}
	if !allStops {
		add(chunked(out.Stop, func(s Stop) string { return s.TaskARN }, func(ids []string) event { return stoppedEvent(name, ids) }))
	}
	if !allStarts {
		add(chunked(out.Start, func(s Start) string { return s.TaskARN }, func(ids []string) event { return startedEvent(name, ids) }))
	}
	out.Events, out.Kinds, out.Memory = events, kinds, mem
	svc := *res.Service
	svc.Events = nil
	for i := len(events) - 1; i >= 0 && len(svc.Events) < maxEvents; i-- {
		svc.Events = append(svc.Events, events[i])
	}
	for i := 0; i < len(before.Events) && len(svc.Events) < maxEvents; i++ {
		svc.Events = append(svc.Events, before.Events[i])
	}
	out.Service = &svc
	return &out
}
