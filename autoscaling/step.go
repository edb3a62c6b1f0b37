package autoscaling

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Aggregate aggregates a step scaling alarm's datapoints as the policy's
// MetricAggregationType says: Average (also when empty), Minimum or
// Maximum. It reports false when there are no datapoints.
func Aggregate(aggregation string, d Datapoints) (float64, bool, error) {
	if len(d) == 0 {
		return 0, false, nil
	}
	switch aggregation {
	case "", AggregationAverage:
		var sum float64
		for _, v := range d {
			sum += v
		}
		return sum / float64(len(d)), true, nil
	case AggregationMinimum, AggregationMaximum:
		m := d[0]
		for _, v := range d[1:] {
			if (aggregation == AggregationMinimum) == (v < m) {
				m = v
			}
		}
		return m, true, nil
	}
	return 0, false, fmt.Errorf("%w: MetricAggregationType must be one of Average, Minimum, Maximum, got %q", ErrValidation, aggregation)
}

// Step returns the step adjustment that applies when the aggregated metric
// is breach above (positive) or below (negative) the alarm's threshold.
// Bounds are relative to the threshold and nil is unbounded. Above the
// threshold the lower bound is inclusive and the upper exclusive; below
// it, the lower bound is exclusive and the upper inclusive
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepAdjustment.html).
func (c StepScalingPolicyConfiguration) Step(breach float64) (StepAdjustment, bool) {
	above := func(a StepAdjustment) bool {
		return (a.MetricIntervalLowerBound == nil || *a.MetricIntervalLowerBound <= breach) &&
			(a.MetricIntervalUpperBound == nil || breach < *a.MetricIntervalUpperBound)
	}
	below := func(a StepAdjustment) bool {
		return (a.MetricIntervalLowerBound == nil || *a.MetricIntervalLowerBound < breach) &&
			(a.MetricIntervalUpperBound == nil || breach <= *a.MetricIntervalUpperBound)
	}
	rules := []func(StepAdjustment) bool{above}
	switch {
	case breach < 0:
		rules = []func(StepAdjustment) bool{below}
	case breach == 0:
		rules = append(rules, below)
	}
	for _, match := range rules {
		for _, a := range c.StepAdjustments {
			if match(a) {
				return a, true
			}
		}
	}
	return StepAdjustment{}, false
}

// Validate checks a step scaling configuration as PutScalingPolicy does:
// a known adjustment type, at least one step, steps that neither overlap
// nor leave a gap, at most one unbounded below and one unbounded above,
// never both bounds absent in one step
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepAdjustment.html).
func (c StepScalingPolicyConfiguration) Validate() error {
	switch c.AdjustmentType {
	case AdjustmentChangeInCapacity, AdjustmentExactCapacity, AdjustmentPercentChangeInCapacity:
	default:
		return fmt.Errorf("%w: AdjustmentType must be one of ChangeInCapacity, ExactCapacity, PercentChangeInCapacity, got %q", ErrValidation, c.AdjustmentType)
	}
	if len(c.StepAdjustments) == 0 {
		return fmt.Errorf("%w: StepAdjustments must have at least one step adjustment", ErrValidation)
	}
	if c.MinAdjustmentMagnitude != nil && (*c.MinAdjustmentMagnitude < 1 || c.AdjustmentType != AdjustmentPercentChangeInCapacity) {
		return fmt.Errorf("%w: MinAdjustmentMagnitude must be at least 1 and is valid only with AdjustmentType PercentChangeInCapacity", ErrValidation)
	}
	if err := validCooldown("Cooldown", c.Cooldown); err != nil {
		return err
	}
	if _, _, err := Aggregate(c.MetricAggregationType, Datapoints{0}); err != nil {
		return err
	}
	lo, hi := 0, 0
	type span struct{ l, u float64 }
	spans := make([]span, 0, len(c.StepAdjustments))
	for i, a := range c.StepAdjustments {
		l, u := math.Inf(-1), math.Inf(1)
		if a.MetricIntervalLowerBound == nil {
			lo++
		} else {
			l = *a.MetricIntervalLowerBound
		}
		if a.MetricIntervalUpperBound == nil {
			hi++
		} else {
			u = *a.MetricIntervalUpperBound
		}
		if a.MetricIntervalLowerBound == nil && a.MetricIntervalUpperBound == nil {
			return fmt.Errorf("%w: StepAdjustments[%d]: the upper and lower bound can't be null in the same step adjustment", ErrValidation, i)
		}
		if !(l < u) {
			return fmt.Errorf("%w: StepAdjustments[%d]: MetricIntervalLowerBound must be less than MetricIntervalUpperBound", ErrValidation, i)
		}
		if c.AdjustmentType == AdjustmentExactCapacity && a.ScalingAdjustment < 0 {
			return fmt.Errorf("%w: StepAdjustments[%d]: ScalingAdjustment must be non-negative for ExactCapacity", ErrValidation, i)
		}
		spans = append(spans, span{l, u})
	}
	if lo > 1 || hi > 1 {
		return fmt.Errorf("%w: StepAdjustments: at most one step adjustment can have a null lower bound and one a null upper bound", ErrValidation)
	}
	// Sorted by lower bound, each step must start where the previous ends.
	slices.SortFunc(spans, func(x, y span) int { return cmp.Compare(x.l, y.l) })
	for i := 1; i < len(spans); i++ {
		if spans[i].l != spans[i-1].u {
			return fmt.Errorf("%w: StepAdjustments: the ranges of step adjustments can't overlap or have a gap (at %v)", ErrValidation, spans[i-1].u)
		}
	}
	return nil
}

