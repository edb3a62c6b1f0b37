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

// Codes of the findings ValidateService and ValidateDeploymentConfiguration
// report.
const (
	CodeServiceRequired        = "deploy.service-required"          // no service
	CodeDaemonFargate          = "deploy.daemon-fargate"            // DAEMON on FARGATE
	CodeDaemonCapacityProvider = "deploy.daemon-capacity-provider"  // DAEMON with a capacity provider strategy
	CodeDaemonController       = "deploy.daemon-controller"         // DAEMON with a controller other than ECS
	CodeDaemonStrategy         = "deploy.daemon-placement-strategy" // DAEMON with a placement strategy
	CodeDaemonDesiredCount     = "deploy.daemon-desired-count"      // DAEMON with a desired count
	CodeDesiredCount           = "deploy.desired-count"             // a negative desiredCount
	CodeGracePeriod            = "deploy.health-check-grace-period" // a negative healthCheckGracePeriodSeconds
	CodeMinimumHealthyPercent  = "deploy.minimum-healthy-percent"   // minimumHealthyPercent outside 0–100
	CodeMaximumPercent         = "deploy.maximum-percent"           // maximumPercent below 100, or not 100 for DAEMON
	CodeThresholdType          = "deploy.threshold-type"            // a thresholdConfiguration type outside the enum
	CodeThresholdValue         = "deploy.threshold-value"           // a thresholdConfiguration value out of range
)

// ValidateService checks a CreateService or UpdateService request, given
// in the Service shape, the way ECS does before it accepts it: the
// scheduling strategy against the launch type, capacity provider
// strategy, deployment controller, placement strategy and desired count,
// and the deployment configuration (ValidateDeploymentConfiguration). A
// describe-services output is not a request: a DAEMON service there shows
// a desired count. nil means the request is valid. Otherwise the error is
// what ECS answers: an *ecs.APIError of type InvalidParameterException
// for the first problem, wrapping an *ecs.FindingsError (errors.As) that
// lists every problem with its wire path (deploymentConfiguration.maximumPercent),
// code and message; both wrap ecs.ErrInvalid.
func ValidateService(svc *ecs.Service) error {
	return serviceFindings(svc).RequestErr()
}

func serviceFindings(svc *ecs.Service) ecs.Findings {
	if svc == nil {
		return ecs.Findings{problem("", CodeServiceRequired, "The service is required.")}
	}
	var fs ecs.Findings
	if svc.SchedulingStrategy == ecs.SchedulingStrategyDaemon {
		fs = daemonFindings(svc)
	}
	if svc.DesiredCount < 0 {
		fs = append(fs, problem("desiredCount", CodeDesiredCount, "desiredCount must be greater than or equal to 0."))
	}
	if g := svc.HealthCheckGracePeriodSeconds; g != nil && *g < 0 {
		fs = append(fs, problem("healthCheckGracePeriodSeconds", CodeGracePeriod, "healthCheckGracePeriodSeconds must be greater than or equal to 0."))
	}
	return append(fs, configurationFindings(svc.SchedulingStrategy, svc.DeploymentConfiguration)...)
}

// daemonFindings checks what the DAEMON scheduling strategy does not take.
func daemonFindings(svc *ecs.Service) ecs.Findings {
	var fs ecs.Findings
	if svc.LaunchType == ecs.LaunchTypeFargate || isFargate(svc) {
		path := "launchType"
		if svc.LaunchType != ecs.LaunchTypeFargate {
			path = "capacityProviderStrategy"
		}
		fs = append(fs, problem(path, CodeDaemonFargate, MsgDaemonFargate))
	}
	if len(svc.CapacityProviderStrategy) > 0 {
		fs = append(fs, problem("capacityProviderStrategy", CodeDaemonCapacityProvider, MsgDaemonCapacityProvider))
	}
	if c := svc.DeploymentController; c != nil && c.Type != "" && c.Type != ecs.DeploymentControllerTypeECS {
		fs = append(fs, problem("deploymentController.type", CodeDaemonController,
			fmt.Sprintf("The daemon scheduling strategy does not support the %s deployment controller. Use the ECS deployment controller and try again", c.Type)))
	}
	if len(svc.PlacementStrategy) > 0 {
		fs = append(fs, problem("placementStrategy", CodeDaemonStrategy, MsgDaemonPlacementStrategy))
	}
	if svc.DesiredCount != 0 {
		fs = append(fs, problem("desiredCount", CodeDaemonDesiredCount, MsgDaemonDesiredCount))
	}
	return fs
}

