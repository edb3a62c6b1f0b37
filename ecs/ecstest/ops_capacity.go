package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// maxProvidersPage is the most capacity providers one page of
// describeCapacityProviders holds.
const maxProvidersPage = 10

// CreateCapacityProvider creates an Auto Scaling group capacity provider
// for a simulated group (CreateAutoScalingGroup) that no other provider
// uses. The provider is checked with capacity.ValidateProvider, and shown
// with the defaults of what it leaves out: managed scaling DISABLED with
// targetCapacity 100, steps of 1 to 10000 and a 300-second warm-up,
// managed termination protection DISABLED, managed draining ENABLED.
func (e *ECS) CreateCapacityProvider(ctx context.Context, req *ecs.CreateCapacityProviderRequest) (*ecs.CreateCapacityProviderResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	p, err := e.createCapacityProvider(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.CreateCapacityProviderResponse{CapacityProvider: p}, nil
}

// UpdateCapacityProvider changes the managed scaling, managed termination
// protection and managed draining of a capacity provider; members left
// out keep their values.
func (e *ECS) UpdateCapacityProvider(ctx context.Context, req *ecs.UpdateCapacityProviderRequest) (*ecs.UpdateCapacityProviderResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	p, err := e.updateCapacityProvider(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.UpdateCapacityProviderResponse{CapacityProvider: p}, nil
}

// DeleteCapacityProvider deletes a capacity provider that no cluster uses
// and returns it INACTIVE. Its group's instances stay as they are.
func (e *ECS) DeleteCapacityProvider(ctx context.Context, req *ecs.DeleteCapacityProviderRequest) (*ecs.DeleteCapacityProviderResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.CapacityProvider == "" {
		return nil, invalidParameter("capacityProvider is required.")
	}
	p, err := e.deleteCapacityProvider(ctx, req.CapacityProvider)
	if err != nil {
		return nil, err
	}
	return &ecs.DeleteCapacityProviderResponse{CapacityProvider: p}, nil
}

// DescribeCapacityProviders describes the capacity providers
// req.CapacityProviders names (names or ARNs), or all of them, FARGATE and
// FARGATE_SPOT first, a page of at most req.MaxResults (1 to 10, default
// 10) at a time, when it is empty; those that do not exist are failures
// with reason MISSING. Their tags are left out unless req.Include asks for
// them.
func (e *ECS) DescribeCapacityProviders(ctx context.Context, req *ecs.DescribeCapacityProvidersRequest) (*ecs.DescribeCapacityProvidersResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	inc, err := includes(req.Include, ecs.CapacityProviderFieldTags)
	if err != nil {
		return nil, err
	}
	if req.MaxResults != nil && (*req.MaxResults < 1 || *req.MaxResults > maxProvidersPage) {
		return nil, invalidParameter("maxResults must be from 1 to %d, not %d.", maxProvidersPage, *req.MaxResults)
	}
	size := maxProvidersPage
	if req.MaxResults != nil {
		size = *req.MaxResults
	}
	p, err := readPage("DescribeCapacityProviders", &size, req.NextToken)
	if err != nil {
		return nil, err
	}
	list, failures, err := e.describeCapacityProviders(ctx, req.CapacityProviders)
	if err != nil {
		return nil, err
	}
	if !inc[ecs.CapacityProviderFieldTags] {
		for i := range list {
			list[i].Tags = nil
		}
	}
	key := func(cp ecs.CapacityProvider) string { return cp.CapacityProviderARN }
	if len(req.CapacityProviders) > 0 {
		return &ecs.DescribeCapacityProvidersResponse{CapacityProviders: list, Failures: failures}, nil
	}
	pg, next := pageInOrder(p, list, key)
	return &ecs.DescribeCapacityProvidersResponse{CapacityProviders: pg, Failures: failures, NextToken: next}, nil
}

// PutClusterCapacityProviders sets the capacity providers of the cluster
// req.Cluster names and its default capacity provider strategy, replacing
// both. A provider left out must not be in use: no task that is not
// STOPPED runs on it and no service's strategy names it. An Auto Scaling
// group provider can belong to one cluster; once it does, its group's
// instances launch and join that cluster, and managed scaling evaluates
// it every minute.
func (e *ECS) PutClusterCapacityProviders(ctx context.Context, req *ecs.PutClusterCapacityProvidersRequest) (*ecs.PutClusterCapacityProvidersResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	c, err := e.putClusterCapacityProviders(ctx, req.Cluster, req.CapacityProviders, req.DefaultCapacityProviderStrategy)
	if err != nil {
		return nil, err
	}
	return &ecs.PutClusterCapacityProvidersResponse{Cluster: c}, nil
}
