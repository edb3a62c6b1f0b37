package ecstest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// threeZones registers n instances of type typ over us-east-1a, b and c.
func threeZones(t testing.TB, e *ECS, typ string, n int) []*ecs.ContainerInstance {
	t.Helper()
	var out []*ecs.ContainerInstance
	for i := range n {
		out = append(out, register(t, e, typ, "us-east-1"+string(rune('a'+i%3))))
	}
	return out
}

// describeService describes one service of the default cluster.
func describeService(t testing.TB, e *ECS, name string) ecs.Service {
	t.Helper()
	list, failures, err := e.describeServices(context.Background(), "", []string{name})
	require.NoError(t, err)
	require.Empty(t, failures)
	return list[0]
}

// serviceTasks returns the service's tasks that are not STOPPED.
func serviceTasks(t testing.TB, e *ECS, name string) []ecs.Task {
	t.Helper()
	all, err := e.Tasks(context.Background(), "")
	require.NoError(t, err)
	var out []ecs.Task
	for _, tk := range all {
		if tk.Group == "service:"+name && tk.LastStatus != "STOPPED" {
			out = append(out, tk)
		}
	}
	return out
}

// zonesOf counts tasks per Availability Zone.
func zonesOf(tasks []ecs.Task) map[string]int {
	out := map[string]int{}
	for _, t := range tasks {
		out[t.AvailabilityZone]++
	}
	return out
}

// createService creates a REPLICA service of td with n tasks.
func mustCreateService(t testing.TB, e *ECS, name, td string, n int) ecs.Service {
	t.Helper()
	svc, err := e.createService(context.Background(), &ecs.CreateServiceRequest{ServiceName: name, TaskDefinition: td, DesiredCount: ptr(n)})
	require.NoError(t, err)
	return *svc
}

// events returns the messages of a service's events, oldest first.
func events(svc ecs.Service) []string {
	var out []string
	for i := len(svc.Events) - 1; i >= 0; i-- {
		out = append(out, svc.Events[i].Message)
	}
	return out
}

func TestServiceSpreadsOverZones(t *testing.T) {
	e := newTestECS(t)
	threeZones(t, e, "c5.large", 6)
	taskDef(t, e, "web", 256, 512, 0)

	created := mustCreateService(t, e, "web", "web", 6)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:service/default/web", created.ServiceARN)
	require.Equal(t, "ACTIVE", created.Status)
	require.Len(t, created.Deployments, 1)
	require.Equal(t, ecs.DeploymentRolloutStateInProgress, created.Deployments[0].RolloutState)
	require.Equal(t, 200, *created.DeploymentConfiguration.MaximumPercent)

	advance(e, 0)
	svc := describeService(t, e, "web")
	require.Equal(t, 6, svc.PendingCount, "the first step starts the tasks")
	advance(e, 2*time.Minute)
	svc = describeService(t, e, "web")
	require.Equal(t, 6, svc.RunningCount)
	require.Equal(t, 0, svc.PendingCount)
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, svc.Deployments[0].RolloutState)
	tasks := serviceTasks(t, e, "web")
	require.Equal(t, map[string]int{"us-east-1a": 2, "us-east-1b": 2, "us-east-1c": 2}, zonesOf(tasks))
	perInstance := map[string]int{}
	for _, tk := range tasks {
		perInstance[tk.ContainerInstanceARN]++
		require.Equal(t, svc.Deployments[0].ID, tk.StartedBy)
	}
	require.Len(t, perInstance, 6, "spread over instances within each zone")
	msgs := events(svc)
	require.Contains(t, msgs[0], "(service web) has started 6 tasks:")
	require.Equal(t, "(service web) has reached a steady state.", msgs[len(msgs)-1])
}

