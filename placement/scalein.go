package placement

import (
	"math/rand/v2"
	"slices"

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
	// Tasks, when not empty, limits the choice to these tasks of the
	// group, by ARN: a scheduler that may stop only some (the healthy
	// tasks of an older deployment, say). The group's other tasks still
	// count for the balance. ARNs the engine does not hold, or that are
	// not of the group, are ignored.
	Tasks []string
	// KeepResources makes the chosen tasks leave their group at once but
	// keep their CPU, memory, GPUs, ports and ENIs until Stop, as a task
	// the scheduler has asked to stop holds them until it is STOPPED.
	// Later placements then balance without them but cannot use their
	// room. Without it, ScaleIn stops them outright.
	KeepResources bool
}

// ScaleIn chooses Count tasks of the group to stop and stops them (or,
// with KeepResources, takes them out of the group), one after another,
// each choice seeing the ones before (rules 90 and 92).
// The strategy chain is read in reverse sense: binpack stops the task
// whose instance will have the most of the resource left after it stops
// (counting what tasks already on their way out will give back); spread
// over an attribute stops a task in the value with the most tasks of the
// group, and spread(instanceId) on the instance with the most; random
// stops a task at random (seeded). Ties go to the next step, then to the
// newest task. With no strategy the service default applies: the
// Availability Zone with the most tasks of the group, then the instance
// with the most — rule 92's stop rule. It returns the tasks chosen, in
// the order chosen; fewer than Count when the group (or Tasks) has fewer.
func (e *Engine) ScaleIn(req ScaleInRequest) ([]TaskState, error) {
	if e == nil {
		return nil, errNilEngine
	}
	e.lock()
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
		name = ecs.ServiceGroup(req.Service)
	}
	g := s.groups.lookup(name)
	if g < 0 {
		return nil, nil
	}
	cand := s.scaleInCandidates(g, req.Tasks)
	var cells *stopCells
	if !s.exhaustive && req.Count > 1 && !slices.ContainsFunc(steps, func(st step) bool { return st.kind == stepRandom }) {
		cells = s.newStopCells(cand, g, steps)
	}
	var out []TaskState
	for k := 0; k < req.Count && len(cand) > 0; k++ {
		var id int32
		if cells != nil {
			if id = cells.pop(); id < 0 {
				break
			}
		} else {
			j := s.victim(cand, g, steps, rand.NewPCG(req.Seed, uint64(k)))
			id = cand[j]
			cand = slices.Delete(cand, j, j+1)
		}
		out = append(out, s.taskState(id))
		inst := s.tasks[id].inst
		if req.KeepResources {
			s.hold(id)
		} else if err := s.stop(id); err != nil {
			return out, err
		}
		if cells != nil {
			cells.changed(inst)
		}
	}
	return out, nil
}

// scaleInCandidates returns the slots of the tasks of group g that may be
// chosen, newest first: all of them, or those of arns.
func (s *state) scaleInCandidates(g int32, arns []string) []int32 {
	var want map[string]bool
	if len(arns) > 0 {
		want = make(map[string]bool, len(arns))
		for _, a := range arns {
			want[a] = true
		}
	}
	var out []int32
	for k := range s.tasks {
		t := &s.tasks[k]
		if t.stopped || t.group != g || want != nil && !want[t.arn] {
			continue
		}
		out = append(out, int32(k))
	}
	s.byAge(out, true)
	return out
}

// victim returns the index in cand of the task to stop next by the
// chain: the first with the least score vector, cand being newest first.
func (s *state) victim(cand []int32, g int32, steps []step, src *rand.PCG) int {
	best := 0
	var bestKey, key [MaxStrategies]int64
	for j, id := range cand {
		t := &s.tasks[id]
		for k, st := range steps {
			key[k] = s.stopScore(t, g, st, src)
		}
		if j == 0 || less(key[:len(steps)], bestKey[:len(steps)]) {
			best, bestKey = j, key
		}
	}
	return best
}

// stopScore scores a task for scale-in by one step: lower stops first.
func (s *state) stopScore(t *task, g int32, st step, src *rand.PCG) int64 {
	in := &s.inst[t.inst]
	switch st.kind {
	case stepBinpackCPU:
		return -int64(in.cpu + in.relCPU + t.shape.cpu)
	case stepBinpackMemory:
		return -int64(in.mem + in.relMem + t.shape.mem)
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
