package ecstest

import (
	"context"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
)

func TestCreateCluster(t *testing.T) {
	e := New(WithClock(NewClock(t0, 0)))
	defer e.Close()
	c := newAPIClient(t, e)

	var def ecs.CreateClusterResponse
	c.call("CreateCluster", ecs.CreateClusterRequest{}, &def)
	want := &ecs.Cluster{
		ClusterARN:  "arn:aws:ecs:us-east-1:123456789012:cluster/default",
		ClusterName: "default",
		Status:      "ACTIVE",
		Settings:    []ecs.ClusterSetting{{Name: "containerInsights", Value: "disabled"}},
	}
	if diff := cmp.Diff(want, def.Cluster, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("default cluster (-want +got):\n%s", diff)
	}

	req := ecs.CreateClusterRequest{
		ClusterName:       "prod",
		Tags:              []ecs.Tag{{Key: "env", Value: "prod"}},
		Settings:          []ecs.ClusterSetting{{Name: "containerInsights", Value: "enabled"}},
		CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{
			{CapacityProvider: "FARGATE", Weight: 1, Base: 1},
		},
	}
	var prod ecs.CreateClusterResponse
	c.call("CreateCluster", req, &prod)
	require.Equal(t, req.Tags, prod.Cluster.Tags)
	require.Equal(t, req.Settings, prod.Cluster.Settings)

	again := req
	again.Tags = nil
	var same ecs.CreateClusterResponse
	c.call("CreateCluster", again, &same)
	if diff := cmp.Diff(prod, same); diff != "" {
		t.Fatalf("creating an ACTIVE cluster again returns it unchanged (-first +again):\n%s", diff)
	}
}

func TestCreateClusterRefuses(t *testing.T) {
	c := newAPIClient(t, newTestECS(t))
	for name, req := range map[string]ecs.CreateClusterRequest{
		"bad name":              {ClusterName: "my cluster"},
		"long name":             {ClusterName: string(make([]byte, 256))},
		"unknown setting":       {Settings: []ecs.ClusterSetting{{Name: "speed", Value: "fast"}}},
		"bad insights value":    {Settings: []ecs.ClusterSetting{{Name: "containerInsights", Value: "yes"}}},
		"unknown provider":      {CapacityProviders: []string{"my-asg"}},
		"strategy not provided": {DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "FARGATE"}}},
		"aws tag":               {Tags: []ecs.Tag{{Key: "aws:x", Value: "y"}}},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, "InvalidParameterException", c.fail("CreateCluster", req).Type)
		})
	}
}

func TestDescribeClusters(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	c.call("CreateCluster", ecs.CreateClusterRequest{ClusterName: "tagged", Tags: []ecs.Tag{{Key: "k", Value: "v"}}}, nil)
	register(t, e, "c5.large", "us-east-1a")
	register(t, e, "c5.large", "us-east-1b")

	var out ecs.DescribeClustersResponse
	c.call("DescribeClusters", ecs.DescribeClustersRequest{
		Clusters: []string{"default", "arn:aws:ecs:us-east-1:123456789012:cluster/tagged", "gone",
			"arn:aws:ecs:eu-west-1:123456789012:cluster/default"},
	}, &out)
	require.Len(t, out.Clusters, 2)
	require.Equal(t, 2, out.Clusters[0].RegisteredContainerInstancesCount)
	require.Empty(t, out.Clusters[1].Tags, "tags only when included")
	require.Empty(t, out.Clusters[1].Settings, "settings only when included")
	want := []ecs.Failure{
		{ARN: "arn:aws:ecs:us-east-1:123456789012:cluster/gone", Reason: "MISSING"},
		{ARN: "arn:aws:ecs:eu-west-1:123456789012:cluster/default", Reason: "MISSING"},
	}
	if diff := cmp.Diff(want, out.Failures); diff != "" {
		t.Fatalf("failures (-want +got):\n%s", diff)
	}

	var inc ecs.DescribeClustersResponse
	c.call("DescribeClusters", ecs.DescribeClustersRequest{Clusters: []string{"tagged"}, Include: []ecs.ClusterField{"TAGS", "SETTINGS"}}, &inc)
	require.Equal(t, []ecs.Tag{{Key: "k", Value: "v"}}, inc.Clusters[0].Tags)
	require.NotEmpty(t, inc.Clusters[0].Settings)

	var def ecs.DescribeClustersResponse
	c.call("DescribeClusters", ecs.DescribeClustersRequest{}, &def)
	require.Equal(t, "default", def.Clusters[0].ClusterName, "no clusters means the default one")
	require.Equal(t, "InvalidParameterException", c.fail("DescribeClusters", ecs.DescribeClustersRequest{Include: []ecs.ClusterField{"EVERYTHING"}}).Type)
}

func TestDeleteCluster(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	ci := register(t, e, "c5.large", "us-east-1a")

	_, err := e.deleteCluster(ctx, "default")
	requireAPIError(t, err, "ClusterContainsContainerInstancesException")

	_, err = e.deregisterContainerInstance(ctx, "", ci.ContainerInstanceARN, false)
	require.NoError(t, err)
	deleted, err := e.deleteCluster(ctx, "default")
	require.NoError(t, err)
	require.Equal(t, "INACTIVE", deleted.Status)

	_, err = e.deleteCluster(ctx, "default")
	requireAPIError(t, err, "ClusterNotFoundException")
	_, err = e.LaunchInstance(ctx, "", Instance{InstanceType: "c5.large"})
	requireAPIError(t, err, "ClusterNotFoundException")
	arns, err := e.listClusters(ctx)
	require.NoError(t, err)
	require.Empty(t, arns, "deleted clusters are not listed")
	list, _, err := e.describeClusters(ctx, []string{"default"})
	require.NoError(t, err)
	require.Equal(t, "INACTIVE", list[0].Status, "deleted clusters are described")

	again, err := e.createCluster(ctx, ecs.Cluster{})
	require.NoError(t, err)
	require.Equal(t, "ACTIVE", again.Status)
	require.Zero(t, again.RegisteredContainerInstancesCount, "a cluster made again is empty")
}

// requireAPIError requires err to be an *ecs.APIError of type typ.
func requireAPIError(t testing.TB, err error, typ string) *ecs.APIError {
	t.Helper()
	var apiErr *ecs.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, typ, apiErr.Type, apiErr.Message)
	return apiErr
}
