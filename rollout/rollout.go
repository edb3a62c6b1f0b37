package rollout

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

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
	// next move, or no task can be placed), or the time limit passed.
	Stuck Outcome = "STUCK"
)

// Report is the outcome and timeline of a simulated deployment; its JSON
// is ecsplan rollout's.
type Report struct {
	Outcome    Outcome `json:"outcome"`
	RolledBack bool    `json:"rolledBack"`
	// Start is the simulated time the deployment starts at: the steps'
	// T and the stages' times count from it.
	Start ecs.Time `json:"start"`
	// DurationSeconds is the simulated time from the start to the last
	// step.
	DurationSeconds int64        `json:"durationSeconds"`
	Steps           []StepReport `json:"steps"`
	// PeakTasks is the most tasks running or pending at once (old and
	// new side by side): the capacity the deployment needs.
	PeakTasks int `json:"peakTasks"`
	// Stages are the lifecycle stages of a BLUE_GREEN, LINEAR or CANARY
	// deployment, with the traffic split from each on (none for
	// ROLLING).
	Stages []ecstest.StageRecord `json:"stages,omitempty"`
	// Service is the service after the last step.
	Service *ecs.Service `json:"-"`
}

// StepReport is one step of the service scheduler: the tasks of the old
// and new task definitions as the step found them, what it started and
// stopped, and its events.
type StepReport struct {
	T       int64    `json:"t"` // seconds from the start
	Old     Counts   `json:"old"`
	New     Counts   `json:"new"`
	Started int      `json:"started"`
	Stopped int      `json:"stopped"`
	Events  []string `json:"events"`
	// LifecycleStage and Production are the stage of a BLUE_GREEN,
	// LINEAR or CANARY deployment at the step and the production traffic
	// split (absent for ROLLING).
	LifecycleStage ecs.ServiceDeploymentLifecycleStage `json:"lifecycleStage,omitempty"`
	Production     *ecstest.Weights                    `json:"production,omitempty"`
}

// Counts are tasks by state, as the scheduler counts them
// (deploy.ViewTasks): Running and Pending count those not asked to stop,
// and Healthy the RUNNING ones that are healthy by the service's rule.
type Counts struct {
	Running int `json:"running"`
	Pending int `json:"pending"`
	Healthy int `json:"healthy"`
}

// defaultStart is when a simulation starts unless WithStart says.
var defaultStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// DefaultMaxTime is the simulated time after which a deployment still
// going counts as Stuck, unless WithMaxTime says.
const DefaultMaxTime = 2 * time.Hour

// Timing returns the lifecycle of a simulation as ecstest's Timing: a
// task takes startDelay from its start to RUNNING, all of it pulling its
// images (PENDING), so that one that fails to start is STOPPED then too;
// a task stopped before RUNNING is STOPPED at once; a RUNNING task that
// is stopped takes its stop timeout (its containers' longest stopTimeout,
// else stopTimeout, the agent's) to stop, as containers that do not exit
// on SIGTERM do. The health checks are ecstest's: a task with an essential
// container health check turns HEALTHY startPeriod + interval after
// RUNNING, or UNHEALTHY startPeriod + interval × retries after it when
// its checks fail; one without is healthy by the 40-second rule.
func Timing(startDelay, stopTimeout time.Duration) ecstest.Timing {
	return ecstest.Timing{
		Pending:     startDelay,
		Stopping:    time.Duration(math.MaxInt64), // longer than any stop timeout
		StopTimeout: stopTimeout,
	}
}

// DefaultTiming returns Timing(30 s, 30 s): 30 seconds to RUNNING and
// the agent's default stop timeout.
func DefaultTiming() ecstest.Timing { return Timing(30*time.Second, 30*time.Second) }

