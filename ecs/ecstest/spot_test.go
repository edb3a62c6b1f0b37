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
			onInstance := tasksByInstance(t, e)
			if !draining {
				require.Empty(t, warned, "without Spot draining the instance stays ACTIVE")
				advance(e, 119*time.Second)
				require.Empty(t, instancesIn(t, e, statusInactive), "nothing terminated before the two minutes are up")
				advance(e, time.Second)
				gone := instancesIn(t, e, statusInactive)
				require.Len(t, gone, 1, "the warned instance is terminated two minutes after its warning")
				warned = gone[0]
			} else {
				require.NotEmpty(t, warned, "the warned instance is DRAINING")
				advance(e, 119*time.Second)
				require.Equal(t, statusDraining, instanceStatus(t, e, warned))
				advance(e, time.Second)
				require.Equal(t, statusInactive, instanceStatus(t, e, warned), "terminated two minutes after its warning")
			}
			ec2ID := ""
			for _, in := range spotInstances(t, e) {
				if in.ContainerInstanceARN == warned {
					ec2ID = in.EC2InstanceID
				}
			}
			require.NotEmpty(t, ec2ID)
			stopped := 0
			for _, arn := range onInstance[warned] {
				tk := describeTask(t, e, arn)
				if draining && tk.StopCode == ecs.TaskStopCodeServiceSchedulerInitiated {
					stopped++ // drained: moved by the service before the end
					continue
				}
				require.Equal(t, ecs.TaskStatusStopped, tk.LastStatus, arn)
				require.Equal(t, ecs.TaskStopCodeTerminationNotice, tk.StopCode, arn)
				require.Equal(t, "Host EC2 (instance "+ec2ID+") terminated.", tk.StoppedReason, arn)
				stopped++
			}
			if !draining {
				require.NotEmpty(t, onInstance[warned], "the warned instance ran tasks of the service")
			}
			require.Equal(t, len(onInstance[warned]), stopped)
		})
	}
}

// tasksByInstance returns the ARNs of the tasks of the default cluster
// not yet stopped, by container instance ARN.
func tasksByInstance(t testing.TB, e *ECS) map[string][]string {
	t.Helper()
	all, err := e.Tasks(context.Background(), "default")
	require.NoError(t, err)
	out := map[string][]string{}
	for _, tk := range all {
		if tk.LastStatus != ecs.TaskStatusStopped && tk.ContainerInstanceARN != "" {
			out[tk.ContainerInstanceARN] = append(out[tk.ContainerInstanceARN], tk.TaskARN)
		}
	}
	return out
}

// instancesIn returns the ARNs of the Spot group's container instances
// whose status is status.
func instancesIn(t testing.TB, e *ECS, status string) []string {
	t.Helper()
	var out []string
	for _, in := range spotInstances(t, e) {
		if in.ContainerInstanceARN != "" && instanceStatus(t, e, in.ContainerInstanceARN) == status {
			out = append(out, in.ContainerInstanceARN)
		}
	}
	return out
}

// TestSetSpotModelTimers: setting the Spot model again redraws the
// interruptions of the Spot instances and FARGATE_SPOT tasks in place of
// the ones before: the clock holds one draw each, however often the model
// is set (POST /_ecslocal/set-spot in a loop must not grow the heap), and
// a task stopped or an instance gone leaves none behind.
func TestSetSpotModelTimers(t *testing.T) {
	ctx := context.Background()
	m := SpotModel{EC2PerInstanceHour: 0.01, FargatePerTaskHour: 0.01}
	e := newTestECS(t, WithSpotModel(m))
	spotGroup(t, e, 3, 0, true)
	taskDef(t, e, "web", 512, 512)
	mustCreateService(t, e, "web", "web", 3)
	fargateSpotService(t, e, 4)
	advance(e, 5*time.Minute)
	require.Equal(t, 4, describeService(t, e, "api").RunningCount)
	require.NoError(t, e.SetSpotModel(ctx, m))
	before := e.clock.pending()
	for range 500 {
		require.NoError(t, e.SetSpotModel(ctx, m))
	}
	require.Equal(t, before, e.clock.pending(), "each redraw replaces the draw before")
	e.mu.Lock()
	require.Len(t, e.spot.tasks, 4)
	require.Len(t, e.spot.live, 3)
	for _, d := range e.spot.live {
		require.NotNil(t, d.interrupt)
		require.NotNil(t, d.recommend, "capacity rebalance: a recommendation before the interruption")
	}
	e.mu.Unlock()
	require.NoError(t, e.SetSpotModel(ctx, SpotModel{}))
	require.Equal(t, before-3*2-4, e.clock.pending(), "a zero model leaves nothing scheduled")
	require.NoError(t, e.SetSpotModel(ctx, m))
	_, err := e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "api", DesiredCount: ptr(0)})
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	e.mu.Lock()
	require.Empty(t, e.spot.tasks, "a task stopped is interrupted no more")
	e.mu.Unlock()
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
