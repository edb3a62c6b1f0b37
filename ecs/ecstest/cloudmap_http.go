package ecstest

import (
	"context"
	"net/url"
)

// discoveryEndpoints returns the control endpoints of the simulated Cloud
// Map (cloudmap.go); controlEndpoints lists them with the others under
// /_ecslocal/.
func discoveryEndpoints() []controlEndpoint {
	return []controlEndpoint{
		{ControlEndpoint{Method: "GET", Path: "/_ecslocal/discovery-instances",
			Doc: `?registryArn=ARN: the tasks registered in a Cloud Map service (serviceRegistries); answers {"instances": [{"taskArn", "healthStatus": "HEALTHY|UNHEALTHY"}]}`}, serveDiscoveryInstances},
		{ControlEndpoint{Method: "POST", Path: "/_ecslocal/set-discovery-health", Body: `{"cluster": S, "task": S, "registryArn": S, "status": "HEALTHY|UNHEALTHY"}`,
			Doc: `sets a task's Cloud Map health status, as UpdateInstanceCustomHealthStatus does (every registry of the task when registryArn is absent); an UNHEALTHY task is replaced and counts toward the circuit breaker; answers {}`}, serveSetDiscoveryHealth},
	}
}

func serveDiscoveryInstances(ctx context.Context, h *handler, _ []byte, q url.Values) (any, error) {
	if err := requireMember("registryArn", q.Get("registryArn")); err != nil {
		return nil, err
	}
	insts, err := h.e.DiscoveryInstances(ctx, q.Get("registryArn"))
	if err != nil {
		return nil, err
	}
	return struct {
		Instances []DiscoveryInstance `json:"instances"`
	}{insts}, nil
}

func serveSetDiscoveryHealth(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		Cluster     string `json:"cluster"`
		Task        string `json:"task"`
		RegistryARN string `json:"registryArn"`
		Status      string `json:"status"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("task", req.Task); err != nil {
		return nil, err
	}
	if req.Status != discoveryHealthy && req.Status != discoveryUnhealthy {
		return nil, invalidParameter("status %q is not valid: use HEALTHY or UNHEALTHY.", req.Status)
	}
	return empty{}, h.e.SetDiscoveryHealth(ctx, req.Cluster, req.Task, req.RegistryARN, req.Status == discoveryHealthy)
}
