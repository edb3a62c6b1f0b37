package rollout_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/ecscore/ecscore/rollout"
)

// Fixtures: web:1 rolling to web:2, each task 256 MiB, on instances of a
// cluster prod in us-east-1.

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

const (
	svcARN = "arn:aws:ecs:us-east-1:123456789012:service/prod/web"
	tdOld  = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"
	tdNew  = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"
	depOld = "ecs-svc/1111111111111111111"
)

// taskDefs returns web:1 and web:2, one container of 256 MiB each,
// without health checks.
func taskDefs() (old, next *ecs.TaskDefinition) {
	td := func(arn string, rev int) *ecs.TaskDefinition {
		return &ecs.TaskDefinition{TaskDefinitionARN: arn, Family: "web", Revision: rev,
			ContainerDefinitions: []ecs.ContainerDefinition{{Name: "web", Image: "nginx", Memory: ptr(256)}}}
	}
	return td(tdOld, 1), td(tdNew, 2)
}

// service returns web running desired tasks of web:1 in deployment
// depOld, COMPLETED, at minPct/maxPct.
func service(desired, minPct, maxPct int) *ecs.Service {
	return &ecs.Service{
		ServiceARN: svcARN, ServiceName: "web", DesiredCount: desired, TaskDefinition: tdOld,
		SchedulingStrategy: ecs.SchedulingStrategyReplica, LaunchType: ecs.LaunchTypeEC2,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{
			MinimumHealthyPercent: ptr(minPct), MaximumPercent: ptr(maxPct),
		},
		Deployments: []ecs.Deployment{{ID: depOld, Status: "PRIMARY", TaskDefinition: tdOld, DesiredCount: desired,
			RunningCount: desired, RolloutState: ecs.DeploymentRolloutStateCompleted}},
	}
}

// instances returns n ACTIVE instances over azs zones, each with room for
// slots tasks of 256 MiB (0: any number), whose agent runs container
// health checks (the attribute a task definition with a health check
// requires).
func instances(n, azs, slots int) []ecs.ContainerInstance {
	mem := 1 << 20
	if slots > 0 {
		mem = slots * 256
	}
	out := make([]ecs.ContainerInstance, n)
	for i := range out {
		out[i] = ecs.ContainerInstance{
			ContainerInstanceARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/%032x", i),
			EC2InstanceID:        fmt.Sprintf("i-%017x", i),
			Status:               "ACTIVE", AgentConnected: true,
			RegisteredResources: ecs.Resources{CPU: 1 << 20, MemoryMiB: mem}.ResourceList(),
			Attributes: []ecs.Attribute{{Name: "ecs.availability-zone", Value: fmt.Sprintf("us-east-1%c", 'a'+i%azs)},
				{Name: ecs.AttrHealthCheck}},
		}
	}
	return out
}

// simulation is a rollout of desired tasks of web:1 to web:2 on n
// instances holding slots tasks each (0: any number).
type simulation struct {
	svc      *ecs.Service
	old, new *ecs.TaskDefinition
	insts    []ecs.ContainerInstance
	opts     []func(*rollout.Options)
}

func newSimulation(desired, minPct, maxPct, n, slots int) *simulation {
	old, next := taskDefs()
	return &simulation{svc: service(desired, minPct, maxPct), old: old, new: next, insts: instances(n, 3, slots),
		opts: []func(*rollout.Options){rollout.WithSeed(7), rollout.WithStart(t0)}}
}

func (s *simulation) run(t testing.TB, opts ...func(*rollout.Options)) *rollout.Report {
	t.Helper()
	rep, err := rollout.Simulate(context.Background(), s.svc, s.old, s.new, s.insts, append(s.opts, opts...)...)
	require.NoError(t, err)
	return rep
}

