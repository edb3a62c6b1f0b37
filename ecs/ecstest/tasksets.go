package ecstest

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// Task sets (the API reference's TaskSet, CreateTaskSet, UpdateTaskSet,
// DeleteTaskSet, DescribeTaskSets and UpdateServicePrimaryTaskSet; the
// developer guide's "Deploy Amazon ECS services using a third-party
// controller", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-external.html,
// and "Blue/Green deployment with CodeDeploy",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html).
//
// A service of the EXTERNAL or CODE_DEPLOY deployment controller runs no
// deployments of its own: its tasks belong to task sets, each with its
// task definition, launch type or capacity provider strategy, network
// configuration and load balancers, and a scale, a percentage of the
// service's desiredCount. Each task set's tasks are kept at its
// computedDesiredCount, ⌈desiredCount × scale / 100⌉, by the deploy
// package's scheduler: a Driver per task set whose service has one
// deployment, the task set (its ID is the deployment ID, so its tasks are
// startedBy the task set ID), placing on the cluster's live engine as
// every service does. The PRIMARY task set gives the service its task
// definition, launch type, platform, network configuration and load
// balancers; a service with none shows them empty.
//
// CodeDeploy itself is not simulated: a test (or a tool standing in for
// CodeDeploy) drives a CODE_DEPLOY service through the task set
// operations as CodeDeploy does (create the replacement task set, make it
// PRIMARY, delete the original). The task sets created so have startedBy
// CODE_DEPLOY, and the one CreateService creates is PRIMARY at 100 %.

// Task set statuses, as the API spells them (TaskSet.status).
const (
	taskSetPrimary  = "PRIMARY"
	taskSetActive   = "ACTIVE"
	taskSetDraining = "DRAINING"
)

// taskSetNotFoundException is the API's exception for a task set that
// does not exist.
const taskSetNotFoundException = "TaskSetNotFoundException"

// maxTaskSets is how many task sets a service may have: ECS counts them
// as deployments, "5 deployments exist on the service" (the quota of
// deployments per service).
const maxTaskSets = 5

// startedByCodeDeploy is the startedBy of a task set CodeDeploy created
// (TaskSet.startedBy).
const startedByCodeDeploy = "CODE_DEPLOY"

// msgTaskSetsExternalOnly is ECS's refusal of a task set operation on a
// service of the ECS deployment controller.
const msgTaskSetsExternalOnly = "Amazon ECS only supports task set management on services configured to use external deployment controllers."

// taskSet is a task set of a service of the EXTERNAL or CODE_DEPLOY
// deployment controller.
type taskSet struct {
	info  ecs.TaskSet         // as DescribeTaskSets shows it; counts as of the last step
	td    *ecs.TaskDefinition // its tasks' task definition
	drv   *deploy.Driver      // keeps its computedDesiredCount tasks running
	token string              // the clientToken it was created with
}

// usesTaskSets reports whether svc's tasks belong to task sets: it uses
// the EXTERNAL or CODE_DEPLOY deployment controller.
func usesTaskSets(svc *ecs.Service) bool {
	return svc.DeploymentController != nil && taskSetController(svc.DeploymentController.Type)
}

// taskSetController reports whether t is a deployment controller of task
// sets.
func taskSetController(t ecs.DeploymentControllerType) bool {
	return t == ecs.DeploymentControllerTypeExternal || t == ecs.DeploymentControllerTypeCodeDeploy
}

// computedCount returns ⌈desired × scale / 100⌉: "The result is always
// rounded up. For example, if the computed desired count is 1.2, it rounds
// up to 2 tasks" (TaskSet.computedDesiredCount). A product a rounding
// error puts a hair above a whole number (3 × 33.333…) counts as that
// number.
func computedCount(desired int, scale *ecs.Scale) int {
	if scale == nil {
		return desired
	}
	return int(math.Ceil(float64(desired)*scale.Value/100 - 1e-9))
}

