package ecstest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// DefaultLaunchTime is how long an instance of a simulated Auto Scaling
// group takes from its launch to its registration as a container
// instance, when the group does not say.
const DefaultLaunchTime = time.Minute

var groupNamePattern = regexp.MustCompile(`^[\x20-\x7e]{1,255}$`)

// AutoScalingGroup is a simulated EC2 Auto Scaling group, the other half
// of an Auto Scaling group capacity provider: its instances launch, boot
// and register as container instances (by the RegisterContainerInstance
// path, with the group's instance type and a zone of its own) in the
// cluster its capacity provider is associated with, and are terminated
// when it scales in. Managed scaling sets its desired capacity.
type AutoScalingGroup struct {
	// Name is the group's name, unique in the ECS.
	Name string
	// InstanceType is its instances' type, which must be in the instance
	// type catalogue.
	InstanceType string
	// InstanceTypes, when set, are the types of a mixed instances policy,
	// in priority order, each in the catalogue: the group launches the
	// first (the prioritized allocation strategy), and managed scaling
	// estimates with all of them, by their smallest and largest figures
	// (rule 139). InstanceType is then empty or the first of them.
	InstanceTypes []string
	// AvailabilityZones are the zones it launches into, balancing them
	// (the Region's a, b and c when empty).
	AvailabilityZones []string
	// MinSize, MaxSize and DesiredCapacity are the group's bounds and
	// desired number of instances.
	MinSize, MaxSize, DesiredCapacity int
	// LaunchTime is how long an instance takes from launch to
	// registration (DefaultLaunchTime when 0).
	LaunchTime time.Duration
	// Spot launches the group's instances beyond OnDemandBaseCapacity as
	// Spot Instances, as a mixed instances policy with 0 % On-Demand
	// above its base does; the ECS's SpotModel interrupts them.
	Spot bool
	// OnDemandBaseCapacity is how many of a Spot group's instances are
	// On-Demand, the first launched.
	OnDemandBaseCapacity int
	// CapacityRebalance makes the group replace a Spot instance when EC2
	// recommends it (a rebalance recommendation, SpotModel.RebalanceLead
	// before its interruption): it launches a new instance and drains
	// and terminates the one at risk.
	CapacityRebalance bool
}

// GroupState is a simulated Auto Scaling group as it is now.
type GroupState struct {
	// ARN is the group's ARN, which CreateCapacityProvider takes.
	ARN string
	// DesiredCapacity is the number of instances the group keeps.
	DesiredCapacity int
	// Instances are its instances, in the order they launched.
	Instances []GroupInstance
}

// GroupInstance is an instance of a simulated Auto Scaling group.
type GroupInstance struct {
	// EC2InstanceID, AvailabilityZone and LaunchedAt say which instance
	// it is, where, and since when.
	EC2InstanceID    string
	AvailabilityZone string
	LaunchedAt       time.Time
	// InstanceType is the instance's EC2 instance type.
	InstanceType string
	// ContainerInstanceARN is empty until the instance has registered.
	ContainerInstanceARN string
	// Draining reports an instance that a scale-in drains before it is
	// terminated (managed draining).
	Draining bool
	// Spot reports a Spot Instance.
	Spot bool
}

// asgroup is a simulated Auto Scaling group.
type asgroup struct {
	cfg      AutoScalingGroup
	arn      string
	provider *capacityProvider // the provider that uses it, or nil
	members  []*member         // in service, in launch order
}

// member is an instance of a group.
type member struct {
	ec2ID, az  string
	launchedAt time.Time
	inst       *instance // once registered
	draining   bool
	spot       bool // a Spot Instance
}