// invariants checks, at every step, what deploy.Step guarantees of rules
// 117 and 118, with the bounds of deploy.BoundsFor: maximum = ⌊desired ×
// maximumPercent / 100⌋, minimum = ⌈desired × minimumHealthyPercent /
// 100⌉.
//
//   - Rule 117: after the step's stops and starts, the live tasks
//     (RUNNING or PENDING and not asked to stop, deploy's reading of the
//     rule) number at most the maximum.
//   - Rule 118 bounds what the scheduler does, not what happens to it: a
//     task that crashes or fails its health checks takes healthy tasks
//     below the minimum without any step's doing. So the guarantee is
//     healthyAfter ≥ min(minimum, healthyBefore): a step stops a healthy
//     task only while at least the minimum stay healthy after all its
//     stops, whereas unhealthy tasks, PENDING tasks on draining instances
//     and tasks not yet healthy go regardless. New tasks are never
//     healthy in the step that starts them.
//
// Each stop names a distinct live task of the state.
func invariants(t *testing.T, svc *ecs.Service) func(*rollout.Options) {
	b := boundsOf(svc.DesiredCount, svc.DeploymentConfiguration)
	return rollout.OnStep(func(st *deploy.State, res *deploy.Result) {
		t.Helper()
		views, err := deploy.ViewTasks(st)
		require.NoError(t, err)
		live := map[string]bool{}
		for i, v := range views {
			if v.Phase == deploy.TaskPending || v.Phase == deploy.TaskRunning {
				live[st.Tasks[i].TaskARN] = true
			}
		}
		stopped := map[string]bool{}
		for _, s := range res.Stop {
			require.True(t, live[s.TaskARN], "at %v: stop of %s, which is not live", st.Now.Sub(t0), s.TaskARN)
			require.False(t, stopped[s.TaskARN], "at %v: %s stopped twice", st.Now.Sub(t0), s.TaskARN)
			stopped[s.TaskARN] = true
		}
		liveAfter, healthyBefore, healthyAfter := len(res.Start), 0, 0
		for i, v := range views {
			arn := st.Tasks[i].TaskARN
			if !live[arn] {
				continue
			}
			if v.Healthy {
				healthyBefore++
			}
			if !stopped[arn] {
				liveAfter++
				if v.Healthy {
					healthyAfter++
				}
			}
		}
		require.LessOrEqual(t, liveAfter, b.Maximum, "at %v: running+pending above the maximum (rule 117)", st.Now.Sub(t0))
		require.GreaterOrEqual(t, healthyAfter, min(b.Minimum, healthyBefore),
			"at %v: healthy tasks stopped below the minimum %d: %d healthy before, %d after (rule 118)",
			st.Now.Sub(t0), b.Minimum, healthyBefore, healthyAfter)
	})
}

func TestSimulateWorkedExamples(t *testing.T) {
	tests := []struct {
		name              string
		desired, min, max int
		instances, slots  int
		want              rollout.Outcome
		wantSeconds       int64
	}{
		// Start 4 new (30 s to RUNNING, 40 s to healthy), then stop 4 old (30 s).
		{"4 at 100/200", 4, 100, 200, 4, 0, rollout.Completed, 100},
		{"4 at 50/100", 4, 50, 100, 4, 0, rollout.Completed, 140},
		{"2 at 75/200", 2, 75, 200, 3, 0, rollout.Completed, 100},
		{"3 at 50/125", 3, 50, 125, 3, 0, rollout.Completed, 210},
		{"1 at 100/200", 1, 100, 200, 3, 0, rollout.Completed, 100},
		// One slot: the new task waits until the old one has stopped.
		{"1 at 0/100 on one slot", 1, 0, 100, 1, 1, rollout.Completed, 100},
		{"3 at 100/125 is stuck", 3, 100, 125, 3, 0, rollout.Stuck, 0},
		{"5 at 100/100 is stuck", 5, 100, 100, 5, 0, rollout.Stuck, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := newSimulation(tt.desired, tt.min, tt.max, tt.instances, tt.slots)
			rep := sim.run(t, invariants(t, sim.svc))
			require.Equal(t, tt.want, rep.Outcome)
			require.Equal(t, tt.wantSeconds, rep.DurationSeconds)
			require.False(t, rep.RolledBack)
			if tt.want == rollout.Completed {
				last := rep.Steps[len(rep.Steps)-1]
				require.Equal(t, rollout.Counts{Running: tt.desired, Healthy: tt.desired}, last.New)
				require.Equal(t, rollout.Counts{}, last.Old)
				require.Contains(t, last.Events, "(service web) has reached a steady state.")
			}
		})
	}
}

