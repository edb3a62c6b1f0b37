package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/capacity"
)

// typeJSON is one row of the per-instance-type table: the fewest
// instances of the type per zone, or why the type has no plan.
type typeJSON struct {
	InstanceType      string   `json:"instanceType"`
	Counts            []int    `json:"counts,omitempty"` // per zone, in availabilityZones' order
	Instances         int      `json:"instances"`
	CPUUtilization    float64  `json:"cpuUtilization"`    // percent
	MemoryUtilization float64  `json:"memoryUtilization"` // percent
	OnDemandMonthly   *float64 `json:"onDemandMonthlyCost"`
	// SpotMonthly is the type's instances all on Spot: -max-spot-share
	// bounds the EC2_SPOT option only.
	SpotMonthly *float64 `json:"spotMonthlyCost"`
	NoPlan      string   `json:"noPlan,omitempty"` // why no count of the type holds the services
	// StrandedCPU (units) and StrandedMemoryMiB are what the instances
	// keep unused because the other resource runs out first.
	StrandedCPU       *int `json:"strandedCpu,omitempty"`
	StrandedMemoryMiB *int `json:"strandedMemoryMiB,omitempty"`
	// Zones are the utilisation of each zone's instances, in
	// availabilityZones' order, as the steady state's placement leaves them.
	Zones []zoneJSON `json:"zones,omitempty"`
}

// zoneJSON is what the steady state takes of one zone's instances of a
// type.
type zoneJSON struct {
	AvailabilityZone  string  `json:"availabilityZone"`
	Instances         int     `json:"instances"`
	CPUUtilization    float64 `json:"cpuUtilization"`    // percent
	MemoryUtilization float64 `json:"memoryUtilization"` // percent
}

// zoneRows returns a type plan's zones, utilisation in percent.
func zoneRows(tp *capacity.TypePlan) []zoneJSON {
	var out []zoneJSON
	for _, z := range tp.Zones {
		out = append(out, zoneJSON{AvailabilityZone: z.AvailabilityZone, Instances: z.Instances,
			CPUUtilization: percent(z.CPUUtilization), MemoryUtilization: percent(z.MemoryUtilization)})
	}
	return out
}

// fargateJSON is one service's row of the Fargate comparison.
type fargateJSON struct {
	Service         string   `json:"service"`
	Tasks           int      `json:"tasks"`
	CPU             int      `json:"cpu"` // CPU units
	MemoryMiB       int      `json:"memoryMiB"`
	MonthlyCost     float64  `json:"monthlyCost"`
	SpotMonthlyCost *float64 `json:"spotMonthlyCost"`
	// SpotOnDemandTasks are, with -max-spot-share, the tasks of the
	// Fargate Spot cost that run on FARGATE.
	SpotOnDemandTasks int `json:"spotOnDemandTasks,omitempty"`
}

// pricesJSON says which prices the costs come from.
type pricesJSON struct {
	Region        string `json:"region"`
	Currency      string `json:"currency"`
	EC2Date       string `json:"ec2Date,omitempty"`
	FargateDate   string `json:"fargateDate"`
	HoursPerMonth int    `json:"hoursPerMonth"`
}

// monthly rounds a cost to cents, nil without a price.
func monthly(c capacity.Cost) *float64 {
	if !c.Priced() {
		return nil
	}
	m := math.Round(c.Monthly*100) / 100
	return &m
}

