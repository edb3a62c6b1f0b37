package ecstest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// TestSettle checks that Settle moves the clock until a service is steady
// (its one deployment COMPLETED, running its desired count), with no
// poller; that it gives up with the service's state when the service
// cannot get there in the time given; and its HTTP twin.
func TestSettle(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	register(t, e, "m5.large", "us-east-1a")
	td := taskDef(t, e, "web", 256, 256, 0)
	start := e.Clock().Now()
	mustCreateService(t, e, "web", td.TaskDefinitionARN, 3)
	svc, err := e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	require.Equal(t, 3, svc.RunningCount)
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, svc.Deployments[0].RolloutState)
	require.True(t, e.Clock().Now().After(start), "the clock moved")
	require.Less(t, e.Clock().Now().Sub(start), 10*time.Minute, "and no further than the service needed")

	big := taskDef(t, e, "big", 4096, 256, 0)
	mustCreateService(t, e, "big", big.TaskDefinitionARN, 1) // no instance has 4096 CPU units to spare
	svc, err = e.Settle(ctx, "", "big", 5*time.Minute)
	requireRefused(t, err, ecs.ClientException, "not steady after 5m0s")
	require.Zero(t, svc.RunningCount)

	_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(2), ForceNewDeployment: true})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/_ecslocal/settle?service=web&seconds=3600", nil)
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var out struct {
		Service ecs.Service `json:"service"`
	}
	require.NoError(t, ecs.Unmarshal(rec.Body.Bytes(), &out))
	require.Equal(t, 2, out.Service.RunningCount)
	require.Len(t, out.Service.Deployments, 1)
}
