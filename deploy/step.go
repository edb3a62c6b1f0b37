package deploy

import (
	"errors"
	"fmt"

	"github.com/ecscore/ecscore/ecs"
)

// Step returns what the ECS service scheduler does now, given the state
// of the service, its tasks and the cluster: the tasks to stop and start,
// the deployments' new status, rolloutState and counts, and the service
// events. It is a pure function of s: it reads no clock and no random
// source (IDs derive from s.Memory), calls nothing but s.Placer, and
// returns the same Result for the same State.
//
// One step does, in order: take in the tasks that stopped or became
// healthy since the previous step (the circuit breaker's stage one, the
// launch back-off); stop PENDING tasks on draining instances; replace
// tasks that failed their health checks (stage two); fail the deployment
// when its circuit breaker or an alarm fires, rolling back if so
// configured; then roll the service towards desiredCount tasks of the
// PRIMARY deployment within the deployment's bounds; and last, mark
// deployments INACTIVE or COMPLETED, rebalance Availability Zones in
// steady state (rule 105) and write the events.
//
// An error means the state cannot be stepped: no service or deployment,
// a deployment task definition missing from s.TaskDefinitions, or a
// placement request the Placer refuses.
func Step(s *State) (*Result, error) {
	if s == nil {
		return nil, errors.New("deploy: Step needs a State, not nil")
	}
	v, err := newView(s)
	if err != nil {
		return nil, err
	}
	if s.Placer == nil {
		return nil, errors.New("deploy: State.Placer is nil")
	}
	views := v.taskViews() // as the step finds them, before it changes its view
	p := &plan{v: v, desired: s.Service.DesiredCount}
	p.newPrimary()
	seen, healthy := p.account()
	if s.Service.SchedulingStrategy == ecs.SchedulingStrategyDaemon {
		err = p.daemon()
	} else {
		err = p.replica()
	}
	if err != nil {
		return nil, fmt.Errorf("deploy: service %s: %w", s.Service.ServiceName, err)
	}
	res, err := p.finish(seen, healthy)
	if err != nil {
		return nil, fmt.Errorf("deploy: service %s: %w", s.Service.ServiceName, err)
	}
	res.Views = views
	return res, nil
}