// checkScale checks a scale as the API does: a value from 0 to 100
// percent (Scale.value), in the unit PERCENT, the only one ScaleUnit has.
// It returns the scale as ECS keeps it, with its unit.
func checkScale(s *ecs.Scale) (*ecs.Scale, error) {
	if s == nil {
		return &ecs.Scale{Value: 100, Unit: ecs.ScaleUnitPercent}, nil
	}
	if s.Unit != "" && s.Unit != ecs.ScaleUnitPercent {
		return nil, invalidParameter("scale.unit %q is not valid: use PERCENT.", s.Unit)
	}
	if math.IsNaN(s.Value) || s.Value < 0 || s.Value > 100 {
		return nil, invalidParameter("scale.value must be a number between 0 and 100, not %v.", s.Value)
	}
	return &ecs.Scale{Value: s.Value, Unit: ecs.ScaleUnitPercent}, nil
}

// checkTaskSetLoadBalancers checks a task set's load balancers as a
// service's (checkLoadBalancers), and that it has at most one, an
// Application or Network Load Balancer's target group ("only one
// Application Load Balancer target group is allowed per task set"; "only
// Application Load Balancers and Network Load Balancers are supported").
func checkTaskSetLoadBalancers(lbs []ecs.LoadBalancer, td *ecs.TaskDefinition) error {
	if len(lbs) > 1 {
		return invalidParameter("loadBalancers: a task set takes one target group, not %d.", len(lbs))
	}
	for i, lb := range lbs {
		if lb.LoadBalancerName != "" {
			return invalidParameter("loadBalancers[%d].loadBalancerName must be omitted: a task set uses an Application or Network Load Balancer's target group.", i)
		}
	}
	return checkLoadBalancers(lbs, td, nil)
}

// CreateTaskSet creates a task set in a service of the EXTERNAL (or
// CODE_DEPLOY) deployment controller: ACTIVE, with the scale given (100
// percent when none is), its tasks started by its scheduler on the clock.
// A clientToken given before on the service returns the task set it
// created.
func (e *ECS) CreateTaskSet(ctx context.Context, req *ecs.CreateTaskSetRequest) (*ecs.CreateTaskSetResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	switch {
	case req.Service == "":
		return nil, invalidParameter("service is required.")
	case req.Cluster == "":
		return nil, invalidParameter("cluster is required.")
	case len(req.ClientToken) > maxClientToken || strings.ContainsFunc(req.ClientToken, func(r rune) bool { return r < 33 || r > 126 }):
		return nil, invalidParameter("clientToken must be up to %d ASCII characters from 33 to 126.", maxClientToken)
	}
	scale, err := checkScale(req.Scale)
	if err != nil {
		return nil, err
	}
	if err := checkTags(req.Tags); err != nil {
		return nil, err
	}
	td, err := e.runnable(req.TaskDefinition)
	if err != nil {
		return nil, err
	}
	if err := checkTaskSetLoadBalancers(req.LoadBalancers, td); err != nil {
		return nil, err
	}
	if err := checkServiceRegistries(td, req.ServiceRegistries); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, err := e.taskSetService(req.Cluster, req.Service)
	if err != nil {
		return nil, err
	}
	if req.ClientToken != "" {
		for _, ts := range s.sets {
			if ts.token == req.ClientToken {
				return &ecs.CreateTaskSetResponse{TaskSet: e.describedTaskSet(s, ts, true)}, nil
			}
		}
	}
	if len(s.sets) >= maxTaskSets {
		return nil, invalidParameter("%d deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.", len(s.sets))
	}
	info := s.info()
	launch := ecs.Service{
		LaunchType: req.LaunchType, CapacityProviderStrategy: slices.Clone(req.CapacityProviderStrategy),
		PlatformVersion: req.PlatformVersion, NetworkConfiguration: deepCopy(req.NetworkConfiguration),
		PlacementStrategy: info.PlacementStrategy,
	}
	if err := e.resolveLaunch(s.cl, &launch, td); err != nil {
		return nil, err
	}
	startedBy := ""
	if info.DeploymentController.Type == ecs.DeploymentControllerTypeCodeDeploy {
		startedBy = startedByCodeDeploy
	}
	ts := e.newTaskSet(s, td, &launch, ecs.TaskSet{
		StartedBy: startedBy, ExternalID: req.ExternalID, Status: taskSetActive, Scale: scale,
		LoadBalancers: slices.Clone(req.LoadBalancers), ServiceRegistries: slices.Clone(req.ServiceRegistries),
		Tags: slices.Clone(req.Tags),
	})
	ts.token = req.ClientToken
	return &ecs.CreateTaskSetResponse{TaskSet: e.describedTaskSet(s, ts, true)}, nil
}