func TestSimulateFaults(t *testing.T) {
	withBreaker := func(sim *simulation, rollback bool) {
		sim.svc.DeploymentConfiguration.DeploymentCircuitBreaker = &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: rollback}
	}
	t.Run("all new tasks fail to start: rollback", func(t *testing.T) {
		sim := newSimulation(4, 100, 200, 4, 0)
		withBreaker(sim, true)
		rep := sim.run(t, rollout.WithFaults(ecstest.TaskFaults{FailToStart: -1}))
		require.Equal(t, rollout.Failed, rep.Outcome)
		require.True(t, rep.RolledBack)
		require.Equal(t, tdOld, rep.Service.Deployments[0].TaskDefinition)
		// Four fail at 30 s (counted 4 ≥ threshold 3).
		require.Equal(t, int64(30), rep.DurationSeconds)
	})
	t.Run("one task fails to start: the deployment completes", func(t *testing.T) {
		sim := newSimulation(4, 100, 200, 4, 0)
		withBreaker(sim, true)
		rep := sim.run(t, rollout.WithFaults(ecstest.TaskFaults{FailToStart: 1}))
		require.Equal(t, rollout.Completed, rep.Outcome)
	})
	t.Run("unhealthy new tasks without rollback: failed", func(t *testing.T) {
		sim := newSimulation(4, 100, 200, 4, 0)
		withBreaker(sim, false)
		sim.new.ContainerDefinitions[0].HealthCheck = &ecs.HealthCheck{
			Command: []string{"CMD-SHELL", "curl -f localhost"}, Interval: ptr(10)}
		rep := sim.run(t, rollout.WithFaults(ecstest.TaskFaults{FailHealthChecks: -1}))
		require.Equal(t, rollout.Failed, rep.Outcome)
		require.False(t, rep.RolledBack)
		require.Equal(t, ecs.DeploymentRolloutStateFailed, rep.Service.Deployments[0].RolloutState)
	})
	t.Run("failures without a circuit breaker back off until the time limit", func(t *testing.T) {
		sim := newSimulation(2, 100, 200, 2, 0)
		rep := sim.run(t, rollout.WithFaults(ecstest.TaskFaults{FailToStart: -1}), rollout.WithMaxTime(time.Hour))
		require.Equal(t, rollout.Stuck, rep.Outcome)
		var throttled bool
		for _, s := range rep.Steps {
			throttled = throttled || len(s.Events) > 0 && s.Events[len(s.Events)-1] == "(service web) is unable to consistently start tasks successfully."
		}
		require.True(t, throttled)
	})
	alarms := []struct {
		name     string
		alarm    string
		from, to time.Duration
		want     rollout.Outcome
		failedAt int64
	}{
		{"an alarm rolls back", "p99", 45 * time.Second, 0, rollout.Failed, 45},
		{"an alarm for ten seconds", "p99", 10 * time.Second, 20 * time.Second, rollout.Failed, 10},
		{"an alarm the deployment does not watch", "other", 10 * time.Second, 0, rollout.Completed, -1},
	}
	for _, tt := range alarms {
		t.Run(tt.name, func(t *testing.T) {
			sim := newSimulation(4, 100, 200, 4, 0)
			sim.svc.DeploymentConfiguration.Alarms = &ecs.DeploymentAlarms{AlarmNames: []string{"p99"}, Enable: true, Rollback: true}
			rep := sim.run(t, rollout.WithAlarm(tt.alarm, tt.from, tt.to))
			require.Equal(t, tt.want, rep.Outcome)
			require.Equal(t, tt.want == rollout.Failed, rep.RolledBack)
			failedAt := int64(-1)
			for _, s := range rep.Steps {
				if slices.Contains(s.Events, "(service web) (deployment "+deploy.DeploymentID(7, 1)+") deployment failed: alarm detected.") {
					failedAt = s.T
				}
			}
			require.Equal(t, tt.failedAt, failedAt)
		})
	}
}