// Adjust returns the capacity a step adjustment asks for from capacity,
// before the target's bounds:
//   - ChangeInCapacity adds ScalingAdjustment;
//   - ExactCapacity sets it;
//   - PercentChangeInCapacity adds ScalingAdjustment percent of capacity,
//     rounded as Application Auto Scaling rounds: a change above 1 down
//     (12.7 → 12), between 0 and 1 to 1, between 0 and -1 to -1, below -1
//     up (-6.67 → -6); then at least MinAdjustmentMagnitude in size
//     (https://docs.aws.amazon.com/autoscaling/application/userguide/step-scaling-policy-overview.html,
//     https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html).
func (c StepScalingPolicyConfiguration) Adjust(capacity int, a StepAdjustment) int {
	switch c.AdjustmentType {
	case AdjustmentExactCapacity:
		return a.ScalingAdjustment
	case AdjustmentPercentChangeInCapacity:
		d := float64(capacity) * float64(a.ScalingAdjustment) / 100
		var n int
		switch {
		case d == 0:
		case d > 0 && d < 1:
			n = 1
		case d < 0 && d > -1:
			n = -1
		default:
			n = int(math.Trunc(d)) // toward zero: down above 1, up below -1
		}
		if m := c.MinAdjustmentMagnitude; m != nil && n != 0 && abs(n) < *m {
			n = *m * sign(n)
		}
		return capacity + n
	}
	return capacity + a.ScalingAdjustment
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func sign(n int) int {
	if n < 0 {
		return -1
	}
	return 1
}

// StepScaling runs a step scaling policy whose alarm (named alarm, with
// the given threshold) is in ALARM at now with the aggregated metric
// value, on a target of current capacity. A step that raises capacity is
// a scale-out: during the policy's cooldown after a scale-out it is
// computed from the capacity before that scale-out, so only a larger one
// happens. A step that lowers capacity is a scale-in and waits for the
// cooldown. Cooldown defaults to 300 seconds
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html).
func StepScaling(t ScalableTarget, p ScalingPolicy, alarm string, threshold, metric float64, s State, current int, now time.Time) (Decision, State, error) {
	c := p.StepScalingPolicyConfiguration
	if p.PolicyType != PolicyTypeStepScaling || c == nil {
		return Decision{DesiredCount: current}, s, fmt.Errorf("%w: policy %q: StepScalingPolicyConfiguration is required for policy type %s", ErrValidation, p.PolicyName, PolicyTypeStepScaling)
	}
	if err := c.Validate(); err != nil {
		return Decision{DesiredCount: current}, s, fmt.Errorf("policy %q: %w", p.PolicyName, err)
	}
	step, ok := c.Step(metric - threshold)
	if !ok || math.IsNaN(metric) {
		return Decision{DesiredCount: current}, s, nil
	}
	cooldown := seconds(c.Cooldown)
	sus := t.suspended()
	cause := alarmCause(alarm, p.PolicyName)
	if want := c.Adjust(current, step); want > current || (c.AdjustmentType != AdjustmentExactCapacity && step.ScalingAdjustment > 0) {
		if sus.DynamicScalingOutSuspended {
			return Decision{DesiredCount: current}, s, nil
		}
		want = c.Adjust(scaleOutBase(s, current, now), step)
		if n, ns, ok := scaleOut(t, s, current, want, cooldown, now); ok {
			return Decision{n, desiredCountActivity(t, n, cause, now)}, ns, nil
		}
		return Decision{DesiredCount: current}, s, nil
	} else if want < current && !sus.DynamicScalingInSuspended {
		if n, ns, ok := scaleIn(t, s, current, want, cooldown, now); ok {
			return Decision{n, desiredCountActivity(t, n, cause, now)}, ns, nil
		}
	}
	return Decision{DesiredCount: current}, s, nil
}
