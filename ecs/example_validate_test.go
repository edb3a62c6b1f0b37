package ecs_test

import (
	"errors"
	"fmt"

	"github.com/ecscore/ecscore/ecs"
)

// A task definition written for EC2 in bridge mode, checked before a move
// to Fargate: every incompatibility is reported at once.
func ExampleValidateTaskDefinition() {
	td := &ecs.TaskDefinition{
		Family:      "web",
		NetworkMode: ecs.NetworkModeBridge,
		ContainerDefinitions: []ecs.ContainerDefinition{{
			Name:   "app",
			Image:  "nginx:1.25",
			Memory: ptr(256),
			Links:  []string{"db"},
		}, {
			Name:   "db",
			Image:  "postgres:16",
			Memory: ptr(512),
		}},
	}
	fargate := func(o *ecs.ValidationOptions) { o.LaunchTypes = []ecs.Compatibility{ecs.CompatibilityFargate} }
	for _, f := range ecs.ValidateTaskDefinition(td, fargate) {
		fmt.Printf("%s: %s\n", f.Path, f.Code)
	}

	var verr *ecs.ValidationError
	if err := ecs.ValidateTaskDefinition(td, fargate).Err(); errors.As(err, &verr) {
		fmt.Println(len(verr.Findings), "findings; ECS says first:", verr.Findings[0].APIMessage)
	}
	// Output:
	// networkMode: fargate.network-mode
	// cpu: fargate.task-cpu-required
	// memory: fargate.task-memory-required
	// containerDefinitions[0].links: fargate.unsupported-parameter
	// 4 findings; ECS says first: Fargate only supports network mode 'awsvpc'.
}

// ValidateDocument reads the document users have (a register input, a
// describe output or a Terraform list of containers) and places each
// finding on its line.
func ExampleValidateDocument() {
	doc := []byte(`{
  "family": "web",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "4 GB",
  "containerDefinitions": [
    {"name": "app", "image": "nginx:1.25", "cpu": "256"}
  ]
}`)
	_, findings := ecs.ValidateDocument(doc)
	for _, f := range findings {
		fmt.Println(f)
	}
	// Output:
	// 5:10: cpu: error: fargate.task-size: Fargate has no Linux task size of 256 CPU units with 4096 MiB; with that cpu, memory may be 512, 1024 or 2048 MiB. The smallest size that holds both is cpu 512 with memory 4096.
	// 8:51: containerDefinitions[0].cpu: error: json.wrong-type: Expected integer, got string "256".
}

func ExampleSmallestFargateSize() {
	size, ok := ecs.SmallestFargateSize(1536, 5000, ecs.OSFamilyLinux)
	fmt.Println(size.CPU, size.MemoryMiB, ok)
	// Output: 2048 5120 true
}

func ptr[T any](v T) *T { return &v }
