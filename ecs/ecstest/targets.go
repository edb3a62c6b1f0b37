package ecstest

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// Load balancer targets. A task of a service with load balancers is
// registered as a target of each of its target groups when it reaches
// RUNNING. A target group checks its targets every
// healthCheckIntervalSeconds: a new target is "initial" until its first
// check, then "healthy" when the check passes (one passing check is enough
// for a new target), "unhealthy" after unhealthyThresholdCount failed
// checks in a row, and "healthy" again after healthyThresholdCount passing
// ones (the developer guide's "Optimize load balancer health check
// parameters for Amazon ECS":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html).
// The checks pass unless a test says otherwise (SetTargetHealth) or a
// fault fails the task's health checks (TaskFaults.FailHealthChecks).
//
// A task counts as healthy for minimumHealthyPercent only when it is
// healthy in every target group (and HEALTHY by its container health
// checks, if it has any): the deploy package reads the worst of its
// targets (State.Targets). The scheduler ignores unhealthy targets during
// the service's healthCheckGracePeriodSeconds, replaces those unhealthy
// after it, and counts them toward the circuit breaker (deploy).
//
// A RUNNING task asked to stop is deregistered first: its targets drain
// for the target group's deregistration delay (300 s by default), while
// the task stays DEACTIVATING, and only then do its containers get
// SIGTERM (the developer guide's "Amazon ECS task lifecycle" and
// "Connection draining":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html,
// https://docs.aws.amazon.com/AmazonECS/latest/bestpracticesguide/load-balancer-connection-draining.html).

// Elastic Load Balancing's defaults of a target group (CreateTargetGroup).
const (
	defaultTargetInterval   = 30 // HealthCheckIntervalSeconds
	defaultHealthyTargets   = 5  // HealthyThresholdCount
	defaultUnhealthyTargets = 2  // UnhealthyThresholdCount
	defaultDeregistration   = 300
)

// TargetGroup is the configuration of a simulated Elastic Load Balancing
// target group: the health check settings and the deregistration delay,
// under the names of the ELB API (deregistration_delay.timeout_seconds as
// deregistrationDelaySeconds). A target group a service names by ARN
// exists from its first use, with ELB's defaults; PutTargetGroup sets it
// up beforehand or changes it.
type TargetGroup struct {
	TargetGroupARN string `json:"targetGroupArn"`
	// HealthCheckIntervalSeconds is the time between health checks of a
	// target, 5 to 300 (default 30).
	HealthCheckIntervalSeconds int `json:"healthCheckIntervalSeconds"`
	// HealthyThresholdCount is how many passing checks make an unhealthy
	// target healthy, 2 to 10 (default 5). A new target needs one.
	HealthyThresholdCount int `json:"healthyThresholdCount"`
	// UnhealthyThresholdCount is how many failed checks make a target
	// unhealthy, 2 to 10 (default 2).
	UnhealthyThresholdCount int `json:"unhealthyThresholdCount"`
	// DeregistrationDelaySeconds is how long a deregistered target drains
	// before it is removed, 0 to 3600 (default 300).
	DeregistrationDelaySeconds int `json:"deregistrationDelaySeconds"`
}

// TargetHealthDescription is a target of a target group and its health,
// as DescribeTargetHealth shows it.
type TargetHealthDescription struct {
	TaskARN string             `json:"taskArn"`
	State   deploy.TargetState `json:"state"`
}

// targetGroup is a simulated target group and its targets.
type targetGroup struct {
	cfg     TargetGroup
	targets map[string]*target // by task ARN
}

// target is a task registered with a target group.
type target struct {
	tk      *task
	group   *targetGroup
	pass    bool               // whether its health checks pass
	since   time.Time          // when pass last changed (or registration)
	was     deploy.TargetState // the state at since
	testSet bool               // a test set pass (SetTargetHealth)
}

// lbState is the load balancing part of the simulated world: the target
// groups, the targets of each task, and the services' deployment
// strategies (strategy.go).
type lbState struct {
	groups map[string]*targetGroup // by ARN, or "classic/" + load balancer name
	byTask map[*task][]*target
	runs   map[*service]*strategyRun
	// altLive marks a service whose production traffic goes to the
	// alternate target groups (advancedConfiguration), after a blue/green
	// deployment swapped them.
	altLive map[*service]bool
	// outcomes and invocations are the simulated Lambda hooks: what each
	// function returns (SetHookOutcome) and how often it was invoked.
	outcomes    map[string]HookOutcome
	invocations map[string]int
	// discovery is the simulated Cloud Map (cloudmap.go).
	discovery discoveryState
}

