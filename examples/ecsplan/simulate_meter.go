package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// The figures of a run are integrals over the virtual clock, not sums of
// samples, so that they do not depend on -interval: a service's counts
// change only at its scheduler's steps, which report them with the time,
// so its waiting task-hours and Fargate cost are exact; the instances of
// the Auto Scaling groups are counted every virtual minute (from each
// instance's launch time on), so an instance's hours are exact to the
// minute it ends in.

// simMeter integrates a service's counts over the virtual clock.
type simMeter struct {
	at               time.Time // when the counts below took effect
	desired, running int
	spot             int     // of running, the tasks on FARGATE_SPOT
	rates            simRate // the service's Fargate prices, 0 when not on Fargate
	waitingHours     float64 // task-hours desired but not running
	cost             float64 // Fargate task-hours × price
}

// simRate is what one Fargate task of a service costs an hour, on
// demand and on FARGATE_SPOT.
type simRate struct{ onDemand, spot float64 }

// advance integrates the counts up to t.
func (m *simMeter) advance(t time.Time) {
	h := t.Sub(m.at).Hours()
	if h <= 0 {
		return
	}
	m.waitingHours += float64(max(m.desired-m.running, 0)) * h
	m.cost += (float64(m.running-m.spot)*m.rates.onDemand + float64(m.spot)*m.rates.spot) * h
	m.at = t
}

// onStep records a scheduler step at t: the counts after it, the tasks it
// started and its "unable to place" events.
func (m *simMeter) onStep(t time.Time, st *deploy.State, res *deploy.Result, now *simServiceNow, stats *simServiceStats) {
	m.advance(t)
	svc := res.Service
	m.desired, m.running = svc.DesiredCount, svc.RunningCount
	if m.rates.spot != 0 {
		m.spot = 0
		for i := range st.Tasks {
			if tk := &st.Tasks[i]; tk.LastStatus == ecs.TaskStatusRunning && tk.CapacityProviderName == capacity.FargateSpot {
				m.spot++
			}
		}
		m.spot = min(m.spot, m.running)
	}
	now.Desired, now.Running, now.Pending = svc.DesiredCount, svc.RunningCount, svc.PendingCount
	stats.MinDesired, stats.MaxDesired = min(stats.MinDesired, svc.DesiredCount), max(stats.MaxDesired, svc.DesiredCount)
	stats.TasksStarted += len(res.Start)
	for _, k := range res.Kinds {
		if k == deploy.EventUnableToPlace {
			stats.UnableToPlace++
		}
	}
}

// fargateRates returns what a Fargate task of td costs an hour on demand
// and on FARGATE_SPOT, at the capacity package's rates for td's size
// (task-level cpu and memory) and runtime platform: the operating system
// licence of Windows included, and no Spot price for Windows, which
// FARGATE_SPOT does not run. spot says whether the service uses
// FARGATE_SPOT.
func fargateRates(prices *capacity.PriceTable, td *ecs.TaskDefinition, spot bool) (simRate, error) {
	cpu, err := ecs.ParseCPU(td.CPU)
	if err != nil {
		return simRate{}, fmt.Errorf("task definition %s: cpu: %w", td.Family, err)
	}
	mem, err := ecs.ParseMemory(td.Memory)
	if err != nil {
		return simRate{}, fmt.Errorf("task definition %s: memory: %w", td.Family, err)
	}
	size := ecs.FargateSize{CPU: cpu, MemoryMiB: mem}
	p := capacity.Platform{}
	if rp := td.RuntimePlatform; rp != nil {
		p.OS, p.Architecture = rp.OperatingSystemFamily, rp.CPUArchitecture
	}
	var r simRate
	if r.onDemand, err = prices.FargateHourly(size, p); err != nil {
		return simRate{}, err
	}
	if spot {
		p.Spot = true
		if r.spot, err = prices.FargateHourly(size, p); err != nil {
			return simRate{}, err
		}
	}
	return r, nil
}

// simFleet counts the instances of a run per pool (type and zone) and
// integrates them over the virtual clock.
type simFleet struct {
	keys      []string       // pools in the order found
	index     map[string]int // pool index by key
	static    []int          // instances that stay, per pool
	live      map[string]*simLive
	counts    []int     // instances per pool at the latest poll
	hours     []float64 // instance-hours per pool up to the latest poll
	lo, hi    []int     // least and most instances per pool
	spot      int       // of the groups' instances at the latest poll, the Spot ones
	spotHours float64   // Spot instance-hours up to the latest poll
	at        time.Time // the latest poll
	polls     uint64
}

// simLive is an Auto Scaling group's instance as the fleet last saw it.
type simLive struct {
	pool int
	seen uint64 // the poll that last saw it
}

func newSimFleet(start time.Time) *simFleet {
	return &simFleet{index: map[string]int{}, live: map[string]*simLive{}, at: start}
}

// pool returns the index of the pool key, adding it (with no instances
// before now, unless it is found at the start).
func (f *simFleet) pool(key string) int {
	if i, ok := f.index[key]; ok {
		return i
	}
	i := len(f.keys)
	f.index[key] = i
	f.keys = append(f.keys, key)
	f.static = append(f.static, 0)
	f.counts = append(f.counts, 0)
	f.hours = append(f.hours, 0)
	f.lo = append(f.lo, 0)
	f.hi = append(f.hi, 0)
	return i
}

// poll counts the groups' instances at now: those counted at the poll
// before ran until now (an instance gone since then ended at most a
// minute ago, as the polls are a virtual minute apart), and one found
// for the first time has run since its launch.
func (f *simFleet) poll(ctx context.Context, w *simWorld, now time.Time) error {
	h := now.Sub(f.at).Hours()
	for i, n := range f.counts {
		f.hours[i] += float64(n) * h
	}
	f.spotHours += float64(f.spot) * h
	f.spot = 0
	f.polls++
	copy(f.counts, f.static)
	for _, g := range w.groups {
		st, err := w.e.DescribeAutoScalingGroup(ctx, g.name)
		if err != nil {
			return err
		}
		for _, in := range st.Instances {
			l := f.live[in.EC2InstanceID]
			if l == nil {
				l = &simLive{pool: f.pool(poolKey(g.instanceType, in.AvailabilityZone))}
				f.live[in.EC2InstanceID] = l
				if !in.LaunchedAt.Before(f.at) {
					f.hours[l.pool] += now.Sub(in.LaunchedAt).Hours()
					if in.Spot {
						f.spotHours += now.Sub(in.LaunchedAt).Hours()
					}
				}
			}
			l.seen = f.polls
			f.counts[l.pool]++
			if in.Spot {
				f.spot++
			}
		}
	}
	for id, l := range f.live {
		if l.seen != f.polls {
			delete(f.live, id)
		}
	}
	for i, n := range f.counts {
		if f.polls == 1 {
			f.lo[i] = n
		}
		f.lo[i], f.hi[i] = min(f.lo[i], n), max(f.hi[i], n)
	}
	f.at = now
	return nil
}
