package ecstest

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// miFleet is the EC2 instances ECS runs for a Managed Instances capacity
// provider.
type miFleet struct {
	home    *cluster    // the cluster it was created in, the only one it can join
	members []*miMember // launched and not yet terminated, in launch order
}

// miMember is an instance of a Managed Instances provider.
type miMember struct {
	ec2ID, az, typ string
	launchedAt     time.Time
	inst           *instance // once registered
	idleSince      time.Time // when it was first seen without non-daemon tasks; zero while busy
}

// createManagedProvider creates a Managed Instances capacity provider in
// the cluster req.Cluster names (rule 170). e.mu must be held.
func (e *ECS) createManagedProvider(req *ecs.CreateCapacityProviderRequest) (*ecs.CapacityProvider, error) {
	if err := checkManagedInstances(req.Cluster, req.ManagedInstancesProvider); err != nil {
		return nil, err
	}
	cl, err := e.activeCluster(req.Cluster)
	if err != nil {
		return nil, err
	}
	info := managedDefaults(req.ManagedInstancesProvider)
	if len(candidateTypes(e.catalog, e.prices, info.InstanceLaunchTemplate.InstanceRequirements)) == 0 {
		return nil, invalidParameter("No instance type of the catalogue meets managedInstancesProvider.instanceLaunchTemplate.instanceRequirements.")
	}
	p := &capacityProvider{mi: &miFleet{home: cl}, info: ecs.CapacityProvider{
		CapacityProviderARN: e.arns.prefix() + "capacity-provider/" + req.Name, Name: req.Name, Cluster: cl.info.ClusterName,
		Status: ecs.CapacityProviderStatusActive, UpdateStatus: ecs.CapacityProviderUpdateStatusCreateComplete,
		ManagedInstancesProvider: info, Tags: slices.Clone(req.Tags), Type: ecs.CapacityProviderTypeManagedInstances,
	}}
	e.providers[req.Name] = p
	return deepCopy(&p.info), nil
}

// updateManagedProvider is UpdateCapacityProvider for a Managed Instances
// provider: the instances it launches from now on follow the new
// configuration. e.mu must be held.
func (e *ECS) updateManagedProvider(p *capacityProvider, req *ecs.UpdateCapacityProviderRequest) (*ecs.CapacityProvider, error) {
	switch {
	case req.AutoScalingGroupProvider != nil:
		return nil, invalidParameter("autoScalingGroupProvider cannot be updated on the Managed Instances capacity provider %s.", p.info.Name)
	case req.ManagedInstancesProvider == nil:
		return nil, invalidParameter("managedInstancesProvider is required.")
	case req.Cluster != "" && lastPart(req.Cluster) != p.mi.home.info.ClusterName:
		return nil, invalidParameter("The capacity provider %s belongs to cluster %s.", p.info.Name, p.mi.home.info.ClusterName)
	}
	next, err := updateManaged(p.info.ManagedInstancesProvider, req.ManagedInstancesProvider, p.mi.home.info.ClusterName)
	if err != nil {
		return nil, err
	}
	if len(candidateTypes(e.catalog, e.prices, next.InstanceLaunchTemplate.InstanceRequirements)) == 0 {
		return nil, invalidParameter("No instance type of the catalogue meets managedInstancesProvider.instanceLaunchTemplate.instanceRequirements.")
	}
	p.info.ManagedInstancesProvider = next
	p.info.UpdateStatus = ecs.CapacityProviderUpdateStatusUpdateComplete
	return deepCopy(&p.info), nil
}

// managedLaunch returns MANAGED_INSTANCES when the strategy runs its tasks
// on a Managed Instances provider, lt otherwise. e.mu must be held.
func (e *ECS) managedLaunch(lt ecs.LaunchType, strategy []ecs.CapacityProviderStrategyItem) ecs.LaunchType {
	for _, it := range strategy {
		if p := e.providers[it.CapacityProvider]; p != nil && p.mi != nil {
			return ecs.LaunchTypeManagedInstances
		}
	}
	return lt
}

// providerLaunch returns the launch type of a task on the instances of
// the provider called name: MANAGED_INSTANCES for a Managed Instances
// provider, EC2 otherwise. e.mu must be held.
func (e *ECS) providerLaunch(name string) ecs.LaunchType {
	if p := e.providers[name]; p != nil && p.mi != nil {
		return ecs.LaunchTypeManagedInstances
	}
	return ecs.LaunchTypeEC2
}

