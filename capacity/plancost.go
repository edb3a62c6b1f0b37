package capacity

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// OptionKind is a way of running the workloads.
type OptionKind string

// The options a plan compares.
const (
	OptionEC2         OptionKind = "EC2"          // EC2 instances on demand
	OptionEC2Spot     OptionKind = "EC2_SPOT"     // EC2 Spot instances
	OptionFargate     OptionKind = "FARGATE"      // Fargate on demand
	OptionFargateSpot OptionKind = "FARGATE_SPOT" // Fargate Spot
)

// numOptionKinds is the number of option kinds.
const numOptionKinds = 4

// Cost is a monthly cost (HoursPerMonth hours) in the price table's
// currency, or why there is none.
type Cost struct {
	Monthly float64
	// Missing says why there is no cost; empty when Monthly is one.
	Missing string
}

// Priced reports whether c is a cost.
func (c Cost) Priced() bool { return c.Missing == "" }

// Option is one way of running the workloads, with its cost.
type Option struct {
	Kind OptionKind
	// InstanceType and Instances are, for EC2 and EC2_SPOT, the type
	// whose plan costs least and its instances per zone.
	InstanceType string
	Instances    []InstanceCount
	// Parts are, for a mixed fleet (PlannerOptions.MixedTypes), its
	// instance types and the services each runs; InstanceType is then
	// empty and Instances lists every part's.
	Parts []FleetPart
	// Tasks are, for FARGATE and FARGATE_SPOT, each replica workload's
	// tasks and the cheapest Fargate size that holds one.
	Tasks []FargateTask
	// CPUUtilization and MemoryUtilization are the fractions of what is
	// paid for that the tasks ask for: of the instances' registered CPU
	// and memory on EC2, of the task sizes on Fargate.
	CPUUtilization, MemoryUtilization float64
	Cost                              Cost
	// Notes say what the cost leaves out.
	Notes []string
	// NeedsChanges lists the workloads whose task definitions the option
	// would refuse as written, each with the first reason: Fargate prices
	// them as if changed (awsvpc, a task size), and an option that needs
	// changes is never recommended.
	NeedsChanges []string
}

// InstanceCount is a number of instances of a type in a zone.
type InstanceCount struct {
	InstanceType     string
	AvailabilityZone string
	Count            int
	// OnDemand is, in an EC2_SPOT option whose Spot share is bounded
	// (PlannerOptions.MinOnDemandShare), how many of Count run on
	// demand; the rest are Spot.
	OnDemand int
}

// FargateTask is what a workload costs on Fargate.
type FargateTask struct {
	Workload string
	Count    int
	Size     ecs.FargateSize
	Hourly   float64 // per task
	// OnDemand is, in a FARGATE_SPOT option whose Spot share is bounded
	// (PlannerOptions.MinOnDemandShare), how many of Count run on
	// FARGATE, at OnDemandHourly each; the rest run on FARGATE_SPOT.
	OnDemand       int
	OnDemandHourly float64
}

// Monthly returns what the tasks cost a month (HoursPerMonth hours).
func (t FargateTask) Monthly() float64 {
	return (t.Hourly*float64(t.Count-t.OnDemand) + t.OnDemandHourly*float64(t.OnDemand)) * HoursPerMonth
}

// ec2Cost returns the monthly cost of n instances of name.
func ec2Cost(t *PriceTable, name string, n int, spot bool) Cost {
	h, err := t.EC2Hourly(name, spot)
	if err != nil {
		return Cost{Missing: err.Error()}
	}
	return Cost{Monthly: h * float64(n) * HoursPerMonth}
}

