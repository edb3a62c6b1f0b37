package deploy

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// simulation returns a simulation of desired tasks of web:1 rolling to
// web:2 on n instances holding slots tasks each (0: any number).
func simulation(desired, minPct, maxPct, n, slots int) Simulation {
	insts := instances(n, 3)
	return Simulation{
		Service: rollingService(desired, minPct, maxPct), TaskDefinitions: taskDefs(),
		Instances: insts, Tasks: runningTasks(depOld, tdOld, desired, insts, 0), Seed: 7,
		NewPlacer: func(o Observation) (Placer, error) { return newSlotPlacer(o.Instances, o.Tasks, slots), nil },
		Start:     t0,
	}
}

// invariants checks, at every step, what Step guarantees of rules 117
// and 118, with the bounds of BoundsFor: maximum = ⌊desired ×
// maximumPercent / 100⌋, minimum = ⌈desired × minimumHealthyPercent /
// 100⌉.
//
//   - Rule 117: after the step's stops and starts, the live tasks
//     (RUNNING or PENDING and not asked to stop, the package's reading of
//     the rule) number at most the maximum. Every start is within the
//     room the maximum leaves (launch, rebalanceStart), and a stop only
//     makes room.
//   - Rule 118 bounds what the scheduler does, not what happens to it: a
//     task that crashes or fails its health checks takes healthy tasks
//     below the minimum without any step's doing. So the guarantee is
//     healthyAfter ≥ min(minimum, healthyBefore): a step stops a healthy
//     task only while at least the minimum stay healthy after all its
//     stops (stopSurplus allows healthy − minimum, rebalanceKeep needs
//     healthy − 1 ≥ minimum, scaleIn stops healthy ones only above
//     desiredCount ≥ minimum), whereas unhealthy tasks (replaceUnhealthy),
//     PENDING tasks on draining instances and tasks not yet healthy go
//     regardless. New tasks are never healthy in the step that starts
//     them.
//
// Each stop names a distinct live task of the state.
func invariants(t *testing.T, cfg *Simulation) {
	t.Helper()
	b := BoundsFor(cfg.Service.DesiredCount, ecs.SchedulingStrategyReplica, cfg.Service.DeploymentConfiguration)
	cfg.OnStep = func(st *State, res *Result) {
		t.Helper()
		v, err := newView(st)
		require.NoError(t, err)
		live := make(map[string]bool)
		for _, tv := range v.tasks {
			if tv.phase.live() {
				live[tv.t.TaskARN] = true
			}
		}
		stopped := make(map[string]bool)
		for _, s := range res.Stop {
			require.True(t, live[s.TaskARN], "at %v: stop of %s, which is not live", st.Now.Sub(t0), s.TaskARN)
			require.False(t, stopped[s.TaskARN], "at %v: %s stopped twice", st.Now.Sub(t0), s.TaskARN)
			stopped[s.TaskARN] = true
		}
		liveAfter, healthyBefore, healthyAfter := len(res.Start), 0, 0
		for _, tv := range v.tasks {
			if !tv.phase.live() {
				continue
			}
			if tv.healthy {
				healthyBefore++
			}
			if !stopped[tv.t.TaskARN] {
				liveAfter++
				if tv.healthy {
					healthyAfter++
				}
			}
		}
		require.LessOrEqual(t, liveAfter, b.Maximum, "at %v: running+pending above the maximum (rule 117)", st.Now.Sub(t0))
		require.GreaterOrEqual(t, healthyAfter, min(b.Minimum, healthyBefore),
			"at %v: healthy tasks stopped below the minimum %d: %d healthy before, %d after (rule 118)",
			st.Now.Sub(t0), b.Minimum, healthyBefore, healthyAfter)
	}
}

