package capacity

import (
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// ScaleInDatapoints is how many consecutive one-minute evaluations below
// the target capacity ECS's scale-in alarm waits for (rule 140).
const ScaleInDatapoints = 15

// MaxScaleInPercent is the most of an Auto Scaling group's capacity one
// managed scale-in step removes (rule 140): 50 %, since ECS raised it from
// 5 % (AWS Containers blog "Faster scaling-in for Amazon ECS cluster auto
// scaling",
// https://aws.amazon.com/blogs/containers/faster-scaling-in-for-amazon-ecs-cluster-auto-scaling/).
const MaxScaleInPercent = 50

// ScaleInStep returns the most instances one managed scale-in step removes
// from a group whose capacity is n (rule 140): MaxScaleInPercent of n,
// rounded down, but at least one, so that a group of one empty instance
// can still scale in to zero (the blog does not say how ECS rounds: an
// assumption). It is 0 when n is 0 or less.
func ScaleInStep(n int) int {
	if n <= 0 {
		return 0
	}
	return max(1, n*MaxScaleInPercent/100)
}

// Instance is a container instance of an Auto Scaling group provider, as
// managed scaling sees it.
type Instance struct {
	ID         string    // the EC2 instance ID
	LaunchedAt time.Time // when it launched; zero for long ago
	// NonDaemonTasks counts the tasks on it that a DAEMON service did not
	// start. An instance without any is empty (rule 140).
	NonDaemonTasks int
}

// ScalingState is one evaluation's view of an Auto Scaling group provider.
type ScalingState struct {
	Now          time.Time
	Instances    []Instance      // the group's instances registered in the cluster
	Provisioning []ecs.Resources // tasks waiting for this provider's capacity
	Shapes       []InstanceShape // the group's instance types
	// DesiredCapacity is the group's desired capacity now; MinSize and
	// MaxSize bound it (MaxSize 0: no bound).
	DesiredCapacity, MinSize, MaxSize int
	// LowDatapoints counts the evaluations just before this one whose
	// reservation was below the target capacity, without a break.
	LowDatapoints int
}

// Action is what a Decision does to the group.
type Action int

// Actions of a Decision.
const (
	Hold     Action = iota // leave the desired capacity as it is
	ScaleOut               // raise it
	ScaleIn                // lower it
)

// String returns "hold", "scale-out" or "scale-in".
func (a Action) String() string {
	switch a {
	case ScaleOut:
		return "scale-out"
	case ScaleIn:
		return "scale-in"
	}
	return "hold"
}

// Decision is what managed scaling does after one evaluation.
type Decision struct {
	Action Action
	// Desired is the group's desired capacity after the decision; the
	// state's DesiredCapacity when the action is Hold.
	Desired     int
	Estimate    Estimate
	Reservation float64 // CapacityProviderReservation
	Target      int     // targetCapacity in force
	// Removable lists the instances a scale-in may terminate: with
	// managed termination protection, only empty ones.
	Removable []string
	// LowDatapoints is the state's LowDatapoints for the next evaluation.
	LowDatapoints int
	Reason        string // why, in a sentence
}

// Decide evaluates managed scaling for provider p once: a pure function of
// p and the state. The provider's settings are resolved by ScalingDefaults
// (no managedScaling member: managed scaling is off); Decide does not
// validate them, ValidateProvider does. It estimates M (EstimateNeeds)
// and the reservation; the instances wanted are ⌈M × 100 /
// targetCapacity⌉ (DesiredInstances).
//
// More wanted than running: a scale-out by ScaleOutStep, unless an
// instance is still within instanceWarmupPeriod or the group's desired
// capacity is already as high. Fewer wanted: a scale-in once the
// reservation has stayed below the target for ScaleInDatapoints
// evaluations, by at most ScaleInStep of the desired capacity per
// evaluation; with managed termination protection it removes empty
// instances only (Removable), and never one still within its
// instanceWarmupPeriod, which cannot yet contribute to the metric. A scale-out, or a reservation at or above the
// target, restarts the count. Every PROVISIONING task excluded: the
// reservation stays 100 and nothing scales. Managed scaling off: Hold.
func Decide(p ecs.AutoScalingGroupProvider, s ScalingState) Decision {
	sp := providerScaling(p)
	d := Decision{Action: Hold, Desired: s.DesiredCapacity, Target: sp.TargetCapacity}
	if !sp.Enabled {
		d.Reason = "managed scaling is not enabled"
		return d
	}
	d.Estimate = EstimateNeeds(s.Instances, s.Provisioning, s.Shapes)
	d.Reservation = d.Estimate.Reservation()
	d.Removable = Removable(settled(s.Instances, s.Now, sp.InstanceWarmupPeriod), terminationProtected(p))
	if d.Estimate.AllExcluded {
		d.Reason = "no task waiting for capacity fits any instance type: the reservation stays 100"
		return d
	}
	if d.Reservation >= float64(sp.TargetCapacity) {
		d.LowDatapoints = 0
	} else {
		d.LowDatapoints = s.LowDatapoints + 1
	}
	n := len(s.Instances)
	want := DesiredInstances(d.Estimate.M(), sp.TargetCapacity)
	switch {
	case want > n:
		scaleOut(&d, s, sp, want-n)
	case want < n:
		scaleIn(&d, s, want)
	default:
		d.Reason = "the reservation is at the target capacity"
	}
	return d
}

func scaleOut(d *Decision, s ScalingState, sp ScalingParams, more int) {
	d.LowDatapoints = 0
	if in, ok := warming(s.Instances, s.Now, sp.InstanceWarmupPeriod); ok {
		d.Reason = "instance " + in + " is within its warm-up period"
		return
	}
	desired := len(s.Instances) + ScaleOutStep(more, sp)
	if s.MaxSize > 0 {
		desired = min(desired, s.MaxSize)
	}
	if desired <= s.DesiredCapacity {
		d.Reason = "the group's desired capacity already covers the scale-out"
		return
	}
	d.Action, d.Desired = ScaleOut, desired
	d.Reason = "the reservation is above the target capacity"
}

func scaleIn(d *Decision, s ScalingState, want int) {
	if d.LowDatapoints < ScaleInDatapoints {
		d.Reason = "the reservation is below the target capacity; the scale-in waits for 15 datapoints"
		return
	}
	desired := max(want, len(s.Instances)-len(d.Removable), s.MinSize, s.DesiredCapacity-ScaleInStep(s.DesiredCapacity))
	if desired >= s.DesiredCapacity {
		d.Reason = "no instance may be removed"
		return
	}
	d.Action, d.Desired = ScaleIn, desired
	d.Reason = "the reservation has been below the target capacity for 15 datapoints"
	if desired == s.DesiredCapacity-ScaleInStep(s.DesiredCapacity) && desired > max(want, s.MinSize) {
		d.Reason += "; the step removes at most half the group's capacity"
	}
}

// settled returns the instances past their warm-up at now: those a
// scale-in may remove. A newly launched instance cannot contribute to the
// metric during instanceWarmupPeriod (API ManagedScaling,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html),
// so a scale-in does not take it (an interpretation: the page states the
// period for the metric only).
func settled(instances []Instance, now time.Time, warmup time.Duration) []Instance {
	out := make([]Instance, 0, len(instances))
	for _, in := range instances {
		if in.LaunchedAt.IsZero() || now.Sub(in.LaunchedAt) >= warmup {
			out = append(out, in)
		}
	}
	return out
}

func warming(instances []Instance, now time.Time, warmup time.Duration) (string, bool) {
	for _, in := range instances {
		if !in.LaunchedAt.IsZero() && now.Sub(in.LaunchedAt) < warmup {
			return in.ID, true
		}
	}
	return "", false
}

// Removable returns the IDs of the instances a scale-in may terminate
// (rule 141). With managed termination protection ECS keeps scale-in
// protection on every instance that runs a non-daemon task, so only empty
// instances may go; without it the Auto Scaling group may terminate any
// instance, and Removable lists them all, empty ones first.
func Removable(instances []Instance, terminationProtection bool) []string {
	var empty, busy []string
	for _, in := range instances {
		if in.NonDaemonTasks == 0 {
			empty = append(empty, in.ID)
		} else {
			busy = append(busy, in.ID)
		}
	}
	if terminationProtection {
		return empty
	}
	return append(empty, busy...)
}
