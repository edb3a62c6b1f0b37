package ecstest

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// Weights is how a listener rule splits traffic between the blue and the
// green revision, in percent; they sum to 100.
type Weights struct {
	Blue  float64 `json:"blue"`
	Green float64 `json:"green"`
}

// StageRecord is a lifecycle stage a deployment entered, or a traffic
// shift within one, with the traffic split from then on and how many
// tasks of the green revision were healthy.
type StageRecord struct {
	Stage        ecs.ServiceDeploymentLifecycleStage `json:"lifecycleStage"`
	At           ecs.Time                            `json:"at"`
	Production   Weights                             `json:"production"`
	Test         Weights                             `json:"test"`
	GreenHealthy int                                 `json:"greenHealthy"`
	GreenDesired int                                 `json:"greenDesired"`
	// Note says what happened: a traffic shift, a rollback.
	Note string `json:"note,omitempty"`
}

// Traffic is the traffic split of a service's load balancers and the
// stages of its latest BLUE_GREEN, LINEAR or CANARY deployment.
type Traffic struct {
	ServiceDeploymentARN string                              `json:"serviceDeploymentArn,omitempty"`
	LifecycleStage       ecs.ServiceDeploymentLifecycleStage `json:"lifecycleStage,omitempty"`
	Production           Weights                             `json:"production"`
	Test                 Weights                             `json:"test"`
	Stages               []StageRecord                       `json:"stages"`
	// Done reports that the deployment finished: completed or rolled
	// back.
	Done bool `json:"done"`
}

// HookOutcome is what a simulated Lambda lifecycle hook returns
// (the developer guide's "Lambda hooks for Amazon ECS service
// deployments": hookStatus SUCCEEDED, FAILED or IN_PROGRESS, and
// callBackDelay, the seconds before an IN_PROGRESS hook is invoked again,
// 30 by default).
type HookOutcome struct {
	HookStatus    ecs.DeploymentLifecycleHookStatus `json:"hookStatus"`
	CallBackDelay int                               `json:"callBackDelay,omitempty"`
}

// strategyRun is a BLUE_GREEN, LINEAR or CANARY deployment under way.
type strategyRun struct {
	svc    *service
	dep    string // the green deployment's ID
	cfg    *ecs.DeploymentConfiguration
	stages []ecs.ServiceDeploymentLifecycleStage
	at     int       // index into stages
	since  time.Time // when the stage began
	steps  []float64 // green's production share after each shift
	step   int       // the next shift of steps
	// shifted reports that steps[step] has been applied and its hooks
	// are running; preProd that the PRE_PRODUCTION_TRAFFIC_SHIFT hooks
	// are done.
	shifted, preProd bool
	waitUntil        time.Time // the end of a step bake
	prod, test       float64   // green's share of production and test traffic
	hooks            []*hookRun
	hookStage        ecs.DeploymentLifecycleHookStage
	history          []StageRecord
	done             bool
	gen              uint64 // moves on when a timer of the run should do nothing
}

// hookRun is a lifecycle hook invoked at one stage.
type hookRun struct {
	hook   *ecs.DeploymentLifecycleHook
	detail ecs.DeploymentLifecycleHookDetail
}

// green reports whether tk is a task of the run's green revision while
// the run is under way.
func (r *strategyRun) green(tk *task) bool { return !r.done && tk.t.StartedBy == r.dep }

// stage returns the run's current stage.
func (r *strategyRun) stage() ecs.ServiceDeploymentLifecycleStage { return r.stages[r.at] }

// holdOf returns what the scheduler of svc holds (deploy.State.Hold and
// HoldStart): the green deployment of a run before its clean-up, and
// whether it has not started scaling up. e.mu must be held.
func (e *ECS) holdOf(svc *service) (string, bool) {
	run := e.ensureRun(svc)
	if run == nil || run.done || run.stage() == ecs.ServiceDeploymentLifecycleStageCleanUp {
		return "", false
	}
	return run.dep, run.at < slices.Index(run.stages, ecs.ServiceDeploymentLifecycleStageScaleUp)
}

