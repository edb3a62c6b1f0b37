package ecstest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
	"github.com/ecscore/ecscore/placement"
)

// instanceIDPattern matches the IDs ECS gives container instances: 32 hex
// digits, or a UUID in older ARNs.
var instanceIDPattern = regexp.MustCompile(`^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)

// taskIDPattern matches the IDs ECS gives tasks: 32 hex digits, or a UUID
// in older ARNs.
var taskIDPattern = instanceIDPattern

// LoadContainerInstances registers with the cluster ref names the container
// instances of a describe-container-instances output (see
// ecs.DecodeContainerInstances), as LoadCluster does with no task.
func (e *ECS) LoadContainerInstances(ctx context.Context, ref string, list []ecs.ContainerInstance) ([]ecs.ContainerInstance, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	out, _, err := e.LoadCluster(ctx, ref, list, nil)
	return out, err
}

// LoadCluster registers with the cluster ref names the container instances
// of a describe-container-instances output (see
// ecs.DecodeContainerInstances) and the tasks of a describe-tasks output
// (see ecs.DecodeTasks; tasks may be nil) that run on them, so that the
// cluster starts as busy as the outputs describe it. It returns the
// instances and the tasks as they are loaded.
//
// Each instance is loaded as it is there: it keeps its ID (its ARN is
// re-formed for this account, Region and cluster), EC2 instance ID,
// attributes, registered resources, version information, tags and status,
// ACTIVE or DRAINING. Deregistered (INACTIVE) instances are skipped.
//
// Its remainingResources are authoritative for CPU, MEMORY, GPU, PORTS
// and PORTS_UDP, as they are to placement.NewSnapshot: describe shows
// them as they were, and what they say is taken beyond what the loaded
// tasks take stays taken (by tasks the control plane does not know) for
// as long as the instance is registered. A resource they do not list is
// the registered amount less the loaded tasks. runningTasksCount and
// pendingTasksCount are counted from the loaded tasks.
//
// A task is loaded when it runs on one of the instances loaded (matched by
// container instance ID) and is not STOPPED or DELETED; others (on Fargate,
// or on instances not in the output) are skipped. It keeps its ID (its
// ARNs are re-formed as the instance's), group, startedBy, launch type,
// containers with their network bindings and GPUs, attachments, tags,
// times and health, and takes its task-level cpu and memory (else its
// containers') from the instance, with its static host ports and GPUs. Its
// task definition is not looked up: one is made up from the task (family
// and revision from its ARN, a container per container, every one
// essential, awsvpc when it has an ENI attachment, else bridge), which is
// what ListTasks' family, ExitContainer and the fault injections see, and
// placement reads its network bindings as placement.NewSnapshot does a
// task whose definition it does not know. A loaded task belongs to no
// service: it holds its resources and counts for its group (spread,
// distinctInstance, task:group) until it is stopped. It goes on with its
// lifecycle from its lastStatus on the virtual clock: a PROVISIONING,
// PENDING or ACTIVATING task desired RUNNING reaches RUNNING, and a task
// desired STOPPED stops.
//
// The whole is checked as the placement engine will read it before
// anything is loaded: either everything is loaded or, on an error, nothing.
func (e *ECS) LoadCluster(ctx context.Context, ref string, instances []ecs.ContainerInstance, tasks []ecs.Task) ([]ecs.ContainerInstance, []ecs.Task, error) {
	if err := e.usable(); err != nil {
		return nil, nil, err
	}
	type loadedInstance struct {
		src    *ecs.ContainerInstance
		reg    *registration
		id     string
		status string
		tasks  []*loadedTask
	}
	var todo []*loadedInstance
	ids := map[string]int{}
	byID := map[string]*loadedInstance{}  // by the ID of a well-formed ARN
	byARN := map[string]*loadedInstance{} // by ARN, for the others
	for i := range instances {
		ci := &instances[i]
		status := ci.Status
		switch status {
		case statusInactive:
			continue
		case "":
			status = statusActive
		case statusActive, statusDraining:
		default:
			return nil, nil, invalidParameter("containerInstances[%d]: status %q cannot be loaded: use ACTIVE or DRAINING.", i, status)
		}
		reg, err := e.prepare(Instance{
			EC2InstanceID:  ci.EC2InstanceID,
			Attributes:     ci.Attributes,
			TotalResources: ci.RegisteredResources,
			VersionInfo:    ci.VersionInfo,
			Tags:           ci.Tags,
		}, false)
		if err != nil {
			return nil, nil, fmt.Errorf("containerInstances[%d]: %w", i, err)
		}
		if _, err := ecs.ParseResources(ci.RemainingResources); err != nil {
			return nil, nil, invalidParameterWrap(err, "containerInstances[%d]: remainingResources: %v.", i, err)
		}
		id := lastPart(ci.ContainerInstanceARN)
		if !instanceIDPattern.MatchString(id) {
			id = ""
		}
		if j, dup := ids[id]; dup && id != "" {
			return nil, nil, invalidParameter("containerInstances[%d] has the ID of containerInstances[%d], %s.", i, j, id)
		}
		ids[id] = i
		l := &loadedInstance{src: ci, reg: reg, id: id, status: status}
		todo = append(todo, l)
		if id != "" {
			byID[id] = l
		} else if ci.ContainerInstanceARN != "" {
			byARN[ci.ContainerInstanceARN] = l
		}
	}
	taskIDs := map[string]int{}
	for j := range tasks {
		t := &tasks[j]
		if t.LastStatus.Terminal() {
			continue
		}
		l := byID[lastPart(t.ContainerInstanceARN)]
		if l == nil {
			l = byARN[t.ContainerInstanceARN]
		}
		if t.ContainerInstanceARN == "" || l == nil {
			continue
		}
		lt, err := readLoadedTask(t, l.reg.resources)
		if err != nil {
			return nil, nil, invalidParameterWrap(err, "tasks[%d] (%s): %v.", j, t.TaskARN, err)
		}
		if k, dup := taskIDs[lt.id]; dup && lt.id != "" {
			return nil, nil, invalidParameter("tasks[%d] has the ID of tasks[%d], %s.", j, k, lt.id)
		}
		taskIDs[lt.id] = j
		l.tasks = append(l.tasks, lt)
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(ref)
	if err != nil {
		return nil, nil, err
	}
	for _, l := range todo {
		if inst := cl.instances[l.id]; l.id != "" && inst != nil {
			return nil, nil, invalidParameter("Container instance %s is already registered in cluster %s.", l.id, cl.info.ClusterName)
		}
		for _, lt := range l.tasks {
			if lt.id != "" && cl.tasks[lt.id] != nil {
				return nil, nil, invalidParameter("Task %s is already in cluster %s.", lt.id, cl.info.ClusterName)
			}
		}
	}
	registered := 0
	for _, l := range todo {
		if l.status != statusInactive {
			registered++
		}
	}
	if err := e.checkInstanceQuota(cl, registered); err != nil {
		return nil, nil, err
	}
	var newInsts []*instance
	var newTasks []*task
	for _, l := range todo {
		inst := e.newInstance(cl, l.reg, l.id, l.status)
		for _, lt := range l.tasks {
			newTasks = append(newTasks, e.loadTask(cl, inst, lt))
		}
		if err := inst.holdRemaining(l.src.RemainingResources); err != nil {
			return nil, nil, invalidParameterWrap(err, "container instance %s: %v", l.src.ContainerInstanceARN, err)
		}
		newInsts = append(newInsts, inst)
	}
	if err := e.checkLoad(newInsts, newTasks); err != nil {
		return nil, nil, err
	}
	out := make([]ecs.ContainerInstance, 0, len(newInsts))
	for _, inst := range newInsts {
		cl.instances[instanceIDOf(inst)] = inst
	}
	outTasks := make([]ecs.Task, 0, len(newTasks))
	for _, tk := range newTasks {
		cl.tasks[tk.id()] = tk
		e.resume(tk)
		outTasks = append(outTasks, *cloneTask(&tk.t))
	}
	for _, inst := range newInsts {
		out = append(out, *inst.describe())
	}
	e.changed(cl, nil, true)
	return out, outTasks, nil
}

// lastPart returns what follows the last slash of an ARN.
func lastPart(arn string) string { return ecs.ResourceID(arn) }

// loadedTask is a task of a describe-tasks output read for loading.
type loadedTask struct {
	src    *ecs.Task
	id     string // "" for a new one from the seed
	demand ecs.Resources
	ports  [2][]int // every host port it binds, TCP and UDP, static or dynamic
	awsvpc bool
}

// readLoadedTask checks a task and reads what it takes from an instance
// that registers the resources given.
func readLoadedTask(t *ecs.Task, registered []ecs.Resource) (*loadedTask, error) {
	// Any status of the lifecycle short of STOPPED or DELETED loads, and
	// any desired status that ListTasks filters on.
	if s := t.LastStatus; s != "" && (!s.Known() || s.Terminal()) {
		return nil, fmt.Errorf("lastStatus %q cannot be loaded", t.LastStatus)
	}
	if s := ecs.DesiredStatus(t.DesiredStatus); s != "" && !s.Known() {
		return nil, fmt.Errorf("desiredStatus %q cannot be loaded", t.DesiredStatus)
	}
	lt := &loadedTask{src: t, id: lastPart(t.TaskARN)}
	if !taskIDPattern.MatchString(lt.id) {
		lt.id = ""
	}
	r, err := ecs.DescribedTaskResources(t)
	if err != nil {
		return nil, err
	}
	lt.awsvpc = r.ENIs > 0
	var registeredGPUs []string
	for _, res := range registered {
		if res.Name == ecs.ResourceGPU {
			registeredGPUs = res.StringSetValue
		}
	}
	for _, c := range t.Containers {
		for _, g := range c.GPUIDs {
			if !slices.Contains(registeredGPUs, g) {
				return nil, fmt.Errorf("container %s holds GPU %s, which its container instance does not register", c.Name, g)
			}
		}
	}
	// The task holds every host port it binds; it takes from the instance
	// the static ones, those outside the dynamic range.
	lt.ports = [2][]int{r.PortsTCP, r.PortsUDP}
	dyn := netmode.DefaultDynamicRange()
	static := func(p int) bool { return !dyn.Contains(p) }
	lt.demand = ecs.Resources{CPU: r.CPU, MemoryMiB: r.MemoryMiB, GPUs: r.GPUs,
		PortsTCP: filterPorts(r.PortsTCP, static), PortsUDP: filterPorts(r.PortsUDP, static)}
	return lt, nil
}

// filterPorts returns the ports keep keeps.
func filterPorts(ports []int, keep func(int) bool) []int {
	var out []int
	for _, p := range ports {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// loadTask makes the task lt describes on inst, holding its resources,
// without adding it to the cluster. e.mu must be held.
func (e *ECS) loadTask(cl *cluster, inst *instance, lt *loadedTask) *task {
	id := lt.id
	if id == "" {
		id = e.ids.next("task")
	}
	src := lt.src
	tk := &task{cl: cl, inst: inst, demand: &lt.demand, loaded: true,
		td: e.madeUpTaskDefinition(src, lt.awsvpc)}
	t := *cloneTask(src)
	t.TaskARN = e.arns.task(cl.info.ClusterName, id)
	t.ClusterARN = cl.info.ClusterARN
	t.ContainerInstanceARN = inst.ci.ContainerInstanceARN
	t.TaskDefinitionARN = tk.td.TaskDefinitionARN
	t.AvailabilityZone, _ = attrValue(inst.ci.Attributes, ecs.AttrAvailabilityZone)
	if t.LaunchType == "" || t.LaunchType == ecs.LaunchTypeFargate {
		t.LaunchType = taskLaunchType(inst)
	}
	if t.LastStatus == "" {
		t.LastStatus = ecs.TaskStatusRunning
	}
	switch {
	case t.DesiredStatus == ecs.DesiredStatusStopped:
	case t.LastStatus == ecs.TaskStatusDeactivating || t.LastStatus == ecs.TaskStatusStopping || t.LastStatus == ecs.TaskStatusDeprovisioning:
		t.DesiredStatus = ecs.DesiredStatusStopped // on its way out whatever it was desired
	default:
		t.DesiredStatus = ecs.DesiredStatusRunning
	}
	if t.HealthStatus == "" {
		t.HealthStatus = ecs.HealthStatusUnknown
	}
	if t.CPU == "" {
		t.CPU = strconv.Itoa(lt.demand.CPU)
	}
	if t.Memory == "" {
		t.Memory = strconv.Itoa(lt.demand.MemoryMiB)
	}
	t.Overrides = overridesOf(src.Overrides)
	if t.Version == 0 {
		t.Version = 1
	}
	for i := range t.Containers {
		c := &t.Containers[i]
		c.TaskARN = t.TaskARN
		c.ContainerARN = e.arns.container(cl.info.ClusterName, e.ids.next("container"))
		if c.LastStatus == "" {
			c.LastStatus = t.LastStatus
		}
	}
	tk.t = t
	inst.tasks[id] = tk
	return tk
}

// madeUpTaskDefinition returns the task definition of a loaded task: its
// family and revision are those of the task's taskDefinitionArn (its ARN
// re-formed for this account and Region), and it has a container per
// container of the task, all essential.
func (e *ECS) madeUpTaskDefinition(t *ecs.Task, awsvpc bool) *ecs.TaskDefinition {
	name := lastPart(t.TaskDefinitionARN)
	family, rev, _ := strings.Cut(name, ":")
	revision, _ := strconv.Atoi(rev)
	arn := t.TaskDefinitionARN
	if strings.HasPrefix(arn, "arn:") && strings.Contains(arn, ":task-definition/") && family != "" && revision > 0 {
		arn = ecs.TaskDefinitionARN(e.arns.region, e.arns.account, family, revision).String()
	}
	td := ecs.TaskDefinitionFromTask(t, netmode.DefaultDynamicRange().Contains)
	td.TaskDefinitionARN, td.Family, td.Revision = arn, family, revision
	td.Status, td.Compatibilities = ecs.TaskDefinitionStatusActive, []ecs.Compatibility{ecs.CompatibilityEC2}
	if awsvpc {
		td.NetworkMode = ecs.NetworkModeAwsvpc
	}
	return td
}

// holdRemaining sets what the instance holds beyond its tasks so that
// what remains of each resource remainingResources lists is what it says:
// CPU and memory registered less remaining less the tasks', the GPUs
// registered that are neither remaining nor the tasks', and the host
// ports remaining that are neither registered nor bound by a task.
func (inst *instance) holdRemaining(remaining []ecs.Resource) error {
	rem, err := ecs.ParseResources(remaining)
	if err != nil {
		return fmt.Errorf("remainingResources: %v", err)
	}
	reg, err := ecs.ParseResources(inst.ci.RegisteredResources)
	if err != nil {
		return fmt.Errorf("registeredResources: %v", err)
	}
	var tasks ecs.Resources
	taskGPUs := map[string]bool{}
	var bound [2][]int
	for _, tk := range inst.tasks {
		tasks.CPU += tk.demand.CPU
		tasks.MemoryMiB += tk.demand.MemoryMiB
		for _, g := range tk.gpuIDs() {
			taskGPUs[g] = true
		}
		for _, p := range tk.t.Containers {
			for _, b := range p.NetworkBindings {
				if b.HostPort != nil {
					k := 0
					if b.Protocol == ecs.TransportProtocolUDP {
						k = 1
					}
					bound[k] = append(bound[k], *b.HostPort)
				}
			}
		}
	}
	listed := map[string]bool{}
	for _, r := range remaining {
		listed[r.Name] = true
	}
	var h heldResources
	if listed[ecs.ResourceCPU] {
		h.cpu = reg.CPU - rem.CPU - tasks.CPU
	}
	if listed[ecs.ResourceMemory] {
		h.mem = reg.MemoryMiB - rem.MemoryMiB - tasks.MemoryMiB
	}
	if listed[ecs.ResourceGPU] {
		left := map[string]bool{}
		for _, g := range stringSet(remaining, ecs.ResourceGPU) {
			left[g] = true
		}
		for _, g := range stringSet(inst.ci.RegisteredResources, ecs.ResourceGPU) {
			if !left[g] && !taskGPUs[g] {
				h.gpus = append(h.gpus, g)
			}
		}
	}
	heldPorts := func(rem, reg, bound []int) []int {
		var out []int
		for _, p := range rem {
			if !slices.Contains(reg, p) && !slices.Contains(bound, p) {
				out = appendNew(out, p)
			}
		}
		slices.Sort(out)
		return out
	}
	if listed[ecs.ResourcePorts] {
		h.tcp = heldPorts(rem.PortsTCP, reg.PortsTCP, bound[0])
	}
	if listed[ecs.ResourcePortsUDP] {
		h.udp = heldPorts(rem.PortsUDP, reg.PortsUDP, bound[1])
	}
	inst.held = h
	return nil
}

// stringSet returns the STRINGSET of the last resource of list called
// name, as ecs.ParseResources reads it.
func stringSet(list []ecs.Resource, name string) []string {
	var out []string
	for _, r := range list {
		if r.Name == name {
			out = r.StringSetValue
		}
	}
	return out
}

// checkLoad checks that the placement engine reads the instances and
// tasks being loaded: their resources, and the host ports and ENIs of the
// tasks on each instance. e.mu must be held.
func (e *ECS) checkLoad(insts []*instance, tasks []*task) error {
	list := make([]ecs.ContainerInstance, len(insts))
	for i, inst := range insts {
		list[i] = *inst.describe()
	}
	placed := make([]ecs.Task, len(tasks))
	for i, tk := range tasks {
		placed[i] = placementTask(tk)
	}
	_, err := placement.NewSnapshot(list, placed, func(o *placement.SnapshotOptions) {
		o.Network = netmode.Options{Catalog: e.catalog}
	})
	if err != nil {
		return invalidParameterWrap(err, "The container instances and tasks cannot be loaded together: %v", err)
	}
	return nil
}

// resume sets a loaded task going from where it is in its lifecycle.
// e.mu must be held.
func (e *ECS) resume(tk *task) {
	if tk.stopping() {
		switch tk.t.LastStatus {
		case ecs.TaskStatusRunning, ecs.TaskStatusDeactivating:
			tk.t.LastStatus = ecs.TaskStatusDeactivating
			e.after(tk, e.timing.Deactivating, e.toStopping)
		case ecs.TaskStatusStopping:
			e.after(tk, e.stoppingTime(tk), e.exited)
		default:
			e.exitContainers(tk, nil)
			tk.t.LastStatus = ecs.TaskStatusDeprovisioning
			e.after(tk, e.timing.Deprovisioning, e.toStopped)
		}
		return
	}
	switch tk.t.LastStatus {
	case ecs.TaskStatusProvisioning:
		e.after(tk, e.timing.Provisioning, e.toPending)
	case ecs.TaskStatusPending:
		e.after(tk, e.timing.Pending, e.pulled)
	case ecs.TaskStatusActivating:
		e.after(tk, e.timing.Activating, e.toRunning)
	}
}

// appendNew appends v to list unless it is there.
func appendNew(list []int, v int) []int {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
