package ecstest

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The rules these tests encode:
//
//	[external] https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-external.html
//	[bluegreen] https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html
//	[taskset] https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskSet.html
//	[create] https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateTaskSet.html
//	[update-service] https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html

// externalService creates an EXTERNAL service called name with desired
// tasks on three c5.large instances, and the task definitions web:1 and
// web:2.
func externalService(t *testing.T, name string, desired int) *ECS {
	t.Helper()
	e := newTestECS(t)
	for _, az := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		register(t, e, "c5.large", az)
	}
	taskDef(t, e, "web", 256, 256, 0)
	taskDef(t, e, "web", 256, 256, 0)
	_, err := e.CreateService(context.Background(), &ecs.CreateServiceRequest{
		ServiceName: name, DesiredCount: ptr(desired),
		DeploymentController: &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeExternal},
	})
	require.NoError(t, err)
	return e
}

// newSet creates a task set of td in the default cluster's service.
func newSet(t *testing.T, e *ECS, service, td string, scale float64) ecs.TaskSet {
	t.Helper()
	resp, err := e.CreateTaskSet(context.Background(), &ecs.CreateTaskSetRequest{
		Cluster: "default", Service: service, TaskDefinition: td, Scale: &ecs.Scale{Value: scale, Unit: ecs.ScaleUnitPercent},
	})
	require.NoError(t, err)
	return *resp.TaskSet
}

// taskSetsOf describes all the task sets of a service, by ID.
func taskSetsOf(t *testing.T, e *ECS, service string) map[string]ecs.TaskSet {
	t.Helper()
	resp, err := e.DescribeTaskSets(context.Background(), &ecs.DescribeTaskSetsRequest{Cluster: "default", Service: service})
	require.NoError(t, err)
	out := map[string]ecs.TaskSet{}
	for _, ts := range resp.TaskSets {
		out[ts.ID] = ts
	}
	return out
}

// startedBy counts the service's tasks that are not stopping (draining
// from their target group or later) by their startedBy.
func startedBy(t *testing.T, e *ECS, service string) map[string]int {
	out := map[string]int{}
	for _, tk := range serviceTasks(t, e, service) {
		if tk.DesiredStatus == ecs.DesiredStatusRunning {
			out[tk.StartedBy]++
		}
	}
	return out
}