// placementLaunch is the launch type placement places a task of launch
// type lt with: a Managed Instances task goes on container instances as
// an EC2 one does.
func placementLaunch(lt ecs.LaunchType) ecs.LaunchType {
	if lt == ecs.LaunchTypeManagedInstances {
		return ecs.LaunchTypeEC2
	}
	return lt
}

// taskLaunchType returns the launch type a task on inst shows:
// MANAGED_INSTANCES on an instance of a Managed Instances provider, else
// as instanceLaunchType says.
func taskLaunchType(inst *instance) ecs.LaunchType {
	if inst.managed {
		return ecs.LaunchTypeManagedInstances
	}
	return instanceLaunchType(inst)
}

// nonDaemonTasks counts the tasks on inst that no daemon or DAEMON
// service started: an instance without any is empty (rule 140) or idle
// (rule 173).
func nonDaemonTasks(inst *instance) int {
	n := 0
	for _, tk := range inst.tasks {
		if tk.daemon == nil && (tk.svc == nil || tk.svc.info().SchedulingStrategy != ecs.SchedulingStrategyDaemon) {
			n++
		}
	}
	return n
}

// scaleInAfter returns how long an instance of p stays idle before ECS
// terminates it, or -1 when it never does (rule 173).
func scaleInAfter(p *capacityProvider) time.Duration {
	v := DefaultScaleInAfter
	if o := p.info.ManagedInstancesProvider.InfrastructureOptimization; o != nil && o.ScaleInAfter != nil {
		v = *o.ScaleInAfter
	}
	if v < 0 {
		return -1
	}
	return time.Duration(v) * time.Second
}

// evaluateFleet is one evaluation of a Managed Instances provider, every
// minute while it belongs to its cluster: it lets go of the instances
// that are gone, terminates drained ones and those idle longer than
// scaleInAfter (none while tasks wait for the provider), and launches the
// instances the tasks waiting for it need (launchFor). e.mu must be held.
func (e *ECS) evaluateFleet(p *capacityProvider) {
	f, now := p.mi, e.clock.Now()
	waiting := e.waitingDemands(p.cluster, p.info.Name)
	after := scaleInAfter(p)
	for _, m := range slices.Clone(f.members) {
		if m.inst == nil {
			continue
		}
		busy := nonDaemonTasks(m.inst)
		switch {
		case m.inst.ci.Status == statusInactive:
			f.drop(m)
		case m.inst.ci.Status == statusDraining && busy == 0:
			e.terminateManaged(f, m)
		case busy > 0:
			m.idleSince = time.Time{}
		case m.idleSince.IsZero():
			m.idleSince = now
			if after == 0 && len(waiting) == 0 {
				e.terminateManaged(f, m)
			}
		case after >= 0 && now.Sub(m.idleSince) >= after && len(waiting) == 0:
			e.terminateManaged(f, m)
		}
	}
	e.launchFor(p, waiting)
}

// drop forgets m.
func (f *miFleet) drop(m *miMember) {
	f.members = slices.DeleteFunc(f.members, func(x *miMember) bool { return x == m })
}

// terminateManaged terminates m's instance as TerminateInstance does and
// forgets it (rule 173: ECS deregisters an idle instance and terminates
// it). e.mu must be held.
func (e *ECS) terminateManaged(f *miFleet, m *miMember) {
	f.drop(m)
	if m.inst != nil && m.inst.ci.Status != statusInactive {
		e.terminateLocked(m.inst)
	}
}

// launchFor launches what the waiting tasks need beyond the instances
// still launching (rule 172): the cheapest instance type of the
// provider's that holds every waiting task (the largest CPU, memory, GPUs
// and ENIs among them, each on its own: the task with the most CPU may
// need the least memory), as many of it as capacity.EstimateNeeds
// binpacks the waiting tasks onto. When no one type holds them all, each
// task goes to the cheapest type that holds it, and each such type is
// launched for its tasks. Tasks no type holds wait on. e.mu must be held.
func (e *ECS) launchFor(p *capacityProvider, waiting []ecs.Resources) {
	if len(waiting) == 0 {
		return
	}
	arch := e.fleetArch(p)
	types := slices.DeleteFunc(candidateTypes(e.catalog, e.prices, p.info.ManagedInstancesProvider.InstanceLaunchTemplate.InstanceRequirements),
		func(t ecs.InstanceType) bool { return t.Architecture != "" && t.Architecture != arch })
	holds := func(t ecs.InstanceType, r ecs.Resources) bool {
		return !capacity.EstimateNeeds(nil, []ecs.Resources{r}, []capacity.InstanceShape{capacity.ShapeOf(t, false)}).AllExcluded
	}
	var all ecs.Resources
	for _, w := range waiting {
		all.CPU, all.MemoryMiB = max(all.CPU, w.CPU), max(all.MemoryMiB, w.MemoryMiB)
		all.GPUs, all.ENIs = max(all.GPUs, w.GPUs), max(all.ENIs, w.ENIs)
	}
	if i := slices.IndexFunc(types, func(t ecs.InstanceType) bool { return holds(t, all) }); i >= 0 {
		e.launchType(p, types[i], waiting, true, false)
		return
	}
	byType := map[int][]ecs.Resources{}
	for _, w := range waiting {
		if i := slices.IndexFunc(types, func(t ecs.InstanceType) bool { return holds(t, w) }); i >= 0 {
			byType[i] = append(byType[i], w)
		}
	}
	for n, i := range slices.Sorted(maps.Keys(byType)) {
		e.launchType(p, types[i], byType[i], n == 0, true)
	}
}