// group returns the target group key names, made with ELB's defaults on
// first use. e.mu must be held.
func (e *ECS) group(key string) *targetGroup {
	if g := e.lb.groups[key]; g != nil {
		return g
	}
	if e.lb.groups == nil {
		e.lb.groups = map[string]*targetGroup{}
	}
	g := &targetGroup{cfg: TargetGroup{TargetGroupARN: key, HealthCheckIntervalSeconds: defaultTargetInterval,
		HealthyThresholdCount: defaultHealthyTargets, UnhealthyThresholdCount: defaultUnhealthyTargets,
		DeregistrationDelaySeconds: defaultDeregistration}, targets: map[string]*target{}}
	e.lb.groups[key] = g
	return g
}

// groupKey returns the key of the target group (or Classic Load
// Balancer) of lb; alt picks its alternate target group.
func groupKey(lb *ecs.LoadBalancer, alt bool) string {
	if alt && lb.AdvancedConfiguration != nil && lb.AdvancedConfiguration.AlternateTargetGroupARN != "" {
		return lb.AdvancedConfiguration.AlternateTargetGroupARN
	}
	if lb.TargetGroupARN == "" {
		return "classic/" + lb.LoadBalancerName
	}
	return lb.TargetGroupARN
}

// hasTargets reports whether svc registers its tasks with load balancers.
func hasTargets(svc *service) bool { return svc != nil && len(svc.info().LoadBalancers) > 0 }

