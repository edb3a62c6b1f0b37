package ecstest

import (
	"context"
	"maps"
	"slices"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// updateService is UpdateService with the request's members as arguments.
func (e *ECS) updateService(ctx context.Context, req *ecs.UpdateServiceRequest) (*ecs.Service, error) {
	if req.Service == "" {
		return nil, invalidParameter("service is required.")
	}
	if err := unsupportedService(req.DeploymentController, req.DeploymentConfiguration, req.LoadBalancers); err != nil {
		return nil, err
	}
	var td *ecs.TaskDefinition
	if req.TaskDefinition != "" {
		var err error
		if td, err = e.runnable(req.TaskDefinition); err != nil {
			return nil, err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	svc, err := e.updateServiceLocked(req, td)
	if err != nil {
		return nil, err
	}
	return cloneService(svc), nil
}

// updateServiceLocked is updateService once td (nil when the request
// names none) is resolved; it returns the service as kept, not a copy.
// e.mu must be held.
func (e *ECS) updateServiceLocked(req *ecs.UpdateServiceRequest, td *ecs.TaskDefinition) (*ecs.Service, error) {
	cl, err := e.activeCluster(req.Cluster)
	if err != nil {
		return nil, err
	}
	s, err := e.service(cl, req.Service)
	if err != nil {
		return nil, err
	}
	cur := *s.info()
	if cur.Status != serviceActive {
		return nil, apiErrorf(ecs.ServiceNotActiveException, ecs.ErrInvalid, "Service was not ACTIVE.")
	}
	if c := req.DeploymentController; c != nil && c.Type != "" && c.Type != cur.DeploymentController.Type {
		return nil, apiErrorf(ecs.UnsupportedFeatureException, nil, "ecstest does not change a service's deployment controller (%s to %s).", cur.DeploymentController.Type, c.Type)
	}
	if usesTaskSets(&cur) {
		return e.updateTaskSetService(s, req)
	}
	if td == nil {
		td = s.tds[cur.TaskDefinition]
	}
	renew := req.ForceNewDeployment || td.TaskDefinitionARN != cur.TaskDefinition
	check := cur // as a request: a DAEMON service has no desired count
	check.DesiredCount = 0
	if req.DesiredCount != nil {
		if err := e.checkDesiredCount(req.Service, *req.DesiredCount); err != nil {
			return nil, err
		}
		check.DesiredCount = *req.DesiredCount
	} else if cur.SchedulingStrategy != ecs.SchedulingStrategyDaemon {
		check.DesiredCount = cur.DesiredCount
	}
	if req.DeploymentConfiguration != nil {
		check.DeploymentConfiguration = mergeDeployment(cur.DeploymentConfiguration, req.DeploymentConfiguration)
	}
	if req.HealthCheckGracePeriodSeconds != nil {
		check.HealthCheckGracePeriodSeconds = req.HealthCheckGracePeriodSeconds
	}
	if req.PlacementStrategy != nil {
		check.PlacementStrategy, renew = slices.Clone(req.PlacementStrategy), true
	}
	if req.PlacementConstraints != nil {
		check.PlacementConstraints, renew = slices.Clone(req.PlacementConstraints), true
	}
	if req.CapacityProviderStrategy != nil {
		check.LaunchType, check.CapacityProviderStrategy, renew = "", slices.Clone(req.CapacityProviderStrategy), true
	}
	if req.NetworkConfiguration != nil {
		check.NetworkConfiguration, renew = deepCopy(req.NetworkConfiguration), true
	}
	if req.PlatformVersion != "" && req.PlatformVersion != cur.PlatformVersion {
		check.PlatformVersion, renew = req.PlatformVersion, true
	}
	if err := deploy.ValidateService(&check); err != nil {
		return nil, err
	}
	sc, changed, err := e.updateLoadBalancing(cl, &check, req, td)
	if err != nil {
		return nil, err
	}
	renew = renew || changed
	if err := placement.ValidatePlacement(check.PlacementStrategy, check.PlacementConstraints, td); err != nil {
		return nil, err
	}
	if req.CapacityProviderStrategy != nil || req.NetworkConfiguration != nil || td.TaskDefinitionARN != cur.TaskDefinition {
		if err := e.resolveLaunch(cl, &check, td); err != nil {
			return nil, err
		}
	}
	if err := checkUpdateService(req, &check, td); err != nil {
		return nil, err
	}
	if cur.SchedulingStrategy == ecs.SchedulingStrategyDaemon {
		check.DesiredCount = cur.DesiredCount
	}
	if req.EnableExecuteCommand != nil {
		check.EnableExecuteCommand = *req.EnableExecuteCommand
	}
	if req.EnableECSManagedTags != nil {
		check.EnableECSManagedTags = *req.EnableECSManagedTags
	}
	if req.PropagateTags != "" {
		check.PropagateTags = req.PropagateTags
	}
	if req.AvailabilityZoneRebalancing != "" {
		check.AvailabilityZoneRebalancing = req.AvailabilityZoneRebalancing
	}
	next := &check
	if renew {
		s.tds[td.TaskDefinitionARN] = td
		next = deploy.StartDeployment(next, td.TaskDefinitionARN, e.deploymentID(), e.clock.Now())
		e.connect(cl, next, sc)
	}
	s.drv.Service = next
	e.wake(s, e.clock.Now())
	return next, nil
}

// mergeDeployment returns cur with the members upd sets replaced.
func mergeDeployment(cur, upd *ecs.DeploymentConfiguration) *ecs.DeploymentConfiguration {
	out := deepCopy(cur)
	if out == nil {
		out = &ecs.DeploymentConfiguration{}
	}
	if upd.MaximumPercent != nil {
		out.MaximumPercent = upd.MaximumPercent
	}
	if upd.MinimumHealthyPercent != nil {
		out.MinimumHealthyPercent = upd.MinimumHealthyPercent
	}
	if upd.DeploymentCircuitBreaker != nil {
		out.DeploymentCircuitBreaker = deepCopy(upd.DeploymentCircuitBreaker)
	}
	if upd.Alarms != nil {
		out.Alarms = deepCopy(upd.Alarms)
	}
	if upd.Strategy != "" {
		out.Strategy = upd.Strategy
	}
	mergeStrategy(out, upd)
	return out
}

// deleteService is DeleteService with the request's members as arguments.
func (e *ECS) deleteService(ctx context.Context, cluster, ref string, force bool) (*ecs.Service, error) {
	if ref == "" {
		return nil, invalidParameter("service is required.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	s, err := e.service(cl, ref)
	if err != nil {
		return nil, err
	}
	cur := *s.info()
	if cur.Status != serviceActive {
		return nil, apiErrorf(ecs.ServiceNotActiveException, ecs.ErrInvalid, "Service was not ACTIVE.")
	}
	if cur.SchedulingStrategy != ecs.SchedulingStrategyDaemon && cur.DesiredCount > 0 && !force {
		return nil, invalidParameter("The service cannot be stopped while it is scaled above 0.")
	}
	cur.Status, cur.DesiredCount = serviceDraining, 0
	s.drv.Service = &cur
	dep := ""
	if len(cur.Deployments) > 0 {
		dep = cur.Deployments[0].ID
	}
	e.deleteTaskSets(s)
	for _, id := range slices.Sorted(maps.Keys(s.tasks)) {
		tk := s.tasks[id]
		by := dep
		if by == "" { // a task set's task: its task set's deployment
			by = tk.t.StartedBy
		}
		e.stopTask(tk, ecs.TaskStopCodeServiceSchedulerInitiated, "Scaling activity initiated by (deployment "+by+")")
	}
	e.wake(s, e.clock.Now())
	return cloneService(s.info()), nil
}

// describeServices is DescribeServices with the request's members as arguments.
func (e *ECS) describeServices(ctx context.Context, cluster string, refs []string) ([]ecs.Service, []ecs.Failure, error) {
	if len(refs) == 0 || len(refs) > maxDescribeServices {
		return nil, nil, invalidParameter("services must have 1 to %d items.", maxDescribeServices)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, nil, err
	}
	out := []ecs.Service{}
	failures := []ecs.Failure{}
	for _, ref := range refs {
		s, err := e.service(cl, ref)
		if err != nil {
			arn := ref
			if name, ok := e.arns.serviceName(cl.info.ClusterName, ref); ok {
				arn = e.arns.service(cl.info.ClusterName, name)
			}
			failures = append(failures, ecs.Failure{ARN: arn, Reason: "MISSING"})
			continue
		}
		out = append(out, *e.describedService(s))
	}
	return out, failures, nil
}

// listServices is ListServices with the request's members as arguments.
func (e *ECS) listServices(ctx context.Context, cluster string, lt ecs.LaunchType, strategy ecs.SchedulingStrategy) ([]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	arns := []string{}
	for _, s := range cl.services {
		svc := s.info()
		if svc.Status == serviceActive && (lt == "" || svc.LaunchType == lt) &&
			(strategy == "" || svc.SchedulingStrategy == strategy) {
			arns = append(arns, svc.ServiceARN)
		}
	}
	slices.Sort(arns)
	return arns, nil
}