func TestSimulateWorkedExamples(t *testing.T) {
	tests := []struct {
		name              string
		desired, min, max int
		instances, slots  int
		want              Outcome
		wantSeconds       int64
	}{
		// Start 4 new (30 s to RUNNING, 40 s to healthy), then stop 4 old (30 s).
		{"4 at 100/200", 4, 100, 200, 4, 0, Completed, 100},
		{"4 at 50/100", 4, 50, 100, 4, 0, Completed, 140},
		{"2 at 75/200", 2, 75, 200, 3, 0, Completed, 100},
		{"3 at 50/125", 3, 50, 125, 3, 0, Completed, 210},
		{"1 at 100/200", 1, 100, 200, 3, 0, Completed, 100},
		// One slot: the new task waits until the old one has stopped.
		{"1 at 0/100 on one slot", 1, 0, 100, 1, 1, Completed, 100},
		{"3 at 100/125 is stuck", 3, 100, 125, 3, 0, Stuck, 0},
		{"5 at 100/100 is stuck", 5, 100, 100, 5, 0, Stuck, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := simulation(tt.desired, tt.min, tt.max, tt.instances, tt.slots)
			invariants(t, &cfg)
			rep, err := Simulate(context.Background(), cfg)
			require.NoError(t, err)
			require.Equal(t, tt.want, rep.Outcome)
			require.Equal(t, tt.wantSeconds, rep.DurationSeconds)
			require.False(t, rep.RolledBack)
			if tt.want == Completed {
				last := rep.Steps[len(rep.Steps)-1]
				require.Equal(t, Counts{tt.desired, 0, tt.desired}, last.New)
				require.Equal(t, Counts{}, last.Old)
				require.Contains(t, last.Events, "(service web) has reached a steady state.")
			}
		})
	}
}

func TestSimulateFaults(t *testing.T) {
	withBreaker := func(cfg *Simulation, rollback bool) {
		cfg.Service.DeploymentConfiguration.DeploymentCircuitBreaker = &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: rollback}
	}
	t.Run("all new tasks fail to start: rollback", func(t *testing.T) {
		cfg := simulation(4, 100, 200, 4, 0)
		withBreaker(&cfg, true)
		cfg.Faults = Faults{FailToStart: -1}
		rep, err := Simulate(context.Background(), cfg)
		require.NoError(t, err)
		require.Equal(t, Failed, rep.Outcome)
		require.True(t, rep.RolledBack)
		require.Equal(t, tdOld, rep.Service.Deployments[0].TaskDefinition)
		// Four fail at 30 s (counted 4 ≥ threshold 3).
		require.Equal(t, int64(30), rep.DurationSeconds)
	})
	t.Run("one task fails to start: the deployment completes", func(t *testing.T) {
		cfg := simulation(4, 100, 200, 4, 0)
		withBreaker(&cfg, true)
		cfg.Faults = Faults{FailToStart: 1}
		rep, err := Simulate(context.Background(), cfg)
		require.NoError(t, err)
		require.Equal(t, Completed, rep.Outcome)
	})
	t.Run("unhealthy new tasks without rollback: failed", func(t *testing.T) {
		cfg := simulation(4, 100, 200, 4, 0)
		withBreaker(&cfg, false)
		cfg.TaskDefinitions[tdNew].ContainerDefinitions[0].HealthCheck = &ecs.HealthCheck{
			Command: []string{"CMD-SHELL", "curl -f localhost"}, Interval: ptr(10)}
		cfg.Faults = Faults{Unhealthy: -1}
		rep, err := Simulate(context.Background(), cfg)
		require.NoError(t, err)
		require.Equal(t, Failed, rep.Outcome)
		require.False(t, rep.RolledBack)
		require.Equal(t, ecs.DeploymentRolloutStateFailed, rep.Service.Deployments[0].RolloutState)
	})
	t.Run("failures without a circuit breaker back off until the time limit", func(t *testing.T) {
		cfg := simulation(2, 100, 200, 2, 0)
		cfg.Faults = Faults{FailToStart: -1}
		cfg.MaxTime = time.Hour
		rep, err := Simulate(context.Background(), cfg)
		require.NoError(t, err)
		require.Equal(t, Stuck, rep.Outcome)
		var throttled bool
		for _, s := range rep.Steps {
			throttled = throttled || len(s.Events) > 0 && s.Events[len(s.Events)-1] == "(service web) is unable to consistently start tasks successfully."
		}
		require.True(t, throttled)
	})
	t.Run("an alarm rolls back", func(t *testing.T) {
		cfg := simulation(4, 100, 200, 4, 0)
		cfg.Service.DeploymentConfiguration.Alarms = &ecs.DeploymentAlarms{AlarmNames: []string{"p99"}, Enable: true, Rollback: true}
		cfg.Alarms = []AlarmWindow{{Name: "p99", From: 45 * time.Second}}
		rep, err := Simulate(context.Background(), cfg)
		require.NoError(t, err)
		require.Equal(t, Failed, rep.Outcome)
		require.True(t, rep.RolledBack)
	})
}

