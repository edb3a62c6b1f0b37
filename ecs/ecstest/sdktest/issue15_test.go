package sdktest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/stretchr/testify/require"
)

// newWorld starts a server on a stopped clock with the default cluster and
// returns an SDK client of it and the ECS behind it, whose clock the test
// moves.
func newWorld(t *testing.T) (*ecs.Client, *ecstest.ECS) {
	t.Helper()
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(t0, 0)))
	t.Cleanup(e.Close)
	srv := ecstest.NewServer(e)
	t.Cleanup(srv.Close)
	client := ecs.New(ecs.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDECSTEST", SecretAccessKey: "ecstest"}, nil
		}),
		HTTPClient: srv.Client(), RetryMaxAttempts: 1,
	})
	_, err := client.CreateCluster(context.Background(), &ecs.CreateClusterInput{})
	require.NoError(t, err)
	return client, e
}

// addInstance registers an m5.large container instance in us-east-1a and
// returns its ARN.
func addInstance(t *testing.T, client *ecs.Client, version string) string {
	t.Helper()
	in := &ecs.RegisterContainerInstanceInput{Attributes: []types.Attribute{
		{Name: aws.String("ecs.instance-type"), Value: aws.String("m5.large")},
		{Name: aws.String("ecs.availability-zone"), Value: aws.String("us-east-1a")},
	}}
	if version != "" {
		in.VersionInfo = &types.VersionInfo{AgentVersion: aws.String(version)}
	}
	out, err := client.RegisterContainerInstance(context.Background(), in)
	require.NoError(t, err)
	return aws.ToString(out.ContainerInstance.ContainerInstanceArn)
}

// TestTagsAndAccountSettings checks tags (TagResource, UntagResource,
// ListTagsForResource, include=TAGS), account settings and the cluster
// updates through the SDK, as Terraform and the CDK call them.
func TestTagsAndAccountSettings(t *testing.T) {
	ctx := context.Background()
	client, _ := newWorld(t)
	cl, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("tagged"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("edge")}}})
	require.NoError(t, err)
	arn := cl.Cluster.ClusterArn
	_, err = client.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("stage"), Value: aws.String("dev")}}})
	require.NoError(t, err)
	_, err = client.UntagResource(ctx, &ecs.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team"}})
	require.NoError(t, err)
	tags, err := client.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: arn})
	require.NoError(t, err)
	require.Len(t, tags.Tags, 1)
	require.Equal(t, "stage", aws.ToString(tags.Tags[0].Key))
	desc, err := client.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"tagged"}, Include: []types.ClusterField{types.ClusterFieldTags}})
	require.NoError(t, err)
	require.Len(t, desc.Clusters[0].Tags, 1)
	_, err = client.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("aws:owner"), Value: aws.String("me")}}})
	var invalid *types.InvalidParameterException
	require.ErrorAs(t, err, &invalid, "the aws: prefix is reserved")

	_, err = client.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultInput{Name: types.SettingNameContainerInsights, Value: aws.String("enabled")})
	require.NoError(t, err)
	settings, err := client.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{Name: types.SettingNameContainerInsights, EffectiveSettings: true})
	require.NoError(t, err)
	require.Equal(t, "enabled", aws.ToString(settings.Settings[0].Value))
	fresh, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("insights")})
	require.NoError(t, err)
	require.Equal(t, "enabled", aws.ToString(fresh.Cluster.Settings[0].Value), "a new cluster takes containerInsights")
	_, err = client.DeleteAccountSetting(ctx, &ecs.DeleteAccountSettingInput{Name: types.SettingNameContainerInsights})
	require.NoError(t, err)

	up, err := client.UpdateCluster(ctx, &ecs.UpdateClusterInput{Cluster: aws.String("tagged"),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("disabled")}}})
	require.NoError(t, err)
	require.Equal(t, "disabled", aws.ToString(up.Cluster.Settings[0].Value))
	up2, err := client.UpdateClusterSettings(ctx, &ecs.UpdateClusterSettingsInput{Cluster: aws.String("tagged"),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}}})
	require.NoError(t, err)
	require.Equal(t, "enabled", aws.ToString(up2.Cluster.Settings[0].Value))
}

