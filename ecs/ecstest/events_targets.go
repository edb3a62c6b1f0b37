package ecstest

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// PutTargetsRequest is the request of PutTargets.
type PutTargetsRequest struct {
	Rule         string         `json:"Rule"`
	EventBusName string         `json:"EventBusName,omitempty"`
	Targets      []EventsTarget `json:"Targets"`
}

// PutTargetsResponse is the response of PutTargets and RemoveTargets:
// the entries that failed, each with its error.
type PutTargetsResponse struct {
	FailedEntryCount int                 `json:"FailedEntryCount"`
	FailedEntries    []EventsFailedEntry `json:"FailedEntries"`
}

// EventsFailedEntry is a target PutTargets or RemoveTargets did not
// change, and why.
type EventsFailedEntry struct {
	TargetID     string `json:"TargetId"`
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

// maxTargetsPerPut is the most targets one PutTargets request may put,
// though the API model lets the list hold 100 ("The maximum number of
// entries per request is 10",
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html).
const maxTargetsPerPut = 10

// PutTargets adds targets to a rule, or replaces those of the same Id.
// A target ecstest cannot run (an ARN other than an ECS cluster's, no
// EcsParameters, no RoleArn, an Input that is not a JSON object of task
// overrides) is a failed entry, and the others are put, as EventBridge
// reports failures per entry. More than 5 targets on the rule is a
// LimitExceededException
// (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html).
func (e *ECS) PutTargets(ctx context.Context, req *PutTargetsRequest) (*PutTargetsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if err := checkName("rule", req.Rule); err != nil {
		return nil, err
	}
	if err := e.checkBus(req.EventBusName); err != nil {
		return nil, err
	}
	if len(req.Targets) < 1 || len(req.Targets) > 100 {
		return nil, validationf("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 100")
	}
	if len(req.Targets) > maxTargetsPerPut {
		return nil, validationf("The maximum number of entries per request is %d, got %d.", maxTargetsPerPut, len(req.Targets))
	}
	for i, t := range req.Targets {
		if err := checkName("targets."+strconv.Itoa(i+1)+".member.id", t.ID); err != nil {
			return nil, err
		}
		if t.Arn == "" {
			return nil, validationf("1 validation error detected: Value null at 'targets.%d.member.arn' failed to satisfy constraint: Member must not be null", i+1)
		}
		if slices.IndexFunc(req.Targets[:i], func(o EventsTarget) bool { return o.ID == t.ID }) >= 0 {
			return nil, validationf("The request contains duplicate target ID %s.", t.ID)
		}
	}
	resp := &PutTargetsResponse{FailedEntries: []EventsFailedEntry{}}
	var good []EventsTarget
	for _, t := range req.Targets {
		if code, msg := e.checkTarget(t); code != "" {
			resp.FailedEntries = append(resp.FailedEntries, EventsFailedEntry{TargetID: t.ID, ErrorCode: code, ErrorMessage: msg})
			continue
		}
		good = append(good, deepCopyTarget(t))
	}
	resp.FailedEntryCount = len(resp.FailedEntries)
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.rule(req.Rule)
	if err != nil {
		return nil, err
	}
	targets := slices.Clone(r.targets)
	for _, t := range good {
		if i := slices.IndexFunc(targets, func(o EventsTarget) bool { return o.ID == t.ID }); i >= 0 {
			targets[i] = t
		} else {
			targets = append(targets, t)
		}
	}
	if len(targets) > maxTargetsPerRule {
		return nil, apiErrorf(eventsLimit, nil, "The requested resource exceeds the maximum number allowed: a rule has at most %d targets.", maxTargetsPerRule)
	}
	r.targets = targets
	return resp, nil
}

