package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// maxProvidersPage is the most capacity providers one page of
// DescribeCapacityProviders holds.
const maxProvidersPage = 10

func createCapacityProvider(ctx context.Context, e *ECS, req *ecs.CreateCapacityProviderRequest) (any, error) {
	p, err := e.CreateCapacityProvider(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.CreateCapacityProviderResponse{CapacityProvider: p}, nil
}

func updateCapacityProvider(ctx context.Context, e *ECS, req *ecs.UpdateCapacityProviderRequest) (any, error) {
	p, err := e.UpdateCapacityProvider(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.UpdateCapacityProviderResponse{CapacityProvider: p}, nil
}

func deleteCapacityProvider(ctx context.Context, e *ECS, req *ecs.DeleteCapacityProviderRequest) (any, error) {
	if req.CapacityProvider == "" {
		return nil, invalidParameter("capacityProvider is required.")
	}
	p, err := e.DeleteCapacityProvider(ctx, req.CapacityProvider)
	if err != nil {
		return nil, err
	}
	return &ecs.DeleteCapacityProviderResponse{CapacityProvider: p}, nil
}

// describeCapacityProviders describes capacity providers, a page of at
// most maxResults (1 to 10, default 10) at a time; their tags are left out
// unless the request includes them.
func describeCapacityProviders(ctx context.Context, e *ECS, req *ecs.DescribeCapacityProvidersRequest) (any, error) {
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
	list, failures, err := e.DescribeCapacityProviders(ctx, req.CapacityProviders)
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

func putClusterCapacityProviders(ctx context.Context, e *ECS, req *ecs.PutClusterCapacityProvidersRequest) (any, error) {
	c, err := e.PutClusterCapacityProviders(ctx, req.Cluster, req.CapacityProviders, req.DefaultCapacityProviderStrategy)
	if err != nil {
		return nil, err
	}
	return &ecs.PutClusterCapacityProvidersResponse{Cluster: c}, nil
}
