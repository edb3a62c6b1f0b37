package placement

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/cql"
	"github.com/ecscore/ecscore/netmode"
)

// Snapshot is the state of a cluster's container instances at one moment:
// what each has left, its attributes, and the tasks already on it. Build
// it with NewSnapshot; place tasks on it through an Engine. A Snapshot is
// never changed after NewSnapshot returns, so one may seed many engines.
type Snapshot struct {
	inst   []instance
	names  []instName // by instance; never changed, shared by clones
	byARN  map[string]int32
	attrs  attrTable
	groups groupTable
	tasks  []task
	// allocs holds the network allocation of each loaded task, by task
	// id; the tasks an engine places keep theirs in compact form (see
	// task.ports). Never changed, shared by clones.
	allocs []*netmode.Allocation
}

// SnapshotOptions tell NewSnapshot what the describe outputs do not say.
type SnapshotOptions struct {
	// Network gives every instance's network options: its dynamic port
	// range, the instance type catalogue for ENI limits, and the like.
	Network netmode.Options
	// TaskDefinition returns the task definition a loaded task names by
	// its taskDefinitionArn, or nil when it is unknown. With nil, or when
	// it returns nil, the task's ports are read from its network bindings
	// alone: a host port inside the dynamic range counts as dynamic, any
	// other as static, and a task with an ENI attachment as awsvpc.
	TaskDefinition func(arn string) *ecs.TaskDefinition
}

// instance is one container instance, indexed by its position in the
// snapshot, which is the order of the ARNs.
type instance struct {
	provider               string
	status                 string
	active                 bool // status is ACTIVE
	connected, external    bool
	attrs                  int32 // attribute set
	cpu, mem, gpu          int32 // remaining
	regCPU, regMem, regGPU int32 // registered
	running                int32 // runningTasksCount, kept current
	relCPU, relMem         int32 // held by tasks on their way out (task.held)
	agentVersion           cql.Version
	registeredAt           time.Time
	net                    *netmode.State
	groups                 []groupCount // tasks per group on the instance
}

// instName names an instance. The names of a snapshot's instances are
// never changed, so that a Batch may read them without the engine's lock.
type instName struct {
	arn   string // containerInstanceArn
	id    string // the ARN's bare id
	ec2ID string // ec2InstanceId
	az    string // ecs.availability-zone, or ""
}

// groupCount is how many tasks of one group run on an instance.
type groupCount struct{ group, n int32 }

// count returns the instance's tasks of group g.
func (in *instance) count(g int32) int32 {
	for _, gc := range in.groups {
		if gc.group == g {
			return gc.n
		}
	}
	return 0
}

// addGroup adds delta tasks of group g to the instance.
func (in *instance) addGroup(g, delta int32) {
	for k := range in.groups {
		if in.groups[k].group == g {
			in.groups[k].n += delta
			if in.groups[k].n == 0 {
				in.groups = slices.Delete(in.groups, k, k+1)
			}
			return
		}
	}
	if delta != 0 {
		in.groups = append(in.groups, groupCount{g, delta})
	}
}

// task is a task on an instance: one loaded from the snapshot or one the
// engine placed. A held task is on its way out: it counts for no group
// but holds what it took until it is stopped (a loaded task desired
// STOPPED, or one ScaleIn chose with KeepResources).
type task struct {
	arn   string
	shape *taskShape
	seq   uint64 // the order the engine learned of its tasks
	inst  int32
	group int32
	// ports is where a placed task's host ports start in state.ports:
	// shape.net.Mappings() of them (netmode.State.Bind), in room for
	// portCap.
	ports   int32
	gen     uint32 // tasks that held the slot before (see TaskID)
	portCap uint16
	held    bool
	stopped bool
}

// taskShape is what a task takes of its instance. The tasks of a request
// share one, as do loaded tasks of the same size.
type taskShape struct {
	cpu, mem, gpu int32
	// net is a placed task's network request; nil for a loaded task,
	// whose allocation is in Snapshot.allocs.
	net *netmode.Request
}

// groupTable interns task group names.
type groupTable struct {
	names []string
	ids   map[string]int32
}

// id returns the id of group name, adding it if new.
func (t *groupTable) id(name string) int32 {
	if id, ok := t.ids[name]; ok {
		return id
	}
	if t.ids == nil {
		t.ids = make(map[string]int32)
	}
	id := int32(len(t.names))
	t.names = append(t.names, name)
	t.ids[name] = id
	return id
}

