package ecstest

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Scheduled tasks: the EventBridge rules of a Region's default event bus
// whose schedule expression runs ECS tasks, as
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/scheduled_tasks.html
// describes them. A rule is rate(...) or cron(...)
// (eventsschedule.go); each of its ECS targets names a cluster by ARN and
// the RunTask parameters in EcsParameters. On the virtual clock each run
// of an enabled rule calls RunTask once per target (events_run.go).

// Exceptions of the EventBridge API.
const (
	validationException = "ValidationException"
	eventsNotFound      = ecs.ResourceNotFoundException
	eventsLimit         = ecs.LimitExceededException
)

// EventBridge's quotas
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html):
// 300 rules per event bus, 5 targets per rule.
const (
	maxRules          = 300
	maxTargetsPerRule = 5
)

// Rule states.
const (
	ruleEnabled  = "ENABLED"
	ruleDisabled = "DISABLED"
)

// EventsRule is an EventBridge rule as DescribeRule answers it.
type EventsRule struct {
	Name               string `json:"Name"`
	Arn                string `json:"Arn"`
	EventPattern       string `json:"EventPattern,omitempty"`
	ScheduleExpression string `json:"ScheduleExpression,omitempty"`
	State              string `json:"State"`
	Description        string `json:"Description,omitempty"`
	RoleArn            string `json:"RoleArn,omitempty"`
	ManagedBy          string `json:"ManagedBy,omitempty"`
	EventBusName       string `json:"EventBusName"`
	CreatedBy          string `json:"CreatedBy,omitempty"`
}

// EventsTag is a tag of the EventBridge API (Key and Value, capitalised).
type EventsTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// EventsTarget is a target of a rule. ecstest runs ECS targets: Arn is a
// cluster ARN and EcsParameters says what RunTask runs; Input, when
// given, is a JSON object of the RunTask overrides
// ({"containerOverrides": [...], ...}), as EventBridge passes a
// constant input to an ECS target.
type EventsTarget struct {
	ID            string           `json:"Id"`
	Arn           string           `json:"Arn"`
	RoleArn       string           `json:"RoleArn,omitempty"`
	Input         string           `json:"Input,omitempty"`
	EcsParameters *EventsEcsParams `json:"EcsParameters,omitempty"`
}

// EventsEcsParams is a target's EcsParameters: the members of RunTask
// EventBridge sets.
type EventsEcsParams struct {
	TaskDefinitionArn        string                             `json:"TaskDefinitionArn"`
	TaskCount                *int                               `json:"TaskCount,omitempty"`
	LaunchType               ecs.LaunchType                     `json:"LaunchType,omitempty"`
	NetworkConfiguration     *EventsNetworkConfiguration        `json:"NetworkConfiguration,omitempty"`
	PlatformVersion          string                             `json:"PlatformVersion,omitempty"`
	Group                    string                             `json:"Group,omitempty"`
	CapacityProviderStrategy []ecs.CapacityProviderStrategyItem `json:"CapacityProviderStrategy,omitempty"`
	EnableECSManagedTags     bool                               `json:"EnableECSManagedTags"`
	EnableExecuteCommand     bool                               `json:"EnableExecuteCommand"`
	PlacementConstraints     []ecs.PlacementConstraint          `json:"PlacementConstraints,omitempty"`
	PlacementStrategy        []ecs.PlacementStrategy            `json:"PlacementStrategy,omitempty"`
	PropagateTags            ecs.PropagateTags                  `json:"PropagateTags,omitempty"`
	ReferenceID              string                             `json:"ReferenceId,omitempty"`
	Tags                     []EventsTag                        `json:"Tags,omitempty"`
}

// EventsNetworkConfiguration is EventBridge's NetworkConfiguration of an
// ECS target: ECS's, with the members of awsvpcConfiguration capitalised.
type EventsNetworkConfiguration struct {
	AwsvpcConfiguration *EventsAwsVpcConfiguration `json:"awsvpcConfiguration,omitempty"`
}

// EventsAwsVpcConfiguration is the awsvpcConfiguration of an
// EventsNetworkConfiguration.
type EventsAwsVpcConfiguration struct {
	Subnets        []string           `json:"Subnets"`
	SecurityGroups []string           `json:"SecurityGroups,omitempty"`
	AssignPublicIP ecs.AssignPublicIp `json:"AssignPublicIp,omitempty"`
}

// EventsInvocation is one run of a rule's target: when, the tasks RunTask
// started, and why it failed when it did (RunTask's error, or its
// failures).
type EventsInvocation struct {
	Time     time.Time
	TargetID string
	TaskArns []string
	Failures []ecs.Failure
	Err      error
}

// maxInvocations is how many of its latest invocations a rule keeps.
const maxInvocations = 100

// eventsState is a Region's rules, under e.mu.
type eventsState struct {
	rules map[string]*eventsRule // by name
}

