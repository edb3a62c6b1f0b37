package deploy

import (
	"container/heap"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Timing is the simulator's model of how long things take.
type Timing struct {
	// StartDelay is the time from a task's start to RUNNING, or to
	// STOPPED for a task that fails to start (default 30 s).
	StartDelay time.Duration
	// StopTimeout is the time a RUNNING task takes to stop when the task
	// definition sets no stopTimeout (default 30 s, the agent's, rule 27).
	StopTimeout time.Duration
}

// DefaultTiming returns the timing model's defaults. A task with a health
// check turns HEALTHY startPeriod + interval after RUNNING (interval 30 s
// by default); one without is healthy by the 40-second rule; one that
// fails its checks turns UNHEALTHY startPeriod + interval × retries after
// RUNNING (3 retries by default).
func DefaultTiming() Timing {
	return Timing{StartDelay: 30 * time.Second, StopTimeout: 30 * time.Second}
}

// Faults are the failures the simulator injects into the tasks of one
// task definition, counted in the order the tasks start; -1 means all.
type Faults struct {
	TaskDefinition string
	// FailToStart tasks stop before RUNNING, stop code TaskFailedToStart.
	FailToStart int
	// Unhealthy tasks fail their health checks after RUNNING.
	Unhealthy int
}

// AlarmWindow is a CloudWatch alarm in ALARM from From to To (measured
// from the simulation's start; To 0 means to the end).
type AlarmWindow struct {
	Name     string
	From, To time.Duration
}

// errIdle reports a simulation in which nothing will ever change again.
var errIdle = errors.New("deploy: simulation idle")

// errMaxTime reports a simulation past its time limit.
var errMaxTime = errors.New("deploy: simulation time limit")

// simTask is a task in the simulated runtime.
type simTask struct {
	task     ecs.Task
	gen      int  // bumps on each transition, so stale timers are ignored
	reported bool // STOPPED and seen once by Observe
	gone     bool // forgotten after that
	healthy  bool // reported healthy by its target group
	failHC   bool
	inst     int           // index of its instance in the cluster, or -1
	held     ecs.Resources // what it takes from the instance
}

// sim is the in-memory runtime and the virtual clock of a simulation.
type sim struct {
	now, start, deadline time.Time
	timing               Timing
	faults               Faults
	failed, unhealthy    int // faults injected so far
	tds                  map[string]*ecs.TaskDefinition
	cluster              *simCluster
	tasks                []simTask
	byARN                map[string]int
	queue                timers
	seq                  int
	lb                   bool
	alarms               []AlarmWindow
	buf                  []ecs.Task // reused by Observe: a step's tasks live until the next
}

// Now returns the virtual time.
func (s *sim) Now() time.Time { return s.now }

// Wait moves the virtual time to the next transition or to until,
// whichever is first, and applies the transitions due then.
func (s *sim) Wait(ctx context.Context, until time.Time, _ <-chan struct{}) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	next := until
	if len(s.queue) > 0 && (next.IsZero() || s.queue[0].at.Before(next)) {
		next = s.queue[0].at
	}
	switch {
	case next.IsZero():
		return errIdle
	case next.After(s.deadline):
		s.now = s.deadline
		return errMaxTime
	}
	if next.After(s.now) {
		s.now = next
	}
	for len(s.queue) > 0 && !s.queue[0].at.After(s.now) {
		s.fire(heap.Pop(&s.queue).(timer))
	}
	return nil
}

// Changes returns nil: the virtual clock tells the driver when to step.
func (s *sim) Changes() <-chan struct{} { return nil }

// Observe returns the tasks and instances; a STOPPED task is reported
// once and then forgotten. Tasks keep their index for good, as timers
// refer to them by it. The slices returned are valid until the next call.
func (s *sim) Observe(context.Context) (Observation, error) {
	obs := Observation{Instances: s.cluster.snapshot(), Tasks: s.buf[:0]}
	if s.lb {
		obs.Targets = make(map[string]TargetHealth)
	}
	for i := range s.tasks {
		st := &s.tasks[i]
		if st.gone {
			continue
		}
		if st.reported {
			st.gone = true
			continue
		}
		if st.task.LastStatus == ecs.TaskStatusStopped {
			st.reported = true
		}
		obs.Tasks = append(obs.Tasks, st.task)
		if s.lb && st.task.LastStatus == ecs.TaskStatusRunning {
			obs.Targets[st.task.TaskARN] = s.target(st)
		}
	}
	for _, a := range s.alarms {
		if el := s.now.Sub(s.start); el >= a.From && (a.To == 0 || el < a.To) {
			obs.Alarms = append(obs.Alarms, a.Name)
		}
	}
	s.buf = obs.Tasks
	return obs, nil
}