// launchType launches instances of type t for the waiting tasks, beyond
// those still launching (of type t only when ofType is set); spread adds
// those the provider's zones need (spreadNeed). e.mu must be held.
func (e *ECS) launchType(p *capacityProvider, t ecs.InstanceType, waiting []ecs.Resources, spread, ofType bool) {
	launching := 0
	for _, m := range p.mi.members {
		if m.inst == nil && (!ofType || m.typ == t.Name) {
			launching++
		}
	}
	n := 0
	if spread {
		n = e.spreadNeed(p)
	}
	if left := e.beyondRoom(p, waiting); len(left) > 0 {
		n = max(n, capacity.EstimateNeeds(nil, left, []capacity.InstanceShape{capacity.ShapeOf(t, false)}).New-launching)
	}
	for range n {
		e.launchManaged(p, t)
	}
}

// fleetZones returns the Availability Zones p launches into: one per
// subnet of its network configuration, up to three (the Region's a, b and
// c, in the subnets' order: the simulation knows no subnet's zone), less
// the zones lost (LoseZone) while another is left. e.mu must be held.
func (e *ECS) fleetZones(p *capacityProvider) []string {
	n := 1
	if nc := p.info.ManagedInstancesProvider.InstanceLaunchTemplate.NetworkConfiguration; nc != nil {
		n = min(3, max(1, len(nc.Subnets)))
	}
	var zones, up []string
	for _, z := range []string{"a", "b", "c"}[:n] {
		zones = append(zones, e.arns.region+z)
		if !e.lostZones[e.arns.region+z] {
			up = append(up, e.arns.region+z)
		}
	}
	if len(up) == 0 {
		return zones
	}
	return up
}

// spreadNeed returns how many instances to launch, beyond those running
// or launching, so that a service's waiting tasks can spread over as many
// zones as the provider has, up to three: ECS Managed Instances spread a
// service's tasks over at least three instances in different zones when
// they can, before binpacking (rule 172). e.mu must be held.
func (e *ECS) spreadNeed(p *capacityProvider) int {
	zones := e.fleetZones(p)
	covered := map[string]bool{}
	for _, m := range p.mi.members {
		if m.inst == nil || m.inst.ci.Status == statusActive {
			covered[m.az] = true
		}
	}
	per := map[*service]int{}
	for _, w := range p.cluster.waiting {
		if w.tk.svc != nil && w.tk.waitsForCapacity() && w.tk.t.CapacityProviderName == p.info.Name {
			per[w.tk.svc]++
		}
	}
	need := 0
	for _, n := range per {
		need = max(need, min(len(zones), n)-len(covered))
	}
	return need
}

// beyondRoom returns the waiting tasks that do not fit, first fit from
// the largest, in the CPU and memory the provider's ACTIVE instances have
// left: those the scheduler has yet to place there need no new
// instance. e.mu must be held.
func (e *ECS) beyondRoom(p *capacityProvider, waiting []ecs.Resources) []ecs.Resources {
	type room struct{ cpu, mem int }
	var rooms []room
	for _, m := range p.mi.members {
		if m.inst == nil || m.inst.ci.Status != statusActive {
			continue
		}
		r := room{}
		for _, res := range m.inst.ci.RegisteredResources {
			switch res.Name {
			case "CPU":
				r.cpu = res.IntegerValue
			case "MEMORY":
				r.mem = res.IntegerValue
			}
		}
		u := m.inst.used()
		rooms = append(rooms, room{r.cpu - u.CPU, r.mem - u.MemoryMiB})
	}
	sorted := slices.Clone(waiting)
	slices.SortStableFunc(sorted, func(a, b ecs.Resources) int {
		return cmp.Or(cmp.Compare(b.CPU, a.CPU), cmp.Compare(b.MemoryMiB, a.MemoryMiB))
	})
	var left []ecs.Resources
	for _, w := range sorted {
		i := slices.IndexFunc(rooms, func(r room) bool { return w.GPUs == 0 && r.cpu >= w.CPU && r.mem >= w.MemoryMiB })
		if i < 0 {
			left = append(left, w)
			continue
		}
		rooms[i].cpu -= w.CPU
		rooms[i].mem -= w.MemoryMiB
	}
	return left
}

