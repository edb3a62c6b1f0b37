package capacity

import (
	"cmp"
	"context"
	"fmt"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/ecscore/ecscore/ecs"
)

// PlannerOptions configure a Planner. The zero value plans every priced
// instance type of the default catalogue over DefaultAvailabilityZones.
type PlannerOptions struct {
	// Catalog gives the instance types; nil means ecs.DefaultCatalog().
	Catalog *ecs.Catalog
	// InstanceTypes names the types to plan; empty means every type of
	// Catalog that Prices prices (on demand or Spot), those a plan can
	// recommend, or every type of Catalog when Prices prices none. The
	// catalogue holds every type ECS runs on (over a thousand), the price
	// table about a hundred. An entry with *, ? or [ is a pattern
	// (path.Match syntax: "m5.*", "c6?.xlarge") over the types the empty
	// list would plan; a pattern that matches none is an error.
	InstanceTypes []string
	// Architecture, "x86_64" or "arm64", keeps only the types of that
	// CPU architecture; empty keeps both. Whatever it says, a workload
	// runs only on types of its task definition's
	// runtimePlatform.cpuArchitecture (X86_64 when absent, as in ECS).
	Architecture string
	// AvailabilityZones are the zones instances may run in, in order;
	// empty means DefaultAvailabilityZones.
	AvailabilityZones []string
	// Headroom asks for room for this many more tasks of the service with
	// the largest task, beyond the steady state.
	Headroom int
	// Prices gives EC2 and Fargate prices; nil means DefaultPrices().
	Prices *PriceTable
	// ENITrunking gives the instances ecs.capability.task-eni-trunking,
	// which raises their awsvpc task limit to the type's trunk figure.
	ENITrunking bool
	// Attributes are added to every instance, for constraints over
	// custom attributes.
	Attributes []ecs.Attribute
	// Parallelism is how many instance types are planned at once; 0
	// means runtime.GOMAXPROCS(0).
	Parallelism int
	// Progress, when set, is called after each instance type is planned,
	// one call at a time.
	Progress func(PlanProgress)
	// MaxTasksPerService is the quota of tasks per service: a replica
	// workload with a larger desired count, or a larger Headroom, is
	// refused with an error that wraps ErrTasksPerService. 0 means
	// DefaultMaxTasksPerService, ECS's 5,000.
	MaxTasksPerService int
	// SurviveZoneLoss, when set, plans instances on which every replica
	// workload keeps its minimum healthy tasks (or, with ZoneLossFull,
	// its desired count) after the loss of any one zone: see
	// PhaseZoneLoss. It needs two zones or more.
	SurviveZoneLoss ZoneLoss
	// MinOnDemandShare is the least fraction (0 to 1) of the EC2_SPOT
	// option's instances, and of each service's tasks in the
	// FARGATE_SPOT option, that run on demand: 0 bounds nothing (all
	// Spot), 0.5 makes at most half of them Spot, 1 none.
	MinOnDemandShare float64
	// MixedTypes lets the EC2 and EC2_SPOT options combine instance
	// types: the services grouped by the shape of their tasks
	// (CPU-heavy, balanced, memory-heavy), each group planned on a fleet
	// of its own type, when that costs less than any single type. It
	// plans each group over every type, so it takes longer.
	MixedTypes bool
}

// Planner finds how many container instances of each instance type, per
// Availability Zone, a set of services needs, and what each way of
// running them costs; NewPlanner makes one. Without options (and as the
// zero value or a nil *Planner) it plans over every type of the default
// catalogue in DefaultAvailabilityZones at the default prices. A Planner
// is not changed by planning: one may serve several goroutines.
type Planner struct {
	o PlannerOptions
	// trace, when set, is told of every check a search places (for
	// tests); it may be called from several goroutines at once.
	trace func(instanceType string, counts []int, full bool, o outcome)
}

// NewPlanner returns a Planner with the options optFns set.
func NewPlanner(optFns ...func(*PlannerOptions)) *Planner {
	p := new(Planner)
	for _, f := range optFns {
		if f != nil {
			f(&p.o)
		}
	}
	return p
}

// PlanProgress says how far a plan has got.
type PlanProgress struct {
	Types, Done int // instance types to plan, and planned
	Checks      int // placements of the whole workload run so far
}

