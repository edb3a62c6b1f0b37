package capacity

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// search finds the counts of one instance type.
type search struct {
	ck     *checker
	b      *builder
	opts   *placement.SnapshotOptions
	checks *atomic.Int64 // shared by every search of a plan
	n      int           // checks this search ran
}

// try reports whether the workloads fit counts[z] instances in zone z,
// and if not, why.
func (s *search) try(ctx context.Context, counts []int, u *usage) (*PlacementError, error) {
	snap, err := placement.NewSnapshot(s.b.instances(counts), nil, s.opts)
	if err != nil {
		return nil, err
	}
	s.n++
	s.checks.Add(1)
	return s.ck.run(ctx, snap, u)
}

// probe reports, for each workload, why its task fits no instance of the
// type, when it does not: a task definition for another architecture or
// for Windows, or placement's answer for one instance in each zone.
func (s *search) probe(ctx context.Context) (map[int]error, error) {
	out := map[int]error{}
	arch := s.b.it.Architecture
	if arch == "" {
		arch = "x86_64"
	}
	for i, p := range s.ck.ws {
		switch {
		case p.windows:
			out[i] = errors.New("a Windows task: the planner's instances run Linux")
		case p.arch != "" && p.arch != arch:
			out[i] = fmt.Errorf("an %s task on an %s instance type", p.arch, arch)
		}
	}
	ones := make([]int, len(s.b.azs))
	for z := range ones {
		ones[z] = 1
	}
	snap, err := placement.NewSnapshot(s.b.instances(ones), nil, s.opts)
	if err != nil {
		return nil, err
	}
	fails, err := s.ck.probe(ctx, snap)
	if err != nil {
		return nil, err
	}
	for i, pe := range fails {
		if out[i] == nil {
			out[i] = pe
		}
	}
	return out, nil
}

// uniform returns counts of n in every zone.
func (s *search) uniform(n int) []int {
	c := make([]int, len(s.b.azs))
	for z := range c {
		c[z] = n
	}
	return c
}

// run finds the counts: the lower bound, then doubling until the
// workloads fit, then a binary search between the last count that failed
// and the first that fit, the same count in every zone; then, zone by
// zone from the last, the fewest instances the zone can do with, until no
// zone can lose one. The result fails when any one instance is removed.
func (s *search) run(ctx context.Context) ([]int, error) {
	lo := lowerBound(s.ck, s.b.it, s.b.trunk, len(s.b.azs)) - 1 // fails, or is 0
	limit := max(lo+1, s.taskCount()+1)
	hi := lo + 1
	for {
		pe, err := s.try(ctx, s.uniform(hi), nil)
		if err != nil {
			return nil, err
		}
		if pe == nil {
			break
		}
		if hi >= limit {
			return nil, fmt.Errorf("no count up to %d per zone holds the workloads: %w", limit, pe)
		}
		lo, hi = hi, min(2*hi, limit)
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		pe, err := s.try(ctx, s.uniform(mid), nil)
		if err != nil {
			return nil, err
		}
		if pe == nil {
			hi = mid
		} else {
			lo = mid
		}
	}
	return s.trim(ctx, s.uniform(hi))
}

// trim lowers each zone's count, last zone first, to the least that
// still fits (a binary search over the zone's count), and repeats until
// taking one instance from any zone fails.
func (s *search) trim(ctx context.Context, counts []int) ([]int, error) {
	fits := func(z, n int) (bool, error) {
		c := append([]int(nil), counts...)
		c[z] = n
		pe, err := s.try(ctx, c, nil)
		return pe == nil, err
	}
	for changed := true; changed; {
		changed = false
		for z := len(counts) - 1; z >= 0; z-- {
			if counts[z] == 0 {
				continue
			}
			ok, err := fits(z, counts[z]-1)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			lo, hi := -1, counts[z]-1 // lo fails (or is below 0), hi fits
			for hi-lo > 1 {
				mid := lo + (hi-lo)/2
				ok, err := fits(z, mid)
				if err != nil {
					return nil, err
				}
				if ok {
					hi = mid
				} else {
					lo = mid
				}
			}
			counts[z], changed = hi, true
		}
	}
	return counts, nil
}

// taskCount returns the most tasks live at once in any phase: with one
// task per instance, that many instances in each zone hold them.
func (s *search) taskCount() int {
	steady, peak := 0, s.ck.headroom
	for _, p := range s.ck.ws {
		if !p.w.Daemon {
			steady += p.w.DesiredCount
			peak = max(peak, p.surge)
		}
	}
	return steady + peak
}

// lowerBound returns a count per zone below which the workloads cannot
// fit instances of it: for CPU, memory, GPUs and ENIs, the most the
// steady state plus the largest of the headroom and each surge needs,
// over what an instance offers after the daemons that run on every
// instance; and for a service with static host ports, one instance per
// task at its peak. It is at least 1.
func lowerBound(ck *checker, it ecs.InstanceType, trunk bool, zones int) int {
	enis, _ := it.AwsvpcTaskLimit(trunk)
	offer := [4]int{it.CPU, it.RegisteredMemoryMiB, it.GPUs, enis}
	var steady, peak [4]int
	instances := 1
	dims := func(r ecs.Resources) [4]int { return [4]int{r.CPU, r.MemoryMiB, r.GPUs, r.ENIs} }
	for _, p := range ck.ws {
		d := dims(p.demand)
		if p.w.Daemon {
			if len(p.w.Constraints) == 0 && len(p.w.TaskDefinition.PlacementConstraints) == 0 {
				for k := range offer {
					offer[k] -= d[k]
				}
			}
			continue
		}
		for k := range d {
			steady[k] += p.w.DesiredCount * d[k]
			peak[k] = max(peak[k], p.surge*d[k])
		}
		if p.static {
			instances = max(instances, p.w.DesiredCount+p.surge)
		}
	}
	if big := ck.big; big != nil {
		d := dims(big.demand)
		for k := range d {
			peak[k] = max(peak[k], ck.headroom*d[k])
		}
	}
	for k := range offer {
		if need := steady[k] + peak[k]; need > 0 && offer[k] > 0 {
			instances = max(instances, ceilDiv(need, offer[k]))
		}
	}
	return max(ceilDiv(instances, zones), 1)
}

// usage is what the steady state takes of the instances, and what they
// registered.
type usage struct {
	cpu, mem, regCPU, regMem int
}
