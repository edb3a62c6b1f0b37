package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// CreateCluster creates the cluster req.ClusterName names ("default" when
// empty) with its tags, settings, configuration, capacity providers and
// default capacity provider strategy.
// As in ECS, creating a cluster that exists and is ACTIVE returns it
// unchanged, and creating one that was deleted makes a new, empty one.
func (e *ECS) CreateCluster(ctx context.Context, req *ecs.CreateClusterRequest) (*ecs.CreateClusterResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	var defaults *ecs.ClusterServiceConnectDefaults
	if d := req.ServiceConnectDefaults; d != nil {
		defaults = &ecs.ClusterServiceConnectDefaults{Namespace: d.Namespace}
	}
	c, err := e.createCluster(ctx, ecs.Cluster{
		ClusterName:                     req.ClusterName,
		Tags:                            req.Tags,
		Settings:                        req.Settings,
		Configuration:                   req.Configuration,
		CapacityProviders:               req.CapacityProviders,
		DefaultCapacityProviderStrategy: req.DefaultCapacityProviderStrategy,
		ServiceConnectDefaults:          defaults,
	})
	if err != nil {
		return nil, err
	}
	return &ecs.CreateClusterResponse{Cluster: c}, nil
}

// DescribeClusters describes the clusters req.Clusters names (names or
// ARNs; the default cluster when it is empty). Clusters that do not exist
// are reported as failures with reason MISSING; deleted ones are described
// with status INACTIVE. Tags, settings, configuration, statistics and
// attachments are left out unless req.Include asks for them.
func (e *ECS) DescribeClusters(ctx context.Context, req *ecs.DescribeClustersRequest) (*ecs.DescribeClustersResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	inc, err := includes(req.Include, ecs.ClusterFieldAttachments, ecs.ClusterFieldConfigurations,
		ecs.ClusterFieldSettings, ecs.ClusterFieldStatistics, ecs.ClusterFieldTags)
	if err != nil {
		return nil, err
	}
	clusters, failures, err := e.describeClusters(ctx, req.Clusters)
	if err != nil {
		return nil, err
	}
	for i := range clusters {
		c := &clusters[i]
		if !inc[ecs.ClusterFieldAttachments] {
			c.Attachments, c.AttachmentsStatus = nil, ""
		}
		if !inc[ecs.ClusterFieldConfigurations] {
			c.Configuration = nil
		}
		if !inc[ecs.ClusterFieldSettings] {
			c.Settings = nil
		}
		if !inc[ecs.ClusterFieldStatistics] {
			c.Statistics = nil
		}
		if !inc[ecs.ClusterFieldTags] {
			c.Tags = nil
		}
	}
	return &ecs.DescribeClustersResponse{Clusters: clusters, Failures: failures}, nil
}

// ListClusters returns the ARNs of the ACTIVE clusters, in order, a page at
// a time.
func (e *ECS) ListClusters(ctx context.Context, req *ecs.ListClustersRequest) (*ecs.ListClustersResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	p, err := readPage("ListClusters", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.listClusters(ctx)
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &ecs.ListClustersResponse{ClusterARNs: pg, NextToken: next}, nil
}

// DeleteCluster deletes the cluster req.Cluster names, which must have no ACTIVE or
// DRAINING container instances, no ACTIVE or DRAINING services and no
// tasks that are not STOPPED, and returns it with status INACTIVE.
func (e *ECS) DeleteCluster(ctx context.Context, req *ecs.DeleteClusterRequest) (*ecs.DeleteClusterResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.Cluster == "" {
		return nil, invalidParameter("cluster is required.")
	}
	c, err := e.deleteCluster(ctx, req.Cluster)
	if err != nil {
		return nil, err
	}
	return &ecs.DeleteClusterResponse{Cluster: c}, nil
}
