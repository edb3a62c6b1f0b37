package ecstest

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/ecs"
)

// The page sizes of the Describe operations: at most 50 a page, and 10
// for DescribeScalingPolicies
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalingPolicies.html).
const (
	aasMaxPage      = 50
	aasMaxPolicyPge = 10
)

// The quotas of Application Auto Scaling per scalable target: 50 scaling
// policies and 200 scheduled actions (rule 180).
const (
	aasMaxPolicies   = 50
	aasMaxActions    = 200
	aasLimitExceeded = "LimitExceededException"
)

// checkAAS is checkRequest for the Application Auto Scaling operations.
func checkAAS[T any](e *ECS, req *T) error {
	if err := e.usable(); err != nil {
		return err
	}
	if req == nil {
		return aasError(aasValidation, ecs.ErrInvalid, "The request is required: the %T is nil.", req)
	}
	// What the JSON protocol could not carry (a NaN, an Integer beyond
	// int32) is refused before any operation copies the request.
	data, err := ecs.Marshal(req)
	if err == nil {
		err = ecs.Unmarshal(data, new(T))
	}
	if err != nil {
		return aasError(aasValidation, fmt.Errorf("%w: %w", ecs.ErrInvalid, err), "%v", err)
	}
	return nil
}

// aasPage returns the page of items a MaxResults (1 to most, default
// most) and NextToken (an offset this function wrote) select, and the
// token of the next page.
func aasPage[T any](items []T, maxResults *int, most int, token string) ([]T, string, error) {
	n := most
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > most {
			return nil, "", aasError(aasValidation, ecs.ErrInvalid, "MaxResults must be between 1 and %d, got %d", most, *maxResults)
		}
		n = *maxResults
	}
	from := 0
	if token != "" {
		v, err := strconv.Atoi(token)
		if err != nil || v < 0 || v > len(items) {
			return nil, "", aasError(aasInvalidNextToken, ecs.ErrInvalid, "Invalid token: %s", token)
		}
		from = v
	}
	to := min(from+n, len(items))
	next := ""
	if to < len(items) {
		next = strconv.Itoa(to)
	}
	return slices.Clone(items[from:to]), next, nil
}

