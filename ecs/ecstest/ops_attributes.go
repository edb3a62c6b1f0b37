package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// PutAttributes sets attributes on the container instances they target
// (targetId, an ID or ARN) in the cluster req.Cluster names, replacing those of
// the same name, and returns them. Either every attribute is set or none:
// a target that does not exist gives a TargetNotFoundException, and more
// than 10 custom attributes on one instance an
// AttributeLimitExceededException.
func (e *ECS) PutAttributes(ctx context.Context, req *ecs.PutAttributesRequest) (*ecs.PutAttributesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	attrs, err := e.putAttributes(ctx, req.Cluster, req.Attributes)
	if err != nil {
		return nil, err
	}
	return &ecs.PutAttributesResponse{Attributes: attrs}, nil
}

// DeleteAttributes removes the named attributes from the container
// instances they target and returns them. Either every attribute is removed
// or none; a target that does not exist gives a TargetNotFoundException.
func (e *ECS) DeleteAttributes(ctx context.Context, req *ecs.DeleteAttributesRequest) (*ecs.DeleteAttributesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	attrs, err := e.deleteAttributes(ctx, req.Cluster, req.Attributes)
	if err != nil {
		return nil, err
	}
	return &ecs.DeleteAttributesResponse{Attributes: attrs}, nil
}

// ListAttributes returns the attributes of the cluster's ACTIVE and
// DRAINING container instances, each with its target, filtered by name
// and then value when they are not "", by target ARN and then name, a page
// at a time.
func (e *ECS) ListAttributes(ctx context.Context, req *ecs.ListAttributesRequest) (*ecs.ListAttributesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	p, err := readPage("ListAttributes", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	attrs, err := e.listAttributes(ctx, req.Cluster, string(req.TargetType), req.AttributeName, req.AttributeValue)
	if err != nil {
		return nil, err
	}
	key := func(a ecs.Attribute) string { return a.TargetID + "\x00" + a.Name }
	pg, next := page(p, attrs, key, false)
	return &ecs.ListAttributesResponse{Attributes: pg, NextToken: next}, nil
}
