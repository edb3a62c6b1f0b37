package deploy

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// instantRuntime is a Runtime and a Clock of virtual time for the
// Driver's tests: a task is RUNNING as soon as it starts and STOPPED as
// soon as it is stopped (and reported once); a wait returns at once after
// a change, and otherwise jumps to the time waited for.
type instantRuntime struct {
	now       time.Time
	tasks     []ecs.Task
	instances []ecs.ContainerInstance
	changed   bool
}

func (r *instantRuntime) Now() time.Time { return r.now }

func (r *instantRuntime) Wait(ctx context.Context, until time.Time, _ <-chan struct{}) error {
	switch {
	case r.changed:
		r.changed = false
	case until.IsZero():
		<-ctx.Done()
		return ctx.Err()
	default:
		r.now = until
	}
	return nil
}

func (r *instantRuntime) Observe(context.Context) (Observation, error) {
	obs := Observation{Tasks: slices.Clone(r.tasks), Instances: r.instances}
	r.tasks = slices.DeleteFunc(r.tasks, func(t ecs.Task) bool { return t.LastStatus == ecs.TaskStatusStopped })
	return obs, nil
}

func (r *instantRuntime) StartTask(_ context.Context, s Start) error {
	if slices.ContainsFunc(r.tasks, func(t ecs.Task) bool { return t.TaskARN == s.TaskARN }) {
		return nil
	}
	now := ecs.NewTime(r.now)
	r.tasks = append(r.tasks, ecs.Task{
		TaskARN: s.TaskARN, TaskDefinitionARN: s.TaskDefinitionARN, StartedBy: s.StartedBy, Group: s.Group,
		ContainerInstanceARN: s.ContainerInstanceARN, AvailabilityZone: s.AvailabilityZone,
		LastStatus: ecs.TaskStatusRunning, DesiredStatus: ecs.DesiredStatusRunning, CreatedAt: now, StartedAt: now,
	})
	r.changed = true
	return nil
}

func (r *instantRuntime) StopTask(_ context.Context, s Stop) error {
	for i := range r.tasks {
		if t := &r.tasks[i]; t.TaskARN == s.TaskARN && t.LastStatus != ecs.TaskStatusStopped {
			t.LastStatus, t.DesiredStatus, t.StopCode = ecs.TaskStatusStopped, ecs.DesiredStatusStopped, s.StopCode
			r.changed = true
		}
	}
	return nil
}

func (r *instantRuntime) Changes() <-chan struct{} { return nil }

// driverFor returns a Driver of desired tasks of web:1 rolling to web:2
// at minPct/maxPct on n instances, on an instantRuntime.
func driverFor(desired, minPct, maxPct, n int) (*Driver, *instantRuntime) {
	insts := instances(n, 3)
	r := &instantRuntime{now: t0, tasks: runningTasks(depOld, tdOld, desired, insts, 0), instances: insts}
	return &Driver{
		Service: rollingService(desired, minPct, maxPct), TaskDefinitions: taskDefs(), Runtime: r, Clock: r,
		NewPlacer: func(o Observation) (Placer, error) { return newSlotPlacer(o.Instances, o.Tasks, 0), nil },
		Memory:    NewMemory(3),
	}, r
}

// flakyRuntime fails chosen StartTask and StopTask calls, after doing
// the work or before, and records each task started.
type flakyRuntime struct {
	*instantRuntime
	calls      int
	failAt     map[int]bool // call numbers that fail
	failAfter  bool         // fail after the runtime did the work
	started    map[string]int
	stopCalled int
}

var errFlaky = errors.New("throttled")

func (f *flakyRuntime) call(do func() error) error {
	f.calls++
	if f.failAt[f.calls] && !f.failAfter {
		return errFlaky
	}
	if err := do(); err != nil {
		return err
	}
	if f.failAt[f.calls] {
		return errFlaky
	}
	return nil
}

func (f *flakyRuntime) StartTask(ctx context.Context, s Start) error {
	return f.call(func() error {
		if !slices.ContainsFunc(f.tasks, func(t ecs.Task) bool { return t.TaskARN == s.TaskARN }) {
			f.started[s.TaskARN]++
		}
		return f.instantRuntime.StartTask(ctx, s)
	})
}

func (f *flakyRuntime) StopTask(ctx context.Context, s Stop) error {
	return f.call(func() error { f.stopCalled++; return f.instantRuntime.StopTask(ctx, s) })
}