// Options configure a simulation. Simulate starts from the defaults each
// member names and then runs its option functions on them, in order.
type Options struct {
	// Tasks are the service's tasks as describe-tasks shows them, on the
	// instances given to Simulate. When nil, the service runs, since an
	// hour before the start, as many RUNNING tasks of the old task
	// definition as its PRIMARY deployment's runningCount (else its
	// desiredCount), placed as the placement package would place them
	// (deploy.RunningTasks), healthy.
	Tasks []ecs.Task
	// Timing is the lifecycle timing (default DefaultTiming()).
	Timing ecstest.Timing
	// Faults are failures injected into the tasks as they start, in
	// order (ecstest.ECS.InjectTaskFaults): the first FailToStart tasks
	// of the task definition stop before RUNNING, and of those that
	// start, the first FailHealthChecks fail their health checks. A fault
	// that names no task definition applies to the new one.
	Faults []ecstest.TaskFaults
	// Alarms are CloudWatch alarms in ALARM for a while. The deployment
	// fails while an alarm its deployment configuration watches is in
	// ALARM.
	Alarms []Alarm
	// Seed is the seed of the task and event IDs and of placement's tie
	// breaks (default 0). The same inputs and seed give the same Report.
	Seed uint64
	// Start is the simulated time of the start (default
	// 2026-01-01T00:00:00Z).
	Start time.Time
	// MaxTime bounds the simulated time (default DefaultMaxTime): a
	// deployment still going then is Stuck.
	MaxTime time.Duration
	// Scheduler tunes the scheduler's quotas and timings (the launch
	// rate, the bake time of a deployment with alarms); the zero value
	// is ECS's.
	Scheduler deploy.Options
	// OnStep, when set, sees every step's state and result. The state's
	// slices are valid only during the call.
	OnStep func(*deploy.State, *deploy.Result)
}

// Alarm is a CloudWatch alarm in ALARM from From to To, measured from the
// start (To 0: until the end).
type Alarm struct {
	Name     string
	From, To time.Duration
}

// WithTasks is the option that sets Options.Tasks (an empty list when
// tasks is nil: the service runs no task).
func WithTasks(tasks []ecs.Task) func(*Options) {
	return func(o *Options) {
		if tasks == nil {
			tasks = []ecs.Task{}
		}
		o.Tasks = tasks
	}
}

// WithTiming is the option that sets Options.Timing.
func WithTiming(t ecstest.Timing) func(*Options) { return func(o *Options) { o.Timing = t } }

// WithFaults is the option that adds f to Options.Faults.
func WithFaults(f ...ecstest.TaskFaults) func(*Options) {
	return func(o *Options) { o.Faults = append(o.Faults, f...) }
}

// WithAlarm is the option that adds an Alarm to Options.Alarms: the
// alarm called name is in ALARM from from to to after the start (to 0:
// until the end).
func WithAlarm(name string, from, to time.Duration) func(*Options) {
	return func(o *Options) { o.Alarms = append(o.Alarms, Alarm{name, from, to}) }
}

// WithSeed is the option that sets Options.Seed.
func WithSeed(seed uint64) func(*Options) { return func(o *Options) { o.Seed = seed } }

// WithStart is the option that sets Options.Start.
func WithStart(t time.Time) func(*Options) { return func(o *Options) { o.Start = t } }

// WithMaxTime is the option that sets Options.MaxTime.
func WithMaxTime(d time.Duration) func(*Options) { return func(o *Options) { o.MaxTime = d } }

// WithSchedulerOptions is the option that sets Options.Scheduler.
func WithSchedulerOptions(s deploy.Options) func(*Options) {
	return func(o *Options) { o.Scheduler = s }
}

// OnStep is the option that sets Options.OnStep.
func OnStep(f func(*deploy.State, *deploy.Result)) func(*Options) {
	return func(o *Options) { o.OnStep = f }
}