// groupsOf returns the keys of the target groups tk registers with: the
// production ones, or the others for the green tasks of a deployment that
// shifts traffic between target groups (strategy.go). e.mu must be held.
func (e *ECS) groupsOf(tk *task) []string {
	svc := tk.svc
	alt := e.lb.altLive[svc]
	if run := e.lb.runs[svc]; run != nil && run.green(tk) {
		alt = !alt
	}
	lbs := loadBalancersOf(tk)
	out := make([]string, 0, len(lbs))
	for i := range lbs {
		if k := groupKey(&lbs[i], alt); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// scheduleTarget registers a task of a service with load balancers that
// has just reached RUNNING with its target groups. e.mu must be held.
func (e *ECS) scheduleTarget(tk *task) {
	if len(loadBalancersOf(tk)) == 0 || e.lb.byTask[tk] != nil {
		return
	}
	if e.lb.byTask == nil {
		e.lb.byTask = map[*task][]*target{}
	}
	now := e.clock.Now()
	for _, key := range e.groupsOf(tk) {
		g := e.group(key)
		t := &target{tk: tk, group: g, pass: !tk.failHealth, since: now, was: deploy.TargetInitial}
		g.targets[tk.t.TaskARN] = t
		e.lb.byTask[tk] = append(e.lb.byTask[tk], t)
		e.watchTarget(t)
	}
}

// registerLoaded registers the RUNNING tasks a loaded service adopted
// (LoadService) with its target groups, healthy as targets that have
// long passed their checks. e.mu must be held.
func (e *ECS) registerLoaded(svc *service) {
	for _, tk := range svc.order {
		if tk.t.LastStatus != ecs.TaskStatusRunning || tk.stopping() {
			continue
		}
		e.scheduleTarget(tk)
		e.registerDiscovery(tk)
		for _, t := range e.lb.byTask[tk] {
			t.was = deploy.TargetHealthy
		}
	}
}

// watchTarget has the task's service look again when the target's state
// next changes. e.mu must be held.
func (e *ECS) watchTarget(t *target) {
	d := t.wait()
	if d <= 0 {
		e.touch(t.tk)
		return
	}
	since := t.since
	e.clock.AfterFunc(d, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if t.since.Equal(since) && t.group.targets[t.tk.t.TaskARN] == t && !t.tk.stopping() {
			e.touch(t.tk)
		}
	})
}

// wait returns how long after since the target's health checks take to
// change its state: one interval for a new target that passes,
// healthyThresholdCount intervals for an unhealthy one that passes,
// unhealthyThresholdCount intervals for one that fails; 0 when they do
// not change it.
func (t *target) wait() time.Duration {
	cfg := &t.group.cfg
	interval := time.Duration(cfg.HealthCheckIntervalSeconds) * time.Second
	switch {
	case t.pass && t.was == deploy.TargetInitial:
		return interval
	case t.pass && t.was == deploy.TargetUnhealthy:
		return time.Duration(cfg.HealthyThresholdCount) * interval
	case !t.pass && t.was != deploy.TargetUnhealthy:
		return time.Duration(cfg.UnhealthyThresholdCount) * interval
	}
	return 0
}

// state returns the target's state at now.
func (t *target) state(now time.Time) deploy.TargetState {
	if t.tk.stopping() {
		return deploy.TargetDraining
	}
	if now.Before(t.since.Add(t.wait())) {
		return t.was
	}
	if t.pass {
		return deploy.TargetHealthy
	}
	return deploy.TargetUnhealthy
}

// targets returns the target health of svc's RUNNING tasks, by task ARN,
// for a service with load balancers (nil for one without): the worst of
// each task's targets, unhealthy in one group making it unhealthy, and
// healthy only when healthy in all. e.mu must be held.
func (e *ECS) targets(svc *service) map[string]deploy.TargetHealth {
	if !hasTargets(svc) && len(svc.sets) == 0 {
		return nil
	}
	now := e.clock.Now()
	out := map[string]deploy.TargetHealth{}
	for _, tk := range svc.order {
		ts := e.lb.byTask[tk]
		if tk.t.LastStatus != ecs.TaskStatusRunning || tk.stopping() || len(ts) == 0 {
			continue
		}
		th := deploy.TargetHealth{State: deploy.TargetHealthy}
		for _, t := range ts {
			switch t.state(now) {
			case deploy.TargetUnhealthy:
				th = deploy.TargetHealth{State: deploy.TargetUnhealthy, TargetGroupARN: t.group.cfg.TargetGroupARN}
			case deploy.TargetHealthy:
			default:
				if th.State == deploy.TargetHealthy {
					th.State = deploy.TargetInitial
				}
			}
			if th.State == deploy.TargetUnhealthy {
				break
			}
		}
		out[tk.t.TaskARN] = th
	}
	return out
}

// deregister deregisters a RUNNING task that is asked to stop from its
// target groups and returns how long it stays DEACTIVATING: the timing's
// Deactivating, or the longest deregistration delay of its target groups
// if longer. e.mu must be held.
func (e *ECS) deregister(tk *task) time.Duration {
	e.deregisterDiscovery(tk)
	d := max(e.timing.Deactivating, 0)
	for _, t := range e.lb.byTask[tk] {
		d = max(d, time.Duration(t.group.cfg.DeregistrationDelaySeconds)*time.Second)
	}
	return d
}

// forgetTargets removes a task that stopped from its target groups. e.mu
// must be held.
func (e *ECS) forgetTargets(tk *task) {
	e.deregisterDiscovery(tk)
	for _, t := range e.lb.byTask[tk] {
		if t.group.targets[tk.t.TaskARN] == t {
			delete(t.group.targets, tk.t.TaskARN)
		}
	}
	delete(e.lb.byTask, tk)
}

// PutTargetGroup creates the simulated target group cfg.TargetGroupARN
// names, or changes its settings; a zero setting keeps the current one
// (ELB's default for a new group). The ARN must be a target group's; the
// settings must be within ELB's bounds. It returns the group's settings.
// Changed health check settings apply from each target's next check.
func (e *ECS) PutTargetGroup(ctx context.Context, cfg TargetGroup) (*TargetGroup, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	if err := checkTargetGroupARN("targetGroupArn", cfg.TargetGroupARN); err != nil {
		return nil, err
	}
	for _, b := range []struct {
		name     string
		v, lo, h int
	}{
		{"healthCheckIntervalSeconds", cfg.HealthCheckIntervalSeconds, 5, 300},
		{"healthyThresholdCount", cfg.HealthyThresholdCount, 2, 10},
		{"unhealthyThresholdCount", cfg.UnhealthyThresholdCount, 2, 10},
		{"deregistrationDelaySeconds", cfg.DeregistrationDelaySeconds, 0, 3600},
	} {
		if b.v != 0 && (b.v < b.lo || b.v > b.h) {
			return nil, invalidParameter("%s %d is out of range: it must be %d to %d.", b.name, b.v, b.lo, b.h)
		}
	}
	if cfg.DeregistrationDelaySeconds < 0 {
		return nil, invalidParameter("deregistrationDelaySeconds %d is out of range: it must be 0 to 3600.", cfg.DeregistrationDelaySeconds)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.group(cfg.TargetGroupARN)
	set := func(dst *int, v int) {
		if v != 0 {
			*dst = v
		}
	}
	set(&g.cfg.HealthCheckIntervalSeconds, cfg.HealthCheckIntervalSeconds)
	set(&g.cfg.HealthyThresholdCount, cfg.HealthyThresholdCount)
	set(&g.cfg.UnhealthyThresholdCount, cfg.UnhealthyThresholdCount)
	set(&g.cfg.DeregistrationDelaySeconds, cfg.DeregistrationDelaySeconds)
	out := g.cfg
	return &out, nil
}

// SetTargetHealth makes the health checks of the target group
// targetGroupARN names (every target group of the task when it is "")
// pass (healthy) or fail (unhealthy) for the task ref names (an ID or
// ARN) in cluster. As in ELB, the target's state follows from its next
// checks: a failing target turns unhealthy after unhealthyThresholdCount
// checks, a passing one healthy after one check when new and
// healthyThresholdCount checks when unhealthy. The task's service acts on
// it: an unhealthy target past the grace period is replaced.
func (e *ECS) SetTargetHealth(ctx context.Context, cluster, ref, targetGroupARN string, healthy bool) error {
	if err := e.usable(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tk, err := e.findTask(cluster, ref)
	if err != nil {
		return err
	}
	ts := e.lb.byTask[tk]
	if tk.stopping() || tk.stopped() || len(ts) == 0 {
		return invalidParameter("Task %s is not a registered target of any target group: only a RUNNING task of a service with loadBalancers is.", tk.id())
	}
	now, found := e.clock.Now(), false
	for _, t := range ts {
		if targetGroupARN != "" && t.group.cfg.TargetGroupARN != targetGroupARN {
			continue
		}
		found = true
		t.was, t.since, t.pass, t.testSet = t.state(now), now, healthy, true
		e.watchTarget(t)
	}
	if !found {
		return invalidParameter("Task %s is not a target of target group %s.", tk.id(), targetGroupARN)
	}
	return nil
}

// DescribeTargetHealth returns the targets of the target group
// targetGroupARN names, in order of task ARN: the tasks registered with
// it and those draining after their deregistration.
func (e *ECS) DescribeTargetHealth(ctx context.Context, targetGroupARN string) ([]TargetHealthDescription, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.lb.groups[targetGroupARN]
	if g == nil {
		return nil, apiErrorf(targetGroupNotFoundException, ecs.ErrNotFound, "Target group %s is not known: no service has used it and PutTargetGroup has not made it.", targetGroupARN)
	}
	now := e.clock.Now()
	out := make([]TargetHealthDescription, 0, len(g.targets))
	for _, arn := range slices.Sorted(maps.Keys(g.targets)) {
		out = append(out, TargetHealthDescription{TaskARN: arn, State: g.targets[arn].state(now)})
	}
	return out, nil
}

// targetGroupNotFoundException is ELB's exception for a target group
// that does not exist.
const targetGroupNotFoundException = "TargetGroupNotFoundException"

// checkTargetGroupARN checks that arn is a target group's ARN:
// arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID,
// the name 1 to 32 letters, digits and hyphens, the ID 16 hex digits.
func checkTargetGroupARN(field, arn string) error {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") ||
		parts[2] != "elasticloadbalancing" || parts[3] == "" || len(parts[4]) != 12 || strings.Trim(parts[4], "0123456789") != "" {
		return invalidParameter("%s %q is not a target group ARN: arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID.", field, arn)
	}
	res := strings.Split(parts[5], "/")
	if len(res) != 3 || res[0] != "targetgroup" || !validTargetGroupName(res[1]) || len(res[2]) != 16 || strings.Trim(res[2], "0123456789abcdef") != "" {
		return invalidParameter("%s %q is not a target group ARN: arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID, NAME up to 32 letters, digits and hyphens, ID 16 hexadecimal digits.", field, arn)
	}
	return nil
}

// validTargetGroupName reports whether name is a target group's name: 1
// to 32 letters, digits and hyphens, not beginning or ending with a
// hyphen.
func validTargetGroupName(name string) bool {
	if name == "" || len(name) > 32 || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for _, c := range name {
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
