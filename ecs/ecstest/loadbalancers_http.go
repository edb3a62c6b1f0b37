package ecstest

import (
	"context"
	"net/url"

	"github.com/ecscore/ecscore/ecs"
)

// loadBalancingEndpoints returns the control endpoints of load balancing
// (controlEndpoints lists them with the others under /_ecslocal/).
func loadBalancingEndpoints() []controlEndpoint {
	post := func(path, body, doc string, f func(context.Context, *handler, []byte, url.Values) (any, error)) controlEndpoint {
		return controlEndpoint{ControlEndpoint{Method: "POST", Path: path, Body: body, Doc: doc}, f}
	}
	get := func(path, doc string, f func(context.Context, *handler, []byte, url.Values) (any, error)) controlEndpoint {
		return controlEndpoint{ControlEndpoint{Method: "GET", Path: path, Doc: doc}, f}
	}
	return []controlEndpoint{
		post("/_ecslocal/target-group", `{"targetGroupArn": S, "healthCheckIntervalSeconds": N, "healthyThresholdCount": N, "unhealthyThresholdCount": N, "deregistrationDelaySeconds": N}`,
			`creates a simulated target group or changes its settings (absent members keep theirs: ELB's defaults 30, 5, 2, 300); answers the target group`, serveTargetGroup),
		get("/_ecslocal/target-health",
			`?targetGroupArn=ARN: the targets of a target group; answers {"targets": [{"taskArn", "state": "initial|healthy|unhealthy|draining"}]}`, serveTargetHealth),
		post("/_ecslocal/set-target-health", `{"cluster": S, "task": S, "targetGroupArn": S, "state": "healthy|unhealthy"}`,
			`makes the target group's health checks of a task pass or fail (every target group of the task when targetGroupArn is absent); the target turns unhealthy after unhealthyThresholdCount checks, healthy after one (new) or healthyThresholdCount (unhealthy); answers {}`, serveSetTargetHealth),
		post("/_ecslocal/hook-outcome", `{"hookTargetArn": S, "hookStatus": "SUCCEEDED|FAILED|IN_PROGRESS", "callBackDelay": N}`,
			`sets what the simulated Lambda function of lifecycle hooks returns from its next invocation (SUCCEEDED when never set); answers {}`, serveHookOutcome),
		get("/_ecslocal/traffic",
			`?cluster=C&service=S: the production and test traffic split of the service's load balancers and the lifecycle stages of its latest BLUE_GREEN, LINEAR or CANARY deployment; answers {"lifecycleStage", "production": {"blue", "green"}, "test", "stages": [...], "done"}`, serveTraffic),
	}
}

func serveTargetGroup(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req TargetGroup
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	return h.e.PutTargetGroup(ctx, req)
}

func serveTargetHealth(ctx context.Context, h *handler, _ []byte, q url.Values) (any, error) {
	targets, err := h.e.DescribeTargetHealth(ctx, q.Get("targetGroupArn"))
	if err != nil {
		return nil, err
	}
	return struct {
		Targets []TargetHealthDescription `json:"targets"`
	}{targets}, nil
}

func serveSetTargetHealth(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		Cluster        string `json:"cluster"`
		Task           string `json:"task"`
		TargetGroupARN string `json:"targetGroupArn"`
		State          string `json:"state"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("task", req.Task); err != nil {
		return nil, err
	}
	if req.State != "healthy" && req.State != "unhealthy" {
		return nil, invalidParameter("state %q is not valid: use healthy or unhealthy.", req.State)
	}
	return empty{}, h.e.SetTargetHealth(ctx, req.Cluster, req.Task, req.TargetGroupARN, req.State == "healthy")
}

func serveHookOutcome(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		HookTargetARN string                            `json:"hookTargetArn"`
		HookStatus    ecs.DeploymentLifecycleHookStatus `json:"hookStatus"`
		CallBackDelay int                               `json:"callBackDelay"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	return empty{}, h.e.SetHookOutcome(ctx, req.HookTargetARN, HookOutcome{HookStatus: req.HookStatus, CallBackDelay: req.CallBackDelay})
}

func serveTraffic(ctx context.Context, h *handler, _ []byte, q url.Values) (any, error) {
	return h.e.ServiceTraffic(ctx, q.Get("cluster"), q.Get("service"))
}
