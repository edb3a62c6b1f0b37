// Command quickstart is a tour of ecscore on an embedded default scenario: a
// small cluster over three Availability Zones and task definitions as people
// write them. It decodes them as the ECS API would, registers the ones ECS
// would take, and shows what each task takes from an instance.
//
//	go run ./examples/quickstart
package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
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
	cluster, err := scenario.ReadFile("scenario/cluster.json")
	if err != nil {
		return err
	}
	instances, _, err := ecs.DecodeContainerInstances(cluster)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := showCluster(w, instances); err != nil {
		return err
	}
	return showTaskDefinitions(w)
}

func showCluster(w io.Writer, instances []ecs.ContainerInstance) error {
	fmt.Fprintf(w, "Cluster: %d container instances\n\n", len(instances))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INSTANCE\tAZ\tTYPE\tCPU FREE\tMEMORY FREE\tPORTS TAKEN")
	for _, ci := range instances {
		rem, err := ecs.ParseResources(ci.RemainingResources)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d MiB\t%v\n", ci.EC2InstanceID,
			attribute(ci, ecs.AttrAvailabilityZone), attribute(ci, ecs.AttrInstanceType),
			rem.CPU, rem.MemoryMiB, rem.PortsTCP)
	}
	return tw.Flush()
}

func showTaskDefinitions(w io.Writer) error {
	entries, err := scenario.ReadDir("scenario")
	if err != nil {
		return err
	}
	reg := ecs.NewRegistry()
	fmt.Fprintln(w, "\nTask definitions, validated for EC2 and for Fargate, every problem at once:")
	for _, e := range entries {
		if e.Name() == "cluster.json" {
			continue
		}
		data, err := scenario.ReadFile(path.Join("scenario", e.Name()))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%s\n", e.Name())
		for _, lt := range []ecs.Compatibility{ecs.CompatibilityEC2, ecs.CompatibilityFargate} {
			_, findings := ecs.ValidateDocument(data, ecs.ValidationOptions{LaunchTypes: []ecs.Compatibility{lt}})
			verdict := "valid"
			if findings.HasErrors() {
				verdict = "invalid"
			}
			fmt.Fprintf(w, "  %-7s %s\n", lt, verdict)
			for _, f := range findings {
				fmt.Fprintf(w, "          %s\n", f)
			}
		}
		if err := register(w, reg, data); err != nil {
			return err
		}
	}
	return nil
}

// register registers a task definition as RegisterTaskDefinition would and
// shows what one task of it takes from an instance.
func register(w io.Writer, reg *ecs.Registry, data []byte) error {
	td, _, err := ecs.DecodeTaskDefinition(data)
	if err != nil {
		fmt.Fprintf(w, "  not registered: the document does not decode\n")
		return nil
	}
	registered, err := reg.Register(td, nil)
	var refused *ecs.APIError
	if errors.As(err, &refused) {
		fmt.Fprintf(w, "  RegisterTaskDefinition refuses it: %s: %s\n", refused.Type, refused.Message)
		return nil
	}
	if err != nil {
		return err
	}
	need, err := ecs.TaskResources(registered)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  registered %s, compatibilities %v\n  one task takes %d CPU units, %d MiB, TCP ports %v, %d ENI\n",
		registered.TaskDefinitionARN, registered.Compatibilities, need.CPU, need.MemoryMiB, need.PortsTCP, need.ENIs)
	return nil
}

func attribute(ci ecs.ContainerInstance, name string) string {
	for _, a := range ci.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}
