package ecstest

import (
	"context"
	"fmt"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// maxUpdateState is the most container instances one
// updateContainerInstancesState call takes.
const maxUpdateState = 10

// instance is a container instance of a cluster.
type instance struct {
	ci     ecs.ContainerInstance // remainingResources and task counts are computed (describe)
	custom map[string]bool       // names of the attributes set with PutAttributes
	tasks  map[string]*task      // by ID: the tasks that hold its resources (not STOPPED)
	held   heldResources         // taken by what the control plane does not run (a loaded instance)
	cl     *cluster
	// managed marks an instance of a Managed Instances capacity
	// provider: its tasks' launch type is MANAGED_INSTANCES.
	managed bool
}

// LaunchInstance starts the instance in describes (an EC2 instance of a
// type of the catalogue, or one with the resources it registers) and
// registers it with the cluster ref names ("" for the default cluster), as
// its agent would, and returns the container instance, as
// RegisterContainerInstance does. It is the short way for a test to add
// capacity.
func (e *ECS) LaunchInstance(ctx context.Context, ref string, in Instance) (*ecs.ContainerInstance, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	reg, err := e.prepare(in, true)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(ref)
	if err != nil {
		return nil, err
	}
	if in.ContainerInstanceARN != "" {
		return e.reregister(cl, in.ContainerInstanceARN, reg)
	}
	if err := e.checkInstanceQuota(cl, 1); err != nil {
		return nil, err
	}
	inst := e.addLocked(cl, reg, "", statusActive)
	e.changed(cl, nil, true)
	return inst.describe(), nil
}

// addLocked adds a new container instance to cl, with the given ID (one
// from the seed when empty) and status. e.mu must be held.
func (e *ECS) addLocked(cl *cluster, reg *registration, id, status string) *instance {
	inst := e.newInstance(cl, reg, id, status)
	cl.instances[instanceIDOf(inst)] = inst
	return inst
}

// instanceIDOf returns the ID of inst: the last part of its ARN.
func instanceIDOf(inst *instance) string { return lastPart(inst.ci.ContainerInstanceARN) }

// newInstance returns a new container instance of cl, not yet added to
// it, with the given ID (one from the seed when empty) and status. e.mu
// must be held.
func (e *ECS) newInstance(cl *cluster, reg *registration, id, status string) *instance {
	if id == "" {
		id = e.ids.next("container-instance")
	}
	ec2ID := reg.ec2ID
	if ec2ID == "" {
		ec2ID = e.ids.ec2InstanceID()
	}
	inst := &instance{
		ci: ecs.ContainerInstance{
			ContainerInstanceARN: e.arns.containerInstance(cl.info.ClusterName, id),
			EC2InstanceID:        ec2ID,
			Version:              1,
			VersionInfo:          reg.version,
			RegisteredResources:  reg.resources,
			Status:               status,
			AgentConnected:       true,
			Attributes:           reg.attributes,
			RegisteredAt:         ecs.NewTime(e.clock.Now()),
			Tags:                 reg.tags,
		},
		custom: map[string]bool{},
		tasks:  map[string]*task{},
		cl:     cl,
	}
	return inst
}

// reregister applies reg to the container instance arn names. e.mu must
// be held.
func (e *ECS) reregister(cl *cluster, arn string, reg *registration) (*ecs.ContainerInstance, error) {
	id, ok := e.arns.containerInstanceID(cl.info.ClusterName, arn)
	inst := cl.instances[id]
	if !ok || inst == nil {
		return nil, invalidParameter("Container instance %s was not found in cluster %s.", arn, cl.info.ClusterName)
	}
	if inst.ci.Status == statusInactive {
		return nil, clientError("Container instance %s is inactive.", id)
	}
	attrs := reg.attributes
	for _, a := range inst.ci.Attributes {
		if inst.custom[a.Name] {
			attrs = setAttribute(attrs, a)
		}
	}
	ci := &inst.ci
	ci.Attributes = attrs
	ci.RegisteredResources = reg.resources
	if reg.version != nil {
		ci.VersionInfo = reg.version
	}
	if len(reg.tags) > 0 {
		ci.Tags = reg.tags
	}
	ci.AgentConnected = true
	ci.Version++
	e.changed(cl, nil, true)
	return inst.describe(), nil
}

// deregisterContainerInstance is DeregisterContainerInstance with the request's members as arguments.
func (e *ECS) deregisterContainerInstance(ctx context.Context, cluster, ref string, force bool) (*ecs.ContainerInstance, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, inst, err := e.clusterInstance(cluster, ref)
	if err != nil {
		return nil, err
	}
	if len(inst.tasks) > 0 && !force {
		return nil, invalidParameter("Found running tasks on the instance: stop them, or deregister it with force.")
	}
	e.deregisterLocked(inst)
	return inst.describe(), nil
}

// deregisterLocked makes inst INACTIVE and has the cluster's services
// look again. e.mu must be held.
func (e *ECS) deregisterLocked(inst *instance) {
	e.spotReleased(inst) // a Spot instance gone is interrupted no more
	inst.ci.Status = statusInactive
	inst.ci.AgentConnected = false
	inst.ci.Version++
	e.changed(inst.cl, nil, true)
}

// registeredInstance returns the ACTIVE or DRAINING container instance ref
// names, or an InvalidParameterException. e.mu must be held.
// clusterInstance finds the active cluster that cluster names and, in it,
// the registered container instance that ref names. e.mu must be held.
func (e *ECS) clusterInstance(cluster, ref string) (*cluster, *instance, error) {
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, nil, err
	}
	inst, err := e.registeredInstance(cl, ref)
	if err != nil {
		return nil, nil, err
	}
	return cl, inst, nil
}