// TestDeleteTaskDefinitionsSDK checks DeleteTaskDefinitions: an INACTIVE
// revision is deleted, an ACTIVE one is a failure.
func TestDeleteTaskDefinitionsSDK(t *testing.T) {
	ctx := context.Background()
	client, _ := newWorld(t)
	for range 2 {
		_, err := client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
		require.NoError(t, err)
	}
	_, err := client.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:1")})
	require.NoError(t, err)
	out, err := client.DeleteTaskDefinitions(ctx, &ecs.DeleteTaskDefinitionsInput{TaskDefinitions: []string{"web:1", "web:2"}})
	require.NoError(t, err)
	require.Len(t, out.TaskDefinitions, 1)
	require.Equal(t, types.TaskDefinitionStatusDeleteInProgress, out.TaskDefinitions[0].Status)
	require.Len(t, out.Failures, 1)
	require.Contains(t, aws.ToString(out.Failures[0].Arn), "web:2")
}

// TestServiceDeploymentsAndProtection checks service deployments (their
// list, description and revisions) and task protection through the SDK,
// as deployment tools and batch systems call them.
func TestServiceDeploymentsAndProtection(t *testing.T) {
	ctx := context.Background()
	client, e := newWorld(t)
	addInstance(t, client, "")
	_, err := client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
	require.NoError(t, err)
	_, err = client.CreateService(ctx, &ecs.CreateServiceInput{ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(2)})
	require.NoError(t, err)
	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	_, err = client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
	require.NoError(t, err)
	_, err = client.UpdateService(ctx, &ecs.UpdateServiceInput{Service: aws.String("web"), TaskDefinition: aws.String("web:2")})
	require.NoError(t, err)
	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)

	list, err := client.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Service: aws.String("web")})
	require.NoError(t, err)
	require.Len(t, list.ServiceDeployments, 2, "one per deployment, kept after it ends")
	sds, err := client.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{aws.ToString(list.ServiceDeployments[0].ServiceDeploymentArn)}})
	require.NoError(t, err)
	sd := sds.ServiceDeployments[0]
	require.Equal(t, types.ServiceDeploymentStatusSuccessful, sd.Status)
	require.Len(t, sd.SourceServiceRevisions, 1)
	revs, err := client.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{aws.ToString(sd.TargetServiceRevision.Arn)}})
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(aws.ToString(revs.ServiceRevisions[0].TaskDefinition), "web:2"))
	_, err = client.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentInput{ServiceDeploymentArn: sd.ServiceDeploymentArn, StopType: types.StopServiceDeploymentStopTypeRollback})
	var conflict *types.ConflictException
	require.ErrorAs(t, err, &conflict, "a finished deployment cannot be stopped")

	tasks, err := client.ListTasks(ctx, &ecs.ListTasksInput{ServiceName: aws.String("web")})
	require.NoError(t, err)
	kept := tasks.TaskArns[0]
	prot, err := client.UpdateTaskProtection(ctx, &ecs.UpdateTaskProtectionInput{Cluster: aws.String("default"), Tasks: []string{kept}, ProtectionEnabled: true, ExpiresInMinutes: aws.Int32(30)})
	require.NoError(t, err)
	require.True(t, prot.ProtectedTasks[0].ProtectionEnabled)
	require.Equal(t, e.Clock().Now().Add(30*time.Minute).Unix(), prot.ProtectedTasks[0].ExpirationDate.Unix(), "expires in 30 minutes")
	_, err = client.UpdateService(ctx, &ecs.UpdateServiceInput{Service: aws.String("web"), DesiredCount: aws.Int32(0)})
	require.NoError(t, err)
	e.Clock().Advance(5 * time.Minute)
	tasks, err = client.ListTasks(ctx, &ecs.ListTasksInput{ServiceName: aws.String("web")})
	require.NoError(t, err)
	require.Equal(t, []string{kept}, tasks.TaskArns, "scale-in leaves the protected task")
	got, err := client.GetTaskProtection(ctx, &ecs.GetTaskProtectionInput{Cluster: aws.String("default"), Tasks: []string{kept}})
	require.NoError(t, err)
	require.True(t, got.ProtectedTasks[0].ProtectionEnabled)
	e.Clock().Advance(30 * time.Minute)
	tasks, err = client.ListTasks(ctx, &ecs.ListTasksInput{ServiceName: aws.String("web")})
	require.NoError(t, err)
	require.Empty(t, tasks.TaskArns, "once protection expires, the task goes")
}

