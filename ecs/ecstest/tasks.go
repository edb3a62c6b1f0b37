package ecstest

import (
	"slices"
	"strconv"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// task is a task of a cluster, from RunTask, StartTask or a service's
// scheduler. It holds its container instance's resources (demand, and
// the GPUs its containers name) from its placement until it is STOPPED.
//
// A cluster keeps every task, STOPPED ones for an hour at least, so the
// struct is kept small: the ID is read from the ARN, and what few tasks
// have (a fault's reason, health a test set) sits behind one pointer.
type task struct {
	t      ecs.Task
	cl     *cluster
	td     *ecs.TaskDefinition
	inst   *instance      // nil on Fargate
	demand *ecs.Resources // what it takes from inst; tasks started alike share it
	svc    *service       // the service whose scheduler started it, or nil
	gen    uint32         // moves on at each scheduled transition, so stale timers do nothing
	// failHealth makes the task's health checks fail once it runs.
	failHealth bool
	// loaded marks a task of a describe-tasks output (LoadCluster), whose
	// task definition td is made up from it.
	loaded bool
	odd    *taskOdd // nil for most tasks
	// eng and engID are the cluster's placement engine that holds the
	// task and its ID there; a task whose eng is not the cluster's
	// current engine is held by none (the engine was built again, and
	// holds it under another ID, or it never held it).
	eng   *placement.Engine
	engID placement.TaskID
	// daemon is set on a managed daemon's task (daemons.go): the daemon
	// and the revision it runs; daemonStop once the daemon itself asked
	// it to stop (a deployment, a deletion, its instance drained), so
	// that its stop does not drain its instance.
	daemon     *daemon
	daemonRev  *daemonRevision
	daemonStop bool
}

// taskOdd is what few tasks have.
type taskOdd struct {
	// health holds the health of containers that a test set (SetHealth),
	// which the simulated health checks then leave alone.
	health map[string]ecs.HealthStatus
	// failStart, when set, is the reason the task fails to start.
	failStart string
}

// id returns the task's ID: the end of its ARN.
func (tk *task) id() string { return taskIDOf(tk.t.TaskARN) }

// failStart returns the reason the task fails to start, or "".
func (tk *task) failStart() string {
	if tk.odd == nil {
		return ""
	}
	return tk.odd.failStart
}

// setHealth returns the health a test set for container name, if it set one.
func (tk *task) setHealth(name string) (ecs.HealthStatus, bool) {
	if tk.odd == nil {
		return "", false
	}
	h, ok := tk.odd.health[name]
	return h, ok
}

// oddOf returns the task's taskOdd, making it the first time.
func (tk *task) oddOf() *taskOdd {
	if tk.odd == nil {
		tk.odd = &taskOdd{}
	}
	return tk.odd
}

// taskSpec is what a new task is made of.
type taskSpec struct {
	arn        string // "" for a new ID from the seed
	td         *ecs.TaskDefinition
	inst       *instance // nil on Fargate
	az         string
	group      string
	startedBy  string
	launchType ecs.LaunchType
	provider   string
	overrides  *ecs.TaskOverride
	network    *ecs.NetworkConfiguration // the awsvpc subnets of an awsvpc task
	containers []ecs.Container           // names and network bindings, from placement
	demand     *ecs.Resources            // never changed: the tasks of a spec share it
	tags       []ecs.Tag
	execute    bool
	svc        *service
	// placeStrategy and placeConstraints are a RunTask's, which a task
	// that waits for capacity is placed with later (provisioning.go).
	placeStrategy    []ecs.PlacementStrategy
	placeConstraints []ecs.PlacementConstraint
}

// stopped reports whether the task is STOPPED.
func (tk *task) stopped() bool { return tk.t.LastStatus == ecs.TaskStatusStopped }

// stopping reports whether the task has been asked to stop.
func (tk *task) stopping() bool { return tk.t.DesiredStatus == ecs.DesiredStatusStopped }

// addTask adds a task to cl in PROVISIONING, holding its instance's
// resources, and schedules its start. e.mu must be held.
func (e *ECS) addTask(cl *cluster, s taskSpec) *task {
	id := ""
	if s.arn != "" {
		id, _ = e.arns.taskID(cl.info.ClusterName, s.arn)
	}
	if id == "" {
		id = e.ids.next("task")
	}
	now := ecs.NewTime(e.clock.Now())
	arn := e.arns.task(cl.info.ClusterName, id)
	if arn == s.arn {
		arn = s.arn // one copy: the scheduler keeps its own
	}
	id = taskIDOf(arn) // the same, kept once: the ID is the end of the ARN
	tk := e.newTask()
	*tk = task{cl: cl, td: s.td, inst: s.inst, demand: s.demand, svc: s.svc}
	tk.t = ecs.Task{
		TaskARN:              arn,
		ClusterARN:           cl.info.ClusterARN,
		TaskDefinitionARN:    s.td.TaskDefinitionARN,
		AvailabilityZone:     s.az,
		CapacityProviderName: s.provider,
		Group:                s.group,
		StartedBy:            s.startedBy,
		LaunchType:           s.launchType,
		LastStatus:           ecs.TaskStatusProvisioning,
		DesiredStatus:        ecs.DesiredStatusRunning,
		HealthStatus:         ecs.HealthStatusUnknown,
		CreatedAt:            now,
		CPU:                  e.itoa(s.demand.CPU),
		Memory:               e.itoa(s.demand.MemoryMiB),
		Overrides:            e.taskOverrides(s.td, s.overrides),
		Attributes:           e.taskAttributes(s.td, s.inst),
		Tags:                 slices.Clone(s.tags),
		EnableExecuteCommand: s.execute,
		Version:              1,
	}
	if s.td.CPU != "" {
		tk.t.CPU = s.td.CPU
	}
	if s.td.Memory != "" {
		tk.t.Memory = s.td.Memory
	}
	if s.launchType == ecs.LaunchTypeFargate {
		tk.t.PlatformVersion, tk.t.PlatformFamily = "1.4.0", "Linux"
		size := fargateStorage(s.td)
		tk.t.EphemeralStorage = &ecs.EphemeralStorage{SizeInGiB: size}
		tk.t.FargateEphemeralStorage = &ecs.TaskEphemeralStorage{SizeInGiB: size}
	}
	var eni ecs.NetworkInterface
	if s.td.NetworkMode == ecs.NetworkModeAwsvpc {
		att, ip := e.eniOf(s.network, s.az)
		tk.t.Attachments = []ecs.Attachment{att}
		eni = ecs.NetworkInterface{AttachmentID: att.ID, PrivateIpv4Address: ip}
	}
	var gpus []string
	if s.inst != nil {
		tk.t.ContainerInstanceARN = s.inst.ci.ContainerInstanceARN
		gpus = s.inst.takeGPUs(s.demand.GPUs)
		s.inst.tasks[id] = tk
	}
	tk.t.Containers = e.containers(tk, s.containers, gpus)
	if eni.AttachmentID != "" {
		for i := range tk.t.Containers {
			tk.t.Containers[i].NetworkInterfaces = []ecs.NetworkInterface{eni}
		}
	}
	e.addServiceConnect(tk, eni) // serviceconnect_tasks.go
	cl.tasks[id] = tk
	cl.tds[s.td.TaskDefinitionARN] = s.td
	if tk.onFargate() {
		cl.countFargate(tk, 1)
	}
	e.applyFaults(tk)
	if s.inst == nil && s.provider == capacity.FargateSpot {
		e.spotTaskStarted(tk) // spot.go
	}
	if tk.waitsForCapacity() {
		e.enqueueWaiting(cl, tk, s)
	} else {
		e.after(tk, e.timing.Provisioning, e.toPending)
	}
	e.changed(cl, tk.svc, false)
	return tk
}

// slabs hands out tasks and containers from arrays of several, so that
// each takes its own size and no more (a task alone would take the
// allocator's next size up). An array lives while any of its tasks does,
// and a cluster keeps its tasks, STOPPED ones too, for an hour at least:
// a few dozen at most outlive their time.
type slabs struct {
	tasks      []task
	containers []ecs.Container
}

// slabTasks and slabContainers are how many an array holds.
const (
	slabTasks      = 32
	slabContainers = 64
)

// newTask returns a zero task. e.mu must be held.
func (e *ECS) newTask() *task {
	if len(e.slabs.tasks) == 0 {
		e.slabs.tasks = make([]task, slabTasks)
	}
	tk := &e.slabs.tasks[0]
	e.slabs.tasks = e.slabs.tasks[1:]
	return tk
}

// newContainers returns n zero containers, with no room to append. e.mu
// must be held.
func (e *ECS) newContainers(n int) []ecs.Container {
	if n > slabContainers/4 {
		return make([]ecs.Container, n)
	}
	if len(e.slabs.containers) < n {
		e.slabs.containers = make([]ecs.Container, slabContainers)
	}
	out := e.slabs.containers[:n:n]
	e.slabs.containers = e.slabs.containers[n:]
	return out
}

// overridesOf returns a copy of o, or the empty overrides ECS shows when
// none were given.
func overridesOf(o *ecs.TaskOverride) *ecs.TaskOverride {
	if o == nil {
		return &ecs.TaskOverride{ContainerOverrides: []ecs.ContainerOverride{}}
	}
	return deepCopy(o)
}

// containers returns the task's containers as describe-tasks shows them,
// with the network bindings placement gave them and, of gpus, the GPUs
// they hold.
func (e *ECS) containers(tk *task, placed []ecs.Container, gpus []string) []ecs.Container {
	out := e.newContainers(len(tk.td.ContainerDefinitions))
	for i := range tk.td.ContainerDefinitions {
		cd := &tk.td.ContainerDefinitions[i]
		c := ecs.Container{
			ContainerARN: e.arns.container(tk.cl.info.ClusterName, e.ids.next("container")),
			TaskARN:      tk.t.TaskARN,
			Name:         cd.Name,
			Image:        cd.Image,
			LastStatus:   ecs.TaskStatusPending,
			HealthStatus: ecs.HealthStatusUnknown,
		}
		c.CPU = e.itoa(cd.CPU) // "0" when the definition sets none, as ECS writes it
		if cd.Memory != nil {
			c.Memory = e.itoa(*cd.Memory)
		}
		if cd.MemoryReservation != nil {
			c.MemoryReservation = e.itoa(*cd.MemoryReservation)
		}
		for _, p := range placed {
			if p.Name == cd.Name {
				c.NetworkBindings = ownBindings(p.NetworkBindings)
			}
		}
		for _, r := range cd.ResourceRequirements {
			if n, err := strconv.Atoi(r.Value); err == nil && r.Type == ecs.ResourceTypeGPU {
				n = min(n, len(gpus))
				c.GPUIDs, gpus = slices.Clone(gpus[:n]), gpus[n:]
			}
		}
		out[i] = c
	}
	return out
}

// after schedules the task's next transition, replacing any scheduled
// before. A transition at once that a step of the task's service set
// going is of the step's doing as well (service.quiet). e.mu must be
// held.
func (e *ECS) after(tk *task, d time.Duration, next func(*task)) {
	if tk.cl.dead {
		return
	}
	tk.gen++
	gen := tk.gen
	quiet := d <= 0 && tk.svc != nil && tk.svc.quiet
	e.clock.AfterFunc(max(d, 0), func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if tk.gen != gen {
			return
		}
		if quiet {
			tk.svc.quiet = true
			defer func() { tk.svc.quiet = false }()
		}
		next(tk)
	})
}

