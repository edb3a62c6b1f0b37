package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/rollout"
)

// rolloutJSONOut is the JSON of a rollout: the report's members as
// rollout.Report writes them, and what the text's header shows.
type rolloutJSONOut struct {
	*rollout.Report
	Service            string          `json:"service"`
	DesiredCount       int             `json:"desiredCount"`
	FromTaskDefinition string          `json:"fromTaskDefinition"`
	ToTaskDefinition   string          `json:"toTaskDefinition"`
	Strategy           string          `json:"strategy,omitempty"`
	Bounds             rolloutBounds   `json:"bounds"`
	Timing             rolloutTimingJS `json:"timing"`
}

// rolloutBounds are the deployment's percentages and the task counts
// they give.
type rolloutBounds struct {
	MinimumHealthyPercent int `json:"minimumHealthyPercent"`
	MinimumHealthyTasks   int `json:"minimumHealthyTasks"`
	MaximumPercent        int `json:"maximumPercent"`
	MaximumTasks          int `json:"maximumTasks"`
}

// rolloutTimingJS is the simulation's timing as the text states it.
type rolloutTimingJS struct {
	StartToRunningSeconds int64  `json:"startToRunningSeconds"`
	Healthy               string `json:"healthy"`
	StopSeconds           int64  `json:"stopSeconds"`
}

func rolloutBoundsOf(svc *ecs.Service) rolloutBounds {
	minPct, maxPct := ecs.DeploymentPercentages(svc.SchedulingStrategy, svc.DeploymentConfiguration)
	minimum, maximum := ecs.DeploymentBounds(svc.DesiredCount, minPct, maxPct)
	return rolloutBounds{minPct, minimum, maxPct, maximum}
}

