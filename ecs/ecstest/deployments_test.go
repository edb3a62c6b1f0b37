package ecstest

import (
	"context"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// serviceDeployments lists the service deployments of "web", newest first.
func serviceDeployments(t testing.TB, e *ECS, req *ecs.ListServiceDeploymentsRequest) []ecs.ServiceDeploymentBrief {
	t.Helper()
	if req == nil {
		req = &ecs.ListServiceDeploymentsRequest{}
	}
	req.Service = "web"
	resp, err := e.ListServiceDeployments(context.Background(), req)
	require.NoError(t, err)
	return resp.ServiceDeployments
}

// describeDeployment describes one service deployment.
func describeDeployment(t testing.TB, e *ECS, arn string) ecs.ServiceDeployment {
	t.Helper()
	resp, err := e.DescribeServiceDeployments(context.Background(), &ecs.DescribeServiceDeploymentsRequest{ServiceDeploymentARNs: []string{arn}})
	require.NoError(t, err)
	require.Empty(t, resp.Failures)
	return resp.ServiceDeployments[0]
}

// describeRevision describes one service revision.
func describeRevision(t testing.TB, e *ECS, arn string) ecs.ServiceRevision {
	t.Helper()
	resp, err := e.DescribeServiceRevisions(context.Background(), &ecs.DescribeServiceRevisionsRequest{ServiceRevisionARNs: []string{arn}})
	require.NoError(t, err)
	require.Empty(t, resp.Failures)
	return resp.ServiceRevisions[0]
}

// statuses returns the statuses of a list, newest first.
func statuses(list []ecs.ServiceDeploymentBrief) []ecs.ServiceDeploymentStatus {
	out := make([]ecs.ServiceDeploymentStatus, len(list))
	for i, d := range list {
		out[i] = d.Status
	}
	return out
}

func TestServiceDeploymentsOfAServiceLife(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	threeZones(t, e, "c5.large", 3)
	taskDef(t, e, "web", 256, 512, 0)
	taskDef(t, e, "web", 256, 512, 0)
	created := t0
	mustCreateService(t, e, "web", "web:1", 3)

	list := serviceDeployments(t, e, nil)
	require.Len(t, list, 1)
	first := list[0]
	require.Equal(t, ecs.ServiceDeploymentStatusPending, first.Status, "created, not started: no step ran yet")
	require.True(t, first.CreatedAt.Equal(created))
	require.True(t, first.StartedAt.IsZero())
	require.Regexp(t, `^arn:aws:ecs:us-east-1:123456789012:service-deployment/default/web/[A-Za-z0-9_-]{20}$`, first.ServiceDeploymentARN)
	require.Regexp(t, `^arn:aws:ecs:us-east-1:123456789012:service-revision/default/web/[0-9]{19}$`, first.TargetServiceRevisionARN)

	advance(e, 2*time.Minute)
	sd := describeDeployment(t, e, first.ServiceDeploymentARN)
	require.Equal(t, ecs.ServiceDeploymentStatusSuccessful, sd.Status)
	require.True(t, sd.StartedAt.Equal(created), "its first step ran at once")
	require.False(t, sd.FinishedAt.IsZero())
	require.Empty(t, sd.SourceServiceRevisions, "a new service has no source revision")
	require.Equal(t, &ecs.ServiceRevisionSummary{ARN: first.TargetServiceRevisionARN, RequestedTaskCount: 3, RunningTaskCount: 3},
		sd.TargetServiceRevision)
	require.Equal(t, ecs.ServiceDeploymentRollbackMonitorsStatusDisabled, sd.DeploymentCircuitBreaker.Status)
	require.Equal(t, ecs.ServiceDeploymentRollbackMonitorsStatusDisabled, sd.Alarms.Status)
	require.Equal(t, 200, *sd.DeploymentConfiguration.MaximumPercent)

	rev := describeRevision(t, e, first.TargetServiceRevisionARN)
	require.Empty(t, cmp.Diff(ecs.ServiceRevision{
		ServiceRevisionARN: first.TargetServiceRevisionARN,
		ServiceARN:         "arn:aws:ecs:us-east-1:123456789012:service/default/web",
		ClusterARN:         "arn:aws:ecs:us-east-1:123456789012:cluster/default",
		TaskDefinition:     "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
		LaunchType:         ecs.LaunchTypeEC2,
		ContainerImages:    []ecs.ContainerImage{{ContainerName: "app", Image: "public.ecr.aws/nginx/nginx:1.27"}},
		CreatedAt:          ecs.NewTime(created),
	}, rev))

	// A new revision: a second service deployment, from the first
	// revision to the second.
	updated := advance(e, time.Minute)
	_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
	require.NoError(t, err)
	svc := describeService(t, e, "web")
	list = serviceDeployments(t, e, nil)
	require.Equal(t, []ecs.ServiceDeploymentStatus{ecs.ServiceDeploymentStatusPending, ecs.ServiceDeploymentStatusSuccessful}, statuses(list))
	require.Equal(t, list[0].ServiceDeploymentARN, svc.CurrentServiceDeployment, "describe-services names the current one")
	advance(e, 10*time.Minute)
	sd = describeDeployment(t, e, list[0].ServiceDeploymentARN)
	require.Equal(t, ecs.ServiceDeploymentStatusSuccessful, sd.Status)
	require.True(t, sd.CreatedAt.Equal(updated))
	require.Equal(t, []ecs.ServiceRevisionSummary{{ARN: first.TargetServiceRevisionARN}}, sd.SourceServiceRevisions,
		"the first revision, whose tasks are all gone")
	require.Equal(t, 3, sd.TargetServiceRevision.RunningTaskCount)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", describeRevision(t, e, sd.TargetServiceRevision.ARN).TaskDefinition)
	svc = describeService(t, e, "web")
	require.Equal(t, []ecs.ServiceCurrentRevisionSummary{{ARN: sd.TargetServiceRevision.ARN, RequestedTaskCount: 3, RunningTaskCount: 3}},
		svc.CurrentServiceRevisions)

	// Filters and pages.
	require.Len(t, serviceDeployments(t, e, &ecs.ListServiceDeploymentsRequest{
		Status: []ecs.ServiceDeploymentStatus{ecs.ServiceDeploymentStatusSuccessful}}), 2)
	require.Empty(t, serviceDeployments(t, e, &ecs.ListServiceDeploymentsRequest{
		Status: []ecs.ServiceDeploymentStatus{ecs.ServiceDeploymentStatusStopped}}))
	after := serviceDeployments(t, e, &ecs.ListServiceDeploymentsRequest{CreatedAt: &ecs.CreatedAt{After: ecs.NewTime(created)}})
	require.Equal(t, []string{list[0].ServiceDeploymentARN}, []string{after[0].ServiceDeploymentARN}, "created after, not at")
	before := serviceDeployments(t, e, &ecs.ListServiceDeploymentsRequest{CreatedAt: &ecs.CreatedAt{Before: ecs.NewTime(updated)}})
	require.Equal(t, first.ServiceDeploymentARN, before[0].ServiceDeploymentARN)
	page, err := e.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsRequest{Service: "web", MaxResults: ptr(1)})
	require.NoError(t, err)
	require.Len(t, page.ServiceDeployments, 1)
	rest, err := e.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsRequest{Service: "web", MaxResults: ptr(1), NextToken: page.NextToken})
	require.NoError(t, err)
	require.Equal(t, first.ServiceDeploymentARN, rest.ServiceDeployments[0].ServiceDeploymentARN)
	require.Empty(t, rest.NextToken)

	// Kept 90 days.
	advance(e, 91*24*time.Hour)
	require.Empty(t, serviceDeployments(t, e, nil))
	resp, err := e.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsRequest{ServiceDeploymentARNs: []string{first.ServiceDeploymentARN}})
	require.NoError(t, err)
	require.Equal(t, []ecs.Failure{{ARN: first.ServiceDeploymentARN, Reason: "MISSING"}}, resp.Failures)
}

