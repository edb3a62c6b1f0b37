package svg

import (
	"cmp"
	"html/template"
	"math"
)

// BarSeries is one value per category of a bar chart; NaN is a value
// that does not exist (an option without a price).
type BarSeries struct {
	Name   string
	Values []float64
	// Color is a CSS colour; "" takes the palette's, by the series' index.
	Color string
}

// BarChart draws, for each category, one bar per series side by side.
type BarChart struct {
	Title, XLabel, YLabel string
	// Width and Height are the size in pixels of the chart without its
	// category labels (DefaultWidth and DefaultHeight when 0); long
	// labels are turned and make the chart taller.
	Width, Height int
	Categories    []string
	// Notes are drawn under each category's label: "recommended".
	Notes  []string
	Series []BarSeries
	// YMax fixes the top of the y axis (100 for percentages); 0 fits
	// the values.
	YMax float64
	// YFormat labels the ticks (Num when nil); ValueFormat the bars
	// (YFormat when nil).
	YFormat, ValueFormat func(float64) string
	// Missing is written where a value is NaN ("no price"; "-" where it
	// is wider than the bar, or when ""); a series without any value
	// says it once, in the legend.
	Missing string
}

// turn is the angle of category labels too long for their band.
const turn = 35.0

// SVG returns the chart as an svg element; a nil chart is "".
func (c *BarChart) SVG() template.HTML {
	if c == nil {
		return ""
	}
	width, height := size(c.Width, c.Height)
	legend := make([]legendItem, len(c.Series))
	for i, s := range c.Series {
		legend[i] = legendItem{name: s.Name, color: cmp.Or(s.Color, Color(i)), box: true}
		if len(c.Categories) > 0 && empty(s.Values, len(c.Categories)) {
			legend[i].name += " (" + cmp.Or(c.Missing, "none") + ")" // said once, not under every bar
		}
	}
	_, rows := legendRows(legend, 64, width)
	top := titleY + legendLine*float64(rows) + 18
	band := (width - 64 - 16) / float64(max(len(c.Categories), 1))
	longest := 0.0
	for i, cat := range c.Categories {
		longest = max(longest, textWidth(cat, 12), textWidth(c.note(i), 11))
	}
	turned := longest > band-4
	extra := 0.0
	if turned {
		extra = longest*math.Sin(turn*math.Pi/180) + 4
		height += extra
	}
	f := &frame{width: width, height: height, x0: 64, x1: width - 16, y0: height - 58 - extra, y1: top}
	f.open(c.Title, legend, 64)
	yt, ys := f.yScale(0, c.top(), c.YMax)
	if len(yt) == 0 { // values too large for an axis
		return f.close()
	}
	f.yAxis(ys, yt, orPlain(c.YFormat), c.YLabel)
	yf := orPlain(c.ValueFormat)
	if c.ValueFormat == nil {
		yf = orPlain(c.YFormat)
	}
	var drawn []int // the series with a value: one without takes no room
	for j, s := range c.Series {
		if !empty(s.Values, len(c.Categories)) {
			drawn = append(drawn, j)
		}
	}
	group := band * 0.8
	bw := group / float64(max(len(drawn), 1))
	for i, cat := range c.Categories {
		left := f.x0 + band*float64(i) + (band-group)/2
		f.w.Start("g", "class", "category")
		for k, j := range drawn {
			s := c.Series[j]
			c.bar(f, ys, yf, cat, s, cmp.Or(s.Color, Color(j)), i, left+bw*float64(k), bw)
		}
		c.label(f, i, f.x0+band*(float64(i)+0.5), turned)
		f.w.End("g")
	}
	f.xLabel(c.XLabel)
	return f.close()
}

// top returns the highest value, or YMax.
func (c *BarChart) top() float64 {
	hi := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !bad(v) {
				hi = max(hi, v)
			}
		}
	}
	if c.YMax > 0 {
		return max(hi, c.YMax)
	}
	return hi
}

func (c *BarChart) note(i int) string {
	if i < len(c.Notes) {
		return c.Notes[i]
	}
	return ""
}

// bar draws category i's bar of series s with its value above it, or the
// Missing text where it has none.
func (c *BarChart) bar(f *frame, ys Scale, yf func(float64) string, cat string, s BarSeries, color string, i int, x, w float64) {
	cx := Num(x + w/2)
	if i >= len(s.Values) || bad(s.Values[i]) {
		text := cmp.Or(c.Missing, "-")
		if textWidth(text, 10) > w+4 {
			text = "-"
		}
		f.w.Elem("text", text, "x", cx, "y", Num(f.y0-4), "text-anchor", "middle", "fill", "#777777", "font-size", "10")
		return
	}
	v := s.Values[i]
	y := ys.Map(max(v, 0))
	f.w.Start("rect", "x", Num(x+1), "y", Num(y), "width", Num(max(w-2, 1)), "height", Num(f.y0-y), "fill", color)
	f.w.Elem("title", cat+", "+s.Name+": "+yf(v))
	f.w.End("rect")
	if label := yf(v); textWidth(label, 10) <= w+4 { // a label wider than its bar is left to the tooltip
		f.w.Elem("text", label, "x", cx, "y", Num(y-3), "text-anchor", "middle", "font-size", "10")
	}
}

// empty reports whether values has no value for any of n categories.
func empty(values []float64, n int) bool {
	for i := range min(len(values), n) {
		if !bad(values[i]) {
			return false
		}
	}
	return true
}

// label draws category i's name and note under the axis at x, turned
// when the names are longer than a band.
func (c *BarChart) label(f *frame, i int, x float64, turned bool) {
	y := f.y0 + 16
	note := c.note(i)
	if !turned {
		f.w.Elem("text", c.Categories[i], "x", Num(x), "y", Num(y), "text-anchor", "middle")
		if note != "" {
			f.w.Elem("text", note, "x", Num(x), "y", Num(y+13), "text-anchor", "middle", "font-size", "11", "font-weight", "bold")
		}
		return
	}
	text := c.Categories[i]
	if note != "" {
		text += " (" + note + ")"
	}
	xs, ys := Num(x), Num(y)
	f.w.Elem("text", text, "x", xs, "y", ys, "text-anchor", "end", "transform", "rotate(-"+Num(turn)+" "+xs+" "+ys+")")
}
