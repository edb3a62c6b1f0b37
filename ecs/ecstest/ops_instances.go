package ecstest

import (
	"context"
	"encoding/json"

	"github.com/ecscore/ecscore/ecs"
)

// instanceIdentityDocument is what RegisterContainerInstance reads from
// the EC2 instance identity document.
type instanceIdentityDocument struct {
	AvailabilityZone string `json:"availabilityZone"`
	InstanceType     string `json:"instanceType"`
	InstanceID       string `json:"instanceId"`
}

// registerContainerInstance registers an instance with the zone and type
// of its ecs.availability-zone and ecs.instance-type attributes, else of
// its instance identity document.
func registerContainerInstance(ctx context.Context, e *ECS, req *ecs.RegisterContainerInstanceRequest) (any, error) {
	in := Instance{
		Attributes:           req.Attributes,
		TotalResources:       req.TotalResources,
		VersionInfo:          req.VersionInfo,
		Tags:                 req.Tags,
		ContainerInstanceARN: req.ContainerInstanceARN,
	}
	if req.InstanceIdentityDocument != "" {
		var doc instanceIdentityDocument
		if err := json.Unmarshal([]byte(req.InstanceIdentityDocument), &doc); err != nil {
			return nil, invalidParameter("instanceIdentityDocument is not an instance identity document: %v.", err)
		}
		in.EC2InstanceID = doc.InstanceID
		attrs, err := attributeMap(req.Attributes)
		if err != nil {
			return nil, err
		}
		if _, ok := attrs[ecs.AttrAvailabilityZone]; !ok {
			in.AvailabilityZone = doc.AvailabilityZone
		}
		if _, ok := attrs[ecs.AttrInstanceType]; !ok {
			in.InstanceType = doc.InstanceType
		}
	}
	ci, err := e.RegisterContainerInstance(ctx, req.Cluster, in)
	if err != nil {
		return nil, err
	}
	return &ecs.RegisterContainerInstanceResponse{ContainerInstance: ci}, nil
}

func deregisterContainerInstance(ctx context.Context, e *ECS, req *ecs.DeregisterContainerInstanceRequest) (any, error) {
	if req.ContainerInstance == "" {
		return nil, invalidParameter("containerInstance is required.")
	}
	ci, err := e.DeregisterContainerInstance(ctx, req.Cluster, req.ContainerInstance, req.Force != nil && *req.Force)
	if err != nil {
		return nil, err
	}
	return &ecs.DeregisterContainerInstanceResponse{ContainerInstance: ci}, nil
}

// listContainerInstances lists a cluster's container instances, those a
// filter selects when there is one.
func listContainerInstances(ctx context.Context, e *ECS, req *ecs.ListContainerInstancesRequest) (any, error) {
	p, err := readPage("ListContainerInstances", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.ListContainerInstances(ctx, req.Cluster, string(req.Status), req.Filter)
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &ecs.ListContainerInstancesResponse{ContainerInstanceARNs: pg, NextToken: next}, nil
}

// describeContainerInstances describes container instances; tags and
// health status are left out unless the request includes them.
func describeContainerInstances(ctx context.Context, e *ECS, req *ecs.DescribeContainerInstancesRequest) (any, error) {
	inc, err := includes(req.Include, ecs.ContainerInstanceFieldTags, ecs.ContainerInstanceFieldContainerInstanceHealth)
	if err != nil {
		return nil, err
	}
	list, failures, err := e.DescribeContainerInstances(ctx, req.Cluster, req.ContainerInstances)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if !inc[ecs.ContainerInstanceFieldTags] {
			list[i].Tags = nil
		}
		if !inc[ecs.ContainerInstanceFieldContainerInstanceHealth] {
			list[i].HealthStatus = nil
		}
	}
	return &ecs.DescribeContainerInstancesResponse{ContainerInstances: list, Failures: failures}, nil
}

func updateContainerInstancesState(ctx context.Context, e *ECS, req *ecs.UpdateContainerInstancesStateRequest) (any, error) {
	list, failures, err := e.UpdateContainerInstancesState(ctx, req.Cluster, req.ContainerInstances, string(req.Status))
	if err != nil {
		return nil, err
	}
	return &ecs.UpdateContainerInstancesStateResponse{ContainerInstances: list, Failures: failures}, nil
}
