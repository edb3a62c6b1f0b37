package deploy

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/findingstest"
)

// TestValidateServiceFindings checks that one request with several
// problems reports every one, in the order of the request and each at its
// wire path, while the error stays ECS's answer for the first. The rules
// are the DAEMON scheduler's
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html)
// and the deployment configuration's
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html).
func TestValidateServiceFindings(t *testing.T) {
	const threshold = "deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration"
	tests := []struct {
		name string
		svc  *ecs.Service
		want ecs.Findings
	}{
		{
			name: "nil service",
			want: ecs.Findings{problem("", CodeServiceRequired, "The service is required.")},
		},
		{
			name: "daemon with everything it does not take",
			svc: &ecs.Service{
				SchedulingStrategy:            ecs.SchedulingStrategyDaemon,
				CapacityProviderStrategy:      []ecs.CapacityProviderStrategyItem{{CapacityProvider: "FARGATE", Weight: 1}},
				DeploymentController:          &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeCodeDeploy},
				PlacementStrategy:             []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeRandom}},
				DesiredCount:                  3,
				HealthCheckGracePeriodSeconds: ptr(-1),
				DeploymentConfiguration: &ecs.DeploymentConfiguration{
					MinimumHealthyPercent: ptr(101),
					MaximumPercent:        ptr(200),
				},
			},
			want: ecs.Findings{
				problem("capacityProviderStrategy", CodeDaemonFargate, MsgDaemonFargate),
				problem("capacityProviderStrategy", CodeDaemonCapacityProvider, MsgDaemonCapacityProvider),
				problem("deploymentController.type", CodeDaemonController,
					"The daemon scheduling strategy does not support the CODE_DEPLOY deployment controller. Use the ECS deployment controller and try again"),
				problem("placementStrategy", CodeDaemonStrategy, MsgDaemonPlacementStrategy),
				problem("desiredCount", CodeDaemonDesiredCount, MsgDaemonDesiredCount),
				problem("healthCheckGracePeriodSeconds", CodeGracePeriod, "healthCheckGracePeriodSeconds must be greater than or equal to 0."),
				problem("deploymentConfiguration.minimumHealthyPercent", CodeMinimumHealthyPercent,
					"Invalid minimumHealthyPercent 101: the value must be between 0 and 100."),
				problem("deploymentConfiguration.maximumPercent", CodeMaximumPercent, MsgDaemonMaximumAbove100),
			},
		},
		{
			name: "replica",
			svc: &ecs.Service{
				DesiredCount: -1,
				DeploymentConfiguration: &ecs.DeploymentConfiguration{
					MinimumHealthyPercent: ptr(-5),
					MaximumPercent:        ptr(50),
					DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{
						ThresholdConfiguration: &ecs.ThresholdConfiguration{Type: "PERCENT", Value: ptr(0)},
					},
				},
			},
			want: ecs.Findings{
				problem("desiredCount", CodeDesiredCount, "desiredCount must be greater than or equal to 0."),
				problem("deploymentConfiguration.minimumHealthyPercent", CodeMinimumHealthyPercent,
					"Invalid minimumHealthyPercent -5: the value must be between 0 and 100."),
				problem("deploymentConfiguration.maximumPercent", CodeMaximumPercent,
					"Invalid maximumPercent 50: the value must be 100 or greater."),
				problem(threshold+".type", CodeThresholdType,
					`Invalid thresholdConfiguration type "PERCENT": the value must be one of COUNT, BOUNDED_PERCENT, UNBOUNDED_PERCENT.`),
				problem(threshold+".value", CodeThresholdValue, "Invalid thresholdConfiguration value 0 for type PERCENT."),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findingstest.Check(t, ValidateService(tt.svc), tt.want)
		})
	}
}

// TestValidateDeploymentConfigurationFindings checks the configuration's
// problems alone, at their paths under deploymentConfiguration.
func TestValidateDeploymentConfigurationFindings(t *testing.T) {
	err := ValidateDeploymentConfiguration(ecs.SchedulingStrategyDaemon,
		&ecs.DeploymentConfiguration{MinimumHealthyPercent: ptr(200), MaximumPercent: ptr(50)})
	findingstest.Check(t, err, ecs.Findings{
		problem("deploymentConfiguration.minimumHealthyPercent", CodeMinimumHealthyPercent,
			"Invalid minimumHealthyPercent 200: the value must be between 0 and 100."),
		problem("deploymentConfiguration.maximumPercent", CodeMaximumPercent, MsgDaemonMaximumBelow100),
	})
	require.NoError(t, ValidateDeploymentConfiguration(ecs.SchedulingStrategyReplica, nil))
}
