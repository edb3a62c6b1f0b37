package capacity

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// FleetPart is one instance type of a mixed fleet (an option whose
// InstanceType is empty) and the replica services pinned to it: a
// memberOf placement constraint on attribute:ecs.instance-type, or a
// capacity provider per type, keeps them there. Daemons run on every
// instance of every part.
type FleetPart struct {
	InstanceType string
	// Counts are the instances per zone, in the plan's zone order.
	Counts []int
	// Workloads are the replica services the part runs, and Shape the
	// shapes of their tasks: CPU-heavy (at most 3 GiB of memory a vCPU),
	// balanced (at most 6) or memory-heavy, joined by "+".
	Workloads []string
	Shape     string
	// Cost is what the part costs a month (on demand, or Spot in the
	// EC2_SPOT option).
	Cost Cost
	// CPUUtilization and MemoryUtilization are the part's.
	CPUUtilization, MemoryUtilization float64
}

// Shapes of task the mixed fleets group services by, in MiB of memory a
// vCPU: at most 3 GiB (c types have 2), at most 6 GiB (m types have 4),
// more (r types have 8).
const (
	shapeCPU    = "CPU-heavy"
	shapeEven   = "balanced"
	shapeMemory = "memory-heavy"
)

// shapeOf returns the shape of p's task.
func shapeOf(p *prepared) string {
	switch mib := p.demand.MemoryMiB; {
	case p.demand.CPU > 0 && mib*1024 <= 3072*p.demand.CPU:
		return shapeCPU
	case p.demand.CPU > 0 && mib*1024 <= 6144*p.demand.CPU:
		return shapeEven
	}
	return shapeMemory
}

// mixGroup is a set of replica workloads planned on a fleet of their own.
type mixGroup struct {
	shapes []string
	ws     []int // indexes in the prepared workloads
}

// partitions returns the ways of splitting the replica workloads (not
// excluded) into groups by the shape of their tasks: each shape alone,
// and each two neighbouring shapes together; none when they all have one
// shape.
func partitions(ws []prepared, excluded map[int]bool) [][]mixGroup {
	byShape := map[string][]int{}
	for i := range ws {
		if !ws[i].w.Daemon && !excluded[i] && ws[i].w.DesiredCount > 0 {
			s := shapeOf(&ws[i])
			byShape[s] = append(byShape[s], i)
		}
	}
	var shapes []string
	for _, s := range []string{shapeCPU, shapeEven, shapeMemory} {
		if len(byShape[s]) > 0 {
			shapes = append(shapes, s)
		}
	}
	group := func(ss ...string) mixGroup {
		g := mixGroup{shapes: ss}
		for _, s := range ss {
			g.ws = append(g.ws, byShape[s]...)
		}
		return g
	}
	switch len(shapes) {
	case 2:
		return [][]mixGroup{{group(shapes[0]), group(shapes[1])}}
	case 3:
		return [][]mixGroup{
			{group(shapes[0]), group(shapes[1]), group(shapes[2])},
			{group(shapes[0], shapes[1]), group(shapes[2])},
			{group(shapes[0]), group(shapes[1], shapes[2])},
		}
	}
	return nil
}

// mix plans each group of every partition on a fleet of its own (the
// group's services, every daemon, the headroom in the group of the
// largest task) and, where a combination of different types costs less
// than the cheapest single type, makes it the EC2 option (and, without
// a Spot bound, the EC2_SPOT option); the plan's notes say why, or why
// not.
func (p *Planner) mix(ctx context.Context, ws []prepared, excluded map[int]bool, out *Plan) error {
	parts := partitions(ws, excluded)
	if len(parts) == 0 {
		out.Notes = append(out.Notes, "mixed fleets: every service's task has the same shape (CPU to memory), so one instance type serves them all")
		return nil
	}
	plans := map[string]*Plan{}
	for _, part := range parts {
		for _, g := range part {
			key := strings.Join(g.shapes, "+")
			if plans[key] != nil {
				continue
			}
			sub, err := p.subPlan(ctx, ws, g)
			if err != nil {
				return err
			}
			plans[key] = sub
			out.Checks += sub.Checks
		}
	}
	for k, spot := range []bool{false, true} {
		if spot && p.o.MinOnDemandShare > 0 {
			out.Notes = append(out.Notes, "EC2_SPOT: with its Spot share bounded, the fleet is of one instance type")
			continue
		}
		o := &out.Options[k]
		best, bestCost := []FleetPart(nil), 0.0
		for _, part := range parts {
			fleet, c, ok := cheapestMix(ws, part, plans, spot)
			if ok && (best == nil || c < bestCost) {
				best, bestCost = fleet, c
			}
		}
		if best == nil {
			continue
		}
		single := "no single instance type holds every service"
		if o.Cost.Priced() {
			single = fmt.Sprintf("the cheapest single type, %s, %.2f", optionTypes(o), o.Cost.Monthly)
		}
		what := describeMix(best)
		if o.Cost.Priced() && bestCost >= o.Cost.Monthly {
			out.Notes = append(out.Notes, fmt.Sprintf("%s: no mixed fleet costs less: the cheapest, %s, costs %.2f a month; %s",
				o.Kind, what, bestCost, single))
			continue
		}
		*o = p.mixedOption(o.Kind, out.AvailabilityZones, best, bestCost, o.Notes)
		out.Notes = append(out.Notes, fmt.Sprintf("%s is a mixed fleet: %s cost %.2f a month, against %s; "+
			"pin each service to its type with a memberOf placement constraint on attribute:ecs.instance-type (or a capacity provider per type)",
			o.Kind, what, bestCost, single))
	}
	out.recommend()
	return nil
}

