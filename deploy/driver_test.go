package deploy

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// flakyRuntime fails chosen StartTask and StopTask calls, after doing
// the work or before, and records each task started.
type flakyRuntime struct {
	*sim
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
		if _, ok := f.sim.byARN[s.TaskARN]; !ok {
			f.started[s.TaskARN]++
		}
		return f.sim.StartTask(ctx, s)
	})
}

func (f *flakyRuntime) StopTask(ctx context.Context, s Stop) error {
	return f.call(func() error { f.stopCalled++; return f.sim.StopTask(ctx, s) })
}

func flakyDriver(failAfter bool, failAt ...int) (*Driver, *flakyRuntime) {
	cfg := simulation(6, 50, 200, 3, 0)
	s := newSim(&cfg)
	f := &flakyRuntime{sim: s, failAt: map[int]bool{}, failAfter: failAfter, started: map[string]int{}}
	for _, n := range failAt {
		f.failAt[n] = true
	}
	return &Driver{
		Service: cfg.Service, TaskDefinitions: cfg.TaskDefinitions, Runtime: f, Clock: s,
		NewPlacer: cfg.NewPlacer, Memory: NewMemory(3),
	}, f
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
	cfg := simulation(2, 100, 100, 2, 0) // stuck: the driver waits for ever
	s := newSim(&cfg)
	d := &Driver{Service: cfg.Service, TaskDefinitions: cfg.TaskDefinitions, Runtime: s,
		Clock: SystemClock{}, NewPlacer: cfg.NewPlacer}
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