// newTaskSet adds a task set of td to s, running where launch says
// (resolved), with its scheduler, and has s step. e.mu must be held.
func (e *ECS) newTaskSet(s *service, td *ecs.TaskDefinition, launch *ecs.Service, info ecs.TaskSet) *taskSet {
	svc := s.info()
	now := e.clock.Now()
	id := e.deploymentID()
	info.ID = id
	info.TaskSetARN = e.arns.prefix() + ecs.ARNTypeTaskSet + "/" + s.cl.info.ClusterName + "/" + s.name + "/" + id
	info.ServiceARN, info.ClusterARN = svc.ServiceARN, svc.ClusterARN
	info.TaskDefinition = td.TaskDefinitionARN
	info.LaunchType, info.CapacityProviderStrategy = launch.LaunchType, launch.CapacityProviderStrategy
	info.PlatformVersion, info.NetworkConfiguration = launch.PlatformVersion, launch.NetworkConfiguration
	if launch.LaunchType == ecs.LaunchTypeFargate {
		info.PlatformFamily = "Linux"
	}
	info.CreatedAt, info.UpdatedAt = ecs.NewTime(now), ecs.NewTime(now)
	info.ComputedDesiredCount = computedCount(svc.DesiredCount, info.Scale)
	info.StabilityStatus, info.StabilityStatusAt = ecs.StabilityStatusStabilizing, ecs.NewTime(now)
	ts := &taskSet{info: info, td: td}
	shadow := &ecs.Service{
		ServiceName: svc.ServiceName, ServiceARN: svc.ServiceARN, ClusterARN: svc.ClusterARN,
		Status: serviceActive, SchedulingStrategy: ecs.SchedulingStrategyReplica,
		LaunchType: info.LaunchType, CapacityProviderStrategy: info.CapacityProviderStrategy,
		PlatformVersion: info.PlatformVersion, PlatformFamily: info.PlatformFamily,
		NetworkConfiguration: info.NetworkConfiguration,
		DeploymentController: &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeECS},
	}
	shadow = deploy.StartDeployment(shadow, td.TaskDefinitionARN, id, now)
	s.tds[td.TaskDefinitionARN] = td
	ts.drv = &deploy.Driver{
		Service: shadow, TaskDefinitions: s.tds, Runtime: svcRuntime{e: e, svc: s, set: ts}, Clock: e.clock,
		Memory: deploy.NewMemory(e.serviceSeed(s.cl, s.name+"/"+id)),
		OnStep: func(st *deploy.State, res *deploy.Result) {
			if f := s.drv.OnStep; f != nil { // the service's: forget tasks seen STOPPED, OnServiceStep's hooks
				f(st, res)
			}
		},
	}
	ts.drv.NewPlacer = e.newPlacer(s)
	s.sets = append(s.sets, ts)
	e.syncTaskSetService(s)
	e.wake(s, now)
	return ts
}

// taskSetService returns the ACTIVE service of the EXTERNAL or
// CODE_DEPLOY deployment controller ref names in the cluster cluster
// names. e.mu must be held.
func (e *ECS) taskSetService(cluster, ref string) (*service, error) {
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	s, err := e.service(cl, ref)
	if err != nil {
		return nil, err
	}
	info := s.info()
	if info.Status != serviceActive {
		return nil, apiErrorf(ecs.ServiceNotActiveException, ecs.ErrInvalid, "Service was not ACTIVE.")
	}
	if !usesTaskSets(info) {
		return nil, invalidParameter(msgTaskSetsExternalOnly)
	}
	return s, nil
}

