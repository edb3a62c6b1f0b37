package deploy

import (
	"context"
	"testing"
)

// BenchmarkSimulate5000 simulates a rolling deployment of a 5,000-task
// service on 2,000 instances to completion, with the placement engine,
// and reports the steps taken and the simulated duration.
func BenchmarkSimulate5000(b *testing.B) {
	cfg := engineSimulation(5000, 2000)
	var rep *Report
	for b.Loop() {
		var err error
		rep, err = Simulate(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
	}
	if rep.Outcome != Completed {
		b.Fatalf("outcome %s", rep.Outcome)
	}
	b.ReportMetric(float64(len(rep.Steps)), "steps")
	b.ReportMetric(float64(rep.DurationSeconds), "sim-s")
}
