package deploy

import (
	"fmt"

	"github.com/ecscore/ecscore/ecs"
)

// Messages of the InvalidParameterException errors that ValidateService
// returns. The first four are ECS's own texts, as users quoted them from
// real errors; the others are written in the API's style (ECS's texts for
// them were not found) and say so in their names' documentation.
const (
	// MsgDaemonMaximumAbove100 is ECS's text for a DAEMON service whose
	// maximumPercent is above 100 (rule 119).
	MsgDaemonMaximumAbove100 = "The daemon scheduling strategy does not support values above 100 for maximumPercent on a deployment configuration. Change the maximumPercent value to 100, and try again"
	// MsgDaemonDesiredCount is ECS's text for a DAEMON request with a
	// desired count (rule 102).
	MsgDaemonDesiredCount = "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again"
	// MsgDaemonPlacementStrategy is ECS's text for a DAEMON request with a
	// placement strategy (rule 103).
	MsgDaemonPlacementStrategy = "The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again"
	// MsgDaemonCapacityProvider is ECS's text for a DAEMON request with a
	// capacity provider strategy.
	MsgDaemonCapacityProvider = "Specifying a capacity provider strategy is not supported when you create a service using the DAEMON scheduling strategy."
	// MsgDaemonMaximumBelow100 is for a DAEMON maximumPercent below 100
	// (rule 119); the text is this package's.
	MsgDaemonMaximumBelow100 = "The daemon scheduling strategy does not support values below 100 for maximumPercent on a deployment configuration. Change the maximumPercent value to 100, and try again"
	// MsgDaemonFargate is for DAEMON with the FARGATE launch type (rule
	// 102); the text is this package's.
	MsgDaemonFargate = "The daemon scheduling strategy is not supported for tasks using the FARGATE launch type. Use the REPLICA scheduling strategy and try again"
)

// ValidateService checks a CreateService or UpdateService request, given
// in the Service shape, the way ECS does before it accepts it: the
// scheduling strategy against the launch type, capacity provider
// strategy, deployment controller, placement strategy and desired count,
// and the deployment configuration (ValidateDeploymentConfiguration). A
// describe-services output is not a request: a DAEMON service there shows
// a desired count. The error is an *ecs.APIError of type
// InvalidParameterException wrapping ecs.ErrInvalid, for the first
// problem found, as the API reports one.
func ValidateService(svc *ecs.Service) error {
	if svc == nil {
		return invalid("The service is required.")
	}
	if svc.SchedulingStrategy == ecs.SchedulingStrategyDaemon {
		switch {
		case svc.LaunchType == ecs.LaunchTypeFargate || isFargate(svc):
			return invalid(MsgDaemonFargate)
		case len(svc.CapacityProviderStrategy) > 0:
			return invalid(MsgDaemonCapacityProvider)
		case svc.DeploymentController != nil && svc.DeploymentController.Type != "" &&
			svc.DeploymentController.Type != ecs.DeploymentControllerTypeECS:
			return invalid(fmt.Sprintf("The daemon scheduling strategy does not support the %s deployment controller. Use the ECS deployment controller and try again", svc.DeploymentController.Type))
		case len(svc.PlacementStrategy) > 0:
			return invalid(MsgDaemonPlacementStrategy)
		case svc.DesiredCount != 0:
			return invalid(MsgDaemonDesiredCount)
		}
	}
	if svc.DesiredCount < 0 {
		return invalid("desiredCount must be greater than or equal to 0.")
	}
	if g := svc.HealthCheckGracePeriodSeconds; g != nil && *g < 0 {
		return invalid("healthCheckGracePeriodSeconds must be greater than or equal to 0.")
	}
	return ValidateDeploymentConfiguration(svc.SchedulingStrategy, svc.DeploymentConfiguration)
}

// ValidateDeploymentConfiguration checks a deployment configuration for a
// service of the given scheduling strategy (rules 117–119 and 123, open
// point 10): minimumHealthyPercent 0–100; maximumPercent at least 100, and
// exactly 100 for DAEMON; a circuit breaker threshold value of at least 1
// (0–100 for BOUNDED_PERCENT). The messages for the ranges are this
// package's; ECS's were not found.
func ValidateDeploymentConfiguration(strategy ecs.SchedulingStrategy, cfg *ecs.DeploymentConfiguration) error {
	if cfg == nil {
		return nil
	}
	if p := cfg.MinimumHealthyPercent; p != nil && (*p < 0 || *p > 100) {
		return invalid(fmt.Sprintf("Invalid minimumHealthyPercent %d: the value must be between 0 and 100.", *p))
	}
	if p := cfg.MaximumPercent; p != nil {
		switch {
		case strategy == ecs.SchedulingStrategyDaemon && *p > 100:
			return invalid(MsgDaemonMaximumAbove100)
		case strategy == ecs.SchedulingStrategyDaemon && *p < 100:
			return invalid(MsgDaemonMaximumBelow100)
		case *p < 100:
			return invalid(fmt.Sprintf("Invalid maximumPercent %d: the value must be 100 or greater.", *p))
		}
	}
	if cb := cfg.DeploymentCircuitBreaker; cb != nil && cb.ThresholdConfiguration != nil {
		tc := cb.ThresholdConfiguration
		if !tc.Type.Known() && tc.Type != "" {
			return invalid(fmt.Sprintf("Invalid thresholdConfiguration type %q: the value must be one of COUNT, BOUNDED_PERCENT, UNBOUNDED_PERCENT.", tc.Type))
		}
		if v := tc.Value; v != nil && (*v < 1 || (*v > 100 && (tc.Type == "" || tc.Type == ecs.ThresholdTypeBoundedPercent))) {
			return invalid(fmt.Sprintf("Invalid thresholdConfiguration value %d for type %s.", *v, thresholdType(tc)))
		}
	}
	return nil
}

func thresholdType(tc *ecs.ThresholdConfiguration) ecs.ThresholdType {
	if tc.Type == "" {
		return ecs.ThresholdTypeBoundedPercent
	}
	return tc.Type
}

func invalid(msg string) error {
	return ecs.NewAPIError(ecs.InvalidParameterException, msg, ecs.ErrInvalid)
}
