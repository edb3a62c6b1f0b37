package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/capacity"
)

// zoneLossFlag is -survive-zone-loss: a boolean flag that also takes a
// value. Alone (or =true, =minimum-healthy) each service keeps its
// minimum healthy tasks after losing any one zone; =full keeps its
// desired count; =false plans no zone loss.
type zoneLossFlag struct{ mode *capacity.ZoneLoss }

func (f zoneLossFlag) String() string {
	if f.mode == nil || *f.mode == capacity.ZoneLossNone {
		return "false"
	}
	return string(*f.mode)
}

// Set takes the modes in any case, and the flag package's spellings of
// a boolean (1, t, TRUE, 0, f, ...).
func (f zoneLossFlag) Set(v string) error {
	switch mode := capacity.ZoneLoss(strings.ToLower(v)); mode {
	case capacity.ZoneLossMinimumHealthy, capacity.ZoneLossFull:
		*f.mode = mode
		return nil
	}
	on, err := strconv.ParseBool(v)
	switch {
	case err != nil:
		return fmt.Errorf("want minimum-healthy (the same as no value), full or false")
	case on:
		*f.mode = capacity.ZoneLossMinimumHealthy
	default:
		*f.mode = capacity.ZoneLossNone
	}
	return nil
}

// IsBoolFlag lets -survive-zone-loss stand alone.
func (zoneLossFlag) IsBoolFlag() bool { return true }

// spotRiskJSON is a service an interruption of the recommended option's
// Spot capacity in one zone would leave below its minimum healthy tasks.
type spotRiskJSON struct {
	Service string `json:"service"`
	Zone    string `json:"zone"`
	Running int    `json:"running"`
	Minimum int    `json:"minimumHealthy"`
}

func spotRisks(plan *capacity.Plan) []spotRiskJSON {
	out := []spotRiskJSON{}
	for _, r := range plan.SpotRisks {
		out = append(out, spotRiskJSON{Service: r.Workload, Zone: r.Zone, Running: r.Running, Minimum: r.Minimum})
	}
	return out
}

// writeTextNotes writes the Spot bound and the plan's warnings, after
// the options table.
func writeTextNotes(w io.Writer, plan *capacity.Plan) {
	if n := spotBound(plan); n != "" {
		fmt.Fprintln(w, n)
	}
	for _, warn := range plan.Warnings {
		fmt.Fprintln(w, "WARNING: "+warn)
	}
}

// writeMarkdownNotes is writeTextNotes in Markdown.
func writeMarkdownNotes(b *strings.Builder, plan *capacity.Plan) {
	n := spotBound(plan)
	if n == "" && len(plan.Warnings) == 0 {
		return
	}
	b.WriteString("\n")
	if n != "" {
		fmt.Fprintf(b, "- %s\n", n)
	}
	for _, warn := range plan.Warnings {
		fmt.Fprintf(b, "- **Warning:** %s\n", warn)
	}
}

// spotBound says how -max-spot-share bounds the Spot options, or "".
func spotBound(plan *capacity.Plan) string {
	if plan.MinOnDemandShare <= 0 {
		return ""
	}
	return fmt.Sprintf("Spot share bounded (-max-spot-share %g): at least %.6g%% of the EC2_SPOT instances, and of each service's FARGATE_SPOT tasks, run on demand (rounded up).",
		maxSpotShare(plan), 100*plan.MinOnDemandShare)
}

// maxSpotShare returns the -max-spot-share the plan was made with, as
// the user wrote it: 1 − MinOnDemandShare without the float noise of
// the subtraction (0.3, not 0.30000000000000004).
func maxSpotShare(plan *capacity.Plan) float64 {
	return decimal(1 - plan.MinOnDemandShare)
}

// decimal rounds f to 12 significant digits, dropping the noise of
// float arithmetic on a decimal the user wrote.
func decimal(f float64) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	if err != nil {
		return f
	}
	return v
}

// onDemandNote says how much of a Spot option runs on demand under
// -max-spot-share, or "".
func onDemandNote(o *capacity.Option) string {
	n, od := 0, 0
	for _, ic := range o.Instances {
		n, od = n+ic.Count, od+ic.OnDemand
	}
	if od > 0 {
		return fmt.Sprintf("%d of %d instances on demand", od, n)
	}
	for _, t := range o.Tasks {
		n, od = n+t.Count, od+t.OnDemand
	}
	if od > 0 {
		return fmt.Sprintf("%d of %d tasks on FARGATE", od, n)
	}
	return ""
}

// planNotes returns the plan's notes and the Spot bound, as the CSV's
// note rows.
func planNotes(plan *capacity.Plan) []string {
	out := slices.Clone(plan.Notes)
	if n := spotBound(plan); n != "" {
		out = append(out, n)
	}
	return out
}

// partJSON is one instance type of a mixed fleet.
type partJSON struct {
	InstanceType      string   `json:"instanceType"`
	Counts            []int    `json:"counts"` // per zone
	Services          []string `json:"services"`
	Shape             string   `json:"shape"` // CPU-heavy, balanced, memory-heavy, joined by +
	MonthlyCost       *float64 `json:"monthlyCost"`
	CPUUtilization    float64  `json:"cpuUtilization"`    // percent
	MemoryUtilization float64  `json:"memoryUtilization"` // percent
}

func partsOf(o *capacity.Option) []partJSON {
	var out []partJSON
	for _, fp := range o.Parts {
		out = append(out, partJSON{InstanceType: fp.InstanceType, Counts: fp.Counts, Services: fp.Workloads, Shape: fp.Shape,
			MonthlyCost: monthly(fp.Cost), CPUUtilization: percent(fp.CPUUtilization), MemoryUtilization: percent(fp.MemoryUtilization)})
	}
	return out
}

// partTypes names a mixed fleet's types, joined by +.
func partTypes(o *capacity.Option) string {
	var names []string
	for _, fp := range o.Parts {
		names = append(names, fp.InstanceType)
	}
	return strings.Join(names, "+")
}

// zoneLossValueApart refuses "-survive-zone-loss full": a boolean flag
// takes its value only after "=", so the value would be read as an
// argument (a task definition file).
func zoneLossValueApart(args []string) error {
	for i := 0; i+1 < len(args); i++ {
		if strings.TrimLeft(args[i], "-") != "survive-zone-loss" || !strings.HasPrefix(args[i], "-") {
			continue
		}
		switch v := args[i+1]; v {
		case "full", string(capacity.ZoneLossMinimumHealthy), "true", "false":
			return fmt.Errorf("%w: -survive-zone-loss takes its value after =: -survive-zone-loss=%s", errPlanUsage, v)
		}
	}
	return nil
}
