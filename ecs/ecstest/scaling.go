package ecstest

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// scalingInterval is how often managed scaling evaluates a provider, as
// ECS does: every minute.
const scalingInterval = time.Minute

// putClusterCapacityProviders is PutClusterCapacityProviders with the request's members as arguments.
func (e *ECS) putClusterCapacityProviders(ctx context.Context, cluster string, providers []string, strategy []ecs.CapacityProviderStrategyItem) (*ecs.Cluster, error) {
	if cluster == "" {
		return nil, invalidParameter("cluster is required.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	if err := e.checkClusterProviders(cl, providers, strategy); err != nil {
		return nil, err
	}
	for _, name := range cl.info.CapacityProviders {
		if !slices.Contains(providers, name) && e.providerInUse(cl, name) {
			return nil, apiErrorf(ecs.ResourceInUseException, ecs.ErrInvalid, "The specified capacity provider is in use and cannot be removed.")
		}
	}
	e.associate(cl, providers)
	cl.info.CapacityProviders = slices.Clone(providers)
	cl.info.DefaultCapacityProviderStrategy = slices.Clone(strategy)
	return e.describeCluster(cl), nil
}

// checkClusterProviders checks a cluster's providers and default strategy:
// each provider exists and belongs to no other cluster, and the strategy
// is valid (capacity.ValidateStrategy) over those providers. cl is nil for
// a cluster being created. e.mu must be held.
func (e *ECS) checkClusterProviders(cl *cluster, providers []string, strategy []ecs.CapacityProviderStrategyItem) error {
	for _, name := range providers {
		if capacity.IsFargate(name) {
			continue
		}
		p := e.providers[name]
		switch {
		case p == nil || p.info.Status == ecs.CapacityProviderStatusInactive:
			return invalidParameter("The specified capacity provider %s does not exist.", name)
		case p.cluster != nil && p.cluster != cl:
			return invalidParameter("The specified capacity provider %s is already associated with cluster %s.", name, p.cluster.info.ClusterName)
		case p.mi != nil && p.mi.home != cl:
			return invalidParameter("The Managed Instances capacity provider %s is available only within cluster %s.", name, p.mi.home.info.ClusterName)
		}
	}
	if len(strategy) == 0 {
		return nil
	}
	if err := capacity.ValidateStrategy(strategy); err != nil {
		return err
	}
	for _, it := range strategy {
		if !slices.Contains(providers, it.CapacityProvider) {
			return invalidParameter("The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.")
		}
	}
	return nil
}

// providerInUse reports whether a task or service of cl uses the provider.
// e.mu must be held.
func (e *ECS) providerInUse(cl *cluster, name string) bool {
	for _, tk := range cl.tasks {
		if tk.t.CapacityProviderName == name && !tk.stopped() {
			return true
		}
	}
	uses := func(it ecs.CapacityProviderStrategyItem) bool { return it.CapacityProvider == name }
	for _, s := range cl.services {
		svc := s.info()
		if svc.Status != serviceInactive && slices.ContainsFunc(svc.CapacityProviderStrategy, uses) {
			return true
		}
		for _, ts := range s.sets {
			if slices.ContainsFunc(ts.info.CapacityProviderStrategy, uses) {
				return true
			}
		}
	}
	return false
}

// associate makes the Auto Scaling group providers named the ones of cl,
// and releases those it had that are not named. e.mu must be held.
func (e *ECS) associate(cl *cluster, providers []string) {
	for _, name := range slices.Sorted(maps.Keys(e.providers)) {
		p := e.providers[name]
		switch in := slices.Contains(providers, name); {
		case in && p.cluster != cl:
			p.cluster = cl
			e.startScaling(p)
		case !in && p.cluster == cl:
			p.cluster = nil
			p.gen++
			if p.mi != nil {
				e.releaseFleet(p)
			}
		}
	}
}

// startScaling (re)starts the provider's managed scaling evaluations, one
// now and one every minute, while it belongs to a cluster, and brings its
// group to its desired capacity. e.mu must be held.
func (e *ECS) startScaling(p *capacityProvider) {
	p.gen++
	if p.cluster == nil {
		return
	}
	if p.group != nil {
		e.reconcileGroup(p.group)
	}
	gen := p.gen
	var tick func()
	tick = func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if p.gen != gen || p.cluster == nil {
			return
		}
		e.evaluate(p)
		e.clock.AfterFunc(scalingInterval, tick)
	}
	e.clock.AfterFunc(scalingInterval, tick)
}

// evaluate runs one managed scaling evaluation of p (capacity.Driver)
// and lets its group move towards the decision. e.mu must be held.
func (e *ECS) evaluate(p *capacityProvider) {
	if p.mi != nil {
		e.evaluateFleet(p)
		return
	}
	g := p.group
	st := capacity.ScalingState{
		Now: e.clock.Now(), DesiredCapacity: g.cfg.DesiredCapacity, MinSize: g.cfg.MinSize, MaxSize: g.cfg.MaxSize,
		Provisioning: e.waitingDemands(p.cluster, p.info.Name),
	}
	for _, name := range g.cfg.InstanceTypes {
		if it, ok := e.catalog.Lookup(name); ok {
			st.Shapes = append(st.Shapes, capacity.ShapeOf(it, false))
		}
	}
	for _, m := range g.members {
		in := capacity.Instance{ID: m.ec2ID, LaunchedAt: m.launchedAt}
		if m.inst != nil {
			in.NonDaemonTasks = nonDaemonTasks(m.inst)
		}
		st.Instances = append(st.Instances, in)
	}
	if _, err := p.scaling.Step(context.Background(), st); err != nil {
		e.logger.Error("ecstest: managed scaling failed", "provider", p.info.Name, "error", err)
	}
	e.reconcileGroup(g)
}
