package autoscaling

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"time"
)

// ErrValidation is wrapped by the errors of a target, policy or
// scheduled action the API would refuse, or that cannot be evaluated
// (the API's ValidationException).
var ErrValidation = errors.New("ValidationException")

// Datapoints are a policy's metric as its alarms see it: one value per
// one-minute period, oldest first, the last one the period ending now.
// A missing period is absent from the slice, so fewer values than an
// alarm needs is insufficient data.
type Datapoints []float64

// AlarmHighName and AlarmLowName are the names of the two alarms
// Application Auto Scaling creates for a target tracking policy:
// "TargetTracking-<ResourceId>-AlarmHigh-<id>" and "...-AlarmLow-<id>".
// The id, a UUID in AWS, is here derived from the policy name so that
// the same policy always has the same alarm names.
func AlarmHighName(p ScalingPolicy) string { return alarmName(p, "AlarmHigh") }

// AlarmLowName is the name of a target tracking policy's scale-in alarm;
// see [AlarmHighName].
func AlarmLowName(p ScalingPolicy) string { return alarmName(p, "AlarmLow") }

func alarmName(p ScalingPolicy, kind string) string {
	h := fnv.New128a()
	h.Write([]byte(p.ResourceId + "\x00" + p.PolicyName + "\x00" + kind))
	b := h.Sum(nil)
	return fmt.Sprintf("TargetTracking-%s-%s-%x-%x-%x-%x-%x", p.ResourceId, kind, b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// alarmState is what a target tracking policy's two alarms say.
type alarmState struct {
	high, low bool
	metric    float64
}

// evaluateAlarms evaluates a target tracking policy's alarms on its
// datapoints. The scale-out alarm (AlarmHigh) is in ALARM when the last 3
// one-minute datapoints are all above the target value; the scale-in
// alarm (AlarmLow) when the last 15 are all below 90 % of it. Target
// tracking scales in only when the metric is "sufficiently below" the
// target, usually more than 10 % lower
// (https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html);
// the 3 and 15 datapoints are those of the alarms Application Auto Scaling
// creates, which the caller cannot change
// (https://github.com/aws-samples/amazon-aurora-labs-for-mysql/issues/3).
// Missing data never scales: "It does not perform scale in because it
// does not interpret insufficient data as low utilization"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html).
func evaluateAlarms(target float64, d Datapoints) alarmState {
	var a alarmState
	if len(d) == 0 {
		return a
	}
	a.metric = d[len(d)-1]
	a.high = len(d) >= scaleOutDatapoints && all(d[len(d)-scaleOutDatapoints:], func(v float64) bool { return v > target })
	a.low = len(d) >= scaleInDatapoints && all(d[len(d)-scaleInDatapoints:], func(v float64) bool { return v < target*scaleInThresholdOfTarget })
	return a
}

func all(d Datapoints, f func(float64) bool) bool {
	for _, v := range d {
		if math.IsNaN(v) || !f(v) {
			return false
		}
	}
	return true
}

// proportional is the capacity that brings the metric to the target:
// capacity × metric / target, rounded up. Rounding up adds enough
// capacity on scale-out and removes no more than needed on scale-in
// ("Service Auto Scaling always acts conservatively by rounding up or
// down", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html).
func proportional(capacity int, metric, target float64) int {
	v := math.Ceil(float64(capacity) * metric / target)
	if math.IsNaN(v) || v < 0 {
		return 0
	}
	if v > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(v)
}

// validateTargetTracking checks the policy can be evaluated.
func validateTargetTracking(p ScalingPolicy) (*TargetTrackingScalingPolicyConfiguration, error) {
	c := p.TargetTrackingScalingPolicyConfiguration
	if p.PolicyType != PolicyTypeTargetTracking || c == nil {
		return nil, fmt.Errorf("%w: policy %q: TargetTrackingScalingPolicyConfiguration is required for policy type %s", ErrValidation, p.PolicyName, PolicyTypeTargetTracking)
	}
	if !(c.TargetValue > 0) || math.IsInf(c.TargetValue, 0) {
		return nil, fmt.Errorf("%w: policy %q: TargetValue must be a positive number, got %v", ErrValidation, p.PolicyName, c.TargetValue)
	}
	if err := validCooldown("ScaleInCooldown", c.ScaleInCooldown); err != nil {
		return nil, fmt.Errorf("policy %q: %w", p.PolicyName, err)
	}
	if err := validCooldown("ScaleOutCooldown", c.ScaleOutCooldown); err != nil {
		return nil, fmt.Errorf("policy %q: %w", p.PolicyName, err)
	}
	return c, nil
}

// TargetTracking evaluates a scalable target's target tracking policies
// at now, each on its own datapoints (metrics[PolicyName]), with the
// current desired count, and returns the decision and the state to keep.
//
// As the ECS documentation describes it
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html):
// the service scales out if any policy is ready to scale out, to the
// largest capacity any asks for, and scales in only if every policy with
// scale-in enabled is ready to scale in, to the largest capacity they
// ask for. A policy with DisableScaleIn never scales in. Scale-out is
// computed from the capacity before the scale-out cooldown began, so
// only a larger scale-out happens during it; scale-in waits for the
// scale-in cooldown only. The new count stays within MinCapacity and MaxCapacity, and
// suspended dynamic scaling does nothing in its direction.
func TargetTracking(t ScalableTarget, policies []ScalingPolicy, metrics map[string]Datapoints, s State, current int, now time.Time) (Decision, State, error) {
	type ready struct {
		policy ScalingPolicy
		want   int
	}
	var out, in *ready
	var outCooldown, inCooldown time.Duration
	inReady, inPolicies := 0, 0
	base := scaleOutBase(s, current, now)
	for _, p := range policies {
		c, err := validateTargetTracking(p)
		if err != nil {
			return Decision{DesiredCount: current}, s, err
		}
		a := evaluateAlarms(c.TargetValue, metrics[p.PolicyName])
		if a.high {
			if w := proportional(base, a.metric, c.TargetValue); out == nil || w > out.want {
				out, outCooldown = &ready{p, w}, seconds(c.ScaleOutCooldown)
			}
		}
		if c.DisableScaleIn != nil && *c.DisableScaleIn {
			continue
		}
		inPolicies++
		if a.low {
			inReady++
			if w := proportional(current, a.metric, c.TargetValue); in == nil || w > in.want {
				in, inCooldown = &ready{p, w}, seconds(c.ScaleInCooldown)
			}
		}
	}
	sus := t.suspended()
	if out != nil && !sus.DynamicScalingOutSuspended {
		if n, ns, ok := scaleOut(t, s, current, out.want, outCooldown, now); ok {
			return Decision{n, desiredCountActivity(t, n, alarmCause(AlarmHighName(out.policy), out.policy.PolicyName), now)}, ns, nil
		}
	}
	if in != nil && inReady == inPolicies && out == nil && !sus.DynamicScalingInSuspended {
		if n, ns, ok := scaleIn(t, s, current, in.want, inCooldown, now); ok {
			return Decision{n, desiredCountActivity(t, n, alarmCause(AlarmLowName(in.policy), in.policy.PolicyName), now)}, ns, nil
		}
	}
	return Decision{DesiredCount: current}, s, nil
}