// ensureRun returns the run of svc's PRIMARY deployment, started when
// the deployment shifts traffic and replaces running tasks (not a
// rollback); a run whose deployment is no longer PRIMARY (rolled back by
// the circuit breaker or an alarm, or replaced) ends with the traffic on
// blue. e.mu must be held.
func (e *ECS) ensureRun(svc *service) *strategyRun {
	info := svc.info()
	run := e.lb.runs[svc]
	if len(info.Deployments) == 0 {
		return run
	}
	prim := primaryOf(info)
	if run != nil && !run.done && (run.dep != prim.ID || info.Status != serviceActive) {
		e.endRun(run, "rolled back: deployment "+run.dep+" is no longer the service's PRIMARY deployment")
	}
	if run != nil && run.dep == prim.ID || info.Status != serviceActive || info.DeploymentConfiguration == nil ||
		!shiftsTraffic(info.DeploymentConfiguration.Strategy) || prim.RolloutState != ecs.DeploymentRolloutStateInProgress {
		return run
	}
	if rec := e.serviceHistory(svc).byDep[prim.ID]; rec != nil && rec.rollback == prim.ID {
		return run // a rollback shifts no traffic of its own
	}
	revisions := e.sourceRevisions(svc, prim.ID)
	if revisions == 0 {
		return run // nothing to shift traffic from: the tasks start as ROLLING's do
	}
	cfg := deepCopy(info.DeploymentConfiguration)
	fillStrategy(cfg)
	now := e.clock.Now()
	run = &strategyRun{svc: svc, dep: prim.ID, cfg: cfg, stages: stageOrder(revisions > 1), since: now, steps: productionSteps(cfg)}
	if e.lb.runs == nil {
		e.lb.runs = map[*service]*strategyRun{}
	}
	e.lb.runs[svc] = run
	e.enterStage(run, now)
	return run
}

// sourceRevisions returns how many deployments other than dep have tasks
// of svc not asked to stop: the revisions a new run shifts traffic from.
// e.mu must be held.
func (e *ECS) sourceRevisions(svc *service, dep string) int {
	var seen []string
	for _, tk := range svc.order {
		if by := tk.t.StartedBy; by != dep && !tk.stopping() && !tk.stopped() && !slices.Contains(seen, by) {
			seen = append(seen, by)
		}
	}
	return len(seen)
}

// advanceStrategy moves the run of svc on after a step of its scheduler,
// and again whenever a timer of the run fires. e.mu must be held.
func (e *ECS) advanceStrategy(svc *service) {
	run := e.ensureRun(svc)
	if run == nil || run.done {
		return
	}
	for !run.done {
		now := e.clock.Now()
		switch st := run.stage(); st {
		case ecs.ServiceDeploymentLifecycleStageScaleUp:
			if h, want := e.greenHealth(run); h < want {
				return // the scheduler's steps bring green up
			}
		case ecs.ServiceDeploymentLifecycleStageTestTrafficShift:
			if run.test < 100 {
				run.test = 100
				e.note(run, now, "test traffic shifted")
			}
			if !e.hooksDone(run, ecs.DeploymentLifecycleHookStageTestTrafficShift) {
				return
			}
		case ecs.ServiceDeploymentLifecycleStageProductionTrafficShift:
			if !e.shiftProduction(run, now) {
				return
			}
		case ecs.ServiceDeploymentLifecycleStageBakeTime:
			end := run.since.Add(time.Duration(derefInt(run.cfg.BakeTimeInMinutes)) * time.Minute)
			if now.Before(end) {
				e.runAt(run, end)
				return
			}
		case ecs.ServiceDeploymentLifecycleStageCleanUp:
			if d := deploymentOf(svc.info(), run.dep); d == nil || d.RolloutState != ecs.DeploymentRolloutStateCompleted {
				return // the scheduler scales blue down
			}
			run.done = true
			e.dropHookFunctions()
			if e.lb.altLive == nil {
				e.lb.altLive = map[*service]bool{}
			}
			e.lb.altLive[svc] = !e.lb.altLive[svc]
			e.note(run, now, "completed: blue scaled down")
			return
		default:
			if !e.hooksDone(run, ecs.DeploymentLifecycleHookStage(st)) {
				return
			}
		}
		if run.done {
			return
		}
		run.at++
		run.since = now
		e.enterStage(run, now)
		switch run.stage() {
		case ecs.ServiceDeploymentLifecycleStageScaleUp, ecs.ServiceDeploymentLifecycleStageCleanUp:
			e.wake(svc, now) // the hold changed: the scheduler scales green up, or blue down
		}
	}
}

