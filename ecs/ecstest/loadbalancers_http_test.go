package ecstest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// TestLoadBalancingOverHTTP drives the load balancing control endpoints:
// a target group's settings, a target's health, a hook's outcome and a
// service's traffic; a form POST from another site is refused, as at
// every control endpoint.
func TestLoadBalancingOverHTTP(t *testing.T) {
	e := lbWorld(t)
	h := e.Handler()
	do := func(method, path, body, ct string) (int, string) {
		t.Helper()
		var r *http.Request
		if body == "" {
			r = httptest.NewRequest(method, path, nil)
		} else {
			r = httptest.NewRequest(method, path, strings.NewReader(body))
		}
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code, rec.Body.String()
	}
	code, body := do("POST", "/_ecslocal/target-group", `{"targetGroupArn":"`+tgBlue+`","healthCheckIntervalSeconds":5,"deregistrationDelaySeconds":10}`, "application/json")
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"healthCheckIntervalSeconds":5`)
	require.Contains(t, body, `"unhealthyThresholdCount":2`)
	code, body = do("POST", "/_ecslocal/target-group", `{"targetGroupArn":"x"}`, "application/json")
	require.Equal(t, 400, code, body)
	require.Contains(t, body, "InvalidParameterException")
	code, _ = do("POST", "/_ecslocal/target-group", `{"targetGroupArn":"`+tgBlue+`"}`, "application/x-www-form-urlencoded")
	require.Equal(t, 403, code, "a cross-site form POST is refused")

	_, err := e.CreateService(context.Background(), &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(1),
		LoadBalancers: []ecs.LoadBalancer{lbOf(tgBlue)}})
	require.NoError(t, err)
	advance(e, 35*time.Second)
	code, body = do("GET", "/_ecslocal/target-health?targetGroupArn="+tgBlue, "", "")
	require.Equal(t, 200, code, body)
	var th struct {
		Targets []TargetHealthDescription `json:"targets"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &th))
	require.Len(t, th.Targets, 1)
	require.Equal(t, "healthy", string(th.Targets[0].State))

	code, body = do("POST", "/_ecslocal/set-target-health", `{"task":"`+th.Targets[0].TaskARN+`","state":"unhealthy"}`, "application/json")
	require.Equal(t, 200, code, body)
	advance(e, 10*time.Second)
	require.Equal(t, ecs.TaskStatus("DEACTIVATING"), describeTask(t, e, th.Targets[0].TaskARN).LastStatus, "two failed checks 5 s apart")
	code, body = do("POST", "/_ecslocal/set-target-health", `{"task":"`+th.Targets[0].TaskARN+`","state":"sick"}`, "application/json")
	require.Equal(t, 400, code, body)

	code, body = do("POST", "/_ecslocal/hook-outcome", `{"hookTargetArn":"`+hookFn+`","hookStatus":"FAILED"}`, "application/json")
	require.Equal(t, 200, code, body)
	code, body = do("POST", "/_ecslocal/hook-outcome", `{"hookTargetArn":"`+hookFn+`","hookStatus":"MAYBE"}`, "application/json")
	require.Equal(t, 400, code, body)
	code, body = do("GET", "/_ecslocal/traffic?service=web", "", "")
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"production":{"blue":100,"green":0}`)
	code, _ = do("GET", "/_ecslocal/traffic?service=nope", "", "")
	require.Equal(t, 400, code)
	code, _ = do("PUT", "/_ecslocal/traffic?service=web", "", "")
	require.Equal(t, 405, code)
}
