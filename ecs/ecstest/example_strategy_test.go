package ecstest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

// A service behind a target group rolled with a CANARY deployment: the
// green revision scales up beside blue in the alternate target group,
// 10% of production traffic shifts to it, the rest after the canary bake
// time, and blue drains and stops after the final bake time.
func Example_canary() {
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
	for _, image := range []string{"nginx:1.27", "nginx:1.28"} {
		_, err = e.Registry().Register(&ecs.TaskDefinition{Family: "web", ContainerDefinitions: []ecs.ContainerDefinition{{
			Name: "web", Image: image, CPU: 256, Memory: ptr(512), PortMappings: []ecs.PortMapping{{ContainerPort: ptr(80), HostPort: ptr(0)}},
		}}}, nil)
		must(err)
	}
	const arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
	_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web:1", DesiredCount: ptr(2),
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: arn + "targetgroup/blue/0123456789abcdef", ContainerName: "web", ContainerPort: ptr(80),
			AdvancedConfiguration: &ecs.AdvancedConfiguration{AlternateTargetGroupARN: arn + "targetgroup/green/fedcba9876543210",
				ProductionListenerRule: arn + "listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee",
				RoleARN:                "arn:aws:iam::123456789012:role/ecsInfrastructureRole"}}},
		DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyCanary, BakeTimeInMinutes: ptr(5),
			CanaryConfiguration: &ecs.CanaryConfiguration{CanaryPercent: 10, CanaryBakeTimeInMinutes: 15}},
	})
	must(err)
	e.Clock().Advance(5 * time.Minute)
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
	must(err)
	e.Clock().Advance(time.Hour)
	tr, err := e.ServiceTraffic(ctx, "", "web")
	must(err)
	from := tr.Stages[0].At.Time
	for _, s := range tr.Stages {
		if s.Note != "" {
			fmt.Printf("%v %s: %g%% of production on green (%s)\n", s.At.Sub(from), s.Stage, s.Production.Green, s.Note)
		}
	}
	// Output:
	// 1m0s TEST_TRAFFIC_SHIFT: 0% of production on green (test traffic shifted)
	// 1m0s PRODUCTION_TRAFFIC_SHIFT: 10% of production on green (production traffic shifted: 10% to green)
	// 16m0s PRODUCTION_TRAFFIC_SHIFT: 100% of production on green (production traffic shifted: 100% to green)
	// 26m10s CLEAN_UP: 100% of production on green (completed: blue scaled down)
}
