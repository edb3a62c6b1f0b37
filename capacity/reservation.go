package capacity

// Reservation returns the metric CapacityProviderReservation (rule 138):
// M / N × 100, where m is the number of instances the provider needs and n
// the number it runs. With no instance running it is 100 when none is
// needed and 200 when some are; these two cases are assumptions from the
// AWS blog "Deep dive on Amazon ECS cluster auto scaling" (Open point 9).
func Reservation(m, n int) float64 {
	switch {
	case n > 0:
		return float64(m) / float64(n) * 100
	case m == 0:
		return 100
	}
	return 200
}

// DesiredInstances returns the instances that bring the reservation to
// targetCapacity (a percentage, 1–100): ⌈M × 100 / targetCapacity⌉. A
// targetCapacity of 0 or less is taken as 100.
func DesiredInstances(m, targetCapacity int) int {
	if targetCapacity <= 0 {
		targetCapacity = DefaultTargetCapacity
	}
	if m <= 0 {
		return 0
	}
	return (m*100 + targetCapacity - 1) / targetCapacity
}

// ScaleOutStep returns how many instances a scale-out that needs more
// launches under sp (rule 139): none when more is 0 or less,
// MinimumScalingStepSize when more is below it, else more but at most
// MaximumScalingStepSize. A step size of 0 or less, as in a zero
// ScalingParams, is taken as its default, the way DesiredInstances takes
// a target of 0. The steps do not limit a scale-in.
func ScaleOutStep(more int, sp ScalingParams) int {
	if more <= 0 {
		return 0
	}
	lo, hi := sp.MinimumScalingStepSize, sp.MaximumScalingStepSize
	if lo <= 0 {
		lo = DefaultMinimumScalingStep
	}
	if hi <= 0 {
		hi = DefaultMaximumScalingStep
	}
	if more < lo {
		return lo
	}
	return min(more, hi)
}
