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
// launches (rule 139): none when more is 0 or less,
// minimumScalingStepSize when more is below it, else more but at most
// maximumScalingStepSize. Absent step sizes take their defaults. The steps
// do not limit a scale-in.
func ScaleOutStep(more int, m ManagedScaling) int {
	if more <= 0 {
		return 0
	}
	m = m.WithDefaults()
	if more < m.MinimumScalingStepSize {
		return m.MinimumScalingStepSize
	}
	return min(more, m.MaximumScalingStepSize)
}