// Plan is the answer of a Planner: for each instance type the instances
// per zone, and the options of running the workloads with their costs.
type Plan struct {
	// AvailabilityZones are the zones planned, the order of Counts.
	AvailabilityZones []string
	// Types has one entry per instance type planned, by name.
	Types []TypePlan
	// Options are EC2, EC2_SPOT, FARGATE and FARGATE_SPOT, in that order.
	Options []Option
	// Recommended is the cheapest priced option that runs every replica
	// workload; empty when there is none.
	Recommended OptionKind
	// Unplaceable lists the workloads some option cannot run, and why.
	Unplaceable []Unplaceable
	// Checks is the number of placements of the whole workload run.
	Checks int
	// Notes say what the plan assumed that the input left open.
	Notes []string
	// Region, Currency and PriceDate are the price table's.
	Region, Currency, PriceDate string
	// SurviveZoneLoss is the zone loss every type's plan survives
	// (PlannerOptions.SurviveZoneLoss).
	SurviveZoneLoss ZoneLoss
	// MinOnDemandShare is PlannerOptions.MinOnDemandShare: the Spot
	// options' bound.
	MinOnDemandShare float64
	// Warnings say what could break a service in the recommended option:
	// SpotRisks, in words.
	Warnings []string
	// SpotRisks are the services whose minimum healthy tasks an
	// interruption of the Spot capacity of one zone would break, when
	// the recommended option runs on Spot (any share of it).
	SpotRisks []SpotRisk
}

// TypePlan is the plan for one instance type.
type TypePlan struct {
	InstanceType string
	// Counts are the instances per zone, in the order of the plan's
	// AvailabilityZones; nil when Err is set. Taking any one instance
	// away makes the workloads fail to fit. With SurviveZoneLoss, no
	// counts with fewer instances fit either, unless the plan's Notes say
	// the search for them stopped at its bound for this type (see
	// search.fewest in zonemin.go).
	Counts []int
	// Err says why no count of this type holds the workloads: a
	// *PlacementError, or why a workload cannot run on the type.
	Err error
	// CPUUtilization and MemoryUtilization are the fractions (0 to 1) of
	// the instances' registered CPU and memory that the steady state
	// takes, daemons included.
	CPUUtilization, MemoryUtilization float64
	// StrandedCPU (CPU units) and StrandedMemoryMiB are what the
	// instances keep unused because the other resource runs out first:
	// with the steady state's mix of tasks grown until the more used
	// resource is full, what is still free of the other. At most one of
	// them is above 0.
	StrandedCPU, StrandedMemoryMiB int
	// Zones are the utilisation of the instances of each zone, in the
	// order of the plan's AvailabilityZones, as the steady state's
	// placement leaves them (a zone may be fuller than another: the
	// placement strategies, not the plan, decide); nil when Err is set.
	Zones []ZoneUtilization
	// OnDemand and Spot are the monthly costs of the instances.
	OnDemand, Spot Cost
	// Checks is the number of placements of the workload this type took.
	Checks int
}

// Instances returns the plan's total number of instances.
func (t *TypePlan) Instances() int {
	if t == nil {
		return 0
	}
	n := 0
	for _, c := range t.Counts {
		n += c
	}
	return n
}

// Unplaceable is a workload that the options Kinds cannot run.
type Unplaceable struct {
	Workload string
	Kinds    []OptionKind
	// Reason says why: on EC2, for the largest instance type planned
	// (named first); on Fargate, after "Fargate: " when EC2 cannot run
	// it either.
	Reason string
}

// Placeable reports whether every workload runs on some option (false for
// a nil Plan).
func (p *Plan) Placeable() bool {
	if p == nil {
		return false
	}
	for _, u := range p.Unplaceable {
		if len(u.Kinds) == numOptionKinds {
			return false
		}
	}
	return true
}

