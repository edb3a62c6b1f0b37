package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

const capacityScaleOutUsage = `usage: ecsplan capacity scale-out -task-definition FILE -count N -instance-types TYPE[,TYPE...]
       [-instances N] [-max-size N] [-target-capacity P] [-minimum-step N] [-maximum-step N] [-warmup S] [-o text|json]`

// runCapacityScaleOut prints how managed scaling grows an Auto Scaling
// group when -count tasks of a task definition wait in PROVISIONING for it
// (capacity.PlanScaleOut: the decision ecstest's simulated groups take,
// evaluation after evaluation): the desired capacity after each
// scale-out, the instances reached and the tasks still waiting.
func runCapacityScaleOut(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ecsplan capacity scale-out", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tdPath := fs.String("task-definition", "", "the tasks' task definition `FILE` (register-task-definition input or describe-task-definition output)")
	count := fs.Int("count", 0, "number of tasks waiting for capacity (1 to 5000)")
	types := fs.String("instance-types", "", "the group's instance `TYPES`, comma-separated: a mixed instances policy in priority order; the group launches the first")
	instances := fs.Int("instances", 0, "instances the group runs already, empty")
	maxSize := fs.Int("max-size", 0, "the group's maximum size (0: the 5,000 instances of a cluster)")
	target := fs.Int("target-capacity", capacity.DefaultTargetCapacity, "managedScaling.targetCapacity, percent")
	minStep := fs.Int("minimum-step", capacity.DefaultMinimumScalingStep, "managedScaling.minimumScalingStepSize")
	maxStep := fs.Int("maximum-step", capacity.DefaultMaximumScalingStep, "managedScaling.maximumScalingStepSize")
	warmup := fs.Int("warmup", capacity.DefaultInstanceWarmupPeriod, "managedScaling.instanceWarmupPeriod, seconds")
	output := fs.String("o", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, capacityScaleOutUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	usage := func(msg string) int {
		fmt.Fprintln(stderr, "ecsplan capacity scale-out: "+msg)
		fs.Usage()
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *tdPath == "":
		return usage("-task-definition is required")
	case *types == "":
		return usage("-instance-types is required")
	case *count < 1 || *count > capacity.MaxScaleOutTasks:
		return usage(fmt.Sprintf("-count must be 1 to %d", capacity.MaxScaleOutTasks))
	case *instances < 0 || *maxSize < 0 || *maxSize > 0 && *instances > *maxSize:
		return usage("-instances and -max-size must satisfy 0 ≤ instances ≤ max-size")
	case *output != "text" && *output != "json":
		return usage(fmt.Sprintf("-o %q: want text or json", *output))
	}
	provider := ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "plan", ManagedScaling: &ecs.ManagedScaling{
		Status: ecs.ManagedScalingStatusEnabled, TargetCapacity: target, MinimumScalingStepSize: minStep,
		MaximumScalingStepSize: maxStep, InstanceWarmupPeriod: warmup}}
	if err := capacity.ValidateProvider(provider); err != nil { // the API's exception and message
		fmt.Fprintln(stderr, "ecsplan capacity scale-out: "+err.Error())
		return exitUsage
	}
	var shapes []capacity.InstanceShape
	for _, name := range strings.Split(*types, ",") {
		it, ok := ecs.DefaultCatalog().Lookup(strings.TrimSpace(name))
		if !ok {
			return usage(fmt.Sprintf("-instance-types: %q is not in the instance type catalogue", name))
		}
		shapes = append(shapes, capacity.ShapeOf(it, false))
	}
	td, err := readFile(*tdPath, func(b []byte) (*ecs.TaskDefinition, error) {
		td, _, err := ecs.DecodeTaskDefinition(b, ecs.Lenient)
		return td, err
	})
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan capacity scale-out:", err)
		return exitUsage
	}
	demand, err := placement.TaskDemand(td, nil)
	if err != nil {
		fmt.Fprintf(stderr, "ecsplan capacity scale-out: %s: %v\n", *tdPath, err)
		return exitUsage
	}
	tasks := make([]ecs.Resources, *count)
	for i := range tasks {
		tasks[i] = demand
	}
	run := capacity.PlanScaleOut(provider, shapes, tasks, *instances, *maxSize)
	if *output == "json" {
		err = writeScaleOutJSON(stdout, run)
	} else {
		err = writeScaleOutText(stdout, *instances, run)
	}
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan capacity scale-out:", err)
		return exitUsage
	}
	return exitOK
}

// writeScaleOutJSON writes the run with the API's style of names.
func writeScaleOutJSON(w io.Writer, run capacity.ScaleOutRun) error {
	desired := run.Desired
	if desired == nil {
		desired = []int{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		DesiredCapacities []int `json:"desiredCapacities"`
		Instances         int   `json:"instances"`
		PlacedTasks       int   `json:"placedTasks"`
		WaitingTasks      int   `json:"waitingTasks"`
		Evaluations       int   `json:"evaluations"`
	}{desired, run.Instances, run.Placed, run.Waiting, run.Evaluations})
}

// writeScaleOutText writes the run as a few lines.
func writeScaleOutText(w io.Writer, from int, run capacity.ScaleOutRun) error {
	steps := []string{fmt.Sprint(from)}
	for _, d := range run.Desired {
		steps = append(steps, fmt.Sprint(d))
	}
	evaluations := fmt.Sprintf("%d evaluations", run.Evaluations)
	if run.Evaluations == 1 {
		evaluations = "1 evaluation"
	}
	_, err := fmt.Fprintf(w, "desired capacity: %s (%s, one a minute)\ninstances: %d\ntasks placed: %d, still waiting: %d\n",
		strings.Join(steps, " -> "), evaluations, run.Instances, run.Placed, run.Waiting)
	return err
}