func TestSimulateDeterministic(t *testing.T) {
	run := func() *rollout.Report {
		sim := newSimulation(12, 50, 150, 5, 4)
		return sim.run(t, rollout.WithFaults(ecstest.TaskFaults{FailToStart: 2, FailHealthChecks: 1}))
	}
	a, b := run(), run()
	if d := cmp.Diff(a, b); d != "" {
		t.Fatalf("two runs differ:\n%s", d)
	}
}

// TestSimulateProperties runs random services, percentages (maximumPercent
// 100–200, minimumHealthyPercent 0–100, and the worked combinations such
// as 50/100 and 100/100), clusters and faults (tasks that fail to start,
// tasks that fail their health checks, with or without a health check in
// the task definition, a grace period, a circuit breaker, and instances
// that hold few tasks): the bounds of rules 117 and 118 hold at every
// step (invariants). Without faults and with room, a deployment whose
// bounds leave room to move completes in a bounded number of steps and
// one whose bounds leave none is reported stuck. With faults, a
// deployment completes only if its bounds let it move and not every new
// task fails (to start, or its health checks when it has one), fails
// only by its circuit breaker, and rolls back when the breaker says so; a
// completed one runs desiredCount healthy new tasks and no old one.
func TestSimulateProperties(t *testing.T) {
	runs := 400
	if testing.Short() {
		runs = 60
	}
	rng := rand.New(rand.NewPCG(1, 2))
	combos := [][2]int{{50, 100}, {0, 100}, {100, 100}, {100, 200}, {75, 125}, {50, 125}, {0, 200}, {100, 101}, {99, 100}, {50, 150}}
	fault := func(desired int) int {
		switch rng.IntN(5) {
		case 0:
			return -1 // every task
		case 1, 2:
			return 0
		}
		return 1 + rng.IntN(desired+1)
	}
	for run := range runs {
		desired := 1 + rng.IntN(40)
		minPct, maxPct := rng.IntN(101), 100+rng.IntN(101)
		if rng.IntN(3) == 0 {
			c := combos[rng.IntN(len(combos))]
			minPct, maxPct = c[0], c[1]
		}
		faulty := run%2 == 1
		slots := 0
		n := 1 + rng.IntN(10)
		if faulty && rng.IntN(3) == 0 {
			slots = 1 + rng.IntN(4)
			n = max(n, (desired+slots-1)/slots) // room for the old tasks
		}
		sim := newSimulation(desired, minPct, maxPct, n, slots)
		var faults ecstest.TaskFaults
		var breaker *ecs.DeploymentCircuitBreaker
		checked := false // web:2 has a health check
		if faulty {
			faults = ecstest.TaskFaults{FailToStart: fault(desired), FailHealthChecks: fault(desired)}
			if checked = rng.IntN(2) == 0; checked {
				sim.new.ContainerDefinitions[0].HealthCheck = &ecs.HealthCheck{
					Command: []string{"CMD-SHELL", "curl -f localhost"}, Interval: ptr(5 + rng.IntN(30)), Retries: ptr(1 + rng.IntN(3))}
			}
			if rng.IntN(3) == 0 {
				sim.svc.HealthCheckGracePeriodSeconds = ptr(rng.IntN(120))
			}
			if rng.IntN(2) == 0 {
				breaker = &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: rng.IntN(2) == 0}
				sim.svc.DeploymentConfiguration.DeploymentCircuitBreaker = breaker
			}
		}
		name := fmt.Sprintf("run %d: desired %d min %d max %d on %d instances of %d slots, faults %+v health check %v breaker %+v",
			run, desired, minPct, maxPct, n, slots, faults, checked, breaker)
		rep := sim.run(t, invariants(t, sim.svc), rollout.WithFaults(faults), rollout.WithMaxTime(time.Hour))
		b := boundsOf(desired, sim.svc.DeploymentConfiguration)
		movable := b.Maximum > desired || b.Minimum < desired
		last := rep.Steps[len(rep.Steps)-1]
		switch {
		case !faulty && movable:
			require.Equal(t, rollout.Completed, rep.Outcome, name)
			require.LessOrEqual(t, len(rep.Steps), 4*desired+10, name)
		case !faulty:
			require.Equal(t, rollout.Stuck, rep.Outcome, name)
		case rep.Outcome == rollout.Completed:
			require.True(t, movable, name)
			require.NotEqual(t, -1, faults.FailToStart, "%s: completed, yet every new task fails to start", name)
			// A task without a health check has none to fail: it is
			// healthy by the 40-second rule.
			require.False(t, checked && faults.FailHealthChecks == -1, "%s: completed, yet every new task fails its health checks", name)
		case rep.Outcome == rollout.Failed:
			require.NotNil(t, breaker, "%s: failed without a circuit breaker", name)
			require.Equal(t, breaker.Rollback, rep.RolledBack, name)
		default:
			require.Equal(t, rollout.Stuck, rep.Outcome, name)
			require.False(t, rep.RolledBack, name)
		}
		if rep.Outcome == rollout.Completed {
			require.Equal(t, rollout.Counts{Running: desired, Healthy: desired}, last.New, name)
			require.Equal(t, rollout.Counts{}, last.Old, name)
		}
	}
}

