package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/svg"
)

// totals sums a sample's services and instances.
func (s *simSample) totals() (desired, running, pending, instances int) {
	for _, v := range s.Services {
		desired, running, pending = desired+v.Desired, running+v.Running, pending+v.Pending
	}
	for _, n := range s.Instances {
		instances += n
	}
	return
}

func money2(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

func fmtHours(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// hourly returns the samples on the hour (every sample when they are
// farther apart), and the last.
func (r *simReport) hourly() []simSample {
	var out []simSample
	for i, s := range r.Samples {
		if s.T%3600 == 0 || r.IntervalSeconds > 3600 || i == len(r.Samples)-1 {
			out = append(out, s)
		}
	}
	return out
}

// serviceTable is the services' summary.
func (r *simReport) serviceTable() table {
	t := table{header: []string{"SERVICE", "DESIRED MIN", "DESIRED MAX", "FINAL", "STARTED", "UNABLE TO PLACE", "WAITING TASK-HOURS", "FARGATE COST"}}
	for _, s := range r.Services {
		t.add(s.Service, strconv.Itoa(s.MinDesired), strconv.Itoa(s.MaxDesired), strconv.Itoa(s.FinalDesired),
			strconv.Itoa(s.TasksStarted), strconv.Itoa(s.UnableToPlace), fmtHours(s.WaitingTaskHours), money2(s.Cost))
	}
	return t
}

// instanceTable is the instances' summary, per type and zone.
func (r *simReport) instanceTable() table {
	t := table{header: []string{"INSTANCE TYPE", "ZONE", "MIN", "MAX", "FINAL", "INSTANCE-HOURS", "PRICE/HOUR", "COST"}}
	for _, p := range r.Instances {
		price := "-"
		if p.PricePerHour != nil {
			price = strconv.FormatFloat(*p.PricePerHour, 'f', -1, 64)
		}
		t.add(p.InstanceType, p.AvailabilityZone, strconv.Itoa(p.Min), strconv.Itoa(p.Max), strconv.Itoa(p.Final),
			fmtHours(p.InstanceHours), price, money2(p.Cost))
	}
	return t
}

// timeTable is the totals on the hour.
func (r *simReport) timeTable() table {
	t := table{header: []string{"TIME", "DESIRED", "RUNNING", "PENDING", "INSTANCES", "COST SO FAR"}}
	for _, s := range r.hourly() {
		d, run, p, n := s.totals()
		t.add(offsetString(time.Duration(s.T)*time.Second), strconv.Itoa(d), strconv.Itoa(run), strconv.Itoa(p), strconv.Itoa(n), money2(s.Cost))
	}
	return t
}

// writeText writes a table aligned in columns.
func (t *table) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// writeSimText writes the report as text.
func writeSimText(w io.Writer, r *simReport) error {
	fmt.Fprintf(w, "Simulated %s from %s, sampled every %s, cluster %s: cost %s %s\n\n",
		offsetString(time.Duration(r.SpanSeconds)*time.Second), r.Start.Time.UTC().Format(time.RFC3339),
		time.Duration(r.IntervalSeconds)*time.Second, r.Cluster, r.Currency, money2(r.Cost))
	if r.Spot != nil {
		fmt.Fprintf(w, "Spot: %s\n\n", r.Spot.summary())
	}
	for _, part := range []struct {
		title string
		t     table
	}{{"Services", r.serviceTable()}, {"Instances", r.instanceTable()}, {"Over time (totals)", r.timeTable()}} {
		fmt.Fprintln(w, part.title+":")
		if err := part.t.writeText(w); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "Note:", n)
	}
	return nil
}

// writeSimCSV writes every sample as rows of one table: a "service" row
// per service, an "instances" row per instance type and zone, a "total"
// row with the cost so far.
func writeSimCSV(w io.Writer, r *simReport) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"row", "time", "service", "desired", "running", "pending", "cpuUtilization", "instanceType", "availabilityZone", "instances", "cost"})
	for _, s := range r.Samples {
		at := offsetString(time.Duration(s.T) * time.Second)
		for i, v := range s.Services {
			cpu := ""
			if v.CPUUtilization != nil {
				cpu = strconv.FormatFloat(*v.CPUUtilization, 'f', -1, 64)
			}
			cw.Write([]string{"service", at, r.ServiceNames[i], strconv.Itoa(v.Desired), strconv.Itoa(v.Running), strconv.Itoa(v.Pending), cpu, "", "", "", ""})
		}
		for j, n := range s.Instances {
			typ, zone := splitPool(r.Pools[j])
			cw.Write([]string{"instances", at, "", "", "", "", "", typ, zone, strconv.Itoa(n), ""})
		}
		d, run, p, n := s.totals()
		cw.Write([]string{"total", at, "", strconv.Itoa(d), strconv.Itoa(run), strconv.Itoa(p), "", "", "", strconv.Itoa(n), money2(s.Cost)})
	}
	cw.Flush()
	return cw.Error()
}

