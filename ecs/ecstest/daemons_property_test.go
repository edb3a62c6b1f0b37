package ecstest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// TestPropertyDaemons runs random sequences of daemon updates, scaling,
// stopped daemon and application tasks, start failures, drains and
// terminations on a fleet with a daemon and a service, and checks after
// each step the invariants of every random run (no instance
// over-committed, each task in one state and one place: checkInvariants)
// and the daemon's: never two live tasks of the daemon on one instance,
// and each live task of it on an instance of its capacity providers. At
// the end, once its faults are spent and its deployment has succeeded,
// every ACTIVE instance runs exactly one RUNNING task of the daemon's
// revision ("exactly one daemon task on each container instance",
// docCreateDaemonAPI).
func TestPropertyDaemons(t *testing.T) {
	runs, steps := 24, 40
	if testing.Short() {
		runs = 6
	}
	for seed := range uint64(runs) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			w := &world{t: t, rnd: rand.New(rand.NewPCG(seed, 0xdae)), e: newTestECS(t, WithSeed(seed))}
			daemonFleet(t, w.e, 1+w.rnd.IntN(4))
			arn := mustCreateDaemon(t, w.e, daemonTD(t, w.e, "agent:0"), nil).DaemonARN
			miTaskDef(t, w.e, "work", 256+256*w.rnd.IntN(3), 512)
			mustCreateService(t, w.e, "web", "work", w.rnd.IntN(6))
			for i := range steps {
				w.daemonStep(arn, i)
				w.checkInvariants()
				w.checkDaemon()
			}
			w.settleDaemon(arn)
		})
	}
}

// daemonStep does one random operation or fault of a daemon run, then
// lets time pass.
func (w *world) daemonStep(arn string, i int) {
	ctx, e, r := context.Background(), w.e, w.rnd
	var err error
	op := r.IntN(8)
	instances := func() []string {
		resp, err := e.ListContainerInstances(ctx, &ecs.ListContainerInstancesRequest{})
		require.NoError(w.t, err)
		return resp.ContainerInstanceARNs
	}
	switch op {
	case 0:
		launchManagedInstances(w.t, e, "fleet", "c5.large", r.IntN(3))
	case 1:
		td := daemonTD(w.t, e, "agent:"+strconv.Itoa(i))
		_, err = e.UpdateDaemon(ctx, &ecs.UpdateDaemonRequest{DaemonARN: arn, DaemonTaskDefinitionARN: td, CapacityProviderARNs: []string{"fleet"},
			DeploymentConfiguration: &ecs.DaemonDeploymentConfiguration{DrainPercent: ptr([]float64{0, 10, 25, 50, 100}[r.IntN(5)]), BakeTimeInMinutes: r.IntN(3)}})
	case 2:
		_, err = e.stopTaskRef(ctx, "", pick(r, w.daemonTaskARNs()), "")
	case 3:
		_, err = e.stopTaskRef(ctx, "", pick(r, w.liveTasks()), "")
	case 4:
		_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(r.IntN(7))})
	case 5:
		err = e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "agent", FailToStart: r.IntN(3)})
	case 6:
		err = e.TerminateInstance(ctx, "", pick(r, instances()))
	case 7:
		_, _, err = e.updateContainerInstancesState(ctx, "", []string{pick(r, instances())}, statusDraining)
	}
	w.log = append(w.log, fmt.Sprintf("op %d: %v", op, err))
	if err != nil {
		var apiErr *ecs.APIError
		require.ErrorAs(w.t, err, &apiErr, "op %d", op)
		require.NotEqual(w.t, ecs.ServerException, apiErr.Type)
	}
	advance(e, time.Duration(r.IntN(90))*time.Second)
}

// daemonTaskARNs returns the ARNs of the daemon's tasks that are not
// STOPPED.
func (w *world) daemonTaskARNs() []string {
	var out []string
	for _, tk := range daemonTasks(w.t, w.e) {
		out = append(out, tk.TaskARN)
	}
	slices.Sort(out)
	return out
}

// checkDaemon checks the daemons' invariants: at most one live task of a
// daemon on an instance, the one the daemon knows there, and on an
// instance of one of its capacity providers.
func (w *world) checkDaemon() {
	e := w.e
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, dm := range e.daemons.all {
		seen := map[*instance]*task{}
		for _, tk := range dm.cl.tasks {
			if tk.daemon != dm || tk.stopped() {
				continue
			}
			require.Nil(w.t, seen[tk.inst], "two live tasks of %s on %s: %v", dm.arn, tk.inst.ci.ContainerInstanceARN, w.log)
			seen[tk.inst] = tk
			require.Same(w.t, tk, dm.tasks[tk.inst], "the daemon knows its task on %s", tk.inst.ci.ContainerInstanceARN)
			require.Contains(w.t, tk.daemonRev.providers, tk.inst.ci.CapacityProviderName)
		}
		require.Len(w.t, dm.tasks, len(seen), "the daemon knows no task that is STOPPED")
	}
}

// settleDaemon spends the faults left, lets an hour pass, and, when the
// daemon's latest deployment succeeded, requires one RUNNING task of its
// revision on each ACTIVE instance.
func (w *world) settleDaemon(arn string) {
	ctx := context.Background()
	w.e.mu.Lock()
	w.e.faults = nil
	w.e.mu.Unlock()
	advance(w.e, time.Hour)
	w.checkInvariants()
	w.checkDaemon()
	d, err := w.e.DescribeDaemon(ctx, &ecs.DescribeDaemonRequest{DaemonARN: arn})
	require.NoError(w.t, err)
	dep := describeDaemonDeployment(w.t, w.e, d.Daemon.DeploymentARN)
	switch dep.Status {
	case ecs.DaemonDeploymentStatusSuccessful, ecs.DaemonDeploymentStatusRollbackSuccessful:
	case ecs.DaemonDeploymentStatusStopped, ecs.DaemonDeploymentStatusRollbackFailed:
		return // the breaker gave up: instances may run either revision
	default:
		require.Failf(w.t, "the daemon deployment did not end", "%s: %s; %v", dep.Status, dep.StatusReason, w.log)
	}
	w.e.mu.Lock()
	want := w.e.daemons.byARN[arn].rev.td.td.DaemonTaskDefinitionARN
	w.e.mu.Unlock()
	tasks := daemonTasks(w.t, w.e)
	for _, inst := range activeInstances(w.t, w.e) {
		tk, ok := tasks[inst]
		require.True(w.t, ok, "ACTIVE instance %s runs no task of the daemon: %v", inst, w.log)
		require.Equal(w.t, ecs.TaskStatusRunning, tk.LastStatus)
		require.Equal(w.t, want, tk.TaskDefinitionARN)
	}
}
