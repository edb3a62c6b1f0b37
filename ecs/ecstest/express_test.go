package ecstest

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

const (
	execRole  = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
	infraRole = "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForExpressServices"
)

// TestExpressGatewayService checks an Express Gateway service through its
// life, as the Express Mode guide
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html)
// and the API reference describe it: the default cluster made with
// FARGATE, the defaults of a request that gives only the image and roles,
// the ECS service it runs (Fargate, behind a load balancer, canary
// deployments) to steady, the managed resources on its service revision,
// an update that deploys a new revision, and its deletion.
func TestExpressGatewayService(t *testing.T) {
	ctx := context.Background()
	e := New(WithClock(NewClock(t0, 0)), WithSeed(7)) // no default cluster yet
	t.Cleanup(e.Close)

	resp, err := e.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceRequest{
		ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole,
		PrimaryContainer: &ecs.ExpressGatewayContainer{Image: "public.ecr.aws/nginx/nginx:1.27"},
		Tags:             []ecs.Tag{{Key: "app", Value: "web"}},
	})
	require.NoError(t, err)
	x := resp.Service
	require.Regexp(t, regexp.MustCompile(`^nginx-[0-9a-f]{8}$`), x.ServiceName, "a name made from the image")
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:service/default/"+x.ServiceName, x.ServiceARN)
	require.Equal(t, ecs.ExpressGatewayServiceStatusCode("ACTIVE"), x.Status.StatusCode)
	require.Equal(t, infraRole, x.InfrastructureRoleARN)
	require.Len(t, x.ActiveConfigurations, 1)
	cfg := x.ActiveConfigurations[0]
	require.Equal(t, "1024", cfg.CPU)
	require.Equal(t, "2048", cfg.Memory)
	require.Equal(t, "/ping", cfg.HealthCheckPath)
	require.Equal(t, 80, *cfg.PrimaryContainer.ContainerPort)
	require.Equal(t, ecs.ExpressGatewayScalingTarget{MinTaskCount: ptr(1), MaxTaskCount: ptr(20),
		AutoScalingMetric: ecs.ExpressGatewayServiceScalingMetricAverageCPU, AutoScalingTargetValue: ptr(60)}, *cfg.ScalingTarget)
	require.Len(t, cfg.NetworkConfiguration.Subnets, 3, "the default VPC's subnets")
	require.Len(t, cfg.IngressPaths, 1)
	require.Equal(t, ecs.AccessTypePublic, cfg.IngressPaths[0].AccessType)
	require.True(t, strings.HasSuffix(cfg.IngressPaths[0].Endpoint, ".ecs.us-east-1.on.aws"), cfg.IngressPaths[0].Endpoint)
	require.NotEmpty(t, x.CurrentDeployment)

	clusters, err := e.DescribeClusters(ctx, &ecs.DescribeClustersRequest{})
	require.NoError(t, err)
	require.Equal(t, []string{"FARGATE"}, clusters.Clusters[0].CapacityProviders, "the default cluster, made with Fargate")

	svcs, err := e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{x.ServiceName}})
	require.NoError(t, err)
	svc := svcs.Services[0]
	require.Equal(t, ecs.LaunchTypeFargate, svc.LaunchType)
	require.Equal(t, 1, svc.DesiredCount)
	require.Equal(t, ecs.DeploymentStrategyCanary, svc.DeploymentConfiguration.Strategy)
	require.Equal(t, 5.0, svc.DeploymentConfiguration.CanaryConfiguration.CanaryPercent)
	require.Len(t, svc.LoadBalancers, 1)
	td, err := e.Registry().Describe(svc.TaskDefinition)
	require.NoError(t, err)
	require.Equal(t, ecs.NetworkModeAwsvpc, td.NetworkMode)
	require.Equal(t, execRole, td.ExecutionRoleARN)
	require.Equal(t, "public.ecr.aws/nginx/nginx:1.27", td.ContainerDefinitions[0].Image)
	require.Equal(t, "awslogs", string(td.ContainerDefinitions[0].LogConfiguration.LogDriver))

	settled, err := e.Settle(ctx, "", x.ServiceName, 0)
	require.NoError(t, err)
	require.Equal(t, 1, settled.RunningCount)

	revs, err := e.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsRequest{ServiceRevisionARNs: []string{cfg.ServiceRevisionARN}})
	require.NoError(t, err)
	res := revs.ServiceRevisions[0].ECSManagedResources
	require.NotNil(t, res, "the revision carries the managed resources")
	ip := res.IngressPaths[0]
	require.True(t, strings.HasPrefix(ip.LoadBalancer.ARN, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/"), ip.LoadBalancer.ARN)
	require.Equal(t, "internet-facing", ip.LoadBalancer.Scheme)
	require.Len(t, ip.TargetGroups, 2, "production and alternate, for canary deployments")
	require.Equal(t, svc.LoadBalancers[0].TargetGroupARN, ip.TargetGroups[0].ARN)
	require.Equal(t, ManagedActive, ip.TargetGroups[0].Status)
	require.Equal(t, "/ping", ip.TargetGroups[0].HealthCheckPath)
	require.Equal(t, ip.Rule.ARN, svc.LoadBalancers[0].AdvancedConfiguration.ProductionListenerRule)
	require.Equal(t, 1, res.AutoScaling.ScalableTarget.MinCapacity)
	require.Equal(t, 20, res.AutoScaling.ScalableTarget.MaxCapacity)
	require.Equal(t, "ECSServiceAverageCPUUtilization", res.AutoScaling.ApplicationAutoScalingPolicies[0].Metric)
	require.Equal(t, "TargetTrackingScaling", res.AutoScaling.ApplicationAutoScalingPolicies[0].PolicyType)
	require.Equal(t, "/aws/ecs/default/"+x.ServiceName, res.LogGroups[0].LogGroupName)

	desc, err := e.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceRequest{ServiceARN: x.ServiceARN})
	require.NoError(t, err)
	require.Empty(t, desc.Service.Tags, "tags only when asked")
	desc, err = e.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceRequest{ServiceARN: x.ServiceARN,
		Include: []ecs.ExpressGatewayServiceInclude{ecs.ExpressGatewayServiceIncludeTags}})
	require.NoError(t, err)
	require.Equal(t, []ecs.Tag{{Key: "app", Value: "web"}}, desc.Service.Tags)

	up, err := e.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceRequest{ServiceARN: x.ServiceARN,
		CPU: "2048", Memory: "4096", ScalingTarget: &ecs.ExpressGatewayScalingTarget{MinTaskCount: ptr(2), MaxTaskCount: ptr(4)}})
	require.NoError(t, err)
	require.Equal(t, "2048", up.Service.TargetConfiguration.CPU)
	require.Equal(t, "/ping", up.Service.TargetConfiguration.HealthCheckPath, "what the update leaves out stays")
	require.NotEqual(t, cfg.ServiceRevisionARN, up.Service.TargetConfiguration.ServiceRevisionARN)
	svcs, err = e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{x.ServiceName}})
	require.NoError(t, err)
	require.Equal(t, 2, svcs.Services[0].DesiredCount, "within the new scaling target")
	require.True(t, strings.HasSuffix(svcs.Services[0].TaskDefinition, ":2"))
	desc, err = e.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceRequest{ServiceARN: x.ServiceARN})
	require.NoError(t, err)
	require.Len(t, desc.Service.ActiveConfigurations, 2, "both revisions during the deployment")
	settled, err = e.Settle(ctx, "", x.ServiceName, 0)
	require.NoError(t, err)
	require.Equal(t, 2, settled.RunningCount)
	desc, err = e.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceRequest{ServiceARN: x.ServiceARN})
	require.NoError(t, err)
	require.Len(t, desc.Service.ActiveConfigurations, 1)
	require.Equal(t, "2048", desc.Service.ActiveConfigurations[0].CPU)

	del, err := e.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceRequest{ServiceARN: x.ServiceARN})
	require.NoError(t, err)
	require.Equal(t, ecs.ExpressGatewayServiceStatusCode("DRAINING"), del.Service.Status.StatusCode)
	_, err = e.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceRequest{ServiceARN: x.ServiceARN, CPU: "512"})
	requireRefused(t, err, ecs.ServiceNotActiveException, "DRAINING")
	advance(e, 10*time.Minute)
	desc, err = e.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceRequest{ServiceARN: x.ServiceARN})
	require.NoError(t, err)
	require.Equal(t, ecs.ExpressGatewayServiceStatusCode("INACTIVE"), desc.Service.Status.StatusCode)
}