func TestTaskSetsExternalFlow(t *testing.T) {
	ctx := context.Background()
	e := externalService(t, "web", 4)
	svc := ptr(describeService(t, e, "web"))
	// [external]: a service without a primary task set shows the task
	// set fields empty; ECS's own deployments are not run.
	require.Empty(t, svc.Deployments)
	require.Empty(t, svc.TaskDefinition)
	require.Equal(t, ecs.DeploymentControllerTypeExternal, svc.DeploymentController.Type)

	a := newSet(t, e, "web", "web:1", 100)
	require.Equal(t, taskSetActive, a.Status)
	require.Equal(t, 4, a.ComputedDesiredCount)
	require.Regexp(t, `^ecs-svc/\d{19}$`, a.ID)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-set/default/web/"+a.ID, a.TaskSetARN)
	require.Equal(t, ecs.StabilityStatusStabilizing, a.StabilityStatus)

	svc, err := e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	require.Equal(t, 4, svc.RunningCount)
	require.Empty(t, svc.Deployments)
	require.Len(t, svc.TaskSets, 1)
	require.Equal(t, ecs.StabilityStatusSteadyState, svc.TaskSets[0].StabilityStatus)
	// Tasks are started by the task set (its ID), in the service's group.
	require.Equal(t, map[string]int{a.ID: 4}, startedBy(t, e, "web"))
	for _, tk := range serviceTasks(t, e, "web") {
		require.Equal(t, "service:web", tk.Group)
	}

	_, err = e.UpdateServicePrimaryTaskSet(ctx, &ecs.UpdateServicePrimaryTaskSetRequest{Cluster: "default", Service: "web", PrimaryTaskSet: a.TaskSetARN})
	require.NoError(t, err)
	require.Equal(t, a.TaskDefinition, describeService(t, e, "web").TaskDefinition, "[external]: the service shows its primary task set's fields")
	require.Equal(t, ecs.LaunchTypeEC2, describeService(t, e, "web").LaunchType)

	// A second task set at 50 %: ⌈4 × 0.5⌉ = 2 tasks beside the first's 4.
	b := newSet(t, e, "web", "web:2", 50)
	require.Equal(t, 2, b.ComputedDesiredCount)
	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	require.Equal(t, map[string]int{a.ID: 4, b.ID: 2}, startedBy(t, e, "web"))
	require.Equal(t, 6, describeService(t, e, "web").RunningCount)

	// Shift: B to 100 %, B PRIMARY, A to 0 and deleted.
	_, err = e.UpdateTaskSet(ctx, &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "web", TaskSet: b.ID, Scale: &ecs.Scale{Value: 100}})
	require.NoError(t, err)
	_, err = e.UpdateServicePrimaryTaskSet(ctx, &ecs.UpdateServicePrimaryTaskSetRequest{Cluster: "default", Service: "web", PrimaryTaskSet: b.ID})
	require.NoError(t, err)
	sets := taskSetsOf(t, e, "web")
	require.Equal(t, taskSetPrimary, sets[b.ID].Status)
	require.Equal(t, taskSetActive, sets[a.ID].Status, "the primary before becomes ACTIVE")
	require.Equal(t, b.TaskDefinition, describeService(t, e, "web").TaskDefinition)
	up, err := e.UpdateTaskSet(ctx, &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "web", TaskSet: a.ID, Scale: &ecs.Scale{Value: 0}})
	require.NoError(t, err)
	require.Equal(t, 0, up.TaskSet.ComputedDesiredCount)
	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	require.Equal(t, map[string]int{b.ID: 4}, startedBy(t, e, "web"))
	del, err := e.DeleteTaskSet(ctx, &ecs.DeleteTaskSetRequest{Cluster: "default", Service: "web", TaskSet: a.ID})
	require.NoError(t, err)
	require.Equal(t, taskSetDraining, del.TaskSet.Status)
	advance(e, time.Minute)
	require.Len(t, taskSetsOf(t, e, "web"), 1, "a DRAINING task set without tasks is gone")

	// UpdateService's desired count scales every task set by its scale.
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(5)})
	require.NoError(t, err)
	svc, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	require.Equal(t, 5, svc.TaskSets[0].ComputedDesiredCount)
	require.Equal(t, map[string]int{b.ID: 5}, startedBy(t, e, "web"))
}

func TestComputedDesiredCount(t *testing.T) {
	// [taskset] computedDesiredCount: desiredCount × scale, "always
	// rounded up. For example, if the computed desired count is 1.2, it
	// rounds up to 2 tasks."
	tests := []struct {
		desired int
		scale   float64
		want    int
	}{
		{desired: 4, scale: 30, want: 2}, // 1.2 → 2
		{desired: 4, scale: 100, want: 4},
		{desired: 4, scale: 0, want: 0},
		{desired: 3, scale: 33.333333333, want: 1}, // a hair below 1 after rounding error: 1
		{desired: 3, scale: 100.0 / 3, want: 1},
		{desired: 10, scale: 10, want: 1},
		{desired: 10, scale: 10.1, want: 2},
		{desired: 0, scale: 50, want: 0},
		{desired: 5000, scale: 0.1, want: 5},
	}
	for _, tt := range tests {
		got := computedCount(tt.desired, &ecs.Scale{Value: tt.scale})
		require.Equal(t, tt.want, got, "%d × %v%%", tt.desired, tt.scale)
	}
}

