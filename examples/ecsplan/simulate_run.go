package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

// simReport is what simulate reports: samples every interval and the
// summaries of the run.
type simReport struct {
	Start           ecs.Time          `json:"start"`
	SpanSeconds     int64             `json:"spanSeconds"`
	IntervalSeconds int64             `json:"intervalSeconds"`
	Cluster         string            `json:"cluster"`
	Currency        string            `json:"currency"`
	ServiceNames    []string          `json:"serviceNames"`
	Pools           []string          `json:"pools"` // instance pools, "type zone", in the order of samples' instances
	Samples         []simSample       `json:"samples"`
	Services        []simServiceStats `json:"services"`
	Instances       []simPoolStats    `json:"instances"`
	Cost            float64           `json:"cost"`
	Spot            *simSpot          `json:"spot,omitempty"` // with a Spot model
	Notes           []string          `json:"notes,omitempty"`
}

// simSpot is what the Spot model did in a run: its rates and what they
// cost in interruptions and replaced tasks.
type simSpot struct {
	Model ecstest.SpotModel `json:"model"`
	Stats ecstest.SpotStats `json:"stats"`
	// SpotInstanceHours are the Spot Instances' hours, which the
	// instances' cost counts at the on-demand price.
	SpotInstanceHours float64 `json:"spotInstanceHours"`
}

// simSample is the state at one moment: T seconds from the start.
type simSample struct {
	T         int64           `json:"t"`
	Services  []simServiceNow `json:"services"`  // in the order of serviceNames
	Instances []int           `json:"instances"` // per pool, in the order of pools
	Cost      float64         `json:"cost"`      // spent up to T
}

// simServiceNow is a service at a sample.
type simServiceNow struct {
	Desired        int      `json:"desired"`
	Running        int      `json:"running"`
	Pending        int      `json:"pending"`
	CPUUtilization *float64 `json:"cpuUtilization"` // null with no task running
}

// simServiceStats sums a service's run up.
type simServiceStats struct {
	Service          string  `json:"service"`
	MinDesired       int     `json:"minDesired"`
	MaxDesired       int     `json:"maxDesired"`
	FinalDesired     int     `json:"finalDesired"`
	TasksStarted     int     `json:"tasksStarted"`
	UnableToPlace    int     `json:"unableToPlace"`    // the scheduler's "unable to place a task" events
	WaitingTaskHours float64 `json:"waitingTaskHours"` // desired but not running, over time
	Cost             float64 `json:"cost"`             // Fargate tasks only
}

// simPoolStats sums the instances of one type in one zone up.
type simPoolStats struct {
	InstanceType     string   `json:"instanceType"`
	AvailabilityZone string   `json:"availabilityZone"`
	Min              int      `json:"min"`
	Max              int      `json:"max"`
	Final            int      `json:"final"`
	InstanceHours    float64  `json:"instanceHours"`
	PricePerHour     *float64 `json:"pricePerHour"`
	Cost             float64  `json:"cost"`
}

// simWorld is the simulated ECS of a run and what the run reads of it.
type simWorld struct {
	e       *ecstest.ECS
	clock   *ecstest.Clock
	cluster string
	names   []string
	static  map[string]int // static instances per pool
	groups  []simGroupRef
	prices  *capacity.PriceTable
	stats   map[string]*simServiceStats
	now     map[string]*simServiceNow // each service after its latest step
	meters  map[string]*simMeter
	notes   []string // what the figures leave out, found while building
}

// simGroupRef is a simulated group and its instance type.
type simGroupRef struct{ name, instanceType string }

