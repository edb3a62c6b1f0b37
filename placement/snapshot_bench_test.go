package placement_test

import (
	"fmt"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// BenchmarkNewSnapshot builds the snapshot a service scheduler builds at
// each step: 2,000 instances of mixed sizes in three zones running 5,000
// tasks of one task definition, each holding one dynamic port, with the
// task definition known. It reports snapshots/s.
func BenchmarkNewSnapshot(b *testing.B) {
	instances := benchCluster(2000)
	td := taskDef("web", 256, 512, 0)
	tasks := make([]ecs.Task, 5000)
	for k := range tasks {
		in := &instances[k%len(instances)]
		tasks[k] = runningTask(fmt.Sprintf("t%05d", k), in.EC2InstanceID[2:], td, "service:web",
			binding(8000, 49153+k/len(instances), "tcp"))
	}
	opts := func(o *placement.SnapshotOptions) { o.TaskDefinition = func(string) *ecs.TaskDefinition { return td } }
	for b.Loop() {
		if _, err := placement.NewSnapshot(instances, tasks, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "snapshots/s")
}