func TestTaskSetRefusals(t *testing.T) {
	ctx := context.Background()
	e := externalService(t, "web", 2)
	mustCreateService(t, e, "plain", "web", 0)
	a := newSet(t, e, "web", "web:1", 100)
	_, err := e.UpdateServicePrimaryTaskSet(ctx, &ecs.UpdateServicePrimaryTaskSetRequest{Cluster: "default", Service: "web", PrimaryTaskSet: a.ID})
	require.NoError(t, err)
	b := newSet(t, e, "web", "web:2", 50)
	tests := []struct {
		name    string
		call    func() error
		errType string
		msg     string
	}{
		// The task set operations are for EXTERNAL (and CODE_DEPLOY) services:
		// ECS's words for one of the ECS controller.
		{"CreateTaskSet on an ECS service", func() error {
			_, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "plain", TaskDefinition: "web:1"})
			return err
		}, ecs.InvalidParameterException, "only supports task set management on services configured to use external deployment controllers"},
		{"DescribeTaskSets on an ECS service", func() error {
			_, err := e.DescribeTaskSets(ctx, &ecs.DescribeTaskSetsRequest{Cluster: "default", Service: "plain"})
			return err
		}, ecs.InvalidParameterException, "external deployment controllers"},
		{"unknown service", func() error {
			_, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "nope", TaskDefinition: "web:1"})
			return err
		}, ecs.ServiceNotFoundException, ""},
		{"unknown cluster", func() error {
			_, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "nope", Service: "web", TaskDefinition: "web:1"})
			return err
		}, ecs.ClusterNotFoundException, ""},
		// [create] Scale.value: "Accepted values are numbers between 0 and 100."
		{"scale above 100", func() error {
			_, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1", Scale: &ecs.Scale{Value: 101}})
			return err
		}, ecs.InvalidParameterException, "scale.value"},
		{"scale below 0", func() error {
			_, err := e.UpdateTaskSet(ctx, &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "web", TaskSet: b.ID, Scale: &ecs.Scale{Value: -1}})
			return err
		}, ecs.InvalidParameterException, "scale.value"},
		{"unknown scale unit", func() error {
			_, err := e.UpdateTaskSet(ctx, &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "web", TaskSet: b.ID, Scale: &ecs.Scale{Value: 1, Unit: "TASKS"}})
			return err
		}, ecs.InvalidParameterException, "scale.unit"},
		{"UpdateTaskSet without a scale", func() error {
			_, err := e.UpdateTaskSet(ctx, &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "web", TaskSet: b.ID})
			return err
		}, ecs.InvalidParameterException, "scale is required"},
		{"unknown task set", func() error {
			_, err := e.UpdateTaskSet(ctx, &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "web", TaskSet: "ecs-svc/0", Scale: &ecs.Scale{Value: 1}})
			return err
		}, taskSetNotFoundException, ""},
		{"deleting the primary task set", func() error {
			_, err := e.DeleteTaskSet(ctx, &ecs.DeleteTaskSetRequest{Cluster: "default", Service: "web", TaskSet: a.ID})
			return err
		}, ecs.InvalidParameterException, "PRIMARY"},
		// DeleteTaskSet's force: "you can delete a task set even if it
		// hasn't been scaled down to zero".
		{"deleting a task set scaled above zero", func() error {
			_, err := e.DeleteTaskSet(ctx, &ecs.DeleteTaskSetRequest{Cluster: "default", Service: "web", TaskSet: b.ID})
			return err
		}, ecs.InvalidParameterException, "scaled above 0"},
		{"too long a client token", func() error {
			_, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1", ClientToken: "0123456789012345678901234567890123456"})
			return err
		}, ecs.InvalidParameterException, "clientToken"},
		{"classic load balancer", func() error {
			_, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1",
				LoadBalancers: []ecs.LoadBalancer{{LoadBalancerName: "clb", ContainerName: "app", ContainerPort: ptr(8080)}}})
			return err
		}, ecs.InvalidParameterException, "loadBalancerName"},
		// The task set's registries are checked as CreateService's are
		// (API Reference, ServiceRegistry:
		// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceRegistry.html).
		{"registry on a container the task definition lacks", func() error {
			_, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1",
				ServiceRegistries: []ecs.ServiceRegistry{{RegistryARN: "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abcdefghijklmnop", ContainerName: "nope", ContainerPort: ptr(80)}}})
			return err
		}, ecs.InvalidParameterException, "not a container of the task definition"},
		{"two registries", func() error {
			r := ecs.ServiceRegistry{RegistryARN: "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abcdefghijklmnop", Port: ptr(80)}
			_, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1",
				ServiceRegistries: []ecs.ServiceRegistry{r, r}})
			return err
		}, ecs.InvalidParameterException, "at most 1 item"},
		{"both a launch type and a strategy", func() error {
			_, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1",
				LaunchType: ecs.LaunchTypeEC2, CapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "FARGATE", Weight: 1}}})
			return err
		}, ecs.InvalidParameterException, ""},
		{"include value", func() error {
			_, err := e.DescribeTaskSets(ctx, &ecs.DescribeTaskSetsRequest{Cluster: "default", Service: "web", Include: []ecs.TaskSetField{"EVERYTHING"}})
			return err
		}, ecs.InvalidParameterException, "include"},
		// [external] UpdateService takes the desired count and a few
		// others; a task definition needs a new task set.
		{"UpdateService with a task definition", func() error {
			_, err := e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
			return err
		}, ecs.InvalidParameterException, "create a new task set"},
		{"UpdateService with a network configuration", func() error {
			_, err := e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", NetworkConfiguration: &ecs.NetworkConfiguration{}})
			return err
		}, ecs.InvalidParameterException, "networkConfiguration"},
		// [external] CreateService takes the service's parameters; the
		// task definition goes to the task sets.
		{"EXTERNAL CreateService with a task definition", func() error {
			_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "x", TaskDefinition: "web:1", DesiredCount: ptr(1),
				DeploymentController: &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeExternal}})
			return err
		}, ecs.InvalidParameterException, "taskDefinition cannot be specified"},
		{"EXTERNAL DAEMON service", func() error {
			_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "x", SchedulingStrategy: ecs.SchedulingStrategyDaemon,
				DeploymentController: &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeExternal}})
			return err
		}, ecs.InvalidParameterException, "daemon"},
		{"EXTERNAL with a circuit breaker", func() error {
			_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "x", DesiredCount: ptr(1),
				DeploymentConfiguration: &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true}},
				DeploymentController:    &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeExternal}})
			return err
		}, ecs.InvalidParameterException, "circuit breaker"},
		// [bluegreen] a CODE_DEPLOY service needs an ALB or NLB.
		{"CODE_DEPLOY without a load balancer", func() error {
			_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "x", TaskDefinition: "web:1", DesiredCount: ptr(1),
				DeploymentController: &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeCodeDeploy}})
			return err
		}, ecs.InvalidParameterException, "Load Balancer"},
		{"unknown deployment controller", func() error {
			_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "x", TaskDefinition: "web:1", DesiredCount: ptr(1),
				DeploymentController: &ecs.DeploymentController{Type: "ARGO"}})
			return err
		}, ecs.InvalidParameterException, "deploymentController.type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := taskSetsOf(t, e, "web")
			err := tt.call()
			var apiErr *ecs.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tt.errType, apiErr.Type, "%v", err)
			require.Contains(t, apiErr.Message, tt.msg)
			require.Empty(t, cmp.Diff(before, taskSetsOf(t, e, "web")), "a refusal changes nothing")
		})
	}
}

