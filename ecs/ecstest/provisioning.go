package ecstest

import (
	"slices"
	"strconv"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// ProvisioningTimeout is how long a task waits in PROVISIONING for its
// Auto Scaling group capacity provider to give it an instance before ECS
// stops it (rule 156): the AWS blog "Deep dive on Amazon ECS cluster auto
// scaling" says such tasks wait "between 10 and 30 minutes" before they
// stop; the simulation takes the upper bound, which ECS's public roadmap
// (aws/containers-roadmap#2381) gives as the wait.
const ProvisioningTimeout = 30 * time.Minute

// provisioningStopReason is the stoppedReason of a task that waited
// ProvisioningTimeout for capacity (stopCode TaskFailedToStart). ECS does
// not document the text; this one names what happened and the provider.
const provisioningStopReason = "Task failed to start: timed out waiting for capacity from capacity provider "

// waitingTask is a task that waits in PROVISIONING for capacity: a task
// of an Auto Scaling group capacity provider with managed scaling on that
// fit no container instance when it was created (rule 156). It keeps
// what placing it later needs; the task itself holds no instance.
type waitingTask struct {
	tk          *task
	overrides   *ecs.TaskOverride
	strategy    []ecs.PlacementStrategy
	constraints []ecs.PlacementConstraint
}

// waits reports whether a task that fits no instance of cl through the
// capacity provider may wait for capacity in PROVISIONING: the provider
// is an Auto Scaling group provider of cl with managed scaling ENABLED
// (rule 156). e.mu must be held.
func (e *ECS) waits(cl *cluster, provider string) bool {
	if provider == "" || capacity.IsFargate(provider) {
		return false
	}
	p := e.providers[provider]
	if p != nil && p.mi != nil { // ECS launches the instances a Managed Instances provider's tasks need (rule 172)
		return p.cluster == cl
	}
	if p == nil || p.cluster != cl || p.group == nil {
		return false
	}
	ms := p.info.AutoScalingGroupProvider.ManagedScaling
	return ms != nil && capacity.ScalingDefaults(*ms).Enabled
}

// strategyWaits reports whether some provider of the strategy lets tasks
// wait for capacity (waits). e.mu must be held.
func (e *ECS) strategyWaits(cl *cluster, strategy []ecs.CapacityProviderStrategyItem) bool {
	return slices.ContainsFunc(strategy, func(it ecs.CapacityProviderStrategyItem) bool {
		return e.waits(cl, it.CapacityProvider)
	})
}

// provisioningRoom returns how many more tasks of cl may wait in
// PROVISIONING under the quota (Quotas.ProvisioningTasksPerCluster, rule
// 157). It drops from the cluster's queue the tasks that no longer wait.
// e.mu must be held.
func (e *ECS) provisioningRoom(cl *cluster) int {
	cl.waiting = slices.DeleteFunc(cl.waiting, func(w *waitingTask) bool { return !w.tk.waitsForCapacity() })
	return max(0, e.quotas.ProvisioningTasksPerCluster-len(cl.waiting))
}

// checkProvisioningQuota refuses a RunTask of n tasks that could wait for
// capacity when they could take the cluster past its quota of tasks in
// PROVISIONING, with the ClientException the RunTask API reference names
// (rule 157). It refuses before placing, so that nothing changes: a
// request that could go past the quota is refused even if some of its
// tasks would find room. e.mu must be held.
func (e *ECS) checkProvisioningQuota(cl *cluster, strategy []ecs.CapacityProviderStrategyItem, n int) error {
	if !e.strategyWaits(cl, strategy) || e.provisioningRoom(cl) >= n {
		return nil
	}
	return clientError("The quota of %d tasks in the PROVISIONING state per cluster is reached for cluster %s: managed scaling cannot take more tasks waiting for capacity.",
		e.quotas.ProvisioningTasksPerCluster, cl.info.ClusterName)
}

// waitsForCapacity reports whether the task waits in PROVISIONING for an
// instance: an EC2 (or Managed Instances) task with no instance that has
// not been asked to stop.
func (tk *task) waitsForCapacity() bool {
	return tk.inst == nil && onInstances(tk.t.LaunchType) && !tk.stopping() && !tk.stopped()
}

// onFargate reports whether the task runs on Fargate: it has no instance
// and is not an EC2 (or Managed Instances) task waiting (or having
// waited) for one.
func (tk *task) onFargate() bool {
	return tk.inst == nil && !onInstances(tk.t.LaunchType)
}

// onInstances reports whether tasks of the launch type run on container
// instances ECS places them on: EC2 and MANAGED_INSTANCES.
func onInstances(lt ecs.LaunchType) bool {
	return lt == ecs.LaunchTypeEC2 || lt == ecs.LaunchTypeManagedInstances
}

// enqueueWaiting makes tk, just created without an instance, wait for
// capacity: it joins the cluster's queue, in creation order, and stops
// after ProvisioningTimeout unless placed first. e.mu must be held.
func (e *ECS) enqueueWaiting(cl *cluster, tk *task, s taskSpec) {
	cl.waiting = append(cl.waiting, &waitingTask{tk: tk, overrides: s.overrides, strategy: s.placeStrategy, constraints: s.placeConstraints})
	e.after(tk, ProvisioningTimeout, func(tk *task) {
		e.stopTask(tk, ecs.TaskStopCodeTaskFailedToStart, provisioningStopReason+tk.t.CapacityProviderName+".")
	})
}

// kickWaiting schedules a placement of the cluster's waiting tasks at the
// end of this instant (after the daemons of an instance that just
// registered have started), once however many changes ask for it. e.mu
// must be held.
func (e *ECS) kickWaiting(cl *cluster) {
	if len(cl.waiting) == 0 || cl.waitKick || cl.dead {
		return
	}
	cl.waitKick = true
	e.clock.AfterFunc(0, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		cl.waitKick = false
		e.placeWaiting(cl)
	})
}

