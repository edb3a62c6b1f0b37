package ecstest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// spotGroup creates a Spot group "spot" of c5.large instances holding n
// (the first base On-Demand), its provider "spot" (managed draining, no
// managed scaling), the default cluster's provider and default strategy.
func spotGroup(t testing.TB, e *ECS, n, base int, rebalance bool) {
	t.Helper()
	ctx := context.Background()
	arn, err := e.CreateAutoScalingGroup(ctx, AutoScalingGroup{Name: "spot", InstanceType: "c5.large", MaxSize: 20, DesiredCapacity: n,
		Spot: true, OnDemandBaseCapacity: base, CapacityRebalance: rebalance})
	require.NoError(t, err)
	_, err = e.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "spot",
		AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: arn}})
	require.NoError(t, err)
	_, err = e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: "default", CapacityProviders: []string{"spot"},
		DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "spot", Weight: 1}}})
	require.NoError(t, err)
}

func spotInstances(t testing.TB, e *ECS) []GroupInstance {
	t.Helper()
	g, err := e.DescribeAutoScalingGroup(context.Background(), "spot")
	require.NoError(t, err)
	return g.Instances
}

// instanceStatus returns the status of the container instance arn.
func instanceStatus(t testing.TB, e *ECS, arn string) string {
	t.Helper()
	resp, err := e.DescribeContainerInstances(context.Background(), &ecs.DescribeContainerInstancesRequest{ContainerInstances: []string{arn}})
	require.NoError(t, err)
	return resp.ContainerInstances[0].Status
}

// TestSpotOnDemandBase: a Spot group launches its first
// OnDemandBaseCapacity instances On-Demand and the others as Spot
// Instances (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups.html).
func TestSpotOnDemandBase(t *testing.T) {
	e := newTestECS(t)
	spotGroup(t, e, 4, 1, false)
	advance(e, 2*time.Minute)
	var spot []bool
	for _, in := range spotInstances(t, e) {
		spot = append(spot, in.Spot)
	}
	require.Equal(t, []bool{false, true, true, true}, spot)
	_, err := e.CreateAutoScalingGroup(context.Background(), AutoScalingGroup{Name: "x", InstanceType: "c5.large", MaxSize: 1, CapacityRebalance: true})
	require.ErrorContains(t, err, "apply to a group with Spot")
}

// TestSpotInstanceWarning: with Spot Instance draining, an interrupted
// instance is DRAINING when its two-minute notice arrives and terminated
// two minutes later; its services' tasks move to other instances and the
// group replaces it (rules 175, 176:
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/spot-instance-draining-linux-container.html). Without
// draining (the agent's default) it stays ACTIVE until it is terminated,
// and its tasks stop with it.
func TestSpotInstanceWarning(t *testing.T) {
	for _, draining := range []bool{true, false} {
		t.Run(map[bool]string{true: "draining", false: "no draining"}[draining], func(t *testing.T) {
			e := newTestECS(t, WithSpotModel(SpotModel{EC2PerInstanceHour: 2, InstanceDraining: draining}))
			spotGroup(t, e, 3, 0, false)
			taskDef(t, e, "web", 512, 512)
			mustCreateService(t, e, "web", "web", 3)
			var warned string
			for range 600 { // seconds, until the first warning
				advance(e, time.Second)
				if e.SpotStats().InstanceInterruptions > 0 {
					break
				}
			}
			require.Equal(t, 1, e.SpotStats().InstanceInterruptions, "an instance-hour rate of 2 interrupts one of three within ten minutes (seed 7)")
			for _, in := range spotInstances(t, e) {
				if in.ContainerInstanceARN != "" && instanceStatus(t, e, in.ContainerInstanceARN) == statusDraining {
					warned = in.ContainerInstanceARN
				}
			}
			if !draining {
				require.Empty(t, warned, "without Spot draining the instance stays ACTIVE")
				return
			}
			require.NotEmpty(t, warned, "the warned instance is DRAINING")
			advance(e, 119*time.Second)
			require.Equal(t, statusDraining, instanceStatus(t, e, warned))
			advance(e, time.Second)
			require.Equal(t, statusInactive, instanceStatus(t, e, warned), "terminated two minutes after its warning")
		})
	}
}

// TestSpotDeterministic: the interruptions come from the seed: the same
// seed and operations give the same counts, a zero rate none (the Spot
// model; rules 175, 178).
func TestSpotDeterministic(t *testing.T) {
	day := func(seed uint64, m SpotModel) SpotStats {
		e := newTestECS(t, WithSeed(seed), WithSpotModel(m))
		spotGroup(t, e, 4, 0, false)
		taskDef(t, e, "web", 512, 512)
		mustCreateService(t, e, "web", "web", 6)
		fargateSpotService(t, e, 4)
		for range 24 * 60 {
			advance(e, time.Minute)
		}
		require.Equal(t, 6, describeService(t, e, "web").RunningCount, "the service keeps its count")
		return e.SpotStats()
	}
	m := SpotModel{EC2PerInstanceHour: 0.1, FargatePerTaskHour: 0.05, InstanceDraining: true}
	a, b := day(7, m), day(7, m)
	require.Equal(t, a, b)
	require.Positive(t, a.InstanceInterruptions)
	require.Positive(t, a.FargateInterruptions)
	require.GreaterOrEqual(t, a.ReplacedTasks, a.FargateInterruptions)
	require.Equal(t, SpotStats{}, day(7, SpotModel{}))
}

