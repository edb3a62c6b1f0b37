package placement

import (
	"fmt"
	"slices"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

// Reason is why an instance turned a task away. Reasons are ordered as
// ECS reports them: an instance that fails several filters is reported
// under the first (rule 99).
type Reason uint8

// The reasons, in ECS's order. A task's constraints follow, each in its
// list order, as ReasonConstraint with the constraint's index.
const (
	ReasonAgent      Reason = iota + 1 // AGENT: the agent is disconnected
	ReasonCPU                          // RESOURCE:CPU
	ReasonMemory                       // RESOURCE:MEMORY
	ReasonGPU                          // RESOURCE:GPU
	ReasonPorts                        // RESOURCE:PORTS (TCP host ports)
	ReasonPortsUDP                     // RESOURCE:PORTS_UDP
	ReasonENI                          // RESOURCE:ENI
	ReasonAttribute                    // ATTRIBUTE: a required attribute is missing
	ReasonConstraint                   // a placement constraint is unsatisfied
)

var reasonNames = [...]string{
	ReasonAgent:      "AGENT",
	ReasonCPU:        "RESOURCE:CPU",
	ReasonMemory:     "RESOURCE:MEMORY",
	ReasonGPU:        "RESOURCE:GPU",
	ReasonPorts:      netmode.ReasonPorts,
	ReasonPortsUDP:   netmode.ReasonPortsUDP,
	ReasonENI:        netmode.ReasonENI,
	ReasonAttribute:  "ATTRIBUTE",
	ReasonConstraint: "CONSTRAINT",
}

// String returns the reason as the API's Failure.reason spells it; for
// ReasonConstraint, which ECS reports by the constraint's own message,
// it returns CONSTRAINT.
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// MarshalText returns the reason as String spells it, so that JSON shows
// the API's spelling.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// netReason maps a netmode failure to its Reason.
func netReason(fe netmode.FitError) Reason {
	switch fe.Reason {
	case netmode.ReasonPortsUDP:
		return ReasonPortsUDP
	case netmode.ReasonENI:
		return ReasonENI
	}
	return ReasonPorts
}

// demand is a compiled request: what one task takes and what it needs of
// an instance.
type demand struct {
	cpu, mem, gpu int32
	net           *netmode.Request
	maps          int        // net.Mappings(): the host ports one task holds
	shape         *taskShape // shared by the tasks placed
	required      []ecs.Attribute
	reqOK         []int8 // per attribute set: 0 unknown, 1 has all, 2 lacks one
	cons          []constraint
	group         int32
	groupName     string
	external      bool
	provider      string
	only          bool // the request names instances: state.onlyMark
	chain         []step
	// eager lets a walk that takes the first instance that fits allocate
	// its ports as the check, instead of checking and then allocating:
	// only when nothing needs the instance's state from before.
	eager bool
	// The indexes the chain walks, found on first use.
	key *keyIndex
	cnt *countIndex
	vc  *valueCounts
}

// candidate reports whether instance i may take the task at all: it is
// ACTIVE, matches the task's launch type and capacity provider, and is
// one of the request's instances when it names some. Other instances are
// not considered and not reported (rules 85 and 106).
func (s *state) candidate(i int32, d *demand) bool {
	in := &s.inst[i]
	return in.active && in.external == d.external &&
		(d.provider == "" || in.provider == d.provider) &&
		(!d.only || s.onlyMark[i] == s.onlyEpoch)
}

// fits reports whether the task fits instance i.
func (s *state) fits(i int32, d *demand) bool {
	ok, _ := s.check(i, d)
	return ok
}

// check reports whether the task fits instance i, checking the cheapest
// filters first, and whether a failure is permanent for the request: one
// that the request's own placements cannot undo (every filter but a
// memberOf expression over task groups or running task counts). It
// allocates nothing.
func (s *state) check(i int32, d *demand) (ok, permanent bool) {
	if ok, permanent = s.checkBase(i, d); !ok {
		return false, permanent
	}
	_, ok = s.inst[i].net.Fits(d.net)
	return ok, true
}

// checkBase is check without the ports and ENI, which are checked last.
func (s *state) checkBase(i int32, d *demand) (ok, permanent bool) {
	s.examined++
	in := &s.inst[i]
	if !in.connected || !s.candidate(i, d) ||
		in.cpu < d.cpu || in.mem < d.mem || in.gpu < d.gpu ||
		!s.hasRequired(in.attrs, d) {
		return false, true
	}
	for k := range d.cons {
		if c := &d.cons[k]; !s.satisfies(c, i, d) {
			return false, c.distinct || c.expr.deps != onTasks
		}
	}
	return true, true
}

// hasRequired reports whether attribute set id has every required
// attribute, caching the answer.
func (s *state) hasRequired(id int32, d *demand) bool {
	if len(d.required) == 0 {
		return true
	}
	if d.reqOK == nil {
		s.reqOKBuf = slices.Grow(s.reqOKBuf[:0], len(s.attrs.sets))[:len(s.attrs.sets)]
		clear(s.reqOKBuf)
		d.reqOK = s.reqOKBuf
	}
	if v := d.reqOK[id]; v != 0 {
		return v == 1
	}
	_, ok := missingAttribute(&s.attrs.sets[id], d.required)
	d.reqOK[id] = 2
	if ok {
		d.reqOK[id] = 1
	}
	return ok
}

// missingAttribute returns the first required attribute the set lacks (a
// required value must match exactly), and true when it lacks none.
func missingAttribute(set *attrSet, required []ecs.Attribute) (ecs.Attribute, bool) {
	for _, r := range required {
		v, ok := set.lookup(r.Name)
		if !ok || r.Value != "" && v != r.Value {
			return r, false
		}
	}
	return ecs.Attribute{}, true
}

// satisfies reports whether instance i meets constraint c.
func (s *state) satisfies(c *constraint, i int32, d *demand) bool {
	if c.distinct {
		return s.inst[i].count(d.group) == 0
	}
	return c.expr.test(s.Snapshot, i)
}

// rejection is one filter an instance fails, with what it lacked.
type rejection struct {
	reason     Reason
	constraint int     // index in the task's constraints, for ReasonConstraint
	shortfall  float64 // for resources: the missing fraction of the need
	detail     string
}

// diagnose evaluates every filter on instance i and returns the failures
// in ECS's order. It is the slow path, run only to explain a task that did
// not fit.
func (s *state) diagnose(i int32, d *demand) []rejection {
	in := &s.inst[i]
	var out []rejection
	if !in.connected {
		out = append(out, rejection{reason: ReasonAgent, shortfall: 1, detail: "the container agent is not connected"})
	}
	out = appendShort(out, ReasonCPU, in.cpu, d.cpu, "CPU units")
	out = appendShort(out, ReasonMemory, in.mem, d.mem, "MiB of memory")
	out = appendShort(out, ReasonGPU, in.gpu, d.gpu, "GPUs")
	if fe, ok := in.net.Fits(d.net); !ok {
		out = append(out, rejection{reason: netReason(fe), shortfall: 1, detail: fe.Error()})
	}
	if a, ok := missingAttribute(&s.attrs.sets[in.attrs], d.required); !ok {
		name := a.Name
		if a.Value != "" {
			name += "=" + a.Value
		}
		out = append(out, rejection{reason: ReasonAttribute, shortfall: 1, detail: "missing required attribute " + name})
	}
	for k := range d.cons {
		c := &d.cons[k]
		if s.satisfies(c, i, d) {
			continue
		}
		detail := fmt.Sprintf("already runs a task of group %s", d.groupName)
		if !c.distinct {
			detail = fmt.Sprintf("does not satisfy %q", c.expr.text)
		}
		out = append(out, rejection{reason: ReasonConstraint, constraint: k, shortfall: 1, detail: detail})
	}
	return out
}

// appendShort adds a resource rejection when have < need.
func appendShort(out []rejection, r Reason, have, need int32, unit string) []rejection {
	if have >= need {
		return out
	}
	return append(out, rejection{
		reason:    r,
		shortfall: float64(need-have) / float64(need),
		detail:    fmt.Sprintf("needs %d %s, %d available", need, unit, have),
	})
}
