package capacity

import (
	"context"

	"github.com/ecscore/ecscore/placement"
)

// ZoneUtilization is what the steady state of a type's plan takes of the
// instances of one Availability Zone.
type ZoneUtilization struct {
	AvailabilityZone string
	// Instances is the type's instances in the zone (the plan's count).
	Instances int
	// CPUUtilization and MemoryUtilization are the fractions (0 to 1) of
	// the zone's registered CPU and memory that the steady state's tasks
	// reserve, daemons included, where the placement put them; 0 in a
	// zone without instances.
	CPUUtilization, MemoryUtilization float64
}

// zoneCount is what the tasks placed take in each zone of a plan.
type zoneCount struct {
	index map[string]int // a zone's position in the plan's zones
	used  []usage
}

// add counts the tasks of p in b by zone; z may be nil.
func (z *zoneCount) add(b *placement.Batch, p *prepared) {
	if z == nil {
		return
	}
	for k := range b.Len() {
		if i, ok := z.index[b.AvailabilityZone(k)]; ok {
			z.used[i].add(p, 1)
		}
	}
}

// zoneUtilization returns, per zone in the order of the plan's zones,
// what the steady state of counts reserves of each zone's instances:
// from the engine of the search's last probe when that placed counts,
// else from one more placement of the steady state that counts its tasks
// by zone (no deployment surge, no headroom; not counted as a check: the
// search never reads it). The search's checks do not count by zone: this
// runs once per type's plan.
func (s *search) zoneUtilization(ctx context.Context, counts []int) ([]ZoneUtilization, error) {
	zc := &zoneCount{index: make(map[string]int, len(s.b.azs)), used: make([]usage, len(s.b.azs))}
	for z, az := range s.b.azs {
		zc.index[az] = z
	}
	if s.fit.e != nil && s.fit.key == countsKey(counts) {
		// The search's last probe that fitted placed counts: its engine
		// holds the steady state (each extra it placed was removed).
		for st := range s.fit.e.Instances() {
			if z, ok := zc.index[st.AvailabilityZone]; ok {
				zc.used[z].cpu += st.RegisteredCPU - st.CPU
				zc.used[z].mem += st.RegisteredMemoryMiB - st.MemoryMiB
			}
		}
		return s.zoneShares(counts, zc), nil
	}
	snap, err := placement.NewSnapshot(s.b.instances(counts), nil, s.opts)
	if err != nil {
		return nil, err
	}
	s.ck.unexplained, s.ck.perZone = true, zc
	defer func() { s.ck.unexplained, s.ck.perZone = false, nil }()
	o, err := s.ck.run(ctx, snap, []int{}, nil)
	if err != nil {
		return nil, err
	}
	if o.pe != nil { // the search checked that counts fit
		return nil, o.pe
	}
	return s.zoneShares(counts, zc), nil
}

// zoneShares returns what zc counted in each zone as shares of what the
// zone's instances register.
func (s *search) zoneShares(counts []int, zc *zoneCount) []ZoneUtilization {
	out := make([]ZoneUtilization, len(s.b.azs))
	for z, az := range s.b.azs {
		out[z] = ZoneUtilization{AvailabilityZone: az, Instances: counts[z]}
		u := zc.used[z]
		if regCPU, regMem := counts[z]*s.b.it.CPU, counts[z]*s.b.it.RegisteredMemoryMiB; regCPU > 0 && regMem > 0 {
			out[z].CPUUtilization = float64(u.cpu) / float64(regCPU)
			out[z].MemoryUtilization = float64(u.mem) / float64(regMem)
		}
	}
	return out
}
