package ecstest

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/cql"
)

// TODO(apigen): replace with ecs.RegisterContainerInstanceRequest once generated.
type registerContainerInstanceRequest struct {
	Cluster                           string           `json:"cluster,omitempty"`
	InstanceIdentityDocument          string           `json:"instanceIdentityDocument,omitempty"`
	InstanceIdentityDocumentSignature string           `json:"instanceIdentityDocumentSignature,omitempty"`
	TotalResources                    []ecs.Resource   `json:"totalResources,omitempty"`
	VersionInfo                       *ecs.VersionInfo `json:"versionInfo,omitempty"`
	ContainerInstanceARN              string           `json:"containerInstanceArn,omitempty"`
	Attributes                        []ecs.Attribute  `json:"attributes,omitempty"`
	PlatformDevices                   []platformDevice `json:"platformDevices,omitempty"`
	Tags                              []ecs.Tag        `json:"tags,omitempty"`
}

// TODO(apigen): replace with ecs.PlatformDevice once generated.
type platformDevice struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// containerInstanceResponse is the response of RegisterContainerInstance
// and DeregisterContainerInstance.
// TODO(apigen): replace with ecs.RegisterContainerInstanceResponse and
// ecs.DeregisterContainerInstanceResponse once generated.
type containerInstanceResponse struct {
	ContainerInstance *ecs.ContainerInstance `json:"containerInstance,omitempty"`
}

// TODO(apigen): replace with ecs.DeregisterContainerInstanceRequest once generated.
type deregisterContainerInstanceRequest struct {
	Cluster           string `json:"cluster,omitempty"`
	ContainerInstance string `json:"containerInstance"`
	Force             *bool  `json:"force,omitempty"`
}

// TODO(apigen): replace with ecs.ListContainerInstancesRequest once generated.
type listContainerInstancesRequest struct {
	Cluster    string `json:"cluster,omitempty"`
	Filter     string `json:"filter,omitempty"`
	NextToken  string `json:"nextToken,omitempty"`
	MaxResults *int   `json:"maxResults,omitempty"`
	Status     string `json:"status,omitempty"`
}

// TODO(apigen): replace with ecs.ListContainerInstancesResponse once generated.
type listContainerInstancesResponse struct {
	ContainerInstanceARNs []string `json:"containerInstanceArns"`
	NextToken             string   `json:"nextToken,omitempty"`
}

// TODO(apigen): replace with ecs.DescribeContainerInstancesRequest once generated.
type describeContainerInstancesRequest struct {
	Cluster            string   `json:"cluster,omitempty"`
	ContainerInstances []string `json:"containerInstances"`
	Include            []string `json:"include,omitempty"`
}

// TODO(apigen): replace with ecs.UpdateContainerInstancesStateRequest once generated.
type updateContainerInstancesStateRequest struct {
	Cluster            string   `json:"cluster,omitempty"`
	ContainerInstances []string `json:"containerInstances"`
	Status             string   `json:"status"`
}

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
func registerContainerInstance(ctx context.Context, e *ECS, req *registerContainerInstanceRequest) (any, error) {
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
	return &containerInstanceResponse{ContainerInstance: ci}, nil
}

func deregisterContainerInstance(ctx context.Context, e *ECS, req *deregisterContainerInstanceRequest) (any, error) {
	if req.ContainerInstance == "" {
		return nil, invalidParameter("containerInstance is required.")
	}
	ci, err := e.DeregisterContainerInstance(ctx, req.Cluster, req.ContainerInstance, req.Force != nil && *req.Force)
	if err != nil {
		return nil, err
	}
	return &containerInstanceResponse{ContainerInstance: ci}, nil
}

// listContainerInstances lists a cluster's container instances. A filter
// is parsed, so that a wrong one gets the API's error, but not evaluated:
// that waits for the placement package's evaluator of the cluster query
// language.
func listContainerInstances(ctx context.Context, e *ECS, req *listContainerInstancesRequest) (any, error) {
	if req.Filter != "" {
		if len(req.Filter) > 2000 {
			return nil, invalidParameter("filter is longer than 2000 characters.")
		}
		if _, err := cql.Parse(req.Filter); err != nil {
			var ce *cql.Error
			if errors.As(err, &ce) {
				return nil, invalidParameter("filter: %v.", ce)
			}
			return nil, invalidParameter("filter: %v.", err)
		}
		// TODO(placement): evaluate the filter with the placement package.
		return nil, apiErrorf(ecs.UnsupportedFeatureException, nil,
			"ecstest does not evaluate ListContainerInstances filters yet: it needs the placement package's cluster query language evaluator.")
	}
	p, err := readPage("ListContainerInstances", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.ListContainerInstances(ctx, req.Cluster, req.Status)
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &listContainerInstancesResponse{ContainerInstanceARNs: pg, NextToken: next}, nil
}

// describeContainerInstances describes container instances; tags and
// health status are left out unless the request includes them.
func describeContainerInstances(ctx context.Context, e *ECS, req *describeContainerInstancesRequest) (any, error) {
	inc, err := includes(req.Include, "TAGS", "CONTAINER_INSTANCE_HEALTH")
	if err != nil {
		return nil, err
	}
	list, failures, err := e.DescribeContainerInstances(ctx, req.Cluster, req.ContainerInstances)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if !inc["TAGS"] {
			list[i].Tags = nil
		}
		if !inc["CONTAINER_INSTANCE_HEALTH"] {
			list[i].HealthStatus = nil
		}
	}
	return &ecs.DescribeContainerInstancesResponse{ContainerInstances: list, Failures: failures}, nil
}

// updateContainerInstancesState answers with the shape of
// UpdateContainerInstancesStateResponse, whose members are those of
// DescribeContainerInstancesResponse.
// TODO(apigen): use ecs.UpdateContainerInstancesStateResponse once generated.
func updateContainerInstancesState(ctx context.Context, e *ECS, req *updateContainerInstancesStateRequest) (any, error) {
	list, failures, err := e.UpdateContainerInstancesState(ctx, req.Cluster, req.ContainerInstances, req.Status)
	if err != nil {
		return nil, err
	}
	return &ecs.DescribeContainerInstancesResponse{ContainerInstances: list, Failures: failures}, nil
}
