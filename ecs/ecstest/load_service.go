package ecstest

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// LoadServiceInput is a service for LoadService to load.
type LoadServiceInput struct {
	// Service is the service as describe-services shows it (see
	// ecs.DecodeServices), with its deployments.
	Service *ecs.Service
	// TaskDefinitions are the task definitions its deployments run, as
	// describe-task-definition shows them or as register-task-definition
	// takes them. Each is checked, and its sizes, compatibilities and
	// requiresAttributes filled in, as RegisterTaskDefinition would
	// register it, but it keeps its ARN (and revision): it is not
	// registered (the registry numbers revisions itself), and only the
	// service runs it, as LoadCluster takes what a loaded task runs.
	TaskDefinitions []*ecs.TaskDefinition
	// Memory, when not nil, is the scheduler's memory to go on from (see
	// deploy.Memory; deploy.NewMemory(seed) for one whose task, deployment
	// and event IDs derive from seed). By default the scheduler's IDs
	// derive from the ECS's seed and the service's name, as those of a
	// service CreateService makes do.
	Memory *deploy.Memory
	// Options tune the scheduler's quotas and timings (deploy.Options: the
	// launch rate, the bake time of a deployment with alarms); the zero
	// value is ECS's.
	Options deploy.Options
}

// LoadService adds to the cluster ref names a service as describe-services
// output shows it, so that its scheduler goes on from where the service
// stands: with its deployments as they are (their IDs, task definitions,
// counts and rolloutState; a PRIMARY deployment IN_PROGRESS goes on
// rolling out, as after UpdateService), its deployment configuration,
// placement, load balancers and events. A service without deployments gets
// a PRIMARY one of its task definition, COMPLETED. What the output leaves
// out takes CreateService's defaults: the REPLICA scheduling strategy, the
// deployment configuration's defaults, the cluster's launch.
//
// The service takes over the cluster's tasks of its group (service:NAME)
// that are not STOPPED, as LoadCluster loaded them: a task belongs to the
// deployment its startedBy names, and a loaded task RUNNING since long
// enough is healthy by the 40-second rule, or by its healthStatus when
// its task definition has a health check. A task of one of the task
// definitions given (with its containers) runs it from then on: it stops
// within its stopTimeout, and its faults and health checks are its.
//
// The service is refused, and nothing changes, as CreateService refuses
// one (a name, a deployment configuration or placement that is not valid,
// a deployment controller other than ECS), when a deployment's task
// definition is not among in.TaskDefinitions, when the cluster has an
// ACTIVE service of that name, and when a task of its group belongs to
// another service. Its first step runs when the clock next runs.
func (e *ECS) LoadService(ctx context.Context, ref string, in LoadServiceInput) (*ecs.Service, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	if in.Service == nil {
		return nil, invalidParameter("The service to load is required.")
	}
	svc := cloneService(in.Service)
	if !serviceNamePattern.MatchString(svc.ServiceName) {
		return nil, invalidParameter("Service name %q is not valid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.", svc.ServiceName)
	}
	if err := unsupportedService(svc.DeploymentController, svc.DeploymentConfiguration, nil); err != nil {
		return nil, err
	}
	if usesTaskSets(svc) { // its task sets would need loading too
		return nil, apiErrorf(ecs.UnsupportedFeatureException, nil, "ecstest runs only the ECS deployment controller's services in LoadService, not %s.", svc.DeploymentController.Type)
	}
	switch svc.Status {
	case "":
		svc.Status = serviceActive
	case serviceActive:
	default:
		return nil, invalidParameter("Service %s is %s: only an ACTIVE service can be loaded.", svc.ServiceName, svc.Status)
	}
	tds, err := e.loadTaskDefinitions(in.TaskDefinitions)
	if err != nil {
		return nil, err
	}
	if svc.SchedulingStrategy == "" {
		svc.SchedulingStrategy = ecs.SchedulingStrategyReplica
	}
	if svc.TaskDefinition == "" && len(svc.Deployments) > 0 {
		svc.TaskDefinition = svc.Deployments[0].TaskDefinition
		if i := slices.IndexFunc(svc.Deployments, func(d ecs.Deployment) bool { return d.Status == "PRIMARY" }); i >= 0 {
			svc.TaskDefinition = svc.Deployments[i].TaskDefinition
		}
	}
	td := tds[svc.TaskDefinition]
	if td == nil {
		return nil, invalidParameter("The task definition of service %s, %q, is not among the task definitions given.", svc.ServiceName, svc.TaskDefinition)
	}
	for _, d := range svc.Deployments {
		if tds[d.TaskDefinition] == nil {
			return nil, invalidParameter("The task definition of deployment %s, %q, is not among the task definitions given.", d.ID, d.TaskDefinition)
		}
	}
	if err := deploy.ValidateService(svc); err != nil {
		return nil, err
	}
	if err := placement.ValidatePlacement(svc.PlacementStrategy, svc.PlacementConstraints, td); err != nil {
		return nil, err
	}
	if err := checkLoadedStrategy(svc); err != nil {
		return nil, err
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(ref)
	if err != nil {
		return nil, err
	}
	if old := cl.services[svc.ServiceName]; old != nil && old.info().Status != serviceInactive {
		return nil, invalidParameter("Cluster %s has a service called %s already.", cl.info.ClusterName, svc.ServiceName)
	}
	if err := e.resolveLaunch(cl, svc, td); err != nil {
		return nil, err
	}
	group := ecs.ServiceGroup(svc.ServiceName)
	var adopt []*task
	for _, id := range slices.Sorted(maps.Keys(cl.tasks)) {
		tk := cl.tasks[id]
		if tk.t.Group != group || tk.stopped() {
			continue
		}
		if tk.svc != nil && tk.svc.info().Status != serviceInactive {
			return nil, invalidParameter("Task %s belongs to service %s.", tk.id(), tk.svc.name)
		}
		adopt = append(adopt, tk)
	}

	now := e.clock.Now()
	svc.ServiceARN = e.arns.service(cl.info.ClusterName, svc.ServiceName)
	svc.ClusterARN = cl.info.ClusterARN
	if svc.CreatedAt.IsZero() {
		svc.CreatedAt = ecs.NewTime(now)
	}
	svc.DeploymentConfiguration = deploymentDefaults(svc.SchedulingStrategy, svc.DeploymentConfiguration)
	if svc.DeploymentController == nil {
		svc.DeploymentController = &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeECS}
	}
	if svc.PropagateTags == "" {
		svc.PropagateTags = ecs.PropagateTagsNone
	}
	if svc.Events == nil {
		svc.Events = []ecs.ServiceEvent{}
	}
	if len(svc.Deployments) == 0 {
		t := ecs.NewTime(now)
		svc.Deployments = []ecs.Deployment{{
			ID: e.deploymentID(), Status: "PRIMARY", TaskDefinition: svc.TaskDefinition,
			DesiredCount: svc.DesiredCount, RunningCount: len(adopt), CreatedAt: t, UpdatedAt: t,
			LaunchType: svc.LaunchType, CapacityProviderStrategy: slices.Clone(svc.CapacityProviderStrategy),
			PlatformVersion: svc.PlatformVersion, NetworkConfiguration: deepCopy(svc.NetworkConfiguration),
			RolloutState: ecs.DeploymentRolloutStateCompleted,
		}}
	}
	mem := deploy.NewMemory(e.serviceSeed(cl, svc.ServiceName))
	if in.Memory != nil {
		mem = *in.Memory
	}
	s := &service{cl: cl, name: svc.ServiceName, tds: tds, tasks: map[string]*task{}}
	s.drv = &deploy.Driver{
		Service: svc, TaskDefinitions: s.tds, Runtime: svcRuntime{e: e, svc: s}, Clock: e.clock,
		Memory: mem, Options: in.Options, OnStep: s.onStep,
	}
	s.drv.NewPlacer = e.newPlacer(s)
	for _, tk := range adopt {
		tk.svc = s
		if td := tds[tk.t.TaskDefinitionARN]; td != nil && sameContainers(td, &tk.t) {
			tk.td = td // its own, for its stop timeout, health checks and faults
		}
		s.addTask(tk)
	}
	cl.services[svc.ServiceName] = s
	e.registerLoaded(s)
	e.wake(s, now)
	return cloneService(svc), nil
}

