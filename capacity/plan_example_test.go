package capacity_test

import (
	"context"
	"fmt"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

func ExamplePlanner_Plan() {
	web := &ecs.TaskDefinition{
		Family: "web", CPU: "512", Memory: "1024",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "web", Image: "nginx"}},
	}
	logs := &ecs.TaskDefinition{
		Family: "logs", CPU: "128", Memory: "256",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "fluent-bit", Image: "fluent-bit"}},
	}
	maxPercent := 150
	services := []capacity.Workload{
		capacity.WorkloadFor(&ecs.Service{
			ServiceName: "web", DesiredCount: 9,
			DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: &maxPercent},
		}, web),
		{Name: "logs", TaskDefinition: logs, Daemon: true},
	}
	p := capacity.NewPlanner(func(o *capacity.PlannerOptions) {
		o.InstanceTypes = []string{"m5.large", "c5.xlarge"}
	})
	plan, err := p.Plan(context.Background(), services)
	if err != nil {
		panic(err)
	}
	for _, tp := range plan.Types {
		fmt.Printf("%s: %v per zone, $%.2f a month\n", tp.InstanceType, tp.Counts, tp.OnDemand.Monthly)
	}
	for _, o := range plan.Options {
		switch {
		case o.Cost.Priced() && len(o.NeedsChanges) > 0:
			fmt.Printf("%s: $%.2f once the task definitions are changed for it\n", o.Kind, o.Cost.Monthly)
		case o.Cost.Priced():
			fmt.Printf("%s: $%.2f\n", o.Kind, o.Cost.Monthly)
		default:
			fmt.Printf("%s: no price\n", o.Kind)
		}
	}
	fmt.Println("recommended:", plan.Recommended)
	// Output:
	// c5.xlarge: [1 1 0] per zone, $248.20 a month
	// m5.large: [2 2 1] per zone, $350.40 a month
	// EC2: $248.20
	// EC2_SPOT: no price
	// FARGATE: $162.18 once the task definitions are changed for it
	// FARGATE_SPOT: $51.64 once the task definitions are changed for it
	// recommended: EC2
}

// ExamplePlanner_Plan_filters plans an arm64 service over the Graviton
// types of two families only, and shows what each type leaves stranded.
func ExamplePlanner_Plan_filters() {
	api := &ecs.TaskDefinition{
		Family: "api", CPU: "256", Memory: "1024",
		RuntimePlatform:      &ecs.RuntimePlatform{CPUArchitecture: ecs.CPUArchitectureArm64},
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "api", Image: "api:arm64"}},
	}
	p := capacity.NewPlanner(func(o *capacity.PlannerOptions) {
		o.InstanceTypes = []string{"m6g.large", "c6g.*", "m5.large"}
		o.Architecture = "arm64" // leaves m5.large out
	})
	plan, err := p.Plan(context.Background(), []capacity.Workload{{Name: "api", TaskDefinition: api, DesiredCount: 6, MaximumPercent: 100}})
	if err != nil {
		panic(err)
	}
	for _, tp := range plan.Types {
		if tp.InstanceType != "c6g.large" && tp.InstanceType != "m6g.large" {
			continue
		}
		fmt.Printf("%d × %s: %d CPU units and %d MiB stranded\n",
			tp.Instances(), tp.InstanceType, tp.StrandedCPU, tp.StrandedMemoryMiB)
	}
	fmt.Println("EC2:", plan.Options[0].InstanceType)
	// Output:
	// 2 × c6g.large: 2202 CPU units and 0 MiB stranded
	// 1 × m6g.large: 154 CPU units and 0 MiB stranded
	// EC2: m6g.large
}
