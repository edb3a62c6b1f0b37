package netmode_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

// busyInstance returns an instance with n single-port dynamic bindings in
// use, given one task at a time, as a long-lived instance has them.
func busyInstance(b *testing.B, n int) *netmode.State {
	s := mustState(b, instance("m5.large", false), netmode.Options{})
	one := mustRequest(b, taskDef("", ctr("a", tcpPort(80, 0))))
	for range n {
		if _, err := s.Allocate(one); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// scatteredInstance returns an instance with n single-port dynamic
// bindings in use, each apart from the next: n runs of held ports, as
// tasks stopping in the middle of a long-lived instance's ports leave
// them.
func scatteredInstance(b *testing.B, n int) *netmode.State {
	s := mustState(b, instance("m5.large", false), netmode.Options{})
	one := mustRequest(b, taskDef("", ctr("a", tcpPort(80, 0))))
	for k := range 2 * n {
		a, err := s.Allocate(one)
		if err != nil {
			b.Fatal(err)
		}
		if k%2 == 1 {
			if err := s.Release(a); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s
}

// dynamicTask returns a bridge task with n dynamic TCP mappings.
func dynamicTask(n int) *ecs.TaskDefinition {
	var c ecs.ContainerDefinition
	c.Name = "a"
	for i := range n {
		c.PortMappings = append(c.PortMappings, tcpPort(1000+i, 0))
	}
	return taskDef("", c)
}

// BenchmarkAllocateRelease measures dynamic port allocation and release on
// an instance with 1,000 bindings in use, given one after another (one
// run of ports) or every other port (1,000 runs): the search is
// next-fit, so it runs around the 16,383-port range and passes the held
// runs once per lap. Allocate builds the task's bindings; Bind keeps its
// ports only.
func BenchmarkAllocateRelease(b *testing.B) {
	tasks := []struct {
		name string
		td   *ecs.TaskDefinition
	}{
		{"1port", dynamicTask(1)},
		{"10ports", dynamicTask(10)},
		{"range100", taskDef("", ctr("a", portRange("1000-1099", "")))},
	}
	instances := []struct {
		name string
		make func(*testing.B, int) *netmode.State
	}{
		{"", busyInstance},
		{"scattered/", scatteredInstance},
	}
	for _, in := range instances {
		for _, task := range tasks {
			b.Run(in.name+task.name, func(b *testing.B) {
				s := in.make(b, 1000)
				r := mustRequest(b, task.td)
				b.ReportAllocs()
				for b.Loop() {
					a, err := s.Allocate(r)
					if err != nil {
						b.Fatal(err)
					}
					if err := s.Release(a); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "allocs/s")
			})
			b.Run("bind/"+in.name+task.name, func(b *testing.B) {
				s := in.make(b, 1000)
				r := mustRequest(b, task.td)
				ports := make([]uint16, r.Mappings())
				b.ReportAllocs()
				for b.Loop() {
					if fe, ok := s.Bind(r, ports); !ok {
						b.Fatal(fe.Error())
					}
					if err := s.Unbind(r, ports); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "allocs/s")
			})
		}
	}
}

// BenchmarkFits measures the check-only path over a fleet of 10,000
// instances, each with a few ports in use, as the placement engine runs it.
func BenchmarkFits(b *testing.B) {
	const fleet = 10000
	states := make([]*netmode.State, fleet)
	seed := mustState(b, instance("c5.large", false), netmode.Options{})
	for i := range states {
		states[i] = seed.Clone()
		held := taskDef("", ctr("web", tcpPort(80, 8000+i%50), tcpPort(81, 0)))
		if _, err := states[i].Allocate(mustRequest(b, held)); err != nil {
			b.Fatal(err)
		}
	}
	tasks := []struct {
		name string
		td   *ecs.TaskDefinition
	}{
		{"bridge-static+dynamic", taskDef("", ctr("web", tcpPort(80, 8025), tcpPort(443, 0)))},
		{"bridge-range", taskDef("", ctr("media", portRange("5000-5099", "udp")))},
		{"awsvpc", taskDef(ecs.NetworkModeAwsvpc, ctr("api", tcpPort(80, 80)))},
	}
	for _, task := range tasks {
		b.Run(task.name, func(b *testing.B) {
			r := mustRequest(b, task.td)
			b.ReportAllocs()
			checks := 0
			for b.Loop() {
				for _, s := range states {
					s.Fits(r)
				}
				checks += fleet
			}
			b.ReportMetric(float64(checks)/b.Elapsed().Seconds(), "checks/s")
		})
	}
}

// cloneSink keeps a clone alive, as a placement round keeps its snapshot.
var cloneSink *netmode.State

// BenchmarkClone measures a snapshot copy of an instance with 1,000 ports
// in use, and the first change to the copy, which copies the port lists.
func BenchmarkClone(b *testing.B) {
	s := busyInstance(b, 1000)
	r := mustRequest(b, dynamicTask(1))
	b.Run("clone", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cloneSink = s.Clone()
		}
	})
	b.Run("clone+allocate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Clone().Allocate(r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStateBytes measures the heap a State takes per instance, with
// a number of dynamic ports in use: given one after another, as next-fit
// hands them out (one run), or every other one (a run each).
func BenchmarkStateBytes(b *testing.B) {
	for _, scattered := range []bool{false, true} {
		for _, inUse := range []int{0, 16, 63, 1000} {
			if scattered && inUse == 0 {
				continue
			}
			name := fmt.Sprintf("inUse=%d", inUse)
			if scattered {
				name = "scattered/" + name
			}
			b.Run(name, func(b *testing.B) {
				var per float64
				for b.Loop() {
					per = bytesPerState(b, inUse, scattered)
				}
				b.ReportMetric(per, "bytes/instance")
			})
		}
	}
}

func bytesPerState(b *testing.B, inUse int, scattered bool) float64 {
	const n = 2000
	one := mustRequest(b, dynamicTask(1))
	ci := instance("m5.large", false)
	states := make([]*netmode.State, n)
	if _, err := netmode.New(ci); err != nil { // loads the catalogue
		b.Fatal(err)
	}
	before := heapInUse()
	for i := range states {
		s, err := netmode.New(ci)
		if err != nil {
			b.Fatal(err)
		}
		ports := make([]uint16, 1)
		for k := range inUse * (1 + bool2int(scattered)) {
			if _, ok := s.Bind(one, ports); !ok {
				b.Fatal("no port")
			}
			if scattered && k%2 == 1 {
				if err := s.Unbind(one, ports); err != nil {
					b.Fatal(err)
				}
			}
		}
		states[i] = s
	}
	after := heapInUse()
	runtime.KeepAlive(states)
	return float64(after-before) / n
}

func bool2int(v bool) int {
	if v {
		return 1
	}
	return 0
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
