package deploy

import (
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// daemon plans a step of a DAEMON service (rules 103, 107 and 119): one
// task of the primary deployment on each eligible instance (ACTIVE and
// meeting the constraints), none elsewhere. Its desired count is the
// number of eligible instances and its maximumPercent 100, so an older
// deployment's task on an instance stops (within minimumHealthyPercent)
// before the new one starts there, once the old one has released the
// instance.
func (p *plan) daemon() error {
	v := p.v
	dep := &v.deps[v.primary]
	td := v.taskDefinition(dep.TaskDefinition)
	if td == nil {
		return &missingTaskDefinitionError{dep.TaskDefinition}
	}
	elig, err := v.s.Placer.Eligible(p.placeRequest(td))
	if err != nil {
		return err
	}
	slices.Sort(elig)
	desired := len(elig)
	p.desired = desired
	dep.DesiredCount = desired
	b := boundsFor(desired, ecs.SchedulingStrategyDaemon, v.svc.DeploymentConfiguration)
	for i := range v.tasks {
		tv := &v.tasks[i]
		if tv.phase.live() && !contains(elig, tv.t.ContainerInstanceARN) {
			p.stop(i, p.scaling()) // draining, gone, or no longer meeting the constraints
		}
	}
	if dep.RolloutState == ecs.DeploymentRolloutStateFailed {
		return nil
	}
	p.replaceUnhealthy(b)
	p.checkFailure(desired)
	if v.deps[v.primary].RolloutState == ecs.DeploymentRolloutStateFailed {
		return nil
	}
	surplus, free := p.daemonSlots(elig)
	allowed, err := p.stopSurplus(surplus, b.Minimum)
	if err != nil {
		return err
	}
	if err := p.launch(len(free), free); err != nil {
		return err
	}
	if len(surplus) > 0 && allowed <= 0 && len(p.stops) == 0 && len(p.starts) == 0 && !p.inFlight() {
		p.block()
	}
	return nil
}

// daemonSlots returns, over the eligible instances, the live tasks to
// stop (older deployments' tasks, and all but one primary task) and the
// instances where no task of the service holds resources, to start one.
func (p *plan) daemonSlots(elig []string) (surplus []int, free []string) {
	v := p.v
	live := make(map[string][]int)
	held := make(map[string]bool)
	for i := range v.tasks {
		tv := &v.tasks[i]
		if tv.phase == phaseStopped {
			continue
		}
		held[tv.t.ContainerInstanceARN] = true
		if tv.phase.live() {
			live[tv.t.ContainerInstanceARN] = append(live[tv.t.ContainerInstanceARN], i)
		}
	}
	for _, inst := range elig {
		var prim, old []int
		for _, i := range live[inst] {
			if v.tasks[i].dep == v.primary {
				prim = append(prim, i)
			} else {
				old = append(old, i)
			}
		}
		if len(prim) > 1 {
			p.stopFirst(prim) // keep the one that is dearest to stop
			surplus = append(surplus, prim[:len(prim)-1]...)
		}
		surplus = append(surplus, old...)
		if !held[inst] {
			free = append(free, inst)
		}
	}
	return surplus, free
}

func contains(sorted []string, s string) bool {
	_, ok := slices.BinarySearch(sorted, s)
	return ok
}
