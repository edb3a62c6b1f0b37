package deploy

import (
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// plan collects one step's decisions.
type plan struct {
	v       *view
	stops   []Stop
	starts  []Start
	events  []event         // in order
	repeat  []event         // repeating events, written unless written lately
	after   []event         // events after the steady state's (zone rebalancing)
	own     map[string]bool // tasks whose start or stop has an event of its own
	blocked bool
	desired int // the service's desired count (DAEMON: eligible instances)
	// reason is scaling's answer for the deployment reasonOf, built once:
	// every task it stops keeps it as its stoppedReason.
	reason, reasonOf string
}

// stop stops task i with the stop code ServiceSchedulerInitiated.
func (p *plan) stop(i int, reason string) {
	tv := &p.v.tasks[i]
	tv.phase = phaseStopping
	tv.healthy = false
	p.stops = append(p.stops, Stop{TaskARN: tv.t.TaskARN, StopCode: ecs.TaskStopCodeServiceSchedulerInitiated, Reason: reason})
}

// scaling returns the reason of a stop the primary deployment decides.
func (p *plan) scaling() string {
	if id := p.v.deps[p.v.primary].ID; p.reason == "" || p.reasonOf != id {
		p.reason, p.reasonOf = scalingReason(id), id
	}
	return p.reason
}

// count returns how many tasks are live and how many of those healthy.
func (p *plan) count() (live, healthy int) {
	for i := range p.v.tasks {
		tv := &p.v.tasks[i]
		if tv.phase.live() {
			live++
			if tv.healthy {
				healthy++
			}
		}
	}
	return live + len(p.starts), healthy
}

// inFlight reports whether a live task may still become healthy.
func (p *plan) inFlight() bool {
	if len(p.starts) > 0 {
		return true
	}
	for i := range p.v.tasks {
		tv := &p.v.tasks[i]
		if tv.phase == phasePending || (tv.phase == phaseRunning && !tv.healthy && (!tv.unhealthy || tv.inGrace)) {
			return true
		}
	}
	return false
}

// stopFirst orders task indexes by how cheaply they go: pending tasks,
// then unhealthy ones in their grace period (rule 111), then running ones
// not yet healthy, then healthy ones; ties by ARN.
func (p *plan) stopFirst(idx []int) {
	rank := func(i int) int {
		tv := &p.v.tasks[i]
		switch {
		case tv.phase == phasePending:
			return 0
		case tv.unhealthy:
			return 1
		case !tv.healthy:
			return 2
		}
		return 3
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(p.v.tasks[a].t.TaskARN, p.v.tasks[b].t.TaskARN)
	})
}

// stopSurplus stops surplus tasks (indexes into the view): those that are
// not healthy at once, healthy ones while more than minimum healthy tasks
// remain, those on draining instances first, the rest as the placer's
// scale-in rule chooses. It reports how many healthy tasks it may still
// stop after that, or a negative number when healthy tasks are at or below
// the minimum.
func (p *plan) stopSurplus(surplus []int, minimum int) (int, error) {
	p.stopFirst(surplus)
	var healthy []int
	for _, i := range surplus {
		if p.v.tasks[i].healthy {
			healthy = append(healthy, i)
			continue
		}
		p.stop(i, p.scaling())
	}
	_, h := p.count()
	allowed := h - minimum
	if allowed <= 0 || len(healthy) == 0 {
		return allowed, nil
	}
	var draining, rest []int
	for _, i := range healthy {
		if p.v.tasks[i].draining {
			draining = append(draining, i)
		} else {
			rest = append(rest, i)
		}
	}
	for _, i := range draining {
		if allowed == 0 {
			return 0, nil
		}
		p.stop(i, p.scaling())
		allowed--
	}
	if allowed == 0 || len(rest) == 0 {
		return allowed, nil
	}
	chosen, err := p.selectStop(rest, allowed)
	if err != nil {
		return 0, err
	}
	for _, i := range chosen {
		p.stop(i, p.scaling())
	}
	return allowed - len(chosen), nil
}

