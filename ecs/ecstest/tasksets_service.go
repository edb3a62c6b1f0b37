package ecstest

import (
	"slices"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// checkTaskSetServiceRequest checks a CreateService request of the
// EXTERNAL or CODE_DEPLOY deployment controller and returns its task
// definition (nil for EXTERNAL):
//
//   - the deployment circuit breaker and alarms are the ECS deployment
//     controller's only (DeploymentCircuitBreaker, DeploymentAlarms);
//   - EXTERNAL: the task definition, launch type or capacity provider
//     strategy, platform version, network configuration, load balancers
//     and service registries are given per task set, not to CreateService
//     (the developer guide's external deployment workflow lists what
//     CreateService takes: "All other service parameters are specified
//     when creating a task set within the service");
//   - CODE_DEPLOY: a task definition and an Application or Network Load
//     Balancer target group are required (CreateService's taskDefinition
//     and loadBalancers).
func (e *ECS) checkTaskSetServiceRequest(req *ecs.CreateServiceRequest) (*ecs.TaskDefinition, error) {
	ctrl := req.DeploymentController.Type
	if cfg := req.DeploymentConfiguration; cfg != nil {
		if cb := cfg.DeploymentCircuitBreaker; cb != nil && cb.Enable {
			return nil, invalidParameter("The deployment circuit breaker is only supported for services using the rolling update (ECS) deployment controller, not %s.", ctrl)
		}
		if al := cfg.Alarms; al != nil && al.Enable {
			return nil, invalidParameter("Deployment alarms are only supported for services using the rolling update (ECS) deployment controller, not %s.", ctrl)
		}
	}
	if ctrl == ecs.DeploymentControllerTypeExternal {
		given := map[string]bool{
			"taskDefinition": req.TaskDefinition != "", "launchType": req.LaunchType != "",
			"capacityProviderStrategy": len(req.CapacityProviderStrategy) > 0, "platformVersion": req.PlatformVersion != "",
			"networkConfiguration": req.NetworkConfiguration != nil, "loadBalancers": len(req.LoadBalancers) > 0,
			"serviceRegistries": len(req.ServiceRegistries) > 0,
		}
		for _, name := range []string{"taskDefinition", "launchType", "capacityProviderStrategy", "platformVersion",
			"networkConfiguration", "loadBalancers", "serviceRegistries"} {
			if given[name] {
				return nil, invalidParameter("%s cannot be specified for a service using the EXTERNAL deployment controller: it is specified on each task set (CreateTaskSet).", name)
			}
		}
		return nil, nil
	}
	td, err := e.runnable(req.TaskDefinition)
	if err != nil {
		return nil, err
	}
	if len(req.LoadBalancers) == 0 {
		return nil, invalidParameter("A service using the CODE_DEPLOY deployment controller requires an Application Load Balancer or Network Load Balancer target group in loadBalancers.")
	}
	if err := checkTaskSetLoadBalancers(req.LoadBalancers, td); err != nil {
		return nil, err
	}
	return td, nil
}

// startTaskSetService adds svc, a service of the EXTERNAL or CODE_DEPLOY
// deployment controller, to cl, with no deployment: a CODE_DEPLOY
// service's first task set, PRIMARY at 100 percent, is created with it
// ("When an Amazon ECS service using the blue/green deployment type is
// initially created, an Amazon ECS task set is created"); an EXTERNAL
// service waits for CreateTaskSet. It returns the service as
// CreateService does. e.mu must be held.
func (e *ECS) startTaskSetService(cl *cluster, svc *ecs.Service, td *ecs.TaskDefinition) *ecs.Service {
	s := &service{cl: cl, name: svc.ServiceName, tds: map[string]*ecs.TaskDefinition{}, tasks: map[string]*task{}}
	s.drv = &deploy.Driver{Service: svc, TaskDefinitions: s.tds, Runtime: svcRuntime{e: e, svc: s}, Clock: e.clock, OnStep: s.onStep}
	cl.services[svc.ServiceName] = s
	if svc.DeploymentController.Type == ecs.DeploymentControllerTypeCodeDeploy {
		launch := ecs.Service{LaunchType: svc.LaunchType, CapacityProviderStrategy: slices.Clone(svc.CapacityProviderStrategy),
			PlatformVersion: svc.PlatformVersion, NetworkConfiguration: deepCopy(svc.NetworkConfiguration)}
		e.newTaskSet(s, td, &launch, ecs.TaskSet{
			Status: taskSetPrimary, Scale: &ecs.Scale{Value: 100, Unit: ecs.ScaleUnitPercent},
			LoadBalancers: slices.Clone(svc.LoadBalancers), ServiceRegistries: slices.Clone(svc.ServiceRegistries),
		})
	} else {
		e.syncTaskSetService(s)
	}
	return cloneService(s.info())
}

// updateTaskSetService applies an UpdateService request to a service of
// the EXTERNAL or CODE_DEPLOY deployment controller, which takes only
// some parameters (UpdateService): for CODE_DEPLOY the desired count,
// deployment configuration, health check grace period, placement
// constraints and strategies, enableECSManagedTags and propagateTags;
// for EXTERNAL the same but the deployment configuration. A new task
// definition, network configuration, platform version, launch or load
// balancers go through a new task set (CreateTaskSet, as CodeDeploy
// makes one for a CODE_DEPLOY service). e.mu must be held.
func (e *ECS) updateTaskSetService(s *service, req *ecs.UpdateServiceRequest) (*ecs.Service, error) {
	cur := *s.info()
	ctrl := cur.DeploymentController.Type
	if req.TaskDefinition != "" && req.TaskDefinition != cur.TaskDefinition {
		if ctrl == ecs.DeploymentControllerTypeCodeDeploy {
			return nil, invalidParameter("Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.")
		}
		return nil, invalidParameter("Unable to update task definition on services with an EXTERNAL deployment controller: create a new task set (CreateTaskSet).")
	}
	for _, f := range []struct {
		name  string
		given bool
	}{
		{"networkConfiguration", req.NetworkConfiguration != nil},
		{"platformVersion", req.PlatformVersion != "" && req.PlatformVersion != cur.PlatformVersion},
		{"capacityProviderStrategy", req.CapacityProviderStrategy != nil},
		{"loadBalancers", req.LoadBalancers != nil},
		{"serviceRegistries", req.ServiceRegistries != nil},
		{"forceNewDeployment", req.ForceNewDeployment},
		{"deploymentConfiguration", req.DeploymentConfiguration != nil && ctrl == ecs.DeploymentControllerTypeExternal},
	} {
		if f.given {
			return nil, invalidParameter("%s cannot be updated on a service using the %s deployment controller: %s.", f.name, ctrl, newTaskSetHow(ctrl))
		}
	}
	next := cur
	if req.DesiredCount != nil {
		if err := e.checkDesiredCount(req.Service, *req.DesiredCount); err != nil {
			return nil, err
		}
		next.DesiredCount = *req.DesiredCount
	}
	if req.DeploymentConfiguration != nil {
		next.DeploymentConfiguration = mergeDeployment(cur.DeploymentConfiguration, req.DeploymentConfiguration)
		if cb := next.DeploymentConfiguration.DeploymentCircuitBreaker; cb != nil && cb.Enable {
			return nil, invalidParameter("The deployment circuit breaker is only supported for services using the rolling update (ECS) deployment controller, not %s.", ctrl)
		}
	}
	if req.HealthCheckGracePeriodSeconds != nil {
		next.HealthCheckGracePeriodSeconds = req.HealthCheckGracePeriodSeconds
	}
	if req.PlacementStrategy != nil {
		next.PlacementStrategy = slices.Clone(req.PlacementStrategy)
	}
	if req.PlacementConstraints != nil {
		next.PlacementConstraints = slices.Clone(req.PlacementConstraints)
	}
	if err := deploy.ValidateService(&next); err != nil {
		return nil, err
	}
	if err := s.placementCheck(next.PlacementStrategy, next.PlacementConstraints); err != nil {
		return nil, err
	}
	if req.EnableECSManagedTags != nil {
		next.EnableECSManagedTags = *req.EnableECSManagedTags
	}
	if req.PropagateTags != "" {
		next.PropagateTags = req.PropagateTags
	}
	if req.EnableExecuteCommand != nil {
		next.EnableExecuteCommand = *req.EnableExecuteCommand
	}
	s.drv.Service = &next
	e.syncTaskSetService(s)
	e.wake(s, e.clock.Now())
	return s.info(), nil // updateService copies it
}

// newTaskSetHow says how a change the service does not take is made with
// ctrl.
func newTaskSetHow(ctrl ecs.DeploymentControllerType) string {
	if ctrl == ecs.DeploymentControllerTypeCodeDeploy {
		return "create a new CodeDeploy deployment, which creates a new task set"
	}
	return "create a new task set (CreateTaskSet)"
}

// deleteTaskSets has every task set of a service being deleted go
// DRAINING, as the service then shows them. e.mu must be held.
func (e *ECS) deleteTaskSets(s *service) {
	if len(s.sets) == 0 {
		return
	}
	now := ecs.NewTime(e.clock.Now())
	for _, ts := range s.sets {
		ts.info.Status, ts.info.UpdatedAt = taskSetDraining, now
	}
	e.syncTaskSetService(s)
}

// taskSetsSteady reports whether a service of task sets is as Settle
// waits for it: it has task sets, none DRAINING, and each is in
// STEADY_STATE.
func taskSetsSteady(svc *ecs.Service) bool {
	for i := range svc.TaskSets {
		if ts := &svc.TaskSets[i]; ts.StabilityStatus != ecs.StabilityStatusSteadyState || ts.Status == taskSetDraining {
			return false
		}
	}
	return len(svc.TaskSets) > 0
}
