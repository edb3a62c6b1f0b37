package deploy

import "errors"

// TaskPhase is where a task stands in its lifecycle as the scheduler
// counts it.
type TaskPhase uint8

// Task phases.
const (
	// TaskPending: PROVISIONING, PENDING or ACTIVATING, and not asked to
	// stop. It counts toward maximumPercent.
	TaskPending = TaskPhase(phasePending)
	// TaskRunning: RUNNING and not asked to stop. It counts toward
	// maximumPercent, and toward minimumHealthyPercent when healthy.
	TaskRunning = TaskPhase(phaseRunning)
	// TaskStopping: asked to stop, or DEACTIVATING, STOPPING or
	// DEPROVISIONING. It holds its resources but no longer counts.
	TaskStopping = TaskPhase(phaseStopping)
	// TaskStopped: STOPPED or DELETED.
	TaskStopped = TaskPhase(phaseStopped)
)

// TaskView is how a step sees one task.
type TaskView struct {
	Phase TaskPhase
	// Healthy reports a RUNNING task that counts toward
	// minimumHealthyPercent by the rules of the package documentation
	// (rules 110 and 111): the 40-second rule, its container health
	// checks, its load balancer targets.
	Healthy bool
}

// ViewTasks returns how Step sees each task of st.Tasks, in the same
// order. It reads the service, the task definitions, the instances, the
// targets and the time of st, not its Placer.
func ViewTasks(st *State) ([]TaskView, error) {
	if st == nil {
		return nil, errors.New("deploy: ViewTasks needs a State, not nil")
	}
	v, err := newView(st)
	if err != nil {
		return nil, err
	}
	return v.taskViews(), nil
}

// taskViews returns the view's tasks as TaskViews.
func (v *view) taskViews() []TaskView {
	out := make([]TaskView, len(v.tasks))
	for i := range v.tasks {
		out[i] = TaskView{Phase: TaskPhase(v.tasks[i].phase), Healthy: v.tasks[i].healthy}
	}
	return out
}