// touch records a change of the task: its version moves on and its
// service's scheduler will look at it.
func (e *ECS) touch(tk *task) {
	tk.t.Version++
	e.changed(tk.cl, tk.svc, false)
}

// toPending ends PROVISIONING: the task's ENI is attached and the agent
// has the task, which it reports from now on (connectivity CONNECTED,
// kept to the end).
func (e *ECS) toPending(tk *task) {
	tk.t.LastStatus = ecs.TaskStatusPending
	tk.t.Connectivity, tk.t.ConnectivityAt = ecs.ConnectivityConnected, ecs.NewTime(e.clock.Now())
	tk.setENIStatus(eniAttached)
	tk.t.PullStartedAt = ecs.NewTime(e.clock.Now())
	e.touch(tk)
	e.after(tk, e.timing.Pending, e.pulled)
}

// pulled ends PENDING: the images are pulled and the task activates, or
// it fails to start as a fault says.
func (e *ECS) pulled(tk *task) {
	tk.t.PullStoppedAt = ecs.NewTime(e.clock.Now())
	if reason := tk.failStart(); reason != "" {
		for i := range tk.t.Containers {
			tk.t.Containers[i].Reason = reason
		}
		e.stopTask(tk, ecs.TaskStopCodeTaskFailedToStart, reason)
		return
	}
	tk.t.LastStatus = ecs.TaskStatusActivating
	e.touch(tk)
	e.after(tk, e.timing.Activating, e.toRunning)
}

