package placement

import (
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// PlaceDaemon places one task of the request on each candidate instance
// that does not already run a task of its group (rule 103): with no
// strategy, each instance held to the same filters and constraints as
// any placement. Count, Strategy and AllOrNothing are ignored. When some
// instances cannot take the task, the explanation lists them; they are
// the daemon's pending tasks.
//
// Without Request.Instances the instances are taken in ARN order and the
// tasks placed take Request.TaskARNs in turn. With it, they are taken in
// its order, and task k (TaskARNs[k]) goes to Instances[k] or nowhere: a
// scheduler's way to place a daemon's task on a named instance.
func (e *Engine) PlaceDaemon(req *Request) (*Result, error) {
	if e == nil {
		return nil, errNilEngine
	}
	var b Batch
	if err := e.PlaceDaemonInto(&b, req); err != nil {
		return nil, err
	}
	return b.Result(), nil
}

// PlaceDaemonInto places a daemon's tasks as PlaceDaemon does, writing
// them into b in compact form, as PlaceInto does.
func (e *Engine) PlaceDaemonInto(b *Batch, req *Request) error {
	if e == nil {
		return errNilEngine
	}
	if b == nil {
		return errNilBatch
	}
	e.lock()
	defer e.mu.Unlock()
	s := e.s
	b.reset()
	if req == nil {
		return ErrNoTaskDefinition
	}
	r := *req
	r.Strategy, r.AllOrNothing = RunTaskDefaultStrategy(), false
	d, err := s.compile(&r)
	if err != nil {
		return err
	}
	start := s.examined
	var failed []int32
	seen := make(map[int32]bool, len(req.Instances))
	n := len(s.inst)
	if len(req.Instances) > 0 {
		n = len(req.Instances)
	}
	b.start(s, d, req, 0)
	for k := range n {
		i, arn := int32(k), int32(b.Len())
		if len(req.Instances) > 0 {
			var ok bool
			if i, ok = s.byARN[req.Instances[k]]; !ok || seen[i] {
				continue
			}
			seen[i], arn = true, int32(k)
		}
		if !s.candidate(i, d) || s.inst[i].count(d.group) > 0 {
			continue
		}
		if !s.fits(i, d) {
			failed = append(failed, i)
			continue
		}
		if err := s.place(b, i, d, arn, nil); err != nil {
			b.reset()
			return err
		}
	}
	if len(failed) > 0 {
		b.Unplaced = len(failed)
		b.Explanation = s.explain(d, req, b.Len(), failed)
	}
	b.Examined = int(s.examined - start)
	return nil
}

// Eligible returns the container instances that may run a task of the
// request at all, whatever room they have left, by ARN in ARN order:
// those that are ACTIVE with their agent connected, of the task's launch
// type and capacity provider (and among Request.Instances when it names
// some), with every attribute the task requires, and meeting every
// memberOf constraint of the task definition and the request, evaluated
// as the engine's tasks stand now. Free CPU, memory, GPUs, ports and
// ENIs are not looked at, nor is distinctInstance, which concerns the
// tasks an instance runs rather than the instance. These are the
// instances on which a daemon runs one task each (rule 103): a daemon's
// task on an instance that is no longer eligible is to stop.
//
// An invalid request returns an *ecs.APIError, as Place does.
func (e *Engine) Eligible(req *Request) ([]string, error) {
	if e == nil {
		return nil, errNilEngine
	}
	e.lock()
	defer e.mu.Unlock()
	s := e.s
	d, err := s.compile(req)
	if err != nil {
		return nil, err
	}
	var out []string
	for i := range s.inst {
		if s.eligible(int32(i), d) {
			out = append(out, s.names[i].arn)
		}
	}
	return out, nil
}

// eligible reports whether instance i may run the task of d, whatever
// room it has: every filter but the resources and distinctInstance.
// MemberOf expressions are answered from their caches where they can be.
func (s *state) eligible(i int32, d *demand) bool {
	in := &s.inst[i]
	if !in.connected || !s.candidate(i, d) || !s.hasRequired(in.attrs, d) {
		return false
	}
	for k := range d.cons {
		if c := &d.cons[k]; !c.distinct && !c.expr.test(s.Snapshot, i) {
			return false
		}
	}
	return true
}

// EligibleZones returns the values of ecs.availability-zone among the
// instances Eligible returns, each once, sorted. It looks in each zone
// only until it finds one eligible instance, so it costs about as much
// as the zones, not the instances, when most instances are eligible.
//
// An invalid request returns an *ecs.APIError, as Place does.
func (e *Engine) EligibleZones(req *Request) ([]string, error) {
	if e == nil {
		return nil, errNilEngine
	}
	e.lock()
	defer e.mu.Unlock()
	s := e.s
	d, err := s.compile(req)
	if err != nil {
		return nil, err
	}
	part := s.partition(ecs.AttrAvailabilityZone)
	var out []string
	for v := 1; v < len(part.values); v++ { // values[0] stands for no zone
		for _, i := range part.members[v] {
			if s.eligible(i, d) {
				out = append(out, part.values[v])
				break
			}
		}
	}
	slices.Sort(out)
	return out, nil
}
