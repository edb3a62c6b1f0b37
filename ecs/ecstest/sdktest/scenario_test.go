package sdktest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/stretchr/testify/require"
)

// newServer starts a server whose clock runs at speed × real time and
// returns an SDK client of it and its control plane.
func newServer(t *testing.T, speed float64) (*ecs.Client, *ecstest.ECS) {
	t.Helper()
	clock := ecstest.NewClock(t0, speed)
	t.Cleanup(clock.Close)
	e := ecstest.New(ecstest.WithClock(clock))
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
	}), e
}

// sixInstances creates the cluster prod with six m5.xlarge instances over
// three Availability Zones.
func sixInstances(t *testing.T, client *ecs.Client) {
	t.Helper()
	ctx := context.Background()
	_, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("prod")})
	require.NoError(t, err)
	for i := range 6 {
		_, err := client.RegisterContainerInstance(ctx, &ecs.RegisterContainerInstanceInput{
			Cluster: aws.String("prod"),
			Attributes: []types.Attribute{
				{Name: aws.String("ecs.availability-zone"), Value: aws.String(fmt.Sprintf("us-east-1%c", 'a'+i%3))},
				{Name: aws.String("ecs.instance-type"), Value: aws.String("m5.xlarge")},
			},
		})
		require.NoError(t, err)
	}
}

// serviceZones returns how many of the service's RUNNING tasks run in
// each Availability Zone, and their task definition revisions.
func serviceZones(t *testing.T, client *ecs.Client) (map[string]int, map[string]int) {
	t.Helper()
	ctx := context.Background()
	list, err := client.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("prod"), ServiceName: aws.String("web")})
	require.NoError(t, err)
	require.NotEmpty(t, list.TaskArns)
	desc, err := client.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("prod"), Tasks: list.TaskArns})
	require.NoError(t, err)
	zones, revisions := map[string]int{}, map[string]int{}
	for _, tk := range desc.Tasks {
		require.Equal(t, "RUNNING", aws.ToString(tk.LastStatus))
		zones[aws.ToString(tk.AvailabilityZone)]++
		arn := aws.ToString(tk.TaskDefinitionArn)
		revisions[arn[strings.LastIndexByte(arn, '/')+1:]]++
	}
	return zones, revisions
}

// TestScenario is the scenario with the SDK: a service of six
// tasks spread two per zone, a rolling update to a new revision that
// completes (services-stable), a task that cannot fit and why, and an
// invalid task definition refused.
func TestScenario(t *testing.T) {
	ctx := context.Background()
	client, e := newServer(t, 0)
	sixInstances(t, client)
	for range 2 {
		_, err := client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
		require.NoError(t, err)
	}

	created, err := client.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String("prod"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int32(6),
	})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:service/prod/web", aws.ToString(created.Service.ServiceArn))
	e.Clock().Advance(2 * time.Minute)
	zones, _ := serviceZones(t, client)
	require.Equal(t, map[string]int{"us-east-1a": 2, "us-east-1b": 2, "us-east-1c": 2}, zones)

	updated, err := client.UpdateService(ctx, &ecs.UpdateServiceInput{
		Cluster: aws.String("prod"), Service: aws.String("web"), TaskDefinition: aws.String("web:2"),
	})
	require.NoError(t, err)
	require.Len(t, updated.Service.Deployments, 2)
	e.Clock().Advance(5 * time.Minute)
	waiter := ecs.NewServicesStableWaiter(client, func(o *ecs.ServicesStableWaiterOptions) { o.MinDelay, o.MaxDelay = time.Millisecond, time.Millisecond })
	out, err := waiter.WaitForOutput(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"web"}}, 10*time.Second)
	require.NoError(t, err)
	svc := out.Services[0]
	require.Len(t, svc.Deployments, 1)
	require.Equal(t, types.DeploymentRolloutStateCompleted, svc.Deployments[0].RolloutState)
	require.Equal(t, "has reached a steady state.", aws.ToString(svc.Events[0].Message)[len("(service web) "):])
	zones, revisions := serviceZones(t, client)
	require.Equal(t, map[string]int{"us-east-1a": 2, "us-east-1b": 2, "us-east-1c": 2}, zones)
	require.Equal(t, map[string]int{"web:2": 6}, revisions)

	big := webTaskDefinition("big")
	big.ContainerDefinitions[0].Memory = aws.Int32(100000)
	_, err = client.RegisterTaskDefinition(ctx, big)
	require.NoError(t, err)
	run, err := client.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("big")})
	require.NoError(t, err)
	require.Empty(t, run.Tasks)
	require.Len(t, run.Failures, 6)
	require.Equal(t, "RESOURCE:MEMORY", aws.ToString(run.Failures[0].Reason))
	require.Contains(t, aws.ToString(run.Failures[0].Arn), ":container-instance/prod/")

	_, err = client.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("broken"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("nginx"),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(80), HostPort: aws.Int32(8080)}},
		}},
		NetworkMode: types.NetworkModeAwsvpc,
	})
	require.True(t, isType[*types.ClientException](err), "%v", err)
}

// TestServicesStableAtSpeed checks that the SDK's services-stable waiter
// sees a deployment complete on a clock that runs by itself.
func TestServicesStableAtSpeed(t *testing.T) {
	ctx := context.Background()
	client, _ := newServer(t, 600)
	sixInstances(t, client)
	_, err := client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
	require.NoError(t, err)
	_, err = client.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String("prod"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(6),
	})
	require.NoError(t, err)
	waiter := ecs.NewServicesStableWaiter(client, func(o *ecs.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 100*time.Millisecond
	})
	require.NoError(t, waiter.Wait(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"web"}}, time.Minute))
}
