package svg

import (
	"encoding/xml"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestScaleMap(t *testing.T) {
	tests := []struct {
		s    Scale
		v    float64
		want float64
	}{
		{Scale{0, 10, 0, 100}, 5, 50},
		{Scale{0, 10, 300, 100}, 0, 300}, // a y axis: up is smaller
		{Scale{0, 10, 300, 100}, 10, 100},
		{Scale{-5, 5, 0, 10}, 0, 5},
		{Scale{0, 10, 0, 100}, 20, 200}, // outside the domain: extrapolated
		{Scale{3, 3, 7, 9}, 100, 7},     // an empty domain maps to R0
	}
	for _, tt := range tests {
		require.InDelta(t, tt.want, tt.s.Map(tt.v), 1e-9, "%+v.Map(%g)", tt.s, tt.v)
	}
}

func TestTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 10, 5, []float64{0, 2, 4, 6, 8, 10}},
		{0, 6, 5, []float64{0, 2, 4, 6}},
		{0, 496.4, 5, []float64{0, 100, 200, 300, 400, 500}},
		{0, 0.3, 3, []float64{0, 0.1, 0.2, 0.3}}, // rounded: not 0.30000000000000004
		{-3, 7, 2, []float64{-5, 0, 5, 10}},
		{10, 0, 5, []float64{0, 2, 4, 6, 8, 10}}, // reversed bounds
		{4, 4, 1, []float64{4, 5}},               // an empty range: [lo, lo+1]
		{0, 100, 0, []float64{0, 100}},           // n < 1 counts as 1
		{0, 1, 1, []float64{0, 1}},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, Ticks(tt.lo, tt.hi, tt.n), "Ticks(%g, %g, %d)", tt.lo, tt.hi, tt.n)
	}
	require.Nil(t, Ticks(math.NaN(), 1, 5))
	require.Nil(t, Ticks(0, math.Inf(1), 5))
	require.LessOrEqual(t, len(Ticks(0, 1e300, 1<<30)), maxTicks+1, "bounded")
}

// TestTicksProperties: ticks are ascending, evenly spaced, cover the
// range and are about as many as asked.
func TestTicksProperties(t *testing.T) {
	for _, r := range [][2]float64{{0, 1}, {0, 7}, {0, 13.5}, {2, 987}, {-40, 3}, {0, 1e6}, {0.001, 0.0042}} {
		for n := 1; n <= 12; n++ {
			ts := Ticks(r[0], r[1], n)
			require.GreaterOrEqual(t, len(ts), 2)
			require.LessOrEqual(t, ts[0], r[0])
			require.GreaterOrEqual(t, ts[len(ts)-1], r[1])
			require.LessOrEqual(t, len(ts), 2*n+3, "about n ticks: %v %d %v", r, n, ts)
			step := ts[1] - ts[0]
			for i := 1; i < len(ts); i++ {
				require.InDelta(t, step, ts[i]-ts[i-1], step*1e-9)
			}
		}
	}
}

func TestTimeTicks(t *testing.T) {
	require.Equal(t, []float64{0, 120, 240, 360, 480, 600, 720}, TimeTicks(0, 690, 6), "2-minute steps")
	require.Equal(t, []float64{0, 5, 10, 15, 20, 25, 30}, TimeTicks(0, 30, 7))
	require.Equal(t, []float64{0, 3600, 7200}, TimeTicks(0, 7200, 2), "hours")
	require.Equal(t, []float64{0, 2 * 86400, 4 * 86400}, TimeTicks(0, 4*86400, 2), "days")
	require.Nil(t, TimeTicks(0, math.NaN(), 2))
}

func TestNum(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 1: "1", 1.005: "1", 2.675: "2.68", -0.001: "0", 12.5: "12.5",
		1e6: "1000000", math.NaN(): "0", math.Inf(1): "0", -3.14159: "-3.14"} {
		require.Equal(t, want, Num(in), "Num(%g)", in)
	}
	require.Equal(t, "0:11:30", Clock(690))
	require.Equal(t, "2:00:05", Clock(7205))
	require.Equal(t, "12.5%", Percent(12.5))
}