// CreateAutoScalingGroup adds a simulated Auto Scaling group and returns
// its ARN, which CreateCapacityProvider takes. Its instances launch once
// its capacity provider is associated with a cluster.
func (e *ECS) CreateAutoScalingGroup(ctx context.Context, g AutoScalingGroup) (string, error) {
	if err := e.usable(); err != nil {
		return "", err
	}
	switch {
	case !groupNamePattern.MatchString(g.Name):
		return "", invalidParameter("Auto Scaling group name %q is not valid.", g.Name)
	case g.MinSize < 0 || g.MaxSize < g.MinSize || g.DesiredCapacity < g.MinSize || g.DesiredCapacity > g.MaxSize:
		return "", invalidParameter("The Auto Scaling group's sizes must satisfy 0 ≤ MinSize ≤ DesiredCapacity ≤ MaxSize.")
	case g.MaxSize > e.quotas.InstancesPerCluster:
		return "", invalidParameter("The Auto Scaling group's MaxSize %d is above the %d container instances a cluster may have.", g.MaxSize, e.quotas.InstancesPerCluster)
	case g.LaunchTime < 0:
		return "", invalidParameter("LaunchTime must not be negative.")
	case g.OnDemandBaseCapacity < 0:
		return "", invalidParameter("OnDemandBaseCapacity must not be negative.")
	case !g.Spot && (g.OnDemandBaseCapacity > 0 || g.CapacityRebalance):
		return "", invalidParameter("OnDemandBaseCapacity and CapacityRebalance apply to a group with Spot.")
	}
	switch {
	case len(g.InstanceTypes) == 0:
		g.InstanceTypes = []string{g.InstanceType}
	case g.InstanceType == "":
		g.InstanceType = g.InstanceTypes[0]
	case g.InstanceType != g.InstanceTypes[0]:
		return "", invalidParameter("InstanceType %q must be the first of InstanceTypes, the type the group launches.", g.InstanceType)
	}
	g.InstanceTypes = slices.Clone(g.InstanceTypes)
	for _, name := range g.InstanceTypes {
		if _, ok := e.catalog.Lookup(name); !ok {
			return "", invalidParameter("Instance type %q is not in the instance type catalogue.", name)
		}
	}
	if g.LaunchTime == 0 {
		g.LaunchTime = DefaultLaunchTime
	}
	if len(g.AvailabilityZones) == 0 {
		g.AvailabilityZones = []string{e.arns.region + "a", e.arns.region + "b", e.arns.region + "c"}
	}
	g.AvailabilityZones = slices.Clone(g.AvailabilityZones)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.groups[g.Name] != nil {
		return "", invalidParameter("An Auto Scaling group named %s exists already.", g.Name)
	}
	id := e.ids.next("autoscaling")
	arn := fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:%s-%s-%s-%s-%s:autoScalingGroupName/%s",
		e.arns.region, e.arns.account, id[:8], id[8:12], id[12:16], id[16:20], id[20:], g.Name)
	e.groups[g.Name] = &asgroup{cfg: g, arn: arn}
	return arn, nil
}

// DescribeAutoScalingGroup returns the state of the simulated Auto
// Scaling group called name.
func (e *ECS) DescribeAutoScalingGroup(ctx context.Context, name string) (*GroupState, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.groups[name]
	if g == nil {
		return nil, apiErrorf(ecs.ResourceNotFoundException, ecs.ErrNotFound, "No Auto Scaling group named %s.", name)
	}
	st := &GroupState{ARN: g.arn, DesiredCapacity: g.cfg.DesiredCapacity, Instances: []GroupInstance{}}
	for _, m := range g.members {
		gi := GroupInstance{EC2InstanceID: m.ec2ID, AvailabilityZone: m.az, LaunchedAt: m.launchedAt, InstanceType: g.cfg.InstanceType, Draining: m.draining, Spot: m.spot}
		if m.inst != nil {
			gi.ContainerInstanceARN = m.inst.ci.ContainerInstanceARN
		}
		st.Instances = append(st.Instances, gi)
	}
	return st, nil
}