// target returns a RUNNING task's target health.
func (s *sim) target(st *simTask) TargetHealth {
	switch {
	case st.task.HealthStatus == ecs.HealthStatusUnhealthy:
		return TargetHealth{State: TargetUnhealthy, TargetGroupARN: "simulated"}
	case st.healthy:
		return TargetHealth{State: TargetHealthy}
	}
	return TargetHealth{State: TargetInitial}
}

// StartTask adds a PENDING task; a task already known is left alone.
func (s *sim) StartTask(_ context.Context, st Start) error {
	if _, ok := s.byARN[st.TaskARN]; ok {
		return nil
	}
	t := ecs.Task{
		TaskARN: st.TaskARN, TaskDefinitionARN: st.TaskDefinitionARN, StartedBy: st.StartedBy,
		Group: st.Group, ContainerInstanceARN: st.ContainerInstanceARN,
		AvailabilityZone: st.AvailabilityZone, CapacityProviderName: st.CapacityProvider,
		LaunchType: st.LaunchType, LastStatus: ecs.TaskStatusPending, DesiredStatus: ecs.DesiredStatusRunning,
		CreatedAt: ecs.NewTime(s.now), Containers: st.Containers,
	}
	s.add(t)
	i := len(s.tasks) - 1
	if k := s.tasks[i].inst; k >= 0 {
		s.cluster.take(k, s.tasks[i].held)
		s.cluster.count(k, 0, 1)
	}
	kind := timerRunning
	if sameTaskDefinition(st.TaskDefinitionARN, s.faults.TaskDefinition) {
		if s.faults.FailToStart < 0 || s.failed < s.faults.FailToStart {
			s.failed++
			kind = timerFailStart
		} else if s.faults.Unhealthy < 0 || s.unhealthy < s.faults.Unhealthy {
			s.unhealthy++
			s.tasks[i].failHC = true
		}
	}
	s.schedule(s.now.Add(s.timing.StartDelay), i, kind)
	return nil
}

// add adds a task, which holds its resources on its instance.
func (s *sim) add(t ecs.Task) {
	s.byARN[t.TaskARN] = len(s.tasks)
	st := simTask{task: t, inst: -1}
	if k, ok := s.cluster.index[t.ContainerInstanceARN]; ok {
		st.inst, st.held = k, s.size(&t)
	}
	s.tasks = append(s.tasks, st)
}

// size returns what a task takes from its instance.
func (s *sim) size(t *ecs.Task) ecs.Resources {
	if td := s.taskDefinition(t.TaskDefinitionARN); td != nil {
		if r, err := ecs.TaskResources(td); err == nil {
			return r
		}
	}
	var r ecs.Resources
	r.CPU, _ = ecs.ParseCPU(t.CPU)
	r.MemoryMiB, _ = ecs.ParseMemory(t.Memory)
	return r
}

// StopTask stops a task: a PENDING one at once, a RUNNING one after its
// stop timeout. A task already stopping is left alone.
func (s *sim) StopTask(_ context.Context, st Stop) error {
	i, ok := s.byARN[st.TaskARN]
	if !ok {
		return nil
	}
	t := &s.tasks[i].task
	if t.DesiredStatus == ecs.DesiredStatusStopped || t.LastStatus == ecs.TaskStatusStopped {
		return nil
	}
	t.DesiredStatus, t.StopCode, t.StoppedReason = ecs.DesiredStatusStopped, st.StopCode, st.Reason
	t.StoppingAt = ecs.NewTime(s.now)
	s.tasks[i].gen++
	if t.LastStatus != ecs.TaskStatusRunning {
		s.stopped(i)
		return nil
	}
	t.LastStatus = ecs.TaskStatusDeactivating
	s.schedule(s.now.Add(s.stopTimeout(t.TaskDefinitionARN)), i, timerStopped)
	return nil
}

