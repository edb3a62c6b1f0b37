package deploy

import (
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// firingAlarms returns the service's deployment alarms that are in ALARM,
// in the configuration's order.
func firingAlarms(svc *ecs.Service, inAlarm []string) []string {
	al := alarmsOf(svc)
	if al == nil {
		return nil
	}
	var out []string
	for _, name := range al.AlarmNames {
		if slices.Contains(inAlarm, name) {
			out = append(out, name)
		}
	}
	return out
}

// inProgress reports whether d is being rolled out.
func inProgress(d *ecs.Deployment) bool {
	return d.RolloutState == ecs.DeploymentRolloutStateInProgress || d.RolloutState == ""
}

// checkFailure fails the primary deployment when its circuit breaker
// count reaches the threshold (rules 123 and 124) or one of its alarms is
// in ALARM (rule 125), whichever comes first, and rolls back when the
// method that fired says so. It reports whether the primary changed.
func (p *plan) checkFailure(desired int) bool {
	v := p.v
	dep := &v.deps[v.primary]
	if !inProgress(dep) {
		return false
	}
	svc := v.svc.ServiceName
	var rollback, byAlarm bool
	if cb := breakerOf(v.svc); cb != nil && dep.FailedTasks >= Threshold(cb.ThresholdConfiguration, desired) {
		dep.RolloutStateReason = breakerFailedReason
		p.events = append(p.events, failedEvent(svc, dep.ID))
		rollback = cb.Rollback
	} else if names := firingAlarms(v.svc, v.s.Alarms); len(names) > 0 && !v.mem.alarmsAtStart {
		dep.RolloutStateReason = alarmFailedReason(names)
		p.events = append(p.events, alarmFailedEvent(svc, dep.ID))
		rollback, byAlarm = alarmsOf(v.svc).Rollback, true
	} else {
		return false
	}
	dep.RolloutState = ecs.DeploymentRolloutStateFailed
	dep.UpdatedAt = ecs.NewTime(v.s.Now)
	if !rollback {
		return false
	}
	return p.rollback(byAlarm)
}

// rollback starts a deployment of the last COMPLETED deployment's task
// definition (rule 124). The new deployment adopts that deployment's
// tasks, so that the tasks it left running stay. It reports whether there
// was a deployment to roll back to.
func (p *plan) rollback(byAlarm bool) bool {
	v := p.v
	target := -1
	for i := range v.deps {
		d := &v.deps[i]
		if i != v.primary && d.RolloutState == ecs.DeploymentRolloutStateCompleted &&
			(target < 0 || d.CreatedAt.After(v.deps[target].CreatedAt.Time)) {
			target = i
		}
	}
	if target < 0 {
		return false
	}
	old, to := &v.deps[v.primary], v.deps[target]
	now := ecs.NewTime(v.s.Now)
	nd := to
	nd.ID = v.mem.deploymentID()
	nd.Status = "PRIMARY"
	nd.DesiredCount = old.DesiredCount
	nd.RunningCount, nd.PendingCount, nd.FailedTasks = 0, 0, 0
	nd.CreatedAt, nd.UpdatedAt = now, now
	nd.RolloutState = ecs.DeploymentRolloutStateInProgress
	nd.RolloutStateReason = rollbackReason(byAlarm, to.ID)
	old.Status = "ACTIVE"
	p.events = append(p.events, rollbackEvent(v.svc.ServiceName, to.ID))
	v.mem.alias(to.ID, nd.ID)
	v.deps = append([]ecs.Deployment{nd}, v.deps...)
	for i := range v.tasks {
		switch tv := &v.tasks[i]; tv.dep {
		case target:
			tv.dep = 0
		case -1:
		default:
			tv.dep++
		}
	}
	v.primary = 0
	p.newPrimary()
	return true
}