// shiftProduction runs the production traffic shift: the
// PRE_PRODUCTION_TRAFFIC_SHIFT hooks, then each shift (only while every
// green task is healthy), its PRODUCTION_TRAFFIC_SHIFT hooks and its bake.
// It reports whether the shift is complete. e.mu must be held.
func (e *ECS) shiftProduction(run *strategyRun, now time.Time) bool {
	if !run.preProd {
		if !e.hooksDone(run, ecs.DeploymentLifecycleHookStagePreProductionTrafficShift) {
			return false
		}
		run.preProd, run.hooks, run.hookStage = true, nil, ""
	}
	for run.step < len(run.steps) {
		if now.Before(run.waitUntil) {
			e.runAt(run, run.waitUntil)
			return false
		}
		if !run.shifted {
			if h, want := e.greenHealth(run); h < want {
				return false // no traffic to tasks that are not healthy
			}
			run.prod, run.shifted = run.steps[run.step], true
			e.note(run, now, fmt.Sprintf("production traffic shifted: %g%% to green", run.prod))
		}
		if !e.hooksDone(run, ecs.DeploymentLifecycleHookStageProductionTrafficShift) {
			return false
		}
		bake := stepBake(run.cfg, run.step, len(run.steps))
		run.step++
		run.shifted, run.hooks, run.hookStage = false, nil, ""
		run.waitUntil = now.Add(time.Duration(bake) * time.Minute)
	}
	return true
}

// enterStage records the stage the run enters on its service deployment
// and in its history. e.mu must be held.
func (e *ECS) enterStage(run *strategyRun, now time.Time) {
	run.hooks, run.hookStage = nil, ""
	e.note(run, now, "")
}

// note records the run's state in its history and on its service
// deployment. e.mu must be held.
func (e *ECS) note(run *strategyRun, now time.Time, what string) {
	h, want := e.greenHealth(run)
	run.history = append(run.history, StageRecord{Stage: run.stage(), At: ecs.NewTime(now),
		Production: Weights{Blue: 100 - run.prod, Green: run.prod}, Test: Weights{Blue: 100 - run.test, Green: run.test},
		GreenHealthy: h, GreenDesired: want, Note: what})
	e.syncRecord(run, now)
}

// syncRecord shows the run's stage and hooks on its service deployment.
// e.mu must be held.
func (e *ECS) syncRecord(run *strategyRun, now time.Time) {
	rec := e.serviceHistory(run.svc).byDep[run.dep]
	if rec == nil {
		return
	}
	if rec.sd.LifecycleStage != run.stage() {
		rec.sd.LifecycleStage, rec.sd.UpdatedAt = run.stage(), ecs.NewTime(now)
	}
	rec.sd.LifecycleHookDetails = nil
	for _, hr := range run.hooks {
		rec.sd.LifecycleHookDetails = append(rec.sd.LifecycleHookDetails, hr.detail)
	}
}

// greenHealth returns how many of the run's green tasks are healthy (by
// the deploy package's rules: targets healthy in every target group,
// HEALTHY by container checks) and the desired count. e.mu must be held.
func (e *ECS) greenHealth(run *strategyRun) (healthy, want int) {
	svc := run.svc
	info := svc.info()
	tasks := make([]ecs.Task, 0, len(svc.order))
	for _, tk := range svc.order {
		if tk.t.StartedBy == run.dep {
			tasks = append(tasks, tk.t)
		}
	}
	views, err := deploy.ViewTasks(&deploy.State{Service: info, Tasks: tasks, TaskDefinitions: svc.tds,
		Targets: e.targets(svc), Discovery: e.discovery(svc), Now: e.clock.Now()})
	if err != nil {
		return 0, info.DesiredCount
	}
	for _, v := range views {
		if v.Healthy {
			healthy++
		}
	}
	return healthy, info.DesiredCount
}

