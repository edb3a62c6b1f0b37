// Package svg writes small SVG charts for ecscore's reports: a line chart
// over time, a bar chart and a heat map, each one sized <svg> element
// with a title, axis labels and a legend, ready to inline in an HTML page
// that needs no network.
//
// The output is deterministic (the same chart gives the same bytes:
// numbers are written with at most two decimals, nothing depends on map
// order or the clock), and every text and attribute value is escaped as
// html/template escapes text, so a service name or an event message
// cannot break out of the markup.
package svg

import (
	"html/template"
	"math"
	"strconv"
	"strings"
)

// writer builds SVG markup. Element and attribute names are the
// package's constants; values and text are escaped.
type writer struct {
	b strings.Builder
}

// Start writes an opening tag; attrs are name, value pairs.
func (w *writer) Start(name string, attrs ...string) {
	w.tag(name, attrs)
	w.b.WriteByte('>')
}

// End writes a closing tag.
func (w *writer) End(name string) {
	w.b.WriteString("</" + checkName(name) + ">")
}

// Void writes an element without content: <name a="v"/>.
func (w *writer) Void(name string, attrs ...string) {
	w.tag(name, attrs)
	w.b.WriteString("/>")
}

// Text writes escaped character data.
func (w *writer) Text(s string) { w.b.WriteString(template.HTMLEscapeString(s)) }

// Elem writes an element holding text.
func (w *writer) Elem(name, text string, attrs ...string) {
	w.Start(name, attrs...)
	w.Text(text)
	w.End(name)
}

// String returns the markup written.
func (w *writer) String() string { return w.b.String() }

// HTML returns the markup as html/template's trusted HTML: everything in
// it was escaped as it was written.
func (w *writer) HTML() template.HTML { return template.HTML(w.b.String()) } //nolint:gosec // escaped by Text and tag

func (w *writer) tag(name string, attrs []string) {
	w.b.WriteString("<" + checkName(name))
	for i := 0; i+1 < len(attrs); i += 2 {
		w.b.WriteString(" " + checkName(attrs[i]) + `="` + template.HTMLEscapeString(attrs[i+1]) + `"`)
	}
}

// checkName returns name when it is a plain XML name (letters, digits,
// '-' and ':'); any other is a programming error, since names are the
// caller's constants, never input.
func checkName(name string) string {
	ok := name != ""
	for _, r := range name {
		ok = ok && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == ':')
	}
	if !ok {
		panic("svg: invalid element or attribute name " + strconv.Quote(name))
	}
	return name
}

// Num formats a coordinate or value with at most two decimals, the same
// on every platform; NaN and infinities are written as 0.
func Num(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	f = math.Round(f*100) / 100
	if f == 0 {
		return "0" // never "-0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Palette is the colours of series in order (Okabe and Ito's palette,
// told apart by people with colour vision deficiencies).
var palette = [...]string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000"}

// Color returns the i-th colour of the palette, cycling.
func Color(i int) string { return palette[((i%len(palette))+len(palette))%len(palette)] }

// textWidth estimates the width in pixels of s at font size px: the
// charts lay labels out with it, since an SVG writer cannot measure text.
func textWidth(s string, px float64) float64 {
	return 0.6 * px * float64(len([]rune(s)))
}
