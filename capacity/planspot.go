package capacity

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// validShare checks PlannerOptions.MinOnDemandShare.
func validShare(share float64) error {
	if !(share >= 0 && share <= 1) {
		return fmt.Errorf("capacity: MinOnDemandShare %v is not between 0 and 1", share)
	}
	return nil
}

// onDemandOf returns how many of n instances or tasks run on demand when
// at least share of them must: ⌈n × share⌉, with a margin for the
// rounding of share (1 - 0.7 is 0.30000000000000004).
func onDemandOf(n int, share float64) int {
	if share <= 0 {
		return 0
	}
	return min(n, int(math.Ceil(float64(n)*share-1e-9)))
}

// boundSpot replaces the EC2_SPOT and FARGATE_SPOT options with fleets
// in which at least share of the instances (of each service's tasks)
// run on demand, when share is above 0, and recommends again.
func (p *Plan) boundSpot(t *PriceTable, share float64) {
	if share <= 0 {
		return
	}
	for i := range p.Options {
		o := &p.Options[i]
		switch o.Kind {
		case OptionEC2Spot:
			if o.Cost.Priced() {
				*o = p.boundedEC2Spot(t, share, *o)
			}
		case OptionFargateSpot:
			p.boundFargateSpot(o, share)
		}
	}
	p.recommend()
}

// boundedEC2Spot returns the EC2_SPOT option of the type whose plan costs
// least with onDemandOf its instances on demand and the rest Spot, the
// Spot instances spread over the zones as evenly as the counts allow
// (the fewest Spot instances in one zone: one zone's are one Spot
// capacity pool); ties to fewer instances, then the name. base is the
// unbounded option.
func (p *Plan) boundedEC2Spot(t *PriceTable, share float64, base Option) Option {
	var best *TypePlan
	bestCost, bestOD := 0.0, 0
	for i := range p.Types {
		tp := &p.Types[i]
		if tp.Err != nil {
			continue
		}
		n := tp.Instances()
		od := onDemandOf(n, share)
		c, ok := mixedCost(t, tp.InstanceType, od, n-od)
		if !ok {
			continue
		}
		if best == nil || cmp.Or(cmp.Compare(c, bestCost), cmp.Compare(n, best.Instances())) < 0 {
			best, bestCost, bestOD = tp, c, od
		}
	}
	if best == nil {
		base.Instances, base.InstanceType = nil, ""
		base.Cost = Cost{Missing: fmt.Sprintf("no instance type planned has both the on-demand and the Spot price "+
			"a fleet at least %.0f%% on demand needs", 100*share)}
		return base
	}
	spot := spreadSpot(best.Counts, best.Instances()-bestOD)
	o := Option{Kind: OptionEC2Spot, InstanceType: best.InstanceType,
		CPUUtilization: best.CPUUtilization, MemoryUtilization: best.MemoryUtilization,
		Cost: Cost{Monthly: bestCost}, Notes: base.Notes}
	for z, n := range best.Counts {
		o.Instances = append(o.Instances, InstanceCount{InstanceType: best.InstanceType,
			AvailabilityZone: p.AvailabilityZones[z], Count: n, OnDemand: n - spot[z]})
	}
	o.Notes = append(slices.Clone(o.Notes), fmt.Sprintf("at most %.0f%% Spot: %d of the %d instances run on demand, the Spot ones spread over the zones",
		100*(1-share), bestOD, best.Instances()))
	return o
}

// mixedCost returns the monthly cost of od instances of name on demand
// and spot on Spot, and false when a price it needs is missing.
func mixedCost(t *PriceTable, name string, od, spot int) (float64, bool) {
	total := 0.0
	for _, part := range []struct {
		n    int
		spot bool
	}{{od, false}, {spot, true}} {
		if part.n == 0 {
			continue
		}
		c := ec2Cost(t, name, part.n, part.spot)
		if !c.Priced() {
			return 0, false
		}
		total += c.Monthly
	}
	return total, true
}

// spreadSpot returns how many of counts[z] instances are Spot in each
// zone when spot of them are: one at a time to the zone with the fewest
// Spot instances that has an on-demand one left, the zone with more
// instances first, then the first zone.
func spreadSpot(counts []int, spot int) []int {
	out := make([]int, len(counts))
	for range spot {
		best := -1
		for z := range counts {
			if out[z] >= counts[z] {
				continue
			}
			if best < 0 || cmp.Or(cmp.Compare(out[z], out[best]), cmp.Compare(counts[best], counts[z])) < 0 {
				best = z
			}
		}
		if best < 0 {
			break
		}
		out[best]++
	}
	return out
}