// RegisterScalableTarget registers an ECS service's desired count as a
// scalable target, or updates the registered one (only the members
// given change), as Application Auto Scaling does
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
// A first registration needs MinCapacity and MaxCapacity. A desired count
// outside new bounds follows them at once, recorded as a scaling
// activity. While any target is registered, each one is evaluated every
// virtual minute.
func (e *ECS) RegisterScalableTarget(ctx context.Context, req *autoscaling.RegisterScalableTargetRequest) (*autoscaling.RegisterScalableTargetResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	ecsNS, err := checkTargetRef(req.ServiceNamespace, req.ResourceId, req.ScalableDimension)
	if err != nil {
		return nil, err
	}
	if !ecsNS {
		return nil, aasError(aasValidation, ecs.ErrNotFound, "ecstest has no %s resources: %s does not exist", req.ServiceNamespace, req.ResourceId)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, err := e.scalableService(req.ResourceId)
	if err != nil {
		return nil, err
	}
	st := e.aas.targets[req.ResourceId]
	next := autoscaling.ScalableTarget{}
	if st != nil {
		next = st.t
	} else if req.MinCapacity == nil || req.MaxCapacity == nil {
		return nil, aasError(aasValidation, ecs.ErrInvalid, "MinCapacity and MaxCapacity are required to register a new scalable target")
	}
	next.ServiceNamespace, next.ResourceId, next.ScalableDimension = req.ServiceNamespace, req.ResourceId, req.ScalableDimension
	if req.MinCapacity != nil {
		next.MinCapacity = *req.MinCapacity
	}
	if req.MaxCapacity != nil {
		next.MaxCapacity = *req.MaxCapacity
	}
	if req.SuspendedState != nil {
		ss := *req.SuspendedState
		next.SuspendedState = &ss
	}
	if req.RoleARN != "" {
		next.RoleARN = req.RoleARN
	}
	if err := autoscaling.ValidateScalableTarget(next); err != nil {
		return nil, aasValidationErr(err)
	}
	if err := checkAASTags(req.Tags); err != nil {
		return nil, err
	}
	now := e.clock.Now()
	if st == nil {
		if next.RoleARN == "" {
			// The service-linked role Application Auto Scaling uses for ECS.
			next.RoleARN = "arn:aws:iam::" + e.arns.account + ":role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService"
		}
		next.CreationTime = ecs.NewTime(now)
		next.ScalableTargetARN = e.aasARN("application-autoscaling", "scalable-target/"+e.aasUUID("target"))
		if next.SuspendedState == nil {
			next.SuspendedState = &autoscaling.SuspendedState{}
		}
		st = &scalableTarget{t: next, last: now, tags: map[string]string{}}
		e.addTarget(st)
	}
	for k, v := range req.Tags {
		st.tags[k] = v
	}
	st.t = next
	if d := autoscaling.FollowBounds(next, s.info().DesiredCount, now); d.Changed() {
		e.setDesiredCount(st, d.DesiredCount, d.Activity)
	}
	e.startAutoScaling()
	return &autoscaling.RegisterScalableTargetResponse{ScalableTargetARN: next.ScalableTargetARN}, nil
}

// DescribeScalableTargets lists the scalable targets of a namespace (of
// ResourceIds and ScalableDimension when given), in order of resource ID.
// A namespace other than ecs has none.
func (e *ECS) DescribeScalableTargets(ctx context.Context, req *autoscaling.DescribeScalableTargetsRequest) (*autoscaling.DescribeScalableTargetsResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	ecsNS, err := checkNamespace(req.ServiceNamespace)
	if err != nil {
		return nil, err
	}
	if len(req.ResourceIds) > maxDescribeResourceIds {
		return nil, aasError(aasValidation, ecs.ErrInvalid, "1 validation error detected: Value at 'resourceIds' failed to satisfy constraint: Member must have length less than or equal to %d", maxDescribeResourceIds)
	}
	e.mu.Lock()
	var all []autoscaling.ScalableTarget
	for _, st := range e.sortedTargets() {
		if ecsNS && matches(req.ResourceIds, st.t.ResourceId) && (req.ScalableDimension == "" || req.ScalableDimension == st.t.ScalableDimension) {
			t := st.t
			if t.SuspendedState != nil {
				ss := *t.SuspendedState
				t.SuspendedState = &ss
			}
			all = append(all, t)
		}
	}
	e.mu.Unlock()
	out, next, err := aasPage(all, req.MaxResults, aasMaxPage, req.NextToken)
	if err != nil {
		return nil, err
	}
	return &autoscaling.DescribeScalableTargetsResponse{ScalableTargets: nonNil(out), NextToken: next}, nil
}

// matches reports whether v is one of names, or names is empty.
func matches(names []string, v string) bool { return len(names) == 0 || slices.Contains(names, v) }

// nonNil returns s, or an empty slice for nil, so that a list encodes as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// DeregisterScalableTarget deregisters a scalable target and deletes its
// scaling policies and scheduled actions; its service keeps its desired
// count.
func (e *ECS) DeregisterScalableTarget(ctx context.Context, req *autoscaling.DeregisterScalableTargetRequest) (*autoscaling.DeregisterScalableTargetResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := e.registeredTarget(req.ServiceNamespace, req.ResourceId, req.ScalableDimension)
	if err != nil {
		return nil, err
	}
	e.removeTarget(st)
	e.stopAutoScaling()
	return &autoscaling.DeregisterScalableTargetResponse{}, nil
}

// PutScalingPolicy creates or replaces a scaling policy of a registered
// scalable target: TargetTrackingScaling on ECSServiceAverageCPUUtilization,
// ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget, or
// StepScaling (run by an alarm PutMetricAlarm sets). A target tracking
// policy answers its two alarms' names, as Application Auto Scaling
// creates them
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html).
func (e *ECS) PutScalingPolicy(ctx context.Context, req *autoscaling.PutScalingPolicyRequest) (*autoscaling.PutScalingPolicyResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := e.registeredTarget(req.ServiceNamespace, req.ResourceId, req.ScalableDimension)
	if err != nil {
		return nil, err
	}
	p := autoscaling.ScalingPolicy{PolicyName: req.PolicyName, ServiceNamespace: req.ServiceNamespace, ResourceId: req.ResourceId,
		ScalableDimension: req.ScalableDimension, PolicyType: req.PolicyType}
	if p.PolicyType == "" {
		p.PolicyType = autoscaling.PolicyTypeStepScaling // the API's default
	}
	if req.StepScalingPolicyConfiguration != nil {
		p.StepScalingPolicyConfiguration = deepCopy(req.StepScalingPolicyConfiguration)
	}
	if req.TargetTrackingScalingPolicyConfiguration != nil {
		p.TargetTrackingScalingPolicyConfiguration = deepCopy(req.TargetTrackingScalingPolicyConfiguration)
	}
	if err := autoscaling.ValidateScalingPolicy(p); err != nil {
		return nil, aasValidationErr(err)
	}
	i := slices.IndexFunc(st.policies, func(q autoscaling.ScalingPolicy) bool { return q.PolicyName == p.PolicyName })
	if i >= 0 {
		p.PolicyARN, p.CreationTime = st.policies[i].PolicyARN, st.policies[i].CreationTime
	} else {
		p.PolicyARN = e.aasARN("autoscaling", "scalingPolicy:"+e.aasUUID("policy")+":resource/ecs/"+p.ResourceId+":policyName/"+p.PolicyName)
		p.CreationTime = ecs.NewTime(e.clock.Now())
	}
	if p.PolicyType == autoscaling.PolicyTypeTargetTracking {
		for _, name := range []string{autoscaling.AlarmHighName(p), autoscaling.AlarmLowName(p)} {
			p.Alarms = append(p.Alarms, autoscaling.Alarm{AlarmName: name, AlarmARN: e.aasARN("cloudwatch", "alarm:"+name)})
		}
	} else {
		p.Alarms = e.stepAlarmsOf(p)
	}
	if i >= 0 {
		st.policies[i] = p
	} else if len(st.policies) >= aasMaxPolicies {
		return nil, aasError(aasLimitExceeded, ecs.ErrInvalid, "A scalable target can have at most %d scaling policies", aasMaxPolicies)
	} else {
		st.policies = append(st.policies, p)
	}
	return &autoscaling.PutScalingPolicyResponse{PolicyARN: p.PolicyARN, Alarms: slices.Clone(p.Alarms)}, nil
}

