package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// attributesRequest is the request of PutAttributes and DeleteAttributes.
// TODO(apigen): replace with ecs.PutAttributesRequest and
// ecs.DeleteAttributesRequest once generated.
type attributesRequest struct {
	Cluster    string          `json:"cluster,omitempty"`
	Attributes []ecs.Attribute `json:"attributes"`
}

// attributesResponse is the response of PutAttributes and DeleteAttributes.
// TODO(apigen): replace with ecs.PutAttributesResponse and
// ecs.DeleteAttributesResponse once generated.
type attributesResponse struct {
	Attributes []ecs.Attribute `json:"attributes"`
}

// TODO(apigen): replace with ecs.ListAttributesRequest once generated.
type listAttributesRequest struct {
	Cluster        string `json:"cluster,omitempty"`
	TargetType     string `json:"targetType"`
	AttributeName  string `json:"attributeName,omitempty"`
	AttributeValue string `json:"attributeValue,omitempty"`
	NextToken      string `json:"nextToken,omitempty"`
	MaxResults     *int   `json:"maxResults,omitempty"`
}

// TODO(apigen): replace with ecs.ListAttributesResponse once generated.
type listAttributesResponse struct {
	Attributes []ecs.Attribute `json:"attributes"`
	NextToken  string          `json:"nextToken,omitempty"`
}

func putAttributes(ctx context.Context, e *ECS, req *attributesRequest) (any, error) {
	attrs, err := e.PutAttributes(ctx, req.Cluster, req.Attributes)
	if err != nil {
		return nil, err
	}
	return &attributesResponse{Attributes: attrs}, nil
}

func deleteAttributes(ctx context.Context, e *ECS, req *attributesRequest) (any, error) {
	attrs, err := e.DeleteAttributes(ctx, req.Cluster, req.Attributes)
	if err != nil {
		return nil, err
	}
	return &attributesResponse{Attributes: attrs}, nil
}

func listAttributes(ctx context.Context, e *ECS, req *listAttributesRequest) (any, error) {
	p, err := readPage("ListAttributes", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	attrs, err := e.ListAttributes(ctx, req.Cluster, req.TargetType, req.AttributeName, req.AttributeValue)
	if err != nil {
		return nil, err
	}
	key := func(a ecs.Attribute) string { return a.TargetID + "\x00" + a.Name }
	pg, next := page(p, attrs, key, false)
	return &listAttributesResponse{Attributes: pg, NextToken: next}, nil
}