// runAt has the run move on at t. e.mu must be held.
func (e *ECS) runAt(run *strategyRun, t time.Time) {
	gen := run.gen
	e.clock.AfterFunc(t.Sub(e.clock.Now()), func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if run.gen == gen && !run.done && e.lb.runs[run.svc] == run {
			run.gen++
			e.advanceStrategy(run.svc)
			e.recordDeployments(run.svc, false)
		}
	})
}

// hooksDone runs the hooks of stage (once per stage, or per shift for
// PRODUCTION_TRAFFIC_SHIFT) and reports whether they all succeeded. A
// hook that failed, or timed out with the action ROLLBACK, rolls the
// deployment back. e.mu must be held.
func (e *ECS) hooksDone(run *strategyRun, stage ecs.DeploymentLifecycleHookStage) bool {
	now := e.clock.Now()
	if run.hookStage != stage {
		run.hookStage, run.hooks = stage, nil
		for i := range run.cfg.LifecycleHooks {
			h := &run.cfg.LifecycleHooks[i]
			if !slices.Contains(h.LifecycleStages, stage) {
				continue
			}
			hr := &hookRun{hook: h, detail: ecs.DeploymentLifecycleHookDetail{
				HookID: e.hookID(run, stage, i), TargetType: hookType(h), TargetARN: h.HookTargetARN,
				Status: ecs.DeploymentLifecycleHookStatusInProgress}}
			// Every hook times out: timeoutInMinutes defaults to 1440 and
			// the action to ROLLBACK, so a hook kept IN_PROGRESS or
			// AWAITING_ACTION ends.
			mins, action := defaultHookTimeout, ecs.DeploymentLifecycleHookActionRollback
			if tc := h.TimeoutConfiguration; tc != nil {
				if tc.TimeoutInMinutes != nil {
					mins = *tc.TimeoutInMinutes
				}
				if tc.Action != "" {
					action = tc.Action
				}
			}
			hr.detail.ExpiresAt = ecs.NewTime(now.Add(time.Duration(mins) * time.Minute))
			hr.detail.TimeoutAction = action
			e.runAt(run, hr.detail.ExpiresAt.Time)
			run.hooks = append(run.hooks, hr)
			if hr.detail.TargetType == ecs.DeploymentLifecycleHookTargetTypePause {
				hr.detail.Status = ecs.DeploymentLifecycleHookStatusAwaitingAction
			} else {
				e.invoke(run, hr)
			}
		}
	}
	done := true
	for _, hr := range run.hooks {
		d := &hr.detail
		if !d.ExpiresAt.IsZero() && !now.Before(d.ExpiresAt.Time) &&
			(d.Status == ecs.DeploymentLifecycleHookStatusInProgress || d.Status == ecs.DeploymentLifecycleHookStatusAwaitingAction) {
			d.Status = ecs.DeploymentLifecycleHookStatusTimedOut
		}
		switch {
		case d.Status == ecs.DeploymentLifecycleHookStatusSucceeded:
		case d.Status == ecs.DeploymentLifecycleHookStatusTimedOut && d.TimeoutAction == ecs.DeploymentLifecycleHookActionContinue:
		case d.Status == ecs.DeploymentLifecycleHookStatusFailed || d.Status == ecs.DeploymentLifecycleHookStatusTimedOut:
			e.syncRecord(run, now)
			e.rollbackRun(run, fmt.Sprintf("Lifecycle hook %s (%s) at %s: %s.", d.HookID, hookName(d), stage, d.Status))
			return false
		default:
			done = false
		}
	}
	e.syncRecord(run, now)
	return done
}

// hookName returns what a hook detail names: its target, or PAUSE.
func hookName(d *ecs.DeploymentLifecycleHookDetail) string {
	if d.TargetARN != "" {
		return d.TargetARN
	}
	return string(d.TargetType)
}