// taskSet returns the task set of s that ref names (its ID or ARN), or a
// TaskSetNotFoundException.
func (s *service) taskSet(ref string) (*taskSet, error) {
	if ref == "" {
		return nil, invalidParameter("taskSet is required.")
	}
	for _, ts := range s.sets {
		if ts.info.ID == ref || ts.info.TaskSetARN == ref {
			return ts, nil
		}
	}
	return nil, apiErrorf(taskSetNotFoundException, ecs.ErrNotFound, "The specified task set does not exist.")
}

// UpdateTaskSet changes a task set's scale, the only thing it changes
// ("The UpdateTaskSet API action updates only the scale parameter for a
// task set"); its scheduler then starts or stops tasks to its new
// computedDesiredCount.
func (e *ECS) UpdateTaskSet(ctx context.Context, req *ecs.UpdateTaskSetRequest) (*ecs.UpdateTaskSetResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.Scale == nil {
		return nil, invalidParameter("scale is required.")
	}
	scale, err := checkScale(req.Scale)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, err := e.taskSetService(req.Cluster, req.Service)
	if err != nil {
		return nil, err
	}
	ts, err := s.taskSet(req.TaskSet)
	if err != nil {
		return nil, err
	}
	if ts.info.Status == taskSetDraining {
		return nil, invalidParameter("The task set %s is DRAINING: it is being deleted.", ts.info.ID)
	}
	ts.info.Scale = scale
	ts.info.UpdatedAt = ecs.NewTime(e.clock.Now())
	e.syncTaskSetService(s)
	e.wake(s, e.clock.Now())
	return &ecs.UpdateTaskSetResponse{TaskSet: e.describedTaskSet(s, ts, true)}, nil
}

// UpdateServicePrimaryTaskSet makes a task set the service's PRIMARY one
// (the one before it becomes ACTIVE); the service then shows its task
// definition, launch type, platform, network configuration and load
// balancers.
func (e *ECS) UpdateServicePrimaryTaskSet(ctx context.Context, req *ecs.UpdateServicePrimaryTaskSetRequest) (*ecs.UpdateServicePrimaryTaskSetResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, err := e.taskSetService(req.Cluster, req.Service)
	if err != nil {
		return nil, err
	}
	if req.PrimaryTaskSet == "" {
		return nil, invalidParameter("primaryTaskSet is required.")
	}
	ts, err := s.taskSet(req.PrimaryTaskSet)
	if err != nil {
		return nil, err
	}
	if ts.info.Status == taskSetDraining {
		return nil, invalidParameter("The task set %s is DRAINING: a task set being deleted cannot be made PRIMARY.", ts.info.ID)
	}
	now := ecs.NewTime(e.clock.Now())
	for _, o := range s.sets {
		if o != ts && o.info.Status == taskSetPrimary {
			o.info.Status, o.info.UpdatedAt = taskSetActive, now
		}
	}
	if ts.info.Status != taskSetPrimary {
		ts.info.Status, ts.info.UpdatedAt = taskSetPrimary, now
	}
	e.syncTaskSetService(s)
	return &ecs.UpdateServicePrimaryTaskSetResponse{TaskSet: e.describedTaskSet(s, ts, true)}, nil
}

// DeleteTaskSet deletes a task set: it goes DRAINING, its scheduler stops
// its tasks, and once they have all stopped it is gone. The PRIMARY task
// set is not deleted, nor, without force, one not scaled down to zero
// tasks (DeleteTaskSet's force: "you can delete a task set even if it
// hasn't been scaled down to zero").
func (e *ECS) DeleteTaskSet(ctx context.Context, req *ecs.DeleteTaskSetRequest) (*ecs.DeleteTaskSetResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, err := e.taskSetService(req.Cluster, req.Service)
	if err != nil {
		return nil, err
	}
	ts, err := s.taskSet(req.TaskSet)
	if err != nil {
		return nil, err
	}
	force := req.Force != nil && *req.Force
	switch {
	case ts.info.Status == taskSetPrimary:
		return nil, invalidParameter("The task set %s is the service's PRIMARY task set and cannot be deleted: make another task set PRIMARY first.", ts.info.ID)
	case ts.info.Status != taskSetDraining && ts.info.ComputedDesiredCount > 0 && !force:
		return nil, invalidParameter("The task set %s cannot be deleted while it is scaled above 0 tasks (computedDesiredCount %d): scale it to 0, or set force.", ts.info.ID, ts.info.ComputedDesiredCount)
	}
	if ts.info.Status != taskSetDraining {
		ts.info.Status, ts.info.UpdatedAt = taskSetDraining, ecs.NewTime(e.clock.Now())
		e.syncTaskSetService(s)
		e.wake(s, e.clock.Now())
	}
	return &ecs.DeleteTaskSetResponse{TaskSet: e.describedTaskSet(s, ts, true)}, nil
}

