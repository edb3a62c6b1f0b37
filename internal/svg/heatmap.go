package svg

import (
	"html/template"
	"math"
	"strconv"
)

// HeatMap draws a grid of values, one row per Rows and one column per
// Columns, each cell coloured by its value and labelled with it.
type HeatMap struct {
	Title, XLabel, YLabel string
	Rows, Columns         []string
	// Values are by row then column; NaN (or a missing cell) is empty.
	Values [][]float64
	// Min and Max bound the colour scale; Max <= Min fits the values.
	Min, Max float64
	// Format labels the cells and the scale (Num when nil).
	Format func(float64) string
	// Legend names what the colour measures.
	Legend string
}

// Cell size and the colours of the low and high ends of the scale.
const (
	cellH   = 24.0
	minCell = 48.0
)

var lowRGB, highRGB = [3]float64{0xf0, 0xf6, 0xfc}, [3]float64{0x08, 0x51, 0x9c}

// SVG returns the heat map as an svg element, as wide and tall as its
// cells need; a nil heat map is "".
func (h *HeatMap) SVG() template.HTML {
	if h == nil {
		return ""
	}
	format := orPlain(h.Format)
	lo, hi := h.bounds()
	cellW := minCell
	for _, col := range h.Columns {
		cellW = max(cellW, textWidth(col, 12)+10)
	}
	for r := range h.Rows {
		for c := range h.Columns {
			if v := h.value(r, c); !bad(v) {
				cellW = max(cellW, textWidth(format(v), 12)+10)
			}
		}
	}
	labelW := 0.0
	for _, r := range h.Rows {
		labelW = max(labelW, textWidth(r, 12))
	}
	x0 := 30 + labelW + 8
	top := titleY + 14 + 22 // the column labels over the grid
	width := max(x0+cellW*float64(len(h.Columns))+16, textWidth(h.Title, 14)+32, 320)
	gridBottom := top + cellH*float64(len(h.Rows))
	height := gridBottom + 44
	f := &frame{width: width, height: height, x0: x0, x1: x0 + cellW*float64(len(h.Columns)), y0: gridBottom, y1: top}
	f.open(h.Title, nil, 0)
	f.w.Elem("text", h.XLabel, "x", Num((f.x0+f.x1)/2), "y", Num(titleY+16), "text-anchor", "middle", "fill", "#555555")
	for c, col := range h.Columns {
		f.w.Elem("text", col, "x", Num(x0+cellW*(float64(c)+0.5)), "y", Num(top-6), "text-anchor", "middle")
	}
	mid := Num((top + gridBottom) / 2)
	f.w.Elem("text", h.YLabel, "x", "14", "y", mid, "text-anchor", "middle", "transform", "rotate(-90 14 "+mid+")")
	for r, row := range h.Rows {
		y := top + cellH*float64(r)
		f.w.Elem("text", row, "x", Num(x0-8), "y", Num(y+cellH/2+4), "text-anchor", "end")
		for c, col := range h.Columns {
			h.cell(f, x0+cellW*float64(c), y, cellW, row+", "+col, h.value(r, c), lo, hi, format)
		}
	}
	h.scale(f, gridBottom+16, lo, hi, format)
	return f.close()
}

func (h *HeatMap) value(r, c int) float64 {
	if r < len(h.Values) && c < len(h.Values[r]) {
		return h.Values[r][c]
	}
	return math.NaN()
}

// bounds returns Min and Max, or the values' extent.
func (h *HeatMap) bounds() (float64, float64) {
	if h.Max > h.Min {
		return h.Min, h.Max
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range h.Values {
		for _, v := range row {
			if !bad(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if bad(lo) {
		return 0, 1
	}
	return lo, hi
}

// cell draws one cell with its value and tooltip.
func (h *HeatMap) cell(f *frame, x, y, w float64, name string, v, lo, hi float64, format func(float64) string) {
	if bad(v) {
		f.w.Void("rect", "x", Num(x+1), "y", Num(y+1), "width", Num(w-2), "height", Num(cellH-2), "fill", "#f4f4f4")
		return
	}
	t := 0.0
	if hi > lo {
		t = min(max((v-lo)/(hi-lo), 0), 1)
	}
	text := "#000000"
	if t > 0.55 {
		text = "#ffffff"
	}
	f.w.Start("rect", "x", Num(x+1), "y", Num(y+1), "width", Num(w-2), "height", Num(cellH-2), "fill", Shade(t))
	f.w.Elem("title", name+": "+format(v))
	f.w.End("rect")
	f.w.Elem("text", format(v), "x", Num(x+w/2), "y", Num(y+cellH/2+4), "text-anchor", "middle", "fill", text)
}

// scale draws the colour legend: five swatches from lo to hi, the ends
// labelled (a label between would name a value no cell may have).
func (h *HeatMap) scale(f *frame, y, lo, hi float64, format func(float64) string) {
	f.w.Start("g", "class", "legend")
	x := f.x0
	f.w.Elem("text", h.Legend, "x", Num(x), "y", Num(y+10))
	x += textWidth(h.Legend, 12) + 10
	for i := range 5 {
		t := float64(i) / 4
		f.w.Void("rect", "x", Num(x), "y", Num(y), "width", "14", "height", "12", "fill", Shade(t))
		x += 16
		if i == 0 || i == 4 {
			label := format(lo + t*(hi-lo))
			f.w.Elem("text", label, "x", Num(x+2), "y", Num(y+10), "font-size", "11")
			x += textWidth(label, 11) + 10
		}
	}
	f.w.End("g")
}

// Shade returns the colour at t (0 to 1) of the heat maps' scale, from
// near white to dark blue, as #rrggbb.
func Shade(t float64) string {
	t = min(max(t, 0), 1)
	if bad(t) {
		t = 0
	}
	out := "#"
	for i := range 3 {
		c := int(math.Round(lowRGB[i] + t*(highRGB[i]-lowRGB[i])))
		s := strconv.FormatInt(int64(c), 16)
		if len(s) < 2 {
			s = "0" + s
		}
		out += s
	}
	return out
}
