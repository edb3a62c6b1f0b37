package ecstest

import (
	"context"
	"fmt"
	"slices"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
	"github.com/ecscore/ecscore/placement"
)

// maxStartTask is the most container instances one StartTask call names.
const maxStartTask = 10

// RunTask starts tasks of a task definition where the cluster's placement
// engine puts them, under the ECS's lock: each
// task sees the ones before it, and no instance is ever committed beyond
// what it has. Tasks that do not fit are reported as failures, one per
// container instance that turned the first of them away, with the reason
// ECS gives (RESOURCE:CPU, RESOURCE:MEMORY, RESOURCE:PORTS, ATTRIBUTE,
// ...); those that fit start PROVISIONING and move through the lifecycle
// on the virtual clock. Through an Auto Scaling group capacity provider
// with managed scaling on, tasks that fit nowhere are not failures: they
// wait in PROVISIONING, without an instance, for managed scaling to
// launch one (rule 156; provisioning.go), up to the cluster's quota of
// such tasks, past which RunTask is refused (rule 157). On Fargate (the FARGATE launch type, or a strategy
// of FARGATE and FARGATE_SPOT) tasks need no instance and always fit.
//
// The request is checked as the API checks it, with the placement
// package's ValidateRunTask: count 1 to 10, the group, the overrides, the
// strategy and the constraints.
func (e *ECS) RunTask(ctx context.Context, req *ecs.RunTaskRequest) (*ecs.RunTaskResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	cl, spec, strategy, err := e.beginTasks(req)
	if err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	count := 1
	if req.Count != nil {
		count = *req.Count
	}
	td, lt := spec.td, spec.launchType
	resp := &ecs.RunTaskResponse{Tasks: []ecs.Task{}, Failures: []ecs.Failure{}}
	if lt == ecs.LaunchTypeFargate {
		for _, provider := range fargateProviders(strategy, count) {
			spec.provider, spec.az = provider, e.fargateZone(cl, spec.group)
			resp.Tasks = append(resp.Tasks, *cloneTask(&e.addTask(cl, spec).t))
		}
		return resp, nil
	}
	waits := e.strategyWaits(cl, strategy)
	if cl.registeredCount() == 0 && !waits {
		return nil, invalidParameter("No Container Instances were found in your cluster.")
	}
	if err := e.checkProvisioningQuota(cl, strategy, count); err != nil {
		return nil, err
	}
	spec.placeStrategy, spec.placeConstraints = req.PlacementStrategy, req.PlacementConstraints
	eng, err := e.engine(cl)
	if err != nil {
		return nil, fmt.Errorf("placement snapshot: %w", err)
	}
	for k, n := range providerShares(strategy, count) {
		if n == 0 {
			continue
		}
		if len(strategy) > 0 {
			spec.provider = strategy[k].CapacityProvider
		}
		res, err := eng.Place(&placement.Request{
			TaskDefinition: td, Overrides: req.Overrides, Count: n, Group: spec.group,
			LaunchType: placementLaunch(lt), CapacityProvider: spec.provider,
			Strategy: req.PlacementStrategy, Constraints: req.PlacementConstraints,
			Seed: e.seed ^ e.ids.seq("placement"),
		})
		if err != nil {
			return nil, err
		}
		for _, p := range res.Placements {
			id, _ := e.arns.containerInstanceID(cl.info.ClusterName, p.ContainerInstanceARN)
			spec.inst, spec.az, spec.containers = cl.instances[id], p.AvailabilityZone, bindings(p.Containers)
			tk := e.addTask(cl, spec)
			tk.placed(eng, p.Task)
			resp.Tasks = append(resp.Tasks, *cloneTask(&tk.t))
		}
		unplaced := n - len(res.Placements)
		if unplaced > 0 && e.waits(cl, spec.provider) {
			// Rule 156: they wait in PROVISIONING for managed scaling,
			// as many as the cluster's quota has room for (rule 157).
			w := min(unplaced, e.provisioningRoom(cl)) // all: checkProvisioningQuota
			spec.inst, spec.az, spec.containers = nil, "", nil
			for range w {
				resp.Tasks = append(resp.Tasks, *cloneTask(&e.addTask(cl, spec).t))
			}
			unplaced -= w
		}
		if unplaced > 0 && res.Explanation != nil {
			resp.Failures = append(resp.Failures, res.Explanation.Failures...)
		}
	}
	return resp, nil
}

