package main

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/internal/svg"
)

// writePlanHTML writes the plan as one HTML page: the Markdown's facts
// and tables, and charts of the cost of each option, the cost and the
// utilisation of each instance type, its instances per zone and the
// utilisation of each zone. Every figure a chart shows is in -o json
// (options[].monthlyCost; types[].onDemandMonthlyCost, spotMonthlyCost,
// cpuUtilization, memoryUtilization, counts, zones[].cpuUtilization and
// memoryUtilization).
func writePlanHTML(w io.Writer, plan *capacity.Plan, prices *capacity.PriceTable, ws []capacity.Workload, headroom int) error {
	r := &htmlReport{Title: fmt.Sprintf("Capacity plan: %d services in %s", len(ws), strings.Join(plan.AvailabilityZones, ", "))}
	if headroom > 0 {
		r.Title += fmt.Sprintf(", headroom %d tasks", headroom)
	}
	r.Facts = []string{
		"Each plan holds the desired counts, each deployment's surge (one service at a time) and the daemons on every instance.",
		fmt.Sprintf("Prices: %s %s, EC2 of %s, Fargate of %s, %d hours a month.", prices.Region, prices.Currency,
			cmp.Or(prices.EC2.Date, "the -instance-types file"), prices.Date, capacity.HoursPerMonth),
	}
	if plan.SurviveZoneLoss != capacity.ZoneLossNone {
		r.Facts = append(r.Facts, "Every plan survives the loss of any one zone: "+string(plan.SurviveZoneLoss)+".")
	}
	if plan.Recommended != "" {
		r.Facts = append(r.Facts, "Recommended: "+string(plan.Recommended)+".")
	} else {
		r.Facts = append(r.Facts, "No option runs every service at a known price.")
	}
	if n := spotBound(plan); n != "" {
		r.Facts = append(r.Facts, n)
	}
	for _, warn := range plan.Warnings {
		r.Facts = append(r.Facts, "Warning: "+warn)
	}
	r.Notes = plan.Notes
	r.Charts = planCharts(plan, prices.Currency)
	r.Sections = []htmlSection{sectionOf("Instance types", planTypeTable(plan))}
	if zt, ok := planZoneTable(plan); ok {
		r.Sections = append(r.Sections, sectionOf("Utilisation per zone", zt))
	}
	r.Sections = append(r.Sections, sectionOf("Options", planOptionTable(plan)))
	if ft, ok := planFargateTable(plan); ok {
		r.Sections = append(r.Sections, sectionOf("Fargate", ft, fargateNotes(plan)...))
	}
	if len(plan.Unplaceable) > 0 {
		r.Sections = append(r.Sections, sectionOf("Cannot place", planUnplaceableTable(plan)))
	}
	return writeHTML(w, r)
}

// planCharts draws the options' costs and, for the cheapest instance
// types with a plan (at most maxTypeRows, as the text table), their
// costs, utilisation, instances per zone and utilisation per zone.
func planCharts(plan *capacity.Plan, currency string) []template.HTML {
	money := func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
	opts := svg.BarChart{Title: "Monthly cost of each option", XLabel: "option", YLabel: "cost per month (" + currency + ")",
		ValueFormat: money, Missing: "no price", Series: []svg.BarSeries{{Name: "per month"}}}
	for i := range plan.Options {
		o := &plan.Options[i]
		opts.Categories = append(opts.Categories, string(o.Kind))
		note := ""
		if o.Kind == plan.Recommended {
			note = "recommended"
		}
		opts.Notes = append(opts.Notes, note)
		opts.Series[0].Values = append(opts.Series[0].Values, costValue(monthly(o.Cost)))
	}
	charts := []template.HTML{opts.SVG()}

	rows := typeRows(plan)
	var planned []typeJSON
	for _, r := range rows {
		if r.NoPlan == "" {
			planned = append(planned, r)
		}
	}
	if len(planned) == 0 {
		return charts
	}
	of := ""
	if len(planned) > maxTypeRows {
		of = fmt.Sprintf(" (the %d cheapest of %d)", maxTypeRows, len(planned))
		planned = planned[:maxTypeRows]
	}
	cost := svg.BarChart{Title: "Monthly cost of each instance type's plan" + of, XLabel: "instance type",
		YLabel: "cost per month (" + currency + ")", ValueFormat: money, Missing: "no price",
		Series: []svg.BarSeries{{Name: "on demand"}, {Name: "Spot"}}}
	util := svg.BarChart{Title: "Utilisation of each instance type's plan" + of, XLabel: "instance type",
		YLabel: "share of registered resources", YMax: 100, YFormat: svg.Percent,
		Series: []svg.BarSeries{{Name: "CPU"}, {Name: "memory"}}}
	zones := svg.HeatMap{Title: "Instances per instance type and Availability Zone" + of, XLabel: "Availability Zone",
		YLabel: "instance type", Columns: plan.AvailabilityZones, Legend: "instances",
		Format: func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }}
	used := svg.HeatMap{Title: "CPU and memory utilisation per instance type and Availability Zone" + of,
		XLabel: "Availability Zone and resource", YLabel: "instance type", Legend: "share of registered resources",
		Min: 0, Max: 100, Format: func(f float64) string { return fmtPercent(f) + "%" }}
	for _, az := range plan.AvailabilityZones {
		used.Columns = append(used.Columns, az+" CPU", az+" memory")
	}
	for _, r := range planned {
		cost.Categories = append(cost.Categories, r.InstanceType)
		cost.Series[0].Values = append(cost.Series[0].Values, costValue(r.OnDemandMonthly))
		cost.Series[1].Values = append(cost.Series[1].Values, costValue(r.SpotMonthly))
		util.Categories = append(util.Categories, r.InstanceType)
		util.Series[0].Values = append(util.Series[0].Values, r.CPUUtilization)
		util.Series[1].Values = append(util.Series[1].Values, r.MemoryUtilization)
		zones.Rows = append(zones.Rows, r.InstanceType)
		counts := make([]float64, len(r.Counts))
		for z, n := range r.Counts {
			counts[z] = float64(n)
		}
		zones.Values = append(zones.Values, counts)
		used.Rows = append(used.Rows, r.InstanceType)
		used.Values = append(used.Values, zoneValues(r.Zones))
	}
	return append(charts, cost.SVG(), util.SVG(), zones.SVG(), used.SVG())
}

// zoneValues is each zone's CPU then memory utilisation in percent, NaN
// (an empty cell) in a zone without instances.
func zoneValues(zones []zoneJSON) []float64 {
	out := make([]float64, 0, 2*len(zones))
	for _, u := range zones {
		if u.Instances == 0 {
			out = append(out, math.NaN(), math.NaN())
			continue
		}
		out = append(out, u.CPUUtilization, u.MemoryUtilization)
	}
	return out
}

// costValue is a monthly cost, NaN without a price.
func costValue(c *float64) float64 {
	if c == nil {
		return math.NaN()
	}
	return *c
}
