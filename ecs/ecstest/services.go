package ecstest

import (
	"context"
	"hash/fnv"
	"regexp"
	"slices"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// maxDescribeServices is the most services one DescribeServices call
// takes.
const maxDescribeServices = 10

var serviceNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// createService is CreateService with the request's members as arguments.
func (e *ECS) createService(ctx context.Context, req *ecs.CreateServiceRequest) (*ecs.Service, error) {
	if !serviceNamePattern.MatchString(req.ServiceName) {
		return nil, invalidParameter("Service name %q is not valid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.", req.ServiceName)
	}
	if err := e.checkCreateService(req); err != nil {
		return nil, err
	}
	if err := unsupportedService(req.DeploymentController, req.DeploymentConfiguration, req.LoadBalancers); err != nil {
		return nil, err
	}
	if err := checkTags(req.Tags); err != nil {
		return nil, err
	}
	var td *ecs.TaskDefinition
	var err error
	if ctrl := req.DeploymentController; ctrl != nil && taskSetController(ctrl.Type) {
		if td, err = e.checkTaskSetServiceRequest(req); err != nil {
			return nil, err
		}
	} else if td, err = e.runnable(req.TaskDefinition); err != nil {
		return nil, err
	}
	strategy := req.SchedulingStrategy
	if strategy == "" {
		strategy = ecs.SchedulingStrategyReplica
	}
	svc := &ecs.Service{
		ServiceName: req.ServiceName, Status: serviceActive, LaunchType: req.LaunchType,
		CapacityProviderStrategy: req.CapacityProviderStrategy, PlatformVersion: req.PlatformVersion,
		DeploymentConfiguration: deepCopy(req.DeploymentConfiguration),
		PlacementConstraints:    slices.Clone(req.PlacementConstraints), PlacementStrategy: slices.Clone(req.PlacementStrategy),
		NetworkConfiguration: deepCopy(req.NetworkConfiguration), HealthCheckGracePeriodSeconds: req.HealthCheckGracePeriodSeconds,
		SchedulingStrategy: strategy, Tags: slices.Clone(req.Tags), EnableECSManagedTags: req.EnableECSManagedTags,
		PropagateTags: req.PropagateTags, EnableExecuteCommand: req.EnableExecuteCommand,
		ServiceRegistries: slices.Clone(req.ServiceRegistries),
		LoadBalancers:     slices.Clone(req.LoadBalancers), RoleARN: e.roleARN(req.Role),
		AvailabilityZoneRebalancing: req.AvailabilityZoneRebalancing,
		DeploymentController:        &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeECS},
	}
	if td != nil {
		svc.TaskDefinition = td.TaskDefinitionARN
	}
	if ctrl := req.DeploymentController; ctrl != nil && taskSetController(ctrl.Type) {
		svc.DeploymentController.Type = ctrl.Type
	}
	if req.DesiredCount != nil {
		svc.DesiredCount = *req.DesiredCount
		if err := e.checkDesiredCount(req.ServiceName, svc.DesiredCount); err != nil {
			return nil, err
		}
	} else if strategy == ecs.SchedulingStrategyReplica {
		return nil, invalidParameter("desiredCount is required for a service of the REPLICA scheduling strategy.")
	}
	if err := deploy.ValidateService(svc); err != nil {
		return nil, err
	}
	if err := placement.ValidatePlacement(svc.PlacementStrategy, svc.PlacementConstraints, td); err != nil {
		return nil, err
	}
	if err := checkLoadBalancing(svc, td, req.Role); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(req.Cluster)
	if err != nil {
		return nil, err
	}
	if old := cl.services[req.ServiceName]; old != nil && old.info().Status != serviceInactive {
		return nil, invalidParameter("Creation of service was not idempotent.")
	}
	if err := e.checkServiceQuota(cl); err != nil {
		return nil, err
	}
	if td != nil {
		if err := e.resolveLaunch(cl, svc, td); err != nil {
			return nil, err
		}
	}
	if err := checkServiceConnect(req.ServiceConnectConfiguration, td, clusterNamespace(cl)); err != nil {
		return nil, err
	}
	if svc.AvailabilityZoneRebalancing == "" { // CreateService's default (rule 105)
		svc.AvailabilityZoneRebalancing = deploy.DefaultAvailabilityZoneRebalancing(svc)
	}
	now := e.clock.Now()
	svc.ServiceARN = e.arns.service(cl.info.ClusterName, svc.ServiceName)
	svc.ClusterARN = cl.info.ClusterARN
	svc.CreatedAt = ecs.NewTime(now)
	svc.CreatedBy = "arn:aws:iam::" + e.arns.account + ":root"
	svc.DeploymentConfiguration = deploymentDefaults(strategy, svc.DeploymentConfiguration)
	if svc.PropagateTags == "" {
		svc.PropagateTags = ecs.PropagateTagsNone
	}
	svc.Events = []ecs.ServiceEvent{}
	if usesTaskSets(svc) {
		return e.startTaskSetService(cl, svc, td), nil
	}
	svc = deploy.StartDeployment(svc, td.TaskDefinitionARN, e.deploymentID(), now)
	e.connect(cl, svc, req.ServiceConnectConfiguration)
	s := &service{cl: cl, name: svc.ServiceName, tds: map[string]*ecs.TaskDefinition{td.TaskDefinitionARN: td}, tasks: map[string]*task{}}
	s.drv = &deploy.Driver{
		Service: svc, TaskDefinitions: s.tds, Runtime: svcRuntime{e: e, svc: s}, Clock: e.clock,
		Memory: deploy.NewMemory(e.serviceSeed(cl, svc.ServiceName)), OnStep: s.onStep,
	}
	s.drv.NewPlacer = e.newPlacer(s)
	cl.services[svc.ServiceName] = s
	e.wake(s, now)
	return cloneService(svc), nil
}

