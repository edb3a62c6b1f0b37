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
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
)

// control posts body (JSON, or none when "") to a control endpoint of h,
// signed for region when it is not "", and returns the status and the
// decoded answer.
func control(t *testing.T, h http.Handler, region, path, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if region != "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDECSLOCAL/20261207/"+region+
			"/ecs/aws4_request, SignedHeaders=host, Signature=0123")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, out
}

// controlOK is control that requires status 200.
func controlOK(t *testing.T, h http.Handler, path, body string) map[string]any {
	t.Helper()
	status, out := control(t, h, "", path, body)
	require.Equal(t, http.StatusOK, status, "%s %s: %v", path, body, out)
	return out
}

// faultWorld is an ECS with an instance in us-east-1a running two tasks
// of "web", whose container is "app".
type faultWorld struct {
	e        *ECS
	h        http.Handler
	instance string
	tasks    []string
}

func newFaultWorld(t *testing.T) *faultWorld {
	e := newTestECS(t)
	ci := register(t, e, "m5.large", "us-east-1a")
	td := taskDef(t, e, "web", 256, 256)
	resp := mustRunTask(t, e, td.TaskDefinitionARN, 2)
	advance(e, time.Minute)
	w := &faultWorld{e: e, h: e.Handler(), instance: ci.ContainerInstanceARN}
	for _, tk := range resp.Tasks {
		require.Equal(t, ecs.TaskStatusRunning, describeTask(t, e, tk.TaskARN).LastStatus)
		w.tasks = append(w.tasks, tk.TaskARN)
	}
	return w
}

// instanceState returns the status and agentConnected of the world's
// instance.
func (w *faultWorld) instanceState(t *testing.T) (string, bool) {
	resp, err := w.e.DescribeContainerInstances(context.Background(), &ecs.DescribeContainerInstancesRequest{ContainerInstances: []string{w.instance}})
	require.NoError(t, err)
	return resp.ContainerInstances[0].Status, resp.ContainerInstances[0].AgentConnected
}