// boundFargateSpot runs onDemandOf each service's tasks on FARGATE, at
// the FARGATE option's price, and the rest on FARGATE_SPOT.
func (p *Plan) boundFargateSpot(o *Option, share float64) {
	hourly := map[string]float64{}
	if fg := p.option(OptionFargate); fg != nil {
		for _, ft := range fg.Tasks {
			hourly[ft.Workload] = ft.Hourly
		}
	}
	total := 0.0
	for i := range o.Tasks {
		ft := &o.Tasks[i]
		ft.OnDemand, ft.OnDemandHourly = onDemandOf(ft.Count, share), hourly[ft.Workload]
		total += ft.Monthly()
	}
	if o.Cost.Priced() {
		o.Cost.Monthly = total
	}
	o.Notes = append(o.Notes, fmt.Sprintf("at most %.0f%% Spot: each service runs %.0f%% of its tasks (rounded up) on FARGATE",
		100*(1-share), 100*share))
}

// SpotRisk is a service whose minimum healthy tasks an interruption of
// the recommended option's Spot capacity would break.
type SpotRisk struct {
	Workload string
	// Zone is where the interruption strikes: the Spot instances of the
	// type in that zone (one Spot capacity pool), or the Fargate Spot
	// tasks there.
	Zone string
	// Running are the service's tasks left running after the
	// interruption, the lost tasks re-placed where the remaining EC2
	// instances have room (Fargate Spot does not replace them with
	// on-demand capacity); Minimum is its minimum healthy tasks.
	Running, Minimum int
}

// spotWarnings sets p.Warnings and p.SpotRisks when the recommended
// option runs any Spot instances (or tasks), however few, and
// an interruption of the Spot capacity of one zone would leave a service
// below its minimum healthy tasks, ⌈desiredCount × minimumHealthyPercent
// / 100⌉ (rule 118). The model is rule 166's: EC2 reclaims Spot capacity
// by pool, one instance type in one zone, so the Spot instances of one
// zone go together; ECS drains them on the two-minute notice and places
// their service tasks on the other instances where room is left (rule
// 167); the Spot instances are the first of each zone's, those a binpack
// strategy fills first. On Fargate Spot the tasks of a service spread
// over the zones, the zone with the most loses ⌈spot tasks / zones⌉,
// and Fargate does not replace Spot capacity with on-demand.
func (pl *Planner) spotWarnings(ctx context.Context, ws []prepared, excluded map[int]bool, p *Plan) error {
	o := p.option(p.Recommended)
	if o == nil {
		return nil
	}
	var err error
	switch o.Kind {
	case OptionEC2Spot:
		p.SpotRisks, err = pl.ec2SpotRisks(ctx, ws, excluded, p, o)
	case OptionFargateSpot:
		p.SpotRisks = fargateSpotRisks(ws, len(p.AvailabilityZones), o)
	}
	for _, r := range p.SpotRisks {
		tasks := "tasks"
		if r.Running == 1 {
			tasks = "task"
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s, recommended, runs on Spot: an interruption of its Spot capacity in %s "+
			"leaves %s %d running %s where its minimumHealthyPercent asks for %d; bound the Spot share or plan to survive the loss of a zone",
			o.Kind, r.Zone, r.Workload, r.Running, tasks, r.Minimum))
	}
	return err
}

// option returns the option of kind, or nil.
func (p *Plan) option(kind OptionKind) *Option {
	for i := range p.Options {
		if p.Options[i].Kind == kind && kind != "" {
			return &p.Options[i]
		}
	}
	return nil
}

