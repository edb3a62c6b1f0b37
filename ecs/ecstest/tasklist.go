package ecstest

import (
	"context"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/ecscore/ecscore/ecs"
)

// maxStopReason is the longest stoppedReason StopTask takes.
const maxStopReason = 1024

// stopTaskRef is StopTask with the request's members as arguments.
func (e *ECS) stopTaskRef(ctx context.Context, cluster, ref, reason string) (*ecs.Task, error) {
	if ref == "" {
		return nil, invalidParameter("task is required.")
	}
	if utf8.RuneCountInString(reason) > maxStopReason {
		return nil, invalidParameter("reason must be at most %d characters.", maxStopReason)
	}
	if reason == "" {
		reason = "Task stopped by user"
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tk, err := e.findTask(cluster, ref)
	if err != nil {
		return nil, err
	}
	e.stopTask(tk, ecs.TaskStopCodeUserInitiated, reason)
	return cloneTask(&tk.t), nil
}

// taskFilter selects tasks for listTasks; a member left empty selects
// every task.
type taskFilter struct {
	// ContainerInstance is the ID or ARN of the instance the tasks run
	// on.
	ContainerInstance string
	// Family is the family of the tasks' task definition. It cannot be
	// given with ServiceName.
	Family string
	// StartedBy is the tasks' startedBy.
	StartedBy string
	// ServiceName is the service the tasks belong to.
	ServiceName string
	// DesiredStatus is RUNNING (the default), PENDING or STOPPED.
	DesiredStatus ecs.DesiredStatus
	// LaunchType is the tasks' launch type.
	LaunchType ecs.LaunchType
}

// listTasks is ListTasks with the request's members as arguments.
func (e *ECS) listTasks(ctx context.Context, ref string, f taskFilter) ([]string, error) {
	if f.Family != "" && f.ServiceName != "" {
		return nil, invalidParameter("family and serviceName cannot both be specified.")
	}
	if err := checkTaskFilter(f); err != nil {
		return nil, err
	}
	switch f.DesiredStatus {
	case "":
		f.DesiredStatus = ecs.DesiredStatusRunning
	case ecs.DesiredStatusRunning, ecs.DesiredStatusPending, ecs.DesiredStatusStopped:
	default:
		return nil, invalidParameter("desiredStatus %q is not valid: use RUNNING, PENDING or STOPPED.", f.DesiredStatus)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(ref)
	if err != nil {
		return nil, err
	}
	instARN := ""
	if f.ContainerInstance != "" {
		id, ok := e.arns.containerInstanceID(cl.info.ClusterName, f.ContainerInstance)
		inst := cl.instances[id]
		if !ok || inst == nil {
			return nil, invalidParameter("The referenced container instance %s was not found in cluster %s.", f.ContainerInstance, cl.info.ClusterName)
		}
		instARN = inst.ci.ContainerInstanceARN
	}
	if f.ServiceName != "" { // ListTasks answers ServiceNotFoundException for a service the cluster never had
		if _, err := e.service(cl, f.ServiceName); err != nil {
			return nil, err
		}
	}
	arns := []string{}
	for _, tk := range cl.tasks {
		t := &tk.t
		if (instARN == "" || t.ContainerInstanceARN == instARN) &&
			(f.Family == "" || tk.td.Family == f.Family) &&
			(f.StartedBy == "" || t.StartedBy == f.StartedBy) &&
			(f.ServiceName == "" || t.Group == ecs.ServiceGroup(f.ServiceName)) &&
			(f.LaunchType == "" || t.LaunchType == f.LaunchType) &&
			t.DesiredStatus == f.DesiredStatus {
			arns = append(arns, t.TaskARN)
		}
	}
	slices.Sort(arns)
	return arns, nil
}

// describeTasks is DescribeTasks with the request's members as arguments.
func (e *ECS) describeTasks(ctx context.Context, cluster string, refs []string) ([]ecs.Task, []ecs.Failure, error) {
	if len(refs) == 0 || len(refs) > maxDescribe {
		return nil, nil, invalidParameter("tasks must have 1 to %d items.", maxDescribe)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, nil, err
	}
	out := []ecs.Task{}
	failures := []ecs.Failure{}
	for _, ref := range refs {
		id, ok := e.arns.taskID(cl.info.ClusterName, ref)
		tk := cl.tasks[id]
		if !ok || tk == nil {
			arn := ref
			if ok {
				arn = e.arns.task(cl.info.ClusterName, id)
			}
			failures = append(failures, ecs.Failure{ARN: arn, Reason: "MISSING"})
			continue
		}
		out = append(out, *cloneTask(&tk.t))
	}
	return out, failures, nil
}

// Tasks returns every task of the cluster ref names, STOPPED ones
// included, in order of ARN: the state a test checks.
func (e *ECS) Tasks(ctx context.Context, ref string) ([]ecs.Task, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(ref)
	if err != nil {
		return nil, err
	}
	out := make([]ecs.Task, 0, len(cl.tasks))
	for _, id := range slices.Sorted(maps.Keys(cl.tasks)) { // the order of their ARNs
		out = append(out, *cloneTask(&cl.tasks[id].t))
	}
	return out, nil
}
