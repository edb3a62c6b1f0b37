package placement

import (
	"math/rand/v2"

	"github.com/ecscore/ecscore/ecs"
)

// ScaleInRequest asks which tasks of a group to stop.
type ScaleInRequest struct {
	// Service names the service, whose group is service:<Service>;
	// otherwise Group names the group.
	Service string
	Group   string
	// Count is the number of tasks to stop.
	Count int
	// Strategy is the group's placement strategy; empty means the
	// service default, whose stop rule is rule 92's.
	Strategy []ecs.PlacementStrategy
	// Seed seeds the random strategy.
	Seed uint64
}

// ScaleIn chooses Count tasks of the group to stop and stops them, one
// after another, each choice seeing the ones before (rules 90 and 92).
// The strategy chain is read in reverse sense: binpack stops the task
// whose instance will have the most of the resource left after it stops;
// spread over an attribute stops a task in the value with the most tasks
// of the group, and spread(instanceId) on the instance with the most;
// random stops a task at random (seeded). Ties go to the next step, then
// to the newest task. With no strategy the service default applies:
// the Availability Zone with the most tasks of the group, then the
// instance with the most — rule 92's stop rule. It returns the tasks
// stopped; fewer than Count when the group has fewer.
func (e *Engine) ScaleIn(req ScaleInRequest) ([]TaskState, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.s
	chain := req.Strategy
	if len(chain) == 0 {
		chain = ServiceDefaultStrategy()
	}
	steps, err := compileStrategy(chain)
	if err != nil {
		return nil, err
	}
	name := req.Group
	if req.Service != "" {
		name = "service:" + req.Service
	}
	g := s.groups.lookup(name)
	var out []TaskState
	for k := 0; k < req.Count && g >= 0; k++ {
		id, ok := s.victim(g, steps, rand.NewPCG(req.Seed, uint64(k)))
		if !ok {
			break
		}
		out = append(out, s.taskState(id))
		if err := s.stop(id); err != nil {
			return out, err
		}
	}
	return out, nil
}

// victim returns the task of group g to stop next by the chain.
func (s *state) victim(g int32, steps []step, src *rand.PCG) (TaskID, bool) {
	best, found := TaskID(0), false
	var bestKey [MaxStrategies]int64
	for k := len(s.tasks) - 1; k >= 0; k-- {
		t := &s.tasks[k]
		if t.stopped || t.group != g {
			continue
		}
		var key [MaxStrategies]int64
		for j, st := range steps {
			key[j] = s.stopScore(t, g, st, src)
		}
		if !found || less(key[:len(steps)], bestKey[:len(steps)]) {
			best, bestKey, found = TaskID(k), key, true
		}
	}
	return best, found
}

// stopScore scores a task for scale-in by one step: lower stops first.
func (s *state) stopScore(t *task, g int32, st step, src *rand.PCG) int64 {
	in := &s.inst[t.inst]
	switch st.kind {
	case stepBinpackCPU:
		return -int64(in.cpu + t.cpu)
	case stepBinpackMemory:
		return -int64(in.mem + t.mem)
	case stepSpreadInstance:
		return -int64(in.count(g))
	case stepSpreadAttr:
		vc := s.valueCounts(g, st.attr)
		return -int64(vc.counts[vc.part.valueOf(in.attrs)])
	}
	return int64(src.Uint64() >> 1)
}

// less compares score vectors lexicographically.
func less(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