func TestTaskSetQuotaAndClientToken(t *testing.T) {
	ctx := context.Background()
	e := externalService(t, "web", 1)
	req := &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1", ClientToken: "tok-1"}
	first, err := e.CreateTaskSet(ctx, req)
	require.NoError(t, err)
	again, err := e.CreateTaskSet(ctx, req)
	require.NoError(t, err)
	require.Equal(t, first.TaskSet.ID, again.TaskSet.ID, "the same clientToken returns the task set it created")
	for range maxTaskSets - 1 {
		newSet(t, e, "web", "web:1", 0)
	}
	// The quota of task sets per service, in ECS's words.
	_, err = e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1"})
	require.ErrorContains(t, err, "5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.")
}

func TestTaskSetTags(t *testing.T) {
	ctx := context.Background()
	e := externalService(t, "web", 1)
	resp, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1",
		ExternalID: "deploy-1", Tags: []ecs.Tag{{Key: "team", Value: "a"}}})
	require.NoError(t, err)
	ts := resp.TaskSet
	require.Equal(t, "deploy-1", ts.ExternalID)
	require.Equal(t, []ecs.Tag{{Key: "team", Value: "a"}}, ts.Tags)
	// DescribeTaskSets: "If this field is omitted, tags aren't included in
	// the response."
	list, err := e.DescribeTaskSets(ctx, &ecs.DescribeTaskSetsRequest{Cluster: "default", Service: "web", TaskSets: []string{ts.TaskSetARN, "ecs-svc/1"}})
	require.NoError(t, err)
	require.Len(t, list.TaskSets, 1)
	require.Empty(t, list.TaskSets[0].Tags)
	require.Equal(t, []ecs.Failure{{ARN: "ecs-svc/1", Reason: "MISSING"}}, list.Failures)
	_, err = e.TagResource(ctx, &ecs.TagResourceRequest{ResourceARN: ts.TaskSetARN, Tags: []ecs.Tag{{Key: "env", Value: "prod"}}})
	require.NoError(t, err)
	list, err = e.DescribeTaskSets(ctx, &ecs.DescribeTaskSetsRequest{Cluster: "default", Service: "web", Include: []ecs.TaskSetField{ecs.TaskSetFieldTags}})
	require.NoError(t, err)
	require.Equal(t, []ecs.Tag{{Key: "team", Value: "a"}, {Key: "env", Value: "prod"}}, list.TaskSets[0].Tags)
	tags, err := e.ListTagsForResource(ctx, &ecs.ListTagsForResourceRequest{ResourceARN: ts.TaskSetARN})
	require.NoError(t, err)
	require.Len(t, tags.Tags, 2)
}

