package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

func showCapacity(w io.Writer, reg *ecs.Registry) error {
	if err := showPlan(w, reg); err != nil {
		return err
	}
	heading(w, "Splitting 10 tasks over capacity providers: FARGATE base=2 weight=1, FARGATE_SPOT weight=3")
	strategy, err := capacity.ParseStrategy("FARGATE:base=2,weight=1,FARGATE_SPOT:weight=3")
	if err != nil {
		return err
	}
	counts, err := capacity.SplitCounts(strategy, 10)
	if err != nil {
		return err
	}
	for _, c := range counts {
		fmt.Fprintf(w, "  %-13s %d tasks\n", c.CapacityProvider, c.Count)
	}
	return nil
}

// showPlan asks how many instances of a few types the web service (24
// tasks, with its deployment surge) and the nginx service (12 awsvpc
// tasks) need over three Availability Zones, and what each option costs.
func showPlan(w io.Writer, reg *ecs.Registry) error {
	heading(w, "Capacity plan: web (24 tasks, bridge) and nginx (12 tasks, awsvpc) over 3 AZs, surge included")
	web, err := reg.Describe("web:2")
	if err != nil {
		return err
	}
	nginx, err := reg.Describe("nginx:1")
	if err != nil {
		return err
	}
	planner := capacity.NewPlanner(func(o *capacity.PlannerOptions) {
		o.InstanceTypes = []string{"m5.large", "c5.xlarge", "m5.xlarge", "r5.large"}
		o.AvailabilityZones = capacity.DefaultAvailabilityZones()
	})
	plan, err := planner.Plan(context.Background(), []capacity.Workload{
		{Name: "web", TaskDefinition: web, DesiredCount: 24, Strategy: spreadThenBinpack, MaximumPercent: 200},
		{Name: "nginx", TaskDefinition: nginx, DesiredCount: 12, MaximumPercent: 200},
	})
	if err != nil {
		return err
	}
	for _, o := range plan.Options {
		cost := "no price"
		if o.Cost.Priced() {
			cost = fmt.Sprintf("$%.0f a month", o.Cost.Monthly)
		}
		what := o.InstanceType
		n := 0
		for _, ic := range o.Instances {
			n += ic.Count
		}
		if n > 0 {
			what = fmt.Sprintf("%d × %s", n, o.InstanceType)
		}
		mark := ""
		switch {
		case o.Kind == plan.Recommended:
			mark = "  <- recommended"
		case len(o.NeedsChanges) > 0:
			var names []string
			for _, n := range o.NeedsChanges {
				name, _, _ := strings.Cut(n, ":")
				names = append(names, name)
			}
			mark = fmt.Sprintf("  (what-if: %s must change for Fargate first)", strings.Join(names, ", "))
		}
		fmt.Fprintf(w, "  %-12s %-16s %s%s\n", o.Kind, what, cost, mark)
	}
	return nil
}
