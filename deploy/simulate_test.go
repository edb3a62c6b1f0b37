package deploy

import (
	"context"
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

// invariants checks, at every step, rules 117 and 118: the step never
// takes healthy tasks below the minimum (unless they already were) and
// never takes tasks RUNNING or PENDING above the maximum.
func invariants(t *testing.T, cfg *Simulation) {
	t.Helper()
	b := BoundsFor(cfg.Service.DesiredCount, ecs.SchedulingStrategyReplica, cfg.Service.DeploymentConfiguration)
	cfg.OnStep = func(st *State, res *Result) {
		t.Helper()
		v, err := newView(st)
		require.NoError(t, err)
		stopped := make(map[string]bool)
		for _, s := range res.Stop {
			stopped[s.TaskARN] = true
		}
		live, healthy, healthyStopped := 0, 0, 0
		for _, tv := range v.tasks {
			if !tv.phase.live() {
				continue
			}
			if tv.healthy && stopped[tv.t.TaskARN] {
				healthyStopped++
			}
			if !stopped[tv.t.TaskARN] {
				live++
				if tv.healthy {
					healthy++
				}
			}
		}
		live += len(res.Start)
		require.LessOrEqual(t, live, b.Maximum, "at %v: running+pending above the maximum", st.Now.Sub(t0))
		if healthyStopped > 0 {
			require.GreaterOrEqual(t, healthy, b.Minimum, "at %v: healthy below the minimum", st.Now.Sub(t0))
		}
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

// TestSimulateProperties runs random services and percentages: the
// bounds hold at every step, and a deployment whose bounds leave room to
// move completes in a bounded number of steps; one whose bounds leave
// none is reported stuck.
func TestSimulateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 150 {
		desired := 1 + rng.IntN(40)
		minPct := rng.IntN(101)
		maxPct := 100 + rng.IntN(101)
		name := cmp.Diff(nil, []int{desired, minPct, maxPct})
		cfg := simulation(desired, minPct, maxPct, 1+rng.IntN(10), 0)
		invariants(t, &cfg)
		rep, err := Simulate(context.Background(), cfg)
		require.NoError(t, err, name)
		b := BoundsFor(desired, ecs.SchedulingStrategyReplica, cfg.Service.DeploymentConfiguration)
		if b.Maximum > desired || b.Minimum < desired {
			require.Equal(t, Completed, rep.Outcome, "desired %d min %d max %d", desired, minPct, maxPct)
			require.LessOrEqual(t, len(rep.Steps), 4*desired+10, "desired %d min %d max %d", desired, minPct, maxPct)
		} else {
			require.Equal(t, Stuck, rep.Outcome, "desired %d min %d max %d", desired, minPct, maxPct)
		}
	}
}
