package capacity

import (
	"fmt"
	"slices"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// ZoneLoss says what a plan must keep running after the loss of any one
// Availability Zone.
//
// The model: the tasks on the other zones' instances keep running where
// they are, and each service's scheduler re-places its lost tasks on
// those instances with its strategy and constraints (rule 167), on its
// own and up to the service's desired count (rule 179), in an order
// nobody chooses. A plan survives when, for each zone lost and each
// replica service S, S still reaches its target after every other
// service has re-placed up to its desired count (as much as fits)
// first, the others largest first and again smallest first: a service
// is not saved by one favourable order of the schedulers.
type ZoneLoss string

// The zone losses a Planner plans for.
const (
	// ZoneLossNone plans for no zone loss.
	ZoneLossNone ZoneLoss = ""
	// ZoneLossMinimumHealthy keeps each replica service at its minimum
	// healthy tasks, ⌈desiredCount × minimumHealthyPercent / 100⌉ (rule
	// 118), after any one zone is lost.
	ZoneLossMinimumHealthy ZoneLoss = "minimum-healthy"
	// ZoneLossFull keeps each replica service at its desired count after
	// any one zone is lost.
	ZoneLossFull ZoneLoss = "full"
)

// PhaseZoneLoss is the check that the services survive the loss of one
// zone: the tasks on the other zones' instances keep running, and each
// service's scheduler places the tasks it lost on those instances, as it
// replaces the tasks of a draining instance (rule 167), the other
// services re-placing theirs first (see ZoneLoss).
const PhaseZoneLoss Phase = "zone loss"

// validZoneLoss checks mode against the zones planned.
func validZoneLoss(mode ZoneLoss, zones int) error {
	switch mode {
	case ZoneLossNone:
		return nil
	case ZoneLossMinimumHealthy, ZoneLossFull:
	default:
		return fmt.Errorf("capacity: SurviveZoneLoss %q is not %q or %q", mode, ZoneLossMinimumHealthy, ZoneLossFull)
	}
	if zones < 2 {
		return fmt.Errorf("capacity: SurviveZoneLoss needs at least 2 Availability Zones, not %d", zones)
	}
	return nil
}

// survive adds to c, for each zone, the extra that checks the loss of
// that zone (none for ZoneLossNone or without a replica workload). It
// returns c.
func (c *checker) survive(mode ZoneLoss, zones []string) *checker {
	if mode == ZoneLossNone || c.big == nil {
		return c
	}
	c.loss = mode
	for _, z := range zones {
		// p (the largest task) is the unit of the search's estimates.
		c.extras = append(c.extras, extra{p: c.big, phase: PhaseZoneLoss, zone: z})
	}
	return c
}

// lossTarget returns the tasks of p that must run after a loss: its
// minimum healthy tasks, or with ZoneLossFull its desired count.
func (c *checker) lossTarget(p *prepared) int {
	if c.loss == ZoneLossFull {
		return p.w.DesiredCount
	}
	return minimumHealthy(p)
}

// zoneTasks is what an engine's steady state has in each zone: the ARNs
// of the instances outside it, and the tasks of each task group in it
// and in all zones.
type zoneTasks struct {
	e      *placement.Engine
	others map[string][]string
	in     map[string]map[string]int
	total  map[string]int
}

// zones reads e's instances once per engine: a search places the extras
// of one check on the same steady state.
func (c *checker) zones(e *placement.Engine) *zoneTasks {
	if c.zt != nil && c.zt.e == e {
		return c.zt
	}
	zt := &zoneTasks{e: e, others: map[string][]string{}, in: map[string]map[string]int{}, total: map[string]int{}}
	var all []placement.InstanceState
	for st := range e.Instances() {
		all = append(all, st)
		if zt.in[st.AvailabilityZone] == nil {
			zt.in[st.AvailabilityZone] = map[string]int{}
		}
		for g, n := range st.Groups {
			zt.in[st.AvailabilityZone][g] += n
			zt.total[g] += n
		}
	}
	for z := range zt.in {
		for _, st := range all {
			if st.AvailabilityZone != z {
				zt.others[z] = append(zt.others[z], st.ContainerInstanceARN)
			}
		}
	}
	c.zt = zt
	return zt
}

// placeExtra places extra ex on e and removes its tasks again: the
// failure, the tasks beyond its count that fitted too (up to more), and
// the tasks left unplaced in tasks of ex.p, for the search's estimates.
func (c *checker) placeExtra(e *placement.Engine, ex *extra, more int) (pe *PlacementError, slack, unplaced int, err error) {
	if ex.zone == "" {
		pe, slack, err = c.placeMore(e, ex.p, ex.count, more, ex.phase, true)
		if pe != nil {
			unplaced = pe.Unplaced
		}
		return pe, slack, unplaced, err
	}
	return c.loseZone(e, ex.zone, ex.p, more)
}

// loseZone checks that the replica workloads keep their lossTarget when
// the instances of zone go (see replace). unit converts the tasks left
// unplaced into tasks of unit's size. The room beyond is not measured:
// slack is more.
func (c *checker) loseZone(e *placement.Engine, zone string, unit *prepared, more int) (*PlacementError, int, int, error) {
	zt := c.zones(e)
	in, ok := zt.in[zone]
	if !ok {
		return nil, more, 0, nil // no instance in the zone: nothing is lost
	}
	short, err := c.replace(e, zt.others[zone], func(g string) int { return zt.total[g] - in[g] }, c.lossTarget)
	if err != nil || len(short) == 0 {
		return nil, more, 0, err
	}
	f := short[0]
	pe := &PlacementError{Phase: PhaseZoneLoss, Zone: zone, Workload: f.p.w.Name,
		Tasks: f.need, Unplaced: f.need - f.placed, Explanation: f.explanation}
	tasks := 0.0
	for _, f := range short {
		tasks += float64(f.need-f.placed) * sizeRatio(f.p, unit)
	}
	return pe, 0, max(int(tasks+0.999), 1), nil
}

// shortfall is a workload that replace could not bring to its target:
// the tasks it needed placed, those placed, what survived, and
// placement's explanation of the first that did not fit.
type shortfall struct {
	p                       *prepared
	need, placed, survivors int
	explanation             *placement.Explanation
}

// replace checks that each replica workload S gets back to target(S)
// tasks after a loss: survivors(group) of its tasks survive where the
// steady state put them, and the service scheduler places the missing
// ones on the instances others (ARNs) with the workload's strategy and
// constraints, as it replaces the tasks of a draining instance (rule
// 167). Each service's scheduler works on its own and re-places up to
// the service's desired count, not to its minimum (rule 179), in an order nobody
// chooses: so S is checked last, after every other replica workload has
// re-placed up to its desired count (as much as fits), the others
// largest first and then smallest first. Every task placed is removed
// again. It returns the workloads that fell short, in the checker's
// order, each with its worse order.
func (c *checker) replace(e *placement.Engine, others []string, survivors func(group string) int, target func(*prepared) int) ([]shortfall, error) {
	var short []shortfall
	rest := 0 // replica workloads that may re-place beside S
	for i := range c.ws {
		if !c.ws[i].w.Daemon && c.ws[i].w.DesiredCount > 0 {
			rest++
		}
	}
	rest--
	for i := range c.ws {
		s := &c.ws[i]
		if s.w.Daemon || s.w.DesiredCount == 0 {
			continue
		}
		alive := survivors("service:" + s.w.Name)
		need := target(s) - alive
		if need <= 0 {
			continue
		}
		// With one other workload or none, both orders are the same.
		for _, smallestFirst := range []bool{false, true}[:min(max(rest, 1), 2)] {
			f, err := c.replaceLast(e, others, survivors, s, need, smallestFirst)
			if err != nil {
				return nil, err
			}
			if f.placed < need {
				f.survivors = alive
				short = append(short, f)
				break
			}
		}
	}
	return short, nil
}

// replaceLast places, on the instances others, each replica workload
// but s up to its desired count (as much as fits), in the checker's
// order (largest first) or in reverse, then need tasks of s; it removes
// every task placed again and returns what s placed.
func (c *checker) replaceLast(e *placement.Engine, others []string, survivors func(group string) int, s *prepared, need int, smallestFirst bool) (shortfall, error) {
	f := shortfall{p: s, need: need}
	if len(others) == 0 {
		return f, nil
	}
	var placed []placement.TaskID
	place := func(p *prepared, count int) (int, *placement.Explanation, error) {
		b := &c.batch
		b.Unexplained = c.unexplained
		req := request(p, count)
		req.Instances = others
		if err := e.PlaceInto(b, req); err != nil {
			return 0, nil, &workloadError{workload: p.w.Name, err: err}
		}
		for k := range b.Len() {
			placed = append(placed, b.Task(k))
		}
		return b.Len(), b.Explanation, nil
	}
	var err error
	for j := range c.ws {
		if smallestFirst {
			j = len(c.ws) - 1 - j
		}
		p := &c.ws[j]
		if p == s || p.w.Daemon || p.w.DesiredCount == 0 {
			continue
		}
		if n := p.w.DesiredCount - survivors("service:"+p.w.Name); n > 0 {
			if _, _, err = place(p, n); err != nil {
				break
			}
		}
	}
	if err == nil {
		f.placed, f.explanation, err = place(s, need)
	}
	for _, id := range slices.Backward(placed) {
		if serr := e.Stop(id); serr != nil && err == nil {
			err = serr
		}
	}
	return f, err
}

// sizeRatio returns how many tasks of unit one task of p weighs: the
// larger of the ratios of their CPU and memory.
func sizeRatio(p, unit *prepared) float64 {
	r := 1.0
	if unit.demand.CPU > 0 {
		r = float64(p.demand.CPU) / float64(unit.demand.CPU)
	}
	if unit.demand.MemoryMiB > 0 {
		r = max(r, float64(p.demand.MemoryMiB)/float64(unit.demand.MemoryMiB))
	}
	return r
}

// zonesOf returns the Availability Zones of instances, in order of first
// appearance.
func zonesOf(instances []ecs.ContainerInstance) []string {
	var out []string
	for i := range instances {
		for _, a := range instances[i].Attributes {
			if a.Name == ecs.AttrAvailabilityZone && !slices.Contains(out, a.Value) {
				out = append(out, a.Value)
			}
		}
	}
	return out
}
