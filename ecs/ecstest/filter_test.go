package ecstest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// filterCluster registers five instances that differ in what the cluster
// query language looks at, and returns them by name:
//
//	a: m5.large in us-east-1a, stack=blue, agent 1.89.2, 2 tasks of family:web RUNNING
//	b: m5.large in us-east-1b, agent 1.14.0, DRAINING
//	c: c5.xlarge in us-east-1c, agent disconnected
//	d: c5.xlarge in us-east-1a, 1 task of family:api RUNNING
//	x: m5.large in us-east-1a, stack=blue, deregistered
func filterCluster(t *testing.T, e *ECS) map[string]string {
	t.Helper()
	ctx := context.Background()
	arns := map[string]string{}
	for _, in := range []struct {
		name, typ, az, agent string
	}{
		{"a", "m5.large", "us-east-1a", "1.89.2"},
		{"b", "m5.large", "us-east-1b", "1.14.0"},
		{"c", "c5.xlarge", "us-east-1c", "1.89.2"},
		{"d", "c5.xlarge", "us-east-1a", "1.89.2"},
		{"x", "m5.large", "us-east-1a", "1.89.2"},
	} {
		ci, err := e.LaunchInstance(ctx, "", Instance{InstanceType: in.typ, AvailabilityZone: in.az,
			VersionInfo: &ecs.VersionInfo{AgentVersion: in.agent}})
		require.NoError(t, err)
		arns[in.name] = ci.ContainerInstanceARN
	}
	for _, name := range []string{"a", "x"} {
		_, err := e.putAttributes(ctx, "", []ecs.Attribute{{Name: "stack", Value: "blue", TargetID: arns[name]}})
		require.NoError(t, err)
	}
	taskDef(t, e, "web", 256, 256)
	taskDef(t, e, "api", 256, 256)
	on := func(name string) []ecs.PlacementConstraint {
		return []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeMemberOf, Expression: "ec2InstanceId == " + ec2Of(t, e, arns[name])}}
	}
	for _, run := range []struct {
		family, on string
		count      int
	}{{"web", "a", 2}, {"api", "d", 1}} {
		resp, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: run.family, Count: ptr(run.count), PlacementConstraints: on(run.on)})
		require.NoError(t, err)
		require.Len(t, resp.Tasks, run.count, "%+v", resp.Failures)
	}
	advance(e, time.Minute)
	_, _, err := e.updateContainerInstancesState(ctx, "", []string{arns["b"]}, "DRAINING")
	require.NoError(t, err)
	require.NoError(t, e.DisconnectAgent(ctx, "", arns["c"]))
	_, err = e.deregisterContainerInstance(ctx, "", arns["x"], false)
	require.NoError(t, err)
	return arns
}

// ec2Of returns the EC2 instance ID of the container instance arn.
func ec2Of(t *testing.T, e *ECS, arn string) string {
	t.Helper()
	list, _, err := e.describeContainerInstances(context.Background(), "", []string{arn})
	require.NoError(t, err)
	return list[0].EC2InstanceID
}

