package deploy

import (
	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// Defaults of the deployment configuration (rules 117–119
// and 123). The percentages' defaults are package ecs's.
const (
	DefaultReplicaMinimumHealthyPercent = ecs.DefaultReplicaMinimumHealthyPercent
	DefaultReplicaMaximumPercent        = ecs.DefaultReplicaMaximumPercent
	DefaultDaemonMinimumHealthyPercent  = ecs.DefaultDaemonMinimumHealthyPercent
	DefaultDaemonMaximumPercent         = ecs.DefaultDaemonMaximumPercent
	DefaultThresholdPercent             = 50
)

// bounds are a deployment's limits in tasks: at least Minimum healthy
// RUNNING tasks, at most Maximum tasks RUNNING or PENDING.
type bounds struct {
	Minimum, Maximum int
}

// boundsFor returns the bounds of a service with the given desired count:
// minimum = ⌈desired × minimumHealthyPercent / 100⌉ and maximum =
// ⌊desired × maximumPercent / 100⌋ (rules 117 and 118), with the
// percentages' defaults for the scheduling strategy when cfg leaves them
// unset. It is ecs.DeploymentBounds of ecs.DeploymentPercentages.
func boundsFor(desired int, strategy ecs.SchedulingStrategy, cfg *ecs.DeploymentConfiguration) bounds {
	minPct, maxPct := ecs.DeploymentPercentages(strategy, cfg)
	var b bounds
	b.Minimum, b.Maximum = ecs.DeploymentBounds(desired, minPct, maxPct)
	return b
}

// Threshold returns the number of failed tasks at which the circuit
// breaker fails a deployment of the given desired count (rule 123, open
// point 8): ⌈value × desired / 100⌉ clamped to [3, 200] for
// BOUNDED_PERCENT (the default type, value 50 by default), the same
// unclamped but at least 1 for UNBOUNDED_PERCENT, and value for COUNT.
func Threshold(tc *ecs.ThresholdConfiguration, desired int) int {
	typ, value := ecs.ThresholdTypeBoundedPercent, DefaultThresholdPercent
	if tc != nil {
		if tc.Type != "" {
			typ = tc.Type
		}
		if tc.Value != nil {
			value = *tc.Value
		}
	}
	switch typ {
	case ecs.ThresholdTypeCount:
		return max(value, 1)
	case ecs.ThresholdTypeUnboundedPercent:
		return max(ceilDiv(value*desired, 100), 1)
	}
	return min(max(ceilDiv(value*desired, 100), 3), 200)
}

// breakerOf returns the service's circuit breaker when it is enabled.
func breakerOf(svc *ecs.Service) *ecs.DeploymentCircuitBreaker {
	cfg := svc.DeploymentConfiguration
	if cfg == nil || cfg.DeploymentCircuitBreaker == nil || !cfg.DeploymentCircuitBreaker.Enable {
		return nil
	}
	return cfg.DeploymentCircuitBreaker
}

// alarmsOf returns the service's deployment alarms when they are enabled.
func alarmsOf(svc *ecs.Service) *ecs.DeploymentAlarms {
	cfg := svc.DeploymentConfiguration
	if cfg == nil || cfg.Alarms == nil || !cfg.Alarms.Enable || len(cfg.Alarms.AlarmNames) == 0 {
		return nil
	}
	return cfg.Alarms
}

// resetOnHealthy reports whether a healthy task resets the breaker's
// count (default true).
func resetOnHealthy(cb *ecs.DeploymentCircuitBreaker) bool {
	return cb.ResetOnHealthyTask == nil || *cb.ResetOnHealthyTask
}

// launchRate returns the launches allowed per minute, or -1 for no limit.
func launchRate(o Options, svc *ecs.Service) int {
	switch {
	case o.LaunchRate < 0:
		return -1
	case o.LaunchRate > 0:
		return o.LaunchRate
	case isFargate(svc):
		return 500
	}
	return 250
}

// isFargate reports whether the service runs on Fargate.
func isFargate(svc *ecs.Service) bool {
	return capacity.Launch{LaunchType: svc.LaunchType, Strategy: svc.CapacityProviderStrategy}.Fargate()
}

func ceilDiv(a, b int) int {
	if a <= 0 {
		return 0
	}
	return (a + b - 1) / b
}
