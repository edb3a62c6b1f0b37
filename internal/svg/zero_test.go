package svg_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/ecscore/ecscore/internal/svg"
	"github.com/ecscore/ecscore/internal/zerotest"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: a chart of them is drawn (or
// is "" when nil), never a panic.
func TestZeroValues(t *testing.T) {
	huge := []svg.Point{{X: -math.MaxFloat64, Y: math.MaxFloat64}, {X: math.MaxFloat64, Y: -math.MaxFloat64}, {X: 5e-324, Y: math.NaN()}}
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[*svg.LineChart](): {
				func() any {
					return &svg.LineChart{Title: "t", Series: []svg.Series{{Name: "a", Step: true, Points: huge}},
						Markers: []svg.Marker{{X: math.Inf(1)}, {X: math.MaxFloat64}}, Guides: []svg.Guide{{Y: math.NaN()}}, XTicks: svg.TimeTicks}
				},
			},
			zerotest.TypeOf[*svg.BarChart](): {
				func() any {
					return &svg.BarChart{Categories: []string{"a", ""}, Series: []svg.BarSeries{{Values: []float64{math.MaxFloat64, -1}}}, YMax: math.Inf(1)}
				},
			},
			zerotest.TypeOf[*svg.HeatMap](): {
				func() any {
					return &svg.HeatMap{Rows: []string{"r"}, Columns: []string{"c"}, Values: [][]float64{{math.Inf(-1), math.MaxFloat64}}}
				},
			},
		},
		Funcs: []any{
			(*svg.LineChart).SVG,
			(*svg.BarChart).SVG,
			(*svg.HeatMap).SVG,
			svg.Scale.Map,
		},
	})
}