// engineSimulation rolls desired tasks of 256 CPU units and 512 MiB on n
// instances of 4 vCPU and 8 GiB over three zones.
func engineSimulation(desired, n int) *simulation {
	sim := newSimulation(desired, 100, 200, n, 0)
	for i := range sim.insts {
		sim.insts[i].RegisteredResources = ecs.Resources{CPU: 4096, MemoryMiB: 8192}.ResourceList()
		sim.insts[i].Attributes = append(sim.insts[i].Attributes, ecs.Attribute{Name: "ecs.os-type", Value: "linux"})
	}
	for _, td := range []*ecs.TaskDefinition{sim.old, sim.new} {
		td.CPU, td.Memory = "256", "512"
		td.ContainerDefinitions[0].Memory = nil
	}
	sim.opts = []func(*rollout.Options){rollout.WithSeed(1), rollout.WithStart(t0)}
	return sim
}

func TestSimulatePlacementEngine(t *testing.T) {
	rep := engineSimulation(9, 3).run(t)
	require.Equal(t, rollout.Completed, rep.Outcome)
	require.Equal(t, int64(100), rep.DurationSeconds)
}

func TestSimulateClusterFull(t *testing.T) {
	// One instance holds 16 tasks: 12 old leave room for 4 new at a time.
	rep := engineSimulation(12, 1).run(t)
	require.Equal(t, rollout.Completed, rep.Outcome)
	var unplaced bool
	for _, s := range rep.Steps {
		for _, e := range s.Events {
			unplaced = unplaced || strings.HasPrefix(e, "(service web) was unable to place a task because no container instance met all of its requirements.")
		}
	}
	require.True(t, unplaced, "placement failures are reported")
}

// The tasks given with WithTasks are the service's; without them, the
// simulation places the PRIMARY deployment's runningCount of the old task
// definition.
func TestSimulateWithTasks(t *testing.T) {
	sim := newSimulation(3, 100, 200, 3, 0)
	var first *deploy.State
	rep := sim.run(t, rollout.OnStep(func(st *deploy.State, _ *deploy.Result) {
		if first == nil {
			first = &deploy.State{Tasks: append([]ecs.Task(nil), st.Tasks...)}
		}
	}))
	require.Equal(t, rollout.Counts{Running: 3, Healthy: 3}, rep.Steps[0].Old)
	given := first.Tasks[:2]
	var seen []string
	rep = sim.run(t, rollout.WithTasks(given), rollout.OnStep(func(st *deploy.State, _ *deploy.Result) {
		if seen == nil {
			for _, tk := range st.Tasks {
				seen = append(seen, tk.TaskARN)
			}
		}
	}))
	require.Equal(t, rollout.Counts{Running: 2, Healthy: 2}, rep.Steps[0].Old)
	require.Equal(t, []string{given[0].TaskARN, given[1].TaskARN}, seen)
	require.Equal(t, rollout.Completed, rep.Outcome)
}