// DescribeScalingPolicies lists the scaling policies of a namespace,
// narrowed by ResourceId, ScalableDimension and PolicyNames, in order of
// resource ID and creation.
func (e *ECS) DescribeScalingPolicies(ctx context.Context, req *autoscaling.DescribeScalingPoliciesRequest) (*autoscaling.DescribeScalingPoliciesResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	ecsNS, err := checkNamespace(req.ServiceNamespace)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	var all []autoscaling.ScalingPolicy
	for _, st := range e.sortedTargets() {
		if !ecsNS || !matchesTarget(st, req.ResourceId, req.ScalableDimension) {
			continue
		}
		for _, p := range st.policies {
			if matches(req.PolicyNames, p.PolicyName) {
				p.Alarms = e.alarmsOf(p)
				all = append(all, *deepCopy(&p))
			}
		}
	}
	e.mu.Unlock()
	out, next, err := aasPage(all, req.MaxResults, aasMaxPolicyPge, req.NextToken)
	if err != nil {
		return nil, err
	}
	return &autoscaling.DescribeScalingPoliciesResponse{ScalingPolicies: nonNil(out), NextToken: next}, nil
}

// matchesTarget reports whether st is the target a Describe request's
// ResourceId and ScalableDimension (each optional) select.
func matchesTarget(st *scalableTarget, resourceID, dimension string) bool {
	return (resourceID == "" || resourceID == st.t.ResourceId) && (dimension == "" || dimension == st.t.ScalableDimension)
}

// alarmsOf returns a policy's alarms: those it created (target tracking)
// or those PutMetricAlarm made run it (step scaling). e.mu must be held.
func (e *ECS) alarmsOf(p autoscaling.ScalingPolicy) []autoscaling.Alarm {
	if p.PolicyType == autoscaling.PolicyTypeStepScaling {
		return e.stepAlarmsOf(p)
	}
	return slices.Clone(p.Alarms)
}

// DeleteScalingPolicy deletes a scaling policy (and, for target tracking,
// its alarms).
func (e *ECS) DeleteScalingPolicy(ctx context.Context, req *autoscaling.DeleteScalingPolicyRequest) (*autoscaling.DeleteScalingPolicyResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := e.registeredTarget(req.ServiceNamespace, req.ResourceId, req.ScalableDimension)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(st.policies, func(q autoscaling.ScalingPolicy) bool { return q.PolicyName == req.PolicyName })
	if i < 0 {
		return nil, aasError(aasObjectNotFound, ecs.ErrNotFound, "No scaling policy found for service namespace: %s, resource ID: %s, scalable dimension: %s, policy name: %s",
			req.ServiceNamespace, req.ResourceId, req.ScalableDimension, req.PolicyName)
	}
	st.policies = slices.Delete(st.policies, i, i+1)
	return &autoscaling.DeleteScalingPolicyResponse{}, nil
}