// TestExecAndAgentSDK checks ExecuteCommand, the agent-facing operations
// and UpdateContainerAgent through the SDK, with their typed errors.
func TestExecAndAgentSDK(t *testing.T) {
	ctx := context.Background()
	client, e := newWorld(t)
	inst := addInstance(t, client, "1.50.0")
	in := webTaskDefinition("web")
	in.TaskRoleArn = aws.String("arn:aws:iam::123456789012:role/web")
	_, err := client.RegisterTaskDefinition(ctx, in)
	require.NoError(t, err)
	run, err := client.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: aws.String("web"), EnableExecuteCommand: true})
	require.NoError(t, err)
	task := run.Tasks[0].TaskArn

	_, err = client.ExecuteCommand(ctx, &ecs.ExecuteCommandInput{Task: task, Command: aws.String("/bin/sh"), Interactive: true})
	var notConnected *types.TargetNotConnectedException
	require.ErrorAs(t, err, &notConnected, "not RUNNING yet")

	ack, err := client.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeInput{Task: task, Status: aws.String("RUNNING"),
		Containers: []types.ContainerStateChange{{ContainerName: aws.String("web"), Status: aws.String("RUNNING"), RuntimeId: aws.String("c0ffee")}}})
	require.NoError(t, err)
	require.Equal(t, "ACK", aws.ToString(ack.Acknowledgment))
	desc, err := client.DescribeTasks(ctx, &ecs.DescribeTasksInput{Tasks: []string{aws.ToString(task)}})
	require.NoError(t, err)
	require.Equal(t, "RUNNING", aws.ToString(desc.Tasks[0].LastStatus), "the agent simulator's report")
	require.Equal(t, "c0ffee", aws.ToString(desc.Tasks[0].Containers[0].RuntimeId))

	exec, err := client.ExecuteCommand(ctx, &ecs.ExecuteCommandInput{Task: task, Command: aws.String("/bin/sh"), Interactive: true})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(aws.ToString(exec.Session.SessionId), "ecs-execute-command-"))
	require.Equal(t, "web", aws.ToString(exec.ContainerName))

	_, err = client.SubmitContainerStateChange(ctx, &ecs.SubmitContainerStateChangeInput{Task: task, ContainerName: aws.String("web"), Status: aws.String("STOPPED"), ExitCode: aws.Int32(1)})
	require.NoError(t, err)
	desc, err = client.DescribeTasks(ctx, &ecs.DescribeTasksInput{Tasks: []string{aws.ToString(task)}})
	require.NoError(t, err)
	require.Equal(t, types.TaskStopCodeEssentialContainerExited, desc.Tasks[0].StopCode)

	ep, err := client.DiscoverPollEndpoint(ctx, &ecs.DiscoverPollEndpointInput{ContainerInstance: aws.String(inst)})
	require.NoError(t, err)
	require.Equal(t, "https://ecs-a-1.us-east-1.amazonaws.com/", aws.ToString(ep.Endpoint))

	up, err := client.UpdateContainerAgent(ctx, &ecs.UpdateContainerAgentInput{ContainerInstance: aws.String(inst)})
	require.NoError(t, err)
	require.Equal(t, types.AgentUpdateStatusPending, up.ContainerInstance.AgentUpdateStatus)
	e.Clock().Advance(time.Hour)
	_, err = client.UpdateContainerAgent(ctx, &ecs.UpdateContainerAgentInput{ContainerInstance: aws.String(inst)})
	var noUpdate *types.NoUpdateAvailableException
	require.ErrorAs(t, err, &noUpdate)
}