// DescribeTaskSets describes the task sets of a service, those refs
// names (IDs or ARNs) or all when it names none; a name that is none of
// them is a failure with reason MISSING. Tags are left out unless
// withTags.
func (e *ECS) DescribeTaskSets(ctx context.Context, req *ecs.DescribeTaskSetsRequest) (*ecs.DescribeTaskSetsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	inc, err := includes(req.Include, ecs.TaskSetFieldTags)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, err := e.taskSetService(req.Cluster, req.Service)
	if err != nil {
		return nil, err
	}
	out := &ecs.DescribeTaskSetsResponse{TaskSets: []ecs.TaskSet{}, Failures: []ecs.Failure{}}
	withTags := inc[ecs.TaskSetFieldTags]
	if len(req.TaskSets) == 0 {
		for _, ts := range s.sets {
			out.TaskSets = append(out.TaskSets, *e.describedTaskSet(s, ts, withTags))
		}
		return out, nil
	}
	for _, ref := range req.TaskSets {
		ts, err := s.taskSet(ref)
		if err != nil {
			out.Failures = append(out.Failures, ecs.Failure{ARN: ref, Reason: "MISSING"})
			continue
		}
		out.TaskSets = append(out.TaskSets, *e.describedTaskSet(s, ts, withTags))
	}
	return out, nil
}

// describedTaskSet returns a copy of ts as the API shows it, its tags
// only withTags. e.mu must be held.
func (e *ECS) describedTaskSet(s *service, ts *taskSet, withTags bool) *ecs.TaskSet {
	out := deepCopy(&ts.info)
	if !withTags {
		out.Tags = nil
	}
	return out
}

// syncTaskSetService brings the service's record up to date with its
// task sets: each one's computedDesiredCount from the service's
// desiredCount, the service's counts (the sum of its task sets'), its
// taskSets, and what the PRIMARY task set gives it (its task definition,
// launch type or capacity provider strategy, platform, network
// configuration, load balancers and service registries; empty without
// one). e.mu must be held.
func (e *ECS) syncTaskSetService(s *service) {
	next := *s.info()
	next.TaskSets = make([]ecs.TaskSet, 0, len(s.sets))
	next.RunningCount, next.PendingCount = 0, 0
	var prim *taskSet
	for _, ts := range s.sets {
		want := computedCount(next.DesiredCount, ts.info.Scale)
		if ts.info.Status == taskSetDraining {
			want = 0
		}
		if want != ts.info.ComputedDesiredCount && ts.info.StabilityStatus != ecs.StabilityStatusStabilizing {
			// it has tasks to start or stop: stable again only once a
			// step of its scheduler finds it so
			ts.info.StabilityStatus, ts.info.StabilityStatusAt = ecs.StabilityStatusStabilizing, ecs.NewTime(e.clock.Now())
		}
		ts.info.ComputedDesiredCount = want
		next.RunningCount += ts.info.RunningCount
		next.PendingCount += ts.info.PendingCount
		next.TaskSets = append(next.TaskSets, *e.describedTaskSet(s, ts, false))
		if ts.info.Status == taskSetPrimary {
			prim = ts
		}
	}
	next.TaskDefinition, next.LaunchType, next.CapacityProviderStrategy = "", "", nil
	next.PlatformVersion, next.PlatformFamily, next.NetworkConfiguration = "", "", nil
	if prim != nil {
		p := &prim.info
		next.TaskDefinition, next.LaunchType = p.TaskDefinition, p.LaunchType
		next.CapacityProviderStrategy = slices.Clone(p.CapacityProviderStrategy)
		next.PlatformVersion, next.PlatformFamily = p.PlatformVersion, p.PlatformFamily
		next.NetworkConfiguration = deepCopy(p.NetworkConfiguration)
		next.LoadBalancers, next.ServiceRegistries = slices.Clone(p.LoadBalancers), slices.Clone(p.ServiceRegistries)
	} else if next.DeploymentController.Type == ecs.DeploymentControllerTypeExternal {
		next.LoadBalancers, next.ServiceRegistries = nil, nil
	}
	s.drv.Service = &next
}

