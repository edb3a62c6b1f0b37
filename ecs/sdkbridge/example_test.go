package sdkbridge_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/ecscore/ecscore/ecs/sdkbridge"
	"github.com/ecscore/ecscore/placement"
)

// A program that calls ECS through the SDK describes its cluster's
// container instances and a task definition, converts them, and asks the
// library where four tasks would go, and why the fourth does not fit. Here
// the cluster is the in-memory ECS of package ecstest; against AWS only
// the client's options differ.
func Example() {
	ctx := context.Background()
	client, done := cluster(ctx)
	defer done()

	arns, err := client.ListContainerInstances(ctx, &sdk.ListContainerInstancesInput{Cluster: aws.String("prod")})
	check(err)
	desc, err := client.DescribeContainerInstances(ctx, &sdk.DescribeContainerInstancesInput{
		Cluster: aws.String("prod"), ContainerInstances: arns.ContainerInstanceArns})
	check(err)
	td, err := client.DescribeTaskDefinition(ctx, &sdk.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web")})
	check(err)

	instances, err := sdkbridge.ContainerInstances(desc.ContainerInstances)
	check(err)
	web, err := sdkbridge.TaskDefinition(td.TaskDefinition)
	check(err)
	snap, err := placement.NewSnapshot(instances, nil)
	check(err)
	res, err := placement.NewEngine(snap).Place(&placement.Request{TaskDefinition: web, Count: 4, Service: "web"})
	check(err)
	for _, p := range res.Placements {
		fmt.Println(p.AvailabilityZone, p.InstanceID)
	}
	fmt.Println(res.Explanation.Event())
	// Output:
	// us-east-1c 5be72e12484451d2c2006fe656d6d640
	// us-east-1a 8d264281f8f8c4c3164d66ae93ad5de0
	// us-east-1b a9df5d2cb500d678937d38ee25f7a7d1
	// (service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5be72e12484451d2c2006fe656d6d640) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.
}

// cluster starts an in-memory ECS with a cluster of three c5.large
// instances, one per zone, and the task definition web (1 vCPU, host
// port 80), and returns an SDK client of it.
func cluster(ctx context.Context) (*sdk.Client, func()) {
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), 0)))
	_, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: "prod"})
	check(err)
	for _, az := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		_, err := e.LaunchInstance(ctx, "prod", ecstest.Instance{InstanceType: "c5.large", AvailabilityZone: az})
		check(err)
	}
	srv := ecstest.NewServer(e)
	client := sdk.New(sdk.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example"}, nil
		}),
		HTTPClient: srv.Client(),
	})
	_, err = client.RegisterTaskDefinition(ctx, &sdk.RegisterTaskDefinitionInput{
		Family: aws.String("web"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("nginx"), Cpu: 1024, Memory: aws.Int32(512),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(80), HostPort: aws.Int32(80)}},
		}},
	})
	check(err)
	return client, func() { srv.Close(); e.Close() }
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
