package placement

import (
	"fmt"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// Request asks an Engine to place tasks of one task definition: a RunTask
// call, or the tasks a service scheduler wants started.
type Request struct {
	// TaskDefinition is the definition to run. Its requiresAttributes,
	// the attributes its features need (ecs.RequiredAttributes) and its
	// placementConstraints apply.
	TaskDefinition *ecs.TaskDefinition
	// Overrides are RunTask's overrides; their task and container cpu,
	// memory, memoryReservation and GPU change what each task takes.
	Overrides *ecs.TaskOverride
	// Count is the number of tasks to place; 0 means 1. RunTask allows 1
	// to 10 (ValidateRunTask checks it); a service may ask for more.
	Count int
	// Service names the service the tasks belong to. It makes the task
	// group service:<Service>, the default strategy the service default,
	// and names the service in the explanation's event.
	Service string
	// Group is the task group of standalone tasks; empty means
	// family:<family>. It is ignored when Service is set.
	Group string
	// LaunchType is EC2 (the default when empty) or EXTERNAL. EXTERNAL
	// tasks go only to instances with the ecs.capability.external
	// attribute, EC2 tasks never to them.
	LaunchType ecs.LaunchType
	// CapacityProvider, when set, limits the tasks to instances whose
	// capacityProviderName it is.
	CapacityProvider string
	// Instances, when not empty, limits the tasks to these container
	// instances, by ARN: a service scheduler's way to place on a named
	// instance (a daemon's) or in one Availability Zone (rebalancing)
	// without spending one of the ten constraints. Instances not named
	// are not considered and not reported; ARNs the engine does not hold
	// are ignored.
	Instances []string
	// Strategy is the placement strategy chain, at most five steps,
	// applied in order. Empty means the default: for a service,
	// spread(attribute:ecs.availability-zone) then spread(instanceId)
	// (the documented default algorithm); for standalone tasks, random.
	Strategy []ecs.PlacementStrategy
	// Constraints are the call's placement constraints; with the task
	// definition's there may be at most ten.
	Constraints []ecs.PlacementConstraint
	// Seed seeds the random strategy.
	Seed uint64
	// AllOrNothing asks for every task or none: when one does not fit,
	// the engine is left as it was and no placement is reported.
	AllOrNothing bool
	// TaskARNs, when given, name the tasks to place, in order; the
	// engine records them for Stop and ScaleIn.
	TaskARNs []string
}

// count returns the number of tasks asked for.
func (r *Request) count() int {
	if r.Count <= 0 {
		return 1
	}
	return r.Count
}

// group returns the request's task group: service:<name> for a service,
// else Group, else family:<family>.
func (r *Request) group() string {
	switch {
	case r.Service != "":
		return ecs.ServiceGroup(r.Service)
	case r.Group != "":
		return r.Group
	}
	return ecs.FamilyGroup(r.TaskDefinition.Family)
}

// strategy returns the chain to apply, the default when none is set. The
// defaults returned are shared: callers only read them.
func (r *Request) strategy() []ecs.PlacementStrategy {
	switch {
	case len(r.Strategy) > 0:
		return r.Strategy
	case r.Service != "":
		return serviceDefault
	}
	return runTaskDefault
}

// The default chains, read by Request.strategy.
var (
	serviceDefault = ServiceDefaultStrategy()
	runTaskDefault = RunTaskDefaultStrategy()
)

// ServiceDefaultStrategy returns the chain a service uses when it sets
// none (rules 91 and 92): spread over Availability Zones, then, within the
// chosen zone, the instance with the fewest tasks of the service.
func ServiceDefaultStrategy() []ecs.PlacementStrategy {
	return []ecs.PlacementStrategy{
		{Type: ecs.PlacementStrategyTypeSpread, Field: "attribute:" + ecs.AttrAvailabilityZone},
		{Type: ecs.PlacementStrategyTypeSpread, Field: FieldInstanceID},
	}
}

// RunTaskDefaultStrategy returns the chain RunTask uses when it sets none
// (rule 91, open point 6): random.
func RunTaskDefaultStrategy() []ecs.PlacementStrategy {
	return []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeRandom}}
}

// TaskDemand returns what one task of td takes from an instance when run
// with overrides (which may be nil), by the agent's rule (see
// ecs.TaskResources): a task-level cpu or memory override replaces the
// task definition's, and a container override's cpu, memory,
// memoryReservation and GPU requirement replace the container's.
func TaskDemand(td *ecs.TaskDefinition, overrides *ecs.TaskOverride) (ecs.Resources, error) {
	if overrides == nil || td == nil {
		return ecs.TaskResources(td)
	}
	c := *td
	if overrides.CPU != "" {
		c.CPU = overrides.CPU
	}
	if overrides.Memory != "" {
		c.Memory = overrides.Memory
	}
	if len(overrides.ContainerOverrides) > 0 {
		c.ContainerDefinitions = slices.Clone(td.ContainerDefinitions)
		for i, o := range overrides.ContainerOverrides {
			k := slices.IndexFunc(c.ContainerDefinitions, func(cd ecs.ContainerDefinition) bool { return cd.Name == o.Name })
			if k < 0 {
				return ecs.Resources{}, fmt.Errorf("overrides.containerOverrides[%d]: no container named %q", i, o.Name)
			}
			applyOverride(&c.ContainerDefinitions[k], o)
		}
	}
	return ecs.TaskResources(&c)
}

func applyOverride(cd *ecs.ContainerDefinition, o ecs.ContainerOverride) {
	if o.CPU != nil {
		cd.CPU = *o.CPU
	}
	if o.Memory != nil {
		cd.Memory = o.Memory
	}
	if o.MemoryReservation != nil {
		cd.MemoryReservation = o.MemoryReservation
	}
	if len(o.ResourceRequirements) > 0 {
		reqs := slices.DeleteFunc(slices.Clone(cd.ResourceRequirements), func(r ecs.ResourceRequirement) bool {
			return slices.ContainsFunc(o.ResourceRequirements, func(x ecs.ResourceRequirement) bool { return x.Type == r.Type })
		})
		cd.ResourceRequirements = append(reqs, o.ResourceRequirements...)
	}
}