// lookup returns the id of group name, or -1 if no task has that group.
func (t *groupTable) lookup(name string) int32 {
	if id, ok := t.ids[name]; ok {
		return id
	}
	return -1
}

// NewSnapshot builds a snapshot from describe-container-instances output
// and, optionally, describe-tasks output for the tasks already running.
//
// An instance's remainingResources are authoritative for CPU, MEMORY, GPU,
// PORTS and PORTS_UDP; when one is absent, what remains is the registered
// amount less the loaded tasks. Loaded tasks count for task groups (spread,
// distinctInstance, task:group), for the dynamic host ports they hold and
// for ENIs, never for CPU and memory a second time. A task counts while its
// lastStatus is not STOPPED or DELETED; for groups it must also not be
// desired STOPPED. Tasks without a container instance in the snapshot (on
// Fargate, or on instances not described) are ignored.
func NewSnapshot(instances []ecs.ContainerInstance, tasks []ecs.Task, optFns ...func(*SnapshotOptions)) (*Snapshot, error) {
	opts := new(SnapshotOptions)
	for _, f := range optFns {
		if f != nil {
			f(opts)
		}
	}
	order := make([]int, len(instances))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return strings.Compare(instances[a].ContainerInstanceARN, instances[b].ContainerInstanceARN)
	})
	s := &Snapshot{inst: make([]instance, len(instances)), names: make([]instName, len(instances)),
		byARN: make(map[string]int32, len(instances))}
	for k, i := range order {
		arn := instances[i].ContainerInstanceARN
		if arn == "" {
			return nil, fmt.Errorf("containerInstances[%d]: no containerInstanceArn", i)
		}
		if _, dup := s.byARN[arn]; dup {
			return nil, fmt.Errorf("containerInstances[%d]: %s listed twice", i, arn)
		}
		s.byARN[arn] = int32(k)
	}
	loaded := s.loadTasks(tasks)
	tds := &taskDefs{opts: opts}
	for k, i := range order {
		if k > 0 && len(loaded[k]) == 0 && len(loaded[k-1]) == 0 && alike(&instances[order[k-1]], &instances[i]) {
			s.copyInstance(k, k-1, &instances[i])
		} else if err := s.addInstance(k, &instances[i], loaded[k], tds); err != nil {
			return nil, fmt.Errorf("container instance %s: %w", instances[i].ContainerInstanceARN, err)
		}
		s.inst[k].active = s.inst[k].status == string(ecs.ContainerInstanceStatusActive)
	}
	return s, nil
}

// loadTasks sorts the loaded tasks by instance, leaving out those that do
// not hold anything.
func (s *Snapshot) loadTasks(tasks []ecs.Task) [][]*ecs.Task {
	out := make([][]*ecs.Task, len(s.inst))
	for i := range tasks {
		t := &tasks[i]
		if t.LastStatus.Terminal() {
			continue
		}
		k, ok := s.byARN[t.ContainerInstanceARN]
		if !ok {
			continue
		}
		out[k] = append(out[k], t)
	}
	return out
}

// Len returns the number of container instances in the snapshot.
func (s *Snapshot) Len() int {
	if s == nil {
		return 0
	}
	return len(s.inst)
}

// clone returns a copy of s that an engine may change.
func (s *Snapshot) clone() *Snapshot {
	c := &Snapshot{
		inst:   slices.Clone(s.inst),
		names:  s.names,
		byARN:  s.byARN,
		attrs:  s.attrs,
		groups: groupTable{names: slices.Clone(s.groups.names), ids: make(map[string]int32, len(s.groups.ids))},
		tasks:  slices.Clone(s.tasks),
		allocs: s.allocs,
	}
	for k, v := range s.groups.ids {
		c.groups.ids[k] = v
	}
	// Each instance's group counts get room for groupRoom more groups,
	// all cut from one block, so that the first tasks of a group placed
	// on the instances do not allocate one by one.
	n := 0
	for i := range c.inst {
		n += len(c.inst[i].groups) + groupRoom
	}
	buf := make([]groupCount, 0, n)
	// The instances' network states are copied into one block too: a
	// check of the capacity planner clones thousands of them.
	nets := make([]netmode.State, len(c.inst))
	for i := range c.inst {
		in := &c.inst[i]
		in.net = in.net.CloneInto(&nets[i])
		at := len(buf)
		buf = append(buf, in.groups...)
		in.groups = buf[at : len(buf) : len(buf)+groupRoom]
		buf = buf[:len(buf)+groupRoom]
	}
	return c
}

// groupRoom is how many groups an engine's instance takes tasks of before
// its group counts grow.
const groupRoom = 2
