package ecstest

import (
	"html/template"
	"strconv"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/svg"
)

// The console's charts, as geometry the page's template draws in SVG.

// leftPalette colours a part of a resource left, by tenths: the first
// is nothing left (dark red), the last all of it (pale), as a heat map
// reads (YlOrRd, which reads in grey too).
var leftPalette = [10]string{
	"#800026", "#bd0026", "#e31a1c", "#fc4e2a", "#fd8d3c",
	"#feb24c", "#fed976", "#ffeda0", "#ffffcc", "#f7fcf5",
}

// tenth returns the tenth of its registered amount that u has left, 0
// (less than a tenth, or nothing registered) to 9 (nine tenths or more).
func tenth(u usage) int {
	if u.Registered <= 0 || u.Remaining <= 0 {
		return 0
	}
	return min(u.Remaining*10/u.Registered, 9)
}

// The heat map: one cell per instance, its left half its CPU left, its
// right half its memory left, heatColumns cells a row.
const (
	heatColumns = 50
	heatPitch   = 14 // a cell and the gap after it
	heatHalf    = 6  // the width of a half cell
	heatCell    = 12 // a cell's height
)

// heatMap is a page of instances as cells.
type heatMap struct {
	Width, Height int
	Cells         []heatCellView
}

// heatCellView is one instance in the heat map.
type heatCellView struct {
	X, Y, MemX       int
	CPUFill, MemFill string
	Title            string
	Marked           bool // draining, or its agent disconnected
}

// heatSize is the size of a heat map of n cells.
func heatSize(n int) (width, height int) {
	if n == 0 {
		return 0, 0
	}
	rows := (n + heatColumns - 1) / heatColumns
	return min(n, heatColumns) * heatPitch, rows * heatPitch
}

func heatCellAt(i int, cpu, mem usage, title string, marked bool) heatCellView {
	x, y := (i%heatColumns)*heatPitch, (i/heatColumns)*heatPitch
	return heatCellView{X: x, Y: y, MemX: x + heatHalf, CPUFill: leftPalette[tenth(cpu)], MemFill: leftPalette[tenth(mem)],
		Title: title, Marked: marked}
}

// histogram charts instances by the tenth of a resource they have left,
// most left first.
func histogram(what string, tenths [10]int) template.HTML {
	c := svg.BarChart{
		Title: "Instances by " + what + " left", XLabel: "part of its " + what + " left", YLabel: "instances",
		Width: 520, Height: 260, Categories: make([]string, 10),
		Series:  []svg.BarSeries{{Name: "instances", Values: make([]float64, 10), Color: chartColor}},
		YFormat: count,
	}
	for i := range 10 {
		t := 9 - i
		c.Categories[i] = strconv.Itoa(t*10) + "–" + strconv.Itoa(t*10+10) + " %"
		c.Series[0].Values[i] = float64(tenths[t])
	}
	c.Categories[0], c.Categories[9] = "≥ 90 %", "< 10 %"
	return c.SVG()
}

// statusChart charts tasks by their last status, in the order of the
// lifecycle.
func statusChart(statuses []ecs.TaskStatus, counts []int) template.HTML {
	c := svg.BarChart{
		Title: "Tasks by last status", YLabel: "tasks", Width: 720, Height: 260,
		Categories: make([]string, len(statuses)),
		Series:     []svg.BarSeries{{Name: "tasks", Values: make([]float64, len(statuses)), Color: chartColor}},
		YFormat:    count,
	}
	for i, s := range statuses {
		c.Categories[i] = string(s)
		c.Series[0].Values[i] = float64(counts[i])
	}
	return c.SVG()
}

// chartColor is the colour of the console's bar charts.
const chartColor = "#4a6fa5"

// count writes a count as the page does.
func count(f float64) string { return thousands(int(f)) }

// countBar is a service's tasks against its desired count: running,
// then pending, with a mark at the desired count.
type countBar struct {
	Width, RunW, PendX, PendW, DesiredX int
}

const countBarWidth = 120

func newCountBar(desired, running, pending int) countBar {
	scale := max(desired, running+pending, 1)
	b := countBar{Width: countBarWidth, RunW: running * countBarWidth / scale, PendW: pending * countBarWidth / scale}
	b.PendX = b.RunW
	b.DesiredX = min(desired*countBarWidth/scale, countBarWidth-1)
	return b
}
