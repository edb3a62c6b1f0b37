package main

import (
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/ecscore/ecscore/ecs"
)

// fixtures are task definitions as people write them (../shared/fixtures).
var fixtures = []string{
	"nginx-awsvpc-healthcheck.json",
	"application-stack-bridge-links.json",
	"devopsdays-two-containers.json",
}

func showTaskDefinitions(w io.Writer, reg *ecs.Registry) error {
	heading(w, "Task definitions, validated for EC2 and for Fargate, every problem at once")
	for _, name := range fixtures {
		data, err := scenario.ReadFile(path.Join("scenario", name))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\n", name)
		for _, lt := range []ecs.Compatibility{ecs.CompatibilityEC2, ecs.CompatibilityFargate} {
			_, findings := ecs.ValidateDocument(data, func(o *ecs.ValidationOptions) {
				o.LaunchTypes = []ecs.Compatibility{lt}
			})
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
		fmt.Fprintln(w)
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