// fleetArch returns the CPU architecture (as ecs.cpu-architecture names
// it) of the instances p launches: arm64 when the tasks waiting for it
// all ask for ARM64 (runtimePlatform), x86_64 otherwise, ECS's default
// for a task definition that names none. e.mu must be held.
func (e *ECS) fleetArch(p *capacityProvider) string {
	arm, x86 := false, false
	for _, w := range p.cluster.waiting {
		if !w.tk.waitsForCapacity() || w.tk.t.CapacityProviderName != p.info.Name {
			continue
		}
		if rp := w.tk.td.RuntimePlatform; rp != nil && rp.CPUArchitecture == ecs.CPUArchitectureArm64 {
			arm = true
		} else {
			x86 = true
		}
	}
	if arm && !x86 {
		return "arm64"
	}
	return "x86_64"
}

// launchManaged launches an instance of type t for p in its least used
// zone; it registers in the provider's cluster after DefaultLaunchTime,
// with the provider's tags when propagateTags is CAPACITY_PROVIDER, and
// starts its daemons before any other task. e.mu must be held.
func (e *ECS) launchManaged(p *capacityProvider, t ecs.InstanceType) {
	f := p.mi
	zones := e.fleetZones(p)
	count := map[string]int{}
	for _, m := range f.members {
		count[m.az]++
	}
	az := slices.MinFunc(zones, func(a, b string) int { return cmp.Or(cmp.Compare(count[a], count[b]), strings.Compare(a, b)) })
	m := &miMember{ec2ID: e.ids.ec2InstanceID(), az: az, typ: t.Name, launchedAt: e.clock.Now()}
	f.members = append(f.members, m)
	spot := p.info.ManagedInstancesProvider.InstanceLaunchTemplate.CapacityOptionType == ecs.CapacityOptionTypeSpot
	e.clock.AfterFunc(DefaultLaunchTime, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		cl := p.cluster
		if !slices.Contains(f.members, m) || cl == nil || cl.info.Status != statusActive {
			f.drop(m)
			return
		}
		in := Instance{InstanceType: m.typ, AvailabilityZone: m.az, EC2InstanceID: m.ec2ID}
		if p.info.ManagedInstancesProvider.PropagateTags == ecs.PropagateMITagsCapacityProvider {
			in.Tags = slices.Clone(p.info.Tags)
		}
		reg, err := e.prepare(in, true)
		if err != nil {
			f.drop(m)
			e.logger.Error("ecstest: Managed Instances instance failed to register", "provider", p.info.Name, "error", err)
			return
		}
		m.inst = e.addLocked(cl, reg, "", statusActive)
		m.inst.managed = true
		m.inst.ci.CapacityProviderName = p.info.Name
		e.changed(cl, nil, true)
		e.startDaemons(cl, m.inst) // before any other task (rule 174)
		if spot {
			e.spotLaunched(m.inst, false)
		}
	})
}

// releaseFleet terminates the instances of a Managed Instances provider
// that has left its cluster. e.mu must be held.
func (e *ECS) releaseFleet(p *capacityProvider) {
	for _, m := range slices.Clone(p.mi.members) {
		e.terminateManaged(p.mi, m)
	}
}

// ManagedInstances returns the EC2 instances ECS runs for the Managed
// Instances capacity provider called name, in the order they launched.
func (e *ECS) ManagedInstances(ctx context.Context, name string) ([]GroupInstance, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.providers[name]
	if p == nil || p.mi == nil || p.info.Status == ecs.CapacityProviderStatusInactive {
		return nil, apiErrorf(ecs.ClientException, ecs.ErrNotFound, "No Managed Instances capacity provider named %s.", name)
	}
	out := []GroupInstance{}
	for _, m := range p.mi.members {
		gi := GroupInstance{EC2InstanceID: m.ec2ID, AvailabilityZone: m.az, LaunchedAt: m.launchedAt, InstanceType: m.typ}
		if m.inst != nil {
			gi.ContainerInstanceARN = m.inst.ci.ContainerInstanceARN
			gi.Draining = m.inst.ci.Status == statusDraining
		}
		out = append(out, gi)
	}
	return out, nil
}
