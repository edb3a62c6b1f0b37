package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

func createService(ctx context.Context, e *ECS, req *ecs.CreateServiceRequest) (any, error) {
	svc, err := e.CreateService(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.CreateServiceResponse{Service: svc}, nil
}

func updateService(ctx context.Context, e *ECS, req *ecs.UpdateServiceRequest) (any, error) {
	svc, err := e.UpdateService(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.UpdateServiceResponse{Service: svc}, nil
}

func deleteService(ctx context.Context, e *ECS, req *ecs.DeleteServiceRequest) (any, error) {
	svc, err := e.DeleteService(ctx, req.Cluster, req.Service, req.Force != nil && *req.Force)
	if err != nil {
		return nil, err
	}
	return &ecs.DeleteServiceResponse{Service: svc}, nil
}

// describeServices describes services; their tags are left out unless
// the request includes them.
func describeServices(ctx context.Context, e *ECS, req *ecs.DescribeServicesRequest) (any, error) {
	inc, err := includes(req.Include, ecs.ServiceFieldTags)
	if err != nil {
		return nil, err
	}
	list, failures, err := e.DescribeServices(ctx, req.Cluster, req.Services)
	if err != nil {
		return nil, err
	}
	if !inc[ecs.ServiceFieldTags] {
		for i := range list {
			list[i].Tags = nil
		}
	}
	return &ecs.DescribeServicesResponse{Services: list, Failures: failures}, nil
}

func listServices(ctx context.Context, e *ECS, req *ecs.ListServicesRequest) (any, error) {
	p, err := readPage("ListServices", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.ListServices(ctx, req.Cluster, req.LaunchType, req.SchedulingStrategy)
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &ecs.ListServicesResponse{ServiceARNs: pg, NextToken: next}, nil
}