// ec2SpotRisks checks the interruption of each zone's Spot instances of
// an EC2_SPOT option with Spot instances: of each part of a mixed fleet
// with the services pinned to it.
func (pl *Planner) ec2SpotRisks(ctx context.Context, ws []prepared, excluded map[int]bool, p *Plan, o *Option) ([]SpotRisk, error) {
	spots := 0
	for _, ic := range o.Instances {
		spots += ic.Count - ic.OnDemand
	}
	if spots == 0 {
		return nil, nil
	}
	parts := o.Parts
	if len(parts) == 0 {
		parts = []FleetPart{{InstanceType: o.InstanceType}}
		for _, ic := range o.Instances {
			parts[0].Counts = append(parts[0].Counts, ic.Count)
		}
	}
	var risks []SpotRisk
	for _, fp := range parts {
		spot := make([]int, len(fp.Counts))
		for _, ic := range o.Instances {
			if z := slices.Index(p.AvailabilityZones, ic.AvailabilityZone); ic.InstanceType == fp.InstanceType && z >= 0 {
				spot[z] = ic.Count - ic.OnDemand
			}
		}
		kept := keep(ws, func(w int, pw *prepared) bool {
			return !excluded[w] && (pw.w.Daemon || len(o.Parts) == 0 || slices.Contains(fp.Workloads, pw.w.Name))
		})
		var err error
		if risks, err = pl.partSpotRisks(ctx, ws, kept, p.AvailabilityZones, fp.InstanceType, fp.Counts, spot, risks); err != nil {
			return nil, err
		}
	}
	return risks, nil
}

// partSpotRisks adds to risks those of kept's services on counts
// instances of typeName, spot[z] of them Spot in zone z: the first of
// the zone's.
func (pl *Planner) partSpotRisks(ctx context.Context, ws, kept []prepared, zones []string, typeName string, counts, spot []int, risks []SpotRisk) ([]SpotRisk, error) {
	b, err := pl.builder(ws, typeName)
	if err != nil {
		return nil, err
	}
	snap, err := placement.NewSnapshot(b.instances(counts), nil, pl.snapshotOptions())
	if err != nil {
		return nil, err
	}
	ck := newChecker(kept, pl.o.Headroom)
	ck.unexplained = true
	out, e, err := ck.steady(ctx, snap, []int{}, nil, false)
	if err != nil || out.pe != nil {
		return risks, err // the plan fits: no failure here
	}
	for z, zone := range zones {
		if spot[z] == 0 {
			continue
		}
		lost := map[string]bool{}
		for _, ci := range b.pool[z][:spot[z]] {
			lost[ci.ContainerInstanceARN] = true
		}
		var others []string
		alive := map[string]int{}
		for st := range e.Instances() {
			if lost[st.ContainerInstanceARN] {
				continue
			}
			others = append(others, st.ContainerInstanceARN)
			for g, n := range st.Groups {
				alive[g] += n
			}
		}
		short, err := ck.replace(e, others, func(g string) int { return alive[g] }, minimumHealthy)
		if err != nil {
			return nil, err
		}
		for _, f := range short {
			risks = addRisk(risks, SpotRisk{Workload: f.p.w.Name, Zone: zone, Running: f.survivors + f.placed, Minimum: minimumHealthy(f.p)})
		}
	}
	return risks, nil
}

// minimumHealthy returns p's minimum healthy tasks (rule 118).
func minimumHealthy(p *prepared) int {
	minimum, _ := ecs.DeploymentBounds(p.w.DesiredCount, p.w.minimumHealthyPercent(), 0)
	return minimum
}

// addRisk adds r, keeping one risk a workload: the one that leaves the
// fewest tasks running.
func addRisk(risks []SpotRisk, r SpotRisk) []SpotRisk {
	for i := range risks {
		if risks[i].Workload == r.Workload {
			if r.Running < risks[i].Running {
				risks[i] = r
			}
			return risks
		}
	}
	return append(risks, r)
}

// fargateSpotRisks checks the interruption of one zone's Fargate Spot
// tasks of a FARGATE_SPOT option with Spot tasks: each service's
// Spot tasks spread over zones zones, the first zone holding the most.
func fargateSpotRisks(ws []prepared, zones int, o *Option) []SpotRisk {
	spots := 0
	for _, ft := range o.Tasks {
		spots += ft.Count - ft.OnDemand
	}
	if spots == 0 || zones == 0 {
		return nil
	}
	var risks []SpotRisk
	for _, ft := range o.Tasks {
		for i := range ws {
			if p := &ws[i]; p.w.Name == ft.Workload {
				lost := ceilDiv(ft.Count-ft.OnDemand, zones)
				if m := minimumHealthy(p); ft.Count-lost < m {
					risks = append(risks, SpotRisk{Workload: p.w.Name, Zone: "one zone", Running: ft.Count - lost, Minimum: m})
				}
			}
		}
	}
	return risks
}
