package ecstest

import (
	"context"
	"errors"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// maxDeleteTaskDefinitions is the most revisions one DeleteTaskDefinitions
// call names.
const maxDeleteTaskDefinitions = 10

// deleteSweep is how often the revisions being deleted are looked at
// again while a task or service still uses them.
const deleteSweep = time.Minute

// DeleteTaskDefinitions deletes the task definition revisions req names
// (family:revision or ARNs, 1 to 10), which must have been deregistered:
// each goes from INACTIVE to DELETE_IN_PROGRESS at once (ecs.Registry's
// Delete) and is returned so. Tasks and services that use it go on
// running, and services scale with it, but nothing new can start with it.
// Once no task (but STOPPED ones) and no service deployment uses it, it
// is gone from DescribeTaskDefinition and ListTaskDefinitions, and its
// family from ListTaskDefinitionFamilies with its last revision; its
// number is never given again. ecstest looks on the clock: when the clock
// next runs, then every minute while one is in use.
//
// A revision that is ACTIVE, does not exist or is named without its
// number is a failure, with ECS's reason for the first two.
func (e *ECS) DeleteTaskDefinitions(ctx context.Context, req *ecs.DeleteTaskDefinitionsRequest) (*ecs.DeleteTaskDefinitionsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if len(req.TaskDefinitions) == 0 || len(req.TaskDefinitions) > maxDeleteTaskDefinitions {
		return nil, invalidParameter("taskDefinitions must have 1 to %d items.", maxDeleteTaskDefinitions)
	}
	resp := &ecs.DeleteTaskDefinitionsResponse{TaskDefinitions: []ecs.TaskDefinition{}, Failures: []ecs.Failure{}}
	var deleting []string
	for _, ref := range req.TaskDefinitions {
		td, err := e.registry.Delete(ref)
		if err != nil {
			resp.Failures = append(resp.Failures, e.deleteFailure(ref, err))
			continue
		}
		resp.TaskDefinitions = append(resp.TaskDefinitions, *td)
		deleting = append(deleting, td.TaskDefinitionARN)
	}
	if len(deleting) > 0 {
		e.mu.Lock()
		e.sweepAfter(0, e.registry, deleting)
		e.mu.Unlock()
	}
	return resp, nil
}

// deleteFailure returns the failure of a revision Delete refused.
func (e *ECS) deleteFailure(ref string, err error) ecs.Failure {
	arn := ref
	if name, rev, hasRev, perr := ecs.ParseTaskDefinitionRef(ref); perr == nil && hasRev {
		arn = ecs.TaskDefinitionARN(e.arns.region, e.arns.account, name, rev).String()
	}
	reason := err.Error()
	var apiErr *ecs.APIError
	switch {
	case errors.Is(err, ecs.ErrNotFound):
		reason = "The specified task definition does not exist."
	case errors.As(err, &apiErr):
		reason = apiErr.Message
	}
	return ecs.Failure{ARN: arn, Reason: reason}
}

// sweepAfter has the revisions arns of reg, DELETE_IN_PROGRESS, removed d
// from now if nothing uses them then, and looked at again every
// deleteSweep while something does. A Reset drops what it scheduled (and
// makes a new registry). e.mu must be held.
func (e *ECS) sweepAfter(d time.Duration, reg *ecs.Registry, arns []string) {
	e.clock.AfterFunc(d, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if reg != e.registry {
			return // Reset since
		}
		var left []string
		for _, arn := range arns {
			if e.taskDefinitionInUse(arn) {
				left = append(left, arn)
				continue
			}
			reg.Purge(arn) // an error: gone already
		}
		if len(left) > 0 {
			e.sweepAfter(deleteSweep, reg, left)
		}
	})
}

// taskDefinitionInUse reports whether a task that is not STOPPED, or a
// deployment of a service that is not INACTIVE, uses the task definition
// arn. e.mu must be held.
func (e *ECS) taskDefinitionInUse(arn string) bool {
	for _, cl := range e.clusters {
		for _, tk := range cl.tasks {
			if tk.t.TaskDefinitionARN == arn && !tk.stopped() {
				return true
			}
		}
		for _, svc := range cl.services {
			info := svc.info()
			if info.Status == serviceInactive {
				continue
			}
			for _, d := range info.Deployments {
				if d.TaskDefinition == arn {
					return true
				}
			}
		}
	}
	return false
}
