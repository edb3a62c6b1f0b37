package ecstest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// Service statuses, as the API spells them.
const (
	serviceActive   = "ACTIVE"
	serviceDraining = "DRAINING"
	serviceInactive = "INACTIVE"
)

// retryDelay is how long a service's scheduler waits after a step that
// failed before it tries again.
const retryDelay = 15 * time.Second

// service is a service of a cluster, run by the deploy package's
// scheduler: a deploy.Driver whose Runtime is the cluster (svcRuntime)
// and whose Clock is the ECS's. Its steps run on the clock, under the
// ECS's lock: one as soon as anything it looks at changes (its tasks, the
// cluster's instances, resources freed), and one when a step asks to be
// woken (a task turns healthy by the 40-second rule, a back-off ends).
type service struct {
	cl    *cluster
	name  string
	drv   *deploy.Driver
	tds   map[string]*ecs.TaskDefinition // the deployments' task definitions, by ARN
	tasks map[string]*task               // by ID: those not yet seen STOPPED by a step
	order []*task                        // the same, in order of ID (addTask, forget)
	next  wakeup                         // the next step
	// quiet is set while a step runs and while what it set going at
	// once runs (a task's zero-duration stages): changes of the service's
	// own doing at the instant of its step do not wake it again.
	quiet bool

	demands map[string]*ecs.Resources // what a task takes, by task definition ARN

	// sets are the task sets of a service of the EXTERNAL or CODE_DEPLOY
	// deployment controller, in order of creation (tasksets.go); each
	// has a scheduler of its own, and drv runs no step.
	sets []*taskSet

	// What the step's Placer did, for settle.
	placedARNs []placedTask // tasks the step's Placer placed on instances
	stopARNs   []string     // tasks the step's Placer chose to stop
}

// info returns the service as the scheduler last left it.
func (svc *service) info() *ecs.Service { return svc.drv.Service }

// changed records a change that schedulers act on: of svc's tasks, or
// with all, of the cluster's instances (one came, went or changed), which
// every service of the cluster looks at again, on an engine and
// instances built again. e.mu must be held.
func (e *ECS) changed(cl *cluster, svc *service, all bool) {
	if !all {
		if svc != nil {
			e.wake(svc, e.clock.Now())
		}
		return
	}
	cl.invalidate()
	e.kickWaiting(cl) // before the services: the waiting tasks are older
	e.wakeAll(cl)
}

// wakeAll has every service of the cluster look again, in order of name.
// e.mu must be held.
func (e *ECS) wakeAll(cl *cluster) {
	for _, name := range slices.Sorted(maps.Keys(cl.services)) {
		e.wake(cl.services[name], e.clock.Now())
	}
}

// released records that a task freed what it held on its instance: the
// services that could not place all their tasks look again, in order of
// name; the others have nothing to gain. One whose step is now due
// leaves the set (the step puts it back if it again leaves a task
// unplaced), so that many tasks stopping wake a waiting service once per
// step of its own, not once per task. e.mu must be held.
func (e *ECS) released(cl *cluster) {
	e.kickWaiting(cl)
	if len(cl.live.starved) == 0 {
		return
	}
	now := e.clock.Now()
	for _, name := range slices.Sorted(maps.Keys(cl.live.starved)) {
		svc := cl.live.starved[name]
		e.wake(svc, now)
		if svc.next.dueBy(now) {
			delete(cl.live.starved, name)
		}
	}
}

// wake schedules a step of svc at t, at the end of that instant (after
// all else due then), unless one is due by then. A change of svc's own
// doing at the instant of its step (quiet) schedules none. e.mu must be
// held.
func (e *ECS) wake(svc *service, t time.Time) {
	if svc.info().Status == serviceInactive || svc.cl.dead || svc.quiet && !t.After(e.clock.Now()) {
		return
	}
	svc.next.set(e, t, func() { e.step(svc) })
}

