package main

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/svg"
	"github.com/ecscore/ecscore/rollout"
)

// writeRolloutHTML writes the rollout as one HTML page: the Markdown's
// facts and tables, a chart of the old and new tasks running and healthy
// at each step with the events on the timeline and the deployment's
// bounds, and, for a BLUE_GREEN, LINEAR or CANARY deployment, a chart of
// the traffic split with the stages on the timeline. Every figure is in
// -o json (steps[].t, old, new, events; stages[].at, production, test;
// start; bounds).
func writeRolloutHTML(w io.Writer, in *rolloutInput, a *rolloutArgs, rep *rollout.Report, kinds [][]deploy.EventKind) error {
	svc := in.svc
	bd := rolloutBoundsOf(svc)
	r := &htmlReport{Title: fmt.Sprintf("Rollout of service %s: %d tasks, %s → %s", svc.ServiceName, svc.DesiredCount,
		ecs.ResourceID(svc.Deployments[0].TaskDefinition), ecs.ResourceID(in.newTD.TaskDefinitionARN))}
	r.Facts = []string{
		fmt.Sprintf("Outcome: %s%s, predicted duration %s, peak tasks %d (old and new side by side).", rep.Outcome, rolledBack(rep), clock(rep.DurationSeconds), rep.PeakTasks),
		fmt.Sprintf("Bounds: minimumHealthyPercent %d (%d tasks), maximumPercent %d (%d tasks).",
			bd.MinimumHealthyPercent, bd.MinimumHealthyTasks, bd.MaximumPercent, bd.MaximumTasks),
		fmt.Sprintf("Timing: start to RUNNING %v; healthy %s; stop %v (or stopTimeout).", a.startDelay, healthRule(in.newTD), a.stopTimeout),
	}
	if len(rep.Stages) > 0 {
		r.Facts = append(r.Facts, "Strategy: "+string(svc.DeploymentConfiguration.Strategy)+".")
	}
	events := rolloutEventTable(rep, kinds)
	r.Charts = []template.HTML{rolloutTaskChart(rep, kinds, bd)}
	if len(rep.Stages) > 0 {
		r.Charts = append(r.Charts, rolloutTrafficChart(rep))
	}
	if len(events.rows) > 0 {
		r.Sections = append(r.Sections, sectionOf("Events", numbered(events)))
	}
	r.Sections = append(r.Sections, sectionOf("Steps", rolloutSteps(rep, kinds, nil)))
	if len(rep.Stages) > 0 {
		r.Sections = append(r.Sections, sectionOf("Stages", numbered(rolloutStageTable(rep))))
	}
	return writeHTML(w, r)
}

// rolloutTaskChart draws the old and new tasks running and healthy over
// time, the bounds as guides, and a marker per event, numbered as the
// events table.
func rolloutTaskChart(rep *rollout.Report, kinds [][]deploy.EventKind, bd rolloutBounds) template.HTML {
	c := svg.LineChart{Title: "Tasks running and healthy", XLabel: "time from the start (h:mm:ss)", YLabel: "tasks",
		XTicks: svg.TimeTicks, XFormat: svg.Clock,
		Series: []svg.Series{
			{Name: "old running", Step: true, Color: svg.Color(0)},
			{Name: "old healthy", Step: true, Dashed: true, Color: svg.Color(0)},
			{Name: "new running", Step: true, Color: svg.Color(1)},
			{Name: "new healthy", Step: true, Dashed: true, Color: svg.Color(1)},
		},
		Guides: []svg.Guide{
			{Y: float64(bd.MinimumHealthyTasks), Label: fmt.Sprintf("minimum healthy (%d%%)", bd.MinimumHealthyPercent)},
			{Y: float64(bd.MaximumTasks), Label: fmt.Sprintf("maximum (%d%%)", bd.MaximumPercent)},
		}}
	n := 0
	for i := range rep.Steps {
		s := &rep.Steps[i]
		t := float64(s.T)
		for j, v := range []int{s.Old.Running, s.Old.Healthy, s.New.Running, s.New.Healthy} {
			c.Series[j].Points = append(c.Series[j].Points, svg.Point{X: t, Y: float64(v)})
		}
		for _, e := range stepEvents(rep, kinds, i) {
			n++
			c.Markers = append(c.Markers, svg.Marker{X: t, Label: strconv.Itoa(n), Title: fmt.Sprintf("%d. %s %s", n, clock(s.T), e)})
		}
	}
	return c.SVG()
}

// rolloutTrafficChart draws the production traffic on blue and on green
// and the test traffic on green from each stage on (the stages hold the
// times of the shifts, which fall between the scheduler's steps), with a
// marker at each stage, numbered as the stages table.
func rolloutTrafficChart(rep *rollout.Report) template.HTML {
	c := svg.LineChart{Title: "Traffic split", XLabel: "time from the start (h:mm:ss)", YLabel: "share of traffic",
		XTicks: svg.TimeTicks, XFormat: svg.Clock, YMax: 100, YFormat: svg.Percent,
		Series: []svg.Series{
			{Name: "production on blue (old)", Step: true, Color: svg.Color(0)},
			{Name: "production on green (new)", Step: true, Color: svg.Color(2)},
			{Name: "test on green", Step: true, Dashed: true, Color: svg.Color(3)},
		}}
	end := float64(rep.DurationSeconds)
	for i, st := range rep.Stages {
		at := float64(st.At.Sub(rep.Start.Time) / time.Second)
		end = max(end, at)
		for j, v := range []float64{st.Production.Blue, st.Production.Green, st.Test.Green} {
			c.Series[j].Points = append(c.Series[j].Points, svg.Point{X: at, Y: v})
		}
		title := fmt.Sprintf("%d. %s %s: production %g%% green, test %g%% green", i+1, clock(int64(at)), st.Stage, st.Production.Green, st.Test.Green)
		if st.Note != "" {
			title += " (" + st.Note + ")"
		}
		c.Markers = append(c.Markers, svg.Marker{X: at, Label: strconv.Itoa(i + 1), Title: title})
	}
	for j := range c.Series { // each split holds until the end
		if pts := c.Series[j].Points; len(pts) > 0 {
			c.Series[j].Points = append(pts, svg.Point{X: end, Y: pts[len(pts)-1].Y})
		}
	}
	return c.SVG()
}

// numbered returns t with a first column numbering its rows from 1.
func numbered(t table) table {
	out := table{header: append([]string{"#"}, t.header...)}
	for i, row := range t.rows {
		out.add(append([]string{strconv.Itoa(i + 1)}, row...)...)
	}
	return out
}
