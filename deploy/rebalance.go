package deploy

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// Availability Zone rebalancing (rule 105). A REPLICA service whose
// availabilityZoneRebalancing is ENABLED, once it is in steady state
// with its deployment COMPLETED, counts the primary deployment's tasks
// in each zone that has an instance the service may use (Placer.Eligible).
// When the zone with the most has more than one task more than the zone
// with the fewest, it starts one task in the zone with the fewest, if
// maximumPercent leaves room and a task fits there; once that task is
// healthy it stops one in the zone with the most, if minimumHealthyPercent
// allows. It repeats until the zones are balanced. ECS writes an event
// when it starts rebalancing and one when the zones are balanced again.
//
// Choices where ECS documents nothing: ties between zones go to the zone
// whose name sorts first; the zones' counts are listed most first, then by
// name; a task stopped for rebalancing has the scheduler's usual reason;
// Fargate services are not rebalanced (their tasks' zones come from
// subnets, which this package does not model).

// DefaultAvailabilityZoneRebalancing returns the availabilityZoneRebalancing
// CreateService gives a service whose request sets none (rule 105):
// ENABLED, but DISABLED for a service that rebalancing does not support:
// DAEMON, the EXTERNAL launch type, maximumPercent 100, a first placement
// strategy other than spread over attribute:ecs.availability-zone (binpack,
// say), a Classic Load Balancer, or a placement constraint on
// attribute:ecs.availability-zone. UpdateService keeps the service's value
// (a service that never had one is DISABLED), and changing it starts no
// deployment.
//
// A nil svc gives "".
func DefaultAvailabilityZoneRebalancing(svc *ecs.Service) ecs.AvailabilityZoneRebalancing {
	if svc == nil {
		return ""
	}
	if rebalanceSupported(svc, nil) {
		return ecs.AvailabilityZoneRebalancingEnabled
	}
	return ecs.AvailabilityZoneRebalancingDisabled
}

// rebalanceSupported reports whether rebalancing supports svc, whose tasks
// run td (nil when unknown). See DefaultAvailabilityZoneRebalancing.
func rebalanceSupported(svc *ecs.Service, td *ecs.TaskDefinition) bool {
	if svc.SchedulingStrategy == ecs.SchedulingStrategyDaemon || svc.LaunchType == ecs.LaunchTypeExternal {
		return false
	}
	if _, maxPct := ecs.DeploymentPercentages(ecs.SchedulingStrategyReplica, svc.DeploymentConfiguration); maxPct <= 100 {
		return false
	}
	if s := svc.PlacementStrategy; len(s) > 0 &&
		(s[0].Type != ecs.PlacementStrategyTypeSpread || s[0].Field != "attribute:"+ecs.AttrAvailabilityZone) {
		return false
	}
	for _, lb := range svc.LoadBalancers {
		if lb.LoadBalancerName != "" && lb.TargetGroupARN == "" {
			return false // a Classic Load Balancer
		}
	}
	exprs := make([]string, 0, len(svc.PlacementConstraints))
	for _, c := range svc.PlacementConstraints {
		exprs = append(exprs, c.Expression)
	}
	if td != nil {
		for _, c := range td.PlacementConstraints {
			exprs = append(exprs, c.Expression)
		}
	}
	return !slices.ContainsFunc(exprs, func(e string) bool {
		return strings.Contains(e, "attribute:"+ecs.AttrAvailabilityZone)
	})
}

// rebalances reports whether the service rebalances its zones now.
func (p *plan) rebalances() bool {
	v := p.v
	dep := &v.deps[v.primary]
	return v.svc.AvailabilityZoneRebalancing == ecs.AvailabilityZoneRebalancingEnabled &&
		dep.LaunchType != ecs.LaunchTypeExternal && !isFargate(v.svc) &&
		rebalanceSupported(v.svc, v.taskDefinition(dep.TaskDefinition))
}

// zones is the primary deployment's live tasks per Availability Zone.
type zones struct {
	names  []string // the zones of the eligible instances, sorted
	counts map[string]int
	v      *view
	of     map[string]string // container instance ARN → zone, built when first needed
}

// zones counts the primary deployment's live tasks, and those the step
// starts, in each zone with an instance the service may use.
func (p *plan) zones() (*zones, error) {
	v := p.v
	td := v.taskDefinition(v.deps[v.primary].TaskDefinition)
	if td == nil {
		return nil, &missingTaskDefinitionError{v.deps[v.primary].TaskDefinition}
	}
	names, err := v.s.Placer.Zones(p.placeRequest(td))
	if err != nil {
		return nil, err
	}
	z := &zones{names: slices.Sorted(slices.Values(names)), counts: make(map[string]int, len(names)), v: v}
	for _, az := range z.names {
		z.counts[az] = 0
	}
	count := func(inst, az string) {
		if _, ok := z.counts[z.zone(inst, az)]; ok {
			z.counts[z.zone(inst, az)]++
		}
	}
	for i := range v.tasks {
		if tv := &v.tasks[i]; tv.dep == v.primary && tv.phase.live() {
			count(tv.t.ContainerInstanceARN, tv.t.AvailabilityZone)
		}
	}
	for _, st := range p.starts {
		count(st.ContainerInstanceARN, st.AvailabilityZone)
	}
	return z, nil
}

// zoneOf returns the zone of a task.
func (z *zones) zoneOf(t *ecs.Task) string {
	return z.zone(t.ContainerInstanceARN, t.AvailabilityZone)
}