// placementCheck checks a task set service's placement against the task
// definitions of its task sets. e.mu must be held.
func (s *service) placementCheck(strategy []ecs.PlacementStrategy, constraints []ecs.PlacementConstraint) error {
	if len(s.sets) == 0 {
		return placement.ValidatePlacement(strategy, constraints, nil)
	}
	for _, ts := range s.sets {
		if err := placement.ValidatePlacement(strategy, constraints, ts.td); err != nil {
			return err
		}
	}
	return nil
}

// stabilityOf returns a task set's stability after a step of its
// scheduler: STEADY_STATE when its runningCount is its
// computedDesiredCount with none pending, none on a DRAINING instance and
// all healthy (TaskSet.stabilityStatus), and the step changed nothing.
func (e *ECS) stabilityOf(s *service, ts *taskSet, st *deploy.State, res *deploy.Result) ecs.StabilityStatus {
	d := res.Service.Deployments[0]
	if len(res.Stop) > 0 || len(res.Start) > 0 || d.PendingCount > 0 || d.RunningCount != ts.info.ComputedDesiredCount {
		return ecs.StabilityStatusStabilizing
	}
	for i, v := range res.Views {
		if v.Phase == deploy.TaskPending || v.Phase == deploy.TaskRunning && !v.Healthy {
			return ecs.StabilityStatusStabilizing
		}
		if v.Phase == deploy.TaskRunning {
			if tk := s.cl.tasks[taskIDOf(st.Tasks[i].TaskARN)]; tk != nil && tk.inst != nil && tk.inst.ci.Status != statusActive {
				return ecs.StabilityStatusStabilizing
			}
		}
	}
	return ecs.StabilityStatusSteadyState
}

// stepTaskSets runs one step of each task set's scheduler, in order of
// creation, then drops the DRAINING task sets whose tasks have all
// stopped and brings the service's record up to date. e.mu must be held.
func (e *ECS) stepTaskSets(svc *service) {
	var wake time.Time
	at := func(t time.Time) {
		if !t.IsZero() && (wake.IsZero() || t.Before(wake)) {
			wake = t
		}
	}
	e.syncTaskSetService(svc)
	var events []ecs.ServiceEvent
	var steadyEvent *ecs.ServiceEvent
	for _, ts := range slices.Clone(svc.sets) {
		res, err := e.stepTaskSet(svc, ts)
		if err != nil {
			e.logger.Error("ecstest: task set scheduler step failed", "service", svc.name, "taskSet", ts.info.ID, "error", err)
			at(e.clock.Now().Add(retryDelay))
			continue
		}
		at(res.Wake)
		for i, ev := range res.Events {
			switch res.Kinds[i] {
			case deploy.EventDeploymentCompleted: // a task set is no deployment of the service's
			case deploy.EventSteadyState: // the service's, once all its task sets are
				steadyEvent = &ev
			default:
				events = append(events, ev)
			}
		}
	}
	svc.sets = slices.DeleteFunc(svc.sets, func(ts *taskSet) bool {
		return ts.info.Status == taskSetDraining && !svc.hasTasksOf(ts.info.ID)
	})
	e.syncTaskSetService(svc)
	if steadyEvent != nil && taskSetsSteady(svc.info()) {
		events = append(events, *steadyEvent)
	}
	if len(events) > 0 {
		next := *svc.info()
		next.Events = make([]ecs.ServiceEvent, 0, min(len(events)+len(next.Events), 100))
		for i := len(events) - 1; i >= 0 && len(next.Events) < 100; i-- {
			next.Events = append(next.Events, events[i])
		}
		for _, ev := range svc.info().Events {
			if len(next.Events) == 100 {
				break
			}
			next.Events = append(next.Events, ev)
		}
		svc.drv.Service = &next
	}
	if !wake.IsZero() {
		e.wake(svc, wake)
	}
}

