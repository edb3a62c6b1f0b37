package svg

import (
	"html/template"
	"strconv"
)

// Default chart size in pixels.
const (
	DefaultWidth  = 720
	DefaultHeight = 320
)

// frame is a chart's outer layout: the svg element, its title and legend
// on top, and the plot area (x0 to x1 left to right, y0 bottom to y1 top)
// with its axes.
type frame struct {
	w              writer
	width, height  float64
	x0, x1, y0, y1 float64
}

// legendItem is one entry of a legend: a line (dashed or not) or a box.
type legendItem struct {
	name, color string
	dashed, box bool
}

const (
	titleY     = 18.0
	legendLine = 16.0
)

// legendRows lays out items from x in rows no wider than width and
// returns each item's position.
func legendRows(items []legendItem, x, width float64) (pos [][2]float64, rows int) {
	cx, row := x, 0
	for _, it := range items {
		w := 22 + textWidth(it.name, 12) + 14
		if cx+w > width && cx > x {
			cx, row = x, row+1
		}
		pos = append(pos, [2]float64{cx, float64(row)})
		cx += w
	}
	if len(items) > 0 {
		rows = row + 1
	}
	return pos, rows
}

// open writes the svg element, its accessible title, the visible title
// and the legend.
func (f *frame) open(title string, legend []legendItem, legendX float64) {
	ws, hs := Num(f.width), Num(f.height)
	f.w.Start("svg", "class", "chart", "width", ws, "height", hs, "viewBox", "0 0 "+ws+" "+hs, "role", "img",
		"font-family", "sans-serif", "font-size", "12")
	f.w.Elem("title", title)
	f.w.Void("rect", "width", ws, "height", hs, "fill", "#ffffff")
	f.w.Elem("text", title, "x", Num(f.width/2), "y", Num(titleY), "text-anchor", "middle", "font-size", "14", "font-weight", "bold")
	pos, _ := legendRows(legend, legendX, f.width)
	f.w.Start("g", "class", "legend")
	for i, it := range legend {
		x, y := pos[i][0], titleY+legendLine*(pos[i][1]+1)
		if it.box {
			f.w.Void("rect", "x", Num(x), "y", Num(y-9), "width", "14", "height", "10", "fill", it.color)
		} else {
			attrs := []string{"x1", Num(x), "y1", Num(y - 4), "x2", Num(x + 16), "y2", Num(y - 4), "stroke", it.color, "stroke-width", "2"}
			if it.dashed {
				attrs = append(attrs, "stroke-dasharray", "5 3")
			}
			f.w.Void("line", attrs...)
		}
		f.w.Elem("text", it.name, "x", Num(x+22), "y", Num(y))
	}
	f.w.End("g")
}

// yScale returns the y ticks of [lo, hi] for the plot area and the
// scale from the first to the last. A fixed top (ymax > 0) that no value
// passes (hi <= ymax) is the last tick, so that 0 to 100% ends at 100%.
// No ticks when the values are too large for an axis.
func (f *frame) yScale(lo, hi, ymax float64) ([]float64, Scale) {
	yt := Ticks(lo, hi, max(int((f.y0-f.y1)/40), 2))
	if len(yt) < 2 {
		return nil, Scale{}
	}
	if ymax > 0 && hi <= ymax && yt[len(yt)-1] > ymax {
		yt = yt[:len(yt)-1]
		if yt[len(yt)-1] < ymax {
			yt = append(yt, ymax)
		}
	}
	return yt, Scale{yt[0], yt[len(yt)-1], f.y0, f.y1}
}

// yAxis draws the y ticks with grid lines, their labels and the axis
// label, rotated, at the left edge.
func (f *frame) yAxis(s Scale, ticks []float64, format func(float64) string, label string) {
	f.w.Start("g", "class", "y-axis")
	for _, t := range ticks {
		y := Num(s.Map(t))
		f.w.Void("line", "x1", Num(f.x0), "y1", y, "x2", Num(f.x1), "y2", y, "stroke", "#e0e0e0")
		f.w.Elem("text", format(t), "x", Num(f.x0-6), "y", Num(s.Map(t)+4), "text-anchor", "end")
	}
	f.w.Void("line", "x1", Num(f.x0), "y1", Num(f.y0), "x2", Num(f.x0), "y2", Num(f.y1), "stroke", "#333333")
	mid := Num((f.y0 + f.y1) / 2)
	f.w.Elem("text", label, "x", "14", "y", mid, "text-anchor", "middle", "transform", "rotate(-90 14 "+mid+")")
	f.w.End("g")
}

// xLabel draws the x axis line and its label at the bottom edge.
func (f *frame) xLabel(label string) {
	f.w.Void("line", "x1", Num(f.x0), "y1", Num(f.y0), "x2", Num(f.x1), "y2", Num(f.y0), "stroke", "#333333")
	f.w.Elem("text", label, "x", Num((f.x0+f.x1)/2), "y", Num(f.height-8), "text-anchor", "middle")
}

// close ends the svg element and returns the chart.
func (f *frame) close() template.HTML {
	f.w.End("svg")
	return f.w.HTML()
}

// size returns w and h, or the defaults where they are not positive.
func size(w, h int) (float64, float64) {
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	return float64(w), float64(h)
}

// Plain formats a value as Num does: the default tick label.
func Plain(f float64) string { return Num(f) }

// Percent formats a value as a percentage: 12.5%.
func Percent(f float64) string { return Num(f) + "%" }

// Clock formats seconds as h:mm:ss.
func Clock(sec float64) string {
	s := int64(sec)
	return strconv.FormatInt(s/3600, 10) + ":" + two(s/60%60) + ":" + two(s%60)
}

func two(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// orPlain returns f, or Plain when f is nil.
func orPlain(f func(float64) string) func(float64) string {
	if f == nil {
		return Plain
	}
	return f
}