// fargateSpotService runs the service "api" of n tasks on FARGATE_SPOT in
// the default cluster.
func fargateSpotService(t testing.TB, e *ECS, n int) {
	t.Helper()
	ctx := context.Background()
	_, err := e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: "default",
		CapacityProviders: append(e.clusters["default"].info.CapacityProviders, "FARGATE_SPOT")})
	require.NoError(t, err)
	_, err = e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionRequest{
		Family: "api", NetworkMode: ecs.NetworkModeAwsvpc, CPU: "256", Memory: "512",
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate},
		ContainerDefinitions:    []ecs.ContainerDefinition{{Name: "app", Image: "nginx"}},
	})
	require.NoError(t, err)
	_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{
		ServiceName: "api", TaskDefinition: "api", DesiredCount: ptr(n),
		CapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "FARGATE_SPOT", Weight: 1}},
		NetworkConfiguration:     &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}},
	})
	require.NoError(t, err)
}

// TestFargateSpotModel: the model interrupts FARGATE_SPOT tasks with stop
// code SpotInterruption and stoppedReason "Your Spot Task was
// interrupted.", and the service replaces them (rule 178: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).
func TestFargateSpotModel(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t, WithSpotModel(SpotModel{FargatePerTaskHour: 1}))
	fargateSpotService(t, e, 3)
	for range 120 {
		advance(e, time.Minute)
		if e.SpotStats().FargateInterruptions > 0 {
			break
		}
	}
	require.Positive(t, e.SpotStats().FargateInterruptions)
	require.NoError(t, e.SetSpotModel(ctx, SpotModel{})) // no more interruptions: the replacements run on
	advance(e, 5*time.Minute)
	all, err := e.Tasks(ctx, "default")
	require.NoError(t, err)
	interrupted := 0
	for _, tk := range all {
		if tk.StopCode == ecs.TaskStopCodeSpotInterruption {
			interrupted++
			require.Equal(t, "Your Spot Task was interrupted.", tk.StoppedReason)
		}
	}
	require.Positive(t, interrupted)
	require.Equal(t, 3, describeService(t, e, "api").RunningCount, "the service replaced them")
}

// TestSpotCapacityRebalance: a group with capacity rebalance replaces a
// Spot instance on its rebalance recommendation, before the interruption:
// it launches a new instance and drains the one at risk (managed
// draining), which then gets no interruption (rule 177: https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-capacity-rebalancing.html).
func TestSpotCapacityRebalance(t *testing.T) {
	e := newTestECS(t, WithSpotModel(SpotModel{EC2PerInstanceHour: 1, RebalanceLead: 5 * time.Minute}))
	spotGroup(t, e, 2, 0, true)
	taskDef(t, e, "web", 512, 512)
	mustCreateService(t, e, "web", "web", 2)
	for range 6 * 60 {
		advance(e, time.Minute)
		if e.SpotStats().RebalanceRecommendations > 0 {
			break
		}
	}
	require.Equal(t, 1, e.SpotStats().RebalanceRecommendations)
	require.Zero(t, e.SpotStats().InstanceInterruptions, "the instance was replaced before its interruption")
	ins := spotInstances(t, e)
	require.Len(t, ins, 3, "the replacement launches beside the instance at risk")
	advance(e, 10*time.Minute)
	require.Zero(t, e.SpotStats().InstanceInterruptions, "the replaced instance is never interrupted")
	require.Equal(t, 2, describeService(t, e, "web").RunningCount)
}

// TestSpotModelOverHTTP: POST /_ecslocal/set-spot sets the model, GET
// /_ecslocal/spot shows it and the counts; a rate out of range is
// refused.
func TestSpotModelOverHTTP(t *testing.T) {
	e := newTestECS(t)
	out := controlOK(t, e.Handler(), "/_ecslocal/set-spot", `{"ec2PerInstanceHour": 0.5, "fargatePerTaskHour": 0.25, "instanceDraining": true, "rebalanceLeadSeconds": 300}`)
	require.Equal(t, map[string]any{"ec2PerInstanceHour": 0.5, "fargatePerTaskHour": 0.25, "instanceDraining": true, "rebalanceLeadSeconds": 300.0}, out["model"])
	require.Equal(t, SpotModel{EC2PerInstanceHour: 0.5, FargatePerTaskHour: 0.25, InstanceDraining: true, RebalanceLead: 5 * time.Minute}, e.SpotModel())
	status, got := getControl(t, e.Handler(), "/_ecslocal/spot")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"instanceInterruptions": 0.0, "rebalanceRecommendations": 0.0, "fargateInterruptions": 0.0, "replacedTasks": 0.0}, got["stats"])
	status, bad := control(t, e.Handler(), "", "/_ecslocal/set-spot", `{"ec2PerInstanceHour": -1}`)
	require.Equal(t, http.StatusBadRequest, status, bad)
	require.Contains(t, bad["message"], "ec2PerInstanceHour")
}