// TestNamespacesAndExpressSDK checks ListServicesByNamespace and the
// Express Gateway service operations through the SDK.
func TestNamespacesAndExpressSDK(t *testing.T) {
	ctx := context.Background()
	client, e := newWorld(t)
	_, err := client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
	require.NoError(t, err)
	_, err = client.UpdateCluster(ctx, &ecs.UpdateClusterInput{Cluster: aws.String("default"),
		ServiceConnectDefaults: &types.ClusterServiceConnectDefaultsRequest{Namespace: aws.String("shop")}})
	require.NoError(t, err)
	svc, err := client.CreateService(ctx, &ecs.CreateServiceInput{ServiceName: aws.String("cart"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(0),
		ServiceConnectConfiguration: &types.ServiceConnectConfiguration{Enabled: true}})
	require.NoError(t, err)
	ns, err := client.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceInput{Namespace: aws.String("shop")})
	require.NoError(t, err)
	require.Equal(t, []string{aws.ToString(svc.Service.ServiceArn)}, ns.ServiceArns)
	_, err = client.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceInput{Namespace: aws.String("nowhere")})
	var nsErr *types.NamespaceNotFoundException
	require.ErrorAs(t, err, &nsErr)

	created, err := client.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{
		ServiceName:           aws.String("api"),
		ExecutionRoleArn:      aws.String("arn:aws:iam::123456789012:role/ecsTaskExecutionRole"),
		InfrastructureRoleArn: aws.String("arn:aws:iam::123456789012:role/ecsInfrastructureRole"),
		PrimaryContainer:      &types.ExpressGatewayContainer{Image: aws.String("public.ecr.aws/nginx/nginx:1.27"), ContainerPort: aws.Int32(8080)},
	})
	require.NoError(t, err)
	x := created.Service
	require.Equal(t, types.ExpressGatewayServiceStatusCodeActive, x.Status.StatusCode)
	require.Equal(t, int32(8080), aws.ToInt32(x.ActiveConfigurations[0].PrimaryContainer.ContainerPort))
	require.Equal(t, "/ping", aws.ToString(x.ActiveConfigurations[0].HealthCheckPath))
	settled, err := e.Settle(ctx, "", "api", 0)
	require.NoError(t, err)
	require.Equal(t, 1, settled.RunningCount)
	revs, err := client.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{aws.ToString(x.ActiveConfigurations[0].ServiceRevisionArn)}})
	require.NoError(t, err)
	res := revs.ServiceRevisions[0].EcsManagedResources
	require.NotNil(t, res)
	require.Len(t, res.IngressPaths[0].TargetGroups, 2)
	require.Equal(t, int32(8080), res.IngressPaths[0].TargetGroups[0].Port)

	up, err := client.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceInput{ServiceArn: x.ServiceArn, HealthCheckPath: aws.String("/health")})
	require.NoError(t, err)
	require.Equal(t, "/health", aws.ToString(up.Service.TargetConfiguration.HealthCheckPath))
	desc, err := client.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: x.ServiceArn})
	require.NoError(t, err)
	require.Equal(t, aws.ToString(x.ServiceArn), aws.ToString(desc.Service.ServiceArn))
	del, err := client.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceInput{ServiceArn: x.ServiceArn})
	require.NoError(t, err)
	require.Equal(t, types.ExpressGatewayServiceStatusCodeDraining, del.Service.Status.StatusCode)
	_, err = client.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceInput{ServiceArn: x.ServiceArn})
	var notActive *types.ServiceNotActiveException
	require.ErrorAs(t, err, &notActive)
	_, err = client.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: aws.String("arn:aws:ecs:us-east-1:123456789012:service/default/none")})
	var notFound *types.ResourceNotFoundException
	require.True(t, errors.As(err, &notFound), "%v", err)
}