// Plan plans the workloads: for each instance type, the fewest instances
// per zone for which Check succeeds (see search), then the options and
// their costs. A workload that no instance type can run is left out of
// every type's plan and reported as Unplaceable; a type that cannot run a
// workload that another type can has no plan (TypePlan.Err). Instance
// types are planned in parallel, Parallelism at a time. The error is for
// workloads that placement would refuse, an unknown instance type, no
// zone, or ctx ending.
func (p *Planner) Plan(ctx context.Context, workloads []Workload) (*Plan, error) {
	if p == nil {
		p = &Planner{} // a nil Planner plans as the zero one
	}
	ws, err := p.prepare(workloads)
	if err != nil {
		return nil, err
	}
	names, err := p.typeNames()
	if err != nil {
		return nil, err
	}
	azs := p.zones()
	if len(azs) == 0 {
		return nil, ErrNoAvailabilityZone
	}
	if err := validZoneLoss(p.o.SurviveZoneLoss, len(azs)); err != nil {
		return nil, err
	}
	if err := validShare(p.o.MinOnDemandShare); err != nil {
		return nil, err
	}
	prices := p.prices()
	var checks atomic.Int64
	searches := make([]*search, len(names))
	for i, name := range names {
		b, err := p.builder(ws, name)
		if err != nil {
			return nil, err
		}
		searches[i] = newSearch(newChecker(ws, p.o.Headroom).survive(p.o.SurviveZoneLoss, azs), b, p.snapshotOptions(), &checks)
		searches[i].trace = p.trace
	}
	plans := make([]TypePlan, len(names))
	probes := make([]map[int]error, len(names))
	if err := p.each(ctx, len(names), func(ctx context.Context, i int) (err error) {
		probes[i], err = searches[i].probe(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	out := &Plan{AvailabilityZones: azs, Types: plans}
	excluded := p.unplaceableOnEC2(ws, names, probes, out)
	var mu sync.Mutex
	done := 0
	err = p.each(ctx, len(names), func(ctx context.Context, i int) error {
		tp := &plans[i]
		tp.InstanceType = names[i]
		if err := p.planType(ctx, prices, searches[i], probes[i], excluded, tp); err != nil {
			return err
		}
		if p.o.Progress != nil {
			mu.Lock()
			defer mu.Unlock()
			done++
			p.o.Progress(PlanProgress{Types: len(names), Done: done, Checks: int(checks.Load())})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Checks = int(checks.Load())
	out.Notes = p.notes(ws, names)
	var cut []string
	for i, s := range searches {
		if s.cut {
			cut = append(cut, names[i])
		}
	}
	if len(cut) > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("zone loss: for %s no one instance can go and no counts checked with fewer instances survive, "+
			"but the search for counts with fewer instances stopped at its bound (placements of %d tasks in all but at least %d placements, or %d count vectors, a type): "+
			"counts with fewer instances spread otherwise over the zones may survive too",
			strings.Join(cut, ", "), maxFewerTasks, minFewerChecks, maxFewerVectors))
	}
	options(prices, ws, excluded, out)
	if err := p.finish(ctx, ws, excluded, out); err != nil {
		return nil, err
	}
	return out, nil
}

// prepare checks and reads the workloads, and checks the Headroom, against
// the quota of tasks per service.
func (p *Planner) prepare(workloads []Workload) ([]prepared, error) {
	quota := cmp.Or(p.o.MaxTasksPerService, DefaultMaxTasksPerService)
	switch {
	case p.o.MaxTasksPerService < 0:
		return nil, fmt.Errorf("capacity: MaxTasksPerService %d is negative", p.o.MaxTasksPerService)
	case p.o.Headroom < 0:
		return nil, fmt.Errorf("capacity: headroom %d is negative", p.o.Headroom)
	case p.o.Headroom > quota:
		return nil, &quotaError{tasks: p.o.Headroom, quota: quota}
	}
	return prepare(workloads, quota)
}

// each runs f(ctx, i) for i in [0, n), Parallelism at a time, and
// returns the first error.
func (p *Planner) each(ctx context.Context, n int, f func(context.Context, int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(cmp.Or(p.o.Parallelism, runtime.GOMAXPROCS(0)))
	for i := range n {
		g.Go(func() error { return f(ctx, i) })
	}
	return g.Wait()
}

// unplaceableOnEC2 returns the workloads (by index) that no type can run,
// and records them in out with the reason on the largest type.
func (p *Planner) unplaceableOnEC2(ws []prepared, names []string, probes []map[int]error, out *Plan) map[int]bool {
	excluded := map[int]bool{}
	big := 0
	for i, name := range names {
		a, _ := p.catalog().Lookup(name)
		b, _ := p.catalog().Lookup(names[big])
		if cmp.Or(cmp.Compare(a.CPU, b.CPU), cmp.Compare(a.RegisteredMemoryMiB, b.RegisteredMemoryMiB)) > 0 {
			big = i
		}
	}
	order := make([]int, len(ws)) // ws by the caller's order
	for w := range ws {
		order[ws[w].idx] = w
	}
	for _, w := range order {
		all := len(names) > 0
		for i := range names {
			all = all && probes[i][w] != nil
		}
		if all {
			excluded[w] = true
			out.Unplaceable = append(out.Unplaceable, Unplaceable{
				Workload: ws[w].w.Name, Kinds: []OptionKind{OptionEC2, OptionEC2Spot},
				Reason: names[big] + ": " + ErrorReason(probes[big][w]),
			})
		}
	}
	return excluded
}

// planType plans one type: no plan when a workload other types run does
// not fit it; else the search, the utilisation and the costs.
func (p *Planner) planType(ctx context.Context, prices *PriceTable, s *search, probe map[int]error, excluded map[int]bool, tp *TypePlan) error {
	defer func() {
		tp.Checks = s.n
		s.release()
	}()
	for w := range s.ck.ws {
		if err := probe[w]; err != nil && !excluded[w] {
			tp.Err = err
			return nil
		}
	}
	if len(excluded) > 0 {
		kept := keep(s.ck.ws, func(w int, _ *prepared) bool { return !excluded[w] })
		s.ck = newChecker(kept, s.ck.headroom).survive(s.ck.loss, s.b.azs)
	}
	counts, err := s.run(ctx)
	if err == nil {
		counts, err = s.fewest(ctx, counts)
	}
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		tp.Err = err
		return nil
	}
	o, err := s.try(ctx, counts, true) // checked already: what the steady state takes
	if err != nil {
		return err
	}
	tp.Counts = counts
	u := o.u
	u.regCPU, u.regMem = tp.Instances()*s.b.it.CPU, tp.Instances()*s.b.it.RegisteredMemoryMiB
	if u.regCPU > 0 {
		tp.CPUUtilization = float64(u.cpu) / float64(u.regCPU)
	}
	if u.regMem > 0 {
		tp.MemoryUtilization = float64(u.mem) / float64(u.regMem)
	}
	tp.StrandedCPU, tp.StrandedMemoryMiB = u.stranded()
	if tp.Zones, err = s.zoneUtilization(ctx, counts); err != nil {
		return err
	}
	tp.OnDemand = ec2Cost(prices, tp.InstanceType, tp.Instances(), false)
	tp.Spot = ec2Cost(prices, tp.InstanceType, tp.Instances(), true)
	return nil
}

// notes returns what the plan assumed: that a task definition naming no
// CPU architecture runs on x86_64 (ECS's default, X86_64), when arm64
// types were planned too.
func (p *Planner) notes(ws []prepared, names []string) []string {
	arm := false
	for _, n := range names {
		t, _ := p.catalog().Lookup(n)
		arm = arm || t.Architecture == "arm64"
	}
	var open []string
	for _, w := range ws {
		if rp := w.w.TaskDefinition.RuntimePlatform; !w.windows && (rp == nil || rp.CPUArchitecture == "") {
			open = append(open, w.w.Name)
		}
	}
	if !arm || len(open) == 0 {
		return nil
	}
	return []string{"the task definitions of " + strings.Join(open, ", ") +
		" name no CPU architecture (runtimePlatform.cpuArchitecture): they are planned on x86_64 types only, ECS's default X86_64"}
}

func (p *Planner) catalog() *ecs.Catalog {
	if p.o.Catalog == nil {
		return ecs.DefaultCatalog()
	}
	return p.o.Catalog
}

func (p *Planner) zones() []string {
	if len(p.o.AvailabilityZones) == 0 {
		return DefaultAvailabilityZones()
	}
	return p.o.AvailabilityZones
}

func (p *Planner) prices() *PriceTable {
	if p.o.Prices == nil {
		return DefaultPrices()
	}
	return p.o.Prices
}

// typeNames returns the types to plan, by name, each once: InstanceTypes
// (names and patterns) or the default set, of Architecture when set.
func (p *Planner) typeNames() ([]string, error) {
	switch p.o.Architecture {
	case "", "x86_64", "arm64":
	default:
		return nil, fmt.Errorf("capacity: architecture %q is not x86_64 or arm64", p.o.Architecture)
	}
	pool := p.defaultTypes()
	var names []string
	if len(p.o.InstanceTypes) == 0 {
		names = pool
	}
	for _, n := range p.o.InstanceTypes {
		if !isPattern(n) {
			if _, ok := p.catalog().Lookup(n); !ok {
				return nil, &unknownTypeError{n}
			}
			names = append(names, n)
			continue
		}
		found := false
		for _, t := range pool {
			if ok, err := path.Match(n, t); err != nil {
				return nil, fmt.Errorf("capacity: instance type pattern %q: %w", n, err)
			} else if ok {
				names, found = append(names, t), true
			}
		}
		if !found {
			return nil, fmt.Errorf("capacity: instance type pattern %q matches no priced type of the catalogue", n)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if p.o.Architecture == "" {
		return names, nil
	}
	kept := names[:0]
	for _, n := range names {
		if t, _ := p.catalog().Lookup(n); cmp.Or(t.Architecture, "x86_64") == p.o.Architecture {
			kept = append(kept, n)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("capacity: no instance type planned is of architecture %s", p.o.Architecture)
	}
	return kept, nil
}

// defaultTypes returns the types of the catalogue that the price table
// prices (on demand or Spot), or every type when it prices none.
func (p *Planner) defaultTypes() []string {
	var names, priced []string
	ec2 := p.prices().EC2
	for t := range p.catalog().All() {
		names = append(names, t.Name)
		_, onDemand := ec2.OnDemand[t.Name]
		_, spot := ec2.Spot[t.Name]
		if onDemand || spot {
			priced = append(priced, t.Name)
		}
	}
	if len(priced) > 0 {
		return priced
	}
	return names
}

// isPattern reports whether an InstanceTypes entry is a pattern (path.Match
// syntax, as m5.* or c6?.xlarge) rather than a name.
func isPattern(s string) bool { return strings.ContainsAny(s, "*?[\\") }

type unknownTypeError struct{ name string }

func (e *unknownTypeError) Error() string {
	return "capacity: instance type " + e.name + " is not in the catalogue"
}
