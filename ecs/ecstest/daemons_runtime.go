package ecstest

import (
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// What a daemon does on its instances, called from where instances and
// tasks change: a new instance of its capacity providers gets its task
// first (startDaemons); an application task there waits for the
// instance's daemon tasks to run before it does (waitForDaemons); a
// daemon task that stops of itself drains its instance, which its
// Managed Instances provider replaces; and on a draining instance the
// daemon tasks stop last, once no other task is left, after which the
// instance is terminated (daemonTaskStopped).

// daemonGroup is the task group of a daemon's tasks.
func daemonGroup(dm *daemon) string { return "daemon:" + dm.name }

// startDaemons places the task of every daemon of cl whose capacity
// providers include inst's on inst, which has just registered: before
// any service's step (those run at the end of the instant), so a daemon
// task takes its resources before any application task. e.mu must be
// held.
func (e *ECS) startDaemons(cl *cluster, inst *instance) {
	p := inst.ci.CapacityProviderName
	if p == "" {
		return
	}
	for _, dm := range e.daemons.all {
		if dm.gone || dm.cl != cl || dm.rev == nil || dm.tasks[inst] != nil || !slices.Contains(dm.rev.providers, p) {
			continue
		}
		e.placeDaemonTask(dm, inst)
		e.wakeDaemon(dm, e.clock.Now())
	}
}

// placeDaemonTask starts the daemon's task of its current revision on
// inst with the placement package's daemon placement on the cluster's
// live engine. A task that does not fit is a failed launch: it counts
// for the deployment's circuit breaker, and the instance, which cannot
// run its daemon, is drained and replaced. e.mu must be held.
func (e *ECS) placeDaemonTask(dm *daemon, inst *instance) {
	cl, rev := dm.cl, dm.rev
	eng, err := e.engine(cl)
	if err != nil {
		e.logger.Error("ecstest: daemon placement snapshot failed", "daemon", dm.arn, "error", err)
		return
	}
	arn := e.arns.task(cl.info.ClusterName, e.ids.next("task"))
	var b placement.Batch
	err = eng.PlaceDaemonInto(&b, &placement.Request{
		TaskDefinition: rev.td.run, Group: daemonGroup(dm), LaunchType: ecs.LaunchTypeEC2,
		CapacityProvider: inst.ci.CapacityProviderName, Instances: []string{inst.ci.ContainerInstanceARN}, TaskARNs: []string{arn},
	})
	res := b.Result()
	if err != nil || len(res.Placements) == 0 {
		e.daemonLaunchFailed(dm, rev)
		e.drainForDaemon(inst)
		return
	}
	pl := res.Placements[0]
	demand, err := placement.TaskDemand(rev.td.run, nil)
	if err != nil {
		e.logger.Error("ecstest: daemon task demand failed", "daemon", dm.arn, "error", err)
		return
	}
	tk := e.addTask(cl, taskSpec{
		arn: arn, td: rev.td.run, inst: inst, az: pl.AvailabilityZone, group: daemonGroup(dm),
		startedBy: "ecs-daemon", launchType: ecs.LaunchTypeEC2, provider: inst.ci.CapacityProviderName,
		containers: bindings(pl.Containers), demand: &demand, tags: rev.tags, execute: *rev.rev.EnableExecuteCommand,
	})
	tk.placed(eng, pl.Task)
	tk.daemon, tk.daemonRev = dm, rev
	dm.tasks[inst] = tk
}

// daemonLaunchFailed counts a task of rev that did not start for the
// daemon's deployment's circuit breaker, when rev is what it deploys.
// e.mu must be held.
func (e *ECS) daemonLaunchFailed(dm *daemon, rev *daemonRevision) {
	dep := dm.latest()
	if !dep.finished() && dep.goal == rev {
		dep.d.CircuitBreaker.FailureCount++
	}
}

// daemonsStarting reports whether a daemon task on inst has yet to reach
// RUNNING: one starting, or one that stops before it ran (its instance,
// once the task is STOPPED, is drained and its waiting tasks fail). e.mu
// must be held.
func (e *ECS) daemonsStarting(inst *instance) bool {
	for _, dm := range e.daemons.all {
		if tk := dm.tasks[inst]; tk != nil && tk.t.StartedAt.IsZero() {
			return true
		}
	}
	return false
}

// daemonsLost reports whether inst, drained because of a daemon, no
// longer runs the task of a daemon that its capacity provider runs. e.mu
// must be held.
func (e *ECS) daemonsLost(inst *instance) bool {
	if !e.daemons.drained[inst] {
		return false
	}
	for _, dm := range e.daemons.all {
		if dm.gone || dm.cl != inst.cl || dm.rev == nil || !slices.Contains(dm.rev.providers, inst.ci.CapacityProviderName) {
			continue
		}
		if tk := dm.tasks[inst]; tk == nil || tk.stopping() {
			return true
		}
	}
	return false
}

// waitForDaemons reports whether tk, an application task about to reach
// RUNNING, must wait for its instance's daemon tasks ("starts the daemon
// task first, and only then transitions the application task to
// RUNNING"); it then waits, until they run. e.mu must be held.
func (e *ECS) waitForDaemons(tk *task) bool {
	if tk.daemon != nil || tk.inst == nil {
		return false
	}
	if e.daemonsLost(tk.inst) {
		e.stopTask(tk, ecs.TaskStopCodeTaskFailedToStart, "A daemon task of the container instance stopped: the instance is drained.")
		return true
	}
	if !e.daemonsStarting(tk.inst) {
		return false
	}
	if e.daemons.waiting == nil {
		e.daemons.waiting = map[*instance][]*task{}
	}
	e.daemons.waiting[tk.inst] = append(e.daemons.waiting[tk.inst], tk)
	return true
}

// daemonTaskRunning lets the application tasks waiting on the daemon
// task's instance reach RUNNING once no daemon task there is starting.
// e.mu must be held.
func (e *ECS) daemonTaskRunning(tk *task) {
	inst := tk.inst
	e.wakeDaemon(tk.daemon, e.clock.Now())
	if e.daemonsStarting(inst) {
		return
	}
	waiting := e.daemons.waiting[inst]
	delete(e.daemons.waiting, inst)
	for _, w := range waiting {
		if w.t.LastStatus == ecs.TaskStatusActivating && !w.stopping() {
			e.toRunning(w)
		}
	}
}

// daemonTaskStopped is called when any task on an instance is STOPPED.
// A daemon task that stopped of itself drains its instance (and fails
// the application tasks waiting for it there); on a draining instance
// whose other tasks are all gone, the daemon tasks stop last; and an
// instance a daemon drained is terminated once no task is left on it.
// e.mu must be held.
func (e *ECS) daemonTaskStopped(tk *task) {
	inst := tk.inst
	if inst == nil || len(e.daemons.all) == 0 {
		return
	}
	if dm := tk.daemon; dm != nil {
		if dm.tasks[inst] == tk {
			delete(dm.tasks, inst)
		}
		if !tk.daemonStop {
			if tk.t.StartedAt.IsZero() {
				e.daemonLaunchFailed(dm, tk.daemonRev)
			}
			for _, w := range e.daemons.waiting[inst] {
				e.stopTask(w, ecs.TaskStopCodeTaskFailedToStart, "The daemon task "+tk.t.TaskARN+" of the container instance stopped before it ran.")
			}
			delete(e.daemons.waiting, inst)
			if inst.ci.Status == statusActive {
				e.drainForDaemon(inst) // a critical daemon's task stopped: auto-repair
			}
		}
		e.wakeDaemon(dm, e.clock.Now())
	}
	e.stopDaemonsIfDrained(inst)
	if e.daemons.drained[inst] && len(inst.tasks) == 0 {
		e.releaseDrained(inst)
	}
}

// stopDaemonsIfDrained stops the daemon tasks of a DRAINING instance on
// which no other task is left: daemon tasks drain last. e.mu must be
// held.
func (e *ECS) stopDaemonsIfDrained(inst *instance) {
	if inst == nil || inst.ci.Status != statusDraining || len(e.daemons.all) == 0 {
		return
	}
	var daemonTasks []*task
	for _, t := range inst.tasks {
		if t.daemon == nil {
			return
		}
		daemonTasks = append(daemonTasks, t)
	}
	slices.SortFunc(daemonTasks, func(a, b *task) int { return strings.Compare(a.id(), b.id()) })
	for _, t := range daemonTasks {
		if !t.stopping() {
			t.daemonStop = true
			e.stopTask(t, ecs.TaskStopCodeServiceSchedulerInitiated, "The container instance is draining: its daemon tasks stop after its other tasks.")
		}
	}
}

// drainForDaemon drains inst, whose daemon cannot run or must be
// replaced: its services move their tasks away, its Managed Instances
// provider launches its replacement at once (replaceManaged), and once
// only its daemon tasks are left they stop, and the instance is
// terminated. e.mu must be held.
func (e *ECS) drainForDaemon(inst *instance) {
	if inst.ci.Status != statusActive {
		return
	}
	inst.ci.Status = statusDraining
	inst.ci.Version++
	if e.daemons.drained == nil {
		e.daemons.drained = map[*instance]bool{}
	}
	e.daemons.drained[inst] = true
	g, m := e.memberOf(inst)
	if m != nil {
		m.draining = true
	}
	e.replaceManaged(inst)
	e.changed(inst.cl, nil, true)
	if g != nil {
		e.reconcileGroup(g)
	}
	e.stopDaemonsIfDrained(inst)
	if len(inst.tasks) == 0 {
		e.releaseDrained(inst)
	}
}

// replaceManaged launches, for an instance of a Managed Instances
// provider that a daemon drains, a replacement of the same type, which
// runs the daemon's target revision once it registers ("drain,
// provision, replace": rule 185). e.mu must be held.
func (e *ECS) replaceManaged(inst *instance) {
	p := e.providers[inst.ci.CapacityProviderName]
	if p == nil || p.mi == nil || p.cluster != inst.cl {
		return
	}
	for _, m := range p.mi.members {
		if m.inst != inst {
			continue
		}
		if t, ok := e.catalog.Lookup(m.typ); ok {
			e.launchManaged(p, t)
		}
		return
	}
}

// releaseDrained terminates inst, drained by a daemon, once no task is
// left on it: its Auto Scaling group's member is removed, its Managed
// Instances provider's terminated. e.mu must be held.
func (e *ECS) releaseDrained(inst *instance) {
	delete(e.daemons.drained, inst)
	if g, m := e.memberOf(inst); m != nil {
		e.removeMember(g, m)
		e.reconcileGroup(g)
		return
	}
	if p := e.providers[inst.ci.CapacityProviderName]; p != nil && p.mi != nil {
		for _, m := range p.mi.members {
			if m.inst == inst {
				e.terminateManaged(p.mi, m)
				return
			}
		}
	}
}

// memberOf returns the Auto Scaling group inst belongs to and its member,
// or nils. e.mu must be held.
func (e *ECS) memberOf(inst *instance) (*asgroup, *member) {
	p := e.providers[inst.ci.CapacityProviderName]
	if p == nil || p.group == nil {
		return nil, nil
	}
	for _, m := range p.group.members {
		if m.inst == inst {
			return p.group, m
		}
	}
	return p.group, nil
}
