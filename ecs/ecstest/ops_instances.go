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

// RegisterContainerInstance registers an instance with the cluster
// req.Cluster names ("" for the default cluster), as its agent does, and
// returns the container instance: status ACTIVE,
// version 1, its ARN in the long format with an ID derived from the seed,
// its registered resources (also its remaining ones: no task runs yet),
// and its attributes. The cluster's services are scheduled again, as the
// new instance may take tasks they could not place. With
// req.ContainerInstanceARN set it re-registers that instance instead,
// keeping its ID and the attributes set with PutAttributes. The instance's
// zone and type are those of its ecs.availability-zone and
// ecs.instance-type attributes, else of its instance identity document;
// LaunchInstance registers one of an instance type of the catalogue.
func (e *ECS) RegisterContainerInstance(ctx context.Context, req *ecs.RegisterContainerInstanceRequest) (*ecs.RegisterContainerInstanceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
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
	ci, err := e.LaunchInstance(ctx, req.Cluster, in)
	if err != nil {
		return nil, err
	}
	return &ecs.RegisterContainerInstanceResponse{ContainerInstance: ci}, nil
}

// DeregisterContainerInstance deregisters the container instance
// req.ContainerInstance names (an ID or ARN) from the cluster req.Cluster
// names and returns it with status
// INACTIVE. It stays describable. An instance that still has tasks that
// are not STOPPED is refused unless req.Force is set; with it its tasks
// are orphaned, as in ECS: they keep running where they are, unmanaged,
// and the services they belong to replace them elsewhere.
func (e *ECS) DeregisterContainerInstance(ctx context.Context, req *ecs.DeregisterContainerInstanceRequest) (*ecs.DeregisterContainerInstanceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.ContainerInstance == "" {
		return nil, invalidParameter("containerInstance is required.")
	}
	ci, err := e.deregisterContainerInstance(ctx, req.Cluster, req.ContainerInstance, req.Force != nil && *req.Force)
	if err != nil {
		return nil, err
	}
	return &ecs.DeregisterContainerInstanceResponse{ContainerInstance: ci}, nil
}

// ListContainerInstances returns the ARNs of the container instances of
// the cluster req.Cluster names that have req.Status, or of every one that
// is not INACTIVE when it is "", in order, a page at a time. A filter, when not "", is a
// cluster query language expression (rule 96) that the instances listed
// must also satisfy, evaluated by the placement package
// (placement.Snapshot.Match) on the cluster as it is now: attributes,
// ec2InstanceId, agentConnected, agentVersion, registeredAt,
// runningTasksCount and task:group (the groups of the tasks on the
// instance that are not STOPPED and not stopping). One that does not
// parse is an InvalidParameterException.
func (e *ECS) ListContainerInstances(ctx context.Context, req *ecs.ListContainerInstancesRequest) (*ecs.ListContainerInstancesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	p, err := readPage("ListContainerInstances", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.listContainerInstances(ctx, req.Cluster, string(req.Status), req.Filter)
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &ecs.ListContainerInstancesResponse{ContainerInstanceARNs: pg, NextToken: next}, nil
}

// DescribeContainerInstances describes the container instances
// req.ContainerInstances names (IDs or ARNs) in the cluster req.Cluster
// names; those that do not exist are failures with reason MISSING. Tags
// and health status are left out unless req.Include asks for them.
func (e *ECS) DescribeContainerInstances(ctx context.Context, req *ecs.DescribeContainerInstancesRequest) (*ecs.DescribeContainerInstancesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	inc, err := includes(req.Include, ecs.ContainerInstanceFieldTags, ecs.ContainerInstanceFieldContainerInstanceHealth)
	if err != nil {
		return nil, err
	}
	list, failures, err := e.describeContainerInstances(ctx, req.Cluster, req.ContainerInstances)
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

// UpdateContainerInstancesState sets the container instances
// req.ContainerInstances names to req.Status, ACTIVE or DRAINING, and returns them; those that do not exist
// are failures with reason MISSING, and deregistered ones with INACTIVE.
// An instance's version moves on only when its status changes. Draining
// has the services' schedulers stop the instance's PENDING service tasks
// and replace its RUNNING ones within their deployment configuration;
// standalone tasks are left alone.
func (e *ECS) UpdateContainerInstancesState(ctx context.Context, req *ecs.UpdateContainerInstancesStateRequest) (*ecs.UpdateContainerInstancesStateResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	list, failures, err := e.updateContainerInstancesState(ctx, req.Cluster, req.ContainerInstances, string(req.Status))
	if err != nil {
		return nil, err
	}
	return &ecs.UpdateContainerInstancesStateResponse{ContainerInstances: list, Failures: failures}, nil
}