func TestServiceDeploymentRolledBackByTheCircuitBreaker(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 3)
	require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "web:2", FailToStart: -1}))
	_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
	require.NoError(t, err)
	requireSteady(t, e, 15*time.Minute)

	list := serviceDeployments(t, e, nil)
	require.Equal(t, []ecs.ServiceDeploymentStatus{ecs.ServiceDeploymentStatusRollbackSuccessful, ecs.ServiceDeploymentStatusSuccessful},
		statuses(list))
	sd := describeDeployment(t, e, list[0].ServiceDeploymentARN)
	source := list[1].TargetServiceRevisionARN
	require.Equal(t, "ECS deployment circuit breaker: tasks failed to start.", sd.Rollback.Reason)
	require.Equal(t, source, sd.Rollback.ServiceRevisionARN, "back to the first revision")
	require.False(t, sd.Rollback.StartedAt.IsZero())
	require.False(t, sd.FinishedAt.IsZero())
	require.Equal(t, ecs.ServiceDeploymentRollbackMonitorsStatusTriggered, sd.DeploymentCircuitBreaker.Status)
	require.Equal(t, 3, sd.DeploymentCircuitBreaker.Threshold, "the breaker's least threshold")
	require.GreaterOrEqual(t, sd.DeploymentCircuitBreaker.FailureCount, 3)
	require.Equal(t, []ecs.ServiceRevisionSummary{{ARN: source, RequestedTaskCount: 0, RunningTaskCount: 0}}, sd.SourceServiceRevisions[:1],
		"the source deployment's tasks were taken over by the rollback")
	require.Len(t, serviceDeployments(t, e, &ecs.ListServiceDeploymentsRequest{}), 2, "a rollback is no service deployment of its own")
}

