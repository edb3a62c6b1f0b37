package placement_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// benchSizes are the instance types of the benchmark clusters, with the
// CPU and memory an ECS-optimized AMI registers for them.
var benchSizes = []struct {
	typ      string
	cpu, mem int
}{
	{"m5.large", 2048, 7680},
	{"m5.xlarge", 4096, 15718},
	{"m5.2xlarge", 8192, 31758},
	{"c5.xlarge", 4096, 7502},
	{"r5.large", 2048, 15718},
}

// benchCluster returns n instances of mixed sizes over three zones.
func benchCluster(n int) []ecs.ContainerInstance {
	zones := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
	out := make([]ecs.ContainerInstance, n)
	for i := range out {
		sz := benchSizes[i%len(benchSizes)]
		in := newInstance(fmt.Sprintf("%032x", i)).res(sz.cpu, sz.mem).
			az(zones[i%len(zones)]).attr(ecs.AttrInstanceType, sz.typ)
		out[i] = in.ContainerInstance
	}
	return out
}

// heapInUse returns the live heap after a collection.
func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// mallocs returns the heap allocations made so far.
func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

// benchPlace places req.Count tasks of req, perCall at a time, into a
// reused placement.Batch, on a fresh engine per iteration, and reports
// per placement the time (ns/placement), the process's CPU time
// (cpu-ns/placement: with GOMAXPROCS above 1 it counts the garbage
// collector's work on the other cores, and it is not inflated by waiting
// for a busy machine's CPU), the heap allocations (allocs/placement) and
// instances examined; placements/s; the engine's bytes per instance (its
// copy of the snapshot and its indexes, built by a first placement) and
// bytes per task placed (what the engine keeps of each).
func benchPlace(b *testing.B, instances []ecs.ContainerInstance, req placement.Request, perCall int) {
	benchPlaceWith(b, instances, req, perCall, nil, false)
}

// benchPlaceWith is benchPlace with engine options, and with full
// results (Engine.Place) instead of a Batch when result is set.
func benchPlaceWith(b *testing.B, instances []ecs.ContainerInstance, req placement.Request, perCall int, opts func(*placement.EngineOptions), result bool) {
	snap, err := placement.NewSnapshot(instances, nil)
	if err != nil {
		b.Fatal(err)
	}
	var batch placement.Batch
	place := func(e *placement.Engine, r *placement.Request) {
		if result {
			res, err := e.Place(r)
			if err != nil {
				b.Fatal(err)
			}
			batch.Unplaced, batch.Examined = res.Unplaced, res.Examined
			return
		}
		if err := e.PlaceInto(&batch, r); err != nil {
			b.Fatal(err)
		}
	}
	// Size the batch for the largest request, as a caller that keeps one
	// has it.
	warm := req
	warm.Count = min(perCall, req.Count-1)
	place(placement.NewEngine(snap, opts), &warm)
	var examined, placed int
	var allocs uint64
	var cpu time.Duration
	var perInstance, perTask float64
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		before := heapInUse()
		e := placement.NewEngine(snap, opts)
		first := req
		first.Count = 1
		place(e, &first)
		mid := heapInUse()
		m0, c0 := mallocs(), cpuTime()
		b.StartTimer()
		for done := 1; done < req.Count; done += perCall {
			r := req
			r.Count = min(perCall, req.Count-done)
			r.Seed = uint64(done) // each request its own random order, as a scheduler seeds them
			place(e, &r)
			if batch.Unplaced > 0 {
				b.Fatalf("%d tasks unplaced after %d: %s", batch.Unplaced, done, batch.Explanation.Event())
			}
			examined += batch.Examined
			placed += r.Count
		}
		b.StopTimer()
		cpu += cpuTime() - c0
		allocs += mallocs() - m0
		after := heapInUse()
		runtime.KeepAlive(e)
		perInstance = float64(mid-before) / float64(len(instances))
		perTask = float64(after-mid) / float64(req.Count-1)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(placed), "ns/placement")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(placed), "cpu-ns/placement")
	b.ReportMetric(float64(allocs)/float64(placed), "allocs/placement")
	b.ReportMetric(float64(placed)/b.Elapsed().Seconds(), "placements/s")
	b.ReportMetric(float64(examined)/float64(placed), "examined/placement")
	b.ReportMetric(perInstance, "bytes/instance")
	b.ReportMetric(perTask, "bytes/task")
}