// sameContainers reports whether t has the containers of td, in order:
// whether t may run td.
func sameContainers(td *ecs.TaskDefinition, t *ecs.Task) bool {
	return slices.EqualFunc(td.ContainerDefinitions, t.Containers, func(cd ecs.ContainerDefinition, c ecs.Container) bool {
		return cd.Name == c.Name
	})
}

// loadTaskDefinitions checks and completes task definitions as
// RegisterTaskDefinition would, on a registry of their own, and returns
// them by their own ARNs, with their own revisions.
func (e *ECS) loadTaskDefinitions(list []*ecs.TaskDefinition) (map[string]*ecs.TaskDefinition, error) {
	scratch := ecs.NewRegistry(e.registryOptions)
	tds := map[string]*ecs.TaskDefinition{}
	for i, td := range list {
		if td == nil || td.TaskDefinitionARN == "" {
			return nil, invalidParameter("TaskDefinitions[%d] has no taskDefinitionArn.", i)
		}
		reg, err := scratch.Register(td, nil)
		if err != nil {
			return nil, fmt.Errorf("TaskDefinitions[%d] (%s): %w", i, td.TaskDefinitionARN, err)
		}
		out := *reg
		out.TaskDefinitionARN, out.Revision, out.RegisteredAt = td.TaskDefinitionARN, td.Revision, td.RegisteredAt
		tds[out.TaskDefinitionARN] = &out
	}
	return tds, nil
}
