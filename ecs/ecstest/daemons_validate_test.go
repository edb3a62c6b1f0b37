package ecstest

import (
	"context"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestCreateDaemonRefusals: CreateDaemon's parameters as the API
// reference bounds them (docCreateDaemonAPI) and the daemon deployment
// configuration's ranges (docDaemonDeploy: bakeTimeInMinutes 0–1440).
func TestCreateDaemonRefusals(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 0)
	td := daemonTD(t, e, "agent:1")
	_, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: "other"})
	require.NoError(t, err)
	ok := func() *ecs.CreateDaemonRequest {
		return &ecs.CreateDaemonRequest{DaemonName: "agent", DaemonTaskDefinitionARN: td, CapacityProviderARNs: []string{"fleet"}}
	}
	for _, tc := range []struct {
		name   string
		change func(r *ecs.CreateDaemonRequest)
		want   string
	}{
		{"name with a dot", func(r *ecs.CreateDaemonRequest) { r.DaemonName = "my.agent" }, ecs.InvalidParameterException},
		{"no name", func(r *ecs.CreateDaemonRequest) { r.DaemonName = "" }, ecs.InvalidParameterException},
		{"unknown cluster", func(r *ecs.CreateDaemonRequest) { r.ClusterARN = "arn:aws:ecs:us-east-1:123456789012:cluster/nope" }, ecs.ClusterNotFoundException},
		{"no task definition", func(r *ecs.CreateDaemonRequest) { r.DaemonTaskDefinitionARN = "" }, ecs.InvalidParameterException},
		{"unknown task definition", func(r *ecs.CreateDaemonRequest) { r.DaemonTaskDefinitionARN = "agent:9" }, ecs.ClientException},
		{"no capacity provider", func(r *ecs.CreateDaemonRequest) { r.CapacityProviderARNs = nil }, ecs.InvalidParameterException},
		{"FARGATE", func(r *ecs.CreateDaemonRequest) { r.CapacityProviderARNs = []string{"FARGATE"} }, ecs.InvalidParameterException},
		{"unknown provider", func(r *ecs.CreateDaemonRequest) { r.CapacityProviderARNs = []string{"nope"} }, ecs.InvalidParameterException},
		{"provider twice", func(r *ecs.CreateDaemonRequest) { r.CapacityProviderARNs = []string{"fleet", "fleet"} }, ecs.InvalidParameterException},
		{"provider of another cluster", func(r *ecs.CreateDaemonRequest) { r.ClusterARN = "other" }, ecs.InvalidParameterException},
		{"drainPercent above 100", func(r *ecs.CreateDaemonRequest) {
			r.DeploymentConfiguration = &ecs.DaemonDeploymentConfiguration{DrainPercent: ptr(100.5)}
		}, ecs.InvalidParameterException},
		{"negative drainPercent", func(r *ecs.CreateDaemonRequest) {
			r.DeploymentConfiguration = &ecs.DaemonDeploymentConfiguration{DrainPercent: ptr(-1.0)}
		}, ecs.InvalidParameterException},
		{"bake time above 1440", func(r *ecs.CreateDaemonRequest) {
			r.DeploymentConfiguration = &ecs.DaemonDeploymentConfiguration{BakeTimeInMinutes: 1441}
		}, ecs.InvalidParameterException},
		{"alarms on without names", func(r *ecs.CreateDaemonRequest) {
			r.DeploymentConfiguration = &ecs.DaemonDeploymentConfiguration{Alarms: &ecs.DaemonAlarmConfiguration{Enable: true}}
		}, ecs.InvalidParameterException},
		{"propagateTags SERVICE", func(r *ecs.CreateDaemonRequest) { r.PropagateTags = "SERVICE" }, ecs.InvalidParameterException},
		{"client token too long", func(r *ecs.CreateDaemonRequest) { r.ClientToken = string(make([]byte, 37)) }, ecs.InvalidParameterException},
		{"aws: tag", func(r *ecs.CreateDaemonRequest) { r.Tags = []ecs.Tag{{Key: "aws:x", Value: "y"}} }, ecs.InvalidParameterException},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := ok()
			tc.change(req)
			_, err := e.CreateDaemon(ctx, req)
			require.Error(t, err)
			require.Equal(t, tc.want, apiErrorType(err), "%v", err)
		})
	}
	list, err := e.ListDaemons(ctx, &ecs.ListDaemonsRequest{})
	require.NoError(t, err)
	require.Empty(t, list.DaemonSummariesList, "a refused request creates nothing")

	// The client token makes a retry idempotent; a second daemon of the
	// name is refused.
	req := ok()
	req.ClientToken = "token-1"
	first, err := e.CreateDaemon(ctx, req)
	require.NoError(t, err)
	again, err := e.CreateDaemon(ctx, req)
	require.NoError(t, err)
	require.Equal(t, first, again)
	_, err = e.CreateDaemon(ctx, ok())
	require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))

	for _, arn := range []string{"", "agent", "arn:aws:ecs:us-east-1:123456789012:service/default/agent"} {
		_, err = e.DescribeDaemon(ctx, &ecs.DescribeDaemonRequest{DaemonARN: arn})
		require.Equal(t, ecs.InvalidParameterException, apiErrorType(err), "%q", arn)
	}
	_, err = e.DescribeDaemon(ctx, &ecs.DescribeDaemonRequest{DaemonARN: "arn:aws:ecs:us-east-1:123456789012:daemon/default/nope"})
	require.Equal(t, daemonNotFoundException, apiErrorType(err))
	_, err = e.DescribeDaemon(ctx, &ecs.DescribeDaemonRequest{DaemonARN: "arn:aws:ecs:us-east-1:123456789012:daemon/gone/agent"})
	require.Equal(t, ecs.ClusterNotFoundException, apiErrorType(err))
	_, err = e.DescribeDaemonDeployments(ctx, &ecs.DescribeDaemonDeploymentsRequest{})
	require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))
	_, err = e.DescribeDaemonRevisions(ctx, &ecs.DescribeDaemonRevisionsRequest{DaemonRevisionARNs: make([]string, 21)})
	require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))
	_, err = e.ListDaemonDeployments(ctx, &ecs.ListDaemonDeploymentsRequest{DaemonARN: first.DaemonARN, Status: []ecs.DaemonDeploymentStatus{"DONE"}})
	require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))
	_, err = e.ListDaemons(ctx, &ecs.ListDaemonsRequest{MaxResults: ptr(101)})
	require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))
}

