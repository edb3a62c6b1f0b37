package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
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
	Notes           []string          `json:"notes,omitempty"`
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
	fargate map[string]float64 // a Fargate service's cost per task-hour
	stats   map[string]*simServiceStats
	now     map[string]*simServiceNow // each service after its latest step
	counts  []map[string]int          // instances per pool, per sample
}

// simGroupRef is a simulated group and its instance type.
type simGroupRef struct{ name, instanceType string }

// simulate runs the services for a.span and reports every a.interval;
// tick is told the time reached.
func simulate(ctx context.Context, in *simInput, a *simulateArgs, tick func(time.Duration)) (*simReport, error) {
	w, err := buildWorld(ctx, in, a)
	if err != nil {
		return nil, err
	}
	defer w.e.Close()
	defer w.clock.Close()
	rep := &simReport{Start: ecs.NewTime(a.start), SpanSeconds: int64(a.span / time.Second),
		IntervalSeconds: int64(a.interval / time.Second), Cluster: w.cluster, Currency: w.prices.Currency,
		ServiceNames: w.names}
	pools := map[string]*simPoolStats{}
	var cost float64
	for t := time.Duration(0); t <= a.span; t += a.interval {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w.clock.AdvanceTo(a.start.Add(t))
		tick(t)
		s, counts, err := w.sample(ctx, t)
		if err != nil {
			return nil, err
		}
		hours := a.interval.Hours()
		if t == a.span {
			hours = 0 // the last sample ends the run
		}
		for key, n := range counts {
			p := pools[key]
			if p == nil {
				typ, zone := splitPool(key)
				p = &simPoolStats{InstanceType: typ, AvailabilityZone: zone, Min: n, PricePerHour: w.price(typ)}
				if t > 0 {
					p.Min = 0
				}
				pools[key] = p
			}
			p.Min, p.Max, p.Final = min(p.Min, n), max(p.Max, n), n
			p.InstanceHours += float64(n) * hours
			if p.PricePerHour != nil {
				cost += float64(n) * hours * *p.PricePerHour
			}
		}
		for key, p := range pools {
			if _, ok := counts[key]; !ok {
				p.Min, p.Final = 0, 0
			}
		}
		for i, name := range w.names {
			st, now := w.stats[name], s.Services[i]
			st.WaitingTaskHours += float64(max(now.Desired-now.Running, 0)) * hours
			c := float64(now.Running) * hours * w.fargate[name]
			st.Cost += c
			cost += c
		}
		s.Cost = round2(cost)
		rep.Samples = append(rep.Samples, s)
	}
	rep.Pools = slices.Sorted(maps.Keys(pools))
	for i := range rep.Samples {
		rep.Samples[i].Instances = make([]int, len(rep.Pools))
	}
	w.fillPools(rep)
	for _, key := range rep.Pools {
		p := pools[key]
		if p.PricePerHour != nil {
			p.Cost = round2(p.InstanceHours * *p.PricePerHour)
		}
		rep.Instances = append(rep.Instances, *p)
	}
	for _, name := range w.names {
		st := w.stats[name]
		st.Cost = round2(st.Cost)
		st.WaitingTaskHours = round2(st.WaitingTaskHours)
		rep.Services = append(rep.Services, *st)
	}
	rep.Cost = round2(cost)
	rep.Notes = w.notes(in)
	return rep, nil
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
		fargate: map[string]float64{}, stats: map[string]*simServiceStats{}, now: map[string]*simServiceNow{}}
	fail := func(err error) (*simWorld, error) {
		e.Close()
		clock.Close()
		return nil, err
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
		name := svc.ServiceName
		w.names = append(w.names, name)
		st := &simServiceStats{Service: name, MinDesired: svc.DesiredCount, MaxDesired: svc.DesiredCount}
		w.stats[name] = st
		now := &simServiceNow{Desired: svc.DesiredCount}
		w.now[name] = now
		// The counts are those after the service's latest step: a step
		// runs whenever its desired count or one of its tasks changes,
		// and reading them there spares a DescribeServices per sample.
		if err := e.OnServiceStep(cluster, name, func(_ *deploy.State, res *deploy.Result) {
			now.Desired, now.Running, now.Pending = res.Service.DesiredCount, res.Service.RunningCount, res.Service.PendingCount
			st.TasksStarted += len(res.Start)
			for _, k := range res.Kinds {
				if k == deploy.EventUnableToPlace {
					st.UnableToPlace++
				}
			}
		}); err != nil {
			return fail(err)
		}
		if svc.LaunchType == ecs.LaunchTypeFargate {
			w.fargate[name] = fargateHourly(w.prices, d.td)
		}
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

// addProviders makes the Auto Scaling groups and the capacity providers
// of their ARNs, and sets them as the cluster's default strategy.
func (w *simWorld) addProviders(ctx context.Context, in *simInput) error {
	arns := map[string]string{}
	for _, g := range in.groups {
		arn, err := w.e.CreateAutoScalingGroup(ctx, ecstest.AutoScalingGroup{Name: g.Name, InstanceType: g.instanceType(),
			AvailabilityZones: g.AvailabilityZones, MinSize: g.MinSize, MaxSize: g.MaxSize, DesiredCapacity: g.DesiredCapacity})
		if err != nil {
			return fmt.Errorf("group %s: %w", g.Name, err)
		}
		arns[g.Name] = arn
		w.groups = append(w.groups, simGroupRef{g.Name, g.instanceType()})
	}
	var names []string
	var strategy []ecs.CapacityProviderStrategyItem
	for _, cp := range in.providers {
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

// sample reads the services and the instances at offset t.
func (w *simWorld) sample(ctx context.Context, t time.Duration) (simSample, map[string]int, error) {
	s := simSample{T: int64(t / time.Second), Services: make([]simServiceNow, 0, len(w.names))}
	for _, name := range w.names {
		now := w.now[name]
		if m, err := w.e.Metrics(ctx, w.cluster, name); err == nil && !math.IsNaN(m.CPUUtilization) {
			u := math.Round(m.CPUUtilization*10) / 10
			now.CPUUtilization = &u
		} else {
			now.CPUUtilization = nil
		}
		st := w.stats[name]
		st.MinDesired, st.MaxDesired, st.FinalDesired = min(st.MinDesired, now.Desired), max(st.MaxDesired, now.Desired), now.Desired
		s.Services = append(s.Services, *now)
	}
	counts := maps.Clone(w.static)
	for _, g := range w.groups {
		st, err := w.e.DescribeAutoScalingGroup(ctx, g.name)
		if err != nil {
			return s, nil, err
		}
		for _, in := range st.Instances {
			counts[poolKey(g.instanceType, in.AvailabilityZone)]++
		}
	}
	w.counts = append(w.counts, counts)
	return s, counts, nil
}

// fillPools writes each sample's instances per pool, in the order of
// rep.Pools.
func (w *simWorld) fillPools(rep *simReport) {
	for i := range rep.Samples {
		row := make([]int, len(rep.Pools))
		for j, key := range rep.Pools {
			row[j] = w.counts[i][key]
		}
		rep.Samples[i].Instances = row
	}
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

// fargateHourly is what a Fargate task of td costs an hour (Linux, its
// CPU architecture, on demand), or 0 when the price table has no rate.
func fargateHourly(prices *capacity.PriceTable, td *ecs.TaskDefinition) float64 {
	arch := "X86_64"
	if td.RuntimePlatform != nil && td.RuntimePlatform.CPUArchitecture != "" {
		arch = string(td.RuntimePlatform.CPUArchitecture)
	}
	cpu, _ := strconv.Atoi(td.CPU)
	mem, _ := strconv.Atoi(td.Memory)
	for _, r := range prices.Fargate {
		if r.OS == "LINUX" && r.Architecture == arch && !r.Spot {
			return float64(cpu)/1024*r.VCPUHour + float64(mem)/1024*r.GBHour
		}
	}
	return 0
}

// notes says what the figures leave out.
func (w *simWorld) notes(in *simInput) []string {
	var notes []string
	for _, key := range slices.Sorted(maps.Keys(w.counts[len(w.counts)-1])) {
		if typ, _ := splitPool(key); w.price(typ) == nil {
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
