package ecstest

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
	"github.com/stretchr/testify/require"
)

// world is a random run: an ECS, the random source that drives it, and
// the names of what it made.
type world struct {
	t     *testing.T
	e     *ECS
	rnd   *rand.Rand
	insts []string // container instance ARNs, all ever registered
	svcs  []string
	tds   []string // families
	log   []string
}

// TestPropertyRandomRuns runs random sequences of operations, faults and
// an agent simulator's reports (SubmitTaskStateChange,
// SubmitContainerStateChange; ExecuteCommand beside them) and checks,
// after each, that no instance is over-committed (CPU, memory,
// host ports) and that every task is in exactly one state and one place;
// at the end, with the faults lifted and room enough, that every service
// reaches its desired count.
func TestPropertyRandomRuns(t *testing.T) {
	runs, steps := 40, 60
	if testing.Short() {
		runs = 8
	}
	for seed := range uint64(runs) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			w := newWorld(t, seed)
			for range steps {
				w.step()
				w.checkInvariants()
			}
			w.settle()
		})
	}
}

func newWorld(t *testing.T, seed uint64) *world {
	w := &world{t: t, rnd: rand.New(rand.NewPCG(seed, 0x5eed)), e: newTestECS(t, WithSeed(seed))}
	for range 4 + w.rnd.IntN(5) {
		w.register()
	}
	for i, size := range [][2]int{{256, 512}, {512, 1024}, {1024, 256}} {
		family := "app" + strconv.Itoa(i)
		ports := []int{0}
		if i == 2 {
			ports = []int{8000 + w.rnd.IntN(3)} // a static host port: one task per instance
		}
		taskDef(t, w.e, family, size[0], size[1], ports...)
		w.tds = append(w.tds, family)
	}
	healthyTD(t, w.e)
	w.tds = append(w.tds, "hc")
	for i := range 1 + w.rnd.IntN(3) {
		name := "svc" + strconv.Itoa(i)
		mustCreateService(t, w.e, name, w.tds[w.rnd.IntN(len(w.tds))], w.rnd.IntN(6))
		w.svcs = append(w.svcs, name)
	}
	return w
}

// register registers a new instance in a random zone.
func (w *world) register() {
	types := []string{"c5.large", "m5.xlarge", "t3.micro"}
	ci := register(w.t, w.e, types[w.rnd.IntN(len(types))], "us-east-1"+string(rune('a'+w.rnd.IntN(3))))
	w.insts = append(w.insts, ci.ContainerInstanceARN)
}

// pick returns a random element of list, or "" when it is empty.
func pick(rnd *rand.Rand, list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[rnd.IntN(len(list))]
}

// liveTasks returns the ARNs of the tasks that are not STOPPED.
func (w *world) liveTasks() []string {
	all, err := w.e.Tasks(context.Background(), "")
	require.NoError(w.t, err)
	var out []string
	for _, tk := range all {
		if tk.LastStatus != ecs.TaskStatusStopped {
			out = append(out, tk.TaskARN)
		}
	}
	return out
}