// simulate runs the services for a.span and reports every a.interval;
// tick is told the time reached.
func simulate(ctx context.Context, in *simInput, a *simulateArgs, tick func(time.Duration)) (*simReport, error) {
	if err := checkSimSize(in, a); err != nil {
		return nil, err
	}
	w, err := buildWorld(ctx, in, a)
	if err != nil {
		return nil, err
	}
	defer w.e.Close()
	defer w.clock.Close()
	rep := &simReport{Start: ecs.NewTime(a.start), SpanSeconds: int64(a.span / time.Second),
		IntervalSeconds: int64(a.interval / time.Second), Cluster: w.cluster, Currency: w.prices.Currency,
		ServiceNames: w.names}
	fleet := newSimFleet(a.start)
	for _, key := range slices.Sorted(maps.Keys(w.static)) {
		fleet.static[fleet.pool(key)] = w.static[key]
	}
	var rows [][]int // instances per pool at each sample, in the order found
	// The clock moves a minute at a time, for the fleet's count; samples
	// fall on whole minutes, and the last at the end of the span.
	for d := time.Duration(0); ; d = min(d+time.Minute, a.span) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		at := w.clock.AdvanceTo(a.start.Add(d))
		if err := fleet.poll(ctx, w, at); err != nil {
			return nil, err
		}
		if d%a.interval == 0 || d == a.span {
			tick(d)
			s := w.sample(ctx, d, at)
			s.Cost = round2(w.costSoFar(fleet))
			rows = append(rows, slices.Clone(fleet.counts))
			rep.Samples = append(rep.Samples, s)
		}
		if d == a.span {
			break
		}
	}
	w.report(rep, fleet, rows)
	if a.spot != (ecstest.SpotModel{}) || fleet.spotHours > 0 {
		rep.Spot = &simSpot{Model: a.spot, Stats: w.e.SpotStats(), SpotInstanceHours: round2(fleet.spotHours)}
	}
	if fleet.spotHours > 0 {
		w.notes = append(w.notes, "the price table has no EC2 Spot prices: Spot Instances cost the on-demand price here")
	}
	rep.Notes = append(w.notes, w.priceNotes(in, fleet)...)
	return rep, nil
}

// costSoFar is what the instances and the Fargate tasks cost up to the
// fleet's latest poll, which the services' meters are advanced to.
func (w *simWorld) costSoFar(f *simFleet) float64 {
	var cost float64
	for i, key := range f.keys {
		typ, _ := splitPool(key)
		if p := w.price(typ); p != nil {
			cost += f.hours[i] * *p
		}
	}
	for _, name := range w.names {
		cost += w.meters[name].cost
	}
	return cost
}