// Simulate predicts how the service svc, running the task definition
// from on the container instances given (describe-services and
// describe-container-instances output will do), rolls out to the task
// definition to: it updates the service to a new deployment of to, as
// UpdateService does, and runs the ECS service scheduler (package deploy)
// in the in-memory ECS of package ecstest, on its virtual clock, from one
// event to the next (Clock.Next and Clock.AdvanceTo at speed 0), until
// the deployment completes, fails (and its rollback, if any, completes),
// or gets stuck. A step runs whenever a task of the service changes and
// whenever a step asks to be woken; the Report has one StepReport per
// step. The same inputs give the same Report.
//
// The service's PRIMARY deployment, if it has deployments, must run from;
// one without deployments runs from in a COMPLETED deployment. Its ARN
// (else its cluster's) gives the Region, account and cluster of the
// simulation (by default ecs.DefaultRegion, ecs.DefaultAccount and
// default). from and to are checked and completed as
// RegisterTaskDefinition would (ecstest.LoadServiceInput), so the
// instances must have the attributes their requiresAttributes name (an
// essential container health check needs
// ecs.capability.container-health-check, as every agent reports). svc,
// from, to and instances are not modified.
func Simulate(ctx context.Context, svc *ecs.Service, from, to *ecs.TaskDefinition, instances []ecs.ContainerInstance, optFns ...func(*Options)) (*Report, error) {
	o := Options{Timing: DefaultTiming(), Start: defaultStart, MaxTime: DefaultMaxTime}
	for _, f := range optFns {
		if f != nil {
			f(&o)
		}
	}
	cfg := o
	switch {
	case svc == nil:
		return nil, errors.New("rollout: no service")
	case from == nil || to == nil:
		return nil, errors.New("rollout: the old and the new task definition are both required")
	case from.TaskDefinitionARN == "" || to.TaskDefinitionARN == "":
		return nil, errors.New("rollout: a task definition has no taskDefinitionArn")
	case sameTaskDefinition(from.TaskDefinitionARN, to.TaskDefinitionARN):
		return nil, fmt.Errorf("rollout: the new task definition is the old one, %s", ecs.ResourceID(to.TaskDefinitionARN))
	}
	where := locate(svc)
	cur, err := currentDeployment(svc, from, cfg.Seed)
	if err != nil {
		return nil, err
	}
	tasks, insts := cfg.Tasks, instances
	if cfg.Tasks == nil {
		n := cur.RunningCount
		if n == 0 {
			n = max(cur.DesiredCount, svc.DesiredCount)
		}
		tasks, insts, err = deploy.RunningTasks(svc, &cur, from, n, instances, cfg.Seed, cfg.Start.Add(-time.Hour))
		if err != nil {
			return nil, fmt.Errorf("rollout: the service's tasks: %w", err)
		}
	}
	before := *svc
	if len(before.Deployments) == 0 {
		before.Deployments = []ecs.Deployment{cur}
	}
	next := deploy.StartDeployment(&before, to.TaskDefinitionARN, deploy.DeploymentID(cfg.Seed, 1), cfg.Start)
	target := next.Deployments[0].ID

	clock := ecstest.NewClock(cfg.Start, 0)
	defer clock.Close()
	errs := &errorLog{}
	e := ecstest.New(ecstest.WithClock(clock), ecstest.WithSeed(cfg.Seed), ecstest.WithTiming(cfg.Timing),
		ecstest.WithRegion(where.region), ecstest.WithAccount(where.account), ecstest.WithLogger(slog.New(errs)))
	defer e.Close()
	if _, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: where.cluster}); err != nil {
		return nil, fmt.Errorf("rollout: %w", err)
	}
	if _, _, err := e.LoadCluster(ctx, where.cluster, insts, tasks); err != nil {
		return nil, fmt.Errorf("rollout: the cluster: %w", err)
	}
	for _, f := range cfg.Faults {
		if f.TaskDefinition == "" {
			f.TaskDefinition = to.TaskDefinitionARN
		}
		if err := e.InjectTaskFaults(ctx, f); err != nil {
			return nil, fmt.Errorf("rollout: faults: %w", err)
		}
	}
	mem := deploy.NewMemory(cfg.Seed)
	if _, err := e.LoadService(ctx, where.cluster, ecstest.LoadServiceInput{
		Service: next, TaskDefinitions: []*ecs.TaskDefinition{from, to}, Memory: &mem, Options: cfg.Scheduler,
	}); err != nil {
		return nil, fmt.Errorf("rollout: the service: %w", err)
	}
	for _, a := range cfg.Alarms {
		clock.At(cfg.Start.Add(a.From), func() { e.SetAlarm(ctx, a.Name, true) })
		if a.To > 0 {
			clock.At(cfg.Start.Add(a.To), func() { e.SetAlarm(ctx, a.Name, false) })
		}
	}

	rep := &Report{Start: ecs.NewTime(cfg.Start)}
	done := false
	err = e.OnServiceStep(where.cluster, svc.ServiceName, func(st *deploy.State, res *deploy.Result) {
		if done {
			return
		}
		rep.Steps = append(rep.Steps, stepReport(st, res, to.TaskDefinitionARN, cfg.Start))
		rep.Service = res.Service
		if cfg.OnStep != nil {
			cfg.OnStep(st, res)
		}
		if out, end := outcome(res, target); end {
			rep.Outcome, done = out, true
		}
	})
	if err != nil {
		return nil, fmt.Errorf("rollout: %w", err)
	}
	deadline := cfg.Start.Add(cfg.MaxTime)
	for !done {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := errs.first(); err != nil {
			return nil, fmt.Errorf("rollout: %w", err)
		}
		at, ok := clock.Next()
		if !ok || at.After(deadline) {
			rep.Outcome = Stuck // nothing will change again, or not in time
			break
		}
		clock.AdvanceTo(at)
	}
	if err := errs.first(); err != nil {
		return nil, fmt.Errorf("rollout: %w", err)
	}
	if rep.Service != nil {
		rep.RolledBack = rep.Service.Deployments[0].ID != target
	}
	for _, st := range rep.Steps {
		rep.PeakTasks = max(rep.PeakTasks, st.Old.Running+st.Old.Pending+st.New.Running+st.New.Pending+st.Started)
	}
	if err := trafficOf(ctx, e, where.cluster, svc.ServiceName, cfg.Start, rep); err != nil {
		return nil, fmt.Errorf("rollout: %w", err)
	}
	if rep.Outcome == Stuck && rep.RolledBack {
		rep.Outcome = Failed
	}
	if n := len(rep.Steps); n > 0 {
		rep.DurationSeconds = rep.Steps[n-1].T
	}
	return rep, nil
}

