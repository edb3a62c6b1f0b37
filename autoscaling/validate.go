package autoscaling

import (
	"fmt"
	"math"
	"strings"
)

// ValidateScalableTarget checks a scalable target as RegisterScalableTarget
// does for ECS services: the ecs namespace, the ecs:service:DesiredCount
// dimension, a ResourceId of the form service/CLUSTER/SERVICE, and
// 0 ≤ MinCapacity ≤ MaxCapacity
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
func ValidateScalableTarget(t ScalableTarget) error {
	if t.ServiceNamespace != ServiceNamespaceECS {
		return fmt.Errorf("%w: ServiceNamespace must be %q, got %q", ErrValidation, ServiceNamespaceECS, t.ServiceNamespace)
	}
	if t.ScalableDimension != DimensionECSDesiredCount {
		return fmt.Errorf("%w: ScalableDimension must be %q for ServiceNamespace ecs, got %q", ErrValidation, DimensionECSDesiredCount, t.ScalableDimension)
	}
	if _, _, err := ServiceOf(t.ResourceId); err != nil {
		return err
	}
	if t.MinCapacity < 0 || t.MaxCapacity < 0 {
		return fmt.Errorf("%w: MinCapacity and MaxCapacity must be at least 0", ErrValidation)
	}
	if t.MinCapacity > t.MaxCapacity {
		return fmt.Errorf("%w: MinCapacity (%d) cannot be greater than MaxCapacity (%d)", ErrValidation, t.MinCapacity, t.MaxCapacity)
	}
	return nil
}

// ServiceOf returns the cluster and service names of an ECS ResourceId,
// "service/CLUSTER/SERVICE".
func ServiceOf(resourceID string) (cluster, service string, err error) {
	parts := strings.Split(resourceID, "/")
	if len(parts) != 3 || parts[0] != "service" || parts[1] == "" || parts[2] == "" {
		return "", "", fmt.Errorf("%w: ResourceId %q: an ECS service's resource ID is service/CLUSTER/SERVICE", ErrValidation, resourceID)
	}
	return parts[1], parts[2], nil
}

// ecsMetrics are the predefined metrics of ECS services.
var ecsMetrics = map[string]bool{MetricECSServiceCPU: true, MetricECSServiceMemory: true, MetricALBRequestCount: true}

// ValidateScalingPolicy checks a scaling policy as PutScalingPolicy does
// for an ECS service: the policy type and its matching configuration; for
// target tracking a TargetValue within the API's range
// (8.515920e-109 to 1.174271e+108), one of the ECS predefined metrics
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html)
// with the ResourceLabel ALBRequestCountPerTarget needs, and cooldowns of
// 0 to 2,147,483,647 seconds (the API's Integer); for step scaling what
// [StepScalingPolicyConfiguration.Validate] checks.
func ValidateScalingPolicy(p ScalingPolicy) error {
	if p.PolicyName == "" || len(p.PolicyName) > 256 {
		return fmt.Errorf("%w: PolicyName must be 1 to 256 characters", ErrValidation)
	}
	if _, _, err := ServiceOf(p.ResourceId); err != nil {
		return err
	}
	switch p.PolicyType {
	case PolicyTypeTargetTracking:
		c, err := validateTargetTracking(p)
		if err != nil {
			return err
		}
		if c.TargetValue < 8.515920e-109 || c.TargetValue > 1.174271e+108 || math.IsNaN(c.TargetValue) {
			return fmt.Errorf("%w: policy %q: TargetValue must be between 8.515920e-109 and 1.174271e+108", ErrValidation, p.PolicyName)
		}
		m := c.PredefinedMetricSpecification
		if m == nil {
			return fmt.Errorf("%w: policy %q: PredefinedMetricSpecification is required (customized metrics are not evaluated here)", ErrValidation, p.PolicyName)
		}
		if !ecsMetrics[m.PredefinedMetricType] {
			return fmt.Errorf("%w: policy %q: PredefinedMetricType %q is not valid for ServiceNamespace ecs: use ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget", ErrValidation, p.PolicyName, m.PredefinedMetricType)
		}
		if (m.PredefinedMetricType == MetricALBRequestCount) != (m.ResourceLabel != "") {
			return fmt.Errorf("%w: policy %q: ResourceLabel is required for ALBRequestCountPerTarget and only for it", ErrValidation, p.PolicyName)
		}
		if p.StepScalingPolicyConfiguration != nil {
			return fmt.Errorf("%w: policy %q: StepScalingPolicyConfiguration is not valid for policy type %s", ErrValidation, p.PolicyName, p.PolicyType)
		}
		return nil
	case PolicyTypeStepScaling:
		if p.StepScalingPolicyConfiguration == nil {
			return fmt.Errorf("%w: policy %q: StepScalingPolicyConfiguration is required for policy type %s", ErrValidation, p.PolicyName, p.PolicyType)
		}
		if p.TargetTrackingScalingPolicyConfiguration != nil {
			return fmt.Errorf("%w: policy %q: TargetTrackingScalingPolicyConfiguration is not valid for policy type %s", ErrValidation, p.PolicyName, p.PolicyType)
		}
		if err := p.StepScalingPolicyConfiguration.Validate(); err != nil {
			return fmt.Errorf("policy %q: %w", p.PolicyName, err)
		}
		return nil
	}
	return fmt.Errorf("%w: PolicyType must be StepScaling or TargetTrackingScaling for ServiceNamespace ecs, got %q", ErrValidation, p.PolicyType)
}

