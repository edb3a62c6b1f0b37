package deploy

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
	"github.com/ecscore/ecscore/placement"
)

// MaxRunningTasks is the most tasks RunningTasks makes at once, far above
// ECS's quota of tasks per service.
const MaxRunningTasks = 1 << 20

// RunningTasks places n tasks of the deployment dep of svc, whose task
// definition is td, on the instances, as placement would, and returns
// them as describe-tasks shows them, RUNNING (and HEALTHY, with a health
// check) since at, with a copy of the instances whose remaining resources
// no longer include what the tasks take: the service as it stands before
// a deployment, for a State, a Driver's Runtime or rollout.Simulate when
// describe-tasks output is not at hand. Task IDs derive from seed. svc,
// dep and td are required, and n is from 0 to MaxRunningTasks.
func RunningTasks(svc *ecs.Service, dep *ecs.Deployment, td *ecs.TaskDefinition, n int, instances []ecs.ContainerInstance, seed uint64, at time.Time) ([]ecs.Task, []ecs.ContainerInstance, error) {
	switch {
	case svc == nil || dep == nil || td == nil:
		return nil, nil, errors.New("deploy: RunningTasks needs a service, a deployment and a task definition, not nil")
	case n < 0 || n > MaxRunningTasks:
		return nil, nil, fmt.Errorf("deploy: RunningTasks of %d tasks: the count must be from 0 to %d", n, MaxRunningTasks)
	}
	snap, err := placement.NewSnapshot(instances, nil)
	if err != nil {
		return nil, nil, err
	}
	mem := NewMemory(splitmix(seed ^ 0xb0075742)) // a stream apart from the scheduler's
	arns := make([]string, n)
	for i := range arns {
		arns[i] = taskARN(svc.ServiceARN, svc.ClusterARN, mem.taskID())
	}
	res, err := placement.NewEngine(snap).Place(&placement.Request{
		TaskDefinition: td, Count: n, Service: svc.ServiceName, Strategy: svc.PlacementStrategy,
		Constraints: svc.PlacementConstraints, Seed: seed, TaskARNs: arns,
	})
	if err != nil {
		return nil, nil, err
	}
	if res.Unplaced > 0 {
		return nil, nil, fmt.Errorf("deploy: %d of %d tasks do not fit the cluster: %s", res.Unplaced, n, res.Explanation.Event())
	}
	size, err := ecs.TaskResources(td)
	if err != nil {
		return nil, nil, err
	}
	health := ecs.HealthStatusUnknown
	if hasHealthCheck(td) {
		health = ecs.HealthStatusHealthy
	}
	out := slices.Clone(instances)
	index := make(map[string]int, len(out))
	for i := range out {
		index[out[i].ContainerInstanceARN] = i
	}
	t := ecs.NewTime(at)
	tasks := make([]ecs.Task, len(res.Placements))
	for i, p := range res.Placements {
		tasks[i] = ecs.Task{
			TaskARN: p.TaskARN, TaskDefinitionARN: td.TaskDefinitionARN, StartedBy: dep.ID,
			Group: ecs.ServiceGroup(svc.ServiceName), ContainerInstanceARN: p.ContainerInstanceARN,
			AvailabilityZone: p.AvailabilityZone, LastStatus: ecs.TaskStatusRunning, DesiredStatus: ecs.DesiredStatusRunning,
			LaunchType: svc.LaunchType, CreatedAt: t, StartedAt: t, HealthStatus: health,
			CPU: strconv.Itoa(size.CPU), Memory: strconv.Itoa(size.MemoryMiB),
			Containers: describedContainers(td, p.Containers),
		}
		if err := takeResources(&out[index[p.ContainerInstanceARN]], size); err != nil {
			return nil, nil, err
		}
	}
	return tasks, out, nil
}

// takeResources takes a task's resources from an instance's remaining
// resources, which then list its static host ports as taken.
func takeResources(ci *ecs.ContainerInstance, r ecs.Resources) error {
	list := ci.RemainingResources
	if len(list) == 0 {
		list = ci.RegisteredResources
	}
	rem, err := ecs.ParseResources(list)
	if err != nil {
		return fmt.Errorf("deploy: container instance %s: %w", ci.ContainerInstanceARN, err)
	}
	rem = rem.Sub(ecs.Resources{CPU: r.CPU, MemoryMiB: r.MemoryMiB, GPUs: r.GPUs})
	rem = rem.Add(ecs.Resources{PortsTCP: r.PortsTCP, PortsUDP: r.PortsUDP}) // the host ports it takes
	ci.RemainingResources = rem.ResourceList()
	ci.RunningTasksCount++
	return nil
}

// describedContainers returns the containers of a RUNNING task of td as
// describe-tasks shows them: name, image, cpu and memory, and the network
// bindings placement gave them.
func describedContainers(td *ecs.TaskDefinition, placed []netmode.ContainerBindings) []ecs.Container {
	out := make([]ecs.Container, len(td.ContainerDefinitions))
	for i := range td.ContainerDefinitions {
		cd := &td.ContainerDefinitions[i]
		c := ecs.Container{Name: cd.Name, Image: cd.Image, LastStatus: ecs.TaskStatusRunning}
		if cd.CPU > 0 {
			c.CPU = strconv.Itoa(cd.CPU)
		}
		if cd.Memory != nil {
			c.Memory = strconv.Itoa(*cd.Memory)
		}
		if cd.MemoryReservation != nil {
			c.MemoryReservation = strconv.Itoa(*cd.MemoryReservation)
		}
		for _, p := range placed {
			if p.Name == cd.Name {
				c.NetworkBindings = p.NetworkBindings
			}
		}
		out[i] = c
	}
	return out
}
