package ecstest

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Task scale-in protection (the developer guide's "Protect your Amazon ECS
// tasks from being terminated by scale-in events").
const (
	// defaultProtection is how long a task is protected when
	// UpdateTaskProtection gives no expiresInMinutes.
	defaultProtection = 120
	// maxProtection is the longest protection, 48 hours, in minutes.
	maxProtection = 2880
	// maxUpdateProtection and maxGetProtection are the most tasks one
	// UpdateTaskProtection and one GetTaskProtection call name.
	maxUpdateProtection = 10
	maxGetProtection    = 100
)

// Failure reasons of task protection (the developer guide's "API failure
// reasons").
const (
	reasonMissing      = "MISSING"
	reasonTaskNotValid = "TASK_NOT_VALID"
)

// UpdateTaskProtection protects the tasks req names (1 to 10, IDs or
// ARNs, of services of the cluster req.Cluster names) from scale-in for
// req.ExpiresInMinutes (1 to 2880, default 120) from now, or ends their
// protection when req.ProtectionEnabled is false. Protecting a protected
// task again starts its period again. While a task is protected its
// service's scheduler does not choose it to stop, neither to scale in nor
// to replace it in a deployment, which then waits for it (see
// deploy.StopFilter); when the protection ends the scheduler looks again.
// A task that does not exist is a failure with reason MISSING; one that
// no service started, or that is stopping, is TASK_NOT_VALID, as the API
// reference says of a standalone task.
func (e *ECS) UpdateTaskProtection(ctx context.Context, req *ecs.UpdateTaskProtectionRequest) (*ecs.UpdateTaskProtectionResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.Cluster == "" {
		return nil, invalidParameter("cluster is required.")
	}
	if len(req.Tasks) == 0 || len(req.Tasks) > maxUpdateProtection {
		return nil, invalidParameter("tasks must have 1 to %d items.", maxUpdateProtection)
	}
	minutes := defaultProtection
	if req.ExpiresInMinutes != nil && req.ProtectionEnabled {
		minutes = *req.ExpiresInMinutes
		if minutes < 1 || minutes > maxProtection {
			return nil, invalidParameter("expiresInMinutes must be from 1 to %d, not %d.", maxProtection, minutes)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(req.Cluster)
	if err != nil {
		return nil, err
	}
	resp := &ecs.UpdateTaskProtectionResponse{ProtectedTasks: []ecs.ProtectedTask{}, Failures: []ecs.Failure{}}
	now := e.clock.Now()
	for _, ref := range req.Tasks {
		tk, failure := e.protectable(cl, ref)
		if tk == nil {
			resp.Failures = append(resp.Failures, failure)
			continue
		}
		arn := tk.t.TaskARN
		if !req.ProtectionEnabled {
			delete(e.protected, arn)
			e.wake(tk.svc, now) // it may go now
		} else {
			until := now.Add(time.Duration(minutes) * time.Minute)
			if e.protected == nil {
				e.protected = map[string]time.Time{}
			}
			e.protected[arn] = until
			e.clock.AfterFunc(until.Sub(now), func() { e.unprotect(tk, until) })
		}
		resp.ProtectedTasks = append(resp.ProtectedTasks, e.protectionOf(arn))
	}
	return resp, nil
}

// GetTaskProtection returns the protection of the tasks req names (IDs or
// ARNs, at most 100) in the cluster req.Cluster names, or of every task
// of the cluster that is protected when it names none. Failures are
// UpdateTaskProtection's.
func (e *ECS) GetTaskProtection(ctx context.Context, req *ecs.GetTaskProtectionRequest) (*ecs.GetTaskProtectionResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.Cluster == "" {
		return nil, invalidParameter("cluster is required.")
	}
	if len(req.Tasks) > maxGetProtection {
		return nil, invalidParameter("tasks can have at most %d items.", maxGetProtection)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(req.Cluster)
	if err != nil {
		return nil, err
	}
	resp := &ecs.GetTaskProtectionResponse{ProtectedTasks: []ecs.ProtectedTask{}, Failures: []ecs.Failure{}}
	refs := req.Tasks
	if len(refs) == 0 {
		for _, arn := range slices.Sorted(maps.Keys(e.protected)) {
			if id, ok := e.arns.taskID(cl.info.ClusterName, arn); ok && cl.tasks[id] != nil && e.protectedNow(arn) {
				refs = append(refs, arn)
			}
		}
	}
	for _, ref := range refs {
		tk, failure := e.protectable(cl, ref)
		if tk == nil {
			resp.Failures = append(resp.Failures, failure)
			continue
		}
		resp.ProtectedTasks = append(resp.ProtectedTasks, e.protectionOf(tk.t.TaskARN))
	}
	return resp, nil
}

// protectable returns the task of cl ref names if it can be protected: a
// task of a service, not asked to stop. Otherwise it returns the failure.
// e.mu must be held.
func (e *ECS) protectable(cl *cluster, ref string) (*task, ecs.Failure) {
	id, ok := e.arns.taskID(cl.info.ClusterName, ref)
	tk := cl.tasks[id]
	switch {
	case !ok || tk == nil:
		arn := ref
		if ok {
			arn = e.arns.task(cl.info.ClusterName, id)
		}
		return nil, ecs.Failure{ARN: arn, Reason: reasonMissing, Detail: "The task was not found."}
	case tk.svc == nil:
		return nil, ecs.Failure{ARN: tk.t.TaskARN, Reason: reasonTaskNotValid,
			Detail: "Task protection is only for the tasks of a service; this task was started on its own."}
	case tk.stopping() || tk.stopped():
		return nil, ecs.Failure{ARN: tk.t.TaskARN, Reason: reasonTaskNotValid, Detail: "The task is stopping or stopped."}
	}
	return tk, ecs.Failure{}
}

// protectionOf returns the protection of the task arn now. e.mu must be
// held.
func (e *ECS) protectionOf(arn string) ecs.ProtectedTask {
	pt := ecs.ProtectedTask{TaskARN: arn}
	if e.protectedNow(arn) {
		pt.ProtectionEnabled, pt.ExpirationDate = true, ecs.NewTime(e.protected[arn])
	}
	return pt
}

// protectedNow reports whether the task arn is protected from scale-in
// now. e.mu must be held.
func (e *ECS) protectedNow(arn string) bool {
	until, ok := e.protected[arn]
	return ok && e.clock.Now().Before(until)
}

// unprotect ends the protection of tk that was to last until until,
// unless it was given again since, and has its service look again.
func (e *ECS) unprotect(tk *task, until time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if cur, ok := e.protected[tk.t.TaskARN]; !ok || !cur.Equal(until) {
		return
	}
	delete(e.protected, tk.t.TaskARN)
	e.wake(tk.svc, e.clock.Now())
}

// Keep reports whether the service's scheduler must not choose the task
// to stop: it is protected from scale-in (deploy.StopFilter).
func (p *servicePlacer) Keep(taskARN string) bool { return p.e.protectedNow(taskARN) }