// step runs one step of svc's scheduler. A DRAINING service (deleted)
// runs no step: its tasks were told to stop, and once they all are
// STOPPED it is INACTIVE. e.mu must be held.
func (e *ECS) step(svc *service) {
	defer e.advanceStrategy(svc) // after the record of the step (strategy_run.go)
	defer e.recordDeployments(svc, true)
	if svc.info().Status == serviceDraining {
		for _, tk := range slices.Clone(svc.order) {
			if tk.stopped() {
				svc.forget(tk.id())
			}
		}
		if len(svc.tasks) == 0 {
			s := *svc.info()
			s.Status = serviceInactive
			svc.drv.Service = &s
		}
		return
	}
	delete(svc.cl.live.starved, svc.name)
	if usesTaskSets(svc.info()) {
		e.stepTaskSets(svc)
		return
	}
	svc.quiet = true
	res, err := svc.drv.Step(context.Background())
	svc.quiet = false
	svc.settle()
	var ae *deploy.ApplyError
	switch {
	case errors.As(err, &ae):
		e.wake(svc, e.clock.Now().Add(retryDelay))
	case err != nil:
		e.logger.Error("ecstest: service scheduler step failed", "service", svc.name, "error", err)
		e.wake(svc, e.clock.Now().Add(retryDelay))
	case !res.Wake.IsZero():
		e.wake(svc, res.Wake)
	}
}

// demandOf returns what a task of td takes, worked out once per task
// definition and shared by the service's tasks.
func (svc *service) demandOf(td *ecs.TaskDefinition) (*ecs.Resources, error) {
	if d, ok := svc.demands[td.TaskDefinitionARN]; ok {
		return d, nil
	}
	d, err := placement.TaskDemand(td, nil)
	if err != nil {
		return nil, err
	}
	if svc.demands == nil {
		svc.demands = map[string]*ecs.Resources{}
	}
	svc.demands[td.TaskDefinitionARN] = &d
	return &d, nil
}

// svcRuntime is the deploy.Runtime of a service: the cluster it runs in.
// Its methods are called from a step, with the ECS's lock held.
type svcRuntime struct {
	e   *ECS
	svc *service
	set *taskSet // the task set whose tasks it runs, or nil for the service's
}

var _ deploy.Runtime = svcRuntime{}

// Observe returns the service's tasks, those STOPPED since the last step
// included, in order of ARN, and the cluster's container instances as
// they registered and stand (ECS.registered: what the step reads of
// them; where tasks fit is the engine's to say), in order of ARN. It
// copies no more than the service's own tasks, and those shallowly: the
// step reads them under the ECS's lock and changes nothing (deploy.Step
// never changes a State).
func (r svcRuntime) Observe(ctx context.Context) (deploy.Observation, error) {
	svc, e := r.svc, r.e
	if r.set != nil {
		return r.observeSet(), nil
	}
	// The buffer holds the tasks of the service that stepped last: when
	// that is this one, copy only the tasks whose version moved on (every
	// change of a task moves it: touch) and those in new places.
	buf := e.stepTasks
	if e.stepOwner != svc {
		buf, e.stepOwner = buf[:0], svc
	}
	for i, tk := range svc.order {
		switch {
		case i >= len(buf):
			buf = append(buf, tk.t)
		case buf[i].Version != tk.t.Version || buf[i].TaskARN != tk.t.TaskARN:
			buf[i] = tk.t
		}
	}
	buf = buf[:len(svc.order)]
	e.stepTasks = buf
	obs := deploy.Observation{Tasks: e.stepTasks, Instances: e.registered(svc.cl), Targets: e.targets(svc), Discovery: e.discovery(svc)}
	obs.Hold, obs.HoldStart = e.holdOf(svc)
	if len(r.e.alarms) > 0 {
		obs.Alarms = slices.Sorted(maps.Keys(r.e.alarms))
	}
	return obs, nil
}