func TestWriterEscapes(t *testing.T) {
	var w writer
	w.Start("g", "class", `a"b<c>&'`)
	w.Elem("text", `</svg><script>alert(1)</script>`, "x", "1")
	w.Void("rect", "fill", `red" onload="x`)
	w.End("g")
	require.Equal(t, `<g class="a&#34;b&lt;c&gt;&amp;&#39;"><text x="1">&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text>`+
		`<rect fill="red&#34; onload=&#34;x"/></g>`, w.String())
	require.Panics(t, func() { w.Start(`g onload="x"`) }, "a name is the caller's constant, never text")
}

func TestShade(t *testing.T) {
	require.Equal(t, "#f0f6fc", Shade(0))
	require.Equal(t, "#08519c", Shade(1))
	require.Equal(t, Shade(1), Shade(7), "clamped")
	require.Equal(t, Shade(0), Shade(math.NaN()))
	require.Regexp(t, `^#[0-9a-f]{6}$`, Shade(0.37))
}

// chartDoc is what every chart must have: a size, a view box equal to
// it and a title.
type chartDoc struct {
	Width   string `xml:"width,attr"`
	Height  string `xml:"height,attr"`
	ViewBox string `xml:"viewBox,attr"`
	Title   string `xml:"title"`
	Texts   []struct {
		Text string `xml:",chardata"`
	} `xml:"text"`
}

func parseChart(t *testing.T, s string) chartDoc {
	t.Helper()
	var d chartDoc
	require.NoError(t, xml.Unmarshal([]byte(s), &d), s)
	require.Equal(t, "0 0 "+d.Width+" "+d.Height, d.ViewBox)
	return d
}

// allText returns the text of every element of an SVG document.
func allText(t *testing.T, s string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	var b strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if c, ok := tok.(xml.CharData); ok {
			b.Write(c)
			b.WriteByte('|')
		}
	}
	return b.String()
}

func TestLineChart(t *testing.T) {
	c := LineChart{Title: "Tasks <running>", XLabel: "time", YLabel: "tasks", XTicks: TimeTicks, XFormat: Clock,
		Series: []Series{
			{Name: "old", Step: true, Points: []Point{{0, 3}, {60, 3}, {120, 0}}},
			{Name: "new", Step: true, Dashed: true, Points: []Point{{0, 0}, {60, 3}, {120, 3}}},
		},
		Markers: []Marker{{X: 60, Label: "1", Title: "event & more"}},
		Guides:  []Guide{{Y: 3, Label: "minimum healthy"}}}
	out := string(c.SVG())
	d := parseChart(t, out)
	require.Equal(t, "720", d.Width)
	require.Equal(t, "320", d.Height)
	require.Equal(t, "Tasks <running>", d.Title)
	text := allText(t, out)
	for _, want := range []string{"|old|", "|new|", "|time|", "|tasks|", "|0:00:00|", "|0:02:00|", "|minimum healthy|", "|event & more|", "|1|"} {
		require.Contains(t, text, want)
	}
	require.Equal(t, 2, strings.Count(out, `class="series"`))
	require.Contains(t, out, "H", "a step line")
	require.Equal(t, out, string(c.SVG()), "deterministic")
	// the y axis of 0..3 tasks: ticks 0 to 3 (plot area 44 to 276)
	require.Regexp(t, `<text x="58" y="[0-9.]+" text-anchor="end">3</text>`, out)
}

func TestLineChartBreaksAtNaN(t *testing.T) {
	s := Series{Points: []Point{{0, 1}, {1, math.NaN()}, {2, 1}, {3, 2}}}
	d := path(s, Scale{0, 3, 0, 30}, Scale{0, 2, 20, 0})
	require.Equal(t, "M0 10M20 10L30 0", d)
	require.Empty(t, path(Series{}, Scale{}, Scale{}))
}

func TestLineChartEmpty(t *testing.T) {
	c := LineChart{Title: "nothing", Width: 300, Height: 200}
	d := parseChart(t, string(c.SVG()))
	require.Equal(t, "300", d.Width)
}