// report sums the run up into rep: the pools in order of key, each
// sample's instances in that order, the services' and pools' figures.
func (w *simWorld) report(rep *simReport, f *simFleet, rows [][]int) {
	rep.Pools = slices.Sorted(slices.Values(f.keys))
	for i := range rep.Samples {
		row := make([]int, len(rep.Pools))
		for j, key := range rep.Pools {
			if k := f.index[key]; k < len(rows[i]) {
				row[j] = rows[i][k]
			}
		}
		rep.Samples[i].Instances = row
	}
	for _, key := range rep.Pools {
		k := f.index[key]
		typ, zone := splitPool(key)
		p := simPoolStats{InstanceType: typ, AvailabilityZone: zone, Min: f.lo[k], Max: f.hi[k], Final: f.counts[k],
			InstanceHours: round2(f.hours[k]), PricePerHour: w.price(typ)}
		if p.PricePerHour != nil {
			p.Cost = round2(f.hours[k] * *p.PricePerHour)
		}
		rep.Instances = append(rep.Instances, p)
	}
	for _, name := range w.names {
		st, m := w.stats[name], w.meters[name]
		st.FinalDesired = w.now[name].Desired
		st.Cost, st.WaitingTaskHours = round2(m.cost), round2(m.waitingHours)
		rep.Services = append(rep.Services, *st)
	}
	rep.Cost = round2(w.costSoFar(f))
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// buildWorld makes the ECS of a run: the cluster, its instances, groups
// and capacity providers, the services, their scaling and their load.
func buildWorld(ctx context.Context, in *simInput, a *simulateArgs) (*simWorld, error) {
	region, account, cluster := ecs.DefaultRegion, ecs.DefaultAccount, "default"
	if p, err := ecs.ParseARN(in.services[0].svc.ClusterARN); err == nil {
		region, account, cluster = p.Region, p.Account, p.Name
	}
	clock := ecstest.NewClock(a.start, 0)
	e := ecstest.New(ecstest.WithClock(clock), ecstest.WithSeed(a.seed), ecstest.WithRegion(region), ecstest.WithAccount(account))
	w := &simWorld{e: e, clock: clock, cluster: cluster, static: map[string]int{}, prices: capacity.DefaultPrices(),
		stats: map[string]*simServiceStats{}, now: map[string]*simServiceNow{}, meters: map[string]*simMeter{}}
	fail := func(err error) (*simWorld, error) {
		e.Close()
		clock.Close()
		return nil, err
	}
	if err := e.SetSpotModel(ctx, a.spot); err != nil {
		return fail(fmt.Errorf("the Spot model: %w", err))
	}
	if _, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: cluster}); err != nil {
		return fail(fmt.Errorf("the cluster: %w", err))
	}
	if len(in.instances) > 0 {
		loaded, err := e.LoadContainerInstances(ctx, cluster, in.instances)
		if err != nil {
			return fail(fmt.Errorf("the instances: %w", err))
		}
		for _, ci := range loaded {
			w.static[poolKey(attr(ci, "ecs.instance-type"), attr(ci, "ecs.availability-zone"))]++
		}
	}
	if err := w.addProviders(ctx, in); err != nil {
		return fail(err)
	}
	for _, d := range in.services {
		svc, td := *d.svc, *d.td
		if td.TaskDefinitionARN == "" {
			td.Revision = max(td.Revision, 1)
			td.TaskDefinitionARN = ecs.TaskDefinitionARN(region, account, td.Family, td.Revision).String()
		}
		svc.ClusterARN, svc.TaskDefinition = "", td.TaskDefinitionARN
		if _, err := e.LoadService(ctx, cluster, ecstest.LoadServiceInput{Service: &svc, TaskDefinitions: []*ecs.TaskDefinition{&td}}); err != nil {
			return fail(fmt.Errorf("service %s: %w", svc.ServiceName, err))
		}
		if err := w.meter(d, &svc); err != nil {
			return fail(err)
		}
		name := svc.ServiceName
		if curve, ok := in.load[name]; ok {
			start := a.start
			if _, err := e.SetLoad(ctx, ecstest.Load{Cluster: cluster, Service: name,
				Curve: func(t time.Time) ecstest.ServiceLoad { return curve.at(t.Sub(start)) }}); err != nil {
				return fail(fmt.Errorf("service %s: load: %w", name, err))
			}
		}
	}
	if err := w.addScaling(ctx, in); err != nil {
		return fail(err)
	}
	return w, nil
}

// meter starts the figures of the service svc loaded from d: its
// counts as its scheduler's steps report them and, on Fargate, the
// price of its tasks.
func (w *simWorld) meter(d serviceDef, svc *ecs.Service) error {
	name := svc.ServiceName
	st := &simServiceStats{Service: name, MinDesired: svc.DesiredCount, MaxDesired: svc.DesiredCount}
	now := &simServiceNow{Desired: svc.DesiredCount}
	m := &simMeter{at: w.clock.Now(), desired: svc.DesiredCount}
	if onFargate(svc) {
		spot := slices.ContainsFunc(svc.CapacityProviderStrategy, func(it ecs.CapacityProviderStrategyItem) bool {
			return it.CapacityProvider == capacity.FargateSpot
		})
		r, err := fargateRates(w.prices, d.td, spot)
		if err != nil {
			w.notes = append(w.notes, fmt.Sprintf("service %s: %v: its Fargate tasks cost nothing here", name, err))
		}
		m.rates = r
	}
	w.names = append(w.names, name)
	w.stats[name], w.now[name], w.meters[name] = st, now, m
	// The counts are those after the service's latest step: a step runs
	// whenever its desired count or one of its tasks changes, so they
	// hold until the next, and reading them there spares a
	// DescribeServices per sample.
	return w.e.OnServiceStep(w.cluster, name, func(ds *deploy.State, res *deploy.Result) {
		m.onStep(w.clock.Now(), ds, res, now, st)
	})
}