// providerShares returns how n tasks divide over the strategy's providers
// (capacity.Split), or n alone without a strategy.
func providerShares(strategy []ecs.CapacityProviderStrategyItem, n int) []int {
	if len(strategy) == 0 {
		return []int{n}
	}
	counts, err := capacity.Split(strategy, nil, n)
	if err != nil {
		return make([]int, len(strategy)) // the strategy was validated: no error comes
	}
	return counts
}

// beginTasks does what RunTask and StartTask do before they place: it
// checks the task definition (active), the request (placement's
// ValidateRunTask), the tags and the overrides (their demand); then, under
// e.mu, it finds the cluster, resolves the launch type (launchOf, which
// also returns a capacity provider strategy when one applies) and checks
// it against the task definition and the network configuration. The spec
// it returns has the task definition, the group (family:<family> when
// req names none), the launch type, the overrides, the demand and the
// tags. Unless it returns an error, it returns holding e.mu, which the
// caller unlocks.
func (e *ECS) beginTasks(req *ecs.RunTaskRequest) (*cluster, taskSpec, []ecs.CapacityProviderStrategyItem, error) {
	td, err := e.runnable(req.TaskDefinition)
	if err != nil {
		return nil, taskSpec{}, nil, err
	}
	if err := checkTaskMembers(req, td); err != nil {
		return nil, taskSpec{}, nil, err
	}
	if err := placement.ValidateRunTask(req, td); err != nil {
		return nil, taskSpec{}, nil, err
	}
	if err := checkTags(req.Tags); err != nil {
		return nil, taskSpec{}, nil, err
	}
	demand, err := placement.TaskDemand(td, req.Overrides)
	if err != nil {
		return nil, taskSpec{}, nil, invalidParameterWrap(err, "overrides: %v.", err)
	}
	e.mu.Lock()
	held := false // by the caller, once this returns without an error
	defer func() {
		if !held {
			e.mu.Unlock()
		}
	}()
	cl, err := e.activeCluster(req.Cluster)
	if err != nil {
		return nil, taskSpec{}, nil, err
	}
	lt, strategy, err := launchOf(req.LaunchType, req.CapacityProviderStrategy, &cl.info)
	if err != nil {
		return nil, taskSpec{}, nil, err
	}
	lt = e.managedLaunch(lt, strategy)
	if err := checkLaunch(td, lt, req.NetworkConfiguration); err != nil {
		return nil, taskSpec{}, nil, err
	}
	if err := checkPlatformVersion(lt, req.PlatformVersion); err != nil {
		return nil, taskSpec{}, nil, err
	}
	if err := checkOverrides(req.Overrides, td, lt); err != nil {
		return nil, taskSpec{}, nil, err
	}
	tags, err := e.runTaskTags(cl, td, req)
	if err != nil {
		return nil, taskSpec{}, nil, err
	}
	spec := taskSpec{
		td: td, group: req.Group, startedBy: req.StartedBy, launchType: lt,
		overrides: req.Overrides, network: req.NetworkConfiguration, demand: &demand, execute: req.EnableExecuteCommand,
		tags: tags,
	}
	if spec.group == "" {
		spec.group = "family:" + td.Family
	}
	held = true
	return cl, spec, strategy, nil
}

// runnable returns the task definition ref names, which must be ACTIVE
// to start new tasks.
func (e *ECS) runnable(ref string) (*ecs.TaskDefinition, error) {
	if ref == "" {
		return nil, clientError("taskDefinition is required.")
	}
	td, err := e.registry.Describe(ref)
	if err != nil {
		return nil, err
	}
	if td.Status != ecs.TaskDefinitionStatusActive {
		return nil, clientError("TaskDefinition is inactive")
	}
	return td, nil
}

