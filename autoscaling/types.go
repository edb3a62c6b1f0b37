package autoscaling

import (
	"fmt"
	"math"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// The service namespace, scalable dimension and policy types this package
// decides for.
const (
	ServiceNamespaceECS               = "ecs"
	DimensionECSDesiredCount          = "ecs:service:DesiredCount"
	PolicyTypeTargetTracking          = "TargetTrackingScaling"
	PolicyTypeStepScaling             = "StepScaling"
	MetricECSServiceCPU               = "ECSServiceAverageCPUUtilization"
	MetricECSServiceMemory            = "ECSServiceAverageMemoryUtilization"
	MetricALBRequestCount             = "ALBRequestCountPerTarget"
	AdjustmentChangeInCapacity        = "ChangeInCapacity"
	AdjustmentExactCapacity           = "ExactCapacity"
	AdjustmentPercentChangeInCapacity = "PercentChangeInCapacity"
	AggregationAverage                = "Average"
	AggregationMinimum                = "Minimum"
	AggregationMaximum                = "Maximum"
	ActivityStatusSuccessful          = "Successful"
	ActivityStatusInProgress          = "InProgress"
	ActivityStatusFailed              = "Failed"
	defaultCooldownSeconds            = 300
	scaleOutDatapoints                = 3
	scaleInDatapoints                 = 15
	scaleInThresholdOfTarget          = 0.9
	maxScheduleSearchDuration         = 230 * 365 * 24 * time.Hour
)

// SuspendedState says which scaling a scalable target has suspended.
type SuspendedState struct {
	DynamicScalingInSuspended  bool `json:"DynamicScalingInSuspended"`
	DynamicScalingOutSuspended bool `json:"DynamicScalingOutSuspended"`
	ScheduledScalingSuspended  bool `json:"ScheduledScalingSuspended"`
}

// ScalableTarget is a registered scalable target: for ECS, a service's
// desired count (ResourceId "service/CLUSTER/SERVICE") bounded by
// MinCapacity and MaxCapacity.
type ScalableTarget struct {
	ServiceNamespace  string          `json:"ServiceNamespace"`
	ResourceId        string          `json:"ResourceId"`
	ScalableDimension string          `json:"ScalableDimension"`
	MinCapacity       int             `json:"MinCapacity"`
	MaxCapacity       int             `json:"MaxCapacity"`
	RoleARN           string          `json:"RoleARN,omitempty"`
	CreationTime      ecs.Time        `json:"CreationTime,omitzero"`
	SuspendedState    *SuspendedState `json:"SuspendedState,omitempty"`
	ScalableTargetARN string          `json:"ScalableTargetARN,omitempty"`
}

// suspended returns the target's suspended state, all false when absent.
func (t ScalableTarget) suspended() SuspendedState {
	if t.SuspendedState == nil {
		return SuspendedState{}
	}
	return *t.SuspendedState
}

// clamp bounds n by the target's minimum and maximum capacity.
func (t ScalableTarget) clamp(n int) int {
	if n > t.MaxCapacity {
		n = t.MaxCapacity
	}
	if n < t.MinCapacity {
		n = t.MinCapacity
	}
	return n
}

// PredefinedMetricSpecification names a predefined metric of a target
// tracking policy; ResourceLabel identifies the target group for
// ALBRequestCountPerTarget.
type PredefinedMetricSpecification struct {
	PredefinedMetricType string `json:"PredefinedMetricType"`
	ResourceLabel        string `json:"ResourceLabel,omitempty"`
}

// TargetTrackingScalingPolicyConfiguration is a target tracking policy:
// keep the metric at TargetValue. Cooldowns are in seconds; nil means the
// default of 300 seconds for ECS services.
type TargetTrackingScalingPolicyConfiguration struct {
	TargetValue                   float64                        `json:"TargetValue"`
	PredefinedMetricSpecification *PredefinedMetricSpecification `json:"PredefinedMetricSpecification,omitempty"`
	ScaleOutCooldown              *int                           `json:"ScaleOutCooldown,omitempty"`
	ScaleInCooldown               *int                           `json:"ScaleInCooldown,omitempty"`
	DisableScaleIn                *bool                          `json:"DisableScaleIn,omitempty"`
}

// StepAdjustment is one step of a step scaling policy: bounds relative to
// the alarm threshold (nil is unbounded) and the adjustment.
type StepAdjustment struct {
	MetricIntervalLowerBound *float64 `json:"MetricIntervalLowerBound,omitempty"`
	MetricIntervalUpperBound *float64 `json:"MetricIntervalUpperBound,omitempty"`
	ScalingAdjustment        int      `json:"ScalingAdjustment"`
}

// StepScalingPolicyConfiguration is a step scaling policy, run by an alarm
// the caller owns.
type StepScalingPolicyConfiguration struct {
	AdjustmentType         string           `json:"AdjustmentType,omitempty"`
	StepAdjustments        []StepAdjustment `json:"StepAdjustments,omitempty"`
	MinAdjustmentMagnitude *int             `json:"MinAdjustmentMagnitude,omitempty"`
	Cooldown               *int             `json:"Cooldown,omitempty"`
	MetricAggregationType  string           `json:"MetricAggregationType,omitempty"`
}

// ScalingPolicy is a scaling policy of a scalable target.
type ScalingPolicy struct {
	PolicyARN                                string                                    `json:"PolicyARN,omitempty"`
	PolicyName                               string                                    `json:"PolicyName"`
	ServiceNamespace                         string                                    `json:"ServiceNamespace"`
	ResourceId                               string                                    `json:"ResourceId"`
	ScalableDimension                        string                                    `json:"ScalableDimension"`
	PolicyType                               string                                    `json:"PolicyType"`
	StepScalingPolicyConfiguration           *StepScalingPolicyConfiguration           `json:"StepScalingPolicyConfiguration,omitempty"`
	TargetTrackingScalingPolicyConfiguration *TargetTrackingScalingPolicyConfiguration `json:"TargetTrackingScalingPolicyConfiguration,omitempty"`
	Alarms                                   []Alarm                                   `json:"Alarms,omitempty"`
	CreationTime                             ecs.Time                                  `json:"CreationTime,omitzero"`
}

// ScalableTargetAction is the new minimum and/or maximum capacity a
// scheduled action sets.
type ScalableTargetAction struct {
	MinCapacity *int `json:"MinCapacity,omitempty"`
	MaxCapacity *int `json:"MaxCapacity,omitempty"`
}

// ScheduledAction changes a scalable target's minimum and maximum capacity
// on a schedule: "at(...)", "rate(...)" or "cron(...)", in Timezone (an
// IANA name, UTC when empty), between StartTime and EndTime when set.
type ScheduledAction struct {
	ScheduledActionName  string                `json:"ScheduledActionName"`
	ScheduledActionARN   string                `json:"ScheduledActionARN,omitempty"`
	ServiceNamespace     string                `json:"ServiceNamespace"`
	Schedule             string                `json:"Schedule"`
	Timezone             string                `json:"Timezone,omitempty"`
	ResourceId           string                `json:"ResourceId"`
	ScalableDimension    string                `json:"ScalableDimension"`
	StartTime            ecs.Time              `json:"StartTime,omitzero"`
	EndTime              ecs.Time              `json:"EndTime,omitzero"`
	ScalableTargetAction *ScalableTargetAction `json:"ScalableTargetAction,omitempty"`
	CreationTime         ecs.Time              `json:"CreationTime,omitzero"`
}

// ScalingActivity is a scaling activity as DescribeScalingActivities
// returns it: what changed (Description) and why (Cause).
type ScalingActivity struct {
	ActivityId        string   `json:"ActivityId"`
	ServiceNamespace  string   `json:"ServiceNamespace"`
	ResourceId        string   `json:"ResourceId"`
	ScalableDimension string   `json:"ScalableDimension"`
	Description       string   `json:"Description"`
	Cause             string   `json:"Cause"`
	StartTime         ecs.Time `json:"StartTime"`
	EndTime           ecs.Time `json:"EndTime,omitzero"`
	StatusCode        string   `json:"StatusCode"`
	StatusMessage     string   `json:"StatusMessage,omitempty"`
	Details           string   `json:"Details,omitempty"`
}

// maxCooldownSeconds is the largest cooldown: the API's cooldowns are
// Integer members, 32-bit signed, so at most 2,147,483,647 seconds (about
// 68 years), which a time.Duration holds.
const maxCooldownSeconds = math.MaxInt32

// validCooldown checks a cooldown member: absent, or 0 to
// maxCooldownSeconds seconds.
func validCooldown(field string, p *int) error {
	if p != nil && (*p < 0 || *p > maxCooldownSeconds) {
		return fmt.Errorf("%w: %s must be 0 to %d seconds, got %d", ErrValidation, field, maxCooldownSeconds, *p)
	}
	return nil
}

// seconds returns *p seconds, or the default cooldown when p is nil,
// held within 0 to maxCooldownSeconds so it never overflows.
func seconds(p *int) time.Duration {
	if p == nil {
		return defaultCooldownSeconds * time.Second
	}
	return time.Duration(min(max(*p, 0), maxCooldownSeconds)) * time.Second
}

// cooldownEnd is now plus a cooldown, saturating at the latest time
// instead of wrapping to a time before now.
func cooldownEnd(now time.Time, d time.Duration) time.Time {
	if end := now.Add(d); !end.Before(now) {
		return end
	}
	return time.Unix(maxUnix, 999999999).In(now.Location())
}
