// Command quickstart is a tour of ecscore on an embedded default scenario: a
// cluster of six container instances over three Availability Zones, task
// definitions as people write them, and a web service. It validates the task
// definitions as ECS would, places the service with spread and binpack,
// shows why a task that does not fit is turned away, rolls the service to a
// new revision, trips the deployment circuit breaker, and splits tasks over
// capacity providers.
//
//	go run ./examples/quickstart
package main

import (
	"embed"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/ecscore/ecscore/ecs"
)

//go:embed scenario/*.json
var scenario embed.FS

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	data, err := scenario.ReadFile("scenario/cluster.json")
	if err != nil {
		return err
	}
	instances, _, err := ecs.DecodeContainerInstances(data)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	reg := ecs.NewRegistry()
	steps := []func() error{
		func() error { return showCluster(w, instances) },
		func() error { return showTaskDefinitions(w, reg) },
		func() error { return showPlacement(w, reg, instances) },
		func() error { return showRollouts(w, reg, instances) },
		func() error { return showCapacity(w, reg) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func heading(w io.Writer, title string) {
	fmt.Fprintf(w, "\n== %s\n\n", title)
}

func showCluster(w io.Writer, instances []ecs.ContainerInstance) error {
	heading(w, fmt.Sprintf("Cluster: %d container instances", len(instances)))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INSTANCE\tAZ\tTYPE\tCPU\tMEMORY")
	for _, ci := range instances {
		rem, err := ecs.ParseResources(ci.RemainingResources)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d MiB\n", ci.EC2InstanceID,
			attribute(ci, ecs.AttrAvailabilityZone), attribute(ci, ecs.AttrInstanceType), rem.CPU, rem.MemoryMiB)
	}
	return tw.Flush()
}

func attribute(ci ecs.ContainerInstance, name string) string {
	for _, a := range ci.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// registerFile decodes and registers a scenario task definition.
func registerFile(reg *ecs.Registry, name string) (*ecs.TaskDefinition, error) {
	data, err := scenario.ReadFile("scenario/" + name)
	if err != nil {
		return nil, err
	}
	td, tags, err := ecs.DecodeTaskDefinition(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return reg.Register(td, tags)
}
