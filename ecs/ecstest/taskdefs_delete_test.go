package ecstest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// listedRevisions lists the revisions of the status given over HTTP.
func listedRevisions(t testing.TB, c *apiClient, status ecs.TaskDefinitionStatus) []string {
	t.Helper()
	var resp ecs.ListTaskDefinitionsResponse
	c.call("ListTaskDefinitions", &ecs.ListTaskDefinitionsRequest{Status: status}, &resp)
	return resp.TaskDefinitionARNs
}

func TestDeleteTaskDefinitions(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	c := newAPIClient(t, e)
	register(t, e, "c5.large", "us-east-1a")
	for range 3 {
		taskDef(t, e, "web", 128, 128)
	}
	arn := func(rev string) string { return "arn:aws:ecs:us-east-1:123456789012:task-definition/web:" + rev }
	task := mustRunTask(t, e, "web:2", 1).Tasks[0]
	for _, ref := range []string{"web:1", "web:2"} {
		_, err := e.Registry().Deregister(ref)
		require.NoError(t, err)
	}

	resp, err := e.DeleteTaskDefinitions(ctx, &ecs.DeleteTaskDefinitionsRequest{
		TaskDefinitions: []string{"web:1", arn("2"), "web:3", "web:9", "web"}})
	require.NoError(t, err)
	var deleted []string
	for _, td := range resp.TaskDefinitions {
		require.Equal(t, ecs.TaskDefinitionStatusDeleteInProgress, td.Status)
		require.True(t, td.DeleteRequestedAt.Equal(t0))
		deleted = append(deleted, td.TaskDefinitionARN)
	}
	require.Equal(t, []string{arn("1"), arn("2")}, deleted)
	require.Len(t, resp.Failures, 3)
	require.Empty(t, cmp.Diff([]ecs.Failure{
		{ARN: arn("3"), Reason: "The specified task definition is still in ACTIVE status. Please deregister the target and try again."},
		{ARN: arn("9"), Reason: "The specified task definition does not exist."},
	}, resp.Failures[:2]))
	require.Equal(t, "web", resp.Failures[2].ARN, "a family without a revision number is a failure")

	require.Equal(t, []string{arn("1"), arn("2")}, listedRevisions(t, c, ecs.TaskDefinitionStatusDeleteInProgress),
		"DELETE_IN_PROGRESS until the clock runs")
	_, err = e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "web:1"})
	requireAPIError(t, err, ecs.ClientException)

	advance(e, 0)
	require.Equal(t, []string{arn("2")}, listedRevisions(t, c, ecs.TaskDefinitionStatusDeleteInProgress),
		"an unused revision goes; one a task runs stays")
	_, err = e.Registry().Describe("web:1")
	require.ErrorIs(t, err, ecs.ErrNotFound)

	_, err = e.stopTaskRef(ctx, "", task.TaskARN, "")
	require.NoError(t, err)
	advance(e, 2*time.Minute)
	require.Empty(t, listedRevisions(t, c, ecs.TaskDefinitionStatusDeleteInProgress), "once its task stopped, it goes too")
	require.Equal(t, []string{arn("3")}, listedRevisions(t, c, ""))

	// The last revision of a family: the family is gone.
	_, err = e.Registry().Deregister("web:3")
	require.NoError(t, err)
	var out ecs.DeleteTaskDefinitionsResponse
	c.call("DeleteTaskDefinitions", &ecs.DeleteTaskDefinitionsRequest{TaskDefinitions: []string{"web:3"}}, &out)
	require.Len(t, out.TaskDefinitions, 1)
	advance(e, 0)
	var fams ecs.ListTaskDefinitionFamiliesResponse
	c.call("ListTaskDefinitionFamilies", &ecs.ListTaskDefinitionFamiliesRequest{}, &fams)
	require.False(t, slices.Contains(fams.Families, "web"))
	require.Equal(t, 4, taskDef(t, e, "web", 128, 128).Revision, "numbers are not given again")

	require.Equal(t, ecs.InvalidParameterException, c.fail("DeleteTaskDefinitions", &ecs.DeleteTaskDefinitionsRequest{}).Type)
}

func TestDeleteTaskDefinitionOfAService(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	register(t, e, "c5.large", "us-east-1a")
	taskDef(t, e, "web", 128, 128)
	mustCreateService(t, e, "web", "web:1", 2)
	advance(e, time.Minute)
	_, err := e.Registry().Deregister("web:1")
	require.NoError(t, err)
	_, err = e.DeleteTaskDefinitions(ctx, &ecs.DeleteTaskDefinitionsRequest{TaskDefinitions: []string{"web:1"}})
	require.NoError(t, err)

	_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(3)})
	require.NoError(t, err, "a service scales with a revision being deleted")
	advance(e, 5*time.Minute)
	require.Equal(t, 3, describeService(t, e, "web").RunningCount)
	td, err := e.Registry().Describe("web:1")
	require.NoError(t, err)
	require.Equal(t, ecs.TaskDefinitionStatusDeleteInProgress, td.Status, "the service uses it")

	_, err = e.deleteService(ctx, "", "web", true)
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	_, err = e.Registry().Describe("web:1")
	require.ErrorIs(t, err, ecs.ErrNotFound, "gone once the service is")
}