// trafficOf sets in rep the stages of a deployment that shifts traffic
// and, on each step, the stage and production split it found.
func trafficOf(ctx context.Context, e *ecstest.ECS, cluster, service string, start time.Time, rep *Report) error {
	tr, err := e.ServiceTraffic(ctx, cluster, service)
	if err != nil || len(tr.Stages) == 0 {
		return err
	}
	rep.Stages = tr.Stages
	next := 0
	for i := range rep.Steps {
		at := start.Add(time.Duration(rep.Steps[i].T) * time.Second)
		for next < len(tr.Stages) && !tr.Stages[next].At.After(at) {
			next++
		}
		if next == 0 {
			continue
		}
		s := tr.Stages[next-1]
		w := s.Production
		rep.Steps[i].LifecycleStage, rep.Steps[i].Production = s.Stage, &w
	}
	return nil
}

// location is where a service is: its Region, account and cluster.
type location struct{ region, account, cluster string }

// locate reads the service's Region, account and cluster from its ARN,
// else its cluster's.
func locate(svc *ecs.Service) location {
	l := location{ecs.DefaultRegion, ecs.DefaultAccount, "default"}
	if a, err := ecs.ParseARN(svc.ServiceARN); err == nil {
		l.region, l.account = a.Region, a.Account
		if a.Cluster != "" {
			l.cluster = a.Cluster
			return l
		}
	}
	if a, err := ecs.ParseARN(svc.ClusterARN); err == nil && a.ResourceType == ecs.ARNTypeCluster {
		l.region, l.account, l.cluster = a.Region, a.Account, a.Name
	}
	return l
}