// placeWaiting places the cluster's waiting tasks that now fit, in the
// order they were created: each goes PROVISIONING → PENDING as any placed
// task does. One that does not fit yet keeps its place in the queue;
// those after it may still fit (their needs may differ). e.mu must be
// held.
func (e *ECS) placeWaiting(cl *cluster) {
	if e.provisioningRoom(cl) == e.quotas.ProvisioningTasksPerCluster || cl.info.Status != statusActive {
		return // none waits
	}
	eng, err := e.engine(cl)
	if err != nil {
		e.logger.Error("ecstest: placement snapshot for waiting tasks failed", "cluster", cl.info.ClusterName, "error", err)
		return
	}
	kept := cl.waiting[:0]
	for _, w := range cl.waiting {
		if !w.tk.waitsForCapacity() {
			continue
		}
		if !e.placeOne(cl, eng, w) {
			kept = append(kept, w)
		}
	}
	clear(cl.waiting[len(kept):])
	cl.waiting = kept
}

// placeOne places the waiting task w with the engine, through its capacity
// provider, with its service's or its RunTask's strategy and constraints,
// and reports whether it found an instance. e.mu must be held.
func (e *ECS) placeOne(cl *cluster, eng *placement.Engine, w *waitingTask) bool {
	tk := w.tk
	req := &placement.Request{
		TaskDefinition: tk.td, Overrides: w.overrides, Count: 1, Group: tk.t.Group,
		LaunchType: ecs.LaunchTypeEC2, CapacityProvider: tk.t.CapacityProviderName,
		Strategy: w.strategy, Constraints: w.constraints,
		Seed: e.seed ^ e.ids.seq("placement"), TaskARNs: []string{tk.t.TaskARN},
	}
	if tk.svc != nil {
		svc := tk.svc.info()
		req.Service, req.Group = tk.svc.name, ""
		req.Strategy, req.Constraints = svc.PlacementStrategy, svc.PlacementConstraints
	}
	res, err := eng.Place(req)
	if err != nil || len(res.Placements) == 0 {
		return false
	}
	p := res.Placements[0]
	id, _ := e.arns.containerInstanceID(cl.info.ClusterName, p.ContainerInstanceARN)
	inst := cl.instances[id]
	if inst == nil {
		cl.invalidate() // the engine disagrees with the cluster
		return false
	}
	e.bindWaiting(tk, inst, p)
	tk.placed(eng, p.Task)
	return true
}

// bindWaiting gives a waiting task the instance placement found: its
// ARN, zone, GPUs, host ports and attributes, and starts it on its way to
// PENDING. e.mu must be held.
func (e *ECS) bindWaiting(tk *task, inst *instance, p placement.Placement) {
	tk.inst = inst
	tk.t.ContainerInstanceARN = inst.ci.ContainerInstanceARN
	tk.t.AvailabilityZone = p.AvailabilityZone
	tk.t.LaunchType = taskLaunchType(inst)
	tk.t.Attributes = e.taskAttributes(tk.td, inst)
	gpus := inst.takeGPUs(tk.demand.GPUs)
	for i := range tk.t.Containers {
		c := &tk.t.Containers[i]
		for _, b := range p.Containers {
			if b.Name == c.Name {
				c.NetworkBindings = ownBindings(b.NetworkBindings)
			}
		}
		if n := containerGPUs(&tk.td.ContainerDefinitions[i]); n > 0 {
			n = min(n, len(gpus))
			c.GPUIDs, gpus = slices.Clone(gpus[:n]), gpus[n:]
		}
	}
	inst.tasks[tk.id()] = tk
	e.touch(tk)
	e.after(tk, e.timing.Provisioning, e.toPending)
}