// launchOf resolves where tasks run with capacity.Resolve: the launch
// type given, else the capacity provider strategy given, else the
// cluster's default strategy, else EC2. Both a launch type and a strategy
// are refused, as ECS refuses them (rule 130). A strategy of Fargate
// providers results in FARGATE, one of Auto Scaling group providers in EC2,
// with the strategy.
func launchOf(lt ecs.LaunchType, strategy []ecs.CapacityProviderStrategyItem, cl *ecs.Cluster) (ecs.LaunchType, []ecs.CapacityProviderStrategyItem, error) {
	l, err := capacity.Resolve(lt, strategy, cl)
	switch {
	case err != nil:
		return "", nil, err
	case len(l.Strategy) == 0:
		return l.LaunchType, nil, nil
	case l.Fargate():
		return ecs.LaunchTypeFargate, l.Strategy, nil
	}
	return ecs.LaunchTypeEC2, l.Strategy, nil
}

// fargateProviders returns the capacity provider of each of n Fargate
// tasks: none without a strategy, else as the strategy divides them.
func fargateProviders(strategy []ecs.CapacityProviderStrategyItem, n int) []string {
	out := make([]string, 0, n)
	for k, c := range providerShares(strategy, n) {
		for range c {
			if len(strategy) == 0 {
				out = append(out, "")
			} else {
				out = append(out, strategy[k].CapacityProvider)
			}
		}
	}
	return out
}

// checkLaunch checks that td can run with the launch type: it is one of
// the compatibilities the registry found it valid for, and an awsvpc task
// has a network configuration.
func checkLaunch(td *ecs.TaskDefinition, lt ecs.LaunchType, nc *ecs.NetworkConfiguration) error {
	if !slices.Contains(td.Compatibilities, ecs.Compatibility(lt)) {
		return invalidParameter("Task definition does not support launch_type %s.", lt)
	}
	if lt == ecs.LaunchTypeFargate && td.NetworkMode != ecs.NetworkModeAwsvpc {
		return invalidParameter("Fargate only supports network mode 'awsvpc'.")
	}
	if td.NetworkMode != ecs.NetworkModeAwsvpc {
		if nc != nil && nc.AwsvpcConfiguration != nil {
			return invalidParameter("Network Configuration is not valid for the given networkMode of this task definition.")
		}
		return nil
	}
	if nc == nil || nc.AwsvpcConfiguration == nil {
		return invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
	}
	return checkAwsvpc(nc.AwsvpcConfiguration, lt)
}

// The awsvpc configuration's limits (the API reference's
// AwsVpcConfiguration: up to 16 subnets and 5 security groups).
const (
	maxSubnets        = 16
	maxSecurityGroups = 5
)

// checkAwsvpc checks an awsvpc configuration as the API does: at least
// one subnet and at most 16, at most 5 security groups, and a public IP
// only on Fargate (AwsVpcConfiguration's assignPublicIp: "ENABLED" is for
// tasks on Fargate; EC2 tasks take none).
func checkAwsvpc(c *ecs.AwsVpcConfiguration, lt ecs.LaunchType) error {
	switch {
	case len(c.Subnets) == 0:
		return invalidParameter("subnets can not be empty.")
	case len(c.Subnets) > maxSubnets:
		return invalidParameter("subnets can have at most %d items.", maxSubnets)
	case len(c.SecurityGroups) > maxSecurityGroups:
		return invalidParameter("securityGroups can have at most %d items.", maxSecurityGroups)
	case c.AssignPublicIP == ecs.AssignPublicIpEnabled && lt != ecs.LaunchTypeFargate:
		return invalidParameter("Assign public IP is not supported for this launch type.")
	}
	return nil
}

