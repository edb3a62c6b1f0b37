package ecstest

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// ExitContainer makes a RUNNING container of the task ref names exit with
// the code given, as if its process ended. When the container is
// essential the task stops, with stop code EssentialContainerExited (its
// other containers get SIGTERM); a service's scheduler then replaces it.
// A container that is not essential just stops.
func (e *ECS) ExitContainer(ctx context.Context, cluster, ref, container string, exitCode int) error {
	if err := e.usable(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tk, err := e.findTask(cluster, ref)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(tk.t.Containers, func(c ecs.Container) bool { return c.Name == container })
	if i < 0 {
		return invalidParameter("Task %s has no container named %q.", tk.id(), container)
	}
	c := &tk.t.Containers[i]
	if c.LastStatus != ecs.TaskStatusRunning {
		return invalidParameter("Container %s of task %s is %s, not RUNNING.", container, tk.id(), c.LastStatus)
	}
	e.containerExited(tk, i, ptrTo(exitCode), "")
	return nil
}

// containerExited marks the task's container i STOPPED with the exit code
// given (nil when unknown) and reason (ECS's when ""); when the container
// is essential the task stops, with stop code EssentialContainerExited.
// e.mu must be held.
func (e *ECS) containerExited(tk *task, i int, exitCode *int, reason string) {
	c := &tk.t.Containers[i]
	c.LastStatus, c.ExitCode = ecs.TaskStatusStopped, exitCode
	stopManagedAgents(c)
	if reason != "" {
		c.Reason = reason
	}
	// The Service Connect proxy, after the definitions' containers, has no
	// definition to make it essential (serviceconnect_tasks.go).
	if i >= len(tk.td.ContainerDefinitions) || !essential(&tk.td.ContainerDefinitions[i]) || tk.stopping() {
		e.touch(tk)
		return
	}
	if reason == "" && exitCode != nil {
		c.Reason = fmt.Sprintf("Essential container exited with code %d", *exitCode)
	}
	e.stopTask(tk, ecs.TaskStopCodeEssentialContainerExited, "Essential container in task exited")
}

// DisconnectAgent makes the ECS agent of a container instance lose its
// connection: the instance stays registered with agentConnected false,
// and placement turns it away (AGENT) until ReconnectAgent. Its tasks
// keep running; ECS does not replace them.
func (e *ECS) DisconnectAgent(ctx context.Context, cluster, ref string) error {
	if err := e.usable(); err != nil {
		return err
	}
	return e.setAgent(cluster, ref, false)
}

// ReconnectAgent reconnects the agent of a container instance that
// DisconnectAgent disconnected.
func (e *ECS) ReconnectAgent(ctx context.Context, cluster, ref string) error {
	if err := e.usable(); err != nil {
		return err
	}
	return e.setAgent(cluster, ref, true)
}

func (e *ECS) setAgent(cluster, ref string, connected bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, inst, err := e.clusterInstance(cluster, ref)
	if err != nil {
		return err
	}
	if inst.ci.AgentConnected != connected {
		inst.ci.AgentConnected = connected
		inst.ci.Version++
		e.changed(cl, nil, true)
	}
	return nil
}

// TerminateInstance terminates the EC2 instance of a container instance,
// as an instance that fails or is terminated out of band: its tasks stop
// at once, with stop code TerminationNotice and the reason ECS gives, and
// ECS deregisters it (INACTIVE). Services replace their tasks elsewhere.
func (e *ECS) TerminateInstance(ctx context.Context, cluster, ref string) error {
	if err := e.usable(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, inst, err := e.clusterInstance(cluster, ref)
	if err != nil {
		return err
	}
	e.terminateLocked(inst)
	return nil
}

// InterruptSpotInstance delivers the two-minute EC2 Spot interruption
// warning to a container instance as the Spot model's interruptions do
// (rules 175, 176): with Spot instance draining (SpotModel's
// InstanceDraining, the agent's ECS_ENABLE_SPOT_INSTANCE_DRAINING, off by
// default) or on a Managed Instances instance, the instance is DRAINING
// at once, so services move their tasks off it within their deployment
// configuration; without it, its tasks run on. When the two minutes are
// up the instance is terminated (TerminateInstance). It counts in
// SpotStats as an interruption.
func (e *ECS) InterruptSpotInstance(ctx context.Context, cluster, ref string) error {
	if err := e.usable(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, inst, err := e.clusterInstance(cluster, ref)
	if err != nil {
		return err
	}
	e.interruptLocked(inst, e.spot.model.InstanceDraining || inst.managed)
	return nil
}

// terminateLocked stops the instance's tasks at once and deregisters it.
// e.mu must be held.
func (e *ECS) terminateLocked(inst *instance) {
	reason := fmt.Sprintf("Host EC2 (instance %s) terminated.", inst.ci.EC2InstanceID)
	for _, id := range slices.Sorted(maps.Keys(inst.tasks)) {
		e.killTask(inst.tasks[id], ecs.TaskStopCodeTerminationNotice, reason)
	}
	e.deregisterLocked(inst)
}

// killTask stops a task at once, its host gone: it is STOPPED without
// going through the stopping stages. e.mu must be held.
func (e *ECS) killTask(tk *task, code ecs.TaskStopCode, reason string) {
	if tk.stopped() {
		return
	}
	if !tk.stopping() {
		tk.t.DesiredStatus = ecs.DesiredStatusStopped
		tk.t.StopCode, tk.t.StoppedReason = code, reason
		tk.t.StoppingAt = ecs.NewTime(e.clock.Now())
	}
	e.exitContainers(tk, nil)
	tk.gen++ // its scheduled transition is void
	e.toStopped(tk)
}

// InterruptFargateSpot interrupts FARGATE_SPOT tasks of the cluster: those
// refs name (IDs or ARNs), or all of them when refs is empty. As
// capacity.SpotInterruption describes, each gets the two-minute warning
// and SIGTERM now, with stop code SpotInterruption and stoppedReason "Your
// Spot Task was interrupted.", and stops as its containers exit; a service
// starts replacements on FARGATE_SPOT. It returns the ARNs of the tasks
// interrupted.
func (e *ECS) InterruptFargateSpot(ctx context.Context, cluster string, refs ...string) ([]string, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	var tasks []*task
	if len(refs) == 0 {
		for _, id := range slices.Sorted(maps.Keys(cl.tasks)) {
			if tk := cl.tasks[id]; tk.t.CapacityProviderName == capacity.FargateSpot && !tk.stopping() {
				tasks = append(tasks, tk)
			}
		}
	}
	for _, ref := range refs {
		tk, err := e.findTask(cluster, ref)
		if err != nil {
			return nil, err
		}
		if tk.t.CapacityProviderName != capacity.FargateSpot {
			return nil, invalidParameter("Task %s does not run on FARGATE_SPOT.", tk.id())
		}
		tasks = append(tasks, tk)
	}
	arns := []string{}
	for _, tk := range tasks {
		si := capacity.SpotInterruption{TaskARN: tk.t.TaskARN, At: e.clock.Now()}
		e.stopTask(tk, si.StopCode(), capacity.SpotStoppedReason)
		arns = append(arns, tk.t.TaskARN)
	}
	return arns, nil
}

// LoseZone makes an Availability Zone fail: every container instance in
// it, in every cluster, is terminated (TerminateInstance), its Fargate
// tasks stop at once, and new Fargate tasks go to the other zones until
// RestoreZone. Services replace their tasks in the zones left.
func (e *ECS) LoseZone(ctx context.Context, az string) error {
	if err := e.usable(); err != nil {
		return err
	}
	if az == "" {
		return invalidParameter("An Availability Zone is required.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lostZones[az] = true
	for _, name := range slices.Sorted(maps.Keys(e.clusters)) {
		cl := e.clusters[name]
		for _, id := range slices.Sorted(maps.Keys(cl.instances)) {
			inst := cl.instances[id]
			if zone, _ := attrValue(inst.ci.Attributes, ecs.AttrAvailabilityZone); zone == az && inst.ci.Status != statusInactive {
				e.terminateLocked(inst)
			}
		}
		for _, id := range slices.Sorted(maps.Keys(cl.tasks)) {
			if tk := cl.tasks[id]; tk.inst == nil && tk.t.AvailabilityZone == az {
				e.killTask(tk, ecs.TaskStopCodeTerminationNotice, "Task stopped: Availability Zone "+az+" is impaired.")
			}
		}
	}
	return nil
}

// RestoreZone ends a LoseZone: new Fargate tasks may go to the zone
// again. Instances there must register anew.
func (e *ECS) RestoreZone(ctx context.Context, az string) {
	if e.usable() != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.lostZones, az)
	for _, name := range slices.Sorted(maps.Keys(e.clusters)) {
		e.changed(e.clusters[name], nil, true)
	}
}