// zone returns the zone of a task: the one it names, else its instance's
// ecs.availability-zone attribute. The instances are looked up only for
// tasks that name none, which describe-tasks outputs always do.
func (z *zones) zone(inst, az string) string {
	if az != "" || inst == "" {
		return az
	}
	if z.of == nil {
		z.of = make(map[string]string, len(z.v.s.Instances))
		for i := range z.v.s.Instances {
			ci := &z.v.s.Instances[i]
			z.of[ci.ContainerInstanceARN] = attribute(ci.Attributes, ecs.AttrAvailabilityZone)
		}
	}
	return z.of[inst]
}

// fewest and most return the zones with the fewest and the most tasks,
// ties to the name that sorts first.
func (z *zones) fewest() string {
	return slices.MinFunc(z.names, func(a, b string) int { return cmp.Compare(z.counts[a], z.counts[b]) })
}

func (z *zones) most() string {
	return slices.MaxFunc(z.names, func(a, b string) int { return cmp.Compare(z.counts[a], z.counts[b]) })
}

// balanced reports whether no zone has more than one task more than
// another.
func (z *zones) balanced() bool {
	return len(z.names) < 2 || z.counts[z.most()]-z.counts[z.fewest()] <= 1
}

// String lists the counts as ECS's events do: "3 tasks in us-east-1a,
// 1 tasks in us-east-1b", the most first.
func (z *zones) String() string {
	names := slices.Clone(z.names)
	slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(z.counts[b], z.counts[a]) })
	parts := make([]string, len(names))
	for i, az := range names {
		parts[i] = fmt.Sprintf("%d tasks in %s", z.counts[az], az)
	}
	return strings.Join(parts, ", ")
}

// rebalanceStart starts, in a service in steady state whose zones are
// unbalanced, one task in the zone with the fewest tasks; in one whose
// rebalancing has made the zones balanced, it writes that they are.
func (p *plan) rebalanceStart() error {
	v := p.v
	if !p.rebalances() {
		v.mem.rebalanceTask, v.mem.rebalancing = "", false
		return nil
	}
	if p.blocked || v.mem.rebalanceTask != "" || v.deps[v.primary].RolloutState != ecs.DeploymentRolloutStateCompleted {
		return nil
	}
	z, err := p.zones()
	if err != nil {
		return err
	}
	svc := v.svc.ServiceName
	if z.balanced() {
		if v.mem.rebalancing {
			p.after = append(p.after, balancedEvent(svc, z.String()))
			v.mem.rebalancing = false
		}
		return nil
	}
	live, _ := p.count()
	if live >= boundsFor(p.desired, ecs.SchedulingStrategyReplica, v.svc.DeploymentConfiguration).Maximum {
		return nil
	}
	if !v.mem.rebalancing {
		p.after = append(p.after, unbalancedEvent(svc, z.String()))
		v.mem.rebalancing = true
	}
	az := z.fewest()
	started, err := p.launchIn(1, nil, az)
	if err != nil || len(started) == 0 {
		return err
	}
	arn := started[0].TaskARN
	v.mem.rebalanceTask = arn
	p.ownEvent(arn)
	p.after = append(p.after, rebalanceStartedEvent(svc, az, shortID(arn)))
	v.deps[v.primary].PendingCount++
	return nil
}

// rebalanceKeep handles the task started to rebalance, among keep, the
// primary deployment's tasks: while it is on its way to healthy it is left
// out of keep, so that it is not taken for a surplus; once it is healthy,
// one task of the zone with the most goes in its place, and keep is
// returned without that one.
func (p *plan) rebalanceKeep(keep []int, b bounds) ([]int, error) {
	v := p.v
	arn := v.mem.rebalanceTask
	if arn == "" {
		return keep, nil
	}
	j := slices.IndexFunc(keep, func(i int) bool { return v.tasks[i].t.TaskARN == arn })
	if j < 0 || !p.rebalances() || len(keep) != p.desired+1 {
		v.mem.rebalanceTask = "" // gone, or overtaken: the usual rules apply
		return keep, nil
	}
	if !v.tasks[keep[j]].healthy {
		return slices.Delete(slices.Clone(keep), j, j+1), nil
	}
	v.mem.rebalanceTask = ""
	z, err := p.zones()
	if err != nil {
		return nil, err
	}
	most := z.most()
	var cand []int
	for _, i := range keep {
		if tv := &v.tasks[i]; tv.healthy && tv.t.TaskARN != arn && z.zoneOf(tv.t) == most {
			cand = append(cand, i)
		}
	}
	if _, healthy := p.count(); len(cand) == 0 || healthy-1 < b.Minimum {
		return keep, nil
	}
	chosen, err := p.selectStop(cand, 1)
	if err != nil || len(chosen) == 0 {
		return keep, err
	}
	i := chosen[0]
	p.stop(i, p.scaling())
	p.ownEvent(v.tasks[i].t.TaskARN)
	p.events = append(p.events, rebalanceStoppedEvent(v.svc.ServiceName, most, shortID(v.tasks[i].t.TaskARN)))
	return slices.DeleteFunc(slices.Clone(keep), func(k int) bool { return k == i }), nil
}

// ownEvent marks a task whose start or stop has an event of its own
// instead of the started or stopped event.
func (p *plan) ownEvent(arn string) {
	if p.own == nil {
		p.own = make(map[string]bool)
	}
	p.own[arn] = true
}