// codeDeployService creates a CODE_DEPLOY service of web:1 behind the
// target group "blue".
func codeDeployService(t *testing.T, e *ECS, desired int) *ecs.Service {
	t.Helper()
	resp, err := e.CreateService(context.Background(), &ecs.CreateServiceRequest{
		ServiceName: "bg", TaskDefinition: "web:1", DesiredCount: ptr(desired),
		DeploymentController: &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeCodeDeploy},
		LoadBalancers:        []ecs.LoadBalancer{{TargetGroupARN: tgARN("blue"), ContainerName: "app", ContainerPort: ptr(8080)}},
	})
	require.NoError(t, err)
	return resp.Service
}

// tgARN returns the ARN of a target group called name.
func tgARN(name string) string {
	return "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/" + name + "/0123456789abcdef"
}

func TestCodeDeployBlueGreen(t *testing.T) {
	ctx := context.Background()
	e := externalService(t, "unused", 0)
	// [bluegreen]: "When an Amazon ECS service using the blue/green
	// deployment type is initially created, an Amazon ECS task set is
	// created."
	created := codeDeployService(t, e, 3)
	require.Len(t, created.TaskSets, 1)
	blue := created.TaskSets[0]
	require.Equal(t, taskSetPrimary, blue.Status)
	require.Equal(t, 3, blue.ComputedDesiredCount)
	require.Empty(t, created.Deployments)
	svc, err := e.Settle(ctx, "", "bg", 0)
	require.NoError(t, err)
	require.Equal(t, 3, svc.RunningCount)

	// [update-service]: a new task definition goes through CodeDeploy.
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "bg", TaskDefinition: "web:2"})
	require.ErrorContains(t, err, "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.")
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "bg", DesiredCount: ptr(2)})
	require.NoError(t, err, "the desired count is updated with UpdateService")

	// CodeDeploy's steps: the replacement task set behind the other
	// target group, production traffic to it (PRIMARY), the original
	// deleted.
	green, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "bg", TaskDefinition: "web:2",
		ExternalID: "d-ABCDEF123", Scale: &ecs.Scale{Value: 100, Unit: ecs.ScaleUnitPercent},
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: tgARN("green"), ContainerName: "app", ContainerPort: ptr(8080)}}})
	require.NoError(t, err)
	require.Equal(t, startedByCodeDeploy, green.TaskSet.StartedBy, "[taskset] startedBy: CODE_DEPLOY")
	svc, err = e.Settle(ctx, "", "bg", 0)
	require.NoError(t, err)
	require.Equal(t, 4, svc.RunningCount, "the service counts the tasks of both task sets")
	require.Equal(t, map[string]int{blue.ID: 2, green.TaskSet.ID: 2}, startedBy(t, e, "bg"))
	_, err = e.UpdateServicePrimaryTaskSet(ctx, &ecs.UpdateServicePrimaryTaskSetRequest{Cluster: "default", Service: "bg", PrimaryTaskSet: green.TaskSet.TaskSetARN})
	require.NoError(t, err)
	_, err = e.DeleteTaskSet(ctx, &ecs.DeleteTaskSetRequest{Cluster: "default", Service: "bg", TaskSet: blue.ID, Force: ptr(true)})
	require.NoError(t, err)
	svc, err = e.Settle(ctx, "", "bg", 0)
	require.NoError(t, err)
	require.Len(t, svc.TaskSets, 1)
	require.Equal(t, green.TaskSet.ID, svc.TaskSets[0].ID)
	require.Equal(t, green.TaskSet.TaskDefinition, svc.TaskDefinition)
	require.Equal(t, tgARN("green"), svc.LoadBalancers[0].TargetGroupARN)
	require.Equal(t, map[string]int{green.TaskSet.ID: 2}, startedBy(t, e, "bg"))
	stopped := 0
	all, err := e.Tasks(ctx, "")
	require.NoError(t, err)
	for _, tk := range all {
		if tk.StartedBy == blue.ID {
			require.Equal(t, ecs.TaskStatusStopped, tk.LastStatus)
			require.Equal(t, "Scaling activity initiated by (deployment "+blue.ID+")", tk.StoppedReason)
			stopped++
		}
	}
	require.Equal(t, 3, stopped)

	// Deleting the service drains its task sets.
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "bg", DesiredCount: ptr(0)})
	require.NoError(t, err)
	deleted, err := e.DeleteService(ctx, &ecs.DeleteServiceRequest{Service: "bg"})
	require.NoError(t, err)
	require.Equal(t, taskSetDraining, deleted.Service.TaskSets[0].Status, "the service's task sets drain with it")
	advance(e, 10*time.Minute) // past the target group's deregistration delay
	require.Equal(t, serviceInactive, describeService(t, e, "bg").Status)
	require.Empty(t, startedBy(t, e, "bg"))
}