func TestBarChart(t *testing.T) {
	c := BarChart{Title: "Cost", XLabel: "option", YLabel: "USD", Categories: []string{"EC2", "FARGATE"},
		Notes: []string{"recommended"}, Missing: "no price",
		Series: []BarSeries{{Name: "on demand", Values: []float64{496.4, math.NaN()}}, {Name: "Spot", Values: []float64{181}}}}
	out := string(c.SVG())
	d := parseChart(t, out)
	require.Equal(t, "Cost", d.Title)
	require.Equal(t, 2, strings.Count(out, "</rect>"), "two bars (with tooltips), one value NaN and one missing")
	text := allText(t, out)
	for _, want := range []string{"|EC2|", "|recommended|", "|no price|", "|496.4|", "|181|", "|on demand|", "|Spot|", "|500|", "|USD|", "|option|"} {
		require.Contains(t, text, want)
	}
	require.Equal(t, 2, strings.Count(text, "no price|"), "FARGATE's two series")

	// Labels longer than their band are turned, and the chart grows.
	long := BarChart{Title: "t", Width: 200, Categories: []string{"a-very-long-instance-type", "another-long-one"},
		Series: []BarSeries{{Name: "x", Values: []float64{1, 2}}}}
	lo := string(long.SVG())
	ld := parseChart(t, lo)
	require.Contains(t, lo, "rotate(-35 ")
	require.NotEqual(t, "320", ld.Height)
}

// TestBarChartEmptySeries: a series without any value says so once, in
// the legend, not under each bar; labels wider than their bar are left to
// the tooltips.
func TestBarChartEmptySeries(t *testing.T) {
	cats := make([]string, 12)
	for i := range cats {
		cats[i] = "m5." + strings.Repeat("x", i) + "large"
	}
	nan := make([]float64, 12)
	vals := make([]float64, 12)
	for i := range nan {
		nan[i], vals[i] = math.NaN(), 1234.5+float64(i)
	}
	c := BarChart{Title: "t", Width: 300, Categories: cats, Missing: "no price",
		Series: []BarSeries{{Name: "on demand", Values: vals}, {Name: "Spot", Values: nan}}}
	out := string(c.SVG())
	text := allText(t, out)
	require.Equal(t, 1, strings.Count(text, "no price"), text)
	require.Contains(t, text, "|Spot (no price)|")
	require.Equal(t, 12, strings.Count(out, "</rect>"))
	require.NotContains(t, text, "|1234.5|", "wider than its bar")
	require.Contains(t, out, "<title>m5.large, on demand: 1234.5</title>")
}

func TestBarChartFixedTop(t *testing.T) {
	c := BarChart{Title: "Utilisation", YMax: 100, YFormat: Percent, Categories: []string{"m5.large"},
		Series: []BarSeries{{Name: "CPU", Values: []float64{46.9}}}}
	text := allText(t, string(c.SVG()))
	require.Contains(t, text, "|100%|")
	require.NotContains(t, text, "|120%|")

	// A value above the fixed top keeps its axis: the bar stays in the plot.
	c.Series[0].Values[0] = 150
	text = allText(t, string(c.SVG()))
	require.Contains(t, text, "|150%|")
	require.Regexp(t, `\|(150|160|200)%\|`, text[strings.Index(text, "|0%|"):])
}

func TestHeatMap(t *testing.T) {
	h := HeatMap{Title: "Instances", XLabel: "zone", YLabel: "type", Legend: "instances",
		Rows: []string{"c5.xlarge", "m5.large"}, Columns: []string{"us-east-1a", "us-east-1b"},
		Values: [][]float64{{2, 0}, {3}}}
	out := string(h.SVG())
	d := parseChart(t, out)
	require.Equal(t, "Instances", d.Title)
	text := allText(t, out)
	for _, want := range []string{"|c5.xlarge|", "|us-east-1b|", "|2|", "|3|", "|zone|", "|type|", "|instances|", "|c5.xlarge, us-east-1a: 2|"} {
		require.Contains(t, text, want)
	}
	require.Contains(t, out, `fill="`+Shade(1)+`"`, "the highest value is the darkest")
	require.Contains(t, out, `fill="#f4f4f4"`, "a missing cell is empty")
	cells := regexp.MustCompile(`<title>m5\.large, us-east-1b`).FindAllString(out, -1)
	require.Empty(t, cells, "no tooltip for a missing cell")
}

func TestColor(t *testing.T) {
	require.Equal(t, Color(0), Color(len(palette)))
	require.Equal(t, Color(len(palette)-1), Color(-1))
	if diff := cmp.Diff(palette[:2], []string{Color(0), Color(1)}); diff != "" {
		t.Error(diff)
	}
}