// currentDeployment returns the service's PRIMARY deployment, which must
// run from, or, for a service without deployments, a COMPLETED one of
// from with the service's desired count running.
func currentDeployment(svc *ecs.Service, from *ecs.TaskDefinition, seed uint64) (ecs.Deployment, error) {
	if len(svc.Deployments) == 0 {
		return ecs.Deployment{
			ID: deploy.DeploymentID(seed, 0), Status: "PRIMARY", TaskDefinition: from.TaskDefinitionARN,
			DesiredCount: svc.DesiredCount, RunningCount: svc.DesiredCount, LaunchType: svc.LaunchType,
			RolloutState: ecs.DeploymentRolloutStateCompleted,
		}, nil
	}
	i := slices.IndexFunc(svc.Deployments, func(d ecs.Deployment) bool { return d.Status == "PRIMARY" })
	if i < 0 {
		i = 0
	}
	d := svc.Deployments[i]
	if !sameTaskDefinition(d.TaskDefinition, from.TaskDefinitionARN) {
		return d, fmt.Errorf("rollout: the service's PRIMARY deployment runs %s, not the old task definition %s",
			ecs.ResourceID(d.TaskDefinition), ecs.ResourceID(from.TaskDefinitionARN))
	}
	return d, nil
}

// outcome reports whether a step ends the simulation of deployment id,
// and how.
func outcome(res *deploy.Result, id string) (Outcome, bool) {
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

// stepReport summarises a step; td is the new task definition.
func stepReport(st *deploy.State, res *deploy.Result, td string, start time.Time) StepReport {
	r := StepReport{T: int64(st.Now.Sub(start) / time.Second), Started: len(res.Start), Stopped: len(res.Stop),
		Events: make([]string, 0, len(res.Events))}
	for _, e := range res.Events {
		r.Events = append(r.Events, e.Message)
	}
	views := res.Views
	if len(views) != len(st.Tasks) { // a Result of another making
		var err error
		if views, err = deploy.ViewTasks(st); err != nil {
			return r
		}
	}
	var lastARN string // the tasks run two task definitions: remember the last answer
	var lastNew bool
	for i, v := range views {
		if arn := st.Tasks[i].TaskDefinitionARN; arn != lastARN || i == 0 {
			lastARN, lastNew = arn, sameTaskDefinition(arn, td)
		}
		c := &r.Old
		if lastNew {
			c = &r.New
		}
		switch v.Phase {
		case deploy.TaskRunning:
			c.Running++
			if v.Healthy {
				c.Healthy++
			}
		case deploy.TaskPending:
			c.Pending++
		}
	}
	return r
}

// sameTaskDefinition reports whether two task definition ARNs (or
// family:revision references) name the same revision.
func sameTaskDefinition(a, b string) bool {
	return a == b || ecs.ResourceID(a) == ecs.ResourceID(b)
}

// errorLog is the slog.Handler of the simulation's ECS: it keeps the
// first error the ECS reports (a scheduler step that failed).
type errorLog struct {
	mu  sync.Mutex
	err error
}

func (l *errorLog) Enabled(_ context.Context, level slog.Level) bool { return level >= slog.LevelError }

func (l *errorLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		msg := r.Message
		r.Attrs(func(a slog.Attr) bool {
			msg += " " + a.String()
			return true
		})
		l.err = errors.New(msg)
	}
	return nil
}

func (l *errorLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *errorLog) WithGroup(string) slog.Handler      { return l }

func (l *errorLog) first() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}
