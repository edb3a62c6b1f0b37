package ecstest

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// maxDescribeProviders is the most capacity providers one
// describeCapacityProviders call names.
const maxDescribeProviders = 100

var providerNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// capacityProvider is an Auto Scaling group capacity provider (group is
// set) or a Managed Instances one (mi is set).
type capacityProvider struct {
	info    ecs.CapacityProvider
	group   *asgroup
	mi      *miFleet
	cluster *cluster // the cluster it is associated with, or nil
	scaling *capacity.Driver
	gen     uint64 // moves on when its evaluations are restarted
}

// protected reports whether managed termination protection is in effect.
func (p *capacityProvider) protected() bool {
	asg := p.info.AutoScalingGroupProvider
	return asg.ManagedTerminationProtection == ecs.ManagedTerminationProtectionEnabled &&
		asg.ManagedScaling != nil && asg.ManagedScaling.Status == ecs.ManagedScalingStatusEnabled
}

// draining reports whether managed draining is in effect (its default).
func (p *capacityProvider) draining() bool {
	return p.info.AutoScalingGroupProvider.ManagedDraining != ecs.ManagedDrainingDisabled
}

// createCapacityProvider is CreateCapacityProvider with the request's members as arguments.
func (e *ECS) createCapacityProvider(ctx context.Context, req *ecs.CreateCapacityProviderRequest) (*ecs.CapacityProvider, error) {
	name := req.Name
	lower := strings.ToLower(name)
	switch {
	case !providerNamePattern.MatchString(name):
		return nil, invalidParameter("Capacity provider name %q is not valid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.", name)
	case strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ecs") || strings.HasPrefix(lower, "fargate"):
		return nil, invalidParameter("The capacity provider name cannot be prefixed with \"aws\", \"ecs\", or \"fargate\".")
	case req.ManagedInstancesProvider != nil && req.AutoScalingGroupProvider != nil:
		return nil, invalidParameter("A capacity provider takes either autoScalingGroupProvider or managedInstancesProvider, not both.")
	case req.ManagedInstancesProvider == nil && req.AutoScalingGroupProvider == nil:
		return nil, invalidParameter("autoScalingGroupProvider is required.")
	}
	if req.AutoScalingGroupProvider != nil {
		if err := capacity.ValidateProvider(*req.AutoScalingGroupProvider); err != nil {
			return nil, err
		}
	}
	if err := checkTags(req.Tags); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if p := e.providers[name]; p != nil && p.info.Status != ecs.CapacityProviderStatusInactive {
		return nil, invalidParameter("A capacity provider named %s exists already.", name)
	}
	if req.ManagedInstancesProvider != nil {
		return e.createManagedProvider(req)
	}
	g := e.groupByARN(req.AutoScalingGroupProvider.AutoScalingGroupARN)
	switch {
	case g == nil:
		return nil, invalidParameter("The specified Auto Scaling group ARN %s does not name a group: create it with CreateAutoScalingGroup.", req.AutoScalingGroupProvider.AutoScalingGroupARN)
	case g.provider != nil && g.provider.info.Status != ecs.CapacityProviderStatusInactive:
		return nil, invalidParameter("The specified Auto Scaling group is already in use by capacity provider %s.", g.provider.info.Name)
	}
	p := &capacityProvider{group: g, info: ecs.CapacityProvider{
		CapacityProviderARN: e.arns.prefix() + "capacity-provider/" + name, Name: name,
		Status: ecs.CapacityProviderStatusActive, UpdateStatus: ecs.CapacityProviderUpdateStatusCreateComplete,
		AutoScalingGroupProvider: providerDefaults(req.AutoScalingGroupProvider), Tags: slices.Clone(req.Tags),
		Type: ecs.CapacityProviderTypeEC2Autoscaling,
	}}
	var err error
	if p.scaling, err = capacity.NewDriver(g.arn, *p.info.AutoScalingGroupProvider, groupScaler{e}); err != nil {
		return nil, err
	}
	g.provider = p
	e.providers[name] = p
	return deepCopy(&p.info), nil
}

// providerDefaults returns a copy of p with what it leaves out filled in
// as ECS shows it.
func providerDefaults(p *ecs.AutoScalingGroupProvider) *ecs.AutoScalingGroupProvider {
	out := deepCopy(p)
	if out.ManagedScaling == nil {
		out.ManagedScaling = &ecs.ManagedScaling{}
	}
	m := out.ManagedScaling
	if m.Status == "" {
		m.Status = ecs.ManagedScalingStatusDisabled
	}
	for _, f := range []struct {
		v   **int
		def int
	}{
		{&m.TargetCapacity, capacity.DefaultTargetCapacity},
		{&m.MinimumScalingStepSize, capacity.DefaultMinimumScalingStep},
		{&m.MaximumScalingStepSize, capacity.DefaultMaximumScalingStep},
		{&m.InstanceWarmupPeriod, capacity.DefaultInstanceWarmupPeriod},
	} {
		if *f.v == nil {
			*f.v = ptrTo(f.def)
		}
	}
	if out.ManagedTerminationProtection == "" {
		out.ManagedTerminationProtection = ecs.ManagedTerminationProtectionDisabled
	}
	if out.ManagedDraining == "" {
		out.ManagedDraining = ecs.ManagedDrainingEnabled
	}
	return out
}

