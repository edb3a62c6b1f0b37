package ecstest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

// A service run by the deploy package's scheduler on a stopped clock, and
// what it does when an instance is terminated: its tasks stop, and the
// scheduler replaces them on the instances left.
func Example_service() {
	ctx := context.Background()
	start := time.Date(2025, 11, 21, 6, 0, 0, 0, time.UTC)
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(start, 0)), ecstest.WithSeed(1))
	defer e.Close()
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	_, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{})
	must(err)
	var instances []string
	for _, az := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		ci, err := e.LaunchInstance(ctx, "", ecstest.Instance{InstanceType: "m5.xlarge", AvailabilityZone: az})
		must(err)
		instances = append(instances, ci.ContainerInstanceARN)
	}
	_, err = e.Registry().Register(&ecs.TaskDefinition{Family: "web", ContainerDefinitions: []ecs.ContainerDefinition{{
		Name: "web", Image: "nginx", CPU: 256, Memory: ptr(512), PortMappings: []ecs.PortMapping{{ContainerPort: ptr(80)}},
	}}}, nil)
	must(err)
	_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(3)})
	must(err)

	report := func() {
		out, err := e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{"web"}})
		must(err)
		svc := out.Services[0]
		fmt.Printf("%v: %d running, %d pending\n", e.Clock().Now().Sub(start), svc.RunningCount, svc.PendingCount)
	}
	e.Clock().Advance(2 * time.Minute)
	report()
	must(e.TerminateInstance(ctx, "", instances[0]))
	e.Clock().Advance(0) // the scheduler's step runs on the clock
	report()
	e.Clock().Advance(2 * time.Minute)
	report()
	// Output:
	// 2m0s: 3 running, 0 pending
	// 2m0s: 2 running, 1 pending
	// 4m0s: 3 running, 0 pending
}

func ptr[T any](v T) *T { return &v }
