package placement

import (
	"fmt"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// Explanation says why a task did not fit: how many instances turned it
// away for each reason, one failure per instance in the API's Failure
// form, and the instance that came closest.
type Explanation struct {
	// Task is the index, within the request, of the task that did not
	// fit.
	Task int
	// Service is the request's service, or empty for standalone tasks.
	Service string
	// Group is the task's group.
	Group string
	// Candidates is the number of instances considered: those ACTIVE and
	// of the task's launch type and capacity provider.
	Candidates int
	// Reasons counts the instances turned away under each reason, each
	// instance once, under its first failure in ECS's order. Reasons with
	// no instance are left out.
	Reasons []ReasonCount
	// Failures has one entry per instance turned away, sorted by ARN:
	// reason as ECS writes it, detail saying what the instance lacked.
	Failures []ecs.Failure
	// Closest is the instance that came closest, or nil when there was no
	// candidate.
	Closest *Closest
}

// ReasonCount is the number of instances turned away for one reason.
type ReasonCount struct {
	Reason Reason
	// Constraint is, for ReasonConstraint, the reason ECS gives for the
	// constraint ("MemberOf placement constraint unsatisfied."); empty
	// otherwise.
	Constraint string `json:",omitempty"`
	Count      int
}

// String returns the reason as the API's Failure.reason spells it: the
// constraint's own for ReasonConstraint.
func (rc ReasonCount) String() string {
	if rc.Reason == ReasonConstraint && rc.Constraint != "" {
		return rc.Constraint
	}
	return rc.Reason.String()
}

// Closest is the instance that failed the fewest filters (every filter
// evaluated); ties go to the smallest fractional shortfall on its first
// failing filter (1 for a filter that is not a resource), then to the
// lowest ARN.
type Closest struct {
	ContainerInstanceARN string
	InstanceID           string
	// Reason is its first failure, as the API spells it.
	Reason string
	// Lacked says, for every filter it failed, in ECS's order, what it
	// lacked.
	Lacked []string
}

// explain evaluates every filter on every candidate for the task k of
// the request that did not fit. With only set, it looks at those
// instances alone.
func (s *state) explain(d *demand, req *Request, k int, only []int32) *Explanation {
	ex := &Explanation{Task: k, Service: req.Service, Group: d.groupName}
	counts := make(map[string]int)
	var order []string
	bestN, bestShort := 0, 0.0
	for j := range len(s.inst) {
		i := int32(j)
		if only != nil {
			if j >= len(only) {
				break
			}
			i = only[j]
		}
		if !s.candidate(i, d) {
			continue
		}
		name := &s.names[i]
		ex.Candidates++
		rej := s.diagnose(i, d)
		if len(rej) == 0 {
			continue // passes every filter: not turned away
		}
		reason := s.reasonText(d, rej[0])
		if counts[reason] == 0 {
			order = append(order, reason)
		}
		counts[reason]++
		ex.Failures = append(ex.Failures, ecs.Failure{ARN: name.arn, Reason: reason, Detail: rej[0].detail})
		if ex.Closest == nil || len(rej) < bestN || len(rej) == bestN && rej[0].shortfall < bestShort {
			bestN, bestShort = len(rej), rej[0].shortfall
			ex.Closest = &Closest{ContainerInstanceARN: name.arn, InstanceID: name.id, Reason: reason}
			ex.Closest.Lacked = make([]string, len(rej))
			for j, r := range rej {
				ex.Closest.Lacked[j] = s.reasonText(d, r) + ": " + r.detail
			}
		}
	}
	ex.Reasons = sortedCounts(counts, order)
	return ex
}

// reasonText returns the reason ECS gives for a rejection.
func (s *state) reasonText(d *demand, r rejection) string {
	if r.reason == ReasonConstraint {
		return d.cons[r.constraint].reason()
	}
	return r.reason.String()
}

// sortedCounts lists the counts in ECS's order of reasons, constraints
// last in the order they were first seen.
func sortedCounts(counts map[string]int, seen []string) []ReasonCount {
	var out []ReasonCount
	for r := ReasonAgent; r < ReasonConstraint; r++ {
		if n := counts[r.String()]; n > 0 {
			out = append(out, ReasonCount{Reason: r, Count: n})
		}
	}
	for _, name := range seen {
		if strings.HasSuffix(name, "placement constraint unsatisfied.") {
			out = append(out, ReasonCount{Reason: ReasonConstraint, Constraint: name, Count: counts[name]})
		}
	}
	return out
}

// UnableToPlaceEvent returns the sentence that opens the service event of
// a task that fits nowhere: "(service NAME) was unable to place a task
// because no container instance met all of its requirements." Event adds
// the closest match to it; a caller without an Explanation writes it
// alone.
func UnableToPlaceEvent(service string) string {
	return "(service " + service + ") was unable to place a task because no container instance met all of its requirements."
}

// Event returns the service event ECS writes for the failure (rule 100),
// such as
//
//	(service web) was unable to place a task because no container instance
//	met all of its requirements. The closest matching (container-instance
//	5a3c…) has insufficient memory available. For more information, see
//	the Troubleshooting section of the Amazon ECS Developer Guide.
//
// on one line. ECS writes it for services, naming the service: the
// request's service, else the NAME of a group service:NAME; a standalone
// task of another group is named by its group, as in "(service
// family:web)". A nil Explanation has no event: it returns "".
func (e *Explanation) Event() string {
	if e == nil {
		return ""
	}
	name := e.Service
	if name == "" {
		name = e.Group
		if svc, ok := strings.CutPrefix(name, "service:"); ok && svc != "" {
			name = svc
		}
	}
	var b strings.Builder
	b.WriteString(UnableToPlaceEvent(name))
	if e.Closest == nil {
		b.WriteString(" Reason: No Container Instances were found in your cluster.")
		return b.String()
	}
	fmt.Fprintf(&b, " The closest matching (container-instance %s) ", e.Closest.InstanceID)
	switch e.Closest.Reason {
	case ReasonCPU.String():
		b.WriteString("has insufficient CPU units available.")
	case ReasonMemory.String():
		b.WriteString("has insufficient memory available.")
	case ReasonPorts.String(), ReasonPortsUDP.String():
		b.WriteString("is already using a port required by your task.")
	default:
		b.WriteString(`encountered error "` + e.Closest.Reason + `".`)
	}
	b.WriteString(" For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.")
	return b.String()
}
