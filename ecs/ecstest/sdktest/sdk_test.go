package sdktest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, 11, 21, 6, 0, 0, 0, time.UTC)

// newClient starts a server on a stopped clock and returns an SDK client
// of it, which signs its requests with dummy credentials.
func newClient(t *testing.T) *ecs.Client {
	t.Helper()
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(t0, 0)))
	t.Cleanup(e.Close)
	srv := ecstest.NewServer(e)
	t.Cleanup(srv.Close)
	return ecs.New(ecs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDECSTEST", SecretAccessKey: "ecstest"}, nil
		}),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
}

func webTaskDefinition(family string) *ecs.RegisterTaskDefinitionInput {
	return &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("nginx:1.27"), Cpu: 256, Memory: aws.Int32(512),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(80), HostPort: aws.Int32(0)}},
		}},
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("edge")}},
	}
}

func TestTaskDefinitions(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)

	for range 5 {
		_, err := client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
		require.NoError(t, err)
	}
	reg, err := client.RegisterTaskDefinition(ctx, webTaskDefinition("api"))
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/api:1", aws.ToString(reg.TaskDefinition.TaskDefinitionArn))
	require.Equal(t, types.TaskDefinitionStatusActive, reg.TaskDefinition.Status)
	require.Equal(t, t0, aws.ToTime(reg.TaskDefinition.RegisteredAt).UTC(), "timestamps are epoch numbers the SDK reads")
	require.Len(t, reg.Tags, 1)

	desc, err := client.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{
		TaskDefinition: aws.String("web"), Include: []types.TaskDefinitionField{types.TaskDefinitionFieldTags},
	})
	require.NoError(t, err)
	require.EqualValues(t, 5, desc.TaskDefinition.Revision)
	require.Equal(t, "edge", aws.ToString(desc.Tags[0].Value))

	_, err = client.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:5")})
	require.NoError(t, err)

	var arns []string
	pages := ecs.NewListTaskDefinitionsPaginator(client, &ecs.ListTaskDefinitionsInput{MaxResults: aws.Int32(2)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.TaskDefinitionArns), 2)
		arns = append(arns, page.TaskDefinitionArns...)
	}
	want := []string{"api:1", "web:1", "web:2", "web:3", "web:4"}
	for i := range want {
		want[i] = "arn:aws:ecs:us-east-1:123456789012:task-definition/" + want[i]
	}
	require.Equal(t, want, arns)

	fams, err := client.ListTaskDefinitionFamilies(ctx, &ecs.ListTaskDefinitionFamiliesInput{FamilyPrefix: aws.String("w")})
	require.NoError(t, err)
	require.Equal(t, []string{"web"}, fams.Families)
}

func TestClusters(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	for i := range 5 {
		_, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(fmt.Sprintf("c%d", i))})
		require.NoError(t, err)
	}
	var arns []string
	pages := ecs.NewListClustersPaginator(client, &ecs.ListClustersInput{MaxResults: aws.Int32(2)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		require.NoError(t, err)
		arns = append(arns, page.ClusterArns...)
	}
	require.Len(t, arns, 5)
	require.True(t, slices.IsSorted(arns))

	desc, err := client.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"c0", "missing"}})
	require.NoError(t, err)
	require.Equal(t, "ACTIVE", aws.ToString(desc.Clusters[0].Status))
	require.Equal(t, "MISSING", aws.ToString(desc.Failures[0].Reason))

	del, err := client.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("c0")})
	require.NoError(t, err)
	require.Equal(t, "INACTIVE", aws.ToString(del.Cluster.Status))
}

