package sdktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/stretchr/testify/require"
)

// TestDaemons runs a managed daemon through aws-sdk-go-v2: a daemon task
// definition, a daemon on a Managed Instances capacity provider with
// two instances (one task on each), a rolling update to a second
// revision, its deployments and revisions described, and its deletion
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons.html).
func TestDaemons(t *testing.T) {
	ctx := context.Background()
	client, e := newServer(t, 0)
	_, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("prod")})
	require.NoError(t, err)
	// A Managed Instances capacity provider (daemons run on no other) of
	// c5.large instances that never scales in idle ones; a service of two
	// tasks too large to share one instance has ECS launch two.
	cp, err := client.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("fleet"), Cluster: aws.String("prod"),
		ManagedInstancesProvider: &types.CreateManagedInstancesProviderConfiguration{
			InfrastructureRoleArn: aws.String("arn:aws:iam::123456789012:role/ecsInfrastructureRole"),
			InstanceLaunchTemplate: &types.InstanceLaunchTemplate{
				Ec2InstanceProfileArn: aws.String("arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"),
				NetworkConfiguration:  &types.ManagedInstancesNetworkConfiguration{Subnets: []string{"subnet-1"}},
				InstanceRequirements: &types.InstanceRequirementsRequest{
					VCpuCount: &types.VCpuCountRangeRequest{Min: aws.Int32(2)}, MemoryMiB: &types.MemoryMiBRequest{Min: aws.Int32(4096)},
					AllowedInstanceTypes: []string{"c5.large"},
				},
			},
			InfrastructureOptimization: &types.InfrastructureOptimization{ScaleInAfter: aws.Int32(-1)},
		}})
	require.NoError(t, err)
	_, err = client.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("prod"),
		CapacityProviders: []string{"fleet"}, DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("fleet"), Weight: 1}}})
	require.NoError(t, err)
	_, err = client.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: types.NetworkModeHost,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityManagedInstances},
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("public.ecr.aws/nginx/nginx:1.27"),
			Cpu: 1280, Memory: aws.Int32(1024), Essential: aws.Bool(true)}}})
	require.NoError(t, err)
	_, err = client.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("prod"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(2)})
	require.NoError(t, err)

	register := func(image string) string {
		out, err := client.RegisterDaemonTaskDefinition(ctx, &ecs.RegisterDaemonTaskDefinitionInput{
			Family: aws.String("agent"), Cpu: aws.String("256"), Memory: aws.String("512"),
			ContainerDefinitions: []types.DaemonContainerDefinition{{Name: aws.String("agent"), Image: aws.String(image)}},
		})
		require.NoError(t, err)
		return aws.ToString(out.DaemonTaskDefinitionArn)
	}
	v1 := register("agent:1")
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/agent:1", v1)

	created, err := client.CreateDaemon(ctx, &ecs.CreateDaemonInput{
		DaemonName: aws.String("agent"), ClusterArn: aws.String("arn:aws:ecs:us-east-1:123456789012:cluster/prod"),
		DaemonTaskDefinitionArn: aws.String(v1), CapacityProviderArns: []string{aws.ToString(cp.CapacityProvider.CapacityProviderArn)},
		DeploymentConfiguration: &types.DaemonDeploymentConfiguration{DrainPercent: aws.Float64(50)},
	})
	require.NoError(t, err)
	require.Equal(t, types.DaemonStatusActive, created.Status)
	e.Clock().Advance(3 * time.Minute)

	desc, err := client.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: created.DaemonArn})
	require.NoError(t, err)
	require.Len(t, desc.Daemon.CurrentRevisions, 1)
	require.EqualValues(t, 2, desc.Daemon.CurrentRevisions[0].TotalRunningCount, "one task on each of the two instances")

	v2 := register("agent:2")
	upd, err := client.UpdateDaemon(ctx, &ecs.UpdateDaemonInput{DaemonArn: created.DaemonArn, DaemonTaskDefinitionArn: aws.String(v2),
		CapacityProviderArns: []string{"fleet"}})
	require.NoError(t, err)
	e.Clock().Advance(15 * time.Minute)
	deps, err := client.DescribeDaemonDeployments(ctx, &ecs.DescribeDaemonDeploymentsInput{
		DaemonDeploymentArns: []string{aws.ToString(upd.DeploymentArn), "arn:aws:ecs:us-east-1:123456789012:daemon-deployment/prod/agent/nope"}})
	require.NoError(t, err)
	require.Len(t, deps.DaemonDeployments, 1)
	require.Len(t, deps.Failures, 1)
	dep := deps.DaemonDeployments[0]
	require.Equal(t, types.DaemonDeploymentStatusSuccessful, dep.Status, aws.ToString(dep.StatusReason))
	require.EqualValues(t, 2, aws.ToInt32(dep.TargetDaemonRevision.TotalRunningInstanceCount))
	revs, err := client.DescribeDaemonRevisions(ctx, &ecs.DescribeDaemonRevisionsInput{DaemonRevisionArns: []string{aws.ToString(dep.TargetDaemonRevision.Arn)}})
	require.NoError(t, err)
	require.Equal(t, v2, aws.ToString(revs.DaemonRevisions[0].DaemonTaskDefinitionArn))

	var listed []types.DaemonDeploymentSummary
	in := &ecs.ListDaemonDeploymentsInput{DaemonArn: created.DaemonArn, MaxResults: aws.Int32(1)}
	for {
		page, err := client.ListDaemonDeployments(ctx, in)
		require.NoError(t, err)
		listed = append(listed, page.DaemonDeployments...)
		if page.NextToken == nil {
			break
		}
		in.NextToken = page.NextToken
	}
	require.Len(t, listed, 2)
	require.Equal(t, aws.ToString(upd.DeploymentArn), aws.ToString(listed[0].DaemonDeploymentArn), "newest first")
	daemons, err := client.ListDaemons(ctx, &ecs.ListDaemonsInput{ClusterArn: aws.String("prod")})
	require.NoError(t, err)
	require.Len(t, daemons.DaemonSummariesList, 1)
	tds, err := client.ListDaemonTaskDefinitions(ctx, &ecs.ListDaemonTaskDefinitionsInput{Family: aws.String("agent")})
	require.NoError(t, err)
	require.Len(t, tds.DaemonTaskDefinitions, 2)

	_, err = client.DeleteDaemon(ctx, &ecs.DeleteDaemonInput{DaemonArn: created.DaemonArn})
	require.NoError(t, err)
	_, err = client.UpdateDaemon(ctx, &ecs.UpdateDaemonInput{DaemonArn: created.DaemonArn, DaemonTaskDefinitionArn: aws.String(v2),
		CapacityProviderArns: []string{"fleet"}})
	var notActive *types.DaemonNotActiveException
	require.True(t, errors.As(err, &notActive), "%v", err)
	e.Clock().Advance(15 * time.Minute)
	_, err = client.DescribeDaemon(ctx, &ecs.DescribeDaemonInput{DaemonArn: created.DaemonArn})
	var notFound *types.DaemonNotFoundException
	require.True(t, errors.As(err, &notFound), "%v", err)
	_, err = client.DeleteDaemonTaskDefinition(ctx, &ecs.DeleteDaemonTaskDefinitionInput{DaemonTaskDefinition: aws.String(v1)})
	require.NoError(t, err)
	got, err := client.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionInput{DaemonTaskDefinition: aws.String(v1)})
	require.NoError(t, err)
	require.Equal(t, types.DaemonTaskDefinitionStatusDeleted, got.DaemonTaskDefinition.Status)
}