// (a) 100,000 tasks of one service onto 5,000 instances of mixed sizes in
// three zones, spread(AZ) then binpack(memory), bridge mode with one
// dynamic port.
func BenchmarkPlaceSpreadBinpack(b *testing.B) {
	req := placement.Request{
		TaskDefinition: taskDef("web", 128, 512, 0),
		Service:        "web",
		Count:          100_000,
		Strategy:       []ecs.PlacementStrategy{spread(azField), binpack("memory")},
	}
	benchPlace(b, benchCluster(5000), req, 100_000)
}

// (a) with full results (Engine.Place): every placement's names and
// network bindings built, as a caller that wants a Result gets them.
func BenchmarkPlaceSpreadBinpackResult(b *testing.B) {
	req := placement.Request{
		TaskDefinition: taskDef("web", 128, 512, 0),
		Service:        "web",
		Count:          100_000,
		Strategy:       []ecs.PlacementStrategy{spread(azField), binpack("memory")},
	}
	benchPlaceWith(b, benchCluster(5000), req, 100_000, nil, true)
}

// (a) with the exhaustive engine, which filters every instance for every
// task: the cost the indexes save. 5,000 tasks, not 100,000.
func BenchmarkPlaceSpreadBinpackExhaustive(b *testing.B) {
	req := placement.Request{
		TaskDefinition: taskDef("web", 128, 512, 0),
		Service:        "web",
		Count:          5_000,
		Strategy:       []ecs.PlacementStrategy{spread(azField), binpack("memory")},
	}
	benchPlaceWith(b, benchCluster(5000), req, 5_000, func(o *placement.EngineOptions) { o.Exhaustive = true }, false)
}

// (b) As (a), with a memberOf constraint on the instance type.
func BenchmarkPlaceSpreadBinpackMemberOf(b *testing.B) {
	req := placement.Request{
		TaskDefinition: taskDef("web", 128, 512, 0),
		Service:        "web",
		Count:          100_000,
		Strategy:       []ecs.PlacementStrategy{spread(azField), binpack("memory")},
		Constraints:    []ecs.PlacementConstraint{memberOf("attribute:ecs.instance-type =~ m5.*")},
	}
	benchPlace(b, benchCluster(5000), req, 100_000)
}

// (c) 10,000 tasks with distinctInstance on 10,000 instances.
func BenchmarkPlaceDistinctInstance(b *testing.B) {
	req := placement.Request{
		TaskDefinition: taskDef("web", 128, 512, 0),
		Service:        "web",
		Count:          10_000,
		Constraints:    []ecs.PlacementConstraint{distinct()},
	}
	benchPlace(b, benchCluster(10_000), req, 10_000)
}

// BenchmarkPlaceGrid places RunTask-sized batches of ten over cluster
// sizes and strategy chains, the grid to watch for a chain the indexes
// serve badly.
func BenchmarkPlaceGrid(b *testing.B) {
	chains := []struct {
		name  string
		chain []ecs.PlacementStrategy
	}{
		{"binpack", []ecs.PlacementStrategy{binpack("memory")}},
		{"spreadInstance", []ecs.PlacementStrategy{spread("instanceId")}},
		{"spreadAZ", []ecs.PlacementStrategy{spread(azField)}},
		{"spreadAZ-binpack", []ecs.PlacementStrategy{spread(azField), binpack("memory")}},
		{"spreadAZ-random", []ecs.PlacementStrategy{spread(azField), random()}},
		{"binpack-spreadInstance", []ecs.PlacementStrategy{binpack("cpu"), spread("instanceId")}},
		{"spreadInstance-binpack", []ecs.PlacementStrategy{spread("instanceId"), binpack("memory")}},
		{"random", []ecs.PlacementStrategy{random()}},
		{"serviceDefault", nil},
	}
	for _, n := range []int{100, 1000, 5000} {
		for _, c := range chains {
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				req := placement.Request{
					TaskDefinition: taskDef("web", 128, 512, 0),
					Service:        "web",
					Count:          10 * n,
					Strategy:       c.chain,
				}
				benchPlace(b, benchCluster(n), req, 10)
			})
		}
	}
}