// TestListContainerInstancesFilter lists with a filter through the Go API
// and over HTTP: the instances the expression holds for, among those of
// the status asked for (every one but INACTIVE by default).
func TestListContainerInstancesFilter(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	arns := filterCluster(t, e)
	c := newAPIClient(t, e)
	for _, tc := range []struct {
		status, filter string
		want           string // instance names
	}{
		{"", "attribute:ecs.instance-type == m5.large", "a b"},
		{"", "attribute:ecs.availability-zone in [us-east-1a, us-east-1c]", "a c d"},
		{"", "attribute:ecs.instance-type =~ c5.*", "c d"},
		{"", "attribute:stack exists", "a"},
		{"", "attribute:stack !exists", "b c d"},
		{"", "task:group == family:web", "a"},
		{"", "not(task:group exists)", "b c"},
		{"", "runningTasksCount > 0", "a d"},
		{"", "runningTasksCount == 2", "a"},
		{"", "agentConnected == false", "c"},
		{"", "agentVersion < 1.20.0", "b"},
		{"", "ec2InstanceId == " + ec2Of(t, e, arns["d"]), "d"},
		{"", "registeredAt >= 2025-11-21", "a b c d"},
		{"", "attribute:ecs.availability-zone == us-east-1a and not(task:group == family:web)", "d"},
		{"ACTIVE", "attribute:ecs.instance-type == m5.large", "a"},
		{"DRAINING", "attribute:ecs.instance-type == m5.large", "b"},
		{"DRAINING", "agentConnected == false", ""},
		{"", "attribute:nosuch == x", ""},
	} {
		t.Run(tc.status+" "+tc.filter, func(t *testing.T) {
			want := []string{}
			for _, name := range strings.Fields(tc.want) {
				want = append(want, arns[name])
			}
			slices.Sort(want)
			got, err := e.listContainerInstances(ctx, "", tc.status, tc.filter)
			require.NoError(t, err)
			require.Equal(t, want, got)

			var resp ecs.ListContainerInstancesResponse
			c.call("ListContainerInstances", ecs.ListContainerInstancesRequest{
				Status: ecs.ContainerInstanceStatus(tc.status), Filter: tc.filter}, &resp)
			require.Equal(t, want, resp.ContainerInstanceARNs)
		})
	}

	// Pages of a filtered list.
	var listed []string
	token := ""
	for {
		var resp ecs.ListContainerInstancesResponse
		c.call("ListContainerInstances", ecs.ListContainerInstancesRequest{
			Filter: "attribute:ecs.availability-zone != us-east-1b", MaxResults: ptr(1), NextToken: token}, &resp)
		require.LessOrEqual(t, len(resp.ContainerInstanceARNs), 1)
		listed = append(listed, resp.ContainerInstanceARNs...)
		if token = resp.NextToken; token == "" {
			break
		}
	}
	require.Equal(t, slices.Sorted(slices.Values([]string{arns["a"], arns["c"], arns["d"]})), listed)

	// A filter follows the cluster: tasks stopping leave their group.
	web, err := e.listTasks(ctx, "", taskFilter{Family: "web"})
	require.NoError(t, err)
	require.Len(t, web, 2)
	for _, tk := range web {
		_, err := e.stopTaskRef(ctx, "", tk, "")
		require.NoError(t, err)
	}
	got, err := e.listContainerInstances(ctx, "", "", "task:group == family:web")
	require.NoError(t, err)
	require.Empty(t, got)
}

// An invalid filter is the API's InvalidParameterException, through the
// Go API and over HTTP.
func TestListContainerInstancesBadFilter(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	register(t, e, "m5.large", "us-east-1a")
	c := newAPIClient(t, e)
	for _, filter := range []string{
		"attribute:stack",
		"runningTasksCount == lots",
		"agentVersion =~ 1.*",
		"attribute:ecs.instance-type == m5.large and",
		"(attribute:a == b",
		strings.Repeat("attribute:a == b or ", 100) + "attribute:a == b",
	} {
		t.Run(filter, func(t *testing.T) {
			_, err := e.listContainerInstances(ctx, "", "", filter)
			requireAPIError(t, err, "InvalidParameterException")
			ae := c.fail("ListContainerInstances", ecs.ListContainerInstancesRequest{Filter: filter})
			require.Equal(t, "InvalidParameterException", ae.Type)
			if len(filter) > 2000 {
				require.Contains(t, ae.Message, "must not exceed 2000 characters")
			} else {
				require.Contains(t, ae.Message, "Invalid cluster query language expression")
				require.Contains(t, ae.Message, filter)
			}
		})
	}
	ae := c.fail("ListContainerInstances", ecs.ListContainerInstancesRequest{Cluster: "nope", Filter: "attribute:a == b"})
	require.Equal(t, "ClusterNotFoundException", ae.Type)
}
