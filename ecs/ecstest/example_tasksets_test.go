package ecstest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

// A service of the EXTERNAL deployment controller driven through its
// task sets, as a third-party deployment controller drives it: a second
// task set of a new revision beside the first, made PRIMARY, and the
// first scaled to zero and deleted.
func Example_taskSets() {
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
	for _, az := range []string{"us-east-1a", "us-east-1b"} {
		_, err := e.LaunchInstance(ctx, "", ecstest.Instance{InstanceType: "m5.xlarge", AvailabilityZone: az})
		must(err)
	}
	for _, image := range []string{"nginx:1.26", "nginx:1.27"} {
		_, err = e.Registry().Register(&ecs.TaskDefinition{Family: "web", ContainerDefinitions: []ecs.ContainerDefinition{{
			Name: "web", Image: image, CPU: 256, Memory: ptr(512), PortMappings: []ecs.PortMapping{{ContainerPort: ptr(80)}},
		}}}, nil)
		must(err)
	}
	_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", DesiredCount: ptr(4),
		DeploymentController: &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeExternal}})
	must(err)
	create := func(td string, scale float64) string {
		out, err := e.CreateTaskSet(ctx, &ecs.CreateTaskSetRequest{Cluster: "default", Service: "web", TaskDefinition: td,
			Scale: &ecs.Scale{Value: scale, Unit: ecs.ScaleUnitPercent}})
		must(err)
		return out.TaskSet.ID
	}
	report := func() {
		out, err := e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{"web"}})
		must(err)
		svc := out.Services[0]
		fmt.Printf("%v: %d running;", e.Clock().Now().Sub(start), svc.RunningCount)
		for _, ts := range svc.TaskSets {
			fmt.Printf(" %s %s %d/%d %s;", ts.TaskDefinition[len(ts.TaskDefinition)-5:], ts.Status, ts.RunningCount, ts.ComputedDesiredCount, ts.StabilityStatus)
		}
		fmt.Println()
	}
	blue := create("web:1", 100)
	_, err = e.UpdateServicePrimaryTaskSet(ctx, &ecs.UpdateServicePrimaryTaskSetRequest{Cluster: "default", Service: "web", PrimaryTaskSet: blue})
	must(err)
	e.Clock().Advance(2 * time.Minute)
	report()
	green := create("web:2", 25) // a canary: ⌈4 × 25 %⌉ = 1 task
	e.Clock().Advance(2 * time.Minute)
	report()
	_, err = e.UpdateTaskSet(ctx, &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "web", TaskSet: green, Scale: &ecs.Scale{Value: 100}})
	must(err)
	_, err = e.UpdateServicePrimaryTaskSet(ctx, &ecs.UpdateServicePrimaryTaskSetRequest{Cluster: "default", Service: "web", PrimaryTaskSet: green})
	must(err)
	_, err = e.UpdateTaskSet(ctx, &ecs.UpdateTaskSetRequest{Cluster: "default", Service: "web", TaskSet: blue, Scale: &ecs.Scale{Value: 0}})
	must(err)
	e.Clock().Advance(2 * time.Minute)
	_, err = e.DeleteTaskSet(ctx, &ecs.DeleteTaskSetRequest{Cluster: "default", Service: "web", TaskSet: blue})
	must(err)
	e.Clock().Advance(time.Minute)
	report()
	// Output:
	// 2m0s: 4 running; web:1 PRIMARY 4/4 STEADY_STATE;
	// 4m0s: 5 running; web:1 PRIMARY 4/4 STEADY_STATE; web:2 ACTIVE 1/1 STEADY_STATE;
	// 7m0s: 4 running; web:2 PRIMARY 4/4 STEADY_STATE;
}