// TestDaemonTaskDefinitions: revisions numbered by family, the latest
// ACTIVE one named by the family alone, only ACTIVE ones deleted, and the
// container and volume rules of daemon task definitions
// (docDaemonTaskDefs: "Daemon volumes support only bind mounts with host
// and sourcePath"; docDeleteDaemonTDAP).
func TestDaemonTaskDefinitions(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	reg := func(family string, change func(*ecs.RegisterDaemonTaskDefinitionRequest)) (string, error) {
		req := &ecs.RegisterDaemonTaskDefinitionRequest{Family: family, CPU: "0.25 vcpu", Memory: "0.5GB",
			ContainerDefinitions: []ecs.DaemonContainerDefinition{{Name: "log", Image: "fluent/fluentd:1",
				MountPoints: []ecs.MountPoint{{SourceVolume: "var-log", ContainerPath: "/var/log"}}}},
			Volumes: []ecs.DaemonVolume{{Name: "var-log", Host: &ecs.HostVolumeProperties{SourcePath: "/var/log"}}},
		}
		if change != nil {
			change(req)
		}
		resp, err := e.RegisterDaemonTaskDefinition(ctx, req)
		if err != nil {
			return "", err
		}
		return resp.DaemonTaskDefinitionARN, nil
	}
	a1, err := reg("logs", nil)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/logs:1", a1)
	a2, err := reg("logs", nil)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/logs:2", a2)
	_, err = reg("metrics", nil)
	require.NoError(t, err)

	d, err := e.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionRequest{DaemonTaskDefinition: "logs"})
	require.NoError(t, err)
	require.Equal(t, 2, d.DaemonTaskDefinition.Revision)
	require.Equal(t, "256", d.DaemonTaskDefinition.CPU, "sizes are written in CPU units and MiB")
	require.Equal(t, "512", d.DaemonTaskDefinition.Memory)
	require.Equal(t, ecs.DaemonTaskDefinitionStatusActive, d.DaemonTaskDefinition.Status)
	require.Equal(t, "arn:aws:iam::123456789012:root", d.DaemonTaskDefinition.RegisteredBy)

	for _, tc := range []struct {
		name   string
		family string
		change func(*ecs.RegisterDaemonTaskDefinitionRequest)
		want   string
	}{
		{"family with a slash", "a/b", nil, ecs.InvalidParameterException},
		{"no containers", "x", func(r *ecs.RegisterDaemonTaskDefinitionRequest) { r.ContainerDefinitions = nil }, ecs.ClientException},
		{"no image", "x", func(r *ecs.RegisterDaemonTaskDefinitionRequest) { r.ContainerDefinitions[0].Image = "" }, ecs.ClientException},
		{"no memory anywhere", "x", func(r *ecs.RegisterDaemonTaskDefinitionRequest) { r.Memory = "" }, ecs.ClientException},
		{"volume without host", "x", func(r *ecs.RegisterDaemonTaskDefinitionRequest) { r.Volumes[0].Host = nil }, ecs.ClientException},
		{"mount of no volume", "x", func(r *ecs.RegisterDaemonTaskDefinitionRequest) { r.Volumes = nil }, ecs.ClientException},
		{"bad cpu", "x", func(r *ecs.RegisterDaemonTaskDefinitionRequest) { r.CPU = "lots" }, ecs.ClientException},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := reg(tc.family, tc.change)
			require.Equal(t, tc.want, apiErrorType(err), "%v", err)
		})
	}

	// Delete: a family alone is refused, an ACTIVE revision goes
	// DELETE_IN_PROGRESS and then DELETED (no daemon runs it), and a
	// second delete is refused.
	_, err = e.DeleteDaemonTaskDefinition(ctx, &ecs.DeleteDaemonTaskDefinitionRequest{DaemonTaskDefinition: "logs"})
	require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))
	del, err := e.DeleteDaemonTaskDefinition(ctx, &ecs.DeleteDaemonTaskDefinitionRequest{DaemonTaskDefinition: "logs:2"})
	require.NoError(t, err)
	require.Equal(t, a2, del.DaemonTaskDefinitionARN)
	_, err = e.DeleteDaemonTaskDefinition(ctx, &ecs.DeleteDaemonTaskDefinitionRequest{DaemonTaskDefinition: a2})
	require.Equal(t, ecs.ClientException, apiErrorType(err))
	d, err = e.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionRequest{DaemonTaskDefinition: "logs"})
	require.NoError(t, err)
	require.Equal(t, 1, d.DaemonTaskDefinition.Revision, "the family names its latest ACTIVE revision")
	d, err = e.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionRequest{DaemonTaskDefinition: "logs:2"})
	require.NoError(t, err)
	require.Equal(t, ecs.DaemonTaskDefinitionStatusDeleted, d.DaemonTaskDefinition.Status)
	require.False(t, d.DaemonTaskDefinition.DeleteRequestedAt.IsZero())

	list := func(req ecs.ListDaemonTaskDefinitionsRequest) []string {
		resp, err := e.ListDaemonTaskDefinitions(ctx, &req)
		require.NoError(t, err)
		var out []string
		for _, s := range resp.DaemonTaskDefinitions {
			out = append(out, s.ARN[len("arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/"):])
		}
		return out
	}
	for _, tc := range []struct {
		req  ecs.ListDaemonTaskDefinitionsRequest
		want []string
	}{
		{ecs.ListDaemonTaskDefinitionsRequest{}, []string{"logs:1", "metrics:1"}},
		{ecs.ListDaemonTaskDefinitionsRequest{Sort: ecs.SortOrderDesc}, []string{"metrics:1", "logs:1"}},
		{ecs.ListDaemonTaskDefinitionsRequest{Family: "logs"}, []string{"logs:1"}},
		{ecs.ListDaemonTaskDefinitionsRequest{FamilyPrefix: "me"}, []string{"metrics:1"}},
		{ecs.ListDaemonTaskDefinitionsRequest{Revision: ecs.DaemonTaskDefinitionRevisionFilterLastRegistered}, []string{"metrics:1"}},
		{ecs.ListDaemonTaskDefinitionsRequest{Status: ecs.DaemonTaskDefinitionStatusFilterAll}, []string{"logs:1", "metrics:1"}},
	} {
		if diff := cmp.Diff(tc.want, list(tc.req)); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tc.req, diff)
		}
	}
	resp, err := e.ListDaemonTaskDefinitions(ctx, &ecs.ListDaemonTaskDefinitionsRequest{MaxResults: ptr(1)})
	require.NoError(t, err)
	require.Len(t, resp.DaemonTaskDefinitions, 1)
	require.NotEmpty(t, resp.NextToken)
	resp, err = e.ListDaemonTaskDefinitions(ctx, &ecs.ListDaemonTaskDefinitionsRequest{MaxResults: ptr(1), NextToken: resp.NextToken})
	require.NoError(t, err)
	require.Len(t, resp.DaemonTaskDefinitions, 1)
	require.Empty(t, resp.NextToken)
	_, err = e.ListDaemonTaskDefinitions(ctx, &ecs.ListDaemonTaskDefinitionsRequest{Status: "DELETED"})
	require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))
}