func (e *ECS) registeredInstance(cl *cluster, ref string) (*instance, error) {
	id, ok := e.arns.containerInstanceID(cl.info.ClusterName, ref)
	inst := cl.instances[id]
	if !ok || inst == nil || inst.ci.Status == statusInactive {
		return nil, invalidParameter("The referenced container instance %s was not found in cluster %s.", ref, cl.info.ClusterName)
	}
	return inst, nil
}

// listContainerInstances is ListContainerInstances with the request's members as arguments.
func (e *ECS) listContainerInstances(ctx context.Context, ref, status, filter string) ([]string, error) {
	switch status {
	case "", statusActive, statusDraining, "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED":
	default:
		return nil, invalidParameter("Container instance status %q is not valid: use ACTIVE, DRAINING, REGISTERING, DEREGISTERING or REGISTRATION_FAILED.", status)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(ref)
	if err != nil {
		return nil, err
	}
	var match map[string]bool
	if filter != "" {
		snap, err := e.snapshot(cl)
		if err != nil {
			return nil, fmt.Errorf("placement snapshot: %w", err)
		}
		arns, err := snap.Match(filter)
		if err != nil {
			return nil, err
		}
		match = make(map[string]bool, len(arns))
		for _, arn := range arns {
			match[arn] = true
		}
	}
	arns := []string{}
	for _, inst := range cl.instances {
		arn := inst.ci.ContainerInstanceARN
		if s := inst.ci.Status; s != statusInactive && (status == "" || s == status) && (match == nil || match[arn]) {
			arns = append(arns, arn)
		}
	}
	slices.Sort(arns)
	return arns, nil
}

// describeContainerInstances is DescribeContainerInstances with the request's members as arguments.
func (e *ECS) describeContainerInstances(ctx context.Context, cluster string, refs []string) ([]ecs.ContainerInstance, []ecs.Failure, error) {
	if len(refs) == 0 || len(refs) > maxDescribe {
		return nil, nil, invalidParameter("containerInstances must have 1 to %d items.", maxDescribe)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, nil, err
	}
	out := []ecs.ContainerInstance{}
	failures := []ecs.Failure{}
	for _, ref := range refs {
		id, ok := e.arns.containerInstanceID(cl.info.ClusterName, ref)
		inst := cl.instances[id]
		if !ok || inst == nil {
			failures = append(failures, e.instanceFailure(cl, ref, ok, "MISSING"))
			continue
		}
		out = append(out, *inst.describe())
	}
	return out, failures, nil
}

// instanceFailure reports ref as a failure, naming it by its ARN when it
// is a well-formed reference.
func (e *ECS) instanceFailure(cl *cluster, ref string, wellFormed bool, reason string) ecs.Failure {
	arn := ref
	if wellFormed {
		id, _ := e.arns.containerInstanceID(cl.info.ClusterName, ref)
		arn = e.arns.containerInstance(cl.info.ClusterName, id)
	}
	return ecs.Failure{ARN: arn, Reason: reason}
}

// updateContainerInstancesState is UpdateContainerInstancesState with the request's members as arguments.
func (e *ECS) updateContainerInstancesState(ctx context.Context, cluster string, refs []string, status string) ([]ecs.ContainerInstance, []ecs.Failure, error) {
	if status != statusActive && status != statusDraining {
		return nil, nil, invalidParameter("Container instance status can only be updated to ACTIVE or DRAINING, not %q.", status)
	}
	if len(refs) == 0 || len(refs) > maxUpdateState {
		return nil, nil, invalidParameter("containerInstances must have 1 to %d items.", maxUpdateState)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, nil, err
	}
	out := []ecs.ContainerInstance{}
	failures := []ecs.Failure{}
	for _, ref := range refs {
		id, ok := e.arns.containerInstanceID(cl.info.ClusterName, ref)
		inst := cl.instances[id]
		switch {
		case !ok || inst == nil:
			failures = append(failures, e.instanceFailure(cl, ref, ok, "MISSING"))
			continue
		case inst.ci.Status == statusInactive:
			failures = append(failures, e.instanceFailure(cl, ref, ok, statusInactive))
			continue
		case inst.ci.Status != status:
			inst.ci.Status = status
			inst.ci.Version++
			e.changed(cl, nil, true)
		}
		out = append(out, *inst.describe())
	}
	return out, failures, nil
}

func cloneInstance(ci *ecs.ContainerInstance) *ecs.ContainerInstance {
	c := *ci
	if ci.VersionInfo != nil {
		v := *ci.VersionInfo
		c.VersionInfo = &v
	}
	c.RemainingResources = cloneResources(ci.RemainingResources)
	c.RegisteredResources = cloneResources(ci.RegisteredResources)
	c.Attributes = slices.Clone(ci.Attributes)
	c.Attachments = nil
	c.Tags = slices.Clone(ci.Tags)
	c.HealthStatus = deepCopy(ci.HealthStatus)
	return &c
}

func cloneResources(list []ecs.Resource) []ecs.Resource {
	out := slices.Clone(list)
	for i := range out {
		out[i].StringSetValue = slices.Clone(out[i].StringSetValue)
	}
	return out
}
