package capacity_test

import (
	"context"
	"fmt"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// ExamplePlanner_Plan_surviveZoneLoss plans a service to keep its
// desired count after losing any one of three zones: an m5.large holds 4
// of its tasks, so 12 need 3 instances, and 5 when the two zones left
// after the loss of the largest must hold all 12.
func ExamplePlanner_Plan_surviveZoneLoss() {
	web := &ecs.TaskDefinition{
		Family: "web", CPU: "512", Memory: "1024",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "web", Image: "nginx"}},
	}
	maxPercent := 100
	services := []capacity.Workload{capacity.WorkloadFor(&ecs.Service{
		ServiceName: "web", DesiredCount: 12,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: &maxPercent},
	}, web)}
	for _, mode := range []capacity.ZoneLoss{capacity.ZoneLossNone, capacity.ZoneLossFull} {
		p := capacity.NewPlanner(func(o *capacity.PlannerOptions) {
			o.InstanceTypes = []string{"m5.large"}
			o.SurviveZoneLoss = mode
		})
		plan, err := p.Plan(context.Background(), services)
		if err != nil {
			panic(err)
		}
		fmt.Printf("zone loss %q: %v m5.large per zone\n", mode, plan.Types[0].Counts)
	}
	// Output:
	// zone loss "": [1 1 1] m5.large per zone
	// zone loss "full": [2 2 1] m5.large per zone
}