// ValidateDeploymentConfiguration checks a deployment configuration for a
// service of the given scheduling strategy (rules 117–119 and 123, open
// point 10): minimumHealthyPercent 0–100; maximumPercent at least 100, and
// exactly 100 for DAEMON; a circuit breaker threshold value of at least 1
// (0–100 for BOUNDED_PERCENT). The messages for the ranges are this
// package's; ECS's were not found. The error is as ValidateService's, with
// every problem at its path under deploymentConfiguration.
func ValidateDeploymentConfiguration(strategy ecs.SchedulingStrategy, cfg *ecs.DeploymentConfiguration) error {
	return configurationFindings(strategy, cfg).RequestErr()
}

func configurationFindings(strategy ecs.SchedulingStrategy, cfg *ecs.DeploymentConfiguration) ecs.Findings {
	if cfg == nil {
		return nil
	}
	var fs ecs.Findings
	if p := cfg.MinimumHealthyPercent; p != nil && (*p < 0 || *p > 100) {
		fs = append(fs, problem("deploymentConfiguration.minimumHealthyPercent", CodeMinimumHealthyPercent,
			fmt.Sprintf("Invalid minimumHealthyPercent %d: the value must be between 0 and 100.", *p)))
	}
	if p := cfg.MaximumPercent; p != nil {
		msg := ""
		switch {
		case strategy == ecs.SchedulingStrategyDaemon && *p > 100:
			msg = MsgDaemonMaximumAbove100
		case strategy == ecs.SchedulingStrategyDaemon && *p < 100:
			msg = MsgDaemonMaximumBelow100
		case *p < 100:
			msg = fmt.Sprintf("Invalid maximumPercent %d: the value must be 100 or greater.", *p)
		}
		if msg != "" {
			fs = append(fs, problem("deploymentConfiguration.maximumPercent", CodeMaximumPercent, msg))
		}
	}
	if cb := cfg.DeploymentCircuitBreaker; cb != nil && cb.ThresholdConfiguration != nil {
		const path = "deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration"
		tc := cb.ThresholdConfiguration
		if !tc.Type.Known() && tc.Type != "" {
			fs = append(fs, problem(path+".type", CodeThresholdType,
				fmt.Sprintf("Invalid thresholdConfiguration type %q: the value must be one of COUNT, BOUNDED_PERCENT, UNBOUNDED_PERCENT.", tc.Type)))
		}
		if v := tc.Value; v != nil && (*v < 1 || (*v > 100 && (tc.Type == "" || tc.Type == ecs.ThresholdTypeBoundedPercent))) {
			fs = append(fs, problem(path+".value", CodeThresholdValue,
				fmt.Sprintf("Invalid thresholdConfiguration value %d for type %s.", *v, thresholdType(tc))))
		}
	}
	return fs
}

func thresholdType(tc *ecs.ThresholdConfiguration) ecs.ThresholdType {
	if tc.Type == "" {
		return ecs.ThresholdTypeBoundedPercent
	}
	return tc.Type
}

// problem returns an InvalidParameterException finding at path.
func problem(path, code, msg string) ecs.Finding {
	return ecs.Finding{Path: path, Code: code, Severity: ecs.SeverityError,
		Exception: ecs.InvalidParameterException, Message: msg}
}