// maxChartServices is how many services the HTML chart of tasks draws
// (those of the largest peak desired count); the tables hold them all.
const maxChartServices = 8

// writeSimHTML writes the report as a self-contained HTML page.
func writeSimHTML(w io.Writer, r *simReport) error {
	rep := &htmlReport{
		Title: "ecsplan simulate: " + r.Cluster,
		Facts: []string{
			fmt.Sprintf("%s from %s, sampled every %s", offsetString(time.Duration(r.SpanSeconds)*time.Second),
				r.Start.Time.UTC().Format(time.RFC3339), time.Duration(r.IntervalSeconds)*time.Second),
			fmt.Sprintf("cost: %s %s", r.Currency, money2(r.Cost)),
		},
		Notes:  r.Notes,
		Charts: []template.HTML{r.taskChart(), r.instanceChart()},
		Sections: []htmlSection{sectionOf("Services", r.serviceTable()), sectionOf("Instances", r.instanceTable()),
			sectionOf("Over time (totals)", r.timeTable())},
	}
	if r.Spot != nil {
		rep.Facts = append(rep.Facts, "Spot: "+r.Spot.summary())
	}
	return writeHTML(w, rep)
}

// summary says what the Spot model did: its rates, the interruptions
// and the tasks they replaced.
func (s *simSpot) summary() string {
	return fmt.Sprintf("%d instance interruptions (%g an instance-hour; %d rebalance recommendations), "+
		"%d FARGATE_SPOT task interruptions (%g a task-hour), %d tasks replaced; %s Spot instance-hours",
		s.Stats.InstanceInterruptions, s.Model.EC2PerInstanceHour, s.Stats.RebalanceRecommendations,
		s.Stats.FargateInterruptions, s.Model.FargatePerTaskHour, s.Stats.ReplacedTasks, fmtHours(s.SpotInstanceHours))
}

// taskChart draws the desired (dashed) and running tasks of the services
// of the largest peaks over time.
func (r *simReport) taskChart() template.HTML {
	c := svg.LineChart{Title: "Desired (dashed) and running tasks", XLabel: "time from the start (h:mm:ss)", YLabel: "tasks",
		XTicks: svg.TimeTicks, XFormat: svg.Clock}
	idx := make([]int, len(r.Services))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return r.Services[b].MaxDesired - r.Services[a].MaxDesired })
	for k, i := range idx[:min(len(idx), maxChartServices)] {
		desired := svg.Series{Name: r.ServiceNames[i] + " desired", Step: true, Dashed: true, Color: svg.Color(k)}
		running := svg.Series{Name: r.ServiceNames[i] + " running", Step: true, Color: svg.Color(k)}
		for _, s := range r.Samples {
			desired.Points = append(desired.Points, svg.Point{X: float64(s.T), Y: float64(s.Services[i].Desired)})
			running.Points = append(running.Points, svg.Point{X: float64(s.T), Y: float64(s.Services[i].Running)})
		}
		c.Series = append(c.Series, desired, running)
	}
	return c.SVG()
}

// instanceChart draws the instances of each type and zone over time.
func (r *simReport) instanceChart() template.HTML {
	c := svg.LineChart{Title: "Instances per type and zone", XLabel: "time from the start (h:mm:ss)", YLabel: "instances",
		XTicks: svg.TimeTicks, XFormat: svg.Clock}
	for j, pool := range r.Pools {
		s := svg.Series{Name: pool, Step: true, Color: svg.Color(j)}
		for _, sm := range r.Samples {
			s.Points = append(s.Points, svg.Point{X: float64(sm.T), Y: float64(sm.Instances[j])})
		}
		c.Series = append(c.Series, s)
	}
	return c.SVG()
}

// writeSimJSON writes the report as writeJSONDoc would, but one sample
// at a time, so that a long run's JSON is never held whole in memory
// (the samples of a run at maxSimFigures are about 80 MB in memory and
// 110 MB as JSON; marshalled whole, 750 MB).
func writeSimJSON(w io.Writer, r *simReport) error {
	head := *r
	head.Samples = nil
	data, err := ecs.MarshalIndent(&head, "  ")
	if err != nil {
		return err
	}
	const hole = `"samples": null`
	before, after, ok := bytes.Cut(data, []byte(hole))
	if !ok {
		return errors.New("the report's JSON has no samples member")
	}
	bw := bufio.NewWriter(w)
	bw.Write(before)
	bw.WriteString(`"samples": [`)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ") // a sample is an element of a member of the top level
	for i := range r.Samples {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		b.Reset()
		if err := enc.Encode(&r.Samples[i]); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	}
	if len(r.Samples) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]")
	bw.Write(after)
	bw.WriteString("\n")
	return bw.Flush()
}