func (e *ECS) toRunning(tk *task) {
	if e.waitForDaemons(tk) {
		return // its instance's daemon tasks run first (daemons.go)
	}
	now := e.clock.Now()
	tk.t.LastStatus = ecs.TaskStatusRunning
	tk.t.StartedAt = ecs.NewTime(now)
	for i := range tk.t.Containers {
		c := &tk.t.Containers[i]
		c.LastStatus = ecs.TaskStatusRunning
		if c.RuntimeID == "" { // one its agent reported stands
			c.RuntimeID = e.ids.next("runtime") + e.ids.next("runtime")
		}
	}
	e.startManagedAgents(tk)
	e.scheduleHealthChecks(tk)
	e.touch(tk)
	if tk.daemon != nil {
		e.daemonTaskRunning(tk)
	}
}

// stopTask asks the task to stop with the stop code and reason given,
// unless it is already stopping. A task that has not reached RUNNING
// goes straight to DEPROVISIONING; a RUNNING one first leaves its load
// balancers and stops its containers. e.mu must be held.
func (e *ECS) stopTask(tk *task, code ecs.TaskStopCode, reason string) {
	if tk.stopping() || tk.stopped() {
		return
	}
	tk.t.DesiredStatus = ecs.DesiredStatusStopped
	e.spotTaskReleased(tk) // spot.go: a task stopping is interrupted no more
	tk.cl.holdInEngine(tk)
	tk.t.StopCode = code
	tk.t.StoppedReason = reason
	tk.t.StoppingAt = ecs.NewTime(e.clock.Now())
	if tk.t.LastStatus != ecs.TaskStatusRunning {
		e.exitContainers(tk, nil)
		tk.t.LastStatus = ecs.TaskStatusDeprovisioning
		tk.setENIStatus(eniDetaching)
		e.touch(tk)
		e.after(tk, e.timing.Deprovisioning, e.toStopped)
		return
	}
	tk.t.LastStatus = ecs.TaskStatusDeactivating
	e.touch(tk)
	e.after(tk, e.deregister(tk), e.toStopping)
}

