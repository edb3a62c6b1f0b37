package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// StopTask stops the task req.Task names (an ID or ARN) in the cluster
// req.Cluster names, with stop code UserInitiated and req.Reason ("Task
// stopped by user" when empty), and returns it. A RUNNING task goes DEACTIVATING
// → STOPPING → DEPROVISIONING → STOPPED on the virtual clock; one that
// has not reached RUNNING goes straight to DEPROVISIONING. Stopping a task
// that is stopping or stopped already changes nothing. A service replaces
// its tasks that a user stops.
func (e *ECS) StopTask(ctx context.Context, req *ecs.StopTaskRequest) (*ecs.StopTaskResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	t, err := e.stopTaskRef(ctx, req.Cluster, req.Task, req.Reason)
	if err != nil {
		return nil, err
	}
	return &ecs.StopTaskResponse{Task: t}, nil
}

// ListTasks returns the ARNs of the tasks of the cluster req.Cluster names
// that the request's filters select (a filter left empty selects every
// task; desiredStatus is RUNNING by default), in order, a page at a time. STOPPED tasks are listed with desired
// status STOPPED; ECS lists them for at least an hour after they stop,
// ecstest for as long as it runs.
func (e *ECS) ListTasks(ctx context.Context, req *ecs.ListTasksRequest) (*ecs.ListTasksResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.DaemonName != "" {
		return nil, invalidParameter("ecstest does not serve daemons: daemonName cannot be used.")
	}
	p, err := readPage("ListTasks", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.listTasks(ctx, req.Cluster, taskFilter{
		ContainerInstance: req.ContainerInstance, Family: req.Family, StartedBy: req.StartedBy,
		ServiceName: req.ServiceName, DesiredStatus: req.DesiredStatus, LaunchType: req.LaunchType,
	})
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &ecs.ListTasksResponse{TaskARNs: pg, NextToken: next}, nil
}

// DescribeTasks describes the tasks req.Tasks names (IDs or ARNs, 1 to
// 100) in the cluster req.Cluster names; those that do not exist are
// failures with reason MISSING. Their tags are left out unless req.Include
// asks for them.
func (e *ECS) DescribeTasks(ctx context.Context, req *ecs.DescribeTasksRequest) (*ecs.DescribeTasksResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	inc, err := includes(req.Include, ecs.TaskFieldTags)
	if err != nil {
		return nil, err
	}
	tasks, failures, err := e.describeTasks(ctx, req.Cluster, req.Tasks)
	if err != nil {
		return nil, err
	}
	if !inc[ecs.TaskFieldTags] {
		for i := range tasks {
			tasks[i].Tags = nil
		}
	}
	return &ecs.DescribeTasksResponse{Tasks: tasks, Failures: failures}, nil
}