// sortedTypes returns the types with a plan, cheapest on demand first
// (unpriced last), then those without, in the plan's order.
func sortedTypes(plan *capacity.Plan) (ok, failed []*capacity.TypePlan) {
	for i := range plan.Types {
		if tp := &plan.Types[i]; tp.Err == nil {
			ok = append(ok, tp)
		} else {
			failed = append(failed, tp)
		}
	}
	slices.SortStableFunc(ok, func(a, b *capacity.TypePlan) int {
		if a.OnDemand.Priced() != b.OnDemand.Priced() {
			if a.OnDemand.Priced() {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.OnDemand.Monthly, b.OnDemand.Monthly)
	})
	return ok, failed
}

// typeRows returns every instance type's row, as the text table orders them.
func typeRows(plan *capacity.Plan) []typeJSON {
	ok, failed := sortedTypes(plan)
	out := make([]typeJSON, 0, len(plan.Types))
	for _, tp := range ok {
		out = append(out, typeJSON{InstanceType: tp.InstanceType, Counts: tp.Counts, Instances: tp.Instances(),
			CPUUtilization: percent(tp.CPUUtilization), MemoryUtilization: percent(tp.MemoryUtilization),
			OnDemandMonthly: monthly(tp.OnDemand), SpotMonthly: monthly(tp.Spot),
			StrandedCPU: &tp.StrandedCPU, StrandedMemoryMiB: &tp.StrandedMemoryMiB, Zones: zoneRows(tp)})
	}
	for _, tp := range failed {
		out = append(out, typeJSON{InstanceType: tp.InstanceType, NoPlan: shortReason(tp.Err)})
	}
	return out
}

// fargateRows returns the Fargate comparison, one row a service.
func fargateRows(plan *capacity.Plan) []fargateJSON {
	fg := optionOf(plan, capacity.OptionFargate)
	spot := spotTasks(plan)
	out := []fargateJSON{}
	for _, t := range fg.Tasks {
		r := fargateJSON{Service: t.Workload, Tasks: t.Count, CPU: t.Size.CPU, MemoryMiB: t.Size.MemoryMiB,
			MonthlyCost: math.Round(t.Monthly()*100) / 100}
		if st, ok := spot[t.Workload]; ok {
			c := math.Round(st.Monthly()*100) / 100
			r.SpotMonthlyCost, r.SpotOnDemandTasks = &c, st.OnDemand
		}
		out = append(out, r)
	}
	return out
}

// spotTasks returns the FARGATE_SPOT option's tasks by service.
func spotTasks(plan *capacity.Plan) map[string]capacity.FargateTask {
	out := map[string]capacity.FargateTask{}
	for _, t := range optionOf(plan, capacity.OptionFargateSpot).Tasks {
		out[t.Workload] = t
	}
	return out
}

// spotColumn names the column of a type's Spot cost: under
// -max-spot-share, "All " before it, since the bound applies to the
// EC2_SPOT option, not to the type's all-Spot price.
func spotColumn(plan *capacity.Plan, name string) string {
	if plan.MinOnDemandShare <= 0 {
		return name
	}
	if strings.ToUpper(name) == name {
		return "ALL " + name
	}
	return "All " + strings.ToLower(name[:1]) + name[1:]
}

// optionOf returns the plan's option of kind, or an empty one.
func optionOf(plan *capacity.Plan, kind capacity.OptionKind) capacity.Option {
	for _, o := range plan.Options {
		if o.Kind == kind {
			return o
		}
	}
	return capacity.Option{Kind: kind}
}

func pricesOf(p *capacity.PriceTable) pricesJSON {
	return pricesJSON{Region: p.Region, Currency: p.Currency, EC2Date: p.EC2.Date, FargateDate: p.Date,
		HoursPerMonth: capacity.HoursPerMonth}
}

// optionRunsOn says what an option runs on, as the text's RUNS ON column.
func optionRunsOn(o *capacity.Option) string {
	switch {
	case len(o.Parts) > 0:
		var parts []string
		for _, fp := range o.Parts {
			n := 0
			for _, c := range fp.Counts {
				n += c
			}
			parts = append(parts, fmt.Sprintf("%d × %s", n, fp.InstanceType))
		}
		return strings.Join(parts, " + ")
	case o.InstanceType != "":
		n, od := 0, 0
		for _, ic := range o.Instances {
			n, od = n+ic.Count, od+ic.OnDemand
		}
		if od > 0 {
			return fmt.Sprintf("%d × %s (%d on demand)", n, o.InstanceType, od)
		}
		return fmt.Sprintf("%d × %s", n, o.InstanceType)
	case len(o.Tasks) > 0:
		n, od := 0, 0
		for _, t := range o.Tasks {
			n, od = n+t.Count, od+t.OnDemand
		}
		if od > 0 {
			return fmt.Sprintf("%d Fargate tasks (%d on FARGATE)", n, od)
		}
		return fmt.Sprintf("%d Fargate tasks", n)
	}
	return "-"
}

func fmtCost(c *float64) string {
	if c == nil {
		return ""
	}
	return strconv.FormatFloat(*c, 'f', 2, 64)
}

func fmtInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func fmtPercent(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// writePlanCSV writes the plan as one CSV table: a row per option, per
// instance type, per instance type and zone (the zone's utilisation),
// per service's Fargate size and per service that cannot be placed, told
// apart by the first column. Zone columns hold instance
// counts; costs are monthly, utilisation in percent.
func writePlanCSV(w io.Writer, plan *capacity.Plan) error {
	t := table{header: slices.Concat([]string{"row", "name", "instanceType"}, plan.AvailabilityZones,
		[]string{"total", "cpuUtilization", "memoryUtilization", "monthlyCost", "spotMonthlyCost",
			"strandedCpu", "strandedMemoryMiB", "recommended", "note"})}
	zones := len(plan.AvailabilityZones)
	for i := range plan.Options {
		o := &plan.Options[i]
		counts, total := make([]string, zones), 0
		for z, zone := range plan.AvailabilityZones {
			for _, ic := range o.Instances {
				if ic.AvailabilityZone == zone {
					n, _ := strconv.Atoi(counts[z]) // a mixed fleet has a count per type and zone
					counts[z], total = strconv.Itoa(n+ic.Count), total+ic.Count
				}
			}
		}
		for _, ft := range o.Tasks {
			total += ft.Count
		}
		note := o.Cost.Missing
		if len(o.NeedsChanges) > 0 {
			note = strings.TrimSpace(note + " needs changes: " + strings.Join(o.NeedsChanges, "; "))
		}
		if od := onDemandNote(o); od != "" {
			note = strings.TrimPrefix(note+"; "+od, "; ")
		}
		t.add(slices.Concat([]string{"option", string(o.Kind), cmp.Or(o.InstanceType, partTypes(o))}, counts,
			[]string{strconv.Itoa(total), fmtPercent(percent(o.CPUUtilization)), fmtPercent(percent(o.MemoryUtilization)),
				fmtCost(monthly(o.Cost)), "", "", "", strconv.FormatBool(o.Kind == plan.Recommended), note})...)
	}
	for _, r := range typeRows(plan) {
		counts := make([]string, zones)
		for z, n := range r.Counts {
			counts[z] = strconv.Itoa(n)
		}
		if r.NoPlan != "" {
			t.add(slices.Concat([]string{"instanceType", r.InstanceType, r.InstanceType}, counts,
				[]string{"", "", "", "", "", "", "", "", "no plan: " + r.NoPlan})...)
			continue
		}
		t.add(slices.Concat([]string{"instanceType", r.InstanceType, r.InstanceType}, counts,
			[]string{strconv.Itoa(r.Instances), fmtPercent(r.CPUUtilization), fmtPercent(r.MemoryUtilization),
				fmtCost(r.OnDemandMonthly), fmtCost(r.SpotMonthly), fmtInt(r.StrandedCPU), fmtInt(r.StrandedMemoryMiB), "", ""})...)
	}
	for _, r := range typeRows(plan) {
		for z, u := range r.Zones {
			counts := make([]string, zones)
			counts[z] = strconv.Itoa(u.Instances)
			t.add(slices.Concat([]string{"zone", u.AvailabilityZone, r.InstanceType}, counts,
				[]string{strconv.Itoa(u.Instances), fmtPercent(u.CPUUtilization), fmtPercent(u.MemoryUtilization),
					"", "", "", "", "", ""})...)
		}
	}
	for _, f := range fargateRows(plan) {
		note := fargateSize(f)
		if f.SpotOnDemandTasks > 0 {
			note += fmt.Sprintf("; Spot cost with %d of %d tasks on FARGATE", f.SpotOnDemandTasks, f.Tasks)
		}
		t.add(slices.Concat([]string{"fargate", f.Service, ""}, make([]string, zones),
			[]string{strconv.Itoa(f.Tasks), "", "", fmtCost(&f.MonthlyCost), fmtCost(f.SpotMonthlyCost), "", "", "",
				note})...)
	}
	for _, n := range planNotes(plan) {
		t.add(slices.Concat([]string{"note", "", ""}, make([]string, zones),
			[]string{"", "", "", "", "", "", "", "", n})...)
	}
	for _, u := range plan.Unplaceable {
		t.add(slices.Concat([]string{"unplaceable", u.Workload, ""}, make([]string, zones),
			[]string{"", "", "", "", "", "", "", "", kindList(u.Kinds) + ": " + u.Reason})...)
	}
	for i, r := range plan.SpotRisks {
		t.add(slices.Concat([]string{"warning", r.Workload, ""}, make([]string, zones),
			[]string{"", "", "", "", "", "", "", "", plan.Warnings[i]})...)
	}
	return t.writeCSV(w)
}

func fargateSize(f fargateJSON) string {
	return fmt.Sprintf("%g vCPU, %g GB", float64(f.CPU)/1024, float64(f.MemoryMiB)/1024)
}

func kindList(kinds []capacity.OptionKind) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// writePlanMarkdown writes the plan as the text shows it, in GitHub
// Markdown: a heading, the notes, and tables of the instance types (all
// of them), the options, the Fargate comparison and what cannot be placed.
func writePlanMarkdown(w io.Writer, plan *capacity.Plan, prices *capacity.PriceTable, ws []capacity.Workload, headroom int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Capacity plan: %d services in %s", len(ws), strings.Join(plan.AvailabilityZones, ", "))
	if headroom > 0 {
		fmt.Fprintf(&b, ", headroom %d tasks", headroom)
	}
	fmt.Fprintf(&b, "\n\nEach plan holds the desired counts, each deployment's surge (one service at a time) "+
		"and the daemons on every instance. Prices: %s %s, EC2 of %s, Fargate of %s, %d hours a month.\n\n",
		prices.Region, prices.Currency, cmp.Or(prices.EC2.Date, "the -instance-types file"), prices.Date, capacity.HoursPerMonth)
	for _, n := range plan.Notes {
		fmt.Fprintf(&b, "- Note: %s\n", n)
	}
	if len(plan.Notes) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("## Instance types\n\n")
	types := planTypeTable(plan)
	types.writeMarkdown(&b)
	if zt, ok := planZoneTable(plan); ok {
		b.WriteString("\n## Utilisation per zone\n\n")
		zt.writeMarkdown(&b)
	}
	b.WriteString("\n## Options\n\n")
	opts := planOptionTable(plan)
	opts.writeMarkdown(&b)
	if plan.Recommended == "" {
		b.WriteString("\nNo option runs every service at a known price.\n")
	}
	writeMarkdownNotes(&b, plan)
	if ft, ok := planFargateTable(plan); ok {
		b.WriteString("\n## Fargate\n\n")
		ft.writeMarkdown(&b)
		b.WriteString("\n")
		for _, n := range fargateNotes(plan) {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	if len(plan.Unplaceable) > 0 {
		b.WriteString("\n## Cannot place\n\n")
		ut := planUnplaceableTable(plan)
		ut.writeMarkdown(&b)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// planTypeTable is the table of every instance type, as the text orders
// them: Markdown's and HTML's.
func planTypeTable(plan *capacity.Plan) table {
	types := table{header: slices.Concat([]string{"Instance type"}, plan.AvailabilityZones,
		[]string{"Total", "CPU", "Memory", "On demand/month", spotColumn(plan, "Spot/month"), "Stranded"})}
	for _, r := range typeRows(plan) {
		row := []string{r.InstanceType}
		if r.NoPlan != "" {
			row = append(row, "no plan: "+r.NoPlan)
			types.add(append(row, make([]string, len(types.header)-2)...)...)
			continue
		}
		for _, n := range r.Counts {
			row = append(row, strconv.Itoa(n))
		}
		types.add(append(row, strconv.Itoa(r.Instances), fmtPercent(r.CPUUtilization)+"%",
			fmtPercent(r.MemoryUtilization)+"%", cmp.Or(fmtCost(r.OnDemandMonthly), "-"), cmp.Or(fmtCost(r.SpotMonthly), "-"),
			stranded(&capacity.TypePlan{StrandedCPU: *r.StrandedCPU, StrandedMemoryMiB: *r.StrandedMemoryMiB}))...)
	}
	return types
}

// planZoneTable is the table of each instance type's utilisation per
// zone, CPU / memory in each zone's cell ("-" without instances), the
// types as the types table orders them: Markdown's and HTML's; false
// when no type has a plan.
func planZoneTable(plan *capacity.Plan) (table, bool) {
	t := table{header: append([]string{"Instance type"}, plan.AvailabilityZones...)}
	for _, r := range typeRows(plan) {
		if len(r.Zones) > 0 {
			t.add(append([]string{r.InstanceType}, zoneCells(r.Zones)...)...)
		}
	}
	return t, len(t.rows) > 0
}

// zoneCells returns "CPU% / memory%" for each zone with instances, "-"
// for the others.
func zoneCells(zones []zoneJSON) []string {
	out := make([]string, len(zones))
	for z, u := range zones {
		out[z] = "-"
		if u.Instances > 0 {
			out[z] = fmtPercent(u.CPUUtilization) + "% / " + fmtPercent(u.MemoryUtilization) + "%"
		}
	}
	return out
}

// planOptionTable is the table of the options.
func planOptionTable(plan *capacity.Plan) table {
	opts := table{header: []string{"Option", "Runs on", "CPU", "Memory", "Per month", "Recommended"}}
	for i := range plan.Options {
		o := &plan.Options[i]
		rec := ""
		if o.Kind == plan.Recommended {
			rec = "yes"
		}
		if !o.Cost.Priced() {
			opts.add(string(o.Kind), optionRunsOn(o), "", "", "no price: "+o.Cost.Missing, rec)
			continue
		}
		opts.add(string(o.Kind), optionRunsOn(o), fmtPercent(percent(o.CPUUtilization))+"%",
			fmtPercent(percent(o.MemoryUtilization))+"%", fmtCost(monthly(o.Cost)), rec)
	}
	return opts
}

// planFargateTable is the Fargate comparison, one row a service; false
// when no service has a Fargate size.
func planFargateTable(plan *capacity.Plan) (table, bool) {
	fg := fargateRows(plan)
	ft := table{header: []string{"Service", "Tasks", "Size", "Fargate/month", "Fargate Spot/month"}}
	for _, f := range fg {
		ft.add(f.Service, strconv.Itoa(f.Tasks), fargateSize(f), fmtCost(&f.MonthlyCost), cmp.Or(fmtCost(f.SpotMonthlyCost), "no price"))
	}
	return ft, len(fg) > 0
}

// fargateNotes are what the Fargate option's cost leaves out and the
// services it would refuse as written.
func fargateNotes(plan *capacity.Plan) []string {
	var out []string
	fg := optionOf(plan, capacity.OptionFargate)
	for _, n := range fg.Notes {
		out = append(out, "Fargate: "+n)
	}
	for _, n := range fg.NeedsChanges {
		out = append(out, "Fargate needs changes first: "+n)
	}
	return out
}

// planUnplaceableTable lists the services an option cannot run.
func planUnplaceableTable(plan *capacity.Plan) table {
	ut := table{header: []string{"Service", "Options", "Reason"}}
	for _, u := range plan.Unplaceable {
		ut.add(u.Workload, kindList(u.Kinds), u.Reason)
	}
	return ut
}
