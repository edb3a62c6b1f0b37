package ecstest

import (
	"context"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestUpdateCluster(t *testing.T) {
	ctx := context.Background()
	execCfg := &ecs.ClusterConfiguration{ExecuteCommandConfiguration: &ecs.ExecuteCommandConfiguration{
		Logging: ecs.ExecuteCommandLoggingDefault}}
	tests := []struct {
		name    string
		req     ecs.UpdateClusterRequest
		want    func(c *ecs.Cluster)
		wantErr string
	}{
		{
			name: "settings",
			req:  ecs.UpdateClusterRequest{Settings: []ecs.ClusterSetting{{Name: "containerInsights", Value: "enhanced"}}},
			want: func(c *ecs.Cluster) {
				c.Settings = []ecs.ClusterSetting{{Name: "containerInsights", Value: "enhanced"}}
			},
		},
		{
			name: "configuration",
			req:  ecs.UpdateClusterRequest{Configuration: execCfg},
			want: func(c *ecs.Cluster) { c.Configuration = execCfg },
		},
		{
			name: "a Service Connect namespace",
			req:  ecs.UpdateClusterRequest{ServiceConnectDefaults: &ecs.ClusterServiceConnectDefaultsRequest{Namespace: "internal"}},
			want: func(c *ecs.Cluster) {
				c.ServiceConnectDefaults = &ecs.ClusterServiceConnectDefaults{Namespace: "internal"}
			},
		},
		{
			name: "an empty namespace removes it",
			req:  ecs.UpdateClusterRequest{ServiceConnectDefaults: &ecs.ClusterServiceConnectDefaultsRequest{}},
			want: func(c *ecs.Cluster) {},
		},
		{
			name:    "an unknown setting",
			req:     ecs.UpdateClusterRequest{Settings: []ecs.ClusterSetting{{Name: "insights", Value: "enabled"}}},
			wantErr: ecs.InvalidParameterException,
		},
		{
			name:    "a value containerInsights does not take",
			req:     ecs.UpdateClusterRequest{Settings: []ecs.ClusterSetting{{Name: "containerInsights", Value: "on"}}},
			wantErr: ecs.InvalidParameterException,
		},
		{name: "no cluster", req: ecs.UpdateClusterRequest{Cluster: "-"}, wantErr: ecs.InvalidParameterException},
		{name: "an unknown cluster", req: ecs.UpdateClusterRequest{Cluster: "nowhere"}, wantErr: ecs.ClusterNotFoundException},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestECS(t)
			_, err := e.createCluster(ctx, ecs.Cluster{ClusterName: "web",
				ServiceConnectDefaults: &ecs.ClusterServiceConnectDefaults{Namespace: "old"}})
			require.NoError(t, err)
			before, _, err := e.describeClusters(ctx, []string{"web"})
			require.NoError(t, err)
			req := tt.req
			switch req.Cluster {
			case "":
				req.Cluster = "web"
			case "-":
				req.Cluster = ""
			}
			got, err := e.updateCluster(ctx, &req)
			after, _, derr := e.describeClusters(ctx, []string{"web"})
			require.NoError(t, derr)
			if tt.wantErr != "" {
				requireAPIError(t, err, tt.wantErr)
				require.Empty(t, cmp.Diff(before, after), "a refused update changes nothing")
				return
			}
			require.NoError(t, err)
			want := before[0]
			want.ServiceConnectDefaults = nil
			if tt.name != "an empty namespace removes it" {
				want.ServiceConnectDefaults = before[0].ServiceConnectDefaults
			}
			tt.want(&want)
			require.Empty(t, cmp.Diff(&want, got))
			require.Empty(t, cmp.Diff(want, after[0]))
		})
	}
}

func TestUpdateClusterSettings(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	c := newAPIClient(t, e)
	var resp ecs.UpdateClusterSettingsResponse
	c.call("UpdateClusterSettings", &ecs.UpdateClusterSettingsRequest{Cluster: "default",
		Settings: []ecs.ClusterSetting{{Name: "containerInsights", Value: "enabled"}}}, &resp)
	require.Equal(t, []ecs.ClusterSetting{{Name: "containerInsights", Value: "enabled"}}, resp.Cluster.Settings)
	_, err := e.updateClusterSettings(ctx, &ecs.UpdateClusterSettingsRequest{Cluster: "default"})
	requireAPIError(t, err, ecs.InvalidParameterException)
	require.Equal(t, ecs.ClusterNotFoundException, c.fail("UpdateCluster", &ecs.UpdateClusterRequest{Cluster: "nowhere"}).Type)
}
