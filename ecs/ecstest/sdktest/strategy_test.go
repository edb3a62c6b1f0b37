package sdktest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/stretchr/testify/require"
)

const (
	tgBlue  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef"
	tgGreen = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/fedcba9876543210"
	prodLR  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"
	lbRole  = "arn:aws:iam::123456789012:role/ecsInfrastructureRole"
	hookFn  = "arn:aws:lambda:us-east-1:123456789012:function:validate"
)

// TestLoadBalancedStrategies creates a service behind a target group
// with the SDK and rolls it with each deployment strategy to COMPLETED:
// its service deployment SUCCESSFUL at the CLEAN_UP stage, taking at
// least its bake times; and rolls one back with a failing lifecycle hook.
func TestLoadBalancedStrategies(t *testing.T) {
	tests := []struct {
		name     string
		cfg      *types.DeploymentConfiguration
		bakes    time.Duration // the bake times the deployment takes at least
		hookFail bool
	}{
		{"BLUE_GREEN", &types.DeploymentConfiguration{Strategy: types.DeploymentStrategyBlueGreen, BakeTimeInMinutes: aws.Int32(5)}, 5 * time.Minute, false},
		{"LINEAR", &types.DeploymentConfiguration{Strategy: types.DeploymentStrategyLinear, BakeTimeInMinutes: aws.Int32(1),
			LinearConfiguration: &types.LinearConfiguration{StepPercent: aws.Float64(25), StepBakeTimeInMinutes: aws.Int32(2)}}, 7 * time.Minute, false},
		{"CANARY", &types.DeploymentConfiguration{Strategy: types.DeploymentStrategyCanary, BakeTimeInMinutes: aws.Int32(1),
			CanaryConfiguration: &types.CanaryConfiguration{CanaryPercent: aws.Float64(10), CanaryBakeTimeInMinutes: aws.Int32(3)}}, 4 * time.Minute, false},
		{"BLUE_GREEN rolled back by a hook", &types.DeploymentConfiguration{Strategy: types.DeploymentStrategyBlueGreen, BakeTimeInMinutes: aws.Int32(5),
			LifecycleHooks: []types.DeploymentLifecycleHook{{HookTargetArn: aws.String(hookFn), RoleArn: aws.String(lbRole),
				LifecycleStages: []types.DeploymentLifecycleHookStage{types.DeploymentLifecycleHookStagePostTestTrafficShift}}}}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			client, e := newServer(t, 0)
			sixInstances(t, client)
			for range 2 {
				_, err := client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
				require.NoError(t, err)
			}
			created, err := client.CreateService(ctx, &ecs.CreateServiceInput{
				Cluster: aws.String("prod"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int32(3),
				LoadBalancers: []types.LoadBalancer{{TargetGroupArn: aws.String(tgBlue), ContainerName: aws.String("web"), ContainerPort: aws.Int32(80),
					AdvancedConfiguration: &types.AdvancedConfiguration{AlternateTargetGroupArn: aws.String(tgGreen),
						ProductionListenerRule: aws.String(prodLR), RoleArn: aws.String(lbRole)}}},
				DeploymentConfiguration: tt.cfg,
			})
			require.NoError(t, err)
			require.Equal(t, tgBlue, aws.ToString(created.Service.LoadBalancers[0].TargetGroupArn))
			require.Equal(t, tt.cfg.Strategy, created.Service.DeploymentConfiguration.Strategy)
			e.Clock().Advance(5 * time.Minute)
			if tt.hookFail {
				require.NoError(t, e.SetHookOutcome(ctx, hookFn, ecstest.HookOutcome{HookStatus: "FAILED"}))
			}
			_, err = client.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("web"), TaskDefinition: aws.String("web:2")})
			require.NoError(t, err)
			var sd types.ServiceDeployment
			for range 60 {
				e.Clock().Advance(30 * time.Second)
				list, err := client.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("prod"), Service: aws.String("web")})
				require.NoError(t, err)
				desc, err := client.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{
					ServiceDeploymentArns: []string{aws.ToString(list.ServiceDeployments[0].ServiceDeploymentArn)}})
				require.NoError(t, err)
				sd = desc.ServiceDeployments[0]
				if sd.FinishedAt != nil {
					break
				}
			}
			if tt.hookFail {
				require.Equal(t, types.ServiceDeploymentStatusRollbackSuccessful, sd.Status, aws.ToString(sd.StatusReason))
				require.Equal(t, types.ServiceDeploymentLifecycleStagePostTestTrafficShift, sd.LifecycleStage)
				return
			}
			require.Equal(t, types.ServiceDeploymentStatusSuccessful, sd.Status, aws.ToString(sd.StatusReason))
			require.Equal(t, types.ServiceDeploymentLifecycleStageCleanUp, sd.LifecycleStage)
			require.GreaterOrEqual(t, sd.FinishedAt.Sub(*sd.StartedAt), tt.bakes)
			out, err := client.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"web"}})
			require.NoError(t, err)
			require.Len(t, out.Services[0].Deployments, 1)
			require.Equal(t, types.DeploymentRolloutStateCompleted, out.Services[0].Deployments[0].RolloutState)
			_, revisions := serviceZones(t, client)
			require.Equal(t, map[string]int{"web:2": 3}, revisions)
		})
	}
}