// TestDaemonTaskDefinitionInUse: "Existing daemons that reference the
// deleted daemon task definition continue to run", and no new daemon can
// be created with it. (docDeleteDaemonTDAP)
func TestDaemonTaskDefinitionInUse(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	td := daemonTD(t, e, "agent:1")
	created := mustCreateDaemon(t, e, td, nil)
	advance(e, 3*time.Minute)
	_, err := e.DeleteDaemonTaskDefinition(ctx, &ecs.DeleteDaemonTaskDefinitionRequest{DaemonTaskDefinition: td})
	require.NoError(t, err)
	d, err := e.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionRequest{DaemonTaskDefinition: td})
	require.NoError(t, err)
	require.Equal(t, ecs.DaemonTaskDefinitionStatusDeleteInProgress, d.DaemonTaskDefinition.Status, "a daemon runs it")
	require.Len(t, daemonTasks(t, e), 1, "the daemon goes on")
	_, err = e.UpdateDaemon(ctx, &ecs.UpdateDaemonRequest{DaemonARN: created.DaemonARN, DaemonTaskDefinitionARN: td, CapacityProviderARNs: []string{"fleet"}})
	require.Equal(t, ecs.ClientException, apiErrorType(err))
}

// TestDaemonTags: daemons and daemon task definitions are tagged on
// creation and with TagResource (the CreateDaemon and
// RegisterDaemonTaskDefinition tags members), and a daemon with
// propagateTags DAEMON gives its tasks its tags.
func TestDaemonTags(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	td := daemonTD(t, e, "agent:1")
	created, err := e.CreateDaemon(ctx, &ecs.CreateDaemonRequest{DaemonName: "agent", DaemonTaskDefinitionARN: td,
		CapacityProviderARNs: []string{"fleet"}, Tags: []ecs.Tag{{Key: "team", Value: "platform"}},
		PropagateTags: ecs.DaemonPropagateTagsDaemon, EnableECSManagedTags: true})
	require.NoError(t, err)
	advance(e, 3*time.Minute)
	for _, tk := range daemonTasks(t, e) {
		require.ElementsMatch(t, []ecs.Tag{{Key: "team", Value: "platform"}, {Key: ManagedTagClusterName, Value: "default"}}, tk.Tags)
	}
	_, err = e.TagResource(ctx, &ecs.TagResourceRequest{ResourceARN: created.DaemonARN, Tags: []ecs.Tag{{Key: "env", Value: "prod"}}})
	require.NoError(t, err)
	tags, err := e.ListTagsForResource(ctx, &ecs.ListTagsForResourceRequest{ResourceARN: created.DaemonARN})
	require.NoError(t, err)
	require.ElementsMatch(t, []ecs.Tag{{Key: "team", Value: "platform"}, {Key: "env", Value: "prod"}}, tags.Tags)
	_, err = e.TagResource(ctx, &ecs.TagResourceRequest{ResourceARN: td, Tags: []ecs.Tag{{Key: "owner", Value: "sre"}}})
	require.NoError(t, err)
	tags, err = e.ListTagsForResource(ctx, &ecs.ListTagsForResourceRequest{ResourceARN: td})
	require.NoError(t, err)
	require.Equal(t, []ecs.Tag{{Key: "owner", Value: "sre"}}, tags.Tags)
	_, err = e.ListTagsForResource(ctx, &ecs.ListTagsForResourceRequest{ResourceARN: "arn:aws:ecs:us-east-1:123456789012:daemon/default/nope"})
	require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))
}
