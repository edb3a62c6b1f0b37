package ecstest

import (
	"maps"
	"slices"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
	"github.com/ecscore/ecscore/placement"
)

// instances returns the cluster's container instances, INACTIVE ones
// included, as describe-container-instances shows them, in order of ARN.
// e.mu must be held.
func (e *ECS) instances(cl *cluster) []ecs.ContainerInstance {
	out := make([]ecs.ContainerInstance, 0, len(cl.instances))
	for _, id := range slices.Sorted(maps.Keys(cl.instances)) {
		out = append(out, *cl.instances[id].describe())
	}
	return out
}

// placedTasks returns the cluster's tasks that hold a container instance's
// resources, in order of ARN. e.mu must be held.
func (e *ECS) placedTasks(cl *cluster) []ecs.Task {
	var out []ecs.Task
	for _, id := range slices.Sorted(maps.Keys(cl.tasks)) {
		if tk := cl.tasks[id]; tk.inst != nil && !tk.stopped() {
			out = append(out, placementTask(tk))
		}
	}
	return out
}

// placementTask returns a copy of the task as the placement engine is to
// read it. A loaded task's task definition is made up, not the one its
// ARN may name in the registry, so the copy names none: placement reads
// what it takes from the task itself (ecs.DescribedTaskResources, the rule
// the load used).
func placementTask(tk *task) ecs.Task {
	t := *cloneTask(&tk.t)
	if tk.loaded {
		t.TaskDefinitionARN = ""
	}
	return t
}

// taskDefinitionOf returns the task definition of a task of the cluster
// by its ARN, or nil. e.mu must be held.
func (e *ECS) taskDefinitionOf(cl *cluster, arn string) *ecs.TaskDefinition {
	if td, ok := cl.tds[arn]; ok {
		return td
	}
	return nil
}

// snapshot returns a placement snapshot of the cluster as it is now: its
// instances, INACTIVE ones included, and the tasks that hold their
// resources. e.mu must be held.
func (e *ECS) snapshot(cl *cluster) (*placement.Snapshot, error) {
	return placement.NewSnapshot(e.instances(cl), e.placedTasks(cl), func(o *placement.SnapshotOptions) {
		o.Network = netmode.Options{Catalog: e.catalog}
		o.TaskDefinition = func(arn string) *ecs.TaskDefinition { return e.taskDefinitionOf(cl, arn) }
	})
}

// fargateZone returns the Availability Zone for a new Fargate task of the
// group: of the Region's zones a, b and c that are not lost, the one with
// the fewest of the group's tasks, as Fargate spreads them. e.mu must be
// held.
func (e *ECS) fargateZone(cl *cluster, group string) string {
	count := cl.fargateCount()[group]
	best := ""
	for _, z := range []string{"a", "b", "c"} {
		az := e.arns.region + z
		if e.lostZones[az] {
			continue
		}
		if best == "" || count[az] < count[best] {
			best = az
		}
	}
	if best == "" {
		best = e.arns.region + "a"
	}
	return best
}

// instanceLaunchType returns the launch type of tasks on inst: EXTERNAL on
// an ECS Anywhere instance, else EC2.
func instanceLaunchType(inst *instance) ecs.LaunchType {
	if _, ok := attrValue(inst.ci.Attributes, ecs.AttrExternal); ok {
		return ecs.LaunchTypeExternal
	}
	return ecs.LaunchTypeEC2
}

// attrValue returns the value of the named attribute, and whether it is
// there.
func attrValue(attrs []ecs.Attribute, name string) (string, bool) {
	for _, a := range attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// findTask returns the task ref names (an ID or ARN) in the cluster
// cluster names, or the API's error. e.mu must be held.
func (e *ECS) findTask(cluster, ref string) (*task, error) {
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	id, ok := e.arns.taskID(cl.info.ClusterName, ref)
	tk := cl.tasks[id]
	if !ok || tk == nil {
		return nil, invalidParameter("The referenced task was not found.")
	}
	return tk, nil
}

// cloneTask returns a copy of t that shares nothing with it.
func cloneTask(t *ecs.Task) *ecs.Task {
	c := *t
	c.Containers = slices.Clone(t.Containers)
	for i := range c.Containers {
		ct := &c.Containers[i]
		ct.NetworkBindings = slices.Clone(ct.NetworkBindings)
		ct.GPUIDs = slices.Clone(ct.GPUIDs)
		ct.NetworkInterfaces = slices.Clone(ct.NetworkInterfaces)
		if ct.ExitCode != nil {
			ct.ExitCode = ptrTo(*ct.ExitCode)
		}
	}
	c.Overrides = cloneOverrides(t.Overrides)
	c.Tags = slices.Clone(t.Tags)
	c.Attributes = slices.Clone(t.Attributes)
	c.Attachments = slices.Clone(t.Attachments)
	for i := range c.Attachments {
		c.Attachments[i].Details = slices.Clone(c.Attachments[i].Details)
	}
	c.EphemeralStorage, c.FargateEphemeralStorage = clonePtr(t.EphemeralStorage), clonePtr(t.FargateEphemeralStorage)
	return &c
}

// cloneOverrides returns a copy of o that shares nothing with it.
func cloneOverrides(o *ecs.TaskOverride) *ecs.TaskOverride {
	if o == nil {
		return nil
	}
	c := *o
	c.ContainerOverrides = slices.Clone(o.ContainerOverrides)
	if o.ContainerOverrides != nil && c.ContainerOverrides == nil {
		c.ContainerOverrides = []ecs.ContainerOverride{}
	}
	for i := range c.ContainerOverrides {
		co := &c.ContainerOverrides[i]
		co.Command = slices.Clone(co.Command)
		co.Environment = slices.Clone(co.Environment)
		co.EnvironmentFiles = slices.Clone(co.EnvironmentFiles)
		co.ResourceRequirements = slices.Clone(co.ResourceRequirements)
		co.CPU, co.Memory, co.MemoryReservation = clonePtr(co.CPU), clonePtr(co.Memory), clonePtr(co.MemoryReservation)
	}
	c.InferenceAcceleratorOverrides = slices.Clone(o.InferenceAcceleratorOverrides)
	if o.EphemeralStorage != nil {
		es := *o.EphemeralStorage
		c.EphemeralStorage = &es
	}
	return &c
}

// clonePtr returns a pointer to a copy of *p, or nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
