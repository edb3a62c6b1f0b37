package sdktest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

// A deployment tool's test: the AWS SDK for Go v2 against ecstest's
// server, on a stopped clock. The test registers a task definition and
// creates a service through the SDK, as the tool would against AWS, has
// ecstest move the clock until the service is steady (Settle: no polling,
// no sleeping), and reads the outcome through the SDK again.
func Example() {
	ctx := context.Background()
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), 0)))
	defer e.Close()
	srv := ecstest.NewServer(e)
	defer srv.Close()
	client := ecs.New(ecs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example"}, nil
		}),
		HTTPClient: srv.Client(),
	})
	check := func(err error) {
		if err != nil {
			panic(err)
		}
	}

	_, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("prod")})
	check(err)
	for _, az := range []string{"us-east-1a", "us-east-1b"} {
		_, err := e.LaunchInstance(ctx, "prod", ecstest.Instance{InstanceType: "m5.large", AvailabilityZone: az})
		check(err)
	}
	_, err = client.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("web"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("nginx"), Cpu: 256, Memory: aws.Int32(512),
		}},
	})
	check(err)
	_, err = client.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String("prod"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(4),
	})
	check(err)

	_, err = e.Settle(ctx, "prod", "web", time.Hour)
	check(err)
	out, err := client.DescribeServices(ctx, &ecs.DescribeServicesInput{
		Cluster: aws.String("prod"), Services: []string{"web"}})
	check(err)
	svc := out.Services[0]
	fmt.Println(svc.RunningCount, "running;", svc.Deployments[0].RolloutState)
	// Output: 4 running; COMPLETED
}