// groupByARN returns the simulated group arn names, or nil. e.mu must be
// held.
func (e *ECS) groupByARN(arn string) *asgroup {
	for _, g := range e.groups {
		if g.arn == arn {
			return g
		}
	}
	return nil
}

// updateCapacityProvider is UpdateCapacityProvider with the request's members as arguments.
func (e *ECS) updateCapacityProvider(ctx context.Context, req *ecs.UpdateCapacityProviderRequest) (*ecs.CapacityProvider, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.provider(req.Name)
	if err != nil {
		return nil, err
	}
	if p.mi != nil {
		return e.updateManagedProvider(p, req)
	}
	if req.ManagedInstancesProvider != nil {
		return nil, invalidParameter("managedInstancesProvider cannot be updated on the Auto Scaling group capacity provider %s.", p.info.Name)
	}
	if req.AutoScalingGroupProvider == nil {
		return nil, invalidParameter("autoScalingGroupProvider is required.")
	}
	upd := *req.AutoScalingGroupProvider
	next := deepCopy(p.info.AutoScalingGroupProvider)
	if m := upd.ManagedScaling; m != nil {
		ms := next.ManagedScaling
		if m.Status != "" {
			ms.Status = m.Status
		}
		for _, f := range []struct{ dst, src **int }{
			{&ms.TargetCapacity, &m.TargetCapacity}, {&ms.MinimumScalingStepSize, &m.MinimumScalingStepSize},
			{&ms.MaximumScalingStepSize, &m.MaximumScalingStepSize}, {&ms.InstanceWarmupPeriod, &m.InstanceWarmupPeriod},
		} {
			if *f.src != nil {
				*f.dst = *f.src
			}
		}
	}
	if upd.ManagedTerminationProtection != "" {
		next.ManagedTerminationProtection = upd.ManagedTerminationProtection
	}
	if upd.ManagedDraining != "" {
		next.ManagedDraining = upd.ManagedDraining
	}
	drv, err := capacity.NewDriver(p.group.arn, *next, groupScaler{e})
	if err != nil {
		return nil, err
	}
	p.info.AutoScalingGroupProvider, p.scaling = next, drv
	p.info.UpdateStatus = ecs.CapacityProviderUpdateStatusUpdateComplete
	e.startScaling(p)
	return deepCopy(&p.info), nil
}

// provider returns the ACTIVE Auto Scaling group or Managed Instances provider ref names (a
// name or ARN), or the API's error. e.mu must be held.
func (e *ECS) provider(ref string) (*capacityProvider, error) {
	name := ref[strings.LastIndexByte(ref, '/')+1:]
	if capacity.IsFargate(name) {
		return nil, invalidParameter("The %s capacity provider is reserved and cannot be changed or deleted.", name)
	}
	p := e.providers[name]
	if p == nil || p.info.Status == ecs.CapacityProviderStatusInactive {
		return nil, apiErrorf(ecs.ClientException, ecs.ErrNotFound, "The specified capacity provider does not exist.")
	}
	return p, nil
}

// deleteCapacityProvider is DeleteCapacityProvider with the request's members as arguments.
func (e *ECS) deleteCapacityProvider(ctx context.Context, ref string) (*ecs.CapacityProvider, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.provider(ref)
	if err != nil {
		return nil, err
	}
	if p.cluster != nil {
		return nil, apiErrorf(ecs.ResourceInUseException, ecs.ErrInvalid,
			"The capacity provider cannot be deleted because it is associated with cluster: %s. Remove the capacity provider from the cluster and try again.", p.cluster.info.ClusterName)
	}
	p.info.Status = ecs.CapacityProviderStatusInactive
	p.info.UpdateStatus = ecs.CapacityProviderUpdateStatusDeleteComplete
	if p.group != nil {
		p.group.provider = nil
	}
	return deepCopy(&p.info), nil
}

// describeCapacityProviders is DescribeCapacityProviders with the request's members as arguments.
func (e *ECS) describeCapacityProviders(ctx context.Context, refs []string) ([]ecs.CapacityProvider, []ecs.Failure, error) {
	if len(refs) > maxDescribeProviders {
		return nil, nil, invalidParameter("capacityProviders can have at most %d items.", maxDescribeProviders)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	fargate := func(name string) ecs.CapacityProvider {
		return ecs.CapacityProvider{CapacityProviderARN: e.arns.prefix() + "capacity-provider/" + name, Name: name,
			Status: ecs.CapacityProviderStatusActive, Tags: []ecs.Tag{}, Type: ecs.CapacityProviderType(name)}
	}
	out := []ecs.CapacityProvider{}
	failures := []ecs.Failure{}
	if len(refs) == 0 {
		out = append(out, fargate(capacity.Fargate), fargate(capacity.FargateSpot))
		for _, name := range slices.Sorted(maps.Keys(e.providers)) {
			out = append(out, *deepCopy(&e.providers[name].info))
		}
		return out, failures, nil
	}
	for _, ref := range refs {
		name := ref[strings.LastIndexByte(ref, '/')+1:]
		switch p := e.providers[name]; {
		case capacity.IsFargate(name):
			out = append(out, fargate(name))
		case p != nil:
			out = append(out, *deepCopy(&p.info))
		default:
			failures = append(failures, ecs.Failure{ARN: ref, Reason: "MISSING"})
		}
	}
	return out, failures, nil
}