func TestServiceRollingUpdate(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	threeZones(t, e, "c5.large", 6)
	taskDef(t, e, "web", 256, 512, 0)
	taskDef(t, e, "web", 256, 512, 0)
	mustCreateService(t, e, "web", "web:1", 6)
	advance(e, 2*time.Minute)

	updated, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
	require.NoError(t, err)
	require.Len(t, updated.Deployments, 2)
	require.Equal(t, "PRIMARY", updated.Deployments[0].Status)
	require.True(t, strings.HasSuffix(updated.TaskDefinition, "web:2"))

	advance(e, 5*time.Minute)
	svc := describeService(t, e, "web")
	require.Len(t, svc.Deployments, 1, "the old deployment is gone")
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, svc.Deployments[0].RolloutState)
	require.Equal(t, 6, svc.RunningCount)
	for _, tk := range serviceTasks(t, e, "web") {
		require.True(t, strings.HasSuffix(tk.TaskDefinitionARN, "web:2"), tk.TaskARN)
		require.Equal(t, ecs.TaskStatusRunning, tk.LastStatus)
	}
	stopped, err := e.listTasks(ctx, "", taskFilter{ServiceName: "web", DesiredStatus: "STOPPED"})
	require.NoError(t, err)
	require.Len(t, stopped, 6)
	old := describeTask(t, e, stopped[0])
	require.Equal(t, ecs.TaskStopCodeServiceSchedulerInitiated, old.StopCode)

	scaled, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(3)})
	require.NoError(t, err)
	require.Len(t, scaled.Deployments, 1, "scaling starts no deployment")
	advance(e, 2*time.Minute)
	require.Len(t, serviceTasks(t, e, "web"), 3)
}

func TestDeleteService(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	threeZones(t, e, "c5.large", 3)
	taskDef(t, e, "web", 256, 512)
	mustCreateService(t, e, "web", "web", 3)
	advance(e, 2*time.Minute)

	_, err := e.deleteService(ctx, "", "web", false)
	requireAPIError(t, err, "InvalidParameterException")
	_, err = e.deleteCluster(ctx, "default")
	requireAPIError(t, err, "ClusterContainsContainerInstancesException")

	gone, err := e.deleteService(ctx, "", "web", true)
	require.NoError(t, err)
	require.Equal(t, "DRAINING", gone.Status)
	list, err := e.listServices(ctx, "", "", "")
	require.NoError(t, err)
	require.Empty(t, list)
	_, err = e.createService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(1)})
	requireAPIError(t, err, "InvalidParameterException")

	advance(e, time.Minute)
	require.Equal(t, "INACTIVE", describeService(t, e, "web").Status)
	require.Empty(t, serviceTasks(t, e, "web"))
	_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(1)})
	requireAPIError(t, err, "ServiceNotActiveException")
	again := mustCreateService(t, e, "web", "web", 1)
	require.Equal(t, "ACTIVE", again.Status, "an INACTIVE service's name can be used again")
}

func TestCreateServiceRefuses(t *testing.T) {
	e := newTestECS(t)
	register(t, e, "c5.large", "us-east-1a")
	taskDef(t, e, "web", 256, 512)
	mustCreateService(t, e, "taken", "web", 1)
	tests := []struct {
		name string
		req  ecs.CreateServiceRequest
		typ  string
	}{
		{"bad name", ecs.CreateServiceRequest{ServiceName: "a b", TaskDefinition: "web", DesiredCount: ptr(1)}, "InvalidParameterException"},
		{"taken", ecs.CreateServiceRequest{ServiceName: "taken", TaskDefinition: "web", DesiredCount: ptr(1)}, "InvalidParameterException"},
		{"unknown task definition", ecs.CreateServiceRequest{ServiceName: "s", TaskDefinition: "nope", DesiredCount: ptr(1)}, "ClientException"},
		{"no desired count", ecs.CreateServiceRequest{ServiceName: "s", TaskDefinition: "web"}, "InvalidParameterException"},
		{"daemon with a desired count", ecs.CreateServiceRequest{ServiceName: "s", TaskDefinition: "web", DesiredCount: ptr(1), SchedulingStrategy: "DAEMON"}, "InvalidParameterException"},
		{"maximumPercent below 100", ecs.CreateServiceRequest{ServiceName: "s", TaskDefinition: "web", DesiredCount: ptr(1),
			DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: ptr(50)}}, "InvalidParameterException"},
		{"bad strategy", ecs.CreateServiceRequest{ServiceName: "s", TaskDefinition: "web", DesiredCount: ptr(1),
			PlacementStrategy: []ecs.PlacementStrategy{{Type: "spread"}}}, "InvalidParameterException"},
		{"load balancer with a bad target group ARN", ecs.CreateServiceRequest{ServiceName: "s", TaskDefinition: "web", DesiredCount: ptr(1),
			LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1"}}}, "InvalidParameterException"},
		{"no such cluster", ecs.CreateServiceRequest{Cluster: "nope", ServiceName: "s", TaskDefinition: "web", DesiredCount: ptr(1)}, "ClusterNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.createService(context.Background(), &tt.req)
			requireAPIError(t, err, tt.typ)
		})
	}
	_, err := e.updateService(context.Background(), &ecs.UpdateServiceRequest{Service: "nope", DesiredCount: ptr(1)})
	requireAPIError(t, err, "ServiceNotFoundException")
}

