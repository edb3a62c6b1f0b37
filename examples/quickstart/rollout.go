package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
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
	rep, err := rollout(v1, v2, instances, deploy.Faults{})
	if err != nil {
		return err
	}
	writeTimeline(w, rep)

	heading(w, "The same rollout when no task of web:2 starts: the circuit breaker trips and rolls back")
	rep, err = rollout(v1, v2, instances, deploy.Faults{TaskDefinition: v2.TaskDefinitionARN, FailToStart: -1})
	if err != nil {
		return err
	}
	writeTimeline(w, rep)
	return nil
}

// rollout runs web on v1 and simulates its deployment to v2.
func rollout(v1, v2 *ecs.TaskDefinition, instances []ecs.ContainerInstance, faults deploy.Faults) (*deploy.Report, error) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
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
	cur := ecs.Deployment{ID: deploy.DeploymentID(seed, 0), Status: "PRIMARY", TaskDefinition: v1.TaskDefinitionARN,
		DesiredCount: 6, RunningCount: 6, RolloutState: ecs.DeploymentRolloutStateCompleted}
	tasks, placed, err := deploy.RunningTasks(svc, &cur, v1, 6, instances, seed, start.Add(-time.Hour))
	if err != nil {
		return nil, err
	}
	svc.Deployments = []ecs.Deployment{cur}
	svc = deploy.StartDeployment(svc, v2.TaskDefinitionARN, deploy.DeploymentID(seed, 1), start)
	tds := map[string]*ecs.TaskDefinition{v1.TaskDefinitionARN: v1, v2.TaskDefinitionARN: v2}
	return deploy.Simulate(context.Background(), deploy.Simulation{
		Service: svc, TaskDefinitions: tds, Instances: placed, Tasks: tasks,
		NewPlacer: deploy.PlacementPlacer(tds, nil), Faults: faults, Seed: seed, Start: start,
	})
}

func writeTimeline(w io.Writer, rep *deploy.Report) {
	fmt.Fprintln(w, "  time   web:1 run/healthy  web:2 run/pending/healthy  started stopped")
	for _, s := range rep.Steps {
		if s.Started == 0 && s.Stopped == 0 && !hasMilestone(s.Events) {
			continue
		}
		fmt.Fprintf(w, "  %02d:%02d  %3d/%d %15d/%d/%d %17d %7d\n", s.T/60, s.T%60,
			s.Old.Running, s.Old.Healthy, s.New.Running, s.New.Pending, s.New.Healthy, s.Started, s.Stopped)
		for _, e := range s.Events {
			if isMilestone(e) {
				fmt.Fprintf(w, "         %s\n", e)
			}
		}
	}
	fmt.Fprintf(w, "  outcome: %s (rolled back: %v) after %ds\n", rep.Outcome, rep.RolledBack, rep.DurationSeconds)
}

func hasMilestone(events []string) bool {
	for _, e := range events {
		if isMilestone(e) {
			return true
		}
	}
	return false
}

// isMilestone picks the events a reader needs; the per-task start and stop
// events are summed up in the columns.
func isMilestone(e string) bool {
	return !strings.Contains(e, "has started") && !strings.Contains(e, "has stopped")
}

func ptr[T any](v T) *T { return &v }
