package deploy

import (
	"fmt"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// PlacementPlacer returns a function for Driver.NewPlacer and
// Simulation.NewPlacer that builds, from each step's observation, a
// Placer over the placement package: a snapshot (placement.NewSnapshot)
// of the observed instances and tasks, and an engine on it, built the
// first time the step places a task. The tasks' task definitions are
// looked up in tds unless opts says otherwise.
//
// Tasks of a capacity provider strategy are divided over its providers
// by capacity.Split, continuing from the service's tasks on each. Fargate
// tasks need no instance: they are placed without one.
func PlacementPlacer(tds map[string]*ecs.TaskDefinition, opts *placement.SnapshotOptions) func(Observation) (Placer, error) {
	return func(obs Observation) (Placer, error) {
		var o placement.SnapshotOptions
		if opts != nil {
			o = *opts
		}
		if o.TaskDefinition == nil {
			v := view{s: &State{TaskDefinitions: tds}}
			o.TaskDefinition = v.taskDefinition
		}
		p := &enginePlacer{obs: obs, opts: o, index: make(map[string]int, len(obs.Instances))}
		for i := range obs.Instances {
			p.index[obs.Instances[i].ContainerInstanceARN] = i
		}
		return p, nil
	}
}

// engine returns the placement engine, built on first use.
func (p *enginePlacer) engine() (*placement.Engine, error) {
	if p.eng == nil {
		snap, err := placement.NewSnapshot(p.obs.Instances, p.obs.Tasks, &p.opts)
		if err != nil {
			return nil, err
		}
		p.eng = placement.NewEngine(snap, nil)
	}
	return p.eng, nil
}

// enginePlacer is a Placer over a placement.Engine.
type enginePlacer struct {
	eng   *placement.Engine
	obs   Observation
	opts  placement.SnapshotOptions
	index map[string]int // container instance ARN → index in obs.Instances
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
	return p.place(r, r.TaskARNs, "", nil)
}

// place places tasks with the engine.
func (p *enginePlacer) place(r PlaceRequest, arns []string, provider string, extra []ecs.PlacementConstraint) (PlaceResult, error) {
	lt := r.LaunchType
	if lt != ecs.LaunchTypeExternal {
		lt = ecs.LaunchTypeEC2
	}
	req := &placement.Request{
		TaskDefinition: r.TaskDefinition, Count: len(arns), Service: r.Service, LaunchType: lt,
		CapacityProvider: provider, Strategy: r.Strategy,
		Constraints: append(append([]ecs.PlacementConstraint(nil), r.Constraints...), extra...),
		Seed:        r.Seed, TaskARNs: arns,
	}
	eng, err := p.engine()
	if err != nil {
		return PlaceResult{}, err
	}
	res, err := eng.Place(req)
	if err != nil {
		return PlaceResult{}, err
	}
	var out PlaceResult
	for _, pl := range res.Placements {
		cs := make([]ecs.Container, len(pl.Containers))
		for i, c := range pl.Containers {
			cs[i] = ecs.Container{Name: c.Name, NetworkBindings: c.NetworkBindings}
		}
		out.Placed = append(out.Placed, Placement{
			TaskARN: pl.TaskARN, ContainerInstanceARN: pl.ContainerInstanceARN,
			AvailabilityZone: pl.AvailabilityZone, CapacityProvider: provider, Containers: cs,
		})
	}
	if res.Explanation != nil {
		out.Event = res.Explanation.Event()
	}
	return out, nil
}

// placePinned places task k on instance r.Instances[k], by a memberOf
// constraint on the instance's EC2 ID.
func (p *enginePlacer) placePinned(r PlaceRequest) (PlaceResult, error) {
	var out PlaceResult
	for k, arn := range r.TaskARNs {
		i, ok := p.index[r.Instances[k]]
		if !ok || p.obs.Instances[i].EC2InstanceID == "" {
			continue
		}
		ci := &p.obs.Instances[i]
		res, err := p.place(r, []string{arn}, "", []ecs.PlacementConstraint{{
			Type: ecs.PlacementConstraintTypeMemberOf, Expression: "ec2InstanceId == " + ci.EC2InstanceID,
		}})
		if err != nil {
			return PlaceResult{}, err
		}
		out.Placed = append(out.Placed, res.Placed...)
		if res.Event != "" && out.Event == "" {
			out.Event = res.Event
		}
	}
	return out, nil
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
		res, err := p.place(r, arns[:n], r.CapacityProviderStrategy[i].CapacityProvider, nil)
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
		out.Placed = append(out.Placed, Placement{TaskARN: arn, CapacityProvider: providers[k]})
	}
	return out, nil
}