// ManagedActive is the status of a managed resource ECS has made.
const ManagedActive = ecs.ManagedResourceStatusActive

// TestExpressGatewayServiceRefusals checks what CreateExpressGatewayService,
// DescribeExpressGatewayService and UpdateExpressGatewayService refuse,
// and that a refused create makes nothing.
func TestExpressGatewayServiceRefusals(t *testing.T) {
	ctx := context.Background()
	image := &ecs.ExpressGatewayContainer{Image: "nginx"}
	tests := []struct {
		name             string
		req              ecs.CreateExpressGatewayServiceRequest
		errType, message string
	}{
		{"no execution role", ecs.CreateExpressGatewayServiceRequest{InfrastructureRoleARN: infraRole, PrimaryContainer: image}, ecs.InvalidParameterException, "executionRoleArn is required"},
		{"no infrastructure role", ecs.CreateExpressGatewayServiceRequest{ExecutionRoleARN: execRole, PrimaryContainer: image}, ecs.InvalidParameterException, "infrastructureRoleArn is required"},
		{"a role that is not one", ecs.CreateExpressGatewayServiceRequest{ExecutionRoleARN: "admin", InfrastructureRoleARN: infraRole, PrimaryContainer: image}, ecs.InvalidParameterException, "not the ARN of an IAM role"},
		{"no image", ecs.CreateExpressGatewayServiceRequest{ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole, PrimaryContainer: &ecs.ExpressGatewayContainer{}}, ecs.InvalidParameterException, "primaryContainer.image is required"},
		{"a health check path without a slash", ecs.CreateExpressGatewayServiceRequest{ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole, PrimaryContainer: image, HealthCheckPath: "health"}, ecs.InvalidParameterException, "forward slash"},
		{"a port out of range", ecs.CreateExpressGatewayServiceRequest{ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole, PrimaryContainer: &ecs.ExpressGatewayContainer{Image: "nginx", ContainerPort: ptr(70000)}}, ecs.InvalidParameterException, "containerPort"},
		{"max below min", ecs.CreateExpressGatewayServiceRequest{ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole, PrimaryContainer: image,
			ScalingTarget: &ecs.ExpressGatewayScalingTarget{MinTaskCount: ptr(3), MaxTaskCount: ptr(2)}}, ecs.InvalidParameterException, "less than minTaskCount"},
		{"a size Fargate does not have", ecs.CreateExpressGatewayServiceRequest{ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole, PrimaryContainer: image, CPU: "256", Memory: "8192"}, ecs.ClientException, ""},
		{"no such cluster", ecs.CreateExpressGatewayServiceRequest{ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole, PrimaryContainer: image, Cluster: "nope"}, ecs.ClusterNotFoundException, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestECS(t)
			_, err := e.CreateExpressGatewayService(ctx, &tt.req)
			requireRefused(t, err, tt.errType, tt.message)
			list, err := e.ListServices(ctx, &ecs.ListServicesRequest{})
			require.NoError(t, err)
			require.Empty(t, list.ServiceARNs, "no service made")
			fams, err := e.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsRequest{Status: ecs.TaskDefinitionStatusActive})
			require.NoError(t, err)
			require.Empty(t, fams.TaskDefinitionARNs, "no task definition left ACTIVE")
		})
	}

	e := newTestECS(t)
	td := taskDef(t, e, "web", 128, 128)
	plain := mustCreateService(t, e, "web", td.TaskDefinitionARN, 0)
	_, err := e.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceRequest{ServiceARN: plain.ServiceARN})
	requireRefused(t, err, ecs.ResourceNotFoundException, "not found")
	_, err = e.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceRequest{ServiceARN: plain.ServiceARN})
	requireRefused(t, err, ecs.ServiceNotFoundException, "not found")
	_, err = e.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceRequest{})
	requireRefused(t, err, ecs.InvalidParameterException, "serviceArn is required")
	_, err = e.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceRequest{ServiceName: "web",
		ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole, PrimaryContainer: image})
	requireRefused(t, err, ecs.InvalidParameterException, "not idempotent")
}
