package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Simulation describes a deployment to simulate: the service with the
// deployment to roll out as its PRIMARY one, the cluster and the tasks
// running at the start, and the timing and failures to assume.
type Simulation struct {
	Service         *ecs.Service
	TaskDefinitions map[string]*ecs.TaskDefinition
	Instances       []ecs.ContainerInstance
	Tasks           []ecs.Task
	// NewPlacer returns the Placer for a step's observation; see
	// PlacementPlacer.
	NewPlacer func(Observation) (Placer, error)
	// Timing is the lifecycle model; zero fields take DefaultTiming's.
	Timing Timing
	// Faults are the injected failures; Faults.TaskDefinition defaults to
	// the PRIMARY deployment's.
	Faults Faults
	// Alarms are the deployment alarms' ALARM windows.
	Alarms []AlarmWindow
	// Seed seeds the IDs and placement's tie breaks.
	Seed uint64
	// Start is the simulated start time (default 2026-01-01T00:00:00Z).
	Start time.Time
	// MaxTime bounds the simulated time (default 2 h).
	MaxTime time.Duration
	Options Options
	// OnStep, if set, sees every step's state and result. The state's
	// slices are valid only during the call.
	OnStep func(*State, *Result)
}

// Outcome is how a simulated deployment ends.
type Outcome string

// Outcomes.
const (
	// Completed: the deployment reached steady state.
	Completed Outcome = "COMPLETED"
	// Failed: the circuit breaker or an alarm failed it (with or without
	// a rollback).
	Failed Outcome = "FAILED"
	// Stuck: nothing can change any more (the configuration forbids the
	// next move, or no task can be placed), or MaxTime passed.
	Stuck Outcome = "STUCK"
)

// Report is the outcome and timeline of a simulated deployment; its JSON
// is ecsplan rollout's.
type Report struct {
	Outcome    Outcome `json:"outcome"`
	RolledBack bool    `json:"rolledBack"`
	// DurationSeconds is the simulated time from start to the last step.
	DurationSeconds int64        `json:"durationSeconds"`
	Steps           []StepReport `json:"steps"`
	// Service is the service after the last step.
	Service *ecs.Service `json:"-"`
}

// StepReport is one step: the tasks of the old and new task definitions
// as the step found them, what it started and stopped, its events.
type StepReport struct {
	T       int64    `json:"t"` // seconds from the start
	Old     Counts   `json:"old"`
	New     Counts   `json:"new"`
	Started int      `json:"started"`
	Stopped int      `json:"stopped"`
	Events  []string `json:"events"`
}

// Counts are tasks by state; Healthy counts RUNNING tasks that are
// healthy by the service's rule.
type Counts struct {
	Running int `json:"running"`
	Pending int `json:"pending"`
	Healthy int `json:"healthy"`
}

// Simulate runs the service scheduler on an in-memory runtime under a
// virtual clock until the PRIMARY deployment completes, fails (and its
// rollback, if any, completes), or gets stuck. A step runs at every task
// state change and at every wake-up a step asks for. The same Simulation
// gives the same Report.
func Simulate(ctx context.Context, cfg Simulation) (*Report, error) {
	if cfg.Service == nil || len(cfg.Service.Deployments) == 0 {
		return nil, errNoDeployment
	}
	if cfg.NewPlacer == nil {
		return nil, errors.New("deploy: Simulation.NewPlacer is nil")
	}
	s := newSim(&cfg)
	target := cfg.Service.Deployments[primaryIndex(cfg.Service.Deployments)]
	rep := &Report{}
	d := &Driver{
		Service: cfg.Service, TaskDefinitions: cfg.TaskDefinitions, Runtime: s, Clock: s,
		NewPlacer: cfg.NewPlacer, Memory: NewMemory(cfg.Seed), Options: cfg.Options,
		OnStep: func(st *State, res *Result) {
			rep.Steps = append(rep.Steps, stepReport(st, res, target.TaskDefinition, s.start))
			if cfg.OnStep != nil {
				cfg.OnStep(st, res)
			}
		},
	}
	err := d.Run(ctx, func(res *Result) bool {
		out, done := outcome(res, target.ID)
		if done {
			rep.Outcome = out
		}
		return done
	})
	switch {
	case errors.Is(err, errIdle) || errors.Is(err, errMaxTime):
		rep.Outcome = Stuck
	case err != nil:
		return nil, fmt.Errorf("deploy: simulate: %w", err)
	}
	rep.Service = d.Service
	rep.RolledBack = d.Service.Deployments[0].ID != target.ID
	if rep.Outcome == Stuck && rep.RolledBack {
		rep.Outcome = Failed
	}
	if n := len(rep.Steps); n > 0 {
		rep.DurationSeconds = rep.Steps[n-1].T
	}
	return rep, nil
}

