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

// zoneUtilization places the steady state of counts once more (no
// deployment surge, no headroom, not counted as a check: the search never
// reads it) and returns, per zone in the order of the plan's zones, what
// its tasks reserve of each zone's instances.
func (s *search) zoneUtilization(ctx context.Context, counts []int) ([]ZoneUtilization, error) {
	snap, err := placement.NewSnapshot(s.b.instances(counts), nil, s.opts)
	if err != nil {
		return nil, err
	}
	s.ck.unexplained = true
	defer func() { s.ck.unexplained = false }()
	o, e, err := s.ck.steady(ctx, snap, []int{}, nil, false)
	if err != nil {
		return nil, err
	}
	if o.pe != nil { // the search checked that counts fit
		return nil, o.pe
	}
	return zoneUsage(s.b.azs, counts, e), nil
}

// zoneUsage sums, per zone of azs, the registered and the reserved
// (registered less remaining) CPU and memory of e's instances.
func zoneUsage(azs []string, counts []int, e *placement.Engine) []ZoneUtilization {
	index := make(map[string]int, len(azs))
	for z, az := range azs {
		index[az] = z
	}
	used := make([]usage, len(azs))
	for st := range e.Instances() {
		z, ok := index[st.AvailabilityZone]
		if !ok {
			continue
		}
		u := &used[z]
		u.regCPU += st.RegisteredCPU
		u.regMem += st.RegisteredMemoryMiB
		u.cpu += st.RegisteredCPU - st.CPU
		u.mem += st.RegisteredMemoryMiB - st.MemoryMiB
	}
	out := make([]ZoneUtilization, len(azs))
	for z, az := range azs {
		out[z] = ZoneUtilization{AvailabilityZone: az}
		if z < len(counts) {
			out[z].Instances = counts[z]
		}
		if u := used[z]; u.regCPU > 0 && u.regMem > 0 {
			out[z].CPUUtilization = float64(u.cpu) / float64(u.regCPU)
			out[z].MemoryUtilization = float64(u.mem) / float64(u.regMem)
		}
	}
	return out
}