// invoke invokes a Lambda hook: its outcome is the one a test set for
// its function (SUCCEEDED when none); an IN_PROGRESS one is invoked again
// after its callBackDelay. e.mu must be held.
func (e *ECS) invoke(run *strategyRun, hr *hookRun) {
	arn := hr.hook.HookTargetARN
	if e.lb.invocations == nil {
		e.lb.invocations = map[string]int{}
	}
	e.lb.invocations[arn]++
	out, ok := e.lb.outcomes[arn]
	if !ok {
		out = HookOutcome{HookStatus: ecs.DeploymentLifecycleHookStatusSucceeded}
	}
	hr.detail.Status = out.HookStatus
	if out.HookStatus != ecs.DeploymentLifecycleHookStatusInProgress {
		return
	}
	delay := out.CallBackDelay
	if delay <= 0 {
		delay = defaultHookCallBack
	}
	e.clock.AfterFunc(time.Duration(delay)*time.Second, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if run.done || e.lb.runs[run.svc] != run || !slices.Contains(run.hooks, hr) ||
			hr.detail.Status != ecs.DeploymentLifecycleHookStatusInProgress {
			return
		}
		e.invoke(run, hr)
		e.advanceStrategy(run.svc)
		e.recordDeployments(run.svc, false)
	})
}

// hookID returns the ID of a hook's run at a stage, derived from the
// seed, the deployment, the stage, the shift and the hook's index.
func (e *ECS) hookID(run *strategyRun, stage ecs.DeploymentLifecycleHookStage, i int) string {
	h := sha256.New()
	binary.Write(h, binary.BigEndian, e.seed)
	fmt.Fprintf(h, "hook/%s/%s/%d/%d", run.dep, stage, run.step, i)
	return fmt.Sprintf("%x", h.Sum(nil)[:16])
}

// rollbackRun rolls the run's deployment back after a failed hook:
// traffic returns to blue and a deployment of the source revision takes
// over its tasks, as StopServiceDeployment ROLLBACK does. e.mu must be
// held.
func (e *ECS) rollbackRun(run *strategyRun, reason string) {
	rec := e.serviceHistory(run.svc).byDep[run.dep]
	e.endRun(run, "rolled back: "+reason)
	if rec == nil || rec.rollback != "" {
		return
	}
	if err := e.startRollback(rec, reason); err != nil {
		// No revision to return to: the deployment stops where it is.
		e.logger.Warn("ecstest: lifecycle hook failed and the deployment has no revision to roll back to", "service", run.svc.name, "error", err)
		return
	}
	if d := deploymentOf(run.svc.info(), run.dep); d != nil {
		d.RolloutState, d.RolloutStateReason = ecs.DeploymentRolloutStateFailed, "ECS deployment "+run.dep+" failed: "+reason
		d.UpdatedAt = ecs.NewTime(e.clock.Now())
	}
}

// endRun ends a run that did not complete: production and test traffic
// return to blue. e.mu must be held.
func (e *ECS) endRun(run *strategyRun, why string) {
	run.prod, run.test = 0, 0
	run.gen++
	e.note(run, e.clock.Now(), why)
	run.done = true
	e.dropHookFunctions()
	e.wake(run.svc, e.clock.Now())
}

// dropHookFunctions forgets the invocation counts, and outcomes, of the
// simulated Lambda functions that were invoked but that no hook of an
// ACTIVE service nor of a run in progress names any more, when a run
// ends, so that the maps do not keep an entry for every function ever
// invoked. An outcome set for a function not invoked yet stays, as the
// test set it (cleared by Reset). e.mu must be held.
func (e *ECS) dropHookFunctions() {
	if len(e.lb.invocations) == 0 {
		return
	}
	named := map[string]bool{}
	add := func(hooks []ecs.DeploymentLifecycleHook) {
		for _, h := range hooks {
			named[h.HookTargetARN] = true
		}
	}
	for _, cl := range e.clusters {
		for _, svc := range cl.services {
			if info := svc.info(); info.Status == serviceActive && info.DeploymentConfiguration != nil {
				add(info.DeploymentConfiguration.LifecycleHooks)
			}
		}
	}
	for _, run := range e.lb.runs {
		if !run.done {
			add(run.cfg.LifecycleHooks)
		}
	}
	for arn := range e.lb.invocations {
		if !named[arn] {
			delete(e.lb.invocations, arn)
			delete(e.lb.outcomes, arn)
		}
	}
}