// providerCounts returns the service's live tasks on each provider of
// its strategy, in strategy order.
func (p *enginePlacer) providerCounts(r PlaceRequest) []int {
	counts := make([]int, len(r.CapacityProviderStrategy))
	for i := range p.obs.Tasks {
		t := &p.obs.Tasks[i]
		if t.Group != "service:"+r.Service || !phaseOf(t).live() {
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

// Eligible returns the ACTIVE instances whose agent is connected.
//
// The placement package does not yet answer "may this instance run the
// task, whatever room it has" (attributes and constraints only), so the
// DAEMON scheduler's placement constraints are not applied here: an
// instance that fails them is reported by Place, with its reason, when
// the daemon task does not fit it.
func (p *enginePlacer) Eligible(PlaceRequest) ([]string, error) {
	var out []string
	for i := range p.obs.Instances {
		if ci := &p.obs.Instances[i]; ci.Status == "ACTIVE" && ci.AgentConnected {
			out = append(out, ci.ContainerInstanceARN)
		}
	}
	return out, nil
}

// SelectStop chooses tasks to stop by the scale-in rule of the first
// step of the strategy (rules 90 and 92): see selectStop. It reads the
// observation, not the engine.
func (p *enginePlacer) SelectStop(r StopRequest) ([]string, error) {
	group := "service:" + r.Service
	binpack := len(r.Strategy) > 0 && r.Strategy[0].Type == ecs.PlacementStrategyTypeBinpack
	insts := make([]stopInstance, len(p.obs.Instances))
	for i := range p.obs.Instances {
		ci := &p.obs.Instances[i]
		insts[i] = stopInstance{arn: ci.ContainerInstanceARN, az: attribute(ci.Attributes, ecs.AttrAvailabilityZone)}
		if binpack {
			rem, err := ecs.ParseResources(ci.RemainingResources)
			if err != nil {
				return nil, fmt.Errorf("deploy: container instance %s: %w", ci.ContainerInstanceARN, err)
			}
			insts[i].cpu, insts[i].mem = rem.CPU, rem.MemoryMiB
		}
	}
	want := make(map[string]bool, len(r.Candidates))
	for _, c := range r.Candidates {
		want[c] = true
	}
	cand := make([]stopCandidate, 0, len(r.Candidates))
	for i := range p.obs.Tasks {
		t := &p.obs.Tasks[i]
		k, ok := p.index[t.ContainerInstanceARN]
		if !ok {
			continue
		}
		if t.Group == group && phaseOf(t).live() {
			insts[k].tasks++
		}
		if want[t.TaskARN] {
			cand = append(cand, stopCandidate{arn: t.TaskARN, inst: k})
			delete(want, t.TaskARN)
		}
	}
	for c := range want {
		return nil, fmt.Errorf("deploy: task %s is on no observed container instance", c)
	}
	return selectStop(r.Strategy, cand, r.Count, insts, func(i int, name string) string {
		return attribute(p.obs.Instances[i].Attributes, name)
	}), nil
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
	if r.LaunchType == ecs.LaunchTypeFargate {
		return true
	}
	for _, it := range r.CapacityProviderStrategy {
		if it.CapacityProvider != "FARGATE" && it.CapacityProvider != "FARGATE_SPOT" {
			return false
		}
	}
	return len(r.CapacityProviderStrategy) > 0
}