// step does one random operation or fault, then lets time pass. Errors
// the API returns for a random choice that does not apply (a task that is
// stopping, an instance already gone) are part of the game; anything else
// fails the test.
func (w *world) step() {
	ctx, e, r := context.Background(), w.e, w.rnd
	var err error
	op := r.IntN(17)
	switch op {
	case 0:
		_, err = e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: pick(r, w.tds), Count: ptr(1 + r.IntN(3))})
	case 1:
		_, err = e.stopTaskRef(ctx, "", pick(r, w.liveTasks()), "")
	case 2:
		_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: pick(r, w.svcs), DesiredCount: ptr(r.IntN(7))})
	case 3:
		_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: pick(r, w.svcs), TaskDefinition: pick(r, w.tds)})
	case 4:
		_, _, err = e.updateContainerInstancesState(ctx, "", []string{pick(r, w.insts)}, []string{"ACTIVE", "DRAINING"}[r.IntN(2)])
	case 5:
		err = e.TerminateInstance(ctx, "", pick(r, w.insts))
	case 6:
		w.register()
	case 7:
		err = e.DisconnectAgent(ctx, "", pick(r, w.insts))
	case 8:
		err = e.ReconnectAgent(ctx, "", pick(r, w.insts))
	case 9:
		err = e.ExitContainer(ctx, "", pick(r, w.liveTasks()), "app", 1+r.IntN(255))
	case 10:
		err = e.SetHealth(ctx, "", pick(r, w.liveTasks()), "", ecs.HealthStatusUnhealthy)
	case 11:
		err = e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: pick(r, w.tds), FailToStart: r.IntN(3), FailHealthChecks: r.IntN(2)})
	case 12:
		err = e.InterruptSpotInstance(ctx, "", pick(r, w.insts))
	case 13:
		if r.IntN(4) == 0 {
			err = e.LoseZone(ctx, "us-east-1"+string(rune('a'+r.IntN(3))))
		}
	case 14: // an agent simulator's report
		_, err = e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: pick(r, w.liveTasks()),
			Status: []string{"PENDING", "RUNNING", "STOPPED"}[r.IntN(3)]})
	case 15:
		_, err = e.SubmitContainerStateChange(ctx, &ecs.SubmitContainerStateChangeRequest{Task: pick(r, w.liveTasks()),
			ContainerName: "app", Status: []string{"RUNNING", "STOPPED"}[r.IntN(2)], ExitCode: ptr(r.IntN(3))})
	case 16:
		_, err = e.ExecuteCommand(ctx, &ecs.ExecuteCommandRequest{Task: pick(r, w.liveTasks()), Command: "sh", Interactive: true})
	}
	w.log = append(w.log, fmt.Sprintf("op %d: %v", op, err))
	if err != nil {
		var apiErr *ecs.APIError
		require.ErrorAs(w.t, err, &apiErr, "op %d", op)
		require.NotEqual(w.t, ecs.ServerException, apiErr.Type)
	}
	advance(e, time.Duration(r.IntN(90))*time.Second)
}

// checkInvariants checks the control plane's own state: no instance holds
// more than it registered or a host port twice, and every task is in one
// of the lifecycle's states and held by its instance exactly while it is
// not STOPPED.
func (w *world) checkInvariants() {
	e := w.e
	e.mu.Lock()
	defer e.mu.Unlock()
	statuses := []ecs.TaskStatus{ecs.TaskStatusProvisioning, ecs.TaskStatusPending, ecs.TaskStatusActivating, ecs.TaskStatusRunning,
		ecs.TaskStatusDeactivating, ecs.TaskStatusStopping, ecs.TaskStatusDeprovisioning, ecs.TaskStatusStopped}
	for _, cl := range e.clusters {
		holders := map[string]int{}
		for _, inst := range cl.instances {
			reg, err := ecs.ParseResources(inst.ci.RegisteredResources)
			require.NoError(w.t, err)
			used := inst.used()
			require.LessOrEqual(w.t, used.CPU, reg.CPU, "instance %s over-committed in CPU: %v", inst.ci.ContainerInstanceARN, w.log)
			require.LessOrEqual(w.t, used.MemoryMiB, reg.MemoryMiB, "instance %s over-committed in memory", inst.ci.ContainerInstanceARN)
			ports := map[string]string{}
			for id, tk := range inst.tasks {
				holders[id]++
				require.Same(w.t, inst, tk.inst)
				require.Same(w.t, tk, cl.tasks[id], "a task held by an instance is one of the cluster's")
				require.NotEqual(w.t, ecs.TaskStatusStopped, tk.t.LastStatus, "a STOPPED task holds nothing")
				mine := map[string]bool{}
				for _, c := range tk.t.Containers {
					for _, b := range c.NetworkBindings {
						if b.HostPort != nil {
							mine[string(b.Protocol)+"/"+strconv.Itoa(*b.HostPort)] = true
						}
					}
				}
				for p := range mine {
					require.Empty(w.t, ports[p], "host port %s given twice on %s", p, inst.ci.ContainerInstanceARN)
					ports[p] = id
				}
			}
		}
		for _, id := range slices.Sorted(maps.Keys(cl.tasks)) {
			tk := cl.tasks[id]
			require.Contains(w.t, statuses, tk.t.LastStatus)
			switch {
			case tk.stopped():
				require.Zero(w.t, holders[id], "task %s is STOPPED and held", id)
				require.Equal(w.t, ecs.DesiredStatusStopped, tk.t.DesiredStatus)
			case tk.inst != nil:
				require.Equal(w.t, 1, holders[id], "task %s is held by exactly its instance", id)
			}
			if tk.svc != nil && !tk.stopped() {
				require.Same(w.t, tk, tk.svc.tasks[id], "the service tracks its task %s", id)
			}
		}
		for _, svc := range cl.services {
			require.Len(w.t, svc.order, len(svc.tasks), "service %s: its tasks in order are its tasks", svc.name)
			require.True(w.t, slices.IsSortedFunc(svc.order, func(a, b *task) int { return strings.Compare(a.id(), b.id()) }))
			for _, tk := range svc.order {
				require.Same(w.t, tk, svc.tasks[tk.id()])
			}
		}
		w.checkLive(cl)
	}
}