// eventsRule is a rule with its targets and its pending run.
type eventsRule struct {
	info    EventsRule
	sched   eventSchedule
	anchor  time.Time      // when the schedule was set: a rate counts from it
	targets []EventsTarget // in the order put
	runs    []EventsInvocation
	wake    *Timer
	gen     uint64 // moves on with each schedule change, so a stale run does nothing
}

// ruleName is EventBridge's RuleName and TargetId: 1 to 64 of these.
var ruleName = regexp.MustCompile(`^[.\-_A-Za-z0-9]{1,64}$`)

// validationf is a ValidationException.
func validationf(format string, args ...any) error {
	return apiErrorf(validationException, ecs.ErrInvalid, format, args...)
}

// checkName refuses a RuleName or TargetId the model does not allow, in
// the words of the API's validation.
func checkName(member, v string) error {
	if !ruleName.MatchString(v) {
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length from 1 to 64", v, member)
	}
	return nil
}

// checkBus refuses an event bus other than the default one: a schedule
// expression runs only on it
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html).
func (e *ECS) checkBus(bus string) error {
	if bus == "" || bus == "default" || bus == e.eventBusArn() {
		return nil
	}
	return apiErrorf(eventsNotFound, ecs.ErrNotFound, "Event bus %s does not exist.", bus)
}

// eventBusArn is the ARN of the default event bus, the only one.
func (e *ECS) eventBusArn() string {
	return "arn:aws:events:" + e.arns.region + ":" + e.arns.account + ":event-bus/default"
}

// ruleArn is the ARN of the rule called name on the default bus.
func (e *ECS) ruleArn(name string) string {
	return "arn:aws:events:" + e.arns.region + ":" + e.arns.account + ":rule/" + name
}

// rule returns the rule called name, or a ResourceNotFoundException.
// e.mu must be held.
func (e *ECS) rule(name string) (*eventsRule, error) {
	if r := e.events.rules[name]; r != nil {
		return r, nil
	}
	return nil, apiErrorf(eventsNotFound, ecs.ErrNotFound, "Rule %s does not exist on EventBus default.", name)
}

// PutRuleRequest is the request of PutRule.
type PutRuleRequest struct {
	Name               string      `json:"Name"`
	ScheduleExpression string      `json:"ScheduleExpression,omitempty"`
	EventPattern       string      `json:"EventPattern,omitempty"`
	State              string      `json:"State,omitempty"`
	Description        string      `json:"Description,omitempty"`
	RoleArn            string      `json:"RoleArn,omitempty"`
	Tags               []EventsTag `json:"Tags,omitempty"`
	EventBusName       string      `json:"EventBusName,omitempty"`
}

// PutRuleResponse is the response of PutRule.
type PutRuleResponse struct {
	RuleArn string `json:"RuleArn"`
}

