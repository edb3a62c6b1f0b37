package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// CreateService creates a service and starts its scheduler, the deploy
// package's, which places and starts its tasks on the virtual clock: the
// first step runs when the clock next runs (at once at a positive speed,
// on the next Advance at speed 0). The request is checked as the API
// checks it, with deploy.ValidateService and placement.ValidatePlacement.
// The ECS deployment controller runs ROLLING, BLUE_GREEN, LINEAR and
// CANARY deployments, with the service's load balancers' target groups
// simulated (loadbalancers.go); the EXTERNAL and CODE_DEPLOY controllers
// run task sets (tasksets.go).
func (e *ECS) CreateService(ctx context.Context, req *ecs.CreateServiceRequest) (*ecs.CreateServiceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	svc, err := e.createService(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.CreateServiceResponse{Service: svc}, nil
}

// UpdateService changes a service. A new task definition, a forced new
// deployment, or a change of where or how tasks run (capacity provider
// strategy, network configuration, placement, platform version) starts a
// new deployment (deploy.StartDeployment), which the scheduler rolls out
// within the deployment configuration; a new desired count alone scales
// the current one.
func (e *ECS) UpdateService(ctx context.Context, req *ecs.UpdateServiceRequest) (*ecs.UpdateServiceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	svc, err := e.updateService(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.UpdateServiceResponse{Service: svc}, nil
}

// DeleteService deletes a service: it goes DRAINING, its tasks are
// stopped, and once they all are STOPPED it is INACTIVE (still
// describable). A REPLICA service scaled above 0 is refused unless force
// is set.
func (e *ECS) DeleteService(ctx context.Context, req *ecs.DeleteServiceRequest) (*ecs.DeleteServiceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	svc, err := e.deleteService(ctx, req.Cluster, req.Service, req.Force != nil && *req.Force)
	if err != nil {
		return nil, err
	}
	return &ecs.DeleteServiceResponse{Service: svc}, nil
}

// DescribeServices describes the services req.Services names (names or
// ARNs, 1 to 10) in the cluster req.Cluster names, INACTIVE ones included;
// those that do not exist are failures with reason MISSING. Their tags are
// left out unless req.Include asks for them.
func (e *ECS) DescribeServices(ctx context.Context, req *ecs.DescribeServicesRequest) (*ecs.DescribeServicesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	inc, err := includes(req.Include, ecs.ServiceFieldTags)
	if err != nil {
		return nil, err
	}
	list, failures, err := e.describeServices(ctx, req.Cluster, req.Services)
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

// ListServices returns the ARNs of the cluster's ACTIVE services of the
// launch type and scheduling strategy given ("" for any), in order.
func (e *ECS) ListServices(ctx context.Context, req *ecs.ListServicesRequest) (*ecs.ListServicesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	p, err := readPage("ListServices", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.listServices(ctx, req.Cluster, req.LaunchType, req.SchedulingStrategy)
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &ecs.ListServicesResponse{ServiceARNs: pg, NextToken: next}, nil
}
