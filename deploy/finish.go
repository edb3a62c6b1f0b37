package deploy

import (
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// maxEvents is how many events a service keeps, newest first (rule 115).
const maxEvents = 100

// tally is a deployment's tasks after the step.
type tally struct {
	running, pending, healthy, present int
}

// tallies counts each deployment's tasks after the step's actions; the
// last entry counts tasks of no deployment.
func (p *plan) tallies() []tally {
	v := p.v
	out := make([]tally, len(v.deps)+1)
	for i := range v.tasks {
		tv := &v.tasks[i]
		d := tv.dep
		if d < 0 {
			d = len(v.deps)
		}
		switch tv.phase {
		case phaseRunning:
			out[d].running++
			if tv.healthy {
				out[d].healthy++
			}
		case phasePending:
			out[d].pending++
		}
		if tv.phase != phaseStopped {
			out[d].present++
		}
	}
	out[v.primary].pending += len(p.starts)
	out[v.primary].present += len(p.starts)
	return out
}

// finish updates the deployments, decides completion and steady state,
// rebalances the zones of a service in steady state, writes the events
// and returns the step's result.
func (p *plan) finish(seen, healthy map[string]struct{}) (*Result, error) {
	v := p.v
	t := p.tallies()
	steady := p.settle(t)
	if steady && v.svc.SchedulingStrategy != ecs.SchedulingStrategyDaemon {
		if err := p.rebalanceStart(); err != nil {
			return nil, err
		}
	}
	svc := *v.svc
	svc.Deployments = p.prune(t)
	svc.RunningCount, svc.PendingCount = 0, 0
	for i := range svc.Deployments {
		svc.RunningCount += svc.Deployments[i].RunningCount
		svc.PendingCount += svc.Deployments[i].PendingCount
	}
	if v.svc.SchedulingStrategy == ecs.SchedulingStrategyDaemon {
		svc.DesiredCount = p.desired
	}
	svc.TaskDefinition = v.deps[v.primary].TaskDefinition
	if steady && v.mem.steadySince.IsZero() {
		v.mem.steadySince = v.s.Now
		p.events = append(p.events, steadyEvent(v.svc.ServiceName))
	} else if !steady {
		v.mem.steadySince = time.Time{}
	}
	events, kinds := p.writeEvents()
	svc.Events = make([]ecs.ServiceEvent, 0, min(len(events)+len(v.svc.Events), maxEvents))
	for i := len(events) - 1; i >= 0 && len(svc.Events) < maxEvents; i-- {
		svc.Events = append(svc.Events, events[i])
	}
	for i := 0; i < len(v.svc.Events) && len(svc.Events) < maxEvents; i++ {
		svc.Events = append(svc.Events, v.svc.Events[i])
	}
	v.mem.seen, v.mem.healthy = seen, healthy
	return &Result{
		Stop: p.stops, Start: p.starts, Service: &svc, Events: events, Kinds: kinds,
		Memory: v.mem, Wake: v.wake, Blocked: p.blocked,
	}, nil
}

// settle sets each deployment's status and counts and completes the
// primary one when the service is in steady state: desiredCount healthy
// tasks of the primary deployment, nothing pending, and no task of any
// other deployment left (rule 122). It reports the steady state.
func (p *plan) settle(t []tally) bool {
	v := p.v
	prim := t[v.primary]
	steady := len(p.stops) == 0 && len(p.starts) == 0 && prim.pending == 0 &&
		prim.running == p.desired && prim.healthy == prim.running && t[len(v.deps)].present == 0
	now := ecs.NewTime(v.s.Now)
	for i := range v.deps {
		d := &v.deps[i]
		d.RunningCount, d.PendingCount = t[i].running, t[i].pending
		status := "PRIMARY"
		if i != v.primary {
			status = "ACTIVE"
			d.DesiredCount = t[i].running + t[i].pending
			if t[i].present == 0 {
				status = "INACTIVE"
			}
			steady = steady && t[i].present == 0
		}
		if d.Status != status {
			d.Status, d.UpdatedAt = status, now
		}
	}
	dep := &v.deps[v.primary]
	dep.DesiredCount = p.desired
	if !steady || dep.RolloutState != ecs.DeploymentRolloutStateInProgress {
		return steady
	}
	if bake := v.s.Options.BakeTime; bake > 0 && alarmsOf(v.svc) != nil {
		since := v.mem.steadySince
		if since.IsZero() {
			since = v.s.Now
		}
		if v.s.Now.Before(since.Add(bake)) {
			v.wakeAt(since.Add(bake))
			return steady
		}
	}
	dep.RolloutState = ecs.DeploymentRolloutStateCompleted
	dep.RolloutStateReason = completedReason(dep.ID)
	dep.UpdatedAt = now
	p.events = append(p.events, completedEvent(v.svc.ServiceName, dep.ID))
	return steady
}

// prune returns the deployments to keep: the primary first, then the
// ACTIVE ones, and the newest INACTIVE one that COMPLETED (a rollback
// target); other INACTIVE deployments leave the list, as describe-services
// drops them.
func (p *plan) prune(t []tally) []ecs.Deployment {
	v := p.v
	out := []ecs.Deployment{v.deps[v.primary]}
	keep := -1
	for i := range v.deps {
		d := &v.deps[i]
		switch {
		case i == v.primary:
		case d.Status == "ACTIVE":
			out = append(out, *d)
		case d.RolloutState == ecs.DeploymentRolloutStateCompleted &&
			(keep < 0 || d.CreatedAt.After(v.deps[keep].CreatedAt.Time)):
			keep = i
		}
	}
	if keep >= 0 && !slices.ContainsFunc(out, func(d ecs.Deployment) bool {
		return d.RolloutState == ecs.DeploymentRolloutStateCompleted
	}) {
		out = append(out, v.deps[keep])
	}
	return out
}

// writeEvents turns the step's messages into service events, oldest
// first, with their kinds: decisions, stopped tasks, started tasks,
// repeating events not written lately, completion and steady state last.
func (p *plan) writeEvents() ([]ecs.ServiceEvent, []EventKind) {
	v := p.v
	svc := v.svc.ServiceName
	var evs []event
	var tail []event
	for _, e := range p.events {
		if e.kind == EventSteadyState || e.kind == EventDeploymentCompleted {
			tail = append(tail, e)
		} else {
			evs = append(evs, e)
		}
	}
	stops := slices.DeleteFunc(slices.Clone(p.stops), func(s Stop) bool { return p.own[s.TaskARN] })
	starts := slices.DeleteFunc(slices.Clone(p.starts), func(s Start) bool { return p.own[s.TaskARN] })
	evs = append(evs, chunked(stops, func(s Stop) string { return s.TaskARN }, func(ids []string) event { return stoppedEvent(svc, ids) })...)
	evs = append(evs, chunked(starts, func(s Start) string { return s.TaskARN }, func(ids []string) event { return startedEvent(svc, ids) })...)
	evs = append(evs, p.repeats()...)
	evs = append(evs, tail...)
	evs = append(evs, p.after...)
	out := make([]ecs.ServiceEvent, len(evs))
	kinds := make([]EventKind, len(evs))
	now := ecs.NewTime(v.s.Now)
	for i, e := range evs {
		out[i] = ecs.ServiceEvent{ID: v.mem.eventID(), CreatedAt: now, Message: e.msg}
		kinds[i] = e.kind
	}
	return out, kinds
}

// repeats returns the repeating events not written in the last six hours
// and records when each was written.
func (p *plan) repeats() []event {
	v, now := p.v, p.v.s.Now
	last := make(map[string]time.Time, len(v.mem.lastEvent)+len(p.repeat))
	for m, at := range v.mem.lastEvent {
		if now.Sub(at) < repeatAfter {
			last[m] = at
		}
	}
	var out []event
	for _, e := range p.repeat {
		if _, ok := last[e.msg]; ok {
			continue
		}
		last[e.msg] = now
		out = append(out, e)
	}
	v.mem.lastEvent = last
	return out
}

// chunked writes one event per tasksPerEvent items.
func chunked[T any](items []T, arn func(T) string, newEvent func([]string) event) []event {
	var out []event
	for len(items) > 0 {
		n := min(len(items), tasksPerEvent)
		ids := make([]string, n)
		for k := range ids {
			ids[k] = shortID(arn(items[k]))
		}
		out = append(out, newEvent(ids))
		items = items[n:]
	}
	return out
}