// checkTarget says why t is not a target ecstest runs: the error code and
// message of its failed entry, or "".
func (e *ECS) checkTarget(t EventsTarget) (code, msg string) {
	p, err := ecs.ParseARN(t.Arn)
	if err != nil || p.Service != "ecs" || p.ResourceType != ecs.ARNTypeCluster {
		return validationException, "ecstest runs ECS targets only: Arn " + t.Arn + " is not the ARN of an ECS cluster."
	}
	if t.EcsParameters == nil {
		return validationException, "Parameter(s) EcsParameters must be specified for target " + t.ID + ": an ECS target needs them."
	}
	if t.EcsParameters.TaskDefinitionArn == "" {
		return validationException, "Parameter(s) EcsParameters.TaskDefinitionArn must be specified for target " + t.ID + "."
	}
	if n := t.EcsParameters.TaskCount; n != nil && (*n < 1 || *n > 10) {
		// RunTask starts 1 to 10 tasks (API_RunTask.html, count).
		return validationException, "Parameter(s) EcsParameters.TaskCount of target " + t.ID + " must be from 1 to 10."
	}
	if t.RoleArn == "" {
		return validationException, "RoleArn is required for target " + t.ID + ": EventBridge runs an ECS task as that role."
	}
	if t.Input != "" {
		var o ecs.TaskOverride
		if err := ecs.Unmarshal([]byte(t.Input), &o); err != nil {
			return validationException, "Input of target " + t.ID + " is not a JSON object of task overrides: " + err.Error()
		}
	}
	return "", ""
}

// deepCopyTarget copies t through its JSON, so that the caller's slices
// are not the rule's.
func deepCopyTarget(t EventsTarget) EventsTarget {
	var out EventsTarget
	data, err := ecs.Marshal(t)
	if err == nil && ecs.Unmarshal(data, &out) == nil {
		return out
	}
	return t
}

// RemoveTargetsRequest is the request of RemoveTargets.
type RemoveTargetsRequest struct {
	Rule         string   `json:"Rule"`
	EventBusName string   `json:"EventBusName,omitempty"`
	Ids          []string `json:"Ids"`
	Force        bool     `json:"Force"`
}

// RemoveTargets removes targets from a rule by Id; an Id the rule does
// not have is removed already.
func (e *ECS) RemoveTargets(ctx context.Context, req *RemoveTargetsRequest) (*PutTargetsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if err := checkName("rule", req.Rule); err != nil {
		return nil, err
	}
	if err := e.checkBus(req.EventBusName); err != nil {
		return nil, err
	}
	if len(req.Ids) < 1 || len(req.Ids) > 100 {
		return nil, validationf("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 100")
	}
	for i, id := range req.Ids {
		if err := checkName("ids."+strconv.Itoa(i+1)+".member", id); err != nil {
			return nil, err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.rule(req.Rule)
	if err != nil {
		return nil, err
	}
	r.targets = slices.DeleteFunc(slices.Clone(r.targets), func(t EventsTarget) bool { return slices.Contains(req.Ids, t.ID) })
	return &PutTargetsResponse{FailedEntries: []EventsFailedEntry{}}, nil
}

// ListTargetsByRuleRequest is the request of ListTargetsByRule.
type ListTargetsByRuleRequest struct {
	Rule         string `json:"Rule"`
	EventBusName string `json:"EventBusName,omitempty"`
	NextToken    string `json:"NextToken,omitempty"`
	Limit        *int   `json:"Limit,omitempty"`
}

// ListTargetsByRuleResponse is the response of ListTargetsByRule.
type ListTargetsByRuleResponse struct {
	Targets   []EventsTarget `json:"Targets"`
	NextToken string         `json:"NextToken,omitempty"`
}

// ListTargetsByRule lists a rule's targets, in order of Id.
func (e *ECS) ListTargetsByRule(ctx context.Context, req *ListTargetsByRuleRequest) (*ListTargetsByRuleResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if err := checkName("rule", req.Rule); err != nil {
		return nil, err
	}
	if err := e.checkBus(req.EventBusName); err != nil {
		return nil, err
	}
	p, err := readEventsPage("ListTargetsByRule", req.Limit, req.NextToken)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.rule(req.Rule)
	if err != nil {
		return nil, err
	}
	targets := slices.Clone(r.targets)
	slices.SortFunc(targets, func(a, b EventsTarget) int { return strings.Compare(a.ID, b.ID) })
	out, next := page(p, targets, func(t EventsTarget) string { return t.ID }, false)
	list := make([]EventsTarget, 0, len(out))
	for _, t := range out {
		list = append(list, deepCopyTarget(t))
	}
	return &ListTargetsByRuleResponse{Targets: list, NextToken: next}, nil
}