// SetHookOutcome sets what the simulated Lambda function hookTargetARN
// returns when a lifecycle hook invokes it, from its next invocation:
// SUCCEEDED (the default), FAILED (the deployment rolls back) or
// IN_PROGRESS (invoked again after callBackDelay seconds, 30 by default).
func (e *ECS) SetHookOutcome(ctx context.Context, hookTargetARN string, out HookOutcome) error {
	if err := e.usable(); err != nil {
		return err
	}
	if !isLambdaARN(hookTargetARN) {
		return invalidParameter("hookTargetArn %q is not a Lambda function ARN.", hookTargetARN)
	}
	switch out.HookStatus {
	case ecs.DeploymentLifecycleHookStatusSucceeded, ecs.DeploymentLifecycleHookStatusFailed, ecs.DeploymentLifecycleHookStatusInProgress:
	default:
		return invalidParameter("hookStatus %q is not valid: use SUCCEEDED, FAILED or IN_PROGRESS.", out.HookStatus)
	}
	if out.CallBackDelay < 0 || out.CallBackDelay > 3600 {
		return invalidParameter("callBackDelay %d is out of range: 0 to 3600 seconds.", out.CallBackDelay)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lb.outcomes == nil {
		e.lb.outcomes = map[string]HookOutcome{}
	}
	e.lb.outcomes[hookTargetARN] = out
	return nil
}

// HookInvocations returns how many times lifecycle hooks have invoked the
// simulated Lambda function hookTargetARN.
func (e *ECS) HookInvocations(ctx context.Context, hookTargetARN string) int {
	if e.usable() != nil {
		return 0
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lb.invocations[hookTargetARN]
}

// ServiceTraffic returns the traffic split of the load balancers of the
// service ref names (a name or ARN) in cluster, and the stages of its
// latest BLUE_GREEN, LINEAR or CANARY deployment (none for a service that
// has not run one: all traffic on its tasks, as blue).
func (e *ECS) ServiceTraffic(ctx context.Context, cluster, ref string) (*Traffic, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	svc, err := e.service(cl, ref)
	if err != nil {
		return nil, err
	}
	e.ensureRun(svc)
	out := &Traffic{Production: Weights{Blue: 100}, Test: Weights{Blue: 100}, Stages: []StageRecord{}}
	run := e.lb.runs[svc]
	if run == nil {
		return out, nil
	}
	out.LifecycleStage, out.Done = run.stage(), run.done
	out.Production = Weights{Blue: 100 - run.prod, Green: run.prod}
	out.Test = Weights{Blue: 100 - run.test, Green: run.test}
	out.Stages = slices.Clone(run.history)
	if rec := e.serviceHistory(svc).byDep[run.dep]; rec != nil {
		out.ServiceDeploymentARN = rec.sd.ServiceDeploymentARN
	}
	return out, nil
}

// continueHook acts on a PAUSE hook of the run of rec that awaits action:
// CONTINUE (the default) lets the deployment go on, ROLLBACK rolls it
// back. e.mu must be held.
func (e *ECS) continueHook(rec *deploymentRecord, hookID string, action ecs.DeploymentLifecycleHookAction) error {
	run := e.lb.runs[rec.svc]
	if run != nil && !run.done && run.dep == rec.target {
		for _, hr := range run.hooks {
			if hr.detail.HookID != hookID || hr.detail.Status != ecs.DeploymentLifecycleHookStatusAwaitingAction {
				continue
			}
			hr.detail.Status = ecs.DeploymentLifecycleHookStatusSucceeded
			if action == ecs.DeploymentLifecycleHookActionRollback {
				hr.detail.Status = ecs.DeploymentLifecycleHookStatusFailed
			}
			e.advanceStrategy(rec.svc)
			e.recordDeployments(rec.svc, false)
			return nil
		}
	}
	return invalidParameter("The service deployment has no lifecycle hook %s awaiting action.", hookID)
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
