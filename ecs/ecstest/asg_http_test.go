package ecstest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// getControl sends a GET to a control endpoint and returns the status and
// decoded answer.
func getControl(t *testing.T, h http.Handler, path string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, out
}

// TestAutoScalingGroupOverHTTP makes a simulated group over HTTP, a
// capacity provider that names it and a cluster that uses it through the
// API, and watches the group launch, register and scale in by at most
// half per step (rule 140) once the tasks stop.
func TestAutoScalingGroupOverHTTP(t *testing.T) {
	e := newTestECS(t)
	h := e.Handler()
	g := controlOK(t, h, "/_ecslocal/create-auto-scaling-group",
		`{"autoScalingGroupName": "workers", "instanceType": "c5.large", "maxSize": 10, "desiredCapacity": 4, "launchSeconds": 30}`)
	arn, _ := g["autoScalingGroupArn"].(string)
	require.True(t, strings.HasPrefix(arn, "arn:aws:autoscaling:us-east-1:"), "%v", g)
	require.Equal(t, []any{}, g["instances"], "no cluster yet: nothing launches")

	status, out := signedCall(t, h, "", "CreateCapacityProvider", `{"name": "asg", "autoScalingGroupProvider": {"autoScalingGroupArn": "`+arn+
		`", "managedScaling": {"status": "ENABLED", "instanceWarmupPeriod": 0}, "managedTerminationProtection": "ENABLED"}}`)
	require.Equal(t, http.StatusOK, status, "%v", out)
	status, out = signedCall(t, h, "", "CreateCluster", `{"clusterName": "c", "capacityProviders": ["asg"], "defaultCapacityProviderStrategy": [{"capacityProvider": "asg", "weight": 1}]}`)
	require.Equal(t, http.StatusOK, status, "%v", out)

	advance(e, time.Minute)
	status, g = getControl(t, h, "/_ecslocal/auto-scaling-group?autoScalingGroupName=workers")
	require.Equal(t, http.StatusOK, status, "%v", g)
	require.Len(t, g["instances"], 4)
	for _, in := range g["instances"].([]any) {
		in := in.(map[string]any)
		require.Contains(t, in["containerInstanceArn"], ":container-instance/c/", "registered in the cluster")
		require.Equal(t, false, in["draining"])
	}

	// No task: the reservation is 0 and, after 15 datapoints, the group
	// goes 4, 2, 1, 0, never losing more than half in a step.
	steps := []float64{4}
	for range 20 {
		advance(e, time.Minute)
		_, g = getControl(t, h, "/_ecslocal/auto-scaling-group?autoScalingGroupName=workers")
		if d := g["desiredCapacity"].(float64); d != steps[len(steps)-1] {
			steps = append(steps, d)
		}
	}
	require.Equal(t, []float64{4, 2, 1, 0}, steps)

	g = controlOK(t, h, "/_ecslocal/set-desired-capacity", `{"autoScalingGroupName": "workers", "desiredCapacity": 1}`)
	require.Equal(t, float64(1), g["desiredCapacity"])
}

// TestAutoScalingGroupEndpointRefusals: each bad request names the member
// and the rule, and a POST a page of another site could send is refused
// as every control endpoint refuses it (refuseControl).
func TestAutoScalingGroupEndpointRefusals(t *testing.T) {
	tests := []struct{ name, path, body, errType, message string }{
		{"name required", "/_ecslocal/create-auto-scaling-group", `{"instanceType": "c5.large"}`, "InvalidParameterException", "autoScalingGroupName is required"},
		{"instance type required", "/_ecslocal/create-auto-scaling-group", `{"autoScalingGroupName": "g"}`, "InvalidParameterException", "instanceType is required"},
		{"an instance type not in the catalogue", "/_ecslocal/create-auto-scaling-group", `{"autoScalingGroupName": "g", "instanceType": "q9.huge", "maxSize": 1}`, "InvalidParameterException", "q9.huge"},
		{"a mixed type not in the catalogue", "/_ecslocal/create-auto-scaling-group", `{"autoScalingGroupName": "g", "instanceTypes": ["c5.large", "q9.huge"], "maxSize": 1}`, "InvalidParameterException", "q9.huge"},
		{"instanceType not the first of instanceTypes", "/_ecslocal/create-auto-scaling-group", `{"autoScalingGroupName": "g", "instanceType": "c5.xlarge", "instanceTypes": ["c5.large", "c5.xlarge"]}`, "InvalidParameterException", "first of InstanceTypes"},
		{"sizes out of order", "/_ecslocal/create-auto-scaling-group", `{"autoScalingGroupName": "g", "instanceType": "c5.large", "maxSize": 1, "desiredCapacity": 2}`, "InvalidParameterException", "MinSize"},
		{"above the instances of a cluster", "/_ecslocal/create-auto-scaling-group", `{"autoScalingGroupName": "g", "instanceType": "c5.large", "maxSize": 1000000000}`, "InvalidParameterException", "5000"},
		{"a launch time too long", "/_ecslocal/create-auto-scaling-group", `{"autoScalingGroupName": "g", "instanceType": "c5.large", "launchSeconds": 99999999}`, "InvalidParameterException", "launchSeconds"},
		{"a misspelt member", "/_ecslocal/create-auto-scaling-group", `{"autoScalingGroupName": "g", "instancetype": "c5.large"}`, "SerializationException", "instancetype"},
		{"no such group", "/_ecslocal/set-desired-capacity", `{"autoScalingGroupName": "nope", "desiredCapacity": 1}`, "ResourceNotFoundException", "nope"},
		{"desiredCapacity required", "/_ecslocal/set-desired-capacity", `{"autoScalingGroupName": "nope"}`, "InvalidParameterException", "desiredCapacity is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := control(t, newTestECS(t).Handler(), "", tt.path, tt.body)
			require.Equal(t, http.StatusBadRequest, status, "%v", out)
			require.Equal(t, tt.errType, out["__type"], "%v", out)
			require.Contains(t, out["message"], tt.message)
		})
	}
	e := newTestECS(t)
	status, out := getControl(t, e.Handler(), "/_ecslocal/auto-scaling-group?autoScalingGroupName=nope")
	require.Equal(t, http.StatusBadRequest, status, "%v", out)
	require.Equal(t, "ResourceNotFoundException", out["__type"])

	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded"} {
		req := httptest.NewRequest(http.MethodPost, "/_ecslocal/create-auto-scaling-group",
			strings.NewReader(`{"autoScalingGroupName": "g", "instanceType": "c5.large"}`))
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, req)
		require.Equal(t, http.StatusForbidden, rec.Code, "%s: %s", ct, rec.Body)
	}
	req := httptest.NewRequest(http.MethodGet, "/_ecslocal/auto-scaling-group?autoScalingGroupName=g", nil)
	req.Header.Set("Origin", "http://evil.example")
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusForbidden, rec.Code, "a read from another site: %s", rec.Body)
	_, err := e.DescribeAutoScalingGroup(t.Context(), "g")
	require.Error(t, err, "no refused request made the group")
	g := controlOK(t, e.Handler(), "/_ecslocal/create-auto-scaling-group",
		`{"autoScalingGroupName": "mixed", "instanceTypes": ["c5.large", "c5.xlarge"], "maxSize": 2}`)
	require.NotEmpty(t, g["autoScalingGroupArn"], "instanceTypes alone make a group: %v", g)
}
