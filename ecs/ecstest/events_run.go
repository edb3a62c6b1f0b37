package ecstest

import (
	"context"
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// scheduleRule sets r's pending run: the next time of its schedule while
// it is enabled, none while it is disabled. e.mu must be held.
func (e *ECS) scheduleRule(r *eventsRule) {
	r.stop()
	if r.info.State != ruleEnabled {
		return
	}
	e.armRule(r, e.clock.Now(), r.gen)
}

// armRule sets r's run after after, for generation gen. e.mu must be held.
func (e *ECS) armRule(r *eventsRule, after time.Time, gen uint64) {
	if t, ok := r.sched.next(after, r.anchor); ok {
		r.wake = e.clock.At(t, func() { e.fireRule(r, gen, t) })
	}
}

// stop drops r's pending run, and any run of an older generation.
func (r *eventsRule) stop() {
	r.gen++
	if r.wake != nil {
		r.wake.Stop()
		r.wake = nil
	}
}

// fireRule runs r's targets at its scheduled time at, and sets its next
// run. RunTask takes e.mu itself, so the targets run after e.mu is let go;
// a rule changed since (gen moved on) or deleted runs nothing.
func (e *ECS) fireRule(r *eventsRule, gen uint64, at time.Time) {
	e.mu.Lock()
	if r.gen != gen || e.events.rules[r.info.Name] != r {
		e.mu.Unlock()
		return
	}
	name, targets := r.info.Name, slices.Clone(r.targets)
	r.wake = nil
	e.armRule(r, at, gen)
	e.mu.Unlock()
	for _, t := range targets {
		inv := e.invokeTarget(name, t, at)
		e.mu.Lock()
		if r.gen == gen {
			if len(r.runs) == maxInvocations {
				r.runs = slices.Delete(r.runs, 0, 1)
			}
			r.runs = append(r.runs, inv)
		}
		e.mu.Unlock()
	}
}

// eventsStartedBy is the startedBy of the tasks a rule runs: EventBridge
// calls RunTask with "events-rule/" and the rule's name, cut to 36
// characters, as ECS records the call (CloudTrail's requestParameters of
// a scheduled task: "startedBy": "events-rule/prd-recommend-batch-even").
func eventsStartedBy(rule string) string {
	s := "events-rule/" + rule
	return s[:min(len(s), 36)]
}

// invokeTarget runs one ECS target: RunTask with its EcsParameters (and its
// Input as the overrides).
func (e *ECS) invokeTarget(rule string, t EventsTarget, at time.Time) EventsInvocation {
	inv := EventsInvocation{Time: at, TargetID: t.ID}
	resp, err := e.RunTask(context.Background(), runTaskOf(rule, t))
	if err != nil {
		inv.Err = err
		return inv
	}
	for _, tk := range resp.Tasks {
		inv.TaskArns = append(inv.TaskArns, tk.TaskARN)
	}
	inv.Failures = resp.Failures
	return inv
}

// runTaskOf is the RunTask request of target t of rule.
func runTaskOf(rule string, t EventsTarget) *ecs.RunTaskRequest {
	p := t.EcsParameters
	req := &ecs.RunTaskRequest{
		Cluster: t.Arn, TaskDefinition: p.TaskDefinitionArn, Count: p.TaskCount,
		LaunchType: p.LaunchType, PlatformVersion: p.PlatformVersion, Group: p.Group,
		CapacityProviderStrategy: p.CapacityProviderStrategy,
		EnableECSManagedTags:     p.EnableECSManagedTags, EnableExecuteCommand: p.EnableExecuteCommand,
		PlacementConstraints: p.PlacementConstraints, PlacementStrategy: p.PlacementStrategy,
		PropagateTags: p.PropagateTags, ReferenceID: p.ReferenceID, StartedBy: eventsStartedBy(rule),
	}
	for _, tag := range p.Tags {
		req.Tags = append(req.Tags, ecs.Tag{Key: tag.Key, Value: tag.Value})
	}
	if nc := p.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
		v := nc.AwsvpcConfiguration
		req.NetworkConfiguration = &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			Subnets: v.Subnets, SecurityGroups: v.SecurityGroups, AssignPublicIP: v.AssignPublicIP}}
	}
	if t.Input != "" {
		var o ecs.TaskOverride
		if ecs.Unmarshal([]byte(t.Input), &o) == nil { // PutTargets checked it
			req.Overrides = &o
		}
	}
	return req
}
