package ecstest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

// A simulated day of a service on an Auto Scaling group of Spot
// Instances: the seeded Spot model interrupts them at one in ten
// instance-hours, the group replaces them, and SpotStats says what the day
// cost in replaced tasks.
func ExampleECS_SetSpotModel() {
	ctx := context.Background()
	start := time.Date(2025, 11, 21, 0, 0, 0, 0, time.UTC)
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(start, 0)), ecstest.WithSeed(1))
	defer e.Close()
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	_, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: "default"})
	must(err)
	arn, err := e.CreateAutoScalingGroup(ctx, ecstest.AutoScalingGroup{Name: "spot", InstanceType: "c5.large",
		MaxSize: 10, DesiredCapacity: 4, Spot: true, OnDemandBaseCapacity: 1})
	must(err)
	_, err = e.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "spot",
		AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: arn}})
	must(err)
	_, err = e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: "default", CapacityProviders: []string{"spot"},
		DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "spot", Weight: 1}}})
	must(err)
	must(e.SetSpotModel(ctx, ecstest.SpotModel{EC2PerInstanceHour: 0.1, InstanceDraining: true}))
	mem := 512
	_, err = e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionRequest{Family: "web",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "nginx", CPU: 512, Memory: &mem}}})
	must(err)
	_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptrTo(8)})
	must(err)
	for range 24 * 60 {
		e.Clock().Advance(time.Minute)
	}
	st := e.SpotStats()
	fmt.Printf("interruptions %d, replaced tasks %d\n", st.InstanceInterruptions, st.ReplacedTasks)
	svc, err := e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{"web"}})
	must(err)
	fmt.Println("running", svc.Services[0].RunningCount)
	// Output:
	// interruptions 5, replaced tasks 11
	// running 8
}

func ptrTo[T any](v T) *T { return &v }