// StartTask starts a task where its placement says; a task that exists
// already is left alone.
func (r svcRuntime) StartTask(ctx context.Context, s deploy.Start) error {
	e, cl := r.e, r.svc.cl
	if id, ok := e.arns.taskID(cl.info.ClusterName, s.TaskARN); !ok || cl.tasks[id] != nil {
		return nil
	}
	td := r.svc.tds[s.TaskDefinitionARN]
	if td == nil {
		return fmt.Errorf("task definition %s is not one of the service's", s.TaskDefinitionARN)
	}
	demand, err := r.svc.demandOf(td)
	if err != nil {
		return err
	}
	spec := taskSpec{
		arn: s.TaskARN, td: td, az: s.AvailabilityZone, group: s.Group, startedBy: s.StartedBy,
		launchType: s.LaunchType, provider: s.CapacityProvider, containers: s.Containers,
		demand: demand, svc: r.svc, execute: r.svc.info().EnableExecuteCommand,
		network: r.network(),
	}
	switch {
	case s.ContainerInstanceARN == "" && r.e.waits(cl, s.CapacityProvider):
		// It waits in PROVISIONING for its provider's managed scaling
		// (rule 156): the Placer found it no instance (servicePlacer).
		spec.launchType, spec.az = e.providerLaunch(s.CapacityProvider), ""
	case s.ContainerInstanceARN == "":
		spec.launchType = ecs.LaunchTypeFargate
		if spec.az == "" {
			spec.az = e.fargateZone(cl, s.Group)
		}
	default:
		id, _ := e.arns.containerInstanceID(cl.info.ClusterName, s.ContainerInstanceARN)
		inst := cl.instances[id]
		if err := startable(inst); err != nil {
			return err
		}
		spec.inst = inst
		spec.launchType = taskLaunchType(inst)
	}
	spec.tags = e.serviceTaskTags(r.svc, td)
	tk := e.addTask(cl, spec)
	if spec.inst != nil {
		tk.placed(cl.live.eng, s.EngineTask)
	}
	r.svc.addTask(tk)
	return nil
}

// StopTask stops a task of the service with the stop code and reason
// given; one stopping or stopped already is left alone.
func (r svcRuntime) StopTask(ctx context.Context, s deploy.Stop) error {
	id, _ := r.e.arns.taskID(r.svc.cl.info.ClusterName, s.TaskARN)
	if tk := r.svc.cl.tasks[id]; tk != nil {
		r.e.stopTask(tk, s.StopCode, s.Reason)
	}
	return nil
}

// Changes returns nil: the ECS schedules the steps itself.
func (svcRuntime) Changes() <-chan struct{} { return nil }

// onStep forgets the tasks a step has seen STOPPED: the scheduler has
// taken them in.
func (svc *service) onStep(st *deploy.State, res *deploy.Result) {
	for i := range st.Tasks {
		if st.Tasks[i].LastStatus == ecs.TaskStatusStopped {
			svc.forget(taskIDOf(st.Tasks[i].TaskARN))
		}
	}
}

// addTask adds tk to the service's tasks, kept in order of ID so that a
// step observes them in order without sorting them.
func (svc *service) addTask(tk *task) {
	if _, ok := svc.tasks[tk.id()]; ok {
		return
	}
	svc.tasks[tk.id()] = tk
	i, _ := slices.BinarySearchFunc(svc.order, tk.id(), func(t *task, id string) int { return strings.Compare(t.id(), id) })
	svc.order = slices.Insert(svc.order, i, tk)
}

// forget drops the task id from the service's tasks.
func (svc *service) forget(id string) {
	if _, ok := svc.tasks[id]; !ok {
		return
	}
	delete(svc.tasks, id)
	i, _ := slices.BinarySearchFunc(svc.order, id, func(t *task, id string) int { return strings.Compare(t.id(), id) })
	svc.order = slices.Delete(svc.order, i, i+1)
}

