package rollout_test

import (
	"context"
	"testing"

	"github.com/ecscore/ecscore/rollout"
)

// BenchmarkSimulate5000 simulates a rolling deployment of a 5,000-task
// service (100/200) on 2,000 instances of 4 vCPU and 8 GiB to completion,
// in ecstest, with the placement engine, and reports the steps taken and
// the simulated duration. The launch rate (250 tasks a minute) paces it.
func BenchmarkSimulate5000(b *testing.B) {
	sim := engineSimulation(5000, 2000)
	var rep *rollout.Report
	for b.Loop() {
		var err error
		rep, err = rollout.Simulate(context.Background(), sim.svc, sim.old, sim.new, sim.insts, sim.opts...)
		if err != nil {
			b.Fatal(err)
		}
	}
	if rep.Outcome != rollout.Completed {
		b.Fatalf("outcome %s", rep.Outcome)
	}
	b.ReportMetric(float64(len(rep.Steps)), "steps")
	b.ReportMetric(float64(rep.DurationSeconds), "sim-s")
}
