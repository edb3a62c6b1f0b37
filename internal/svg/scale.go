package svg

import "math"

// Scale maps a domain [D0, D1] linearly onto a range [R0, R1] (pixels;
// R1 < R0 for a y axis that grows upwards).
type Scale struct {
	D0, D1, R0, R1 float64
}

// Map returns the position of v; a scale of an empty domain maps every
// value to R0.
func (s Scale) Map(v float64) float64 {
	if s.D1 == s.D0 {
		return s.R0
	}
	return s.R0 + (v-s.D0)*(s.R1-s.R0)/(s.D1-s.D0)
}

// maxTicks bounds the ticks any call returns.
const maxTicks = 1000

// Ticks returns about n round values, a step of 1, 2 or 5 times a power
// of ten apart, from the step's multiple at or below lo to the one at or
// above hi. lo == hi gives the ticks of [lo, lo+1]; NaN or infinite
// bounds give none.
func Ticks(lo, hi float64, n int) []float64 {
	lo, hi, ok := span(lo, hi)
	if !ok {
		return nil
	}
	n = max(n, 1)
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	return stepTicks(lo, hi, step)
}

// timeSteps are round steps of a time axis in seconds: seconds, minutes,
// hours, days.
var timeSteps = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 86400}

// TimeTicks is Ticks for seconds: steps of round seconds, minutes, hours
// or days (1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6,
// 12 h; then days).
func TimeTicks(lo, hi float64, n int) []float64 {
	lo, hi, ok := span(lo, hi)
	if !ok {
		return nil
	}
	raw := (hi - lo) / float64(max(n, 1))
	for _, s := range timeSteps {
		if s >= raw {
			return stepTicks(lo, hi, s)
		}
	}
	days := Ticks(0, raw/86400, 1)
	if len(days) == 0 {
		return nil
	}
	return stepTicks(lo, hi, days[len(days)-1]*86400)
}

// stepTicks returns the multiples of step from at or below lo to at or
// above hi, rounded to step's decimals so that 3 × 0.1 is 0.3; at most
// maxTicks (the step grows when they would be more); none when the
// range is too wide or too narrow for a float64 step.
func stepTicks(lo, hi, step float64) []float64 {
	if !(step > 0) || bad(step) || bad((hi-lo)/step) {
		return nil
	}
	for (hi-lo)/step > maxTicks-1 {
		step *= 10
	}
	if bad(step) {
		return nil
	}
	first, last := math.Floor(lo/step), math.Ceil(hi/step)
	scale := math.Pow(10, max(0, math.Ceil(-math.Log10(step))))
	out := make([]float64, 0, int(last-first)+1)
	for i := first; i <= last; i++ {
		out = append(out, math.Round(i*step*scale)/scale)
	}
	return out
}

// span orders lo and hi and widens an empty range to [lo, lo+1]; false
// for NaN or infinite bounds.
func span(lo, hi float64) (float64, float64, bool) {
	if bad(lo) || bad(hi) {
		return 0, 0, false
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		hi = lo + 1
	}
	return lo, hi, true
}

func bad(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }
