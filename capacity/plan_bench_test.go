package capacity

import (
	"context"
	"runtime"
	"strconv"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

// benchWorkloads returns n services of varied sizes, network modes and
// strategies, two of them daemons.
func benchWorkloads(n int) []Workload {
	strategies := [][]ecs.PlacementStrategy{
		nil,
		binpackMemory,
		{{Type: ecs.PlacementStrategyTypeSpread, Field: "instanceId"}},
	}
	ws := make([]Workload, n)
	for i := range ws {
		name := "svc" + strconv.Itoa(i)
		def := td(name, 256*(1+i%4), 512*(1+i%5))
		switch {
		case i%5 == 1:
			awsvpc(def)
		case i%7 == 2:
			hostPort(def, 8000+i)
		}
		ws[i] = Workload{Name: name, TaskDefinition: def, DesiredCount: 2 + i%7,
			Strategy: strategies[i%3], MaximumPercent: 100 + 50*(i%3)}
	}
	for _, i := range []int{3, 17} {
		ws[i].Daemon, ws[i].Strategy, ws[i].MaximumPercent = true, nil, 0
		ws[i].TaskDefinition = td(ws[i].Name, 128, 256)
	}
	return ws
}

// BenchmarkPlan plans 50 services over 5 instance types in 3 zones and
// reports the time per plan, the cores it kept busy (CPU time over wall
// time), the CPU time per plan and the placements of the whole workload
// it ran.
func BenchmarkPlan(b *testing.B) {
	ws := benchWorkloads(50)
	p := NewPlanner(func(o *PlannerOptions) {
		o.InstanceTypes = []string{"m5.large", "m5.xlarge", "c5.xlarge", "r5.large", "m6g.xlarge"}
	})
	ctx := context.Background()
	checks := 0
	cpu0, ok := cpuTime()
	for b.Loop() {
		plan, err := p.Plan(ctx, ws)
		if err != nil {
			b.Fatal(err)
		}
		checks = plan.Checks
	}
	cpu1, _ := cpuTime()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/plan")
	if ok {
		b.ReportMetric((cpu1-cpu0).Seconds()/b.Elapsed().Seconds(), "cores")
		b.ReportMetric((cpu1-cpu0).Seconds()*1e3/float64(b.N), "cpu-ms/plan")
	}
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
	b.ReportMetric(float64(checks), "checks/plan")
}
