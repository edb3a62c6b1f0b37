package deploy

import (
	"slices"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// PlacementPlacer returns a function for Driver.NewPlacer that builds,
// from each step's observation, a Placer over the placement package: a
// snapshot (placement.NewSnapshot) of the observed instances and tasks,
// and an engine on it, built the first time the step needs it (to place
// tasks, choose tasks to stop or find the eligible instances). The tasks'
// task definitions are looked up in tds unless opts says otherwise. The
// Placer behaves as EnginePlacer's.
//
// A runtime that keeps a placement engine of its own, current as tasks
// start and stop, passes it to EnginePlacer instead and saves the
// snapshot each step.
func PlacementPlacer(tds map[string]*ecs.TaskDefinition, optFns ...func(*placement.SnapshotOptions)) func(Observation) (Placer, error) {
	return func(obs Observation) (Placer, error) {
		var o placement.SnapshotOptions
		for _, f := range optFns {
			if f != nil {
				f(&o)
			}
		}
		if o.TaskDefinition == nil {
			v := view{s: &State{TaskDefinitions: tds}}
			o.TaskDefinition = v.taskDefinition
		}
		return &enginePlacer{obs: obs, opts: o}, nil
	}
}

// EnginePlacer returns a Placer over eng, a placement engine the caller
// keeps current with the cluster: the tasks the Placer places are
// committed in eng (each PlacedTask names its engine task in EngineTask,
// for Engine.Stop when the task has stopped), and the tasks SelectStop
// chooses are held in eng (placement.Engine.Hold) until they stop. obs is
// the step's observation: the service's tasks (for the split over
// capacity providers) and the cluster's instances (for their
// Availability Zones).
//
// Scale-in is the engine's (placement.Engine.ScaleIn), a DAEMON's
// eligible instances are those placement.Engine.Eligible returns, and its
// tasks are placed on their instances by placement.Engine.PlaceDaemon.
// Tasks of a capacity provider strategy are divided over its providers
// by capacity.Split, continuing from the service's tasks on each. Fargate
// tasks need no instance: they are placed without one.
func EnginePlacer(eng *placement.Engine, obs Observation) Placer {
	return &enginePlacer{eng: eng, obs: obs}
}

// engine returns the placement engine, built on first use.
func (p *enginePlacer) engine() (*placement.Engine, error) {
	if p.eng == nil {
		snap, err := placement.NewSnapshot(p.obs.Instances, p.obs.Tasks, func(o *placement.SnapshotOptions) { *o = p.opts })
		if err != nil {
			return nil, err
		}
		p.eng = placement.NewEngine(snap)
	}
	return p.eng, nil
}

// enginePlacer is a Placer over a placement.Engine.
type enginePlacer struct {
	eng  *placement.Engine
	obs  Observation
	opts placement.SnapshotOptions
}

// Place places on Fargate, on pinned instances, over capacity providers,
// or with one engine request.
func (p *enginePlacer) Place(r PlaceRequest) (PlaceResult, error) {
	switch {
	case onFargate(r):
		return p.placeFargate(r)
	case len(r.Instances) > 0:
		return p.placePinned(r)
	case len(r.CapacityProviderStrategy) > 0:
		return p.placeSplit(r)
	}
	return p.place(r, r.TaskARNs, "")
}

// request returns the engine request for tasks arns of r through the
// capacity provider (none when empty). A request for one Availability
// Zone names the observed instances in it.
func (p *enginePlacer) request(r PlaceRequest, arns []string, provider string) *placement.Request {
	lt := r.LaunchType
	if lt != ecs.LaunchTypeExternal {
		lt = ecs.LaunchTypeEC2
	}
	req := &placement.Request{
		TaskDefinition: r.TaskDefinition, Count: len(arns), Service: r.Service, LaunchType: lt,
		CapacityProvider: provider, Strategy: r.Strategy, Constraints: r.Constraints,
		Seed: r.Seed, TaskARNs: arns,
	}
	if r.AvailabilityZone != "" {
		for i := range p.obs.Instances {
			if ci := &p.obs.Instances[i]; attribute(ci.Attributes, ecs.AttrAvailabilityZone) == r.AvailabilityZone {
				req.Instances = append(req.Instances, ci.ContainerInstanceARN)
			}
		}
	}
	return req
}

// place places tasks with the engine.
func (p *enginePlacer) place(r PlaceRequest, arns []string, provider string) (PlaceResult, error) {
	req := p.request(r, arns, provider)
	if r.AvailabilityZone != "" && len(req.Instances) == 0 {
		return PlaceResult{}, nil // no instance in the zone
	}
	eng, err := p.engine()
	if err != nil {
		return PlaceResult{}, err
	}
	var b placement.Batch
	if err := eng.PlaceInto(&b, req); err != nil {
		return PlaceResult{}, err
	}
	return placeResult(&b, provider), nil
}

// placeResult converts the engine's placements, building their
// containers together.
func placeResult(b *placement.Batch, provider string) PlaceResult {
	var out PlaceResult
	if n := b.Len(); n > 0 {
		bindings := b.Bindings()
		all := make([]ecs.Container, 0, n*len(bindings[0]))
		out.Placed = make([]PlacedTask, n)
		for k := range n {
			at := len(all)
			for _, c := range bindings[k] {
				all = append(all, ecs.Container{Name: c.Name, NetworkBindings: c.NetworkBindings})
			}
			out.Placed[k] = PlacedTask{
				TaskARN: b.TaskARN(k), EngineTask: b.Task(k), ContainerInstanceARN: b.ContainerInstanceARN(k),
				AvailabilityZone: b.AvailabilityZone(k), CapacityProvider: provider, Containers: all[at:len(all):len(all)],
			}
		}
	}
	if b.Explanation != nil {
		out.Event = b.Explanation.Event()
	}
	return out
}

// placePinned places task k on instance r.Instances[k], as the engine
// places a daemon's tasks (placement.Engine.PlaceDaemon): no constraint
// is added, so an instance without an EC2 instance ID takes its task
// and the service keeps all ten of its constraints.
func (p *enginePlacer) placePinned(r PlaceRequest) (PlaceResult, error) {
	req := p.request(r, r.TaskARNs, "")
	req.Instances = r.Instances
	eng, err := p.engine()
	if err != nil {
		return PlaceResult{}, err
	}
	var b placement.Batch
	if err := eng.PlaceDaemonInto(&b, req); err != nil {
		return PlaceResult{}, err
	}
	return placeResult(&b, ""), nil
}

// placeSplit divides the tasks over the capacity providers, continuing
// from the service's live tasks on each, and places each provider's share.
func (p *enginePlacer) placeSplit(r PlaceRequest) (PlaceResult, error) {
	counts, err := capacity.Split(r.CapacityProviderStrategy, p.providerCounts(r), len(r.TaskARNs))
	if err != nil {
		return PlaceResult{}, err
	}
	var out PlaceResult
	arns := r.TaskARNs
	for i, n := range counts {
		if n == 0 {
			continue
		}
		res, err := p.place(r, arns[:n], r.CapacityProviderStrategy[i].CapacityProvider)
		if err != nil {
			return PlaceResult{}, err
		}
		arns = arns[n:]
		out.Placed = append(out.Placed, res.Placed...)
		if out.Event == "" {
			out.Event = res.Event
		}
	}
	return out, nil
}

// placeFargate places tasks on Fargate, which always has room; the
// provider split still applies.
func (p *enginePlacer) placeFargate(r PlaceRequest) (PlaceResult, error) {
	providers := make([]string, len(r.TaskARNs))
	if len(r.CapacityProviderStrategy) > 0 {
		counts, err := capacity.Split(r.CapacityProviderStrategy, p.providerCounts(r), len(r.TaskARNs))
		if err != nil {
			return PlaceResult{}, err
		}
		k := 0
		for i, n := range counts {
			for range n {
				providers[k] = r.CapacityProviderStrategy[i].CapacityProvider
				k++
			}
		}
	}
	var out PlaceResult
	for k, arn := range r.TaskARNs {
		out.Placed = append(out.Placed, PlacedTask{TaskARN: arn, CapacityProvider: providers[k]})
	}
	return out, nil
}

// providerCounts returns the service's live tasks on each provider of
// its strategy, in strategy order.
func (p *enginePlacer) providerCounts(r PlaceRequest) []int {
	counts := make([]int, len(r.CapacityProviderStrategy))
	for i := range p.obs.Tasks {
		t := &p.obs.Tasks[i]
		if t.Group != ecs.ServiceGroup(r.Service) || !phaseOf(t).live() {
			continue
		}
		for k, it := range r.CapacityProviderStrategy {
			if it.CapacityProvider == t.CapacityProviderName {
				counts[k]++
			}
		}
	}
	return counts
}

// Eligible returns the instances that may run a task of r whatever room
// they have left (placement.Engine.Eligible): ACTIVE, agent connected, of
// the launch type, with the task's required attributes and meeting its
// memberOf constraints; with a capacity provider strategy, those of any
// of its providers. Fargate tasks have none.
func (p *enginePlacer) Eligible(r PlaceRequest) ([]string, error) {
	return p.overProviders(r, (*placement.Engine).Eligible)
}

// Zones returns the zones of the instances Eligible returns
// (placement.Engine.EligibleZones), sorted; Fargate tasks have none.
func (p *enginePlacer) Zones(r PlaceRequest) ([]string, error) {
	return p.overProviders(r, (*placement.Engine).EligibleZones)
}

// overProviders asks the engine a question of r for each capacity
// provider whose instances r's tasks may use (providersOf) and returns the
// answers merged: sorted, each once. Fargate tasks have no instances, so
// no answers.
func (p *enginePlacer) overProviders(r PlaceRequest, ask func(*placement.Engine, *placement.Request) ([]string, error)) ([]string, error) {
	if onFargate(r) {
		return nil, nil
	}
	eng, err := p.engine()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, cp := range providersOf(r) {
		got, err := ask(eng, p.request(r, nil, cp))
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// providersOf returns the capacity providers whose instances a task of r
// may use: those of its strategy, or "" (any) without one.
func providersOf(r PlaceRequest) []string {
	if len(r.CapacityProviderStrategy) == 0 {
		return []string{""}
	}
	out := make([]string, 0, len(r.CapacityProviderStrategy))
	for _, it := range r.CapacityProviderStrategy {
		out = append(out, it.CapacityProvider)
	}
	return out
}

// SelectStop chooses tasks to stop by placement's scale-in rule
// (placement.Engine.ScaleIn; rules 90 and 92) among the candidates. The
// tasks chosen leave the service's group in the engine at once but hold
// their resources, as they do until they have stopped, so that later
// choices and placements in the step balance without them. Candidates
// the engine does not hold (Fargate tasks) come after, in ARN order.
func (p *enginePlacer) SelectStop(r StopRequest) ([]string, error) {
	eng, err := p.engine()
	if err != nil {
		return nil, err
	}
	got, err := eng.ScaleIn(placement.ScaleInRequest{
		Service: r.Service, Count: r.Count, Strategy: r.Strategy, Seed: r.Seed,
		Tasks: r.Candidates, KeepResources: true,
	})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, r.Count)
	chosen := make(map[string]bool, len(got))
	for _, ts := range got {
		out = append(out, ts.TaskARN)
		chosen[ts.TaskARN] = true
	}
	if len(out) < r.Count {
		rest := slices.DeleteFunc(slices.Clone(r.Candidates), func(a string) bool { return chosen[a] })
		slices.Sort(rest)
		out = append(out, rest[:min(len(rest), r.Count-len(out))]...)
	}
	return out, nil
}

// attribute returns the value of the attribute name, or "".
func attribute(attrs []ecs.Attribute, name string) string {
	for _, a := range attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// onFargate reports whether the request's tasks run on Fargate.
func onFargate(r PlaceRequest) bool {
	return capacity.Launch{LaunchType: r.LaunchType, Strategy: r.CapacityProviderStrategy}.Fargate()
}
