package deploy

import (
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// LaunchDelay is the launch back-off (rule 113): how long the scheduler
// waits before it launches again after the n-th consecutive task that
// stopped without reaching RUNNING. ECS documents only that the delay
// grows to at most 15 minutes and has no tunables; this package's
// schedule is none after one failure (a one-off failure is replaced at
// once), then 15 s doubling each time: 15 s, 30 s, 1 min, 2 min, 4 min,
// 8 min, and 15 min from the eighth failure on. Doubling reaches the cap
// in few steps, as "grows incrementally" suggests, while a short first
// delay keeps the circuit breaker's small thresholds (3 by default)
// reachable within a minute or two.
func LaunchDelay(n int) time.Duration {
	if n <= 1 {
		return 0
	}
	if n >= 8 {
		return MaxLaunchDelay
	}
	return min(15*time.Second<<(n-2), MaxLaunchDelay)
}

// MaxLaunchDelay is the longest launch back-off (rule 113).
const MaxLaunchDelay = 15 * time.Minute

// newPrimary resets what a new PRIMARY deployment resets: the launch
// back-off (updating the service to a new task definition resets the
// throttle, rule 113) and the alarm state at its start (rule 125).
func (p *plan) newPrimary() {
	v := p.v
	id := v.deps[v.primary].ID
	if v.mem.primary == id {
		return
	}
	v.mem.primary = id
	v.mem.failures, v.mem.nextLaunch = 0, time.Time{}
	v.mem.rebalanceTask, v.mem.rebalancing = "", false // a deployment interrupts rebalancing
	p.repeat = slices.DeleteFunc(p.repeat, func(e event) bool { return e.kind == EventThrottled })
	v.mem.alarmsAtStart = len(firingAlarms(v.svc, v.s.Alarms)) > 0
}

// account takes in what happened since the previous step: tasks of the
// primary deployment that stopped without reaching RUNNING (the circuit
// breaker's stage one and the launch back-off) and tasks that became
// healthy (which reset both).
func (p *plan) account() (seen, healthy map[string]struct{}) {
	v := p.v
	dep := &v.deps[v.primary]
	seen = make(map[string]struct{})
	healthy = make(map[string]struct{})
	newlyHealthy, failed := false, 0
	for i := range v.tasks {
		tv := &v.tasks[i]
		arn := tv.t.TaskARN
		switch {
		case tv.phase == phaseStopped:
			seen[arn] = struct{}{}
			if _, ok := v.mem.seen[arn]; !ok && tv.dep == v.primary && failedToStart(tv.t) {
				failed++
			}
		case tv.healthy && tv.dep == v.primary:
			healthy[arn] = struct{}{}
			if _, ok := v.mem.healthy[arn]; !ok {
				newlyHealthy = true
			}
		}
	}
	if newlyHealthy {
		v.mem.failures, v.mem.nextLaunch = 0, time.Time{}
		if cb := breakerOf(v.svc); cb == nil || resetOnHealthy(cb) {
			dep.FailedTasks = 0
		}
	}
	if failed > 0 {
		dep.FailedTasks += failed
		v.mem.failures += failed
		if d := LaunchDelay(v.mem.failures); d > 0 {
			v.mem.nextLaunch = v.s.Now.Add(d)
			p.repeat = append(p.repeat, throttleEvent(v.svc.ServiceName))
		}
	}
	return seen, healthy
}

// failedToStart reports whether a stopped task never reached RUNNING for
// a reason of its own: not stopped by the scheduler, a user or the
// infrastructure.
func failedToStart(t *ecs.Task) bool {
	switch t.StopCode {
	case ecs.TaskStopCodeTaskFailedToStart:
		return true
	case ecs.TaskStopCodeServiceSchedulerInitiated, ecs.TaskStopCodeUserInitiated,
		ecs.TaskStopCodeSpotInterruption, ecs.TaskStopCodeTerminationNotice, ecs.TaskStopCodeInfrastructureHealth:
		return false
	}
	return t.StartedAt.IsZero()
}

// replaceUnhealthy stops tasks that failed their container or target
// group health checks and are past the grace period (rules 38, 111 and
// 112): all of them when maximumPercent leaves room for their
// replacements, else one a step. Each one of the primary deployment adds
// one to the circuit breaker's count (stage two, rule 124).
func (p *plan) replaceUnhealthy(b bounds) {
	v := p.v
	var bad []int
	for i := range v.tasks {
		tv := &v.tasks[i]
		if tv.phase == phaseRunning && tv.unhealthy && !tv.inGrace {
			bad = append(bad, i)
		}
	}
	if len(bad) == 0 {
		return
	}
	live, _ := p.count()
	n := len(bad)
	if room := b.Maximum - live; room < n {
		n = max(room, 1)
	}
	svc := v.svc.ServiceName
	for _, i := range bad[:n] {
		tv := &v.tasks[i]
		id := shortID(tv.t.TaskARN)
		switch {
		case tv.elbGroup != "" && tv.t.HealthStatus != ecs.HealthStatusUnhealthy:
			p.events = append(p.events, elbHealthEvent(svc, id, tv.elbGroup))
			p.stop(i, elbStopReason(tv.elbGroup))
		case tv.registry != "" && tv.t.HealthStatus != ecs.HealthStatusUnhealthy:
			p.events = append(p.events, discoveryHealthEvent(svc, id, tv.registry))
			p.stop(i, discoveryStopReason(tv.registry))
		default:
			p.events = append(p.events, healthEvent(svc, id))
			p.stop(i, healthStopReason)
		}
		if tv.dep == v.primary {
			v.deps[v.primary].FailedTasks++
		}
	}
}