func TestSimulateDeterministic(t *testing.T) {
	run := func() *Report {
		cfg := simulation(12, 50, 150, 5, 4)
		cfg.Faults = Faults{FailToStart: 2, Unhealthy: 1}
		rep, err := Simulate(context.Background(), cfg)
		require.NoError(t, err)
		return rep
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
// that hold few tasks): the bounds
// of rules 117 and 118 hold at every step (invariants). Without faults
// and with room, a deployment whose bounds leave room to move completes
// in a bounded number of steps and one whose bounds leave none is
// reported stuck. With faults, a deployment completes only if its bounds
// let it move and not every new task fails (to start, or its health
// checks when it has one), fails only by its circuit breaker, and rolls
// back when the breaker says so; a completed one runs desiredCount
// healthy new tasks and no old one.
func TestSimulateProperties(t *testing.T) {
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
	for run := range 400 {
		desired := 1 + rng.IntN(40)
		minPct, maxPct := rng.IntN(101), 100+rng.IntN(101)
		if rng.IntN(3) == 0 {
			c := combos[rng.IntN(len(combos))]
			minPct, maxPct = c[0], c[1]
		}
		faulty := run%2 == 1
		slots := 0
		if faulty && rng.IntN(3) == 0 {
			slots = 1 + rng.IntN(4)
		}
		cfg := simulation(desired, minPct, maxPct, 1+rng.IntN(10), slots)
		cfg.MaxTime = time.Hour
		var breaker *ecs.DeploymentCircuitBreaker
		checked := false // tdNew has a health check
		if faulty {
			cfg.Faults = Faults{FailToStart: fault(desired), Unhealthy: fault(desired)}
			if checked = rng.IntN(2) == 0; checked {
				cfg.TaskDefinitions[tdNew].ContainerDefinitions[0].HealthCheck = &ecs.HealthCheck{
					Command: []string{"CMD-SHELL", "curl -f localhost"}, Interval: ptr(5 + rng.IntN(30)), Retries: ptr(1 + rng.IntN(3))}
			}
			if rng.IntN(3) == 0 {
				cfg.Service.HealthCheckGracePeriodSeconds = ptr(rng.IntN(120))
			}
			if rng.IntN(2) == 0 {
				breaker = &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: rng.IntN(2) == 0}
				cfg.Service.DeploymentConfiguration.DeploymentCircuitBreaker = breaker
			}
		}
		name := fmt.Sprintf("run %d: desired %d min %d max %d slots %d faults %+v health check %v breaker %+v",
			run, desired, minPct, maxPct, slots, cfg.Faults, checked, breaker)
		invariants(t, &cfg)
		rep, err := Simulate(context.Background(), cfg)
		require.NoError(t, err, name)
		b := BoundsFor(desired, ecs.SchedulingStrategyReplica, cfg.Service.DeploymentConfiguration)
		movable := b.Maximum > desired || b.Minimum < desired
		last := rep.Steps[len(rep.Steps)-1]
		switch {
		case !faulty && movable:
			require.Equal(t, Completed, rep.Outcome, name)
			require.LessOrEqual(t, len(rep.Steps), 4*desired+10, name)
		case !faulty:
			require.Equal(t, Stuck, rep.Outcome, name)
		case rep.Outcome == Completed:
			require.True(t, movable, name)
			require.NotEqual(t, -1, cfg.Faults.FailToStart, "%s: completed, yet every new task fails to start", name)
			// Without a health check, a task that will fail its checks is
			// healthy by the 40-second rule until it does (DefaultTiming),
			// and the deployment may complete before.
			require.False(t, checked && cfg.Faults.Unhealthy == -1, "%s: completed, yet every new task fails its health checks", name)
		case rep.Outcome == Failed:
			require.NotNil(t, breaker, "%s: failed without a circuit breaker", name)
			require.Equal(t, breaker.Rollback, rep.RolledBack, name)
		default:
			require.Equal(t, Stuck, rep.Outcome, name)
			require.False(t, rep.RolledBack, name)
		}
		if rep.Outcome == Completed {
			require.Equal(t, Counts{desired, 0, desired}, last.New, name)
			require.Equal(t, Counts{}, last.Old, name)
		}
	}
}
