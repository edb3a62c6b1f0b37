package placement_test

import (
	"fmt"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// A service of four tasks on three instances in two zones, spread over
// zones then packed by memory: while the zones are even, binpack decides
// between them. Then a task too large for any instance, and the event ECS
// would write for it.
func Example() {
	instances, _, err := ecs.DecodeContainerInstances([]byte(`{"containerInstances": [
	  {"containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/aaa",
	   "status": "ACTIVE", "agentConnected": true,
	   "attributes": [{"name": "ecs.availability-zone", "value": "us-east-1a"}],
	   "registeredResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 2048},
	                           {"name": "MEMORY", "type": "INTEGER", "integerValue": 4096}]},
	  {"containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/bbb",
	   "status": "ACTIVE", "agentConnected": true,
	   "attributes": [{"name": "ecs.availability-zone", "value": "us-east-1b"}],
	   "registeredResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 2048},
	                           {"name": "MEMORY", "type": "INTEGER", "integerValue": 4096}]},
	  {"containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/ccc",
	   "status": "ACTIVE", "agentConnected": true,
	   "attributes": [{"name": "ecs.availability-zone", "value": "us-east-1b"}],
	   "registeredResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 2048},
	                           {"name": "MEMORY", "type": "INTEGER", "integerValue": 2048}]}
	]}`))
	if err != nil {
		panic(err)
	}
	snap, err := placement.NewSnapshot(instances, nil)
	if err != nil {
		panic(err)
	}
	engine := placement.NewEngine(snap)
	td := &ecs.TaskDefinition{Family: "web", ContainerDefinitions: []ecs.ContainerDefinition{
		{Name: "web", Image: "nginx", CPU: 256, MemoryReservation: ptr(1024)},
	}}
	res, err := engine.Place(&placement.Request{
		TaskDefinition: td,
		Service:        "web",
		Count:          4,
		Strategy: []ecs.PlacementStrategy{
			{Type: "spread", Field: "attribute:ecs.availability-zone"},
			{Type: "binpack", Field: "memory"},
		},
	})
	if err != nil {
		panic(err)
	}
	for _, p := range res.Placements {
		fmt.Println(p.InstanceID, p.AvailabilityZone)
	}
	td.ContainerDefinitions[0].MemoryReservation = ptr(4608)
	res, err = engine.Place(&placement.Request{TaskDefinition: td, Service: "web"})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Explanation.Event())
	// Output:
	// ccc us-east-1b
	// aaa us-east-1a
	// ccc us-east-1b
	// aaa us-east-1a
	// (service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance bbb) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.
}

func ptr[T any](v T) *T { return &v }

// Placing into a Batch kept from request to request: the placements come
// back in compact form, their names and host ports read on demand, and
// placing them allocates nothing.
func ExampleEngine_PlaceInto() {
	instances, _, err := ecs.DecodeContainerInstances([]byte(`{"containerInstances": [
	  {"containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/aaa",
	   "status": "ACTIVE", "agentConnected": true,
	   "attributes": [{"name": "ecs.availability-zone", "value": "us-east-1a"}],
	   "registeredResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 2048},
	                           {"name": "MEMORY", "type": "INTEGER", "integerValue": 4096}]}
	]}`))
	if err != nil {
		panic(err)
	}
	snap, err := placement.NewSnapshot(instances, nil)
	if err != nil {
		panic(err)
	}
	engine := placement.NewEngine(snap)
	td := &ecs.TaskDefinition{Family: "web", ContainerDefinitions: []ecs.ContainerDefinition{
		{Name: "web", Image: "nginx", CPU: 256, MemoryReservation: ptr(512),
			PortMappings: []ecs.PortMapping{{ContainerPort: ptr(80)}}},
	}}
	var batch placement.Batch
	for range 2 {
		if err := engine.PlaceInto(&batch, &placement.Request{TaskDefinition: td, Service: "web", Count: 2}); err != nil {
			panic(err)
		}
		for k := range batch.Len() {
			fmt.Println(batch.Task(k), batch.InstanceID(k), batch.HostPorts(k))
		}
	}
	b := batch.Containers(1)[0].NetworkBindings[0]
	fmt.Println(*b.ContainerPort, *b.HostPort, b.Protocol)
	// Output:
	// 0 aaa [49153]
	// 1 aaa [49154]
	// 2 aaa [49155]
	// 3 aaa [49156]
	// 80 49156 tcp
}