// onFargate reports whether svc runs on Fargate: its launch type, or a
// capacity provider strategy of FARGATE and FARGATE_SPOT (which cannot be
// mixed with other providers).
func onFargate(svc *ecs.Service) bool {
	if len(svc.CapacityProviderStrategy) == 0 {
		return svc.LaunchType == ecs.LaunchTypeFargate
	}
	return !slices.ContainsFunc(svc.CapacityProviderStrategy, func(it ecs.CapacityProviderStrategyItem) bool {
		return !capacity.IsFargate(it.CapacityProvider)
	})
}

// addProviders makes the Auto Scaling groups and the capacity providers
// of their ARNs, and sets them as the cluster's default strategy.
func (w *simWorld) addProviders(ctx context.Context, in *simInput) error {
	arns := map[string]string{}
	for _, g := range in.groups {
		spot, base, _ := g.spot() // checked by loadSimInput
		arn, err := w.e.CreateAutoScalingGroup(ctx, ecstest.AutoScalingGroup{Name: g.Name, InstanceType: g.instanceType(),
			AvailabilityZones: g.AvailabilityZones, MinSize: g.MinSize, MaxSize: g.MaxSize, DesiredCapacity: g.DesiredCapacity,
			Spot: spot, OnDemandBaseCapacity: base, CapacityRebalance: g.CapacityRebalance})
		if err != nil {
			return fmt.Errorf("group %s: %w", g.Name, err)
		}
		arns[g.Name] = arn
		w.groups = append(w.groups, simGroupRef{g.Name, g.instanceType()})
	}
	var names []string
	var strategy []ecs.CapacityProviderStrategyItem
	fargate := map[string]bool{}
	for _, d := range in.services {
		for _, it := range d.svc.CapacityProviderStrategy {
			if capacity.IsFargate(it.CapacityProvider) {
				fargate[it.CapacityProvider] = true
			}
		}
	}
	for _, cp := range in.providers {
		if capacity.IsFargate(cp.Name) {
			fargate[cp.Name] = true // ECS's own: describe-capacity-providers lists them
			continue
		}
		p := cp.AutoScalingGroupProvider
		if p == nil {
			return fmt.Errorf("capacity provider %s: no autoScalingGroupProvider", cp.Name)
		}
		arn, ok := arns[groupName(p.AutoScalingGroupARN)]
		if !ok {
			return fmt.Errorf("capacity provider %s: its group %s is not in -auto-scaling-groups", cp.Name, groupName(p.AutoScalingGroupARN))
		}
		prov := *p
		prov.AutoScalingGroupARN = arn
		if _, err := w.e.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: cp.Name, AutoScalingGroupProvider: &prov}); err != nil {
			return fmt.Errorf("capacity provider %s: %w", cp.Name, err)
		}
		names = append(names, cp.Name)
		strategy = append(strategy, ecs.CapacityProviderStrategyItem{CapacityProvider: cp.Name, Weight: 1})
	}
	// FARGATE and FARGATE_SPOT are associated for the services that name
	// them, but stay out of the default strategy, which cannot mix them
	// with Auto Scaling group providers.
	names = append(names, slices.Sorted(maps.Keys(fargate))...)
	if len(names) == 0 {
		return nil
	}
	_, err := w.e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: w.cluster,
		CapacityProviders: names, DefaultCapacityProviderStrategy: strategy})
	return err
}

