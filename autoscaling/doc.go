// Package autoscaling decides, as Application Auto Scaling does for the
// scalable dimension ecs:service:DesiredCount, what a service's desired
// count becomes: from a scalable target (minimum and maximum capacity,
// suspended state), its target tracking and step scaling policies, the
// metric datapoints the caller supplies, and its scheduled actions.
//
// Everything here is a pure function of its inputs: the time is passed
// in, nothing reads the clock, nothing runs in the background. A caller
// that keeps live state (a simulated world on a virtual clock) keeps the
// [State] of each target between calls and records the [ScalingActivity]
// values the decisions return.
//
// Types and their JSON names are those of the Application Auto Scaling
// API (ScalableTarget, ScalingPolicy, ScheduledAction, ScalingActivity),
// with timestamps as epoch seconds ([ecs.Time]); [ecs.Unmarshal] decodes
// them strictly:
// https://docs.aws.amazon.com/autoscaling/application/APIReference/Welcome.html
package autoscaling