// TestControlFaults checks each fault and clock control of the Go API
// over HTTP, with a JSON body: what it answers and what it does to the
// simulated world, as the Go API's own tests check it (faults_test.go).
func TestControlFaults(t *testing.T) {
	tests := []struct {
		name  string
		path  string
		body  func(w *faultWorld) string
		check func(t *testing.T, w *faultWorld, out map[string]any)
	}{{
		name: "an essential container exits",
		path: "/_ecslocal/exit-container",
		body: func(w *faultWorld) string {
			return `{"task": "` + w.tasks[0] + `", "container": "app", "exitCode": 137}`
		},
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			task := out["task"].(map[string]any)
			require.Equal(t, "EssentialContainerExited", task["stopCode"])
			require.Equal(t, 137.0, task["containers"].([]any)[0].(map[string]any)["exitCode"])
			advance(w.e, time.Minute)
			require.Equal(t, ecs.TaskStatusStopped, describeTask(t, w.e, w.tasks[0]).LastStatus)
		},
	}, {
		name: "the next task fails to start",
		path: "/_ecslocal/task-faults",
		body: func(*faultWorld) string {
			return `{"taskDefinition": "web", "failToStart": 1, "reason": "CannotPullContainerError: no"}`
		},
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			require.Empty(t, out)
			arns := mustRunTask(t, w.e, "web", 2)
			advance(w.e, time.Minute)
			first, second := describeTask(t, w.e, arns.Tasks[0].TaskARN), describeTask(t, w.e, arns.Tasks[1].TaskARN)
			require.Equal(t, ecs.TaskStopCodeTaskFailedToStart, first.StopCode)
			require.Equal(t, "CannotPullContainerError: no", first.StoppedReason)
			require.Equal(t, ecs.TaskStatusRunning, second.LastStatus, "only the next one")
		},
	}, {
		name: "a health check fails",
		path: "/_ecslocal/set-health",
		body: func(w *faultWorld) string { return `{"task": "` + w.tasks[1] + `", "healthStatus": "UNHEALTHY"}` },
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			require.Equal(t, "UNHEALTHY", out["task"].(map[string]any)["healthStatus"])
		},
	}, {
		name: "the instance is drained",
		path: "/_ecslocal/drain-instance",
		body: func(w *faultWorld) string { return `{"containerInstance": "` + w.instance + `"}` },
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			require.Equal(t, "DRAINING", out["containerInstance"].(map[string]any)["status"])
		},
	}, {
		name: "the instance is terminated",
		path: "/_ecslocal/terminate-instance",
		body: func(w *faultWorld) string { return `{"cluster": "default", "containerInstance": "` + w.instance + `"}` },
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			require.Equal(t, "INACTIVE", out["containerInstance"].(map[string]any)["status"])
			require.Equal(t, ecs.TaskStopCodeTerminationNotice, describeTask(t, w.e, w.tasks[0]).StopCode)
		},
	}, {
		name: "the agent is lost and regained",
		path: "/_ecslocal/disconnect-agent",
		body: func(w *faultWorld) string { return `{"containerInstance": "` + w.instance + `"}` },
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			require.Equal(t, false, out["containerInstance"].(map[string]any)["agentConnected"])
			out = controlOK(t, w.h, "/_ecslocal/reconnect-agent", `{"containerInstance": "`+w.instance+`"}`)
			require.Equal(t, true, out["containerInstance"].(map[string]any)["agentConnected"])
		},
	}, {
		name: "a Spot interruption warning",
		path: "/_ecslocal/interrupt-spot-instance",
		body: func(w *faultWorld) string { return `{"containerInstance": "` + w.instance + `"}` },
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			// Spot instance draining is off by default (rule 176): the
			// instance runs on until EC2 terminates it.
			require.Equal(t, "ACTIVE", out["containerInstance"].(map[string]any)["status"])
			controlOK(t, w.h, "/_ecslocal/advance", `{"seconds": 120}`)
			status, _ := w.instanceState(t)
			require.Equal(t, "INACTIVE", status, "terminated when the two minutes are up")
		},
	}, {
		name: "Fargate Spot tasks are interrupted",
		path: "/_ecslocal/interrupt-fargate-spot",
		body: func(*faultWorld) string { return `{"cluster": "default"}` },
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			require.Equal(t, []any{}, out["taskArns"], "the cluster has no FARGATE_SPOT task")
		},
	}, {
		name: "an Availability Zone is lost and restored",
		path: "/_ecslocal/lose-zone",
		body: func(*faultWorld) string { return `{"availabilityZone": "us-east-1a"}` },
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			status, _ := w.instanceState(t)
			require.Equal(t, "INACTIVE", status)
			require.True(t, w.e.lostZones["us-east-1a"])
			controlOK(t, w.h, "/_ecslocal/restore-zone", `{"availabilityZone": "us-east-1a"}`)
			require.False(t, w.e.lostZones["us-east-1a"])
		},
	}, {
		name: "an alarm goes off and clears",
		path: "/_ecslocal/alarm",
		body: func(*faultWorld) string { return `{"alarmName": "5xx", "stateValue": "ALARM"}` },
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			require.True(t, w.e.alarms["5xx"])
			controlOK(t, w.h, "/_ecslocal/alarm", `{"alarmName": "5xx", "stateValue": "OK"}`)
			require.False(t, w.e.alarms["5xx"])
		},
	}, {
		name: "the clock advances by a body",
		path: "/_ecslocal/advance",
		body: func(*faultWorld) string { return `{"seconds": 90.5}` },
		check: func(t *testing.T, w *faultWorld, out map[string]any) {
			want := t0.Add(time.Minute + 90500*time.Millisecond)
			require.Equal(t, want, w.e.Clock().Now())
			require.Equal(t, float64(want.UnixMilli())/1000, out["now"])
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newFaultWorld(t)
			tt.check(t, w, controlOK(t, w.h, tt.path, tt.body(w)))
		})
	}
}

// TestControlSettleBody checks that settle takes its parameters in a JSON
// body as well as in the query.
func TestControlSettleBody(t *testing.T) {
	e := newTestECS(t)
	register(t, e, "m5.large", "us-east-1a")
	td := taskDef(t, e, "web", 256, 256)
	mustCreateService(t, e, "web", td.TaskDefinitionARN, 2)
	out := controlOK(t, e.Handler(), "/_ecslocal/settle", `{"cluster": "default", "service": "web", "seconds": 3600}`)
	require.Equal(t, 2.0, out["service"].(map[string]any)["runningCount"])
}

