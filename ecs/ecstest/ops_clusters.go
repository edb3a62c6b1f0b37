package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

func createCluster(ctx context.Context, e *ECS, req *ecs.CreateClusterRequest) (any, error) {
	var defaults *ecs.ClusterServiceConnectDefaults
	if d := req.ServiceConnectDefaults; d != nil {
		defaults = &ecs.ClusterServiceConnectDefaults{Namespace: d.Namespace}
	}
	c, err := e.CreateCluster(ctx, ecs.Cluster{
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

// describeClusters describes clusters with the optional parts the request
// includes: tags, settings, configuration, statistics and attachments are
// left out unless asked for.
func describeClusters(ctx context.Context, e *ECS, req *ecs.DescribeClustersRequest) (any, error) {
	inc, err := includes(req.Include, ecs.ClusterFieldAttachments, ecs.ClusterFieldConfigurations,
		ecs.ClusterFieldSettings, ecs.ClusterFieldStatistics, ecs.ClusterFieldTags)
	if err != nil {
		return nil, err
	}
	clusters, failures, err := e.DescribeClusters(ctx, req.Clusters)
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

func listClusters(ctx context.Context, e *ECS, req *ecs.ListClustersRequest) (any, error) {
	p, err := readPage("ListClusters", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.ListClusters(ctx)
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &ecs.ListClustersResponse{ClusterARNs: pg, NextToken: next}, nil
}

func deleteCluster(ctx context.Context, e *ECS, req *ecs.DeleteClusterRequest) (any, error) {
	if req.Cluster == "" {
		return nil, invalidParameter("cluster is required.")
	}
	c, err := e.DeleteCluster(ctx, req.Cluster)
	if err != nil {
		return nil, err
	}
	return &ecs.DeleteClusterResponse{Cluster: c}, nil
}