// The timing given moves the steps: 45 s to RUNNING, and the old tasks
// take their 10-second stopTimeout to stop.
func TestSimulateTiming(t *testing.T) {
	sim := newSimulation(2, 100, 200, 2, 0)
	sim.old.ContainerDefinitions[0].StopTimeout = ptr(10)
	rep := sim.run(t, rollout.WithTiming(rollout.Timing(45*time.Second, time.Minute)))
	var times []int64
	for _, s := range rep.Steps {
		times = append(times, s.T)
	}
	require.Equal(t, []int64{0, 45, 85, 95}, times)

	sim.old.ContainerDefinitions[0].StopTimeout = nil
	rep = sim.run(t, rollout.WithTiming(rollout.Timing(45*time.Second, time.Minute)))
	require.Equal(t, int64(85+60), rep.DurationSeconds, "the agent's stop timeout")
}

// The scheduler's options apply: with a launch rate of 2 tasks a minute,
// the four new tasks start two at a time, a minute apart.
func TestSimulateSchedulerOptions(t *testing.T) {
	sim := newSimulation(4, 100, 200, 4, 0)
	rep := sim.run(t, rollout.WithSchedulerOptions(deploy.Options{LaunchRate: 2}))
	var starts []string
	for _, s := range rep.Steps {
		if s.Started > 0 {
			starts = append(starts, fmt.Sprintf("%d@%d", s.Started, s.T))
		}
	}
	require.Equal(t, []string{"2@0", "2@60"}, starts)
	require.Equal(t, rollout.Completed, rep.Outcome)
}

func TestSimulateRefuses(t *testing.T) {
	old, next := taskDefs()
	svc := service(2, 100, 200)
	other := *svc
	other.Deployments = []ecs.Deployment{{ID: depOld, Status: "PRIMARY", TaskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/api:3"}}
	tooBig := instances(1, 1, 1)
	tests := []struct {
		name     string
		svc      *ecs.Service
		from, to *ecs.TaskDefinition
		insts    []ecs.ContainerInstance
		want     string
	}{
		{"no service", nil, old, next, instances(2, 2, 0), "rollout: no service"},
		{"no old task definition", svc, nil, next, instances(2, 2, 0), "both required"},
		{"the same task definition", svc, old, old, instances(2, 2, 0), "the new task definition is the old one, web:1"},
		{"another running", &other, old, next, instances(2, 2, 0), "the service's PRIMARY deployment runs api:3, not the old task definition web:1"},
		{"no room for the tasks running", svc, old, next, tooBig, "1 of 2 tasks do not fit the cluster"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rollout.Simulate(context.Background(), tt.svc, tt.from, tt.to, tt.insts)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestSimulateContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	old, next := taskDefs()
	steps := 0
	_, err := rollout.Simulate(ctx, service(4, 100, 200), old, next, instances(4, 2, 0),
		rollout.OnStep(func(*deploy.State, *deploy.Result) {
			if steps++; steps == 2 {
				cancel()
			}
		}))
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 2, steps)
}

// The simulation leaves its inputs as they were.
func TestSimulateChangesNoInput(t *testing.T) {
	sim := newSimulation(3, 100, 200, 3, 0)
	svc, old, next, insts := sim.svc, sim.old, sim.new, sim.insts
	before := fmt.Sprint(*svc, *old, *next, insts)
	sim.run(t)
	require.Equal(t, before, fmt.Sprint(*svc, *old, *next, insts))
}

// taskBounds are a deployment's limits in tasks.
type taskBounds struct{ Minimum, Maximum int }

// boundsOf returns the limits of a REPLICA service of desired tasks.
func boundsOf(desired int, cfg *ecs.DeploymentConfiguration) taskBounds {
	minPct, maxPct := ecs.DeploymentPercentages(ecs.SchedulingStrategyReplica, cfg)
	var b taskBounds
	b.Minimum, b.Maximum = ecs.DeploymentBounds(desired, minPct, maxPct)
	return b
}
