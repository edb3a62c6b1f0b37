package deploy

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

func TestValidateService(t *testing.T) {
	daemon := func(f func(*ecs.Service)) *ecs.Service {
		s := &ecs.Service{ServiceName: "agent", SchedulingStrategy: ecs.SchedulingStrategyDaemon, LaunchType: ecs.LaunchTypeEC2}
		f(s)
		return s
	}
	cfg := func(minPct, maxPct *int) *ecs.DeploymentConfiguration {
		return &ecs.DeploymentConfiguration{MinimumHealthyPercent: minPct, MaximumPercent: maxPct}
	}
	tests := []struct {
		name string
		svc  *ecs.Service
		want string // "" for valid
	}{
		{"replica defaults", &ecs.Service{DesiredCount: 2}, ""},
		{"replica 0/100", &ecs.Service{DesiredCount: 2, DeploymentConfiguration: cfg(ptr(0), ptr(100))}, ""},
		{"daemon", daemon(func(*ecs.Service) {}), ""},
		{"daemon max 100", daemon(func(s *ecs.Service) { s.DeploymentConfiguration = cfg(ptr(50), ptr(100)) }), ""},
		{"daemon max 200", daemon(func(s *ecs.Service) { s.DeploymentConfiguration = cfg(nil, ptr(200)) }), MsgDaemonMaximumAbove100},
		{"daemon max 50", daemon(func(s *ecs.Service) { s.DeploymentConfiguration = cfg(nil, ptr(50)) }), MsgDaemonMaximumBelow100},
		{"daemon on Fargate", daemon(func(s *ecs.Service) { s.LaunchType = ecs.LaunchTypeFargate }), MsgDaemonFargate},
		{"daemon with a desired count", daemon(func(s *ecs.Service) { s.DesiredCount = 3 }), MsgDaemonDesiredCount},
		{"daemon with a strategy", daemon(func(s *ecs.Service) {
			s.PlacementStrategy = []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeRandom}}
		}), MsgDaemonPlacementStrategy},
		{"daemon with capacity providers", daemon(func(s *ecs.Service) {
			s.LaunchType = ""
			s.CapacityProviderStrategy = []ecs.CapacityProviderStrategyItem{{CapacityProvider: "asg", Weight: 1}}
		}), MsgDaemonCapacityProvider},
		{"daemon with CODE_DEPLOY", daemon(func(s *ecs.Service) {
			s.DeploymentController = &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeCodeDeploy}
		}), "does not support the CODE_DEPLOY deployment controller"},
		{"min above 100", &ecs.Service{DeploymentConfiguration: cfg(ptr(101), nil)}, "Invalid minimumHealthyPercent 101"},
		{"min below 0", &ecs.Service{DeploymentConfiguration: cfg(ptr(-1), nil)}, "Invalid minimumHealthyPercent -1"},
		{"max below 100", &ecs.Service{DeploymentConfiguration: cfg(nil, ptr(99))}, "Invalid maximumPercent 99"},
		{"threshold 0", &ecs.Service{DeploymentConfiguration: &ecs.DeploymentConfiguration{
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true,
				ThresholdConfiguration: &ecs.ThresholdConfiguration{Type: ecs.ThresholdTypeCount, Value: ptr(0)}}}},
			"Invalid thresholdConfiguration value 0 for type COUNT"},
		{"negative grace", &ecs.Service{HealthCheckGracePeriodSeconds: ptr(-1)}, "healthCheckGracePeriodSeconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateService(tt.svc)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var ae *ecs.APIError
			require.True(t, errors.As(err, &ae), "%v", err)
			require.Equal(t, ecs.InvalidParameterException, ae.Type)
			require.ErrorIs(t, err, ecs.ErrInvalid)
			require.Contains(t, ae.Message, tt.want)
		})
	}
}