// selectStop asks the placer to choose n of the tasks idx, leaving out
// those a StopFilter placer keeps.
func (p *plan) selectStop(idx []int, n int) ([]int, error) {
	if f, ok := p.v.s.Placer.(StopFilter); ok {
		idx = slices.DeleteFunc(slices.Clone(idx), func(i int) bool { return f.Keep(p.v.tasks[i].t.TaskARN) })
	}
	if n >= len(idx) {
		return idx, nil
	}
	byARN := make(map[string]int, len(idx))
	cand := make([]string, len(idx))
	for k, i := range idx {
		cand[k] = p.v.tasks[i].t.TaskARN
		byARN[cand[k]] = i
	}
	arns, err := p.v.s.Placer.SelectStop(StopRequest{
		Service: p.v.svc.ServiceName, Strategy: p.v.svc.PlacementStrategy, Candidates: cand, Count: n,
		Seed: p.v.mem.seed ^ p.v.mem.seq,
	})
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, n)
	for _, a := range arns {
		if i, ok := byARN[a]; ok && len(out) < n {
			out = append(out, i)
			delete(byARN, a)
		}
	}
	return out, nil
}

// gate returns how many of n launches may happen now under the launch
// back-off (rule 113) and the launch rate (rule 153), asking for a wake-up
// when the rest may go.
func (p *plan) gate(n int) int {
	v, now := p.v, p.v.s.Now
	if n <= 0 {
		return 0
	}
	if now.Before(v.mem.nextLaunch) {
		v.wakeAt(v.mem.nextLaunch)
		return 0
	}
	rate := launchRate(v.s.Options, v.svc)
	if rate < 0 {
		return n
	}
	if v.mem.window.IsZero() || !now.Before(v.mem.window.Add(time.Minute)) {
		v.mem.window, v.mem.launched = now, 0
	}
	left := rate - v.mem.launched
	if n > left {
		n = max(left, 0)
		v.wakeAt(v.mem.window.Add(time.Minute))
	}
	return n
}

// launch places and starts n tasks of the primary deployment, on the
// given instances when they are set (one task each).
func (p *plan) launch(n int, instances []string) error {
	_, err := p.launchIn(n, instances, "")
	return err
}

// launchIn is launch, in the Availability Zone az when it is set. It
// returns the tasks started.
func (p *plan) launchIn(n int, instances []string, az string) ([]Start, error) {
	v := p.v
	if instances != nil {
		instances = instances[:min(n, len(instances))]
		n = len(instances)
	}
	n = p.gate(n)
	if n == 0 {
		return nil, nil
	}
	dep := &v.deps[v.primary]
	td := v.taskDefinition(dep.TaskDefinition)
	if td == nil {
		return nil, &missingTaskDefinitionError{dep.TaskDefinition}
	}
	req := p.placeRequest(td)
	req.AvailabilityZone = az
	req.TaskARNs = make([]string, n)
	for k := range req.TaskARNs {
		req.TaskARNs[k] = taskARN(v.svc.ServiceARN, v.svc.ClusterARN, v.mem.taskID())
	}
	if instances != nil {
		req.Instances = instances[:n]
	}
	res, err := v.s.Placer.Place(req)
	if err != nil {
		return nil, err
	}
	first := len(p.starts)
	for _, pl := range res.Placed {
		p.starts = append(p.starts, Start{
			PlacedTask: pl, TaskDefinitionARN: dep.TaskDefinition, StartedBy: dep.ID,
			Group: ecs.ServiceGroup(v.svc.ServiceName), LaunchType: v.svc.LaunchType,
		})
	}
	v.mem.launched += len(res.Placed)
	if len(res.Placed) < n {
		ev := placerEvent(res.Event)
		switch {
		case az != "":
			ev = unplacedInZoneEvent(v.svc.ServiceName, az)
		case res.Event == "":
			ev = unplacedEvent(v.svc.ServiceName)
		}
		p.repeat = append(p.repeat, ev)
	}
	return p.starts[first:], nil
}

// placeRequest returns the request for tasks of td.
func (p *plan) placeRequest(td *ecs.TaskDefinition) PlaceRequest {
	svc, dep := p.v.svc, &p.v.deps[p.v.primary]
	cps := dep.CapacityProviderStrategy
	if len(cps) == 0 {
		cps = svc.CapacityProviderStrategy
	}
	lt := dep.LaunchType
	if lt == "" {
		lt = svc.LaunchType
	}
	return PlaceRequest{
		Service: svc.ServiceName, TaskDefinition: td,
		Strategy: svc.PlacementStrategy, Constraints: svc.PlacementConstraints,
		LaunchType: lt, CapacityProviderStrategy: cps, Seed: p.v.mem.seed ^ p.v.mem.seq,
	}
}

// missingTaskDefinitionError reports a deployment whose task definition
// is not in State.TaskDefinitions.
type missingTaskDefinitionError struct{ arn string }

func (e *missingTaskDefinitionError) Error() string {
	return "deploy: task definition " + e.arn + " is not in State.TaskDefinitions"
}