// bindings returns the containers placement bound as the API's
// containers with their network bindings.
func bindings(cs []netmode.ContainerBindings) []ecs.Container {
	out := make([]ecs.Container, len(cs))
	for i, c := range cs {
		out[i] = ecs.Container{Name: c.Name, NetworkBindings: c.NetworkBindings}
	}
	return out
}

// StartTask starts one task of a task definition on each of the container
// instances the request names (IDs or ARNs, 1 to 10), where it fits. An
// instance that does not exist is a failure with reason MISSING, one that
// was deregistered INACTIVE, one that is DRAINING DRAINING, and one the
// task does not fit the reason placement gives (RESOURCE:MEMORY, ...).
// Its tasks never wait for capacity as RunTask's may (rule 156): StartTask
// takes no capacity provider strategy, and the instances it names are
// the only ones its tasks may run on, which no scale-out can enlarge.
func (e *ECS) StartTask(ctx context.Context, req *ecs.StartTaskRequest) (*ecs.StartTaskResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if len(req.ContainerInstances) == 0 || len(req.ContainerInstances) > maxStartTask {
		return nil, invalidParameter("containerInstances must have 1 to %d items.", maxStartTask)
	}
	// As a RunTask request of the EC2 launch type: the same checks, and
	// launchOf resolves EC2 on any cluster.
	cl, spec, _, err := e.beginTasks(&ecs.RunTaskRequest{
		Cluster: req.Cluster, TaskDefinition: req.TaskDefinition, LaunchType: ecs.LaunchTypeEC2,
		Group: req.Group, StartedBy: req.StartedBy, Overrides: req.Overrides,
		Tags: req.Tags, PropagateTags: req.PropagateTags,
		EnableExecuteCommand: req.EnableExecuteCommand, NetworkConfiguration: req.NetworkConfiguration,
		VolumeConfigurations: req.VolumeConfigurations,
	})
	if err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	td := spec.td
	resp := &ecs.StartTaskResponse{Tasks: []ecs.Task{}, Failures: []ecs.Failure{}}
	eng, err := e.engine(cl)
	if err != nil {
		return nil, fmt.Errorf("placement snapshot: %w", err)
	}
	for _, ref := range req.ContainerInstances {
		id, ok := e.arns.containerInstanceID(cl.info.ClusterName, ref)
		inst := cl.instances[id]
		switch {
		case !ok || inst == nil:
			resp.Failures = append(resp.Failures, e.instanceFailure(cl, ref, ok, "MISSING"))
			continue
		case inst.ci.Status != statusActive:
			resp.Failures = append(resp.Failures, e.instanceFailure(cl, ref, ok, inst.ci.Status))
			continue
		}
		arn := inst.ci.ContainerInstanceARN
		res, err := eng.Place(&placement.Request{
			TaskDefinition: td, Overrides: req.Overrides, Group: spec.group, LaunchType: instanceLaunchType(inst),
			Strategy:  []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeRandom}},
			Instances: []string{arn},
			Seed:      e.seed ^ e.ids.seq("placement"),
		})
		if err != nil {
			return nil, err
		}
		if len(res.Placements) == 0 {
			resp.Failures = append(resp.Failures, startFailure(res.Explanation, arn))
			continue
		}
		p := res.Placements[0]
		spec.inst, spec.az, spec.containers = inst, p.AvailabilityZone, bindings(p.Containers)
		spec.launchType = taskLaunchType(inst)
		tk := e.addTask(cl, spec)
		tk.placed(eng, p.Task)
		resp.Tasks = append(resp.Tasks, *cloneTask(&tk.t))
	}
	return resp, nil
}

// startFailure returns the failure an explanation gives the instance arn.
func startFailure(ex *placement.Explanation, arn string) ecs.Failure {
	if ex != nil {
		for _, f := range ex.Failures {
			if f.ARN == arn {
				return f
			}
		}
	}
	return ecs.Failure{ARN: arn, Reason: "AGENT"}
}