func TestContainerInstances(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	_, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("prod")})
	require.NoError(t, err)

	var registered []string
	for i := range 6 {
		az := fmt.Sprintf("us-east-1%c", 'a'+i%3)
		out, err := client.RegisterContainerInstance(ctx, &ecs.RegisterContainerInstanceInput{
			Cluster: aws.String("prod"),
			Attributes: []types.Attribute{
				{Name: aws.String("ecs.availability-zone"), Value: aws.String(az)},
				{Name: aws.String("ecs.instance-type"), Value: aws.String("m5.xlarge")},
			},
		})
		require.NoError(t, err)
		ci := out.ContainerInstance
		require.Regexp(t, `^arn:aws:ecs:us-east-1:123456789012:container-instance/prod/[0-9a-f]{32}$`, aws.ToString(ci.ContainerInstanceArn))
		require.Equal(t, t0, aws.ToTime(ci.RegisteredAt).UTC())
		registered = append(registered, aws.ToString(ci.ContainerInstanceArn))
	}

	var listed []string
	pages := ecs.NewListContainerInstancesPaginator(client, &ecs.ListContainerInstancesInput{Cluster: aws.String("prod"), MaxResults: aws.Int32(4)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		require.NoError(t, err)
		listed = append(listed, page.ContainerInstanceArns...)
	}
	require.ElementsMatch(t, registered, listed)

	desc, err := client.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("prod"), ContainerInstances: registered})
	require.NoError(t, err)
	zones := map[string]int{}
	for _, ci := range desc.ContainerInstances {
		for _, a := range ci.Attributes {
			if aws.ToString(a.Name) == "ecs.availability-zone" {
				zones[aws.ToString(a.Value)]++
			}
		}
		require.Equal(t, int32(4096), ci.RegisteredResources[0].IntegerValue, "CPU of an m5.xlarge")
	}
	require.Equal(t, map[string]int{"us-east-1a": 2, "us-east-1b": 2, "us-east-1c": 2}, zones)

	drained, err := client.UpdateContainerInstancesState(ctx, &ecs.UpdateContainerInstancesStateInput{
		Cluster: aws.String("prod"), ContainerInstances: registered[:2], Status: types.ContainerInstanceStatusDraining,
	})
	require.NoError(t, err)
	require.Equal(t, "DRAINING", aws.ToString(drained.ContainerInstances[0].Status))
	draining, err := client.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("prod"), Status: types.ContainerInstanceStatusDraining})
	require.NoError(t, err)
	require.ElementsMatch(t, registered[:2], draining.ContainerInstanceArns)

	_, err = client.PutAttributes(ctx, &ecs.PutAttributesInput{Cluster: aws.String("prod"), Attributes: []types.Attribute{
		{Name: aws.String("stack"), Value: aws.String("blue"), TargetId: aws.String(registered[0])},
	}})
	require.NoError(t, err)
	attrs, err := client.ListAttributes(ctx, &ecs.ListAttributesInput{
		Cluster: aws.String("prod"), TargetType: types.TargetTypeContainerInstance, AttributeName: aws.String("stack"),
	})
	require.NoError(t, err)
	require.Len(t, attrs.Attributes, 1)
	require.Equal(t, registered[0], aws.ToString(attrs.Attributes[0].TargetId))
	blue, err := client.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("prod"),
		Filter: aws.String("attribute:stack == blue or (attribute:ecs.availability-zone == us-east-1c and runningTasksCount == 0)")})
	require.NoError(t, err)
	var wantBlue []string
	for _, ci := range desc.ContainerInstances {
		for _, a := range ci.Attributes {
			if aws.ToString(a.Name) == "ecs.availability-zone" && aws.ToString(a.Value) == "us-east-1c" || aws.ToString(ci.ContainerInstanceArn) == registered[0] {
				wantBlue = append(wantBlue, aws.ToString(ci.ContainerInstanceArn))
				break
			}
		}
	}
	require.ElementsMatch(t, wantBlue, blue.ContainerInstanceArns)
	require.Len(t, blue.ContainerInstanceArns, 3)

	gone, err := client.DeregisterContainerInstance(ctx, &ecs.DeregisterContainerInstanceInput{Cluster: aws.String("prod"), ContainerInstance: aws.String(registered[5])})
	require.NoError(t, err)
	require.Equal(t, "INACTIVE", aws.ToString(gone.ContainerInstance.Status))
}

// TestErrors checks that the API's exceptions surface as the SDK's typed
// errors.
func TestErrors(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	_, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{})
	require.NoError(t, err)
	_, err = client.RegisterContainerInstance(ctx, &ecs.RegisterContainerInstanceInput{
		Attributes: []types.Attribute{{Name: aws.String("ecs.instance-type"), Value: aws.String("c5.large")}},
	})
	require.NoError(t, err)

	call := func(f func() error) error { return f() }
	tests := []struct {
		name string
		err  error
		as   func(error) bool
	}{
		{"invalid task definition", call(func() error {
			_, err := client.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
				Family: aws.String("broken"), ContainerDefinitions: []types.ContainerDefinition{}})
			return err
		}), isType[*types.ClientException]},
		{"unknown task definition", call(func() error {
			_, err := client.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("nope")})
			return err
		}), isType[*types.ClientException]},
		{"unknown cluster", call(func() error {
			_, err := client.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("nope")})
			return err
		}), isType[*types.ClusterNotFoundException]},
		{"cluster with instances", call(func() error {
			_, err := client.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("default")})
			return err
		}), isType[*types.ClusterContainsContainerInstancesException]},
		{"bad filter", call(func() error {
			_, err := client.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Filter: aws.String("attribute:stack ==")})
			return err
		}), isType[*types.InvalidParameterException]},
		{"bad maxResults", call(func() error {
			_, err := client.ListClusters(ctx, &ecs.ListClustersInput{MaxResults: aws.Int32(1000)})
			return err
		}), isType[*types.InvalidParameterException]},
		{"attribute target missing", call(func() error {
			_, err := client.PutAttributes(ctx, &ecs.PutAttributesInput{Attributes: []types.Attribute{
				{Name: aws.String("a"), Value: aws.String("b"), TargetId: aws.String("0123456789abcdef0123456789abcdef")}}})
			return err
		}), isType[*types.TargetNotFoundException]},
		{"RunTask of an unknown task definition", call(func() error {
			_, err := client.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: aws.String("web")})
			return err
		}), isType[*types.ClientException]},
		{"UpdateService of an unknown service", call(func() error {
			_, err := client.UpdateService(ctx, &ecs.UpdateServiceInput{Service: aws.String("web"), DesiredCount: aws.Int32(1)})
			return err
		}), isType[*types.ServiceNotFoundException]},
		{"CreateTaskSet of an unknown task definition", call(func() error {
			_, err := client.CreateTaskSet(ctx, &ecs.CreateTaskSetInput{Cluster: aws.String("nope"), Service: aws.String("web"), TaskDefinition: aws.String("web")})
			return err
		}), isType[*types.ClientException]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, tt.err)
			require.True(t, tt.as(tt.err), "%T: %v", errors.Unwrap(tt.err), tt.err)
			var apiErr smithy.APIError
			require.ErrorAs(t, tt.err, &apiErr)
			require.NotEmpty(t, apiErr.ErrorMessage())
		})
	}
}

func isType[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}
