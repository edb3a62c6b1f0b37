package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

func runTask(ctx context.Context, e *ECS, req *ecs.RunTaskRequest) (any, error) {
	return e.RunTask(ctx, req)
}

func startTask(ctx context.Context, e *ECS, req *ecs.StartTaskRequest) (any, error) {
	return e.StartTask(ctx, req)
}

func stopTask(ctx context.Context, e *ECS, req *ecs.StopTaskRequest) (any, error) {
	t, err := e.StopTask(ctx, req.Cluster, req.Task, req.Reason)
	if err != nil {
		return nil, err
	}
	return &ecs.StopTaskResponse{Task: t}, nil
}

func listTasks(ctx context.Context, e *ECS, req *ecs.ListTasksRequest) (any, error) {
	if req.DaemonName != "" {
		return nil, invalidParameter("ecstest does not serve daemons: daemonName cannot be used.")
	}
	p, err := readPage("ListTasks", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.ListTasks(ctx, req.Cluster, TaskFilter{
		ContainerInstance: req.ContainerInstance, Family: req.Family, StartedBy: req.StartedBy,
		ServiceName: req.ServiceName, DesiredStatus: req.DesiredStatus, LaunchType: req.LaunchType,
	})
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &ecs.ListTasksResponse{TaskARNs: pg, NextToken: next}, nil
}

// describeTasks describes tasks; their tags are left out unless the
// request includes them.
func describeTasks(ctx context.Context, e *ECS, req *ecs.DescribeTasksRequest) (any, error) {
	inc, err := includes(req.Include, ecs.TaskFieldTags)
	if err != nil {
		return nil, err
	}
	tasks, failures, err := e.DescribeTasks(ctx, req.Cluster, req.Tasks)
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