// PutRule creates a scheduled rule, or updates the rule of that name
// (its targets are kept). A rule is ENABLED unless State says DISABLED.
// A rule with an EventPattern is refused with an
// UnsupportedFeatureException: the simulated world publishes no events
// for a pattern to match.
func (e *ECS) PutRule(ctx context.Context, req *PutRuleRequest) (*PutRuleResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if err := checkName("name", req.Name); err != nil {
		return nil, err
	}
	if err := e.checkBus(req.EventBusName); err != nil {
		return nil, err
	}
	if req.EventPattern != "" {
		return nil, apiErrorf(ecs.UnsupportedFeatureException, nil,
			"ecstest serves scheduled rules only: it publishes no events for an EventPattern to match.")
	}
	if req.ScheduleExpression == "" {
		return nil, validationf("Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	state := req.State
	switch state {
	case "":
		state = ruleEnabled
	case ruleEnabled, ruleDisabled:
	default:
		return nil, validationf("1 validation error detected: Value '%s' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]", state)
	}
	if len(req.Description) > 512 {
		return nil, validationf("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 512")
	}
	sched, err := parseEventSchedule(req.ScheduleExpression)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.events.rules == nil {
		e.events.rules = map[string]*eventsRule{}
	}
	r := e.events.rules[req.Name]
	if r == nil {
		if len(e.events.rules) >= maxRules {
			return nil, apiErrorf(eventsLimit, nil, "The requested resource exceeds the maximum number allowed: %d rules on event bus default.", maxRules)
		}
		r = &eventsRule{}
		e.events.rules[req.Name] = r
	}
	r.info = EventsRule{Name: req.Name, Arn: e.ruleArn(req.Name), ScheduleExpression: req.ScheduleExpression,
		State: state, Description: req.Description, RoleArn: req.RoleArn, EventBusName: "default"}
	if r.sched.expr != sched.expr {
		r.anchor = e.clock.Now() // a rate starts when the rule is made (eb-rate-expressions.html)
	}
	r.sched = sched
	e.scheduleRule(r)
	return &PutRuleResponse{RuleArn: r.info.Arn}, nil
}

// DescribeRuleRequest is the request of DescribeRule.
type DescribeRuleRequest struct {
	Name         string `json:"Name"`
	EventBusName string `json:"EventBusName,omitempty"`
}

// DescribeRule returns the rule called req.Name.
func (e *ECS) DescribeRule(ctx context.Context, req *DescribeRuleRequest) (*EventsRule, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if err := checkName("name", req.Name); err != nil {
		return nil, err
	}
	if err := e.checkBus(req.EventBusName); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.rule(req.Name)
	if err != nil {
		return nil, err
	}
	info := r.info
	return &info, nil
}

// ListRulesRequest is the request of ListRules.
type ListRulesRequest struct {
	NamePrefix   string `json:"NamePrefix,omitempty"`
	EventBusName string `json:"EventBusName,omitempty"`
	NextToken    string `json:"NextToken,omitempty"`
	Limit        *int   `json:"Limit,omitempty"`
}

// ListRulesResponse is the response of ListRules.
type ListRulesResponse struct {
	Rules     []EventsRule `json:"Rules"`
	NextToken string       `json:"NextToken,omitempty"`
}

// ListRules lists the rules whose names start with req.NamePrefix, in
// order of name, Limit (1 to 100, default 100) at a time.
func (e *ECS) ListRules(ctx context.Context, req *ListRulesRequest) (*ListRulesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if err := e.checkBus(req.EventBusName); err != nil {
		return nil, err
	}
	p, err := readEventsPage("ListRules", req.Limit, req.NextToken)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var rules []EventsRule
	for _, name := range slices.Sorted(maps.Keys(e.events.rules)) {
		if strings.HasPrefix(name, req.NamePrefix) {
			rules = append(rules, e.events.rules[name].info)
		}
	}
	out, next := page(p, rules, func(r EventsRule) string { return r.Name }, false)
	return &ListRulesResponse{Rules: append([]EventsRule{}, out...), NextToken: next}, nil
}

// readEventsPage is readPage for EventBridge's Limit and NextToken, whose
// refusals are ValidationExceptions.
func readEventsPage(op string, limit *int, token string) (pageRequest, error) {
	if limit != nil && (*limit < 1 || *limit > maxPageSize) {
		return pageRequest{}, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *limit, maxPageSize)
	}
	p, err := readPage(op, limit, token)
	if err != nil {
		return p, validationf("The NextToken is not one that %s returned.", op)
	}
	return p, nil
}

// DeleteRuleRequest is the request of DeleteRule.
type DeleteRuleRequest struct {
	Name         string `json:"Name"`
	EventBusName string `json:"EventBusName,omitempty"`
	Force        bool   `json:"Force"`
}

// DeleteRule deletes a rule. A rule that still has targets is refused,
// as EventBridge refuses it ("Before you can delete the rule, you must
// remove all targets, using RemoveTargets",
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html);
// a rule that does not exist is deleted already, and the call succeeds.
func (e *ECS) DeleteRule(ctx context.Context, req *DeleteRuleRequest) (*struct{}, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if err := checkName("name", req.Name); err != nil {
		return nil, err
	}
	if err := e.checkBus(req.EventBusName); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.events.rules[req.Name]
	if r == nil {
		return &struct{}{}, nil
	}
	if len(r.targets) > 0 {
		return nil, validationf("Rule can't be deleted since it has targets.")
	}
	r.stop()
	delete(e.events.rules, req.Name)
	return &struct{}{}, nil
}

// RuleNameRequest is the request of EnableRule and DisableRule.
type RuleNameRequest struct {
	Name         string `json:"Name"`
	EventBusName string `json:"EventBusName,omitempty"`
}

// EnableRule enables a rule: its schedule runs its targets again.
func (e *ECS) EnableRule(ctx context.Context, req *RuleNameRequest) (*struct{}, error) {
	return e.setRuleState(req, ruleEnabled)
}

// DisableRule disables a rule: its schedule runs nothing until it is
// enabled again.
func (e *ECS) DisableRule(ctx context.Context, req *RuleNameRequest) (*struct{}, error) {
	return e.setRuleState(req, ruleDisabled)
}

// setRuleState is EnableRule and DisableRule: it sets the rule's State
// and sets, or drops, its next run.
func (e *ECS) setRuleState(req *RuleNameRequest, state string) (*struct{}, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if err := checkName("name", req.Name); err != nil {
		return nil, err
	}
	if err := e.checkBus(req.EventBusName); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.rule(req.Name)
	if err != nil {
		return nil, err
	}
	r.info.State = state
	e.scheduleRule(r)
	return &struct{}{}, nil
}

// RuleInvocations returns the latest runs of a rule's targets (at most
// 100), oldest first.
func (e *ECS) RuleInvocations(ctx context.Context, name string) ([]EventsInvocation, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.rule(name)
	if err != nil {
		return nil, err
	}
	return slices.Clone(r.runs), nil
}
