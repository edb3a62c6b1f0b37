package ecstest

import "strconv"

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

// barChart is a chart of horizontal bars, one per label.
type barChart struct {
	Title         string
	Width, Height int
	Bars          []barView
}

// barView is one bar: its label, its value written after it, where it
// is and how long.
type barView struct {
	Label, Value string
	Y, TextY, W  int
	ValueX       int
	Fill         string
}

// namedCount is a count with its label.
type namedCount struct {
	Label string
	Count int
}

// The geometry of a bar chart.
const (
	barLabel = 90  // the labels' column
	barSpan  = 300 // the longest bar
	barPitch = 18  // a bar and the gap after it
	barThick = 14
)

// barsOf lays out counts as bars scaled to the largest, each filled
// with fill(i), or a neutral colour when fill is nil.
func barsOf(title string, counts []namedCount, fill func(i int) string) barChart {
	most := 1
	for _, c := range counts {
		most = max(most, c.Count)
	}
	ch := barChart{Title: title, Width: barLabel + barSpan + 70, Height: len(counts)*barPitch + 2}
	for i, c := range counts {
		w := c.Count * barSpan / most
		if c.Count > 0 {
			w = max(w, 1)
		}
		f := "#4a6fa5"
		if fill != nil {
			f = fill(i)
		}
		ch.Bars = append(ch.Bars, barView{
			Label: c.Label, Value: thousands(c.Count), Y: i*barPitch + 1, TextY: i*barPitch + 12, W: w,
			ValueX: barLabel + w + 4, Fill: f,
		})
	}
	return ch
}

// histogram charts instances by the tenth of a resource they have left,
// most left first.
func histogram(what string, tenths [10]int) barChart {
	counts := make([]namedCount, 10)
	for i := range counts {
		t := 9 - i
		counts[i] = namedCount{strconv.Itoa(t*10) + "–" + strconv.Itoa(t*10+10) + " %", tenths[t]}
	}
	counts[9].Label = "under 10 %"
	counts[0].Label = "90 % or more"
	return barsOf("Instances by "+what, counts, func(i int) string { return leftPalette[9-i] })
}

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