// options fills out.Options and out.Recommended. excluded are the
// workloads no instance type runs.
func options(t *PriceTable, ws []prepared, excluded map[int]bool, out *Plan) {
	out.Region, out.Currency, out.PriceDate = t.Region, t.Currency, t.Date
	out.Options = []Option{ec2Option(t, out, false), ec2Option(t, out, true)}
	if len(ws) > 0 && len(excluded) == len(ws) {
		for i := range out.Options {
			out.Options[i] = Option{Kind: out.Options[i].Kind, Cost: Cost{Missing: "no instance type planned runs any of the workloads"}}
		}
	}
	for _, spot := range []bool{false, true} {
		o, unplaceable := fargateOption(t, ws, spot)
		out.Options = append(out.Options, o)
		for _, u := range unplaceable {
			out.addUnplaceable(u, o.Kind)
		}
	}
	out.recommend()
}

// recommend sets Recommended: the cheapest priced option that runs every
// workload as written.
func (p *Plan) recommend() {
	var best *Option
	for i := range p.Options {
		o := &p.Options[i]
		if !o.Cost.Priced() || p.excludes(o.Kind) || len(o.NeedsChanges) > 0 {
			continue
		}
		if best == nil || o.Cost.Monthly < best.Cost.Monthly {
			best = o
		}
	}
	p.Recommended = ""
	if best != nil {
		p.Recommended = best.Kind
	}
}

// excludes reports whether some workload cannot run on kind.
func (p *Plan) excludes(kind OptionKind) bool {
	for _, u := range p.Unplaceable {
		for _, k := range u.Kinds {
			if k == kind {
				return true
			}
		}
	}
	return false
}

func (p *Plan) addUnplaceable(u Unplaceable, kind OptionKind) {
	for i := range p.Unplaceable {
		if e := &p.Unplaceable[i]; e.Workload == u.Workload {
			if !containsKind(e.Kinds, kind) {
				e.Kinds = append(e.Kinds, kind)
			}
			if !strings.Contains(e.Reason, u.Reason) {
				e.Reason += "; Fargate: " + u.Reason
			}
			return
		}
	}
	u.Kinds = []OptionKind{kind}
	p.Unplaceable = append(p.Unplaceable, u)
}

