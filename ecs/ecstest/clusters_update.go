package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// updateCluster is UpdateCluster with the request's members as arguments.
func (e *ECS) updateCluster(ctx context.Context, req *ecs.UpdateClusterRequest) (*ecs.Cluster, error) {
	if req.Cluster == "" {
		return nil, invalidParameter("cluster is required.")
	}
	if err := checkClusterConfiguration(req.Configuration); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(req.Cluster)
	if err != nil {
		return nil, err
	}
	if req.Settings != nil { // checked before anything changes
		settings, err := clusterSettings(req.Settings, insightsOf(cl))
		if err != nil {
			return nil, err
		}
		cl.info.Settings = settings
	}
	if req.Configuration != nil {
		cl.info.Configuration = deepCopy(req.Configuration)
	}
	if d := req.ServiceConnectDefaults; d != nil {
		cl.info.ServiceConnectDefaults = nil
		if d.Namespace != "" {
			cl.info.ServiceConnectDefaults = &ecs.ClusterServiceConnectDefaults{Namespace: d.Namespace}
		}
	}
	return e.describeCluster(cl), nil
}

// updateClusterSettings is UpdateClusterSettings with the request's members as arguments.
func (e *ECS) updateClusterSettings(ctx context.Context, req *ecs.UpdateClusterSettingsRequest) (*ecs.Cluster, error) {
	if req.Cluster == "" {
		return nil, invalidParameter("cluster is required.")
	}
	if len(req.Settings) == 0 {
		return nil, invalidParameter("settings is required.")
	}
	return e.updateCluster(ctx, &ecs.UpdateClusterRequest{Cluster: req.Cluster, Settings: req.Settings})
}

// insightsOf returns the cluster's containerInsights setting.
func insightsOf(cl *cluster) string {
	for _, s := range cl.info.Settings {
		if s.Name == ecs.ClusterSettingNameContainerInsights {
			return s.Value
		}
	}
	return "disabled"
}

// UpdateCluster changes what req gives of the ACTIVE cluster req.Cluster
// names, and returns it: its settings (containerInsights, the one
// setting, checked as CreateCluster checks it), its configuration (the
// execute command and managed storage configurations, replaced whole),
// and its default Service Connect namespace (an empty namespace removes
// it, as the API reference says). What req leaves out stays as it is.
func (e *ECS) UpdateCluster(ctx context.Context, req *ecs.UpdateClusterRequest) (*ecs.UpdateClusterResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	c, err := e.updateCluster(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.UpdateClusterResponse{Cluster: c}, nil
}

// UpdateClusterSettings changes the settings of the ACTIVE cluster
// req.Cluster names (containerInsights, the one setting: enabled, disabled
// or enhanced), and returns it. A cluster's own setting overrides the
// account's containerInsights setting, which new clusters take.
func (e *ECS) UpdateClusterSettings(ctx context.Context, req *ecs.UpdateClusterSettingsRequest) (*ecs.UpdateClusterSettingsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	c, err := e.updateClusterSettings(ctx, req)
	if err != nil {
		return nil, err
	}
	return &ecs.UpdateClusterSettingsResponse{Cluster: c}, nil
}
