package ecstest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// t0 is when the clocks of the tests start.
var t0 = time.Date(2025, 11, 21, 6, 0, 0, 0, time.UTC)

// newTestECS returns an ECS on a stopped clock, with the default cluster.
func newTestECS(t testing.TB, opts ...func(*Options)) *ECS {
	t.Helper()
	e := New(append([]func(*Options){WithClock(NewClock(t0, 0)), WithSeed(7)}, opts...)...)
	t.Cleanup(e.Close)
	_, err := e.createCluster(context.Background(), ecs.Cluster{})
	require.NoError(t, err)
	return e
}

// apiClient calls the ECS JSON protocol of a handler.
type apiClient struct {
	t      testing.TB
	h      http.Handler
	prefix string // of X-Amz-Target; ECS's when empty
}

func newAPIClient(t testing.TB, e *ECS) *apiClient {
	return &apiClient{t: t, h: e.Handler()}
}

// raw sends body to op and returns the status and response body.
func (c *apiClient) raw(op string, body []byte) (int, []byte) {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", cmp.Or(c.prefix, targetPrefix)+op)
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	data, err := io.ReadAll(rec.Result().Body)
	require.NoError(c.t, err)
	return rec.Code, data
}

// call sends in (encoded as the API writes it) to op, requires status 200
// and decodes the response into out.
func (c *apiClient) call(op string, in, out any) {
	c.t.Helper()
	body, err := ecs.Marshal(in)
	require.NoError(c.t, err)
	status, data := c.raw(op, body)
	require.Equal(c.t, http.StatusOK, status, "%s: %s", op, data)
	if out != nil {
		require.NoError(c.t, ecs.Unmarshal(data, out), "%s response: %s", op, data)
	}
}

// apiError is an error body of the protocol.
type apiError struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

// fail sends in to op, requires status 400 and returns the error.
func (c *apiClient) fail(op string, in any) apiError {
	c.t.Helper()
	body, err := ecs.Marshal(in)
	require.NoError(c.t, err)
	status, data := c.raw(op, body)
	require.Equal(c.t, http.StatusBadRequest, status, "%s: %s", op, data)
	var e apiError
	require.NoError(c.t, json.Unmarshal(data, &e), "%s", data)
	return e
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// attribute returns the value of the named attribute of ci, and whether it
// has it.
func attribute(ci ecs.ContainerInstance, name string) (string, bool) {
	for _, a := range ci.Attributes {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// register registers an instance of type typ in zone az with the default
// cluster through the Go API.
func register(t testing.TB, e *ECS, typ, az string) *ecs.ContainerInstance {
	t.Helper()
	ci, err := e.LaunchInstance(context.Background(), "", Instance{InstanceType: typ, AvailabilityZone: az})
	require.NoError(t, err)
	return ci
}

// taskDef registers a task definition of one essential container "app"
// with the CPU units and MiB of memory given, and a host port mapping per
// port (0 for a dynamic one).
func taskDef(t testing.TB, e *ECS, family string, cpu, mem int, ports ...int) *ecs.TaskDefinition {
	t.Helper()
	cd := ecs.ContainerDefinition{Name: "app", Image: "public.ecr.aws/nginx/nginx:1.27", CPU: cpu, Memory: ptr(mem)}
	for _, p := range ports {
		cd.PortMappings = append(cd.PortMappings, ecs.PortMapping{ContainerPort: ptr(8080), HostPort: ptr(p)})
	}
	td, err := e.Registry().Register(&ecs.TaskDefinition{Family: family, ContainerDefinitions: []ecs.ContainerDefinition{cd}}, nil)
	require.NoError(t, err)
	return td
}

// advance moves the clock of e on by d and returns the new time.
func advance(e *ECS, d time.Duration) time.Time { return e.Clock().Advance(d) }

// mustRunTask runs count tasks of td in the default cluster and requires the
// call to succeed.
func mustRunTask(t testing.TB, e *ECS, td string, count int) *ecs.RunTaskResponse {
	t.Helper()
	resp, err := e.RunTask(context.Background(), &ecs.RunTaskRequest{TaskDefinition: td, Count: ptr(count)})
	require.NoError(t, err)
	return resp
}

// describeTask describes one task of the default cluster.
func describeTask(t testing.TB, e *ECS, arn string) ecs.Task {
	t.Helper()
	tasks, failures, err := e.describeTasks(context.Background(), "", []string{arn})
	require.NoError(t, err)
	require.Empty(t, failures)
	return tasks[0]
}

// remainingOf returns what the container instance arn has left.
func remainingOf(t testing.TB, e *ECS, arn string) ecs.Resources {
	t.Helper()
	list, _, err := e.describeContainerInstances(context.Background(), "", []string{arn})
	require.NoError(t, err)
	r, err := ecs.ParseResources(list[0].RemainingResources)
	require.NoError(t, err)
	return r
}
