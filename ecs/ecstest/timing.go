package ecstest

import "time"

// Timing is how long each stage of the task lifecycle takes on the virtual
// clock. A task starts PROVISIONING → PENDING → ACTIVATING → RUNNING and
// stops DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED; a task
// stopped before it runs goes straight to DEPROVISIONING. A zero duration
// moves a task on at the same virtual instant, on the clock's next run;
// a service's scheduler steps once all that is due at an instant has
// happened, so it sees the stages a zero duration skips no more than
// ECS's would see a stage that takes no time.
type Timing struct {
	// Provisioning is PROVISIONING → PENDING: the ENI and other resources
	// the task needs are made ready.
	Provisioning time.Duration
	// Pending is PENDING → ACTIVATING: the agent pulls the images and
	// creates the containers.
	Pending time.Duration
	// Activating is ACTIVATING → RUNNING: the containers start and the
	// task registers with its load balancers and service discovery.
	Activating time.Duration
	// Deactivating is DEACTIVATING → STOPPING: the task leaves its load
	// balancers and service discovery.
	Deactivating time.Duration
	// Stopping is STOPPING → DEPROVISIONING: the containers get SIGTERM
	// and exit. Containers that have not exited when their stop timeout
	// ends are killed, so a task stops within its longest stopTimeout
	// (StopTimeout when none is set) whatever Stopping says: a Stopping
	// at least that long makes every task take its full stop timeout, as
	// containers that ignore SIGTERM do.
	Stopping time.Duration
	// Deprovisioning is DEPROVISIONING → STOPPED: the ENI is detached and
	// the task's resources are released.
	Deprovisioning time.Duration
	// StopTimeout is the agent's stop timeout (ECS_CONTAINER_STOP_TIMEOUT):
	// the time between SIGTERM and SIGKILL for a container whose
	// definition sets no stopTimeout. Zero or less means the agent's
	// default, 30 s.
	StopTimeout time.Duration
}

// DefaultTiming returns the timing of an ECS that no one set: 30 seconds
// from RunTask to RUNNING (5 s provisioning, 20 s pulling, 5 s
// activating), 15 seconds to stop (5 s in each stage), and the agent's
// stop timeout of 30 s.
func DefaultTiming() Timing {
	return Timing{
		Provisioning:   5 * time.Second,
		Pending:        20 * time.Second,
		Activating:     5 * time.Second,
		Deactivating:   5 * time.Second,
		Stopping:       5 * time.Second,
		Deprovisioning: 5 * time.Second,
		StopTimeout:    defaultStopTimeout,
	}
}

// defaultStopTimeout is how long the agent waits between SIGTERM and
// SIGKILL when a container sets no stopTimeout and the agent's
// ECS_CONTAINER_STOP_TIMEOUT is not set.
const defaultStopTimeout = 30 * time.Second

// stoppingTime returns how long a task's containers take to exit after
// SIGTERM: the timing's Stopping, cut to the task's longest stopTimeout
// (the agent's when none is set).
func (e *ECS) stoppingTime(tk *task) time.Duration {
	limit := time.Duration(0)
	for i := range tk.td.ContainerDefinitions {
		if s := tk.td.ContainerDefinitions[i].StopTimeout; s != nil {
			limit = max(limit, time.Duration(*s)*time.Second)
		}
	}
	if limit == 0 {
		limit = e.timing.StopTimeout
	}
	if limit <= 0 {
		limit = defaultStopTimeout
	}
	return min(max(e.timing.Stopping, 0), limit)
}
