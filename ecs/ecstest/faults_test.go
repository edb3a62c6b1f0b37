package ecstest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// steadyService returns an ECS with n c5.large instances over three zones
// and a service "web" of n tasks of family web (revision 1, and a second
// revision for updates), in steady state.
func steadyService(t testing.TB, n int, opts ...func(*Options)) (*ECS, []*ecs.ContainerInstance) {
	t.Helper()
	e := newTestECS(t, opts...)
	insts := threeZones(t, e, "c5.large", n)
	taskDef(t, e, "web", 256, 512, 0)
	taskDef(t, e, "web", 256, 512, 0)
	_, err := e.createService(context.Background(), &ecs.CreateServiceRequest{
		ServiceName: "web", TaskDefinition: "web:1", DesiredCount: ptr(n),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true}},
	})
	require.NoError(t, err)
	advance(e, 2*time.Minute)
	require.Equal(t, n, describeService(t, e, "web").RunningCount)
	return e, insts
}

// requireSteady advances the clock by d and requires the service to run
// its desired count again, and returns it.
func requireSteady(t testing.TB, e *ECS, d time.Duration) ecs.Service {
	t.Helper()
	advance(e, d)
	svc := describeService(t, e, "web")
	require.Equal(t, svc.DesiredCount, svc.RunningCount, "%v", events(svc))
	require.Equal(t, svc.DesiredCount, len(serviceTasks(t, e, "web")))
	return svc
}

func TestEssentialContainerExits(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 3)
	victim := serviceTasks(t, e, "web")[0]
	require.NoError(t, e.ExitContainer(ctx, "", victim.TaskARN, "app", 137))
	requireAPIError(t, e.ExitContainer(ctx, "", victim.TaskARN, "app", 1), "InvalidParameterException")

	svc := requireSteady(t, e, 2*time.Minute)
	gone := describeTask(t, e, victim.TaskARN)
	require.Equal(t, ecs.TaskStatusStopped, gone.LastStatus)
	require.Equal(t, ecs.TaskStopCodeEssentialContainerExited, gone.StopCode)
	require.Equal(t, "Essential container in task exited", gone.StoppedReason)
	require.Equal(t, 137, *gone.Containers[0].ExitCode)
	require.Contains(t, strings.Join(events(svc), "\n"), "has started 1 tasks")
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, svc.Deployments[0].RolloutState)
}

func TestFailToStartTripsTheCircuitBreaker(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 3)
	require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "web:2", FailToStart: -1}))
	upd, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
	require.NoError(t, err)
	failedID := upd.Deployments[0].ID

	svc := requireSteady(t, e, 15*time.Minute)
	all := strings.Join(events(svc), "\n")
	require.Contains(t, all, "(deployment "+failedID+") deployment failed: tasks failed to start.")
	require.Contains(t, all, "rolling back to deployment")
	require.True(t, strings.HasSuffix(svc.TaskDefinition, "web:1"), "rolled back to revision 1")
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, svc.Deployments[0].RolloutState)
	stopped, err := e.listTasks(ctx, "", taskFilter{ServiceName: "web", DesiredStatus: "STOPPED"})
	require.NoError(t, err)
	require.NotEmpty(t, stopped)
	failed := describeTask(t, e, stopped[0])
	require.Equal(t, ecs.TaskStopCodeTaskFailedToStart, failed.StopCode)
	require.Equal(t, DefaultStartFailure, failed.StoppedReason)
}

// healthyTD registers family "hc" with a container health check.
func healthyTD(t testing.TB, e *ECS) {
	t.Helper()
	_, err := e.Registry().Register(&ecs.TaskDefinition{Family: "hc", ContainerDefinitions: []ecs.ContainerDefinition{{
		Name: "app", Image: "nginx", CPU: 256, Memory: ptr(256),
		HealthCheck: &ecs.HealthCheck{Command: []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}, Interval: ptr(10), Retries: ptr(3)},
	}}}, nil)
	require.NoError(t, err)
}

func TestHealthChecks(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	threeZones(t, e, "c5.large", 3)
	healthyTD(t, e)
	require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "hc", FailHealthChecks: 1}))
	_, err := e.createService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "hc", DesiredCount: ptr(3)})
	require.NoError(t, err)

	advance(e, 30*time.Second)
	for _, tk := range serviceTasks(t, e, "web") {
		require.Equal(t, ecs.HealthStatusUnknown, tk.HealthStatus, "no result before the first check")
	}
	svc := requireSteady(t, e, 3*time.Minute)
	all := strings.Join(events(svc), "\n")
	require.Contains(t, all, "failed container health checks.")
	for _, tk := range serviceTasks(t, e, "web") {
		require.Equal(t, ecs.HealthStatusHealthy, tk.HealthStatus)
	}

	victim := serviceTasks(t, e, "web")[0]
	require.NoError(t, e.SetHealth(ctx, "", victim.TaskARN, "", ecs.HealthStatusUnhealthy))
	require.Equal(t, ecs.HealthStatusUnhealthy, describeTask(t, e, victim.TaskARN).HealthStatus)
	requireSteady(t, e, 2*time.Minute)
	gone := describeTask(t, e, victim.TaskARN)
	require.Equal(t, ecs.TaskStatusStopped, gone.LastStatus, "the scheduler replaced the unhealthy task")
	require.Equal(t, "Task failed container health checks", gone.StoppedReason)

	requireAPIError(t, e.SetHealth(ctx, "", victim.TaskARN, "", ecs.HealthStatusHealthy), "InvalidParameterException")
	requireAPIError(t, e.SetHealth(ctx, "", serviceTasks(t, e, "web")[0].TaskARN, "nope", ecs.HealthStatusHealthy), "InvalidParameterException")
	requireAPIError(t, e.SetHealth(ctx, "", serviceTasks(t, e, "web")[0].TaskARN, "", "SICK"), "InvalidParameterException")
}

