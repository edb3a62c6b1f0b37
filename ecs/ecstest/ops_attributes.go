package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

func putAttributes(ctx context.Context, e *ECS, req *ecs.PutAttributesRequest) (any, error) {
	attrs, err := e.PutAttributes(ctx, req.Cluster, req.Attributes)
	if err != nil {
		return nil, err
	}
	return &ecs.PutAttributesResponse{Attributes: attrs}, nil
}

func deleteAttributes(ctx context.Context, e *ECS, req *ecs.DeleteAttributesRequest) (any, error) {
	attrs, err := e.DeleteAttributes(ctx, req.Cluster, req.Attributes)
	if err != nil {
		return nil, err
	}
	return &ecs.DeleteAttributesResponse{Attributes: attrs}, nil
}

func listAttributes(ctx context.Context, e *ECS, req *ecs.ListAttributesRequest) (any, error) {
	p, err := readPage("ListAttributes", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	attrs, err := e.ListAttributes(ctx, req.Cluster, string(req.TargetType), req.AttributeName, req.AttributeValue)
	if err != nil {
		return nil, err
	}
	key := func(a ecs.Attribute) string { return a.TargetID + "\x00" + a.Name }
	pg, next := page(p, attrs, key, false)
	return &ecs.ListAttributesResponse{Attributes: pg, NextToken: next}, nil
}