// TestControlRefusals checks that a control endpoint refuses what it
// cannot do, as the API does: a missing or misspelt member, a value out
// of range, a task or instance that does not exist, the wrong method, a
// post a page of another site could send; and that it serves the Region
// the request is signed for.
func TestControlRefusals(t *testing.T) {
	tests := []struct {
		name, region, path, body string
		status                   int
		errType, message         string
	}{
		{"exitCode is required", "", "/_ecslocal/exit-container", `{"task": "t", "container": "app"}`, 400, "InvalidParameterException", "exitCode is required"},
		{"a misspelt member", "", "/_ecslocal/exit-container", `{"task": "t", "container": "app", "exitcode": 1}`, 400, "SerializationException", "exitcode"},
		{"no such task", "", "/_ecslocal/exit-container", `{"task": "0123", "container": "app", "exitCode": 1}`, 400, "InvalidParameterException", "task was not found"},
		{"no such cluster", "", "/_ecslocal/set-health", `{"cluster": "nope", "task": "0123", "healthStatus": "HEALTHY"}`, 400, "ClusterNotFoundException", ""},
		{"a health status ECS does not have", "", "/_ecslocal/set-health", `{"task": "0123", "healthStatus": "FINE"}`, 400, "InvalidParameterException", "FINE"},
		{"taskDefinition is required", "", "/_ecslocal/task-faults", `{"failToStart": 1}`, 400, "InvalidParameterException", "taskDefinition is required"},
		{"counts below -1", "", "/_ecslocal/task-faults", `{"taskDefinition": "web", "failToStart": -2}`, 400, "InvalidParameterException", "-1"},
		{"containerInstance is required", "", "/_ecslocal/terminate-instance", `{}`, 400, "InvalidParameterException", "containerInstance is required"},
		{"availabilityZone is required", "", "/_ecslocal/lose-zone", ``, 400, "InvalidParameterException", "availabilityZone"},
		{"an alarm state CloudWatch does not have", "", "/_ecslocal/alarm", `{"alarmName": "a", "stateValue": "RED"}`, 400, "InvalidParameterException", "stateValue"},
		{"advancing backwards", "", "/_ecslocal/advance", `{"seconds": -1}`, 400, "InvalidParameterException", "negative"},
		{"a body that is not JSON", "", "/_ecslocal/alarm", `alarm`, 400, "SerializationException", ""},
		{"the other Region's clusters", "eu-west-1", "/_ecslocal/terminate-instance", `{"containerInstance": "0123"}`, 400, "ClusterNotFoundException", ""},
		{"a Region that is not one", "moon-1", "/_ecslocal/lose-zone", `{"availabilityZone": "x"}`, 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestECS(t)
			status, out := control(t, e.Handler(), tt.region, tt.path, tt.body)
			require.Equal(t, tt.status, status, "%v", out)
			if tt.errType != "" {
				require.Equal(t, tt.errType, out["__type"], "%v", out)
				require.Contains(t, out["message"], tt.message)
			}
		})
	}

	e := newTestECS(t)
	for _, c := range []struct {
		method, contentType string
		status              int
	}{
		{http.MethodGet, "", http.StatusMethodNotAllowed},
		{http.MethodPost, "application/x-www-form-urlencoded", http.StatusForbidden},
		{http.MethodPost, "text/plain", http.StatusForbidden},
	} {
		req := httptest.NewRequest(c.method, "/_ecslocal/lose-zone", strings.NewReader(`{"availabilityZone": "us-east-1a"}`))
		if c.contentType != "" {
			req.Header.Set("Content-Type", c.contentType)
		}
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, req)
		require.Equal(t, c.status, rec.Code, "%s %s: %s", c.method, c.contentType, rec.Body)
	}
	require.Empty(t, e.lostZones, "no refused request lost the zone")
}

// TestControlEndpointsListed checks that ControlEndpoints lists each
// endpoint served, once, each with a doc, and that a path it does not
// list is a 404 that names them all.
func TestControlEndpointsListed(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range ControlEndpoints() {
		require.False(t, seen[c.Path], "%s listed twice", c.Path)
		seen[c.Path] = true
		require.NotEmpty(t, c.Doc, c.Path)
		require.True(t, strings.HasPrefix(c.Path, "/_ecslocal/"), c.Path)
	}
	want := []string{"advance", "alarm", "clock", "disconnect-agent", "drain-instance", "exit-container",
		"interrupt-fargate-spot", "interrupt-spot-instance", "lose-zone", "reconnect-agent", "reset",
		"restore-zone", "set-health", "settle", "task-faults", "terminate-instance",
		"target-group", "target-health", "set-target-health", "hook-outcome", "traffic",
		"discovery-instances", "set-discovery-health",
		"create-auto-scaling-group", "auto-scaling-group", "set-desired-capacity", "load", "metrics",
		"spot", "set-spot", "managed-instances"}
	var got []string
	for p := range seen {
		got = append(got, strings.TrimPrefix(p, "/_ecslocal/"))
	}
	require.Empty(t, cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })))

	status, out := control(t, newTestECS(t).Handler(), "", "/_ecslocal/rewind", "")
	require.Equal(t, http.StatusNotFound, status)
	for _, p := range want {
		require.Contains(t, out["message"], "/_ecslocal/"+p)
	}
}
