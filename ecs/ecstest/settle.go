package ecstest

import (
	"context"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// DefaultSettleLimit is how much virtual time Settle lets pass when it is
// given none: an hour.
const DefaultSettleLimit = time.Hour

// Settle advances the clock from one scheduled event to the next until the
// service ref names (a name or ARN) in the cluster cluster names is
// steady, and returns it as DescribeServices would: its one deployment
// COMPLETED, running its desired count with none pending (what the aws
// CLI's services-stable waiter waits for, and the deployment's
// rolloutState besides); a service of task sets (EXTERNAL, CODE_DEPLOY)
// once every task set is STEADY_STATE and none is DRAINING. A test then
// needs neither a poller nor a
// goroutine moving the clock. It gives up with an error, the service as
// it stands, once within of virtual time has passed (DefaultSettleLimit
// when 0), or when nothing is left to happen. At a positive clock speed
// the clock also moves on its own meanwhile.
func (e *ECS) Settle(ctx context.Context, cluster, ref string, within time.Duration) (*ecs.Service, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	if within <= 0 {
		within = DefaultSettleLimit
	}
	deadline := e.clock.Now().Add(within)
	for {
		svc, err := e.describeOne(cluster, ref)
		if err != nil {
			return nil, err
		}
		if steady(svc) {
			return svc, nil
		}
		if err := ctx.Err(); err != nil {
			return svc, err
		}
		next, ok := e.clock.Next()
		if !ok || next.After(deadline) {
			return svc, apiErrorf(ecs.ClientException, nil,
				"Service %s is not steady after %v of virtual time: %d running of %d desired, %d pending, %d deployments.",
				svc.ServiceName, within, svc.RunningCount, svc.DesiredCount, svc.PendingCount, len(svc.Deployments))
		}
		e.clock.AdvanceTo(next)
	}
}

// steady reports whether svc is as Settle waits for it.
func steady(svc *ecs.Service) bool {
	if usesTaskSets(svc) {
		return taskSetsSteady(svc)
	}
	return len(svc.Deployments) == 1 && svc.Deployments[0].RolloutState == ecs.DeploymentRolloutStateCompleted &&
		svc.RunningCount == svc.DesiredCount && svc.PendingCount == 0
}

// describeOne describes one service of a cluster.
func (e *ECS) describeOne(cluster, ref string) (*ecs.Service, error) {
	list, failures, err := e.describeServices(context.Background(), cluster, []string{ref})
	switch {
	case err != nil:
		return nil, err
	case len(list) == 0:
		reason := "MISSING"
		if len(failures) > 0 {
			reason = failures[0].Reason
		}
		return nil, apiErrorf(ecs.ServiceNotFoundException, ecs.ErrNotFound, "Service not found (%s).", reason)
	}
	return &list[0], nil
}