// newSim builds the runtime of a simulation.
func newSim(cfg *Simulation) *sim {
	start := cfg.Start
	if start.IsZero() {
		start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	maxTime := cfg.MaxTime
	if maxTime <= 0 {
		maxTime = 2 * time.Hour
	}
	timing := cfg.Timing
	def := DefaultTiming()
	if timing.StartDelay <= 0 {
		timing.StartDelay = def.StartDelay
	}
	if timing.StopTimeout <= 0 {
		timing.StopTimeout = def.StopTimeout
	}
	faults := cfg.Faults
	if faults.TaskDefinition == "" {
		faults.TaskDefinition = cfg.Service.Deployments[primaryIndex(cfg.Service.Deployments)].TaskDefinition
	}
	s := &sim{
		now: start, start: start, deadline: start.Add(maxTime), timing: timing, faults: faults,
		tds: cfg.TaskDefinitions, byARN: make(map[string]int),
		lb: len(cfg.Service.LoadBalancers) > 0, alarms: cfg.Alarms,
	}
	s.cluster = newSimCluster(cfg.Instances, cfg.Tasks, s.size)
	for _, t := range sortTasks(cfg.Tasks) {
		s.add(t)
		if t.LastStatus == ecs.TaskStatusRunning {
			s.tasks[len(s.tasks)-1].healthy = true
		}
	}
	for _, a := range cfg.Alarms {
		s.schedule(start.Add(a.From), -1, timerWake)
		if a.To > 0 {
			s.schedule(start.Add(a.To), -1, timerWake)
		}
	}
	return s
}

// outcome reports whether a step ends the simulation of deployment id,
// and how.
func outcome(res *Result, id string) (Outcome, bool) {
	prim := &res.Service.Deployments[0]
	switch {
	case prim.ID == id && prim.RolloutState == ecs.DeploymentRolloutStateCompleted:
		return Completed, true
	case prim.ID == id && prim.RolloutState == ecs.DeploymentRolloutStateFailed:
		return Failed, true
	case prim.ID != id && prim.RolloutState != ecs.DeploymentRolloutStateInProgress:
		return Failed, true // the rollback is over
	case res.Blocked:
		return Stuck, true
	}
	return "", false
}

// stepReport summarises a step.
func stepReport(st *State, res *Result, td string, start time.Time) StepReport {
	r := StepReport{T: int64(st.Now.Sub(start) / time.Second), Started: len(res.Start), Stopped: len(res.Stop),
		Events: make([]string, 0, len(res.Events))}
	for _, e := range res.Events {
		r.Events = append(r.Events, e.Message)
	}
	v, err := newView(st)
	if err != nil {
		return r
	}
	for i := range v.tasks {
		tv := &v.tasks[i]
		c := &r.Old
		if sameTaskDefinition(tv.t.TaskDefinitionARN, td) {
			c = &r.New
		}
		switch tv.phase {
		case phaseRunning:
			c.Running++
			if tv.healthy {
				c.Healthy++
			}
		case phasePending:
			c.Pending++
		}
	}
	return r
}
