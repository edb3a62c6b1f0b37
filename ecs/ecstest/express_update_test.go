package ecstest

import (
	"context"
	"sync"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// newExpress creates an Express service on a new ECS (no default cluster
// yet) and returns both.
func newExpress(t *testing.T) (*ECS, *ecs.ECSExpressGatewayService) {
	t.Helper()
	e := New(WithClock(NewClock(t0, 0)), WithSeed(7))
	t.Cleanup(e.Close)
	resp, err := e.CreateExpressGatewayService(context.Background(), &ecs.CreateExpressGatewayServiceRequest{
		ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole,
		PrimaryContainer: &ecs.ExpressGatewayContainer{Image: "public.ecr.aws/nginx/nginx:1.27"}})
	require.NoError(t, err)
	return e, resp.Service
}

// TestExpressConfigurationsStayActive checks that an Express service keeps
// only its active configurations (activeConfigurations, "the list of
// active service configurations for the Express service",
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ECSExpressGatewayService.html):
// after updates whose deployments completed, one is left, also inside.
func TestExpressConfigurationsStayActive(t *testing.T) {
	ctx := context.Background()
	e, x := newExpress(t)
	const updates = 20
	for i := range updates {
		_, err := e.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceRequest{ServiceARN: x.ServiceARN,
			ScalingTarget: &ecs.ExpressGatewayScalingTarget{MinTaskCount: ptr(1), MaxTaskCount: ptr(2 + i)}})
		require.NoError(t, err)
		_, err = e.Settle(ctx, "", x.ServiceName, 0)
		require.NoError(t, err)
	}
	desc, err := e.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceRequest{ServiceARN: x.ServiceARN})
	require.NoError(t, err)
	require.Len(t, desc.Service.ActiveConfigurations, 1)
	require.Equal(t, 1+updates, *desc.Service.ActiveConfigurations[0].ScalingTarget.MaxTaskCount, "the newest")
	e.mu.Lock()
	n := len(e.express[x.ServiceARN].configs)
	e.mu.Unlock()
	require.Equal(t, 1, n, "the configurations no deployment runs are not kept")

	// Updates while a deployment runs keep the configurations it runs.
	for range 2 {
		_, err := e.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceRequest{ServiceARN: x.ServiceARN, HealthCheckPath: "/health"})
		require.NoError(t, err)
	}
	desc, err = e.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceRequest{ServiceARN: x.ServiceARN})
	require.NoError(t, err)
	svcs, err := e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{x.ServiceName}})
	require.NoError(t, err)
	require.Len(t, desc.Service.ActiveConfigurations, len(svcs.Services[0].Deployments), "one for each deployment")
}

// TestExpressUpdateContainerPort checks that an update can change the
// primary container's port (ExpressGatewayContainer.containerPort,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExpressGatewayContainer.html):
// the service's load balancer then sends to it through the same target
// groups and listener rule.
func TestExpressUpdateContainerPort(t *testing.T) {
	ctx := context.Background()
	e, x := newExpress(t)
	before, err := e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{x.ServiceName}})
	require.NoError(t, err)
	up, err := e.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceRequest{ServiceARN: x.ServiceARN,
		PrimaryContainer: &ecs.ExpressGatewayContainer{Image: "public.ecr.aws/nginx/nginx:1.27", ContainerPort: ptr(8080)}})
	require.NoError(t, err)
	require.Equal(t, 8080, *up.Service.TargetConfiguration.PrimaryContainer.ContainerPort)
	after, err := e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{x.ServiceName}})
	require.NoError(t, err)
	want := before.Services[0].LoadBalancers
	want[0].ContainerPort = ptr(8080)
	require.Equal(t, want, after.Services[0].LoadBalancers)
	settled, err := e.Settle(ctx, "", x.ServiceName, 0)
	require.NoError(t, err)
	require.Equal(t, 1, settled.RunningCount)
}

// TestExpressCreateRefusedLeavesNoCluster checks that a refused
// CreateExpressGatewayService does not leave behind the default cluster it
// would have made.
func TestExpressCreateRefusedLeavesNoCluster(t *testing.T) {
	ctx := context.Background()
	e := New(WithClock(NewClock(t0, 0)), WithSeed(7))
	t.Cleanup(e.Close)
	_, err := e.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceRequest{
		ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole, CPU: "256", Memory: "8192",
		PrimaryContainer: &ecs.ExpressGatewayContainer{Image: "nginx"}})
	requireRefused(t, err, ecs.ClientException, "")
	list, err := e.ListClusters(ctx, &ecs.ListClustersRequest{})
	require.NoError(t, err)
	require.Empty(t, list.ClusterARNs, "no default cluster made")
	desc, err := e.DescribeClusters(ctx, &ecs.DescribeClustersRequest{})
	require.NoError(t, err)
	require.Empty(t, desc.Clusters)

	// A cluster that was there stays.
	e = newTestECS(t)
	_, err = e.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceRequest{
		ExecutionRoleARN: execRole, InfrastructureRoleARN: infraRole, CPU: "256", Memory: "8192",
		PrimaryContainer: &ecs.ExpressGatewayContainer{Image: "nginx"}})
	requireRefused(t, err, ecs.ClientException, "")
	list, err = e.ListClusters(ctx, &ecs.ListClustersRequest{})
	require.NoError(t, err)
	require.Len(t, list.ClusterARNs, 1)
}

// TestExpressConcurrentUpdates checks that concurrent updates of one
// Express service each build on the one before: none is lost.
func TestExpressConcurrentUpdates(t *testing.T) {
	ctx := context.Background()
	e, x := newExpress(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, req := range []ecs.UpdateExpressGatewayServiceRequest{
		{ServiceARN: x.ServiceARN, CPU: "2048", Memory: "4096"},
		{ServiceARN: x.ServiceARN, HealthCheckPath: "/health"},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.UpdateExpressGatewayService(ctx, &req)
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	desc, err := e.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceRequest{ServiceARN: x.ServiceARN})
	require.NoError(t, err)
	svcs, err := e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{x.ServiceName}})
	require.NoError(t, err)
	var newest *ecs.ExpressGatewayServiceConfiguration
	for i, d := range svcs.Services[0].Deployments {
		if d.Status == "PRIMARY" {
			newest = &desc.Service.ActiveConfigurations[i]
		}
	}
	require.NotNil(t, newest)
	require.Equal(t, "2048", newest.CPU, "the CPU update is kept")
	require.Equal(t, "/health", newest.HealthCheckPath, "the health check update is kept")
}
