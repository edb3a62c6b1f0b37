package ecstest

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// scale is a cluster-scale scenario: instances m5.4xlarge over three
// zones and services of tasks each, every task bridge with one dynamic
// host port, 128 CPU units and 256 MiB.
type scale struct {
	instances, services, tasks int
}

// scaleRun is one run of a scale scenario: an ECS on a stopped clock with
// the cluster registered and the task definitions' two revisions.
type scaleRun struct {
	e        *ECS
	sc       scale
	rev1     string
	rev2     string
	simStart time.Time
}

func newScaleRun(tb testing.TB, sc scale) *scaleRun {
	ctx := context.Background()
	e := New(WithClock(NewClock(t0, 0)), WithSeed(11))
	tb.Cleanup(e.Close)
	_, err := e.createCluster(ctx, ecs.Cluster{})
	require.NoError(tb, err)
	for i := range sc.instances {
		_, err := e.LaunchInstance(ctx, "", Instance{InstanceType: "m5.4xlarge", AvailabilityZone: "us-east-1" + string(rune('a'+i%3))})
		require.NoError(tb, err)
	}
	r := &scaleRun{e: e, sc: sc, simStart: e.Clock().Now()}
	r.rev1 = taskDef(tb, e, "web", 128, 256, 0).TaskDefinitionARN
	r.rev2 = taskDef(tb, e, "web", 128, 256, 0).TaskDefinitionARN
	return r
}

// createServices creates the services on revision 1.
func (r *scaleRun) createServices(tb testing.TB) {
	for i := range r.sc.services {
		_, err := r.e.createService(context.Background(), &ecs.CreateServiceRequest{
			ServiceName: "svc" + strconv.Itoa(i), TaskDefinition: r.rev1, DesiredCount: ptr(r.sc.tasks),
		})
		require.NoError(tb, err)
	}
}

// rollServices updates every service to the task definition td.
func (r *scaleRun) rollServices(tb testing.TB, td string) {
	for i := range r.sc.services {
		_, err := r.e.updateService(context.Background(), &ecs.UpdateServiceRequest{
			Service: "svc" + strconv.Itoa(i), TaskDefinition: td,
		})
		require.NoError(tb, err)
	}
}

// settle advances the clock until every service of the default cluster
// runs its desired count with one deployment, COMPLETED, on td, and
// fails after a simulated day.
func (r *scaleRun) settle(tb testing.TB, td string) {
	deadline := r.e.Clock().Now().Add(24 * time.Hour)
	for r.e.Clock().Now().Before(deadline) {
		r.e.Clock().Advance(15 * time.Second)
		if r.steady(td) {
			return
		}
	}
	tb.Fatalf("the services did not reach steady state on %s in a simulated day", td)
}

// steady reports whether every service runs its desired count on td
// with its one deployment COMPLETED.
func (r *scaleRun) steady(td string) bool {
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	for _, svc := range r.e.clusters[defaultCluster].services {
		s := svc.info()
		if s.RunningCount != s.DesiredCount || len(s.Deployments) != 1 ||
			s.Deployments[0].TaskDefinition != td || s.Deployments[0].RolloutState != ecs.DeploymentRolloutStateCompleted {
			return false
		}
	}
	return true
}

// BenchmarkClusterScale runs the cluster-scale scenario of issue 11 on
// the in-memory ECS: 5,000 m5.4xlarge instances over 3 zones, 1,000
// services of 100 tasks (bridge, one dynamic port, 128 CPU units, 256
// MiB), to steady state, then every service rolled to revision 2 and back
// to steady state; and the same at 1/10 and 1/4 of the size, to read the
// growth. It reports tasks started per second, simulated seconds per
// real second and the heap the run added per task at the end (STOPPED
// tasks included, which the control plane keeps, as ECS shows them for
// an hour at least).
func BenchmarkClusterScale(b *testing.B) {
	for _, sc := range []scale{{500, 100, 100}, {1250, 250, 100}, {5000, 1000, 100}} {
		b.Run(fmt.Sprintf("instances=%d/services=%d", sc.instances, sc.services), func(b *testing.B) {
			var started int
			var sim time.Duration
			var heapPerTask float64
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				r := newScaleRun(b, sc)
				runtime.GC()
				b.StartTimer()
				r.createServices(b)
				r.settle(b, r.rev1)
				r.rollServices(b, r.rev2)
				r.settle(b, r.rev2)
				b.StopTimer()
				sim += r.e.Clock().Now().Sub(r.simStart)
				r.e.mu.Lock()
				n := len(r.e.clusters[defaultCluster].tasks)
				r.e.mu.Unlock()
				started += n
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heapPerTask = float64(ms.HeapAlloc-min(before.HeapAlloc, ms.HeapAlloc)) / float64(n)
				runtime.KeepAlive(r)
				r.e.Close()
				b.StartTimer()
			}
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(started)/secs, "tasks/s")
			b.ReportMetric(sim.Seconds()/secs, "sim-s/s")
			b.ReportMetric(heapPerTask, "heap-B/task")
		})
	}
}
