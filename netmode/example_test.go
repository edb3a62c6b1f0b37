package netmode_test

import (
	"errors"
	"fmt"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

func Example() {
	// A c5.large container instance, fresh: no task holds a port yet.
	ci := &ecs.ContainerInstance{Attributes: []ecs.Attribute{{Name: "ecs.instance-type", Value: "c5.large"}}}
	st, err := netmode.New(ci)
	if err != nil {
		panic(err)
	}

	// A bridge task with a dynamic mapping: each copy gets the next port of
	// the dynamic range.
	port := 80
	web := &ecs.TaskDefinition{Family: "web", NetworkMode: ecs.NetworkModeBridge,
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "nginx",
			PortMappings: []ecs.PortMapping{{ContainerPort: &port}}}}}
	req, err := netmode.NewRequest(web) // once per task definition
	if err != nil {
		panic(err)
	}
	for range 2 {
		a, err := st.Allocate(req)
		if err != nil {
			panic(err)
		}
		b := a.Containers[0].NetworkBindings[0]
		fmt.Printf("%s:%d -> %d/%s\n", b.BindIP, *b.HostPort, *b.ContainerPort, b.Protocol)
	}

	// A host-mode task that wants port 22, which the instance reserves.
	ssh := 22
	sshd := &ecs.TaskDefinition{Family: "sshd", NetworkMode: ecs.NetworkModeHost,
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "sshd",
			PortMappings: []ecs.PortMapping{{ContainerPort: &ssh}}}}}
	req, _ = netmode.NewRequest(sshd)
	if why, ok := st.Fits(req); !ok {
		fmt.Println(why.Reason, why.Port)
	}

	// awsvpc tasks take an ENI each: a c5.large has 3, one of them its own.
	api := &ecs.TaskDefinition{Family: "api", NetworkMode: ecs.NetworkModeAwsvpc,
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "api"}}}
	req, _ = netmode.NewRequest(api)
	for range 3 {
		_, err := st.Allocate(req)
		var fe *netmode.FitError
		if errors.As(err, &fe) {
			fmt.Println(err)
		}
	}
	// Output:
	// 0.0.0.0:49153 -> 80/tcp
	// 0.0.0.0:49154 -> 80/tcp
	// RESOURCE:PORTS 22
	// RESOURCE:ENI: the instance (c5.large) already runs its limit of 2 awsvpc tasks
}
