package capacity

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// largeWorkloads returns 100 replica services totalling 100,000 tasks:
// sizes from 256 CPU units and 512 MiB to 1,024 and 2,560; every fifth
// in awsvpc mode; seven small ones (20 to 90 tasks) with a static host
// port, the others from 460 to 1,660 tasks (the last 1,870) with dynamic
// ports; spread, binpack and default strategies; maximumPercent 100, 150
// or 200.
func largeWorkloads() []Workload {
	strategies := [][]ecs.PlacementStrategy{
		nil,
		binpackMemory,
		{{Type: ecs.PlacementStrategyTypeSpread, Field: "instanceId"}},
	}
	ws := make([]Workload, 100)
	total := 0
	for i := range ws {
		name := "svc" + strconv.Itoa(i)
		def := td(name, 256*(1+i%4), 512*(1+i%5))
		n := 460 + 200*(i%7)
		switch {
		case i%5 == 1:
			awsvpc(def)
		case i%13 == 2:
			hostPort(def, 8000+i)
			n = 20 + 10*(i%8)
		}
		if i == len(ws)-1 {
			n = 100_000 - total
		}
		total += n
		ws[i] = Workload{Name: name, TaskDefinition: def, DesiredCount: n,
			Strategy: strategies[i%3], MaximumPercent: 100 + 50*(i%3)}
	}
	return ws
}

// testdataWorkloads returns the services of testdata/plan (those of
// examples/ecsplan's testdata) with each replica service at desired
// tasks.
func testdataWorkloads(tb testing.TB, desired int) []Workload {
	tb.Helper()
	dir := filepath.Join("testdata", "plan")
	data, err := os.ReadFile(filepath.Join(dir, "services.json"))
	if err != nil {
		tb.Fatal(err)
	}
	svcs, _, err := ecs.DecodeServices(data)
	if err != nil {
		tb.Fatal(err)
	}
	tds := map[string]*ecs.TaskDefinition{}
	for _, f := range []string{"web", "api", "logs"} {
		data, err := os.ReadFile(filepath.Join(dir, f+".json"))
		if err != nil {
			tb.Fatal(err)
		}
		def, _, err := ecs.DecodeTaskDefinition(data)
		if err != nil {
			tb.Fatal(err)
		}
		tds[def.Family] = def
	}
	ws := make([]Workload, 0, len(svcs))
	for i := range svcs {
		svc := &svcs[i]
		if svc.SchedulingStrategy != ecs.SchedulingStrategyDaemon {
			svc.DesiredCount = desired
		}
		family, _, _, err := ecs.ParseTaskDefinitionRef(svc.TaskDefinition)
		if err != nil {
			tb.Fatal(err)
		}
		def := tds[family]
		if def == nil {
			tb.Fatalf("no task definition for %s", svc.TaskDefinition)
		}
		ws = append(ws, WorkloadFor(svc, def))
	}
	return ws
}

// testdataTypes are the instance types of examples/ecsplan's
// testdata/capacity/types.json, from the default catalogue.
var testdataTypes = []string{"m5.large", "c5.xlarge", "r5.large"}

// benchPlan plans ws with p, b.N times, and reports the time and the
// memory per plan, the cores kept busy, the CPU time per plan (steadier
// than the time on a shared machine), the placement checks and the
// instances planned, over every type.
func benchPlan(b *testing.B, p *Planner, ws []Workload) {
	ctx := context.Background()
	checks, instances := 0, 0
	b.ReportAllocs()
	cpu0, ok := cpuTime()
	for b.Loop() {
		plan, err := p.Plan(ctx, ws)
		if err != nil {
			b.Fatal(err)
		}
		checks, instances = plan.Checks, 0
		for i := range plan.Types {
			if err := plan.Types[i].Err; err != nil {
				b.Fatal(plan.Types[i].InstanceType, err)
			}
			instances += plan.Types[i].Instances()
		}
	}
	cpu1, _ := cpuTime()
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/plan")
	if ok {
		b.ReportMetric((cpu1-cpu0).Seconds()/b.Elapsed().Seconds(), "cores")
		b.ReportMetric((cpu1-cpu0).Seconds()*1e3/float64(b.N), "cpu-ms/plan")
	}
	b.ReportMetric(float64(checks), "checks/plan")
	b.ReportMetric(float64(instances), "instances/plan")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
}

// BenchmarkPlanLarge plans 100 services totalling 100,000 tasks over 5
// instance types in 3 zones.
func BenchmarkPlanLarge(b *testing.B) {
	benchPlan(b, largePlanner(), largeWorkloads())
}

// largePlanner plans over 5 x86_64 instance types in 3 zones, with ENI
// trunking: the workloads name no CPU architecture, so ECS runs them on
// x86_64 only (an arm64 type such as m6g.xlarge is refused).
func largePlanner() *Planner {
	return NewPlanner(func(o *PlannerOptions) {
		o.InstanceTypes = []string{"m5.large", "m5.xlarge", "c5.xlarge", "r5.large", "m6i.xlarge"}
		o.ENITrunking = true
	})
}

// BenchmarkPlanTestdata5000 plans the services of examples/ecsplan's
// testdata (web, api and the logs daemon) at 5,000 tasks each over that
// testdata's three instance types in 3 zones.
func BenchmarkPlanTestdata5000(b *testing.B) {
	p := NewPlanner(func(o *PlannerOptions) {
		o.InstanceTypes = testdataTypes
	})
	benchPlan(b, p, testdataWorkloads(b, 5000))
}

// TestTracePlan prints the checks of a plan when CAPACITY_TRACE names a
// benchmark workload: testdata or large.
func TestTracePlan(t *testing.T) {
	var p *Planner
	var ws []Workload
	switch os.Getenv("CAPACITY_TRACE") {
	case "testdata":
		p, ws = NewPlanner(func(o *PlannerOptions) {
			o.InstanceTypes = testdataTypes
		}), testdataWorkloads(t, 5000)
	case "large":
		p, ws = largePlanner(), largeWorkloads()
	default:
		t.Skip("CAPACITY_TRACE is not set")
	}
	var mu sync.Mutex
	p.trace = func(it string, counts []int, full bool, o outcome) {
		mu.Lock()
		defer mu.Unlock()
		what := fmt.Sprintf("fits, measured %v", o.measured)
		if o.pe != nil {
			what = fmt.Sprintf("%s %s %d/%d (extra %d), measured %v", o.pe.Phase, o.pe.Workload, o.pe.Unplaced, o.pe.Tasks, o.extra, o.measured)
		}
		t.Logf("%s %v full=%t %s", it, counts, full, what)
	}
	plan, err := p.Plan(context.Background(), ws)
	require.NoError(t, err)
	for _, tp := range plan.Types {
		t.Logf("%s: %v %v checks %d", tp.InstanceType, tp.Counts, tp.Err, tp.Checks)
	}
}
