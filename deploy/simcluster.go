package deploy

import (
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// simCluster keeps the simulated instances' remainingResources and task
// counts current as tasks start and stop, as ECS does, so that each
// step's placement snapshot sees what is left.
type simCluster struct {
	instances []ecs.ContainerInstance
	index     map[string]int
	remaining []ecs.Resources
	dirty     []bool
	buf       []ecs.ContainerInstance
}

// newSimCluster copies the instances and works out what each has left:
// its remainingResources when listed, else what is registered less the
// given tasks on it.
func newSimCluster(instances []ecs.ContainerInstance, tasks []ecs.Task, size func(*ecs.Task) ecs.Resources) *simCluster {
	c := &simCluster{
		instances: slices.Clone(instances), index: make(map[string]int, len(instances)),
		remaining: make([]ecs.Resources, len(instances)), dirty: make([]bool, len(instances)),
	}
	for i := range c.instances {
		ci := &c.instances[i]
		c.index[ci.ContainerInstanceARN] = i
		rem, err := ecs.ParseResources(ci.RemainingResources)
		if err != nil || len(ci.RemainingResources) == 0 {
			rem, _ = ecs.ParseResources(ci.RegisteredResources)
			c.dirty[i] = true
		}
		c.remaining[i] = rem
	}
	for i := range tasks {
		t := &tasks[i]
		k, ok := c.index[t.ContainerInstanceARN]
		if !ok || !c.dirty[k] || t.LastStatus == ecs.TaskStatusStopped {
			continue
		}
		c.take(k, size(t))
	}
	return c
}

// take subtracts a task's resources from instance k.
func (c *simCluster) take(k int, r ecs.Resources) {
	rem := &c.remaining[k]
	rem.CPU -= r.CPU
	rem.MemoryMiB -= r.MemoryMiB
	rem.GPUs -= r.GPUs
	rem.PortsTCP = union(rem.PortsTCP, r.PortsTCP)
	rem.PortsUDP = union(rem.PortsUDP, r.PortsUDP)
	c.dirty[k] = true
}

// give returns a task's resources to instance k.
func (c *simCluster) give(k int, r ecs.Resources) {
	rem := &c.remaining[k]
	rem.CPU += r.CPU
	rem.MemoryMiB += r.MemoryMiB
	rem.GPUs += r.GPUs
	rem.PortsTCP = minus(rem.PortsTCP, r.PortsTCP)
	rem.PortsUDP = minus(rem.PortsUDP, r.PortsUDP)
	c.dirty[k] = true
}

// count changes instance k's running and pending task counts.
func (c *simCluster) count(k, running, pending int) {
	c.instances[k].RunningTasksCount += running
	c.instances[k].PendingTasksCount += pending
}

// snapshot returns the instances as describe-container-instances would,
// in a slice valid until the next call.
func (c *simCluster) snapshot() []ecs.ContainerInstance {
	for k, d := range c.dirty {
		if d {
			c.instances[k].RemainingResources = c.remaining[k].ResourceList()
			c.dirty[k] = false
		}
	}
	c.buf = append(c.buf[:0], c.instances...)
	return c.buf
}

func union(a, b []int) []int {
	if len(b) == 0 {
		return a
	}
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func minus(a, b []int) []int {
	if len(b) == 0 {
		return a
	}
	return slices.DeleteFunc(slices.Clone(a), func(p int) bool { return slices.Contains(b, p) })
}
