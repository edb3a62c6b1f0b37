package svg_test

import (
	"fmt"
	"strings"

	"github.com/ecscore/ecscore/internal/svg"
)

func ExampleTicks() {
	fmt.Println(svg.Ticks(0, 496.4, 5))
	fmt.Println(svg.TimeTicks(0, 690, 6)) // seconds: every 2 minutes
	// Output:
	// [0 100 200 300 400 500]
	// [0 120 240 360 480 600 720]
}

// A line chart of tasks over time: step lines, an event marker and a
// guide, ready to put in an html/template page.
func ExampleLineChart() {
	c := svg.LineChart{Title: "Tasks running", XLabel: "time", YLabel: "tasks",
		XTicks: svg.TimeTicks, XFormat: svg.Clock,
		Series: []svg.Series{
			{Name: "old", Step: true, Points: []svg.Point{{X: 0, Y: 3}, {X: 60, Y: 3}, {X: 120, Y: 0}}},
			{Name: "new", Step: true, Points: []svg.Point{{X: 0, Y: 0}, {X: 30, Y: 3}, {X: 120, Y: 3}}},
		},
		Markers: []svg.Marker{{X: 120, Label: "1", Title: "has reached a steady state"}},
		Guides:  []svg.Guide{{Y: 3, Label: "minimum healthy"}},
	}
	out := string(c.SVG())
	fmt.Println(out[:strings.IndexByte(out, '>')+1])
	// Output:
	// <svg class="chart" width="720" height="320" viewBox="0 0 720 320" role="img" font-family="sans-serif" font-size="12">
}
