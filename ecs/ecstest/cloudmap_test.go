package ecstest

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

const (
	regAPI   = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abcdefghijklmnop"
	regOther = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-ponmlkjihgfedcba"
)

// discoveryService creates service name with the registry reg, desired
// tasks, and the circuit breaker.
func discoveryService(t *testing.T, e *ECS, name, reg string, desired int, grace *int) {
	t.Helper()
	_, err := e.CreateService(context.Background(), &ecs.CreateServiceRequest{ServiceName: name, TaskDefinition: "web", DesiredCount: ptr(desired),
		ServiceRegistries:             []ecs.ServiceRegistry{{RegistryARN: reg, ContainerName: "app", ContainerPort: ptr(8080)}},
		HealthCheckGracePeriodSeconds: grace,
		DeploymentConfiguration:       &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true}}})
	require.NoError(t, err)
}

// instances returns the task ARNs registered in reg and their health.
func instances(t *testing.T, e *ECS, reg string) map[string]string {
	t.Helper()
	got, err := e.DiscoveryInstances(context.Background(), reg)
	require.NoError(t, err)
	out := map[string]string{}
	for _, in := range got {
		out[in.TaskARN] = in.HealthStatus
	}
	return out
}

// TestCloudMapRegistration: a task of a service with serviceRegistries is
// an instance of the registry's Cloud Map service while it runs and is
// deregistered when asked to stop (DEACTIVATING: the developer guide's
// "Amazon ECS task lifecycle",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html).
// A task failing its Cloud Map health check is replaced at once, even
// inside healthCheckGracePeriodSeconds, which covers only "Elastic Load
// Balancing, VPC Lattice, and container health checks"
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html).
func TestCloudMapRegistration(t *testing.T) {
	ctx := context.Background()
	e := lbWorld(t)
	discoveryService(t, e, "api", regAPI, 2, ptr(300))
	_, err := e.DiscoveryInstances(ctx, regAPI)
	requireAPIError(t, err, "ServiceNotFound") // no task has registered yet
	advance(e, 30*time.Second)
	tasks := serviceTasks(t, e, "api")
	require.Len(t, tasks, 2)
	want := map[string]string{tasks[0].TaskARN: "HEALTHY", tasks[1].TaskARN: "HEALTHY"}
	require.Empty(t, cmp.Diff(want, instances(t, e, regAPI)))
	_, err = e.DiscoveryInstances(ctx, regOther)
	requireAPIError(t, err, "ServiceNotFound")

	bad := tasks[0].TaskARN
	require.Error(t, e.SetDiscoveryHealth(ctx, "", bad, regOther, false), "not an instance of that registry")
	require.NoError(t, e.SetDiscoveryHealth(ctx, "", bad, "", false))
	require.Equal(t, "UNHEALTHY", instances(t, e, regAPI)[bad])
	advance(e, time.Second)
	got := describeTask(t, e, bad)
	require.Equal(t, ecs.TaskStatus("DEACTIVATING"), got.LastStatus, "replaced inside the grace period")
	require.Contains(t, got.StoppedReason, "Cloud Map health checks")
	require.Contains(t, strings.Join(events(describeService(t, e, "api")), "\n"), "failed Cloud Map health checks in (service-registry "+regAPI+")")
	require.NotContains(t, instances(t, e, regAPI), bad, "deregistered when asked to stop")
	require.Error(t, e.SetDiscoveryHealth(ctx, "", bad, "", true), "a stopping task is no instance")

	advance(e, 2*time.Minute)
	in := instances(t, e, regAPI)
	require.Len(t, in, 2, "the replacement registered")
	for arn, st := range in {
		require.Equal(t, "HEALTHY", st, arn)
	}
}

// TestCloudMapCircuitBreaker: each task of a deployment that fails its
// Cloud Map health check adds one to the circuit breaker's count, and the
// deployment fails at the threshold (3 for 1 task) — stage two of the
// developer guide's "How the Amazon ECS deployment circuit breaker
// detects failures" counts "Elastic Load Balancing, Cloud Map service
// health checks, container health checks"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
func TestCloudMapCircuitBreaker(t *testing.T) {
	ctx := context.Background()
	e := lbWorld(t)
	discoveryService(t, e, "api", regAPI, 1, nil)
	for i := 0; i < 20 && describeService(t, e, "api").Deployments[0].RolloutState == ecs.DeploymentRolloutStateInProgress; i++ {
		advance(e, 10*time.Second)
		in, _ := e.DiscoveryInstances(ctx, regAPI) // ServiceNotFound before the first task runs
		for _, i := range in {
			if i.HealthStatus == "HEALTHY" {
				require.NoError(t, e.SetDiscoveryHealth(ctx, "", i.TaskARN, regAPI, false))
			}
		}
	}
	d := describeService(t, e, "api").Deployments[0]
	require.Equal(t, ecs.DeploymentRolloutStateFailed, d.RolloutState, "the breaker opened")
	require.Equal(t, 3, d.FailedTasks)
}

// TestCloudMapOverHTTP drives the Cloud Map control endpoints: the
// instances of a registry and a task's health status; a form POST from
// another site is refused.
func TestCloudMapOverHTTP(t *testing.T) {
	e := lbWorld(t)
	h := e.Handler()
	do := func(method, path, body string) (int, string) {
		t.Helper()
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code, rec.Body.String()
	}
	discoveryService(t, e, "api", regAPI, 1, nil)
	advance(e, 30*time.Second)
	code, body := do("GET", "/_ecslocal/discovery-instances?registryArn="+regAPI, "")
	require.Equal(t, 200, code, body)
	var got struct {
		Instances []DiscoveryInstance `json:"instances"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	require.Len(t, got.Instances, 1)
	require.Equal(t, "HEALTHY", got.Instances[0].HealthStatus)
	code, _ = do("GET", "/_ecslocal/discovery-instances", "")
	require.Equal(t, 400, code, "registryArn is required")
	code, _ = do("GET", "/_ecslocal/discovery-instances?registryArn="+regOther, "")
	require.Equal(t, 400, code)

	arn := got.Instances[0].TaskARN
	code, body = do("POST", "/_ecslocal/set-discovery-health", `{"task":"`+arn+`","status":"SICK"}`)
	require.Equal(t, 400, code, body)
	code, body = do("POST", "/_ecslocal/set-discovery-health", `{"task":"`+arn+`","status":"UNHEALTHY"}`)
	require.Equal(t, 200, code, body)
	advance(e, time.Second)
	require.Equal(t, ecs.TaskStatus("DEACTIVATING"), describeTask(t, e, arn).LastStatus)
	code, _ = do("PUT", "/_ecslocal/set-discovery-health", `{}`)
	require.Equal(t, 405, code)
	r := httptest.NewRequest("POST", "/_ecslocal/set-discovery-health", strings.NewReader(`task=`+arn+`&status=HEALTHY`))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	require.Equal(t, 403, rec.Code, "a cross-site form POST is refused, as at every control endpoint")
	r = httptest.NewRequest("GET", "/_ecslocal/discovery-instances?registryArn="+regAPI, nil)
	r.Header.Set("Origin", "http://evil.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	require.Equal(t, 403, rec.Code, "a read from another site is refused")
}