func containsKind(ks []OptionKind, k OptionKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// ec2Option returns the EC2 (or EC2_SPOT) option: the type with a plan
// and a price whose plan costs least; ties to fewer instances, then the
// name.
func ec2Option(t *PriceTable, p *Plan, spot bool) Option {
	o := Option{Kind: OptionEC2}
	if spot {
		o.Kind = OptionEC2Spot
	}
	var best *TypePlan
	planned := 0
	for i := range p.Types {
		tp := &p.Types[i]
		if tp.Err != nil {
			continue
		}
		planned++
		c := tp.OnDemand
		if spot {
			c = tp.Spot
		}
		if !c.Priced() {
			continue
		}
		if best == nil || cmp.Or(cmp.Compare(c.Monthly, cost(best, spot)),
			cmp.Compare(tp.Instances(), best.Instances())) < 0 {
			best = tp
		}
	}
	switch {
	case planned == 0:
		o.Cost.Missing = "no instance type planned holds every workload"
		return o
	case best == nil && spot:
		o.Cost.Missing = fmt.Sprintf("the price table (%s) has no EC2 Spot price for any instance type planned; none is invented", ec2Table(t))
		return o
	case best == nil:
		o.Cost.Missing = fmt.Sprintf("the price table (%s) has no EC2 on-demand price for any instance type planned", ec2Table(t))
		return o
	}
	o.InstanceType = best.InstanceType
	for z, n := range best.Counts {
		o.Instances = append(o.Instances, InstanceCount{InstanceType: best.InstanceType, AvailabilityZone: p.AvailabilityZones[z], Count: n})
	}
	o.CPUUtilization, o.MemoryUtilization = best.CPUUtilization, best.MemoryUtilization
	o.Cost = best.OnDemand
	if spot {
		o.Cost = best.Spot
	}
	o.Notes = append(o.Notes, "the instances also hold each service's deployment surge, one at a time, and any headroom")
	return o
}

// ec2Table names the table's EC2 prices: region and date.
func ec2Table(t *PriceTable) string {
	if t.EC2.Date == "" {
		return t.Region
	}
	return t.Region + ", " + t.EC2.Date
}

func cost(tp *TypePlan, spot bool) float64 {
	if spot {
		return tp.Spot.Monthly
	}
	return tp.OnDemand.Monthly
}

// fargateOption returns the FARGATE (or FARGATE_SPOT) option: each
// replica workload's desired count at the cheapest Fargate size that holds
// its task, for a month. The steady state only: a deployment's surge is
// billed per second while it lasts, and Fargate needs no headroom.
// Daemons have no Fargate form and are left out. It returns the workloads
// Fargate cannot run.
func fargateOption(t *PriceTable, ws []prepared, spot bool) (Option, []Unplaceable) {
	o := Option{Kind: OptionFargate}
	if spot {
		o.Kind = OptionFargateSpot
	}
	var bad []Unplaceable
	var need, paid [2]int
	hourly := 0.0
	daemons := 0
	var missing []string
	for _, p := range inOrder(ws) {
		if p.w.Daemon {
			daemons++
			continue
		}
		if p.demand.GPUs > 0 {
			bad = append(bad, Unplaceable{Workload: p.w.Name, Reason: "Fargate runs no task that needs a GPU"})
			continue
		}
		if reason, ok := fargateInvalid(p.w.TaskDefinition); ok {
			o.NeedsChanges = append(o.NeedsChanges, p.w.Name+": "+reason)
		}
		q, err := t.CheapestFargateFor(p.w.TaskDefinition, spot)
		if errors.Is(err, ErrNoPrice) {
			missing = append(missing, p.w.Name+": "+err.Error())
			continue
		}
		if err != nil {
			bad = append(bad, Unplaceable{Workload: p.w.Name, Reason: ErrorReason(err)})
			continue
		}
		n := p.w.DesiredCount
		o.Tasks = append(o.Tasks, FargateTask{Workload: p.w.Name, Count: n, Size: q.Size, Hourly: q.Hourly})
		hourly += q.Hourly * float64(n)
		need[0] += n * p.demand.CPU
		need[1] += n * p.demand.MemoryMiB
		paid[0] += n * q.Size.CPU
		paid[1] += n * q.Size.MemoryMiB
	}
	if paid[0] > 0 {
		o.CPUUtilization = float64(need[0]) / float64(paid[0])
	}
	if paid[1] > 0 {
		o.MemoryUtilization = float64(need[1]) / float64(paid[1])
	}
	o.Cost.Monthly = hourly * HoursPerMonth
	if len(bad) > 0 && len(o.Tasks) == 0 && len(missing) == 0 {
		o.Cost = Cost{Missing: "Fargate runs none of the replica workloads"}
	}
	if len(missing) > 0 {
		o.Cost = Cost{Missing: strings.Join(missing, "; ")}
	}
	o.Notes = append(o.Notes, "desired counts only: a deployment's surge is billed per second while it lasts")
	if daemons > 0 {
		o.Notes = append(o.Notes, fmt.Sprintf("%d daemon service(s) left out: Fargate runs no daemons (run them as sidecars)", daemons))
	}
	return o, bad
}

// fargateInvalid reports why Fargate would refuse td as written (its first
// error finding for the FARGATE launch type), so that the plan does not
// recommend Fargate for a task definition that needs changes first.
func fargateInvalid(td *ecs.TaskDefinition) (string, bool) {
	findings := ecs.ValidateTaskDefinition(td, func(o *ecs.ValidationOptions) {
		o.LaunchTypes = []ecs.Compatibility{ecs.CompatibilityFargate}
	})
	for _, f := range findings {
		if f.Severity == ecs.SeverityError {
			return "not valid for Fargate as written (" + f.Code + "): " + f.Message, true
		}
	}
	return "", false
}
