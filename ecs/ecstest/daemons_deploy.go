package ecstest

import (
	"context"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Daemon deployments: PENDING when created, IN_PROGRESS once ecstest
// starts draining, SUCCESSFUL once every instance of the daemon's
// capacity providers runs the target revision (a deletion's: no instance
// runs a task of the daemon) and the bake time has passed; STOPPED when a
// newer deployment replaces it. The circuit breaker counts the target's
// tasks that fail to start, and with the alarms (those not in ALARM when
// the deployment started) it rolls the daemon back to the revision it
// ran before: ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL, or
// ROLLBACK_FAILED if the breaker trips again. A daemon's first
// deployment has no revision to go back to: it is STOPPED instead.

// daemonTick is how often an unfinished daemon deployment is looked at
// again, besides when an instance or a task of the daemon changes.
const daemonTick = 15 * time.Second

// daemonDeployment is a daemon deployment.
type daemonDeployment struct {
	d  ecs.DaemonDeployment
	dm *daemon
	// target is the revision deployed; nil for the deletion of the
	// daemon. goal is what instances are brought to: the target, or the
	// revision of its rollback.
	target, goal *daemonRevision
	sources      []*daemonRevision  // newest first
	drained      map[*instance]bool // instances it drained, until they are gone
	batch        int                // how many instances it drains at once
	alarmsBefore map[string]bool    // its alarms already in ALARM when it started
	bakeUntil    time.Time          // when its bake time ends, once it began
	final        bool               // ended: its revision details stay as they were
}

// finished reports whether the deployment has ended.
func (dep *daemonDeployment) finished() bool {
	switch dep.d.Status {
	case ecs.DaemonDeploymentStatusSuccessful, ecs.DaemonDeploymentStatusStopped,
		ecs.DaemonDeploymentStatusRollbackSuccessful, ecs.DaemonDeploymentStatusRollbackFailed:
		return true
	}
	return false
}

// startDaemonDeployment starts a deployment of rev (nil: the daemon's
// deletion), which stops the one in progress, and looks at it when the
// clock next runs. e.mu must be held.
func (e *ECS) startDaemonDeployment(dm *daemon, rev *daemonRevision) *daemonDeployment {
	now := e.clock.Now()
	for _, old := range dm.deps {
		if !old.finished() {
			old.setStatus(e, ecs.DaemonDeploymentStatusStopped, "The daemon deployment was replaced by a new deployment.")
		}
	}
	id := e.serviceDeploymentID("daemon-deployment/" + dm.arn + "/" + e.ids.next("daemon-deployment"))
	dep := &daemonDeployment{dm: dm, target: rev, goal: rev, drained: map[*instance]bool{}, alarmsBefore: map[string]bool{}}
	running := e.runningByRevision(dm)
	for _, rc := range running {
		if rc.rev != rev {
			dep.sources = append(dep.sources, rc.rev)
		}
	}
	if len(dep.sources) == 0 && dm.rev != nil && dm.rev != rev {
		dep.sources = append(dep.sources, dm.rev) // what it deployed before, though nothing runs it yet
	}
	cfg := ecs.DaemonDeploymentConfiguration{DrainPercent: ptrTo(defaultDrainPercent), Alarms: &ecs.DaemonAlarmConfiguration{AlarmNames: []string{}}}
	switch {
	case rev != nil:
		cfg = *deepCopy(&rev.cfg)
	case dm.rev != nil:
		cfg = *deepCopy(&dm.rev.cfg)
	}
	dep.d = ecs.DaemonDeployment{
		DaemonDeploymentARN: e.arns.prefix() + "daemon-deployment/" + dm.cl.info.ClusterName + "/" + dm.name + "/" + id,
		ClusterARN:          dm.cl.info.ClusterARN, Status: ecs.DaemonDeploymentStatusPending,
		StatusReason:            "The daemon deployment was created.",
		CircuitBreaker:          &ecs.DaemonCircuitBreaker{Status: ecs.DaemonDeploymentRollbackMonitorsStatusMonitoring},
		Alarms:                  &ecs.DaemonDeploymentAlarms{Status: ecs.DaemonDeploymentRollbackMonitorsStatusDisabled, AlarmNames: []string{}, TriggeredAlarmNames: []string{}},
		DeploymentConfiguration: &cfg, CreatedAt: ecs.NewTime(now),
		SourceDaemonRevisions: []ecs.DaemonDeploymentRevisionDetail{},
	}
	if cfg.Alarms.Enable {
		dep.d.Alarms.Status = ecs.DaemonDeploymentRollbackMonitorsStatusMonitoring
		dep.d.Alarms.AlarmNames = slices.Clone(cfg.Alarms.AlarmNames)
		for _, n := range cfg.Alarms.AlarmNames {
			dep.alarmsBefore[n] = e.alarms[n]
		}
	}
	dm.rev = rev
	dm.deps = append(dm.deps, dep)
	e.daemons.deployments[dep.d.DaemonDeploymentARN] = dep
	e.wakeDaemon(dm, now)
	return dep
}

// setStatus moves the deployment to status s with its reason, and sets
// the time it stopped or finished. e.mu must be held.
func (dep *daemonDeployment) setStatus(e *ECS, s ecs.DaemonDeploymentStatus, reason string) {
	now := ecs.NewTime(e.clock.Now())
	dep.d.Status, dep.d.StatusReason = s, reason
	switch s {
	case ecs.DaemonDeploymentStatusStopped:
		dep.d.StoppedAt = now
	case ecs.DaemonDeploymentStatusSuccessful, ecs.DaemonDeploymentStatusRollbackSuccessful, ecs.DaemonDeploymentStatusRollbackFailed:
		dep.d.FinishedAt = now
	}
	if !dep.finished() {
		return
	}
	for _, m := range []*ecs.DaemonDeploymentRollbackMonitorsStatus{&dep.d.CircuitBreaker.Status, &dep.d.Alarms.Status} {
		if *m == ecs.DaemonDeploymentRollbackMonitorsStatusMonitoring {
			*m = ecs.DaemonDeploymentRollbackMonitorsStatusMonitoringComplete
		}
	}
	e.fillDaemonDeployment(dep) // the counts as they stood when it ended
	dep.final = true
}

// wakeDaemon has the daemon's deployment looked at at t, at the end of
// that instant, unless a look is due by then. e.mu must be held.
func (e *ECS) wakeDaemon(dm *daemon, t time.Time) {
	if dm.gone || dm.cl.dead {
		return
	}
	dm.next.set(e, t, func() { e.evalDaemon(dm) })
}

// evalDaemon takes the daemon's latest deployment a step on: it drains
// the next instances that do not run its goal, up to its batch, checks
// its circuit breaker and alarms, and ends it once every instance runs
// the goal and the bake time has passed. e.mu must be held.
func (e *ECS) evalDaemon(dm *daemon) {
	dep := dm.latest()
	if dep.finished() || dm.cl.dead {
		return
	}
	now := e.clock.Now()
	outdated, pending, total := e.outdatedInstances(dm, dep.goal)
	if dep.d.Status == ecs.DaemonDeploymentStatusPending {
		dep.d.StartedAt = ecs.NewTime(now)
		dep.setStatus(e, ecs.DaemonDeploymentStatusInProgress, "The daemon deployment is in progress.")
		pct := *dep.d.DeploymentConfiguration.DrainPercent
		dep.batch = max(1, int(math.Ceil(pct*float64(total)/100-1e-9)))
		// The circuit breaker's threshold: the API reference names it
		// but gives no formula; ecstest takes the service deployment
		// circuit breaker's, half the instances, within 3 and 200.
		dep.d.CircuitBreaker.Threshold = min(200, max(3, (total+1)/2))
	}
	if e.daemonRollbackDue(dep) {
		return
	}
	for inst := range dep.drained {
		if inst.ci.Status == statusInactive {
			delete(dep.drained, inst)
		}
	}
	for _, inst := range outdated {
		if inst.ci.Status == statusDraining {
			e.stopDaemonsIfDrained(inst) // drained by others: its daemon task stops once it is left alone
			continue
		}
		if len(dep.drained) >= dep.batch {
			break
		}
		if inst.ci.Status == statusActive {
			dep.drained[inst] = true
			e.drainForDaemon(inst)
		}
	}
	if len(outdated) > 0 || pending > 0 || len(dep.drained) > 0 {
		dep.bakeUntil = time.Time{}
		e.wakeDaemon(dm, now.Add(daemonTick))
		return
	}
	if dep.bakeUntil.IsZero() {
		dep.bakeUntil = now // a rollback does not bake
		if dep.d.Status == ecs.DaemonDeploymentStatusInProgress {
			dep.bakeUntil = now.Add(time.Duration(dep.d.DeploymentConfiguration.BakeTimeInMinutes) * time.Minute)
		}
	}
	if now.Before(dep.bakeUntil) {
		next := now.Add(daemonTick) // the alarms are watched while it bakes
		if dep.bakeUntil.Before(next) {
			next = dep.bakeUntil
		}
		e.wakeDaemon(dm, next)
		return
	}
	switch {
	case dep.d.Status == ecs.DaemonDeploymentStatusRollbackInProgress:
		dep.setStatus(e, ecs.DaemonDeploymentStatusRollbackSuccessful, "The daemon deployment was rolled back.")
	case dep.target == nil:
		dep.setStatus(e, ecs.DaemonDeploymentStatusSuccessful, "The daemon was deleted: no container instance runs its tasks.")
		dm.gone = true
		e.pruneDaemon(dm)
		e.sweepDaemonTaskDefs()
	default:
		dep.setStatus(e, ecs.DaemonDeploymentStatusSuccessful, "Every container instance of the daemon's capacity providers runs the target daemon revision.")
	}
}

// outdatedInstances returns the ACTIVE and DRAINING container instances
// of the daemon's cluster that a deployment towards goal must still
// replace (those of goal's capacity providers whose daemon task is not of
// goal's task definition, or missing; those of other providers that run
// a task of the daemon), in order of ARN; how many of goal's tasks are
// not yet RUNNING, or instances of its providers not yet registered; and
// how many instances goal's providers have. e.mu must be held.
func (e *ECS) outdatedInstances(dm *daemon, goal *daemonRevision) (outdated []*instance, pending, total int) {
	cl := dm.cl
	if goal != nil {
		for _, name := range goal.providers {
			p := e.providers[name]
			switch {
			case p == nil || p.cluster != cl:
			case p.mi != nil:
				for _, m := range p.mi.members {
					if m.inst == nil {
						pending++ // launching: it registers with the goal's task
					}
				}
			case p.group != nil:
				for _, m := range p.group.members {
					if m.inst == nil {
						pending++
					}
				}
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(cl.instances)) {
		inst := cl.instances[id]
		p := inst.ci.CapacityProviderName
		if p == "" || inst.ci.Status == statusInactive {
			continue
		}
		wanted := goal != nil && slices.Contains(goal.providers, p)
		tk := dm.tasks[inst]
		if wanted {
			total++
		}
		switch {
		case tk == nil && (!wanted || inst.ci.Status != statusActive):
			// Nothing of the daemon on it, and none wanted: of another
			// provider, or draining (it takes no task any more).
		case inst.ci.Status != statusActive:
			outdated = append(outdated, inst) // draining: its daemon task stops last
		case !wanted, tk == nil, tk.daemonRev.td != goal.td:
			outdated = append(outdated, inst)
		case tk.t.LastStatus != ecs.TaskStatusRunning:
			pending++
		}
	}
	return outdated, pending, total
}

// daemonRollbackDue checks the deployment's circuit breaker and alarms,
// and when one trips, rolls the daemon back (or stops the deployment, or
// fails its rollback) and reports true. e.mu must be held.
func (e *ECS) daemonRollbackDue(dep *daemonDeployment) bool {
	var triggered []string
	if dep.d.Alarms.Status == ecs.DaemonDeploymentRollbackMonitorsStatusMonitoring {
		for _, n := range dep.d.Alarms.AlarmNames {
			if e.alarms[n] && !dep.alarmsBefore[n] {
				triggered = append(triggered, n)
			}
		}
	}
	cb := dep.d.CircuitBreaker
	tripped := cb.FailureCount >= cb.Threshold && cb.Threshold > 0
	if len(triggered) == 0 && !tripped {
		return false
	}
	reason := "The daemon deployment circuit breaker was triggered: " + strconv.Itoa(cb.FailureCount) + " daemon tasks failed to start."
	if len(triggered) > 0 {
		dep.d.Alarms.Status = ecs.DaemonDeploymentRollbackMonitorsStatusTriggered
		dep.d.Alarms.TriggeredAlarmNames = triggered
		reason = "CloudWatch alarms were triggered: " + strings.Join(triggered, ", ") + "."
	} else {
		cb.Status = ecs.DaemonDeploymentRollbackMonitorsStatusTriggered
	}
	var to *daemonRevision
	if len(dep.sources) > 0 {
		to = dep.sources[0]
	}
	switch {
	case dep.d.Status == ecs.DaemonDeploymentStatusRollbackInProgress:
		dep.setStatus(e, ecs.DaemonDeploymentStatusRollbackFailed, "The rollback failed: "+reason)
	case to == nil || dep.target == nil:
		dep.setStatus(e, ecs.DaemonDeploymentStatusStopped, reason+" There is no earlier daemon revision to roll back to.")
	default:
		dep.d.Rollback = &ecs.DaemonRollback{Reason: reason, StartedAt: ecs.NewTime(e.clock.Now()),
			RollbackTargetDaemonRevisionARN: to.rev.DaemonRevisionARN, RollbackCapacityProviders: e.providerARNs(to.providers)}
		dep.setStatus(e, ecs.DaemonDeploymentStatusRollbackInProgress, reason)
		cb.FailureCount = 0 // the rollback's own failures fail it
		dep.goal, dep.dm.rev, dep.bakeUntil = to, to, time.Time{}
		e.wakeDaemon(dep.dm, e.clock.Now())
	}
	return true
}

// providerARNs returns the ARNs of the capacity providers names.
func (e *ECS) providerARNs(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = e.arns.prefix() + "capacity-provider/" + n
	}
	return out
}

// fillDaemonDeployment sets the deployment's revision details: for its
// target (or a deletion's none) and each source, the instances that run
// its tasks and those draining, per capacity provider. An ended
// deployment keeps those it had when it ended. e.mu must be held.
func (e *ECS) fillDaemonDeployment(dep *daemonDeployment) {
	if dep.final {
		return
	}
	detail := func(rev *daemonRevision) ecs.DaemonDeploymentRevisionDetail {
		running, draining := map[string]int{}, map[string]int{}
		for _, p := range rev.providers {
			running[p], draining[p] = 0, 0
		}
		for inst, tk := range dep.dm.tasks {
			if tk.daemonRev.td != rev.td || tk.stopped() {
				continue
			}
			p := inst.ci.CapacityProviderName
			switch {
			case inst.ci.Status == statusDraining:
				draining[p]++
			case tk.t.LastStatus == ecs.TaskStatusRunning:
				running[p]++
			}
		}
		d := ecs.DaemonDeploymentRevisionDetail{ARN: rev.rev.DaemonRevisionARN, CapacityProviders: []ecs.DaemonDeploymentCapacityProvider{},
			TotalRunningInstanceCount: ptrTo(0), TotalDrainingInstanceCount: ptrTo(0)}
		for _, p := range slices.Sorted(maps.Keys(running)) {
			d.CapacityProviders = append(d.CapacityProviders, ecs.DaemonDeploymentCapacityProvider{
				ARN: e.arns.prefix() + "capacity-provider/" + p, RunningInstanceCount: ptrTo(running[p]), DrainingInstanceCount: ptrTo(draining[p])})
			*d.TotalRunningInstanceCount += running[p]
			*d.TotalDrainingInstanceCount += draining[p]
		}
		return d
	}
	dep.d.TargetDaemonRevision = nil
	if dep.target != nil {
		dep.d.TargetDaemonRevision = ptrTo(detail(dep.target))
	}
	dep.d.SourceDaemonRevisions = dep.d.SourceDaemonRevisions[:0]
	for _, src := range dep.sources {
		dep.d.SourceDaemonRevisions = append(dep.d.SourceDaemonRevisions, detail(src))
	}
}

// daemonDeploymentOf returns the deployment arn names, or nil. e.mu must
// be held.
func (e *ECS) daemonDeploymentOf(arn string) *daemonDeployment {
	dep := e.daemons.deployments[arn]
	if dep == nil || dep.dm.cl.dead || e.clock.Now().Sub(dep.d.CreatedAt.Time) > deploymentRetention {
		return nil
	}
	return dep
}

// DescribeDaemonDeployments describes the daemon deployments
// req.DaemonDeploymentARNs names (1 to 20); one that does not exist is a
// failure with reason MISSING.
func (e *ECS) DescribeDaemonDeployments(ctx context.Context, req *ecs.DescribeDaemonDeploymentsRequest) (*ecs.DescribeDaemonDeploymentsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if len(req.DaemonDeploymentARNs) == 0 || len(req.DaemonDeploymentARNs) > maxDescribeDaemonItems {
		return nil, invalidParameter("daemonDeploymentArns must have 1 to %d items.", maxDescribeDaemonItems)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	resp := &ecs.DescribeDaemonDeploymentsResponse{DaemonDeployments: []ecs.DaemonDeployment{}, Failures: []ecs.Failure{}}
	for _, arn := range req.DaemonDeploymentARNs {
		dep := e.daemonDeploymentOf(arn)
		if dep == nil {
			resp.Failures = append(resp.Failures, ecs.Failure{ARN: arn, Reason: "MISSING"})
			continue
		}
		e.fillDaemonDeployment(dep)
		resp.DaemonDeployments = append(resp.DaemonDeployments, *deepCopy(&dep.d))
	}
	return resp, nil
}

// ListDaemonDeployments lists the deployments of the daemon req.DaemonARN
// names, newest first: those of the last 90 days, of the statuses
// req.Status names (all when empty), created in the window req.CreatedAt
// gives (after and before, exclusive), at most req.MaxResults (1 to 100,
// default 20) at a time.
func (e *ECS) ListDaemonDeployments(ctx context.Context, req *ecs.ListDaemonDeploymentsRequest) (*ecs.ListDaemonDeploymentsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	for _, s := range req.Status {
		if !s.Known() {
			return nil, invalidParameter("status %q is not valid: use one of %v.", s, s.Values())
		}
	}
	p, err := readPage("ListDaemonDeployments", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	if req.MaxResults == nil {
		p.size = defaultDaemonDeploymentsPage
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	dm, err := e.daemonOf(req.DaemonARN)
	if err != nil {
		return nil, err
	}
	now := e.clock.Now()
	var list []*daemonDeployment
	for _, dep := range slices.Backward(dm.deps) {
		created := dep.d.CreatedAt.Time
		switch {
		case now.Sub(created) > deploymentRetention:
		case len(req.Status) > 0 && !slices.Contains(req.Status, dep.d.Status):
		case req.CreatedAt != nil && !req.CreatedAt.After.IsZero() && !created.After(req.CreatedAt.After.Time):
		case req.CreatedAt != nil && !req.CreatedAt.Before.IsZero() && !created.Before(req.CreatedAt.Before.Time):
		default:
			list = append(list, dep)
		}
	}
	pg, next := pageInOrder(p, list, func(d *daemonDeployment) string { return d.d.DaemonDeploymentARN })
	resp := &ecs.ListDaemonDeploymentsResponse{DaemonDeployments: []ecs.DaemonDeploymentSummary{}, NextToken: next}
	for _, dep := range pg {
		s := ecs.DaemonDeploymentSummary{DaemonDeploymentARN: dep.d.DaemonDeploymentARN, DaemonARN: dm.arn,
			ClusterARN: dep.d.ClusterARN, Status: dep.d.Status, StatusReason: dep.d.StatusReason,
			CreatedAt: dep.d.CreatedAt, StartedAt: dep.d.StartedAt, StoppedAt: dep.d.StoppedAt, FinishedAt: dep.d.FinishedAt}
		if dep.target != nil {
			s.TargetDaemonRevisionARN = dep.target.rev.DaemonRevisionARN
		}
		resp.DaemonDeployments = append(resp.DaemonDeployments, s)
	}
	return resp, nil
}

// DescribeDaemonRevisions describes the daemon revisions
// req.DaemonRevisionARNs names (1 to 20); one that does not exist is a
// failure with reason MISSING.
func (e *ECS) DescribeDaemonRevisions(ctx context.Context, req *ecs.DescribeDaemonRevisionsRequest) (*ecs.DescribeDaemonRevisionsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if len(req.DaemonRevisionARNs) == 0 || len(req.DaemonRevisionARNs) > maxDescribeDaemonItems {
		return nil, invalidParameter("daemonRevisionArns must have 1 to %d items.", maxDescribeDaemonItems)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	resp := &ecs.DescribeDaemonRevisionsResponse{DaemonRevisions: []ecs.DaemonRevision{}, Failures: []ecs.Failure{}}
	for _, arn := range req.DaemonRevisionARNs {
		rev := e.daemons.revisions[arn]
		if rev == nil || rev.td == nil || rev.dm.cl.dead {
			resp.Failures = append(resp.Failures, ecs.Failure{ARN: arn, Reason: "MISSING"})
			continue
		}
		resp.DaemonRevisions = append(resp.DaemonRevisions, *deepCopy(&rev.rev))
	}
	return resp, nil
}