// unsupportedService refuses deployment controllers the API does not have. The strategies and load balancers
// are checked by checkLoadBalancing (loadbalancers.go); the EXTERNAL and
// CODE_DEPLOY controllers run task sets (tasksets.go).
func unsupportedService(ctrl *ecs.DeploymentController, cfg *ecs.DeploymentConfiguration, lbs []ecs.LoadBalancer) error {
	switch {
	case ctrl != nil && ctrl.Type != "" && !ctrl.Type.Known():
		return invalidParameter("deploymentController.type %q is not valid: use one of %v.", ctrl.Type, ctrl.Type.Values())
	}
	return nil
}

// resolveLaunch sets where the service's tasks run (its launch type or
// capacity provider strategy, the cluster's default strategy when it gives
// neither) and checks that its task definition can run there. e.mu must
// be held.
func (e *ECS) resolveLaunch(cl *cluster, svc *ecs.Service, td *ecs.TaskDefinition) error {
	lt, strategy, err := launchOf(svc.LaunchType, svc.CapacityProviderStrategy, &cl.info)
	if err != nil {
		return err
	}
	lt = e.managedLaunch(lt, strategy)
	if len(strategy) > 0 {
		svc.LaunchType, svc.CapacityProviderStrategy = "", slices.Clone(strategy)
	} else {
		svc.LaunchType = lt
	}
	if err := checkPlatformVersion(lt, svc.PlatformVersion); err != nil {
		return err
	}
	if lt == ecs.LaunchTypeFargate && svc.PlatformVersion == "" {
		svc.PlatformVersion = "LATEST"
	}
	if lt == ecs.LaunchTypeFargate && len(svc.PlacementStrategy) > 0 {
		return invalidParameter("Placement strategies are not supported with the FARGATE launch type.")
	}
	return checkLaunch(td, lt, svc.NetworkConfiguration)
}

// deploymentDefaults fills in what a deployment configuration leaves out,
// as ECS shows it: maximumPercent 200 and minimumHealthyPercent 100 for
// REPLICA, 100 and 0 for DAEMON, the circuit breaker off, ROLLING.
func deploymentDefaults(strategy ecs.SchedulingStrategy, cfg *ecs.DeploymentConfiguration) *ecs.DeploymentConfiguration {
	out := &ecs.DeploymentConfiguration{}
	if cfg != nil {
		out = deepCopy(cfg)
	}
	maxPct, minPct := 200, 100
	if strategy == ecs.SchedulingStrategyDaemon {
		maxPct, minPct = 100, 0
	}
	if out.MaximumPercent == nil {
		out.MaximumPercent = &maxPct
	}
	if out.MinimumHealthyPercent == nil {
		out.MinimumHealthyPercent = &minPct
	}
	if out.DeploymentCircuitBreaker == nil {
		out.DeploymentCircuitBreaker = &ecs.DeploymentCircuitBreaker{}
	}
	if out.Strategy == "" {
		out.Strategy = ecs.DeploymentStrategyRolling
	}
	fillStrategy(out)
	return out
}

// deploymentID returns a new deployment ID. e.mu must be held.
func (e *ECS) deploymentID() string {
	return deploy.DeploymentID(e.seed, e.ids.seq("deployment"))
}

// serviceSeed returns the seed of a new service's scheduler: task IDs,
// event IDs and placement tie breaks derive from it. e.mu must be held.
func (e *ECS) serviceSeed(cl *cluster, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(cl.info.ClusterName + "/" + name))
	return e.seed ^ h.Sum64() ^ e.ids.seq("service")<<32
}

// cloneService returns a copy of svc that shares nothing with it.
func cloneService(svc *ecs.Service) *ecs.Service {
	return deepCopy(svc)
}

// service returns the service ref names (a name or ARN) in cl, or a
// ServiceNotFoundException. e.mu must be held.
func (e *ECS) service(cl *cluster, ref string) (*service, error) {
	name, ok := e.arns.serviceName(cl.info.ClusterName, ref)
	s := cl.services[name]
	if !ok || s == nil {
		return nil, apiErrorf(ecs.ServiceNotFoundException, ecs.ErrNotFound, "Service not found.")
	}
	return s, nil
}