func TestTaskSetsOverHTTP(t *testing.T) {
	e := externalService(t, "web", 2)
	c := newAPIClient(t, e)
	var created ecs.CreateTaskSetResponse
	c.call("CreateTaskSet", &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "web:1"}, &created)
	require.Equal(t, ecs.Scale{Value: 100, Unit: ecs.ScaleUnitPercent}, *created.TaskSet.Scale, "100 percent when no scale is given")
	var described ecs.DescribeTaskSetsResponse
	c.call("DescribeTaskSets", &ecs.DescribeTaskSetsRequest{Cluster: "default", Service: "web"}, &described)
	require.Len(t, described.TaskSets, 1)
	require.Empty(t, described.Failures)
	var primary ecs.UpdateServicePrimaryTaskSetResponse
	c.call("UpdateServicePrimaryTaskSet", &ecs.UpdateServicePrimaryTaskSetRequest{Cluster: "default", Service: "web", PrimaryTaskSet: created.TaskSet.ID}, &primary)
	require.Equal(t, taskSetPrimary, primary.TaskSet.Status)
	var updated ecs.UpdateTaskSetResponse
	c.call("UpdateTaskSet", &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "web", TaskSet: created.TaskSet.ID, Scale: &ecs.Scale{Value: 50, Unit: "PERCENT"}}, &updated)
	require.Equal(t, 1, updated.TaskSet.ComputedDesiredCount)
	fail := c.fail("DeleteTaskSet", &ecs.DeleteTaskSetRequest{Cluster: "default", Service: "web", TaskSet: created.TaskSet.ID})
	require.Equal(t, ecs.InvalidParameterException, fail.Type)
	fail = c.fail("DescribeTaskSets", &ecs.DescribeTaskSetsRequest{Cluster: "default", Service: "nope"})
	require.Equal(t, ecs.ServiceNotFoundException, fail.Type)
	advance(e, 2*time.Minute)
	var svcs ecs.DescribeServicesResponse
	c.call("DescribeServices", &ecs.DescribeServicesRequest{Services: []string{"web"}}, &svcs)
	require.Len(t, svcs.Services[0].TaskSets, 1)
	require.Equal(t, 1, svcs.Services[0].RunningCount)
	require.Empty(t, svcs.Services[0].Deployments)
}

