package deploy

import (
	"cmp"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// stopInstance is what the scale-in rule needs of an instance: its ARN
// and zone, the live tasks of the service on it, and what it has left.
type stopInstance struct {
	arn, az  string
	tasks    int
	cpu, mem int
	cand     []string // candidates on it, filled by spreadStop
}

// stopCandidate is a task that may be stopped and its instance's index.
type stopCandidate struct {
	arn  string
	inst int
}

// selectStop applies the scale-in rule of the first step of strategy
// (rules 90 and 92) to cand, taking n:
//
//   - binpack(cpu|memory): the task on the instance with the most of the
//     resource left, as it will have the most left after termination;
//   - random: an order fixed by the task ARNs;
//   - spread(field), and the default spread over Availability Zones: the
//     field's value with the most tasks of the service, then within it the
//     instance with the most, so that the values stay balanced.
//
// Ties go to the ARN that sorts first. attr returns an attribute of
// instance i.
//
// The placement package is to provide scale-in selection; until it does,
// this is the rule for the enginePlacer.
func selectStop(strategy []ecs.PlacementStrategy, cand []stopCandidate, n int, insts []stopInstance, attr func(i int, name string) string) []string {
	n = min(n, len(cand))
	slices.SortFunc(cand, func(a, b stopCandidate) int { return strings.Compare(a.arn, b.arn) })
	first := ecs.PlacementStrategy{Type: ecs.PlacementStrategyTypeSpread, Field: "attribute:" + ecs.AttrAvailabilityZone}
	if len(strategy) > 0 {
		first = strategy[0]
	}
	switch first.Type {
	case ecs.PlacementStrategyTypeBinpack:
		mem := strings.EqualFold(first.Field, "memory")
		slices.SortStableFunc(cand, func(a, b stopCandidate) int {
			ia, ib := &insts[a.inst], &insts[b.inst]
			if mem {
				return cmp.Compare(ib.mem, ia.mem)
			}
			return cmp.Compare(ib.cpu, ia.cpu)
		})
		return arns(cand[:n])
	case ecs.PlacementStrategyTypeRandom:
		slices.SortStableFunc(cand, func(a, b stopCandidate) int { return cmp.Compare(hash(a.arn), hash(b.arn)) })
		return arns(cand[:n])
	}
	return spreadStop(cand, n, first.Field, insts, attr)
}

func arns(cand []stopCandidate) []string {
	out := make([]string, len(cand))
	for i, c := range cand {
		out[i] = c.arn
	}
	return out
}

// spreadStop takes n candidates from the fullest value of field, then
// from the fullest instance of that value.
func spreadStop(cand []stopCandidate, n int, field string, insts []stopInstance, attr func(int, string) string) []string {
	ids := make(map[string]int)
	valueOf := make([]int, len(insts))
	var names []string
	for i := range insts {
		var v string
		switch {
		case field == "instanceId" || field == "host":
			v = insts[i].arn
		case field == "" || field == "attribute:"+ecs.AttrAvailabilityZone:
			v = insts[i].az
		default:
			v = attr(i, strings.TrimPrefix(field, "attribute:"))
		}
		id, ok := ids[v]
		if !ok {
			id = len(names)
			ids[v] = id
			names = append(names, v)
		}
		valueOf[i] = id
	}
	valueTasks := make([]int, len(names))
	byValue := make([][]int, len(names)) // instances with candidates
	for i := range insts {
		valueTasks[valueOf[i]] += insts[i].tasks
	}
	for _, c := range cand {
		in := &insts[c.inst]
		if len(in.cand) == 0 {
			byValue[valueOf[c.inst]] = append(byValue[valueOf[c.inst]], c.inst)
		}
		in.cand = append(in.cand, c.arn)
	}
	out := make([]string, 0, n)
	for len(out) < n {
		bv := -1
		for v := range names {
			if len(byValue[v]) > 0 && (bv < 0 || valueTasks[v] > valueTasks[bv] ||
				valueTasks[v] == valueTasks[bv] && names[v] < names[bv]) {
				bv = v
			}
		}
		list := byValue[bv]
		bi := 0
		for k := 1; k < len(list); k++ {
			a, b := &insts[list[k]], &insts[list[bi]]
			if a.tasks > b.tasks || a.tasks == b.tasks && a.arn < b.arn {
				bi = k
			}
		}
		in := &insts[list[bi]]
		out = append(out, in.cand[0])
		in.cand = in.cand[1:]
		in.tasks--
		valueTasks[bv]--
		if len(in.cand) == 0 {
			byValue[bv] = slices.Delete(list, bi, bi+1)
		}
	}
	return out
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
