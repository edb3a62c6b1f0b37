package ecstest

import (
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// Load balancer targets. A RUNNING task of a service with load balancers
// is a target of their target groups: "initial" until the target
// group's health checks have had their say, then "healthy", or
// "unhealthy" for a task whose health checks fail (TaskFaults.
// FailHealthChecks). The target group checks what the container health
// checks check: they pass when the task's essential containers turn
// HEALTHY (startPeriod + interval after RUNNING), or 40 s after RUNNING
// when it has no health check, as the scheduler's 40-second rule; they
// fail when its containers turn UNHEALTHY (startPeriod + interval ×
// retries), or after three failed checks 30 s apart (90 s) without one.
// A task asked to stop is deregistered.
const (
	targetHealthyAfter   = 40 * time.Second
	targetUnhealthyAfter = defaultHealthRetries * defaultHealthInterval * time.Second
)

// targetDelay returns how long after RUNNING a task's target health is
// known.
func targetDelay(tk *task) time.Duration {
	var d time.Duration
	checked := false
	for i := range tk.td.ContainerDefinitions {
		cd := &tk.td.ContainerDefinitions[i]
		if hasHealthCheck(cd) && essential(cd) {
			checked = true
			d = max(d, healthTiming(cd, tk.failHealth))
		}
	}
	switch {
	case checked:
		return d
	case tk.failHealth:
		return targetUnhealthyAfter
	}
	return targetHealthyAfter
}

// hasTargets reports whether svc registers its tasks with load balancers.
func hasTargets(svc *service) bool { return svc != nil && len(svc.info().LoadBalancers) > 0 }

// scheduleTarget has the service of a task that has just reached RUNNING
// look again when its target health is known. e.mu must be held.
func (e *ECS) scheduleTarget(tk *task) {
	if !hasTargets(tk.svc) {
		return
	}
	e.clock.AfterFunc(targetDelay(tk), func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if tk.t.LastStatus == ecs.TaskStatusRunning && !tk.stopping() {
			e.touch(tk)
		}
	})
}

// targets returns the target health of svc's RUNNING tasks, by task ARN,
// for a service with load balancers (nil for one without). e.mu must be
// held.
func (e *ECS) targets(svc *service) map[string]deploy.TargetHealth {
	if !hasTargets(svc) {
		return nil
	}
	group := svc.info().LoadBalancers[0].TargetGroupARN
	now := e.clock.Now()
	out := map[string]deploy.TargetHealth{}
	for _, tk := range svc.tasks {
		if tk.t.LastStatus != ecs.TaskStatusRunning || tk.stopping() {
			continue
		}
		th := deploy.TargetHealth{State: deploy.TargetInitial}
		switch {
		case now.Before(tk.t.StartedAt.Add(targetDelay(tk))):
		case tk.failHealth:
			th = deploy.TargetHealth{State: deploy.TargetUnhealthy, TargetGroupARN: group}
		default:
			th.State = deploy.TargetHealthy
		}
		out[tk.t.TaskARN] = th
	}
	return out
}
