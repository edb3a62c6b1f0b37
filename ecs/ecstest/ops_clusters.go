package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// TODO(apigen): replace with ecs.CreateClusterRequest once generated.
type createClusterRequest struct {
	ClusterName                     string                             `json:"clusterName,omitempty"`
	Tags                            []ecs.Tag                          `json:"tags,omitempty"`
	Settings                        []ecs.ClusterSetting               `json:"settings,omitempty"`
	Configuration                   *ecs.ClusterConfiguration          `json:"configuration,omitempty"`
	CapacityProviders               []string                           `json:"capacityProviders,omitempty"`
	DefaultCapacityProviderStrategy []ecs.CapacityProviderStrategyItem `json:"defaultCapacityProviderStrategy,omitempty"`
	ServiceConnectDefaults          *ecs.ClusterServiceConnectDefaults `json:"serviceConnectDefaults,omitempty"`
}

// clusterResponse is the response of CreateCluster and DeleteCluster.
// TODO(apigen): replace with ecs.CreateClusterResponse and
// ecs.DeleteClusterResponse once generated.
type clusterResponse struct {
	Cluster *ecs.Cluster `json:"cluster,omitempty"`
}

// TODO(apigen): replace with ecs.DescribeClustersRequest once generated.
type describeClustersRequest struct {
	Clusters []string `json:"clusters,omitempty"`
	Include  []string `json:"include,omitempty"`
}

// TODO(apigen): replace with ecs.DescribeClustersResponse once generated.
type describeClustersResponse struct {
	Clusters []ecs.Cluster `json:"clusters"`
	Failures []ecs.Failure `json:"failures"`
}

// TODO(apigen): replace with ecs.ListClustersRequest once generated.
type listClustersRequest struct {
	NextToken  string `json:"nextToken,omitempty"`
	MaxResults *int   `json:"maxResults,omitempty"`
}

// TODO(apigen): replace with ecs.ListClustersResponse once generated.
type listClustersResponse struct {
	ClusterARNs []string `json:"clusterArns"`
	NextToken   string   `json:"nextToken,omitempty"`
}

// TODO(apigen): replace with ecs.DeleteClusterRequest once generated.
type deleteClusterRequest struct {
	Cluster string `json:"cluster"`
}

func createCluster(ctx context.Context, e *ECS, req *createClusterRequest) (any, error) {
	c, err := e.CreateCluster(ctx, ecs.Cluster{
		ClusterName:                     req.ClusterName,
		Tags:                            req.Tags,
		Settings:                        req.Settings,
		Configuration:                   req.Configuration,
		CapacityProviders:               req.CapacityProviders,
		DefaultCapacityProviderStrategy: req.DefaultCapacityProviderStrategy,
		ServiceConnectDefaults:          req.ServiceConnectDefaults,
	})
	if err != nil {
		return nil, err
	}
	return &clusterResponse{Cluster: c}, nil
}

// describeClusters describes clusters with the optional parts the request
// includes: tags, settings, configuration, statistics and attachments are
// left out unless asked for.
func describeClusters(ctx context.Context, e *ECS, req *describeClustersRequest) (any, error) {
	inc, err := includes(req.Include, "ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS")
	if err != nil {
		return nil, err
	}
	clusters, failures, err := e.DescribeClusters(ctx, req.Clusters)
	if err != nil {
		return nil, err
	}
	for i := range clusters {
		c := &clusters[i]
		if !inc["ATTACHMENTS"] {
			c.Attachments, c.AttachmentsStatus = nil, ""
		}
		if !inc["CONFIGURATIONS"] {
			c.Configuration = nil
		}
		if !inc["SETTINGS"] {
			c.Settings = nil
		}
		if !inc["STATISTICS"] {
			c.Statistics = nil
		}
		if !inc["TAGS"] {
			c.Tags = nil
		}
	}
	return &describeClustersResponse{Clusters: clusters, Failures: failures}, nil
}

func listClusters(ctx context.Context, e *ECS, req *listClustersRequest) (any, error) {
	p, err := readPage("ListClusters", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	arns, err := e.ListClusters(ctx)
	if err != nil {
		return nil, err
	}
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &listClustersResponse{ClusterARNs: pg, NextToken: next}, nil
}

func deleteCluster(ctx context.Context, e *ECS, req *deleteClusterRequest) (any, error) {
	if req.Cluster == "" {
		return nil, invalidParameter("cluster is required.")
	}
	c, err := e.DeleteCluster(ctx, req.Cluster)
	if err != nil {
		return nil, err
	}
	return &clusterResponse{Cluster: c}, nil
}