// taskIDOf returns the ID at the end of a task ARN.
func taskIDOf(arn string) string {
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

// newPlacer returns the Driver's NewPlacer for svc: the deploy package's
// Placer over the cluster's live placement engine (deploy.EnginePlacer),
// which holds every task of the cluster that holds resources, not only
// the service's, so that new tasks see the host ports and groups of all.
// It records what the step placed and chose to stop (servicePlacer), for
// settle.
func (e *ECS) newPlacer(svc *service) func(deploy.Observation) (deploy.Placer, error) {
	return func(obs deploy.Observation) (deploy.Placer, error) {
		eng, err := e.engine(svc.cl)
		if err != nil {
			return nil, err
		}
		svc.placedARNs, svc.stopARNs = svc.placedARNs[:0], svc.stopARNs[:0]
		return &servicePlacer{Placer: deploy.EnginePlacer(eng, obs), svc: svc, eng: eng, e: e, obs: obs}, nil
	}
}

// servicePlacer is a step's Placer for a service: the engine's, with a
// record of the tasks it placed and chose to stop, and of whether some
// task found no place (the service then waits for room: live.starved).
// It keeps the tasks protected from scale-in from being chosen to stop
// (Keep, a deploy.StopFilter).
type servicePlacer struct {
	deploy.Placer
	svc *service
	eng *placement.Engine
	e   *ECS
	obs deploy.Observation
	// waitsMade counts the tasks this step's placements left to wait
	// for capacity (provision), which are not tasks yet.
	waitsMade int
}

// placedTask is a task the engine placed in a step.
type placedTask struct {
	arn string
	id  placement.TaskID
}

// Place places with the engine and records the outcome.
func (p *servicePlacer) Place(r deploy.PlaceRequest) (deploy.PlaceResult, error) {
	res, err := p.Placer.Place(r)
	if err != nil {
		return res, err
	}
	if len(res.Placed) < len(r.TaskARNs) {
		res = p.provision(r, res) // provisioning.go
	}
	if len(res.Placed) < len(r.TaskARNs) {
		cl := p.svc.cl
		if cl.live.starved == nil {
			cl.live.starved = map[string]*service{}
		}
		cl.live.starved[p.svc.name] = p.svc
	}
	for _, pl := range res.Placed {
		if pl.ContainerInstanceARN != "" {
			p.svc.placedARNs = append(p.svc.placedARNs, placedTask{pl.TaskARN, pl.EngineTask})
		}
	}
	return res, nil
}

// SelectStop chooses with the engine, which holds the tasks chosen, and
// records them.
func (p *servicePlacer) SelectStop(r deploy.StopRequest) ([]string, error) {
	arns, err := p.Placer.SelectStop(r)
	p.svc.stopARNs = append(p.svc.stopARNs, arns...)
	return arns, err
}

// settle makes the engine agree with the cluster after a step that did
// not apply all it decided (a Runtime call failed, or the step failed
// after placing): a task placed but not started leaves the engine, and a
// task chosen to stop but not stopping makes the engine be built again
// (the engine cannot take a hold back). e.mu must be held.
func (svc *service) settle() {
	cl := svc.cl
	for _, pt := range svc.placedARNs {
		if tk := cl.tasks[taskIDOf(pt.arn)]; tk == nil && cl.live.eng != nil {
			if err := cl.live.eng.Stop(pt.id); err != nil {
				cl.invalidate()
			}
		}
	}
	for _, arn := range svc.stopARNs {
		if tk := cl.tasks[taskIDOf(arn)]; tk != nil && !tk.stopping() {
			cl.invalidate()
			break
		}
	}
	svc.placedARNs, svc.stopARNs = svc.placedARNs[:0], svc.stopARNs[:0]
}

// startable reports, as an error, whether a task may start on inst now:
// an ACTIVE instance with its agent connected. That it has room is the
// cluster's engine's to say, which placed the task there.
func startable(inst *instance) error {
	switch {
	case inst == nil:
		return errors.New("no such container instance")
	case inst.ci.Status != statusActive || !inst.ci.AgentConnected:
		return fmt.Errorf("container instance %s is %s", inst.ci.ContainerInstanceARN, inst.ci.Status)
	}
	return nil
}