func (e *ECS) toStopping(tk *task) {
	tk.t.LastStatus = ecs.TaskStatusStopping
	e.touch(tk)
	e.after(tk, e.stoppingTime(tk), e.exited)
}

// exited ends STOPPING: the containers have exited.
func (e *ECS) exited(tk *task) {
	zero := 0
	e.exitContainers(tk, &zero)
	tk.t.ExecutionStoppedAt = ecs.NewTime(e.clock.Now())
	tk.t.LastStatus = ecs.TaskStatusDeprovisioning
	tk.setENIStatus(eniDetaching)
	e.touch(tk)
	e.after(tk, e.timing.Deprovisioning, e.toStopped)
}

// exitContainers marks the containers still up STOPPED, with the exit
// code given (none for containers that never ran).
func (e *ECS) exitContainers(tk *task, code *int) {
	for i := range tk.t.Containers {
		c := &tk.t.Containers[i]
		if c.LastStatus == ecs.TaskStatusStopped {
			continue
		}
		if c.LastStatus == ecs.TaskStatusRunning && code != nil {
			c.ExitCode = ptrTo(*code)
		}
		c.LastStatus = ecs.TaskStatusStopped
		stopManagedAgents(c)
	}
}

// toStopped ends the task: it releases its instance's resources.
func (e *ECS) toStopped(tk *task) {
	now := ecs.NewTime(e.clock.Now())
	tk.t.LastStatus = ecs.TaskStatusStopped
	tk.t.StoppedAt = now
	if tk.t.ExecutionStoppedAt.IsZero() {
		tk.t.ExecutionStoppedAt = now
	}
	tk.setENIStatus(eniDeleted)
	e.forgetTargets(tk)
	if tk.inst != nil {
		delete(tk.inst.tasks, tk.id())
		tk.cl.stopInEngine(tk)
	} else if tk.onFargate() {
		tk.cl.countFargate(tk, -1)
	}
	e.touch(tk)
	e.released(tk.cl)
	e.daemonTaskStopped(tk)
}

func ptrTo[T any](v T) *T { return &v }

// gpuIDs returns the IDs of the GPUs the task holds: those its containers
// name, each once, in order.
func (tk *task) gpuIDs() []string {
	var out []string
	for _, c := range tk.t.Containers {
		for _, g := range c.GPUIDs {
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// ownBindings returns a copy of bs whose ports are the copy's own: the
// placement engine's bindings point into its allocation, which a task
// that keeps them (STOPPED ones too, for describe-tasks) would keep
// alive.
func ownBindings(bs []ecs.NetworkBinding) []ecs.NetworkBinding {
	if bs == nil {
		return nil
	}
	out := slices.Clone(bs)
	ports := make([]int, 0, 2*len(bs))
	own := func(p *int) *int {
		if p == nil {
			return nil
		}
		ports = append(ports, *p)
		return &ports[len(ports)-1]
	}
	for i := range out {
		out[i].ContainerPort, out[i].HostPort = own(bs[i].ContainerPort), own(bs[i].HostPort)
	}
	return out
}