// ValidateScheduledAction checks a scheduled action as PutScheduledAction
// does: a name, a schedule expression that parses, a time zone that
// exists, a StartTime not after EndTime, and a new MinCapacity not above
// the new MaxCapacity
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html).
func ValidateScheduledAction(a ScheduledAction) error {
	if a.ScheduledActionName == "" || len(a.ScheduledActionName) > 256 || strings.ContainsAny(a.ScheduledActionName, ":/|") {
		return fmt.Errorf("%w: ScheduledActionName must be 1 to 256 characters without ':', '/' or '|'", ErrValidation)
	}
	if _, _, err := ServiceOf(a.ResourceId); err != nil {
		return err
	}
	if _, err := ParseSchedule(a.Schedule); err != nil {
		return err
	}
	if _, err := a.location(); err != nil {
		return err
	}
	if !a.StartTime.IsZero() && !a.EndTime.IsZero() && a.EndTime.Before(a.StartTime.Time) {
		return fmt.Errorf("%w: EndTime cannot be before StartTime", ErrValidation)
	}
	if sta := a.ScalableTargetAction; sta != nil {
		if (sta.MinCapacity != nil && *sta.MinCapacity < 0) || (sta.MaxCapacity != nil && *sta.MaxCapacity < 0) {
			return fmt.Errorf("%w: ScalableTargetAction: MinCapacity and MaxCapacity must be at least 0", ErrValidation)
		}
		if sta.MinCapacity != nil && sta.MaxCapacity != nil && *sta.MinCapacity > *sta.MaxCapacity {
			return fmt.Errorf("%w: ScalableTargetAction: MinCapacity (%d) cannot be greater than MaxCapacity (%d)", ErrValidation, *sta.MinCapacity, *sta.MaxCapacity)
		}
	}
	return nil
}

// DuringDeployment returns the target as dynamic scaling sees it while an
// ECS deployment of the service is in progress: "Application Auto Scaling
// turns off scale-in processes while Amazon ECS deployments are in
// progress. However, scale-out processes continue to occur, unless
// suspended, during a deployment"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html).
// Pass it to [TargetTracking] and [StepScaling] while a deployment runs.
func (t ScalableTarget) DuringDeployment() ScalableTarget {
	s := t.suspended()
	s.DynamicScalingInSuspended = true
	t.SuspendedState = &s
	return t
}