func TestDrainInstance(t *testing.T) {
	ctx := context.Background()
	e, insts := steadyService(t, 3)
	register(t, e, "c5.large", "us-east-1a")
	drained := insts[0].ContainerInstanceARN
	_, _, err := e.updateContainerInstancesState(ctx, "", []string{drained}, "DRAINING")
	require.NoError(t, err)
	requireSteady(t, e, 3*time.Minute)
	for _, tk := range serviceTasks(t, e, "web") {
		require.NotEqual(t, drained, tk.ContainerInstanceARN, "no service task is left on the drained instance")
	}
	require.Equal(t, map[string]int{"us-east-1a": 1, "us-east-1b": 1, "us-east-1c": 1}, zonesOf(serviceTasks(t, e, "web")))
}

func TestTerminateInstance(t *testing.T) {
	ctx := context.Background()
	e, insts := steadyService(t, 6)
	victim := insts[0]
	var onIt []string
	for _, tk := range serviceTasks(t, e, "web") {
		if tk.ContainerInstanceARN == victim.ContainerInstanceARN {
			onIt = append(onIt, tk.TaskARN)
		}
	}
	require.NotEmpty(t, onIt)
	require.NoError(t, e.TerminateInstance(ctx, "", victim.ContainerInstanceARN))
	gone := describeTask(t, e, onIt[0])
	require.Equal(t, ecs.TaskStatusStopped, gone.LastStatus, "its tasks stop at once")
	require.Equal(t, ecs.TaskStopCodeTerminationNotice, gone.StopCode)
	require.Equal(t, "Host EC2 (instance "+victim.EC2InstanceID+") terminated.", gone.StoppedReason)
	list, _, err := e.describeContainerInstances(ctx, "", []string{victim.ContainerInstanceARN})
	require.NoError(t, err)
	require.Equal(t, "INACTIVE", list[0].Status)
	requireSteady(t, e, 2*time.Minute)
}

func TestAgentDisconnected(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	a := register(t, e, "c5.large", "us-east-1a")
	taskDef(t, e, "web", 256, 256)
	require.NoError(t, e.DisconnectAgent(ctx, "", a.ContainerInstanceARN))
	resp := mustRunTask(t, e, "web", 1)
	require.Empty(t, resp.Tasks)
	require.Equal(t, "AGENT", resp.Failures[0].Reason)
	require.NoError(t, e.ReconnectAgent(ctx, "", a.ContainerInstanceARN))
	require.Len(t, mustRunTask(t, e, "web", 1).Tasks, 1)
}

// TestSpotInstanceInterruption: the two-minute Spot warning (rule 175)
// drains the instance only with Spot instance draining
// (ECS_ENABLE_SPOT_INSTANCE_DRAINING, off by default: rule 176,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/spot-instance-draining-linux-container.html),
// as the Spot model's own interruptions do; either way the instance is
// gone after two minutes and the service runs its tasks elsewhere.
func TestSpotInstanceInterruption(t *testing.T) {
	for _, tc := range []struct {
		name     string
		draining bool
		want     string
	}{
		{"draining", true, "DRAINING"},
		{"no draining (the default)", false, "ACTIVE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			e, insts := steadyService(t, 3)
			require.NoError(t, e.SetSpotModel(ctx, SpotModel{InstanceDraining: tc.draining}))
			spare := register(t, e, "c5.large", "us-east-1a")
			require.NoError(t, e.InterruptSpotInstance(ctx, "", insts[0].ContainerInstanceARN))
			list, _, err := e.describeContainerInstances(ctx, "", []string{insts[0].ContainerInstanceARN})
			require.NoError(t, err)
			require.Equal(t, tc.want, list[0].Status)
			advance(e, 90*time.Second)
			var on []string
			for _, tk := range serviceTasks(t, e, "web") {
				on = append(on, tk.ContainerInstanceARN)
			}
			if tc.draining {
				require.Contains(t, on, spare.ContainerInstanceARN, "a replacement went to the spare instance before the two minutes were up")
			} else {
				require.Contains(t, on, insts[0].ContainerInstanceARN, "without draining, the tasks run on until the instance is terminated")
			}
			advance(e, time.Minute)
			list, _, err = e.describeContainerInstances(ctx, "", []string{insts[0].ContainerInstanceARN})
			require.NoError(t, err)
			require.Equal(t, "INACTIVE", list[0].Status, "and the instance is gone after two minutes")
			requireSteady(t, e, time.Minute)
		})
	}
}