func TestServiceCannotPlace(t *testing.T) {
	e := newTestECS(t)
	a := register(t, e, "c5.large", "us-east-1a")
	taskDef(t, e, "big", 1024, 1024)
	mustCreateService(t, e, "big", "big", 3)
	advance(e, 2*time.Minute)
	svc := describeService(t, e, "big")
	require.Equal(t, 2, svc.RunningCount, "two fit the instance")
	msgs := events(svc)
	require.Contains(t, strings.Join(msgs, "\n"), "(service big) was unable to place a task because no container instance met all of its requirements.")

	register(t, e, "c5.large", "us-east-1b")
	advance(e, 2*time.Minute)
	require.Equal(t, 3, describeService(t, e, "big").RunningCount, "a new instance lets the service place its last task")
	require.Equal(t, 0, remainingOf(t, e, a.ContainerInstanceARN).CPU)
}

func TestServicesOverHTTP(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	threeZones(t, e, "c5.large", 3)
	c.call("RegisterTaskDefinition", webRequest("web"), nil)

	var created ecs.CreateServiceResponse
	c.call("CreateService", ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(3),
		Tags: []ecs.Tag{{Key: "team", Value: "edge"}}}, &created)
	require.Equal(t, "web", created.Service.ServiceName)
	advance(e, 2*time.Minute)

	var list ecs.ListServicesResponse
	c.call("ListServices", ecs.ListServicesRequest{}, &list)
	require.Equal(t, []string{created.Service.ServiceARN}, list.ServiceARNs)

	var desc ecs.DescribeServicesResponse
	c.call("DescribeServices", ecs.DescribeServicesRequest{Services: []string{"web", "nope"}}, &desc)
	require.Equal(t, 3, desc.Services[0].RunningCount)
	require.Nil(t, desc.Services[0].Tags, "tags only when included")
	require.Equal(t, "MISSING", desc.Failures[0].Reason)
	c.call("DescribeServices", ecs.DescribeServicesRequest{Services: []string{"web"}, Include: []ecs.ServiceField{"TAGS"}}, &desc)
	require.Len(t, desc.Services[0].Tags, 1)

	var tasks ecs.ListTasksResponse
	c.call("ListTasks", ecs.ListTasksRequest{ServiceName: "web"}, &tasks)
	require.Len(t, tasks.TaskARNs, 3)

	var upd ecs.UpdateServiceResponse
	c.call("UpdateService", ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(0)}, &upd)
	var del ecs.DeleteServiceResponse
	c.call("DeleteService", ecs.DeleteServiceRequest{Service: "web"}, &del)
	require.Equal(t, "DRAINING", del.Service.Status)
	require.Equal(t, "ServiceNotFoundException", c.fail("UpdateService", ecs.UpdateServiceRequest{Service: "nope"}).Type)
}

// TestCreateServiceRebalancingDefault checks CreateService's default for
// availabilityZoneRebalancing (rule 105): ENABLED, but DISABLED for a
// service whose placement strategy starts with binpack.
func TestCreateServiceRebalancingDefault(t *testing.T) {
	e := newTestECS(t)
	threeZones(t, e, "c5.large", 3)
	taskDef(t, e, "web", 256, 512, 0)
	td := "web"
	spread := mustCreateService(t, e, "spread", td, 3)
	require.Equal(t, ecs.AvailabilityZoneRebalancingEnabled, spread.AvailabilityZoneRebalancing)

	binpack, err := e.createService(context.Background(), &ecs.CreateServiceRequest{
		ServiceName: "binpack", TaskDefinition: td, DesiredCount: ptr(3),
		PlacementStrategy: []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeBinpack, Field: "memory"}},
	})
	require.NoError(t, err)
	require.Equal(t, ecs.AvailabilityZoneRebalancingDisabled, binpack.AvailabilityZoneRebalancing)

	asked, err := e.createService(context.Background(), &ecs.CreateServiceRequest{
		ServiceName: "asked", TaskDefinition: td, DesiredCount: ptr(3),
		AvailabilityZoneRebalancing: ecs.AvailabilityZoneRebalancingDisabled,
	})
	require.NoError(t, err)
	require.Equal(t, ecs.AvailabilityZoneRebalancingDisabled, asked.AvailabilityZoneRebalancing, "a value given is kept")
}
