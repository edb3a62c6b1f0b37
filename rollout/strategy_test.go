package rollout_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/rollout"
)

// TestSimulateStrategies: a service behind a target group rolled with
// BLUE_GREEN, LINEAR and CANARY completes with the blue and green
// revisions side by side at its peak (twice the desired count), its
// stages reported in order, and production traffic on green at the end;
// ROLLING has no stages (developer guide, "Amazon ECS blue/green service
// deployments workflow":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html).
func TestSimulateStrategies(t *testing.T) {
	const (
		tgBlue  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef"
		tgGreen = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/fedcba9876543210"
		rule    = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"
	)
	tests := []struct {
		cfg     ecs.DeploymentConfiguration
		peak    int
		stages  int
		atLeast int64 // seconds: the bake times
	}{
		{ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyRolling}, 8, 0, 0},
		{ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(10)}, 8, 12, 600},
		{ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyLinear, BakeTimeInMinutes: ptr(1),
			LinearConfiguration: &ecs.LinearConfiguration{StepPercent: 50, StepBakeTimeInMinutes: 5}}, 8, 13, 360},
		{ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyCanary, BakeTimeInMinutes: ptr(1),
			CanaryConfiguration: &ecs.CanaryConfiguration{CanaryPercent: 10, CanaryBakeTimeInMinutes: 5}}, 8, 13, 360},
	}
	for _, tt := range tests {
		t.Run(string(tt.cfg.Strategy), func(t *testing.T) {
			s := newSimulation(4, 100, 200, 8, 0)
			s.old.ContainerDefinitions[0].PortMappings = []ecs.PortMapping{{ContainerPort: ptr(80), HostPort: ptr(0)}}
			s.new.ContainerDefinitions[0].PortMappings = s.old.ContainerDefinitions[0].PortMappings
			cfg := tt.cfg
			cfg.MinimumHealthyPercent, cfg.MaximumPercent = ptr(100), ptr(200)
			s.svc.DeploymentConfiguration = &cfg
			lb := ecs.LoadBalancer{TargetGroupARN: tgBlue, ContainerName: "web", ContainerPort: ptr(80)}
			if cfg.Strategy != ecs.DeploymentStrategyRolling {
				lb.AdvancedConfiguration = &ecs.AdvancedConfiguration{AlternateTargetGroupARN: tgGreen, ProductionListenerRule: rule,
					RoleARN: "arn:aws:iam::123456789012:role/ecsInfrastructureRole"}
			}
			s.svc.LoadBalancers = []ecs.LoadBalancer{lb}
			rep := s.run(t)
			require.Equal(t, rollout.Completed, rep.Outcome)
			require.Equal(t, tt.peak, rep.PeakTasks)
			require.Len(t, rep.Stages, tt.stages)
			require.GreaterOrEqual(t, rep.DurationSeconds, tt.atLeast)
			if tt.stages == 0 {
				require.Nil(t, rep.Steps[len(rep.Steps)-1].Production)
				return
			}
			last := rep.Steps[len(rep.Steps)-1]
			require.Equal(t, ecs.ServiceDeploymentLifecycleStageCleanUp, last.LifecycleStage)
			require.Equal(t, 100.0, last.Production.Green)
			for _, st := range rep.Stages {
				require.Equal(t, 100.0, st.Production.Blue+st.Production.Green)
			}
		})
	}
}
