package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/ecscore/ecscore/capacity"
)

// planJSON is the JSON form of a plan.
type planJSON struct {
	Options     []optionJSON      `json:"options"`
	Recommended *string           `json:"recommended"`
	Unplaceable []unplaceableJSON `json:"unplaceable"`
	// The members below carry the rest of what the text shows.
	Services          int        `json:"services"`
	AvailabilityZones []string   `json:"availabilityZones"`
	Headroom          int        `json:"headroom"`
	Prices            pricesJSON `json:"prices"`
	Notes             []string   `json:"notes"`
	// Warnings say what could break a service in the recommended option;
	// spotRisks are the same as data.
	Warnings  []string       `json:"warnings"`
	SpotRisks []spotRiskJSON `json:"spotRisks"`
	// MaxSpotShare is -max-spot-share: the Spot options' bound.
	MaxSpotShare float64       `json:"maxSpotShare"`
	Types        []typeJSON    `json:"types"` // every instance type, cheapest plan first
	Fargate      []fargateJSON `json:"fargate"`
	// SurviveZoneLoss is "minimum-healthy" or "full" when every plan
	// survives the loss of any one zone (-survive-zone-loss), else null.
	SurviveZoneLoss *string `json:"surviveZoneLoss"`
}

type optionJSON struct {
	Kind              string         `json:"kind"`
	Instances         []instanceJSON `json:"instances"`
	CPUUtilization    float64        `json:"cpuUtilization"`    // percent
	MemoryUtilization float64        `json:"memoryUtilization"` // percent
	MonthlyCost       *float64       `json:"monthlyCost"`       // null without a price
	// Unavailable says why the option has no cost.
	Unavailable string `json:"unavailable,omitempty"`
	// NeedsChanges lists the services the option would refuse as written;
	// such an option is priced as a what-if and never recommended.
	NeedsChanges []string `json:"needsChanges,omitempty"`
	// Notes say what the option's cost leaves out.
	Notes []string `json:"notes,omitempty"`
	// StrandedCPU (units) and StrandedMemoryMiB are, for an EC2 option,
	// what its instances keep unused because the other resource runs out.
	StrandedCPU       *int `json:"strandedCpu,omitempty"`
	StrandedMemoryMiB *int `json:"strandedMemoryMiB,omitempty"`
	// Parts are, for a mixed fleet (-mixed), each instance type and the
	// services pinned to it.
	Parts []partJSON `json:"parts,omitempty"`
}

type instanceJSON struct {
	InstanceType     string `json:"instanceType"`
	AvailabilityZone string `json:"availabilityZone"`
	Count            int    `json:"count"`
	// OnDemand is, in an EC2_SPOT option with -max-spot-share, how many
	// of count run on demand.
	OnDemand int `json:"onDemand,omitempty"`
}

type unplaceableJSON struct {
	Service string   `json:"service"`
	Options []string `json:"options"` // the option kinds that cannot run it
	Reason  string   `json:"reason"`
}

func percent(f float64) float64 { return math.Round(f*1000) / 10 }