// stepTaskSet runs one step of a task set's scheduler, on a service of
// its computedDesiredCount and the service's placement, health check
// grace period and deployment configuration (whose circuit breaker and
// alarms ECS applies only to its own deployments). e.mu must be held.
func (e *ECS) stepTaskSet(svc *service, ts *taskSet) (*deploy.Result, error) {
	info := svc.info()
	shadow := *ts.drv.Service
	shadow.DesiredCount = ts.info.ComputedDesiredCount
	shadow.PlacementStrategy, shadow.PlacementConstraints = info.PlacementStrategy, info.PlacementConstraints
	shadow.HealthCheckGracePeriodSeconds = info.HealthCheckGracePeriodSeconds
	shadow.LoadBalancers = ts.info.LoadBalancers
	cfg := deepCopy(info.DeploymentConfiguration)
	if cfg != nil {
		cfg.DeploymentCircuitBreaker, cfg.Alarms = nil, nil
	}
	shadow.DeploymentConfiguration = cfg
	shadow.Events = nil
	ts.drv.Service = &shadow
	var st *deploy.State
	drv := ts.drv
	prev := drv.OnStep
	drv.OnStep = func(s *deploy.State, r *deploy.Result) { st = s; prev(s, r) }
	svc.quiet = true
	res, err := drv.Step(context.Background())
	svc.quiet = false
	drv.OnStep = prev
	svc.settle()
	if err != nil {
		return nil, err
	}
	d := res.Service.Deployments[0]
	ts.info.RunningCount, ts.info.PendingCount = d.RunningCount, d.PendingCount
	if stab := e.stabilityOf(svc, ts, st, res); stab != ts.info.StabilityStatus {
		ts.info.StabilityStatus, ts.info.StabilityStatusAt = stab, ecs.NewTime(e.clock.Now())
	}
	return res, nil
}

// hasTasksOf reports whether the service still has tasks started by id
// that its scheduler has not seen STOPPED.
func (s *service) hasTasksOf(id string) bool {
	for _, tk := range s.order {
		if tk.t.StartedBy == id {
			return true
		}
	}
	return false
}

// observeSet returns what a task set's scheduler observes: the tasks the
// task set started (those STOPPED since its last step included), the
// cluster's instances, and the load balancer's view of the service's
// tasks, which registered with their task set's target group.
func (r svcRuntime) observeSet() deploy.Observation {
	var tasks []ecs.Task
	for _, tk := range r.svc.order {
		if tk.t.StartedBy == r.set.info.ID {
			tasks = append(tasks, tk.t)
		}
	}
	obs := deploy.Observation{Tasks: tasks, Instances: r.e.registered(r.svc.cl)}
	if len(r.set.info.LoadBalancers) > 0 {
		obs.Targets = r.e.targets(r.svc)
	}
	obs.Discovery = r.e.discovery(r.svc)
	return obs
}

// loadBalancersOf returns the load balancers a service's task registers
// with: its task set's, for a task of a task set, else its service's.
func loadBalancersOf(tk *task) []ecs.LoadBalancer {
	if tk.svc == nil {
		return nil
	}
	for _, ts := range tk.svc.sets {
		if ts.info.ID == tk.t.StartedBy {
			return ts.info.LoadBalancers
		}
	}
	return tk.svc.info().LoadBalancers
}

// network returns the network configuration of the runtime's tasks: its
// task set's, or its service's.
func (r svcRuntime) network() *ecs.NetworkConfiguration {
	if r.set != nil {
		return r.set.info.NetworkConfiguration
	}
	return r.svc.info().NetworkConfiguration
}

// taskSetByARN returns the task set of cl's services whose ARN is arn, or
// nil. e.mu must be held.
func (cl *cluster) taskSetByARN(arn string) *taskSet {
	for _, s := range cl.services {
		for _, ts := range s.sets {
			if ts.info.TaskSetARN == arn {
				return ts
			}
		}
	}
	return nil
}