func (s *sim) stopped(i int) {
	t := &s.tasks[i].task
	if k := s.tasks[i].inst; k >= 0 {
		s.cluster.give(k, s.tasks[i].held)
		if t.LastStatus == ecs.TaskStatusPending {
			s.cluster.count(k, 0, -1)
		} else {
			s.cluster.count(k, -1, 0)
		}
	}
	t.LastStatus, t.DesiredStatus = ecs.TaskStatusStopped, ecs.DesiredStatusStopped
	t.StoppedAt, t.ExecutionStoppedAt = ecs.NewTime(s.now), ecs.NewTime(s.now)
	s.tasks[i].gen++
}

// stopTimeout is the longest stopTimeout of the task definition's
// containers, or the timing model's default.
func (s *sim) stopTimeout(arn string) time.Duration {
	longest := 0
	if td := s.taskDefinition(arn); td != nil {
		for _, c := range td.ContainerDefinitions {
			if c.StopTimeout != nil {
				longest = max(longest, *c.StopTimeout)
			}
		}
	}
	if longest > 0 {
		return time.Duration(longest) * time.Second
	}
	return s.timing.StopTimeout
}

func (s *sim) taskDefinition(arn string) *ecs.TaskDefinition {
	if td, ok := s.tds[arn]; ok {
		return td
	}
	for k, td := range s.tds {
		if sameTaskDefinition(k, arn) {
			return td
		}
	}
	return nil
}

// fire applies a transition that is still current.
func (s *sim) fire(tm timer) {
	if tm.task < 0 || tm.task >= len(s.tasks) || s.tasks[tm.task].gen != tm.gen {
		return
	}
	st := &s.tasks[tm.task]
	t := &st.task
	switch tm.kind {
	case timerRunning:
		t.LastStatus, t.StartedAt = ecs.TaskStatusRunning, ecs.NewTime(s.now)
		if st.inst >= 0 {
			s.cluster.count(st.inst, 1, -1)
		}
		st.gen++
		check, after := s.healthTiming(t.TaskDefinitionARN, st.failHC)
		if check {
			t.HealthStatus = ecs.HealthStatusUnknown
		}
		if check || st.failHC || s.lb {
			s.schedule(s.now.Add(after), tm.task, timerHealth)
		}
	case timerFailStart:
		t.StopCode, t.StoppedReason = ecs.TaskStopCodeTaskFailedToStart, "Task failed to start"
		s.stopped(tm.task)
	case timerHealth:
		switch {
		case st.failHC:
			t.HealthStatus = ecs.HealthStatusUnhealthy
		case t.HealthStatus == ecs.HealthStatusUnknown:
			t.HealthStatus = ecs.HealthStatusHealthy
		}
		st.healthy = !st.failHC
		st.gen++
	case timerStopped:
		s.stopped(tm.task)
	}
}

// healthTiming returns whether the task definition has an essential
// health check and how long after RUNNING the task's health is known.
func (s *sim) healthTiming(arn string, fails bool) (bool, time.Duration) {
	td := s.taskDefinition(arn)
	if !hasHealthCheck(td) {
		if fails {
			return false, 90 * time.Second // the default interval × retries
		}
		return false, healthyAfter
	}
	start, interval, retries := 0, 30, 3
	for _, c := range td.ContainerDefinitions {
		if hc := c.HealthCheck; hc != nil && (c.Essential == nil || *c.Essential) {
			if hc.StartPeriod != nil {
				start = max(start, *hc.StartPeriod)
			}
			if hc.Interval != nil {
				interval = max(interval, *hc.Interval)
			}
			if hc.Retries != nil {
				retries = max(retries, *hc.Retries)
			}
		}
	}
	d := start + interval
	if fails {
		d = start + interval*retries
	}
	return true, time.Duration(d) * time.Second
}

// sortTasks orders the initial tasks by ARN, for determinism.
func sortTasks(tasks []ecs.Task) []ecs.Task {
	out := slices.Clone(tasks)
	slices.SortStableFunc(out, func(a, b ecs.Task) int {
		switch {
		case a.TaskARN < b.TaskARN:
			return -1
		case a.TaskARN > b.TaskARN:
			return 1
		}
		return 0
	})
	return out
}