// TestPropertyTaskSetsNeverOverCommit runs random task set operations
// among the random operations and faults of the property test's world and
// checks its invariants after each: no instance holds more CPU or memory
// than it registered or a host port twice, whichever task set placed the
// task; at the end every task set runs its computedDesiredCount.
func TestPropertyTaskSetsNeverOverCommit(t *testing.T) {
	runs := 20
	if testing.Short() {
		runs = 5
	}
	for seed := range uint64(runs) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			w := newWorld(t, seed)
			ctx, e := context.Background(), w.e
			_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "ext", DesiredCount: ptr(1 + w.rnd.IntN(5)),
				DeploymentController: &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeExternal}})
			require.NoError(t, err)
			var ids []string
			for range 50 {
				w.taskSetStep(&ids)
				w.checkInvariants()
				if w.rnd.IntN(2) == 0 {
					w.step()
					w.checkInvariants()
				}
			}
			w.settleTaskSets()
		})
	}
}

// taskSetStep does one random task set operation on the service ext.
func (w *world) taskSetStep(ids *[]string) {
	ctx, e, r := context.Background(), w.e, w.rnd
	var err error
	switch op := r.IntN(5); op {
	case 0:
		var resp *ecs.CreateTaskSetResponse
		resp, err = e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "ext",
			TaskDefinition: pick(r, w.tds), Scale: &ecs.Scale{Value: float64(r.IntN(101))}})
		if err == nil {
			*ids = append(*ids, resp.TaskSet.ID)
		}
	case 1:
		_, err = e.UpdateTaskSet(ctx, &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "ext", TaskSet: pick(r, *ids),
			Scale: &ecs.Scale{Value: float64(r.IntN(101))}})
	case 2:
		_, err = e.UpdateServicePrimaryTaskSet(ctx, &ecs.UpdateServicePrimaryTaskSetRequest{Cluster: "default", Service: "ext", PrimaryTaskSet: pick(r, *ids)})
	case 3:
		_, err = e.DeleteTaskSet(ctx, &ecs.DeleteTaskSetRequest{Cluster: "default", Service: "ext", TaskSet: pick(r, *ids), Force: ptr(r.IntN(2) == 0)})
	case 4:
		_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "ext", DesiredCount: ptr(r.IntN(8))})
	}
	w.log = append(w.log, "task set op: "+errString(err))
	if err != nil {
		var apiErr *ecs.APIError
		require.True(w.t, errors.As(err, &apiErr), "%v", err)
		require.NotEqual(w.t, ecs.ServerException, apiErr.Type)
	}
	advance(e, time.Duration(r.IntN(90))*time.Second)
}

// settleTaskSets lifts the faults, adds room, and requires every task set
// of ext to run its computedDesiredCount in STEADY_STATE.
func (w *world) settleTaskSets() {
	w.settle()
	svc, err := w.e.Settle(context.Background(), "", "ext", 0)
	if len(svc.TaskSets) == 0 {
		return // no task set left: nothing to run
	}
	require.NoError(w.t, err, "%v", events(*svc))
	count := startedBy(w.t, w.e, "ext")
	for _, ts := range svc.TaskSets {
		require.Equal(w.t, ts.ComputedDesiredCount, ts.RunningCount, "task set %s", ts.ID)
		require.Equal(w.t, ts.ComputedDesiredCount, count[ts.ID], "task set %s", ts.ID)
	}
}