// writeRolloutJSON writes the report with the header's facts as new
// members beside the report's own.
func writeRolloutJSON(w io.Writer, in *rolloutInput, a *rolloutArgs, rep *rollout.Report) error {
	out := rolloutJSONOut{Report: rep, Service: in.svc.ServiceName, DesiredCount: in.svc.DesiredCount,
		FromTaskDefinition: in.svc.Deployments[0].TaskDefinition, ToTaskDefinition: in.newTD.TaskDefinitionARN,
		Bounds: rolloutBoundsOf(in.svc),
		Timing: rolloutTimingJS{int64(a.startDelay / time.Second), healthRule(in.newTD), int64(a.stopTimeout / time.Second)}}
	if len(rep.Stages) > 0 {
		out.Strategy = string(in.svc.DeploymentConfiguration.Strategy)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// stepEvents returns step i's events but those listing started and
// stopped tasks, which the counts show.
func stepEvents(rep *rollout.Report, kinds [][]deploy.EventKind, i int) []string {
	var k []deploy.EventKind
	if i < len(kinds) {
		k = kinds[i]
	}
	return otherEvents(rep.Steps[i].Events, k)
}

// stageCells returns a step's lifecycle stage and production traffic on
// green, "-" before the traffic stages.
func stageCells(s *rollout.StepReport) (string, string) {
	if s.Production == nil {
		return "-", "-"
	}
	return string(s.LifecycleStage), strconv.FormatFloat(s.Production.Green, 'f', -1, 64) + "%"
}

// rolloutSteps returns the steps as a table; events joins each step's
// events into one cell (CSV), or leaves them out (nil).
func rolloutSteps(rep *rollout.Report, kinds [][]deploy.EventKind, events func([]string) string) table {
	traffic := len(rep.Stages) > 0
	t := table{header: []string{"time", "seconds", "oldRunning", "oldPending", "oldHealthy",
		"newRunning", "newPending", "newHealthy", "started", "stopped"}}
	if traffic {
		t.header = append(t.header, "stage", "productionGreen")
	}
	if events != nil {
		t.header = append(t.header, "events")
	}
	for i := range rep.Steps {
		s := &rep.Steps[i]
		row := []string{clock(s.T), strconv.FormatInt(s.T, 10)}
		for _, n := range []int{s.Old.Running, s.Old.Pending, s.Old.Healthy, s.New.Running, s.New.Pending, s.New.Healthy, s.Started, s.Stopped} {
			row = append(row, strconv.Itoa(n))
		}
		if traffic {
			st, green := stageCells(s)
			row = append(row, st, green)
		}
		if events != nil {
			row = append(row, events(stepEvents(rep, kinds, i)))
		}
		t.add(row...)
	}
	return t
}

// writeRolloutCSV writes one row a step; the events column holds the
// step's events (but the started and stopped lists), one a line.
func writeRolloutCSV(w io.Writer, rep *rollout.Report, kinds [][]deploy.EventKind) error {
	t := rolloutSteps(rep, kinds, func(e []string) string { return strings.Join(e, "\n") })
	return t.writeCSV(w)
}

// writeRolloutMarkdown writes the text's header as a list, the steps as a
// table, the events as a table of their own (one row an event), the
// stages, and the peak, duration and outcome.
func writeRolloutMarkdown(w io.Writer, in *rolloutInput, a *rolloutArgs, rep *rollout.Report, kinds [][]deploy.EventKind) error {
	svc, b := in.svc, &strings.Builder{}
	bd := rolloutBoundsOf(svc)
	fmt.Fprintf(b, "# Rollout of service %s: %d tasks, %s → %s\n\n", svc.ServiceName, svc.DesiredCount,
		ecs.ResourceID(svc.Deployments[0].TaskDefinition), ecs.ResourceID(in.newTD.TaskDefinitionARN))
	fmt.Fprintf(b, "- Outcome: **%s**%s, predicted duration %s, peak tasks %d\n", rep.Outcome, rolledBack(rep), clock(rep.DurationSeconds), rep.PeakTasks)
	fmt.Fprintf(b, "- Bounds: minimumHealthyPercent %d (%d tasks), maximumPercent %d (%d tasks)\n",
		bd.MinimumHealthyPercent, bd.MinimumHealthyTasks, bd.MaximumPercent, bd.MaximumTasks)
	fmt.Fprintf(b, "- Timing: start to RUNNING %v; healthy %s; stop %v (or stopTimeout)\n", a.startDelay, healthRule(in.newTD), a.stopTimeout)
	if len(rep.Stages) > 0 {
		fmt.Fprintf(b, "- Strategy: %s\n", svc.DeploymentConfiguration.Strategy)
	}
	b.WriteString("\n## Steps\n\n")
	steps := rolloutSteps(rep, kinds, nil)
	steps.writeMarkdown(b)
	if ev := rolloutEventTable(rep, kinds); len(ev.rows) > 0 {
		b.WriteString("\n## Events\n\n")
		ev.writeMarkdown(b)
	}
	if len(rep.Stages) > 0 {
		b.WriteString("\n## Stages\n\n")
		st := rolloutStageTable(rep)
		st.writeMarkdown(b)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func rolledBack(rep *rollout.Report) string {
	if rep.RolledBack {
		return " (rolled back)"
	}
	return ""
}

// rolloutEventTable lists the events but those listing started and
// stopped tasks, one row an event, with its step's time.
func rolloutEventTable(rep *rollout.Report, kinds [][]deploy.EventKind) table {
	ev := table{header: []string{"Time", "Event"}}
	for i := range rep.Steps {
		for _, e := range stepEvents(rep, kinds, i) {
			ev.add(clock(rep.Steps[i].T), e)
		}
	}
	return ev
}

// rolloutStageTable lists the lifecycle stages of a BLUE_GREEN, LINEAR or
// CANARY deployment with the traffic split from each on.
func rolloutStageTable(rep *rollout.Report) table {
	st := table{header: []string{"Time", "Stage", "Production green", "Test green", "Note"}}
	if len(rep.Stages) == 0 {
		return st
	}
	start := rep.Stages[0].At.Time
	for _, s := range rep.Stages {
		st.add(clock(int64(s.At.Sub(start)/time.Second)), string(s.Stage), strconv.FormatFloat(s.Production.Green, 'f', -1, 64)+"%",
			strconv.FormatFloat(s.Test.Green, 'f', -1, 64)+"%", s.Note)
	}
	return st
}