func TestServiceDeploymentStoppedByTheCircuitBreaker(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 3)
	require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "web:2", FailToStart: -1}))
	_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2",
		DeploymentConfiguration: &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true}}})
	require.NoError(t, err)
	advance(e, 15*time.Minute)
	list := serviceDeployments(t, e, nil)
	require.Equal(t, ecs.ServiceDeploymentStatusStopped, list[0].Status)
	require.Equal(t, "ECS deployment circuit breaker: tasks failed to start.", list[0].StatusReason)
	sd := describeDeployment(t, e, list[0].ServiceDeploymentARN)
	require.False(t, sd.StoppedAt.IsZero())
	require.Nil(t, sd.Rollback)
	require.Equal(t, ecs.ServiceDeploymentRollbackMonitorsStatusTriggered, sd.DeploymentCircuitBreaker.Status)
}

func TestServiceDeploymentStoppedByAnAlarm(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 3)
	_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2",
		DeploymentConfiguration: &ecs.DeploymentConfiguration{Alarms: &ecs.DeploymentAlarms{
			Enable: true, AlarmNames: []string{"errors", "latency"}}}})
	require.NoError(t, err)
	advance(e, 0)
	arn := serviceDeployments(t, e, nil)[0].ServiceDeploymentARN
	sd := describeDeployment(t, e, arn)
	require.Equal(t, &ecs.ServiceDeploymentAlarms{Status: ecs.ServiceDeploymentRollbackMonitorsStatusMonitoring,
		AlarmNames: []string{"errors", "latency"}}, sd.Alarms)
	e.SetAlarm(ctx, "latency", true)
	advance(e, 2*time.Minute)
	sd = describeDeployment(t, e, arn)
	require.Equal(t, ecs.ServiceDeploymentStatusStopped, sd.Status)
	require.Equal(t, &ecs.ServiceDeploymentAlarms{Status: ecs.ServiceDeploymentRollbackMonitorsStatusTriggered,
		AlarmNames: []string{"errors", "latency"}, TriggeredAlarmNames: []string{"latency"}}, sd.Alarms)
}