// PutScheduledAction creates or updates a scheduled action of a
// registered scalable target: at its schedule (at, rate or cron, in its
// Timezone) it sets the target's MinCapacity and/or MaxCapacity, and the
// desired count follows them. An update changes only the members given
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html).
func (e *ECS) PutScheduledAction(ctx context.Context, req *autoscaling.PutScheduledActionRequest) (*autoscaling.PutScheduledActionResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := e.registeredTarget(req.ServiceNamespace, req.ResourceId, req.ScalableDimension)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(st.actions, func(a autoscaling.ScheduledAction) bool { return a.ScheduledActionName == req.ScheduledActionName })
	a := autoscaling.ScheduledAction{ScheduledActionName: req.ScheduledActionName, ServiceNamespace: req.ServiceNamespace,
		ResourceId: req.ResourceId, ScalableDimension: req.ScalableDimension}
	if i >= 0 {
		a = st.actions[i]
	} else if req.Schedule == "" {
		return nil, aasError(aasValidation, ecs.ErrInvalid, "Schedule is required to create a scheduled action")
	}
	if req.Schedule != "" {
		a.Schedule = req.Schedule
	}
	if req.Timezone != "" {
		a.Timezone = req.Timezone
	}
	if req.StartTime != nil {
		a.StartTime = *req.StartTime
	}
	if req.EndTime != nil {
		a.EndTime = *req.EndTime
	}
	if req.ScalableTargetAction != nil {
		a.ScalableTargetAction = deepCopy(req.ScalableTargetAction)
	}
	if err := autoscaling.ValidateScheduledAction(a); err != nil {
		return nil, aasValidationErr(err)
	}
	delete(st.nextRuns, a.ScheduledActionName)
	if i >= 0 {
		st.actions[i] = a
		return &autoscaling.PutScheduledActionResponse{}, nil
	}
	if len(st.actions) >= aasMaxActions {
		return nil, aasError(aasLimitExceeded, ecs.ErrInvalid, "A scalable target can have at most %d scheduled actions", aasMaxActions)
	}
	a.CreationTime = ecs.NewTime(e.clock.Now())
	a.ScheduledActionARN = e.aasARN("autoscaling", "scheduledAction:"+e.aasUUID("action")+":resource/ecs/"+a.ResourceId+":scheduledActionName/"+a.ScheduledActionName)
	st.actions = append(st.actions, a)
	return &autoscaling.PutScheduledActionResponse{}, nil
}

// DescribeScheduledActions lists the scheduled actions of a namespace,
// narrowed by ResourceId, ScalableDimension and ScheduledActionNames, in
// order of resource ID and creation.
func (e *ECS) DescribeScheduledActions(ctx context.Context, req *autoscaling.DescribeScheduledActionsRequest) (*autoscaling.DescribeScheduledActionsResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	ecsNS, err := checkNamespace(req.ServiceNamespace)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	var all []autoscaling.ScheduledAction
	for _, st := range e.sortedTargets() {
		if !ecsNS || !matchesTarget(st, req.ResourceId, req.ScalableDimension) {
			continue
		}
		for _, a := range st.actions {
			if matches(req.ScheduledActionNames, a.ScheduledActionName) {
				all = append(all, *deepCopy(&a))
			}
		}
	}
	e.mu.Unlock()
	out, next, err := aasPage(all, req.MaxResults, aasMaxPage, req.NextToken)
	if err != nil {
		return nil, err
	}
	return &autoscaling.DescribeScheduledActionsResponse{ScheduledActions: nonNil(out), NextToken: next}, nil
}

// DeleteScheduledAction deletes a scheduled action.
func (e *ECS) DeleteScheduledAction(ctx context.Context, req *autoscaling.DeleteScheduledActionRequest) (*autoscaling.DeleteScheduledActionResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := e.registeredTarget(req.ServiceNamespace, req.ResourceId, req.ScalableDimension)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(st.actions, func(a autoscaling.ScheduledAction) bool { return a.ScheduledActionName == req.ScheduledActionName })
	if i < 0 {
		return nil, aasError(aasObjectNotFound, ecs.ErrNotFound, "No scheduled action found for service namespace: %s, resource ID: %s, scalable dimension: %s, scheduled action name: %s",
			req.ServiceNamespace, req.ResourceId, req.ScalableDimension, req.ScheduledActionName)
	}
	delete(st.nextRuns, st.actions[i].ScheduledActionName)
	st.actions = slices.Delete(st.actions, i, i+1)
	return &autoscaling.DeleteScheduledActionResponse{}, nil
}

// DescribeScalingActivities lists the scaling activities of a namespace's
// targets (ResourceId's when given), newest first; each says what changed
// (Description) and why (Cause).
func (e *ECS) DescribeScalingActivities(ctx context.Context, req *autoscaling.DescribeScalingActivitiesRequest) (*autoscaling.DescribeScalingActivitiesResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	ecsNS, err := checkNamespace(req.ServiceNamespace)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	var all []autoscaling.ScalingActivity
	for _, st := range e.sortedTargets() {
		if ecsNS && matchesTarget(st, req.ResourceId, req.ScalableDimension) {
			all = append(all, st.activities...)
		}
	}
	e.mu.Unlock()
	slices.Reverse(all) // newest first within a target, before the merge by time
	slices.SortStableFunc(all, func(a, b autoscaling.ScalingActivity) int { return b.StartTime.Compare(a.StartTime.Time) })
	out, next, err := aasPage(all, req.MaxResults, aasMaxPage, req.NextToken)
	if err != nil {
		return nil, err
	}
	return &autoscaling.DescribeScalingActivitiesResponse{ScalingActivities: nonNil(out), NextToken: next}, nil
}
