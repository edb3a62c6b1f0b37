package ecstest

import "github.com/ecscore/ecscore/deploy"

// OnServiceStep has f called after every step of the scheduler of the
// service ref names (a name or ARN) in the cluster cluster names, with
// the step's state and result, as deploy.Driver.OnStep: the state's tasks
// before the step, the result's service, events and actions after it. f
// runs on the clock, under the ECS's lock: it must not call the ECS, and
// the state's slices are valid only during the call.
func (e *ECS) OnServiceStep(cluster, ref string, f func(*deploy.State, *deploy.Result)) error {
	if err := e.usable(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return err
	}
	s, err := e.service(cl, ref)
	if err != nil {
		return err
	}
	prev := s.drv.OnStep
	s.drv.OnStep = func(st *deploy.State, res *deploy.Result) {
		if prev != nil {
			prev(st, res)
		}
		f(st, res)
	}
	return nil
}
