package svg

import (
	"cmp"
	"html/template"
	"math"
	"strings"
)

// Point is a value Y at X.
type Point struct{ X, Y float64 }

// Series is a named line through points in order of X; a point with a
// NaN Y breaks the line.
type Series struct {
	Name   string
	Points []Point
	// Step holds each value until the next point, as counts over time
	// change.
	Step bool
	// Dashed series are drawn thinner, over the solid ones, so that a
	// dashed series equal to a solid one stays visible.
	Dashed bool
	// Color is a CSS colour; "" takes the palette's, by the series' index.
	Color string
}

// Marker is a vertical line at X across the plot: an event on a timeline.
type Marker struct {
	X float64
	// Label is drawn above the plot: a few characters (a number).
	Label string
	// Title is the marker's tooltip.
	Title string
}

// Guide is a horizontal reference line at Y with a label.
type Guide struct {
	Y     float64
	Label string
}

// LineChart draws series of points over a numeric x axis (time, mostly).
type LineChart struct {
	Title, XLabel, YLabel string
	// Width and Height are the chart's size in pixels (DefaultWidth and
	// DefaultHeight when 0).
	Width, Height int
	Series        []Series
	Markers       []Marker
	Guides        []Guide
	// YMax fixes the top of the y axis (100 for percentages); 0 fits
	// the values. The y axis starts at 0 or the lowest value.
	YMax float64
	// XTicks chooses the x ticks (Ticks when nil; TimeTicks for
	// seconds); XFormat and YFormat label the ticks (Num when nil).
	XTicks           func(lo, hi float64, n int) []float64
	XFormat, YFormat func(float64) string
}

// SVG returns the chart as an svg element; a nil chart is "".
func (c *LineChart) SVG() template.HTML {
	if c == nil {
		return ""
	}
	width, height := size(c.Width, c.Height)
	legend := make([]legendItem, len(c.Series))
	for i, s := range c.Series {
		legend[i] = legendItem{name: s.Name, color: cmp.Or(s.Color, Color(i)), dashed: s.Dashed}
	}
	_, rows := legendRows(legend, 64, width)
	top := titleY + legendLine*float64(rows) + 12
	if len(c.Markers) > 0 {
		top += 14
	}
	f := &frame{width: width, height: height, x0: 64, x1: width - 24, y0: height - 44, y1: top}
	f.open(c.Title, legend, 64)

	xlo, xhi, ylo, yhi := c.bounds()
	ticks := c.XTicks
	if ticks == nil {
		ticks = Ticks
	}
	xt := ticks(xlo, xhi, max(int((f.x1-f.x0)/90), 2))
	yt, ys := f.yScale(ylo, yhi, c.YMax)
	if len(xt) == 0 || len(yt) == 0 {
		return f.close()
	}
	xs := Scale{xt[0], xt[len(xt)-1], f.x0, f.x1}
	f.yAxis(ys, yt, orPlain(c.YFormat), c.YLabel)
	xf := orPlain(c.XFormat)
	f.w.Start("g", "class", "x-axis")
	for _, t := range xt {
		x := Num(xs.Map(t))
		f.w.Void("line", "x1", x, "y1", Num(f.y0), "x2", x, "y2", Num(f.y0+4), "stroke", "#333333")
		f.w.Elem("text", xf(t), "x", x, "y", Num(f.y0+17), "text-anchor", "middle")
	}
	f.xLabel(c.XLabel)
	f.w.End("g")
	c.guides(f, ys)
	c.markers(f, xs)
	for _, dashed := range []bool{false, true} {
		for i, s := range c.Series {
			if s.Dashed == dashed {
				c.line(f, s, cmp.Or(s.Color, Color(i)), xs, ys)
			}
		}
	}
	return f.close()
}

// line draws one series.
func (c *LineChart) line(f *frame, s Series, color string, xs, ys Scale) {
	d := path(s, xs, ys)
	if d == "" {
		return
	}
	attrs := []string{"d", d, "fill", "none", "stroke", color, "stroke-width", "3", "stroke-opacity", "0.85", "class", "series"}
	if s.Dashed {
		attrs = []string{"d", d, "fill", "none", "stroke", color, "stroke-width", "1.5", "stroke-dasharray", "5 3", "class", "series"}
	}
	f.w.Start("path", attrs...)
	f.w.Elem("title", s.Name)
	f.w.End("path")
}

// bounds returns the x and y extent of the points, markers and guides.
func (c *LineChart) bounds() (xlo, xhi, ylo, yhi float64) {
	xlo, xhi, ylo, yhi = math.Inf(1), math.Inf(-1), 0, 0
	for _, s := range c.Series {
		for _, p := range s.Points {
			if bad(p.X) {
				continue
			}
			xlo, xhi = min(xlo, p.X), max(xhi, p.X)
			if !bad(p.Y) {
				ylo, yhi = min(ylo, p.Y), max(yhi, p.Y)
			}
		}
	}
	for _, m := range c.Markers {
		if !bad(m.X) {
			xlo, xhi = min(xlo, m.X), max(xhi, m.X)
		}
	}
	for _, g := range c.Guides {
		if !bad(g.Y) {
			ylo, yhi = min(ylo, g.Y), max(yhi, g.Y)
		}
	}
	if bad(xlo) {
		xlo, xhi = 0, 1
	}
	if c.YMax > 0 {
		yhi = max(yhi, c.YMax)
	}
	return xlo, xhi, ylo, yhi
}

// path returns the SVG path of a series, "" when it has no point.
func path(s Series, xs, ys Scale) string {
	var b strings.Builder
	pen := false
	for _, p := range s.Points {
		if bad(p.X) || bad(p.Y) {
			pen = false
			continue
		}
		x, y := Num(xs.Map(p.X)), Num(ys.Map(p.Y))
		switch {
		case !pen:
			b.WriteString("M" + x + " " + y)
		case s.Step:
			b.WriteString("H" + x + "V" + y)
		default:
			b.WriteString("L" + x + " " + y)
		}
		pen = true
	}
	return b.String()
}

// guides draws the horizontal reference lines, labelled at the right.
func (c *LineChart) guides(f *frame, ys Scale) {
	for _, g := range c.Guides {
		if bad(g.Y) {
			continue
		}
		y := ys.Map(g.Y)
		f.w.Start("g", "class", "guide")
		f.w.Elem("title", g.Label)
		f.w.Void("line", "x1", Num(f.x0), "y1", Num(y), "x2", Num(f.x1), "y2", Num(y), "stroke", "#777777", "stroke-dasharray", "2 3")
		f.w.Elem("text", g.Label, "x", Num(f.x1-4), "y", Num(y-4), "text-anchor", "end", "fill", "#555555", "font-size", "11")
		f.w.End("g")
	}
}

// markers draws the vertical markers; a label closer than 14 pixels to
// the one drawn before it is left out (the tooltip still says it).
func (c *LineChart) markers(f *frame, xs Scale) {
	lastLabel := math.Inf(-1)
	for _, m := range c.Markers {
		if bad(m.X) {
			continue
		}
		x := xs.Map(m.X)
		f.w.Start("g", "class", "marker")
		f.w.Elem("title", m.Title)
		f.w.Void("line", "x1", Num(x), "y1", Num(f.y0), "x2", Num(x), "y2", Num(f.y1), "stroke", "#666666", "stroke-opacity", "0.5")
		if m.Label != "" && x-lastLabel >= 14 {
			f.w.Elem("text", m.Label, "x", Num(x), "y", Num(f.y1-4), "text-anchor", "middle", "fill", "#666666", "font-size", "10")
			lastLabel = x
		}
		f.w.End("g")
	}
}