func TestStopServiceDeployment(t *testing.T) {
	ctx := context.Background()
	t.Run("rollback", func(t *testing.T) {
		e, _ := steadyService(t, 3)
		old := arnsOf(serviceTasks(t, e, "web"))
		// Without a circuit breaker, tasks that fail to start keep the
		// deployment in progress.
		require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "web:2", FailToStart: -1}))
		_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2",
			DeploymentConfiguration: &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{}}})
		require.NoError(t, err)
		advance(e, 5*time.Minute)
		arn := serviceDeployments(t, e, nil)[0].ServiceDeploymentARN
		require.Equal(t, ecs.ServiceDeploymentStatusInProgress, describeDeployment(t, e, arn).Status)

		resp, err := e.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentRequest{ServiceDeploymentARN: arn})
		require.NoError(t, err)
		require.Equal(t, arn, resp.ServiceDeploymentARN)
		sd := describeDeployment(t, e, arn)
		require.Equal(t, ecs.ServiceDeploymentStatusRollbackRequested, sd.Status)
		_, err = e.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentRequest{ServiceDeploymentARN: arn})
		require.NoError(t, err, "a rollback requested goes on")

		advance(e, 0)
		require.Equal(t, ecs.ServiceDeploymentStatusRollbackInProgress, describeDeployment(t, e, arn).Status)
		advance(e, 5*time.Minute)
		sd = describeDeployment(t, e, arn)
		require.Equal(t, ecs.ServiceDeploymentStatusRollbackSuccessful, sd.Status)
		require.Equal(t, sd.SourceServiceRevisions[0].ARN, sd.Rollback.ServiceRevisionARN)
		svc := describeService(t, e, "web")
		require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", svc.TaskDefinition)
		require.Equal(t, old, arnsOf(serviceTasks(t, e, "web")), "the rollback kept the first revision's tasks")

		_, err = e.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentRequest{ServiceDeploymentARN: arn})
		requireAPIError(t, err, conflictException)
	})
	t.Run("abort", func(t *testing.T) {
		e, _ := steadyService(t, 3)
		require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "web:2", FailToStart: -1}))
		_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2",
			DeploymentConfiguration: &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{}}})
		require.NoError(t, err)
		advance(e, time.Minute)
		arn := serviceDeployments(t, e, nil)[0].ServiceDeploymentARN
		_, err = e.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentRequest{ServiceDeploymentARN: arn, StopType: ecs.StopServiceDeploymentStopTypeAbort})
		require.NoError(t, err)
		require.Equal(t, ecs.ServiceDeploymentStatusStopRequested, describeDeployment(t, e, arn).Status)
		advance(e, 0)
		sd := describeDeployment(t, e, arn)
		require.Equal(t, ecs.ServiceDeploymentStatusStopped, sd.Status)
		require.False(t, sd.StoppedAt.IsZero())
		tasks := len(serviceTasks(t, e, "web"))
		advance(e, 10*time.Minute)
		require.Equal(t, tasks, len(serviceTasks(t, e, "web")), "the stopped deployment starts no more tasks")
		require.Equal(t, ecs.DeploymentRolloutStateFailed, describeService(t, e, "web").Deployments[0].RolloutState)
	})
	t.Run("refusals", func(t *testing.T) {
		e, _ := steadyService(t, 1)
		first := serviceDeployments(t, e, nil)[0].ServiceDeploymentARN
		_, err := e.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentRequest{ServiceDeploymentARN: first})
		requireAPIError(t, err, conflictException)
		_, err = e.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentRequest{ServiceDeploymentARN: first + "x"})
		requireAPIError(t, err, serviceDeploymentNotFoundException)
		_, err = e.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentRequest{ServiceDeploymentARN: first, StopType: "PAUSE"})
		requireAPIError(t, err, ecs.InvalidParameterException)
		_, err = e.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentRequest{})
		requireAPIError(t, err, ecs.InvalidParameterException)

		mustCreateService(t, e, "api", "web:1", 1)
		list, err := e.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsRequest{Service: "api"})
		require.NoError(t, err)
		_, err = e.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentRequest{ServiceDeploymentARN: list.ServiceDeployments[0].ServiceDeploymentARN})
		requireAPIError(t, err, conflictException) // a first deployment has nothing to roll back to

		_, err = e.ContinueServiceDeployment(ctx, &ecs.ContinueServiceDeploymentRequest{ServiceDeploymentARN: first, HookID: "ecs-pause-1"})
		requireAPIError(t, err, ecs.InvalidParameterException)
		_, err = e.ContinueServiceDeployment(ctx, &ecs.ContinueServiceDeploymentRequest{ServiceDeploymentARN: first + "x", HookID: "ecs-pause-1"})
		requireAPIError(t, err, serviceDeploymentNotFoundException)
	})
}