// containerGPUs returns the GPUs a container definition asks for.
func containerGPUs(cd *ecs.ContainerDefinition) int {
	n := 0
	for _, r := range cd.ResourceRequirements {
		if r.Type == ecs.ResourceTypeGPU {
			n, _ = strconv.Atoi(r.Value)
		}
	}
	return n
}

// waitingDemands returns what each task waiting for the provider's
// capacity needs, in creation order: what managed scaling groups by
// identical requirements (capacity.EstimateNeeds, rule 139). e.mu must be
// held.
func (e *ECS) waitingDemands(cl *cluster, provider string) []ecs.Resources {
	var out []ecs.Resources
	for _, w := range cl.waiting {
		if w.tk.waitsForCapacity() && w.tk.t.CapacityProviderName == provider {
			out = append(out, *w.tk.demand)
		}
	}
	return out
}

// provision makes the tasks of r that res left unplaced wait for capacity
// where their capacity provider lets them (rule 156): each becomes a
// placement without an instance, through its provider, which StartTask
// turns into a task waiting in PROVISIONING, as many as the cluster's
// quota has room for (rule 157). The tasks go to the providers as the
// Placer divided them (capacity.Split over the service's live tasks, the
// first share's tasks first). Pinned tasks (a daemon's) and tasks bound
// for one zone (rebalancing) do not wait. The placements come back in
// request order; the event stays only if some task is still unplaced.
func (p *servicePlacer) provision(r deploy.PlaceRequest, res deploy.PlaceResult) deploy.PlaceResult {
	cl := p.svc.cl
	if len(r.CapacityProviderStrategy) == 0 || len(r.Instances) > 0 || r.AvailabilityZone != "" ||
		!p.e.strategyWaits(cl, r.CapacityProviderStrategy) {
		return res
	}
	counts, err := capacity.Split(r.CapacityProviderStrategy, p.liveByProvider(r), len(r.TaskARNs))
	if err != nil {
		return res
	}
	placed := make(map[string]deploy.PlacedTask, len(res.Placed))
	for _, pt := range res.Placed {
		placed[pt.TaskARN] = pt
	}
	room := p.e.provisioningRoom(cl) - p.waitsMade
	out := deploy.PlaceResult{Placed: make([]deploy.PlacedTask, 0, len(r.TaskARNs))}
	k := 0
	for i, n := range counts {
		provider := r.CapacityProviderStrategy[i].CapacityProvider
		waits := p.e.waits(cl, provider)
		for _, arn := range r.TaskARNs[k : k+n] {
			switch pt, ok := placed[arn]; {
			case ok:
				out.Placed = append(out.Placed, pt)
			case waits && room > 0:
				out.Placed = append(out.Placed, deploy.PlacedTask{TaskARN: arn, CapacityProvider: provider})
				room--
				p.waitsMade++
			}
		}
		k += n
	}
	if len(out.Placed) < len(r.TaskARNs) {
		out.Event = res.Event
	}
	return out
}

// liveByProvider counts the service's live tasks on each provider of r's
// strategy, as the deploy package's Placer counts them to divide new
// tasks: those of the service's group neither asked to stop nor on their
// way out.
func (p *servicePlacer) liveByProvider(r deploy.PlaceRequest) []int {
	counts := make([]int, len(r.CapacityProviderStrategy))
	for i := range p.obs.Tasks {
		t := &p.obs.Tasks[i]
		switch {
		case t.Group != ecs.ServiceGroup(r.Service), t.DesiredStatus == ecs.DesiredStatusStopped, t.LastStatus.Terminal(),
			t.LastStatus == ecs.TaskStatusDeactivating, t.LastStatus == ecs.TaskStatusStopping, t.LastStatus == ecs.TaskStatusDeprovisioning:
			continue
		}
		for k, it := range r.CapacityProviderStrategy {
			if it.CapacityProvider == t.CapacityProviderName {
				counts[k]++
			}
		}
	}
	return counts
}
