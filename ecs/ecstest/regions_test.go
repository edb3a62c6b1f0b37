package ecstest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// signedCall sends body to op, signed (as far as the Region goes) for
// region, and returns the status and decoded answer.
func signedCall(t *testing.T, h http.Handler, region, op, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	req.Header.Set("Content-Type", contentType)
	if region != "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDECSLOCAL/20261207/"+region+
			"/ecs/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, out
}

// TestRegions checks that one server serves any Region, as the SDKs sign
// for it (the credential scope of Signature Version 4), with the state of
// each apart and ARNs that name it, as AWS keeps Regions.
func TestRegions(t *testing.T) {
	e := newTestECS(t)
	h := e.Handler()
	status, out := signedCall(t, h, "eu-central-1", "CreateCluster", `{"clusterName":"frankfurt"}`)
	require.Equal(t, http.StatusOK, status, out)
	require.Equal(t, "arn:aws:ecs:eu-central-1:123456789012:cluster/frankfurt", out["cluster"].(map[string]any)["clusterArn"])

	_, out = signedCall(t, h, "us-east-1", "ListClusters", `{}`)
	require.Equal(t, []any{"arn:aws:ecs:us-east-1:123456789012:cluster/default"}, out["clusterArns"], "us-east-1 has its own clusters")
	_, out = signedCall(t, h, "eu-central-1", "ListClusters", `{}`)
	require.Equal(t, []any{"arn:aws:ecs:eu-central-1:123456789012:cluster/frankfurt"}, out["clusterArns"])
	_, out = signedCall(t, h, "", "ListClusters", `{}`)
	require.Len(t, out["clusterArns"], 1, "an unsigned request is the server's own Region's")

	fra, err := e.InRegion("eu-central-1")
	require.NoError(t, err)
	require.Equal(t, "eu-central-1", fra.Region())
	require.Same(t, e.Clock(), fra.Clock(), "the Regions share the clock")
	_, err = e.InRegion("moon-1")
	requireAPIError(t, err, ecs.InvalidParameterException)
}

// TestReset checks POST /_ecslocal/reset and moto's POST /moto-api/reset:
// every Region's state cleared to how the server started (its OnReset
// functions run again), identifiers from the seed again, nothing of the
// old state running on.
func TestReset(t *testing.T) {
	for _, path := range []string{"/_ecslocal/reset", "/moto-api/reset"} {
		t.Run(path, func(t *testing.T) {
			ctx := context.Background()
			e := newTestECS(t)
			e.OnReset(func(ctx context.Context) error {
				_, err := e.createCluster(ctx, ecs.Cluster{})
				return err
			})
			h := e.Handler()
			first := register(t, e, "m5.large", "us-east-1a")
			td := taskDef(t, e, "web", 128, 128, 0)
			mustCreateService(t, e, "web", td.TaskDefinitionARN, 2)
			signedCall(t, h, "us-west-2", "CreateCluster", `{"clusterName":"oregon"}`)
			advance(e, 10*time.Second)

			req := httptest.NewRequest(http.MethodPost, path, nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

			names, err := e.listClusters(ctx)
			require.NoError(t, err)
			require.Equal(t, []string{"arn:aws:ecs:us-east-1:123456789012:cluster/default"}, names, "the cluster OnReset makes, and no other")
			_, out := signedCall(t, h, "us-west-2", "ListClusters", `{}`)
			require.Empty(t, out["clusterArns"], "the other Regions are cleared too")
			_, err = e.Registry().Describe("web")
			require.ErrorIs(t, err, ecs.ErrNotFound)
			again := register(t, e, "m5.large", "us-east-1a")
			require.Equal(t, first.ContainerInstanceARN, again.ContainerInstanceARN, "identifiers from the seed again")
			advance(e, time.Hour)
			tasks, err := e.Tasks(ctx, "")
			require.NoError(t, err)
			require.Empty(t, tasks, "nothing of the old service runs on")
		})
	}
}