func TestServiceDeploymentSupersededAndDeleted(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 3)
	_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
	require.NoError(t, err)
	advance(e, 10*time.Second)
	_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:1", ForceNewDeployment: true})
	require.NoError(t, err)
	advance(e, 0)
	list := serviceDeployments(t, e, nil)
	require.Equal(t, []ecs.ServiceDeploymentStatus{ecs.ServiceDeploymentStatusInProgress, ecs.ServiceDeploymentStatusStopped,
		ecs.ServiceDeploymentStatusSuccessful}, statuses(list), "a newer deployment stops the one in progress")
	sd := describeDeployment(t, e, list[0].ServiceDeploymentARN)
	require.Len(t, sd.SourceServiceRevisions, 2, "both revisions that had tasks")

	_, err = e.deleteService(ctx, "", "web", true)
	require.NoError(t, err)
	advance(e, 0)
	require.Equal(t, ecs.ServiceDeploymentStatusStopped, describeDeployment(t, e, list[0].ServiceDeploymentARN).Status,
		"deleting the service stops its deployment")
}

func TestServiceDeploymentRefusals(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 1)
	tests := []struct {
		name     string
		call     func() error
		wantType string
	}{
		{"list without a service", func() error {
			_, err := e.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsRequest{})
			return err
		}, ecs.InvalidParameterException},
		{"list of an unknown service", func() error {
			_, err := e.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsRequest{Service: "api"})
			return err
		}, ecs.ServiceNotFoundException},
		{"list in an unknown cluster", func() error {
			_, err := e.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsRequest{Service: "web", Cluster: "nowhere"})
			return err
		}, ecs.ClusterNotFoundException},
		{"an unknown status", func() error {
			_, err := e.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsRequest{Service: "web", Status: []ecs.ServiceDeploymentStatus{"DONE"}})
			return err
		}, ecs.InvalidParameterException},
		{"maxResults 0", func() error {
			_, err := e.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsRequest{Service: "web", MaxResults: ptr(0)})
			return err
		}, ecs.InvalidParameterException},
		{"describe none", func() error {
			_, err := e.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsRequest{})
			return err
		}, ecs.InvalidParameterException},
		{"describe 21", func() error {
			_, err := e.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsRequest{ServiceRevisionARNs: make([]string, 21)})
			return err
		}, ecs.InvalidParameterException},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireAPIError(t, tt.call(), tt.wantType)
		})
	}
	resp, err := e.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsRequest{ServiceRevisionARNs: []string{"nothing"}})
	require.NoError(t, err)
	require.Equal(t, []ecs.Failure{{ARN: "nothing", Reason: "MISSING"}}, resp.Failures)
}

func TestServiceDeploymentsOverHTTP(t *testing.T) {
	e, _ := steadyService(t, 1)
	c := newAPIClient(t, e)
	var list ecs.ListServiceDeploymentsResponse
	c.call("ListServiceDeployments", &ecs.ListServiceDeploymentsRequest{Service: "web"}, &list)
	require.Len(t, list.ServiceDeployments, 1)
	arn := list.ServiceDeployments[0].ServiceDeploymentARN
	var desc ecs.DescribeServiceDeploymentsResponse
	c.call("DescribeServiceDeployments", &ecs.DescribeServiceDeploymentsRequest{ServiceDeploymentARNs: []string{arn}}, &desc)
	require.Equal(t, ecs.ServiceDeploymentStatusSuccessful, desc.ServiceDeployments[0].Status)
	var revs ecs.DescribeServiceRevisionsResponse
	c.call("DescribeServiceRevisions", &ecs.DescribeServiceRevisionsRequest{
		ServiceRevisionARNs: []string{desc.ServiceDeployments[0].TargetServiceRevision.ARN}}, &revs)
	require.Len(t, revs.ServiceRevisions, 1)
	require.Equal(t, conflictException, c.fail("StopServiceDeployment", &ecs.StopServiceDeploymentRequest{ServiceDeploymentARN: arn}).Type)
	require.Equal(t, serviceDeploymentNotFoundException,
		c.fail("ContinueServiceDeployment", &ecs.ContinueServiceDeploymentRequest{ServiceDeploymentARN: arn + "x", HookID: "h"}).Type)
	status, body := c.raw("DescribeServices", []byte(`{"services":["web"]}`))
	require.Equal(t, 200, status)
	require.Contains(t, string(body), `"currentServiceDeployment":"`+arn+`"`)
}