func TestFargateSpotInterruption(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	_, err := e.createCluster(ctx, ecs.Cluster{ClusterName: "fargate", CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"}})
	require.NoError(t, err)
	_, err = e.Registry().Register(&ecs.TaskDefinition{
		Family: "api", NetworkMode: ecs.NetworkModeAwsvpc, CPU: "256", Memory: "512",
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate},
		ContainerDefinitions:    []ecs.ContainerDefinition{{Name: "app", Image: "nginx"}},
	}, nil)
	require.NoError(t, err)
	_, err = e.createService(ctx, &ecs.CreateServiceRequest{
		Cluster: "fargate", ServiceName: "api", TaskDefinition: "api", DesiredCount: ptr(3),
		CapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "FARGATE_SPOT", Weight: 1}},
		NetworkConfiguration:     &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}},
	})
	require.NoError(t, err)
	advance(e, 2*time.Minute)
	running := func() []ecs.Task {
		all, err := e.Tasks(ctx, "fargate")
		require.NoError(t, err)
		var out []ecs.Task
		for _, tk := range all {
			if tk.LastStatus == "RUNNING" {
				out = append(out, tk)
			}
		}
		return out
	}
	before := running()
	require.Len(t, before, 3)
	require.Equal(t, map[string]int{"us-east-1a": 1, "us-east-1b": 1, "us-east-1c": 1}, zonesOf(before), "Fargate spreads over zones")
	require.Equal(t, "FARGATE_SPOT", before[0].CapacityProviderName)

	arns, err := e.InterruptFargateSpot(ctx, "fargate")
	require.NoError(t, err)
	require.Len(t, arns, 3)
	advance(e, 3*time.Minute)
	after := running()
	require.Len(t, after, 3, "replacements run on FARGATE_SPOT")
	tasks, _, err := e.describeTasks(ctx, "fargate", arns)
	require.NoError(t, err)
	for _, tk := range tasks {
		require.Equal(t, ecs.TaskStatusStopped, tk.LastStatus)
		require.Equal(t, ecs.TaskStopCodeSpotInterruption, tk.StopCode)
		require.Equal(t, "Your Spot Task was interrupted.", tk.StoppedReason)
	}
}

func TestZoneLost(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 6, WithSeed(11))
	require.NoError(t, e.LoseZone(ctx, "us-east-1a"))
	requireSteady(t, e, 3*time.Minute)
	zones := zonesOf(serviceTasks(t, e, "web"))
	require.Zero(t, zones["us-east-1a"])
	require.Equal(t, 6, zones["us-east-1b"]+zones["us-east-1c"])
	arns, err := e.listContainerInstances(ctx, "", "", "")
	require.NoError(t, err)
	require.Len(t, arns, 4, "the zone's two instances are gone")
}

// faultTranscript runs a scenario of faults under the given seed and
// returns what a test would see: the service's events and every task's
// ARN, instance, status and stop code.
func faultTranscript(t *testing.T, seed uint64) []string {
	ctx := context.Background()
	e, insts := steadyService(t, 6, WithSeed(seed))
	require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "web:2", FailToStart: 2, FailHealthChecks: 1}))
	_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
	require.NoError(t, err)
	advance(e, 45*time.Second)
	require.NoError(t, e.TerminateInstance(ctx, "", insts[1].ContainerInstanceARN))
	advance(e, 30*time.Second)
	_, _, err = e.updateContainerInstancesState(ctx, "", []string{insts[2].ContainerInstanceARN}, "DRAINING")
	require.NoError(t, err)
	require.NoError(t, e.LoseZone(ctx, "us-east-1c"))
	advance(e, 10*time.Minute)
	var out []string
	svc := describeService(t, e, "web")
	for _, ev := range svc.Events {
		out = append(out, ev.CreatedAt.Format(time.RFC3339)+" "+ev.ID+" "+ev.Message)
	}
	all, err := e.Tasks(ctx, "")
	require.NoError(t, err)
	for _, tk := range all {
		out = append(out, strings.Join([]string{tk.TaskARN, tk.ContainerInstanceARN, string(tk.LastStatus), string(tk.StopCode)}, " "))
	}
	return out
}

func TestFaultsAreDeterministic(t *testing.T) {
	a, b := faultTranscript(t, 5), faultTranscript(t, 5)
	require.Equal(t, a, b, "the same seed gives the same events")
	require.NotEqual(t, a, faultTranscript(t, 6), "another seed gives other identifiers")
}