// addScaling registers the scalable targets, policies and scheduled
// actions, as the describe outputs show them.
func (w *simWorld) addScaling(ctx context.Context, in *simInput) error {
	for _, t := range in.targets {
		if _, err := w.e.RegisterScalableTarget(ctx, &autoscaling.RegisterScalableTargetRequest{ServiceNamespace: t.ServiceNamespace,
			ResourceId: t.ResourceId, ScalableDimension: t.ScalableDimension, MinCapacity: &t.MinCapacity, MaxCapacity: &t.MaxCapacity,
			SuspendedState: t.SuspendedState}); err != nil {
			return fmt.Errorf("scalable target %s: %w", t.ResourceId, err)
		}
	}
	for _, p := range in.policies {
		if _, err := w.e.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyRequest{PolicyName: p.PolicyName,
			ServiceNamespace: p.ServiceNamespace, ResourceId: p.ResourceId, ScalableDimension: p.ScalableDimension,
			PolicyType: p.PolicyType, StepScalingPolicyConfiguration: p.StepScalingPolicyConfiguration,
			TargetTrackingScalingPolicyConfiguration: p.TargetTrackingScalingPolicyConfiguration}); err != nil {
			return fmt.Errorf("scaling policy %s: %w", p.PolicyName, err)
		}
	}
	for _, s := range in.actions {
		req := &autoscaling.PutScheduledActionRequest{ServiceNamespace: s.ServiceNamespace, Schedule: s.Schedule,
			Timezone: s.Timezone, ScheduledActionName: s.ScheduledActionName, ResourceId: s.ResourceId,
			ScalableDimension: s.ScalableDimension, ScalableTargetAction: s.ScalableTargetAction}
		if !s.StartTime.IsZero() {
			req.StartTime = &s.StartTime
		}
		if !s.EndTime.IsZero() {
			req.EndTime = &s.EndTime
		}
		if _, err := w.e.PutScheduledAction(ctx, req); err != nil {
			return fmt.Errorf("scheduled action %s: %w", s.ScheduledActionName, err)
		}
	}
	return nil
}

// sample reads the services at offset t (time at): their counts after
// their latest steps and their CPU utilisation; it advances their meters
// to at.
func (w *simWorld) sample(ctx context.Context, t time.Duration, at time.Time) simSample {
	s := simSample{T: int64(t / time.Second), Services: make([]simServiceNow, 0, len(w.names))}
	for _, name := range w.names {
		w.meters[name].advance(at)
		now := w.now[name]
		if m, err := w.e.Metrics(ctx, w.cluster, name); err == nil && !math.IsNaN(m.CPUUtilization) {
			u := math.Round(m.CPUUtilization*10) / 10
			now.CPUUtilization = &u
		} else {
			now.CPUUtilization = nil
		}
		s.Services = append(s.Services, *now)
	}
	return s
}

// poolKey names the instances of one type in one zone.
func poolKey(typ, zone string) string { return cmp.Or(typ, "unknown") + " " + cmp.Or(zone, "unknown") }

// splitPool is poolKey's inverse.
func splitPool(key string) (typ, zone string) {
	typ, zone, _ = strings.Cut(key, " ")
	return typ, zone
}

// attr returns the value of a container instance's attribute, or "".
func attr(ci ecs.ContainerInstance, name string) string {
	for _, a := range ci.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// price returns an instance type's on-demand price per hour, or nil.
func (w *simWorld) price(typ string) *float64 {
	if p, ok := w.prices.EC2.OnDemand[typ]; ok {
		return &p
	}
	return nil
}

// priceNotes says what the figures leave out: instances without a price
// and services without load.
func (w *simWorld) priceNotes(in *simInput, f *simFleet) []string {
	var notes []string
	types := map[string]bool{}
	for _, key := range f.keys {
		typ, _ := splitPool(key)
		types[typ] = true
	}
	for _, typ := range slices.Sorted(maps.Keys(types)) {
		if w.price(typ) == nil {
			notes = append(notes, fmt.Sprintf("no on-demand price for %s: its instances cost nothing here", typ))
		}
	}
	for _, d := range in.services {
		if _, ok := in.load[d.svc.ServiceName]; !ok {
			notes = append(notes, fmt.Sprintf("service %s has no load in the load file: its load is 0", d.svc.ServiceName))
		}
	}
	return notes
}