func writePlanJSON(w io.Writer, plan *capacity.Plan, prices *capacity.PriceTable, ws []capacity.Workload, headroom int) error {
	out := planJSON{Options: []optionJSON{}, Unplaceable: []unplaceableJSON{},
		Services: len(ws), AvailabilityZones: plan.AvailabilityZones, Headroom: headroom, Prices: pricesOf(prices),
		Notes: append([]string{}, plan.Notes...), Types: typeRows(plan), Fargate: fargateRows(plan),
		Warnings: append([]string{}, plan.Warnings...), SpotRisks: spotRisks(plan), MaxSpotShare: maxSpotShare(plan)}
	for _, o := range plan.Options {
		oj := optionJSON{Kind: string(o.Kind), Instances: []instanceJSON{},
			CPUUtilization: percent(o.CPUUtilization), MemoryUtilization: percent(o.MemoryUtilization),
			Unavailable: o.Cost.Missing, NeedsChanges: o.NeedsChanges, Notes: o.Notes}
		for _, ic := range o.Instances {
			oj.Instances = append(oj.Instances, instanceJSON(ic))
		}
		if tp := typePlan(plan, o.InstanceType); tp != nil {
			oj.StrandedCPU, oj.StrandedMemoryMiB = &tp.StrandedCPU, &tp.StrandedMemoryMiB
		}
		oj.MonthlyCost = monthly(o.Cost)
		oj.Parts = partsOf(&o)
		out.Options = append(out.Options, oj)
	}
	if plan.SurviveZoneLoss != capacity.ZoneLossNone {
		z := string(plan.SurviveZoneLoss)
		out.SurviveZoneLoss = &z
	}
	if plan.Recommended != "" {
		r := string(plan.Recommended)
		out.Recommended = &r
	}
	for _, u := range plan.Unplaceable {
		uj := unplaceableJSON{Service: u.Workload, Reason: u.Reason}
		for _, k := range u.Kinds {
			uj.Options = append(uj.Options, string(k))
		}
		out.Unplaceable = append(out.Unplaceable, uj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// maxTypeRows is the most instance types the text table lists.
const maxTypeRows = 12

// writePlanText writes the plan as tables: the instances per type and
// zone with utilisation bars and cost, the options, the Fargate
// comparison, and what cannot be placed.
func writePlanText(w io.Writer, plan *capacity.Plan, prices *capacity.PriceTable, ws []capacity.Workload, headroom int) error {
	fmt.Fprintf(w, "Capacity plan: %d services in %s", len(ws), strings.Join(plan.AvailabilityZones, ", "))
	if headroom > 0 {
		fmt.Fprintf(w, ", headroom %d tasks", headroom)
	}
	fmt.Fprintf(w, "\nEach plan holds the desired counts, each deployment's surge (one service at a time)\n"+
		"and the daemons on every instance. Prices: %s %s, EC2 of %s, Fargate of %s, %d hours a month.\n\n",
		prices.Region, prices.Currency, cmp.Or(prices.EC2.Date, "the -instance-types file"), prices.Date, capacity.HoursPerMonth)
	for _, n := range plan.Notes {
		fmt.Fprintln(w, "Note: "+n)
	}
	if len(plan.Notes) > 0 {
		fmt.Fprintln(w)
	}
	writeTypeTable(w, plan)
	writeZoneTable(w, plan)
	writeOptionTable(w, plan)
	writeFargateTable(w, plan)
	if len(plan.Unplaceable) > 0 {
		fmt.Fprintln(w, "\nCannot place:")
		for _, u := range plan.Unplaceable {
			kinds := make([]string, len(u.Kinds))
			for i, k := range u.Kinds {
				kinds[i] = string(k)
			}
			fmt.Fprintf(w, "  %s on %s: %s\n", u.Workload, strings.Join(kinds, ", "), u.Reason)
		}
	}
	return nil
}

// writeTypeTable lists the types with a plan, cheapest first, then those
// without, each with its first reason.
func writeTypeTable(w io.Writer, plan *capacity.Plan) {
	ok, failed := sortedTypes(plan)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "INSTANCE TYPE\t%s\tTOTAL\tCPU\tMEMORY\tON DEMAND/MONTH\t%s\tSTRANDED\n", strings.Join(plan.AvailabilityZones, "\t"), spotColumn(plan, "SPOT/MONTH"))
	shown := ok[:min(len(ok), maxTypeRows)]
	for _, tp := range shown {
		counts := make([]string, len(tp.Counts))
		for z, n := range tp.Counts {
			counts[z] = fmt.Sprint(n)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", tp.InstanceType, strings.Join(counts, "\t"), tp.Instances(),
			bar(tp.CPUUtilization), bar(tp.MemoryUtilization), money(tp.OnDemand), money(tp.Spot), stranded(tp))
	}
	if len(failed) <= maxTypeRows-len(shown) {
		for _, tp := range failed {
			fmt.Fprintf(tw, "%s\t%s\n", tp.InstanceType, "no plan: "+shortReason(tp.Err))
		}
		failed = nil
	}
	tw.Flush()
	if more := len(ok) - len(shown); more > 0 || len(failed) > 0 {
		fmt.Fprintf(w, "(%d more instance types with a plan, %d without; -o json gives the options)\n", more, len(failed))
	}
}

// writeZoneTable lists, for the types the type table shows with a plan,
// the CPU and memory utilisation of each zone's instances.
func writeZoneTable(w io.Writer, plan *capacity.Plan) {
	zt, ok := planZoneTable(plan)
	if !ok {
		return
	}
	fmt.Fprintln(w, "\nUtilisation per zone (CPU / memory):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "INSTANCE TYPE\t%s\n", strings.Join(plan.AvailabilityZones, "\t"))
	for _, row := range zt.rows[:min(len(zt.rows), maxTypeRows)] {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
}

// writeOptionTable lists the four options and marks the recommended one.
func writeOptionTable(w io.Writer, plan *capacity.Plan) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPTION\tRUNS ON\tCPU\tMEMORY\tPER MONTH")
	for i := range plan.Options {
		o := &plan.Options[i]
		on := optionRunsOn(o)
		mark := ""
		if o.Kind == plan.Recommended {
			mark = "  ← recommended"
		}
		if !o.Cost.Priced() {
			fmt.Fprintf(tw, "%s\t%s\t\t\tno price\n", o.Kind, on)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f%%\t%.1f%%\t%s%s\n", o.Kind, on,
			100*o.CPUUtilization, 100*o.MemoryUtilization, money(o.Cost), mark)
	}
	tw.Flush()
	for _, o := range plan.Options {
		if !o.Cost.Priced() {
			fmt.Fprintf(w, "%s: %s\n", o.Kind, o.Cost.Missing)
		}
	}
	if plan.Recommended == "" {
		fmt.Fprintln(w, "No option runs every service at a known price.")
	}
	writeTextNotes(w, plan)
}

// writeFargateTable compares each service's Fargate cost.
func writeFargateTable(w io.Writer, plan *capacity.Plan) {
	fg := optionOf(plan, capacity.OptionFargate)
	if len(fg.Tasks) == 0 {
		return
	}
	spotTask := spotTasks(plan)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FARGATE\tTASKS\tSIZE\tFARGATE/MONTH\tFARGATE SPOT/MONTH")
	for _, t := range fg.Tasks {
		sp := "no price"
		if st, ok := spotTask[t.Workload]; ok {
			sp = fmt.Sprintf("%.2f", st.Monthly())
		}
		fmt.Fprintf(tw, "%s\t%d\t%g vCPU, %g GB\t%.2f\t%s\n", t.Workload, t.Count,
			float64(t.Size.CPU)/1024, float64(t.Size.MemoryMiB)/1024, t.Hourly*float64(t.Count)*capacity.HoursPerMonth, sp)
	}
	tw.Flush()
	for _, n := range fg.Notes {
		fmt.Fprintln(w, "Fargate: "+n)
	}
	for _, n := range fg.NeedsChanges {
		fmt.Fprintln(w, "Fargate needs changes first: "+n)
	}
}

// bar draws a fraction as ten cells and a percentage.
func bar(f float64) string {
	n := min(max(int(math.Round(f*10)), 0), 10)
	return fmt.Sprintf("%s%s %5.1f%%", strings.Repeat("█", n), strings.Repeat("░", 10-n), 100*f)
}

func money(c capacity.Cost) string {
	if !c.Priced() {
		return "-"
	}
	return fmt.Sprintf("%.2f", c.Monthly)
}

// shortReason gives a plan's failure in a few words: the phase, the
// service and placement's first reason.
func shortReason(err error) string {
	var pe *capacity.PlacementError
	if errors.As(err, &pe) && pe.Explanation != nil && len(pe.Explanation.Reasons) > 0 {
		if pe.Zone != "" {
			return fmt.Sprintf("%s of %s: %s: %s", pe.Phase, pe.Zone, pe.Workload, pe.Explanation.Reasons[0])
		}
		return fmt.Sprintf("%s of %s: %s", pe.Phase, pe.Workload, pe.Explanation.Reasons[0])
	}
	return capacity.ErrorReason(err)
}

// typePlan returns the plan of the named type, or nil.
func typePlan(plan *capacity.Plan, name string) *capacity.TypePlan {
	for i := range plan.Types {
		if tp := &plan.Types[i]; name != "" && tp.InstanceType == name && tp.Err == nil {
			return tp
		}
	}
	return nil
}

// stranded says what a type's instances keep unused: CPU units or MiB.
func stranded(tp *capacity.TypePlan) string {
	switch {
	case tp.StrandedCPU > 0:
		return fmt.Sprintf("%d CPU", tp.StrandedCPU)
	case tp.StrandedMemoryMiB > 0:
		return fmt.Sprintf("%d MiB", tp.StrandedMemoryMiB)
	}
	return "-"
}
