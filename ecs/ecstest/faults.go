package ecstest

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// DefaultStartFailure is the stoppedReason of a task that TaskFaults make
// fail to start without saying why: the agent could not pull its image.
const DefaultStartFailure = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref: not found"

// TaskFaults are failures injected into the tasks of a task definition as
// they start, whoever starts them (RunTask, StartTask or a service's
// scheduler), counted in the order they start.
type TaskFaults struct {
	// TaskDefinition names the task definition: family:revision or an
	// ARN, or a family for all its revisions.
	TaskDefinition string
	// FailToStart is how many of the next tasks fail to start (-1: all
	// of them): each stops at the end of PENDING, before RUNNING, with
	// stop code TaskFailedToStart and Reason.
	FailToStart int
	// Reason is the stoppedReason of the tasks that fail to start
	// (DefaultStartFailure when empty).
	Reason string
	// FailHealthChecks is how many of the next tasks that do start fail
	// their health checks once RUNNING (-1: all of them): their essential
	// containers turn UNHEALTHY when their checks' retries are spent.
	FailHealthChecks int
}

// taskFaults are TaskFaults with what remains of them.
type taskFaults struct {
	TaskFaults
}

// InjectTaskFaults makes tasks of f.TaskDefinition that start from now on
// fail as f says. Faults injected for the same task definition before
// still apply, each counting its own tasks, the earliest first.
func (e *ECS) InjectTaskFaults(ctx context.Context, f TaskFaults) error {
	if err := e.usable(); err != nil {
		return err
	}
	if f.TaskDefinition == "" {
		return invalidParameter("TaskFaults.TaskDefinition is required.")
	}
	if f.FailToStart < -1 || f.FailHealthChecks < -1 {
		return invalidParameter("TaskFaults counts must be -1 (all) or more.")
	}
	if f.Reason == "" {
		f.Reason = DefaultStartFailure
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = append(e.faults, &taskFaults{f})
	return nil
}

// applyFaults marks a new task with the faults that apply to it and
// counts them. e.mu must be held.
func (e *ECS) applyFaults(tk *task) {
	for _, f := range e.faults {
		if !matchesTaskDefinition(f.TaskDefinition, tk.td) {
			continue
		}
		switch {
		case tk.failStart() == "" && f.FailToStart != 0:
			tk.oddOf().failStart = f.Reason
			if f.FailToStart > 0 {
				f.FailToStart--
			}
		case !tk.failHealth && tk.failStart() == "" && f.FailHealthChecks != 0:
			tk.failHealth = true
			if f.FailHealthChecks > 0 {
				f.FailHealthChecks--
			}
		}
	}
}

// matchesTaskDefinition reports whether ref (an ARN, family:revision or
// family) names td.
func matchesTaskDefinition(ref string, td *ecs.TaskDefinition) bool {
	if ref == td.TaskDefinitionARN {
		return true
	}
	ref = ref[strings.LastIndex(ref, "/")+1:]
	if family, _, ok := strings.Cut(ref, ":"); ok {
		return ref == td.TaskDefinitionARN[strings.LastIndex(td.TaskDefinitionARN, "/")+1:] && family == td.Family
	}
	return ref == td.Family
}

// SetAlarm puts the CloudWatch alarm called name in ALARM, or takes it out
// of ALARM. A service whose deployment configuration watches the alarm
// (deploymentConfiguration.alarms) fails its deployment while it is in
// ALARM, and rolls back if so configured.
func (e *ECS) SetAlarm(ctx context.Context, name string, inAlarm bool) {
	if e.usable() != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if inAlarm {
		e.alarms[name] = true
	} else {
		delete(e.alarms, name)
	}
	for _, cl := range slices.Sorted(maps.Keys(e.clusters)) {
		e.wakeAll(e.clusters[cl])
	}
}