// SetDesiredCapacity sets the desired capacity of the simulated Auto
// Scaling group called name, as a user or a scaling policy would, within
// its minimum and maximum size.
func (e *ECS) SetDesiredCapacity(ctx context.Context, name string, n int) error {
	if err := e.usable(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.groups[name]
	if g == nil {
		return apiErrorf(ecs.ResourceNotFoundException, ecs.ErrNotFound, "No Auto Scaling group named %s.", name)
	}
	if n < g.cfg.MinSize || n > g.cfg.MaxSize {
		return invalidParameter("Desired capacity %d is outside the group's sizes %d to %d.", n, g.cfg.MinSize, g.cfg.MaxSize)
	}
	g.cfg.DesiredCapacity = n
	e.reconcileGroup(g)
	return nil
}

// groupScaler is the capacity.Scaler of managed scaling: the ECS's
// simulated groups, by ARN. It is called with e.mu held.
type groupScaler struct{ e *ECS }

// SetDesiredCapacity sets the desired capacity of the group, within its
// sizes.
func (s groupScaler) SetDesiredCapacity(ctx context.Context, arn string, n int) error {
	for _, g := range s.e.groups {
		if g.arn == arn {
			g.cfg.DesiredCapacity = min(max(n, g.cfg.MinSize), g.cfg.MaxSize)
			s.e.reconcileGroup(g)
			return nil
		}
	}
	return fmt.Errorf("no Auto Scaling group %s", arn)
}

// cluster returns the cluster the group's instances join, or nil while
// its provider is associated with none.
func (g *asgroup) cluster() *cluster {
	if g.provider == nil {
		return nil
	}
	return g.provider.cluster
}

// reconcileGroup launches instances or scales in towards the desired
// capacity, and terminates drained instances that have no task left. A
// group whose provider is associated with no cluster launches nothing.
// e.mu must be held.
func (e *ECS) reconcileGroup(g *asgroup) {
	cl := g.cluster()
	if cl == nil {
		return
	}
	for _, m := range slices.Clone(g.members) {
		switch {
		case m.draining && m.inst != nil && len(m.inst.tasks) == 0:
			e.removeMember(g, m)
		case m.inst != nil && m.inst.ci.Status == statusInactive:
			// Terminated or deregistered (TerminateInstance, a Spot
			// interruption): the group replaces it, as an Auto Scaling
			// group replaces an instance that is no longer in service.
			e.removeMember(g, m)
		}
	}
	active := 0
	for _, m := range g.members {
		if !m.draining {
			active++
		}
	}
	for ; active < g.cfg.DesiredCapacity; active++ {
		e.launch(g, cl)
	}
	for ; active > g.cfg.DesiredCapacity; active-- {
		m := e.scaleInVictim(g)
		if m == nil {
			return
		}
		if m.inst != nil && g.provider.draining() && len(m.inst.tasks) > 0 {
			m.draining = true
			m.inst.ci.Status = statusDraining
			m.inst.ci.Version++
			e.changed(cl, nil, true)
			e.stopDaemonsIfDrained(m.inst)
			continue
		}
		e.removeMember(g, m)
	}
}

// launch starts an instance of g in its least used zone; it registers in
// cl after the group's launch time.
func (e *ECS) launch(g *asgroup, cl *cluster) {
	count := map[string]int{}
	for _, m := range g.members {
		count[m.az]++
	}
	az := g.cfg.AvailabilityZones[0]
	for _, z := range g.cfg.AvailabilityZones {
		if count[z] < count[az] {
			az = z
		}
	}
	onDemand := 0
	for _, x := range g.members {
		if !x.spot && !x.draining {
			onDemand++
		}
	}
	m := &member{ec2ID: e.ids.ec2InstanceID(), az: az, launchedAt: e.clock.Now(), spot: g.cfg.Spot && onDemand >= g.cfg.OnDemandBaseCapacity}
	g.members = append(g.members, m)
	e.clock.AfterFunc(g.cfg.LaunchTime, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if !slices.Contains(g.members, m) || g.cluster() == nil || g.cluster().info.Status != statusActive {
			return
		}
		reg, err := e.prepare(Instance{InstanceType: g.cfg.InstanceType, AvailabilityZone: m.az, EC2InstanceID: m.ec2ID}, true)
		if err != nil {
			e.logger.Error("ecstest: Auto Scaling group instance failed to register", "group", g.cfg.Name, "error", err)
			return
		}
		cl := g.cluster()
		m.inst = e.addLocked(cl, reg, "", statusActive)
		m.inst.ci.CapacityProviderName = g.provider.info.Name
		e.changed(cl, nil, true)
		e.startDaemons(cl, m.inst) // before any other task (daemons.go)
		if m.spot {
			e.spotLaunched(m.inst, g.cfg.CapacityRebalance)
		}
	})
}

// scaleInVictim returns the instance a scale-in removes: one not yet
// draining, empty ones first (with managed termination protection, only
// those), then those past their instance warm-up period (which managed
// scaling's decision counts as removable: capacity.Decide), then those of
// the zone with the most, the newest first.
func (e *ECS) scaleInVictim(g *asgroup) *member {
	count := map[string]int{}
	var cand []*member
	for _, m := range g.members {
		if m.draining {
			continue
		}
		count[m.az]++
		if m.inst == nil || len(m.inst.tasks) == 0 || !g.provider.protected() {
			cand = append(cand, m)
		}
	}
	if len(cand) == 0 {
		return nil
	}
	busy := func(m *member) int {
		if m.inst != nil && len(m.inst.tasks) > 0 {
			return 1
		}
		return 0
	}
	warmup := capacity.ScalingDefaults(ecs.ManagedScaling{}).InstanceWarmupPeriod
	if ms := g.provider.info.AutoScalingGroupProvider.ManagedScaling; ms != nil {
		warmup = capacity.ScalingDefaults(*ms).InstanceWarmupPeriod
	}
	now := e.clock.Now()
	warming := func(m *member) int {
		if now.Sub(m.launchedAt) < warmup {
			return 1
		}
		return 0
	}
	return slices.MinFunc(cand, func(a, b *member) int {
		if d := busy(a) - busy(b); d != 0 {
			return d
		}
		if d := warming(a) - warming(b); d != 0 {
			return d
		}
		if d := count[b.az] - count[a.az]; d != 0 {
			return d
		}
		return b.launchedAt.Compare(a.launchedAt)
	})
}

// removeMember terminates an instance of g: a registered one as
// TerminateInstance does.
func (e *ECS) removeMember(g *asgroup, m *member) {
	g.members = slices.DeleteFunc(g.members, func(x *member) bool { return x == m })
	if m.inst != nil && m.inst.ci.Status != statusInactive {
		e.terminateLocked(m.inst)
	}
}
