package deploy

import "github.com/ecscore/ecscore/ecs"

// replica plans a step of a REPLICA service (rules 104, 107, 110–113 and
// 117–124): keep desiredCount tasks of the primary deployment; replace
// unhealthy tasks; stop the tasks of older deployments and those on
// draining instances down to the minimum healthy count while starting
// new ones up to the maximum, both in the same step where the bounds
// allow; scale in and out.
func (p *plan) replica() error {
	v := p.v
	desired := v.svc.DesiredCount
	b := boundsFor(desired, ecs.SchedulingStrategyReplica, v.svc.DeploymentConfiguration)
	p.stopDrainingPending()
	if v.deps[v.primary].RolloutState == ecs.DeploymentRolloutStateFailed {
		return nil // a FAILED deployment launches no new tasks (rule 122)
	}
	p.replaceUnhealthy(b)
	p.checkFailure(desired)
	if v.deps[v.primary].RolloutState == ecs.DeploymentRolloutStateFailed {
		return nil
	}
	hold := v.s.Hold != "" && v.s.Hold == v.deps[v.primary].ID
	var keep, surplus []int
	for i := range v.tasks {
		tv := &v.tasks[i]
		switch {
		case !tv.phase.live():
		case tv.dep == v.primary && !tv.draining:
			keep = append(keep, i)
		case hold && tv.dep != v.primary:
			// The blue revision's tasks stay until the clean-up.
		default:
			surplus = append(surplus, i)
		}
	}
	keep, err := p.rebalanceKeep(keep, b)
	if err != nil {
		return err
	}
	need := desired - len(keep)
	if need < 0 {
		if err := p.scaleIn(keep, -need); err != nil {
			return err
		}
	}
	allowed, err := p.stopSurplus(surplus, b.Minimum)
	if err != nil {
		return err
	}
	live, _ := p.count()
	room := b.Maximum - live
	if hold {
		room = need // green scales up to 100% beside blue
		if v.s.HoldStart {
			room = 0
		}
	}
	if err := p.launch(min(need, room), nil); err != nil {
		return err
	}
	if !hold && (need > 0 || len(surplus) > 0) && room <= 0 && allowed <= 0 &&
		len(p.stops) == 0 && len(p.starts) == 0 && !p.inFlight() {
		p.block()
	}
	return nil
}

// block records a deployment the configuration keeps from progressing
// (rule 120): ECS writes its event and waits.
func (p *plan) block() {
	p.blocked = true
	p.repeat = append(p.repeat, blockedEvent(p.v.svc.ServiceName))
}

// stopDrainingPending stops at once the service's PENDING tasks on
// draining instances (rule 107).
func (p *plan) stopDrainingPending() {
	for i := range p.v.tasks {
		if tv := &p.v.tasks[i]; tv.phase == phasePending && tv.draining {
			p.stop(i, p.scaling())
		}
	}
}

// scaleIn stops n of the tasks idx: those not healthy first, the healthy
// ones as the placer's scale-in rule chooses (rules 90 and 92).
func (p *plan) scaleIn(idx []int, n int) error {
	p.stopFirst(idx)
	var healthy []int
	for _, i := range idx {
		if n == 0 {
			return nil
		}
		if p.v.tasks[i].healthy {
			healthy = append(healthy, i)
			continue
		}
		p.stop(i, p.scaling())
		n--
	}
	if n == 0 {
		return nil
	}
	chosen, err := p.selectStop(healthy, n)
	if err != nil {
		return err
	}
	for _, i := range chosen {
		p.stop(i, p.scaling())
	}
	return nil
}
