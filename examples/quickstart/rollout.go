package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/ecscore/ecscore/rollout"
)

const seed = 7

func showRollouts(w io.Writer, reg *ecs.Registry, instances []ecs.ContainerInstance) error {
	v1, err := reg.Describe("web:1")
	if err != nil {
		return err
	}
	v2, err := registerFile(reg, "web-v2.json")
	if err != nil {
		return err
	}
	heading(w, "Rolling service web from web:1 to web:2 (6 tasks, minimumHealthyPercent 100, maximumPercent 200)")
	rep, kinds, err := simulate(v1, v2, instances)
	if err != nil {
		return err
	}
	writeTimeline(w, rep, kinds)

	heading(w, "The same rollout when no task of web:2 starts: the circuit breaker trips and rolls back")
	rep, kinds, err = simulate(v1, v2, instances, ecstest.TaskFaults{TaskDefinition: v2.TaskDefinitionARN, FailToStart: -1})
	if err != nil {
		return err
	}
	writeTimeline(w, rep, kinds)
	return nil
}

// simulate simulates the deployment of web, running six tasks of v1, to
// v2, with the faults given. It returns the report and the kinds of each
// step's events (Result.Kinds), one entry a step as in the report.
func simulate(v1, v2 *ecs.TaskDefinition, instances []ecs.ContainerInstance, faults ...ecstest.TaskFaults) (*rollout.Report, [][]deploy.EventKind, error) {
	svc := &ecs.Service{
		ServiceName: "web", ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/default",
		ServiceARN:   "arn:aws:ecs:us-east-1:123456789012:service/default/web",
		DesiredCount: 6, TaskDefinition: v1.TaskDefinitionARN, PlacementStrategy: spreadThenBinpack,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{
			MinimumHealthyPercent:    ptr(100),
			MaximumPercent:           ptr(200),
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true},
		},
	}
	var kinds [][]deploy.EventKind
	rep, err := rollout.Simulate(context.Background(), svc, v1, v2, instances,
		rollout.WithFaults(faults...), rollout.WithSeed(seed),
		rollout.OnStep(func(_ *deploy.State, res *deploy.Result) { kinds = append(kinds, res.Kinds) }))
	return rep, kinds, err
}

func writeTimeline(w io.Writer, rep *rollout.Report, kinds [][]deploy.EventKind) {
	fmt.Fprintln(w, "  time   web:1 run/healthy  web:2 run/pending/healthy  started stopped")
	for i, s := range rep.Steps {
		var milestones []string
		for j, e := range s.Events {
			k := deploy.EventOther
			if i < len(kinds) && j < len(kinds[i]) {
				k = kinds[i][j]
			}
			if isMilestone(k) {
				milestones = append(milestones, e)
			}
		}
		if s.Started == 0 && s.Stopped == 0 && len(milestones) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %02d:%02d  %3d/%d %15d/%d/%d %17d %7d\n", s.T/60, s.T%60,
			s.Old.Running, s.Old.Healthy, s.New.Running, s.New.Pending, s.New.Healthy, s.Started, s.Stopped)
		for _, e := range milestones {
			fmt.Fprintf(w, "         %s\n", e)
		}
	}
	fmt.Fprintf(w, "  outcome: %s (rolled back: %v) after %ds\n", rep.Outcome, rep.RolledBack, rep.DurationSeconds)
}

// isMilestone picks the events a reader needs; the per-task start and stop
// events are summed up in the columns.
func isMilestone(k deploy.EventKind) bool {
	return k != deploy.EventStarted && k != deploy.EventStopped
}

func ptr[T any](v T) *T { return &v }