func flakyDriver(failAfter bool, failAt ...int) (*Driver, *flakyRuntime) {
	d, r := driverFor(6, 50, 200, 3)
	f := &flakyRuntime{instantRuntime: r, failAt: map[int]bool{}, failAfter: failAfter, started: map[string]int{}}
	for _, n := range failAt {
		f.failAt[n] = true
	}
	d.Runtime = f
	return d, f
}

func completed(res *Result) bool {
	return res.Service.Deployments[0].RolloutState == ecs.DeploymentRolloutStateCompleted
}

func TestDriverRetriesFailedCalls(t *testing.T) {
	for _, after := range []bool{false, true} {
		d, f := flakyDriver(after, 2, 5, 9)
		require.NoError(t, d.Run(context.Background(), completed))
		require.True(t, completed(&Result{Service: d.Service}))
		for arn, n := range f.started {
			require.Equal(t, 1, n, "task %s started %d times", arn, n)
		}
		require.Len(t, f.started, 6, "failAfter=%v: exactly the tasks needed were started", after)
	}
}

func TestDriverStepKeepsAppliedPart(t *testing.T) {
	d, _ := flakyDriver(false, 3) // the first step stops 3, then starts 6: call 3 fails
	res, err := d.Step(context.Background())
	var ae *ApplyError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "stop", ae.Op)
	require.ErrorIs(t, err, errFlaky)
	require.Len(t, res.Stop, 2)
	require.Empty(t, res.Start)
	require.Len(t, res.Events, 1)
	require.Contains(t, res.Events[0].Message, "has stopped 2 running tasks")
	require.Equal(t, res.Events, d.Service.Events)
}

func TestDriverContextCancelled(t *testing.T) {
	d, _ := driverFor(2, 100, 100, 2) // stuck: the driver waits for ever
	d.Clock = SystemClock{}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := d.Run(ctx, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestSystemClockWait(t *testing.T) {
	ch := make(chan struct{}, 1)
	ch <- struct{}{}
	require.NoError(t, SystemClock{}.Wait(context.Background(), time.Time{}, ch))
	require.NoError(t, SystemClock{}.Wait(context.Background(), time.Now().Add(time.Millisecond), nil))
}

// rebalanceSteps returns the results of the steps of TestRebalanceStartsFirst
// that write Availability Zone rebalancing's own events (the start of a
// task in the zone with the fewest, the stop of one in the zone with the
// most), with the service before each.
func rebalanceSteps(t *testing.T) (res []*Result, before []*ecs.Service) {
	t.Helper()
	s := zoneState(2, []int{0, 0}, 100, 200)
	step := func() *Result {
		r, err := Step(s)
		require.NoError(t, err)
		res, before = append(res, r), append(before, s.Service)
		return r
	}
	started := step()
	require.Len(t, started.Start, 1)
	advance(s, started, "PENDING")
	run(s)
	stopped := step()
	require.Len(t, stopped.Stop, 1)
	return res, before
}

// A step whose calls all succeed keeps its events as they are: partial
// rewrites the started and stopped events only, not the zone
// rebalancing's, which also say "has started" and "has stopped".
func TestPartialKeepsRebalanceEvents(t *testing.T) {
	res, before := rebalanceSteps(t)
	for i, r := range res {
		p := partial(r, before[i], len(r.Stop), len(r.Start))
		require.Equal(t, messages(r.Events), messages(p.Events))
		require.Equal(t, r.Kinds, p.Kinds)
	}
}

// A stop applied before a start fails keeps its rebalancing event; a
// rebalancing start not applied loses its event.
func TestPartialRebalanceApplied(t *testing.T) {
	res, before := rebalanceSteps(t)

	r := *res[1] // the stop in the zone with the most, and a start that fails
	r.Start = append(r.Start, Start{PlacedTask: PlacedTask{TaskARN: "arn:aws:ecs:us-east-1:123456789012:task/default/0000"}})
	r.Events = append(r.Events, ecs.ServiceEvent{Message: startedEvent("web", []string{"0000"}).msg})
	r.Kinds = append(r.Kinds, EventStarted)
	p := partial(&r, before[1], 1, 0)
	require.Equal(t, []EventKind{EventRebalanceStopped}, p.Kinds)
	require.Equal(t, messages(res[1].Events), messages(p.Events))
	require.Equal(t, p.Events, p.Service.Events[:1])

	p = partial(res[0], before[0], 0, 0) // the start in the empty zone fails
	require.Equal(t, []EventKind{EventSteadyState, EventAZUnbalanced}, p.Kinds)
	require.Len(t, p.Events, 2)
}