// optionTypes names the type of a single-type option.
func optionTypes(o *Option) string { return cmp.Or(o.InstanceType, "a mixed fleet") }

// subPlan plans group g's services and every daemon, with the headroom
// when g holds the largest task.
func (p *Planner) subPlan(ctx context.Context, ws []prepared, g mixGroup) (*Plan, error) {
	sub := &Planner{o: p.o, trace: p.trace}
	sub.o.MixedTypes, sub.o.Progress, sub.o.MinOnDemandShare = false, nil, 0
	big := largestTask(ws)
	if big == nil || !slices.Contains(g.ws, big.index(ws)) {
		sub.o.Headroom = 0
	}
	var group []Workload
	for _, pw := range inOrder(ws) {
		if pw.w.Daemon || slices.ContainsFunc(g.ws, func(i int) bool { return ws[i].w == pw.w }) {
			group = append(group, *pw.w)
		}
	}
	return sub.Plan(ctx, group)
}

// cheapestMix returns the cheapest fleet of a partition whose parts use
// at least two types: each group on one of its three cheapest types (on
// demand, or Spot).
func cheapestMix(ws []prepared, part []mixGroup, plans map[string]*Plan, spot bool) ([]FleetPart, float64, bool) {
	choices := make([][]*TypePlan, len(part))
	for i, g := range part {
		sub := plans[strings.Join(g.shapes, "+")]
		for j := range sub.Types {
			tp := &sub.Types[j]
			c := tp.OnDemand
			if spot {
				c = tp.Spot
			}
			if tp.Err == nil && c.Priced() {
				choices[i] = append(choices[i], tp)
			}
		}
		slices.SortStableFunc(choices[i], func(a, b *TypePlan) int { return cmp.Compare(cost(a, spot), cost(b, spot)) })
		choices[i] = choices[i][:min(len(choices[i]), 3)]
		if len(choices[i]) == 0 {
			return nil, 0, false
		}
	}
	var best []*TypePlan
	bestCost := 0.0
	pick := make([]*TypePlan, len(part))
	var walk func(i int)
	walk = func(i int) {
		if i == len(part) {
			c, types := 0.0, map[string]bool{}
			for _, tp := range pick {
				c += cost(tp, spot)
				types[tp.InstanceType] = true
			}
			if len(types) > 1 && (best == nil || c < bestCost) {
				best, bestCost = slices.Clone(pick), c
			}
			return
		}
		for _, tp := range choices[i] {
			pick[i] = tp
			walk(i + 1)
		}
	}
	walk(0)
	if best == nil {
		return nil, 0, false
	}
	fleet := make([]FleetPart, len(part))
	for i, tp := range best {
		fp := FleetPart{InstanceType: tp.InstanceType, Counts: tp.Counts, Cost: tp.OnDemand,
			CPUUtilization: tp.CPUUtilization, MemoryUtilization: tp.MemoryUtilization}
		if spot {
			fp.Cost = tp.Spot
		}
		for _, w := range part[i].ws {
			fp.Workloads = append(fp.Workloads, ws[w].w.Name)
		}
		fp.Shape = strings.Join(part[i].shapes, "+")
		slices.Sort(fp.Workloads)
		fleet[i] = fp
	}
	return fleet, bestCost, true
}

// describeMix says what runs where.
func describeMix(fleet []FleetPart) string {
	var parts []string
	for _, fp := range fleet {
		parts = append(parts, fmt.Sprintf("%s (%s) on %d × %s", strings.Join(fp.Workloads, ", "), fp.Shape,
			sumCounts(fp.Counts), fp.InstanceType))
	}
	return strings.Join(parts, " and ")
}

// mixedOption returns the option of kind that runs fleet.
func (p *Planner) mixedOption(kind OptionKind, zones []string, fleet []FleetPart, total float64, notes []string) Option {
	o := Option{Kind: kind, Parts: fleet, Cost: Cost{Monthly: total}, Notes: notes}
	var cpu, mem, regCPU, regMem float64
	for _, fp := range fleet {
		for z, n := range fp.Counts {
			o.Instances = append(o.Instances, InstanceCount{InstanceType: fp.InstanceType, AvailabilityZone: zones[z], Count: n})
		}
		// Each part weighs by what its instances register.
		it, _ := p.catalog().Lookup(fp.InstanceType)
		c, m := float64(sumCounts(fp.Counts)*it.CPU), float64(sumCounts(fp.Counts)*it.RegisteredMemoryMiB)
		cpu, regCPU = cpu+fp.CPUUtilization*c, regCPU+c
		mem, regMem = mem+fp.MemoryUtilization*m, regMem+m
	}
	if regCPU > 0 && regMem > 0 {
		o.CPUUtilization, o.MemoryUtilization = cpu/regCPU, mem/regMem
	}
	return o
}

func sumCounts(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