// checkLive checks that what the cluster keeps current as things happen
// (its live placement engine and described instances) is what building
// them afresh from the cluster gives. e.mu must be held.
func (w *world) checkLive(cl *cluster) {
	if cl.live.desc != nil {
		want := []ecs.ContainerInstance{} // registered's, also when the cluster has no instance
		for _, ci := range w.e.instances(cl) {
			ci.RemainingResources, ci.RunningTasksCount, ci.PendingTasksCount = nil, 0, 0
			want = append(want, ci)
		}
		require.Equal(w.t, want, w.e.registered(cl), "the registered instances kept current")
	}
	if cl.live.eng == nil {
		return
	}
	snap, err := w.e.snapshot(cl)
	require.NoError(w.t, err)
	fresh := map[string]placement.InstanceState{}
	for st := range placement.NewEngine(snap).Instances() {
		fresh[st.ContainerInstanceARN] = st
	}
	for st := range cl.live.eng.Instances() {
		want := fresh[st.ContainerInstanceARN]
		st.RunningTasks, want.RunningTasks = 0, 0 // counted differently: placed tasks, or RUNNING ones
		require.Equal(w.t, want, st, "the live engine's instance %s against one built afresh: %v", st.ContainerInstanceARN, w.log)
	}
}

// settle lifts the faults, adds room for every service, and requires
// each to reach its desired count.
func (w *world) settle() {
	ctx, e := context.Background(), w.e
	e.mu.Lock()
	e.faults = nil
	e.mu.Unlock()
	for _, z := range []string{"a", "b", "c"} {
		e.RestoreZone(ctx, "us-east-1"+z)
	}
	for _, arn := range w.insts {
		_ = e.ReconnectAgent(ctx, "", arn) // an instance that is gone stays gone
	}
	need := 0
	for _, name := range w.svcs {
		need += describeService(w.t, e, name).DesiredCount
	}
	for range need + 3 {
		ci := register(w.t, e, "m5.xlarge", "us-east-1"+string(rune('a'+w.rnd.IntN(3))))
		w.insts = append(w.insts, ci.ContainerInstanceARN)
	}
	for _, name := range w.svcs {
		tk := serviceTasks(w.t, e, name)
		for _, x := range tk {
			_ = e.SetHealth(ctx, "", x.TaskARN, "", ecs.HealthStatusHealthy)
		}
	}
	advance(e, time.Hour)
	w.checkInvariants()
	for _, name := range w.svcs {
		svc := describeService(w.t, e, name)
		require.Equal(w.t, svc.DesiredCount, svc.RunningCount, "service %s: %v", name, events(svc))
		require.Len(w.t, serviceTasks(w.t, e, name), svc.DesiredCount, "service %s", name)
	}
}