// errString is err's text, or "ok".
func errString(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// TestTaskSetManagedScaling: managed scaling counts what each task set is
// short of on its capacity provider, not the service's desiredCount
// against all its tasks: a second task set at 100 % beside a first one
// running needs instances of its own.
func TestTaskSetManagedScaling(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	managedGroup(t, e, false)
	taskDef(t, e, "work", 1024, 1024)
	_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "ext", DesiredCount: ptr(4),
		DeploymentController: &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeExternal}})
	require.NoError(t, err)
	a := newSet(t, e, "ext", "work:1", 100)
	require.Equal(t, []ecs.CapacityProviderStrategyItem{{CapacityProvider: "asg", Weight: 1}}, a.CapacityProviderStrategy,
		"the task set takes the cluster's default strategy")
	advance(e, 5*time.Minute)
	g, err := e.DescribeAutoScalingGroup(ctx, "workers")
	require.NoError(t, err)
	require.Equal(t, 2, g.DesiredCapacity, "two c5.large hold four tasks of 1024 CPU units")
	b := newSet(t, e, "ext", "work:1", 100)
	advance(e, 10*time.Minute)
	g, err = e.DescribeAutoScalingGroup(ctx, "workers")
	require.NoError(t, err)
	require.Equal(t, 4, g.DesiredCapacity, "the second task set's four tasks need two more")
	require.Equal(t, map[string]int{a.ID: 4, b.ID: 4}, startedBy(t, e, "ext"))
}

// TestTaskSetLaunchAndNetworkPerTaskSet: each task set has its own launch
// type and network configuration ([external]: "If the launch type,
// platform version, load balancer details, network configuration, or
// task definition need to be updated, you must create a new task set"),
// and its tasks run with them; an awsvpc task set needs a network
// configuration.
func TestTaskSetLaunchAndNetworkPerTaskSet(t *testing.T) {
	ctx := context.Background()
	e := externalService(t, "web", 2)
	_, err := e.Registry().Register(&ecs.TaskDefinition{
		Family: "api", NetworkMode: ecs.NetworkModeAwsvpc, CPU: "256", Memory: "512",
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate, ecs.CompatibilityEC2},
		ContainerDefinitions:    []ecs.ContainerDefinition{{Name: "app", Image: "nginx"}},
	}, nil)
	require.NoError(t, err)
	_, err = e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "api", LaunchType: ecs.LaunchTypeFargate})
	require.ErrorContains(t, err, "Network Configuration must be provided", "an awsvpc task set needs its subnets")
	fargate, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: "api",
		LaunchType: ecs.LaunchTypeFargate, NetworkConfiguration: &ecs.NetworkConfiguration{
			AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-f1"}}}})
	require.NoError(t, err)
	require.Equal(t, "LATEST", fargate.TaskSet.PlatformVersion, "[create] platformVersion: LATEST when none is given")
	ec2 := newSet(t, e, "web", "web:1", 100)
	require.Equal(t, ecs.LaunchTypeEC2, ec2.LaunchType)
	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	for _, tk := range serviceTasks(t, e, "web") {
		switch tk.StartedBy {
		case fargate.TaskSet.ID:
			require.Equal(t, ecs.LaunchTypeFargate, tk.LaunchType)
			require.Empty(t, tk.ContainerInstanceARN)
			require.Equal(t, "subnet-f1", detail(tk.Attachments[0], "subnetId"))
		case ec2.ID:
			require.Equal(t, ecs.LaunchTypeEC2, tk.LaunchType)
			require.NotEmpty(t, tk.ContainerInstanceARN)
			require.Empty(t, tk.Attachments)
		default:
			t.Fatalf("task %s started by %s", tk.TaskARN, tk.StartedBy)
		}
	}
	require.Equal(t, map[string]int{fargate.TaskSet.ID: 2, ec2.ID: 2}, startedBy(t, e, "web"))
}
