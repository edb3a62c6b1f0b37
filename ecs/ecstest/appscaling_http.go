package ecstest

import (
	"context"
	"math"
	"net/url"
)

// aasTargetPrefix is the X-Amz-Target prefix of the Application Auto
// Scaling API (JSON 1.1), served on the same endpoint as ECS's.
const aasTargetPrefix = "AnyScaleFrontendService."

// aasOperations is the dispatch table of the Application Auto Scaling
// operations ecstest serves.
func (h *handler) aasOperations() map[string]operation {
	e := h.e
	return map[string]operation{
		"RegisterScalableTarget":    api(e, (*ECS).RegisterScalableTarget),
		"DescribeScalableTargets":   api(e, (*ECS).DescribeScalableTargets),
		"DeregisterScalableTarget":  api(e, (*ECS).DeregisterScalableTarget),
		"PutScalingPolicy":          api(e, (*ECS).PutScalingPolicy),
		"DescribeScalingPolicies":   api(e, (*ECS).DescribeScalingPolicies),
		"DeleteScalingPolicy":       api(e, (*ECS).DeleteScalingPolicy),
		"PutScheduledAction":        api(e, (*ECS).PutScheduledAction),
		"DescribeScheduledActions":  api(e, (*ECS).DescribeScheduledActions),
		"DeleteScheduledAction":     api(e, (*ECS).DeleteScheduledAction),
		"DescribeScalingActivities": api(e, (*ECS).DescribeScalingActivities),
		"TagResource":               api(e, (*ECS).TagScalableTarget),
		"UntagResource":             api(e, (*ECS).UntagScalableTarget),
		"ListTagsForResource":       api(e, (*ECS).ListScalableTargetTags),
	}
}

// aasOperationNames returns the operations of the Application Auto
// Scaling API (version 2016-02-06), so that one ecstest does not serve
// is told apart from one the API does not have.
func aasOperationNames() []string {
	return []string{
		"DeleteScalingPolicy", "DeleteScheduledAction", "DeregisterScalableTarget",
		"DescribeScalableTargets", "DescribeScalingActivities", "DescribeScalingPolicies",
		"DescribeScheduledActions", "GetPredictiveScalingForecast", "ListTagsForResource",
		"PutScalingPolicy", "PutScheduledAction", "RegisterScalableTarget",
		"TagResource", "UntagResource",
	}
}

// loadEndpoints returns the control endpoints of services' load and
// metrics; controlEndpoints lists them with the others under /_ecslocal/.
func loadEndpoints() []controlEndpoint {
	return []controlEndpoint{
		{ControlEndpoint{Method: "POST", Path: "/_ecslocal/load",
			Body: `{"cluster": S, "service": S, "cpuUtilization": N, "memoryUtilization": N, "requestCountPerTarget": N}`,
			Doc:  `sets a service's load as what each of its RUNNING tasks (or healthy targets, for requestCountPerTarget, requests a minute) sees now; the total demand stays while the tasks change, so a scale-out lowers the utilisation; absent members keep their load; answers the metrics as /_ecslocal/metrics does`},
			serveLoad},
		{ControlEndpoint{Method: "GET", Path: "/_ecslocal/metrics",
			Doc: `?cluster=C&service=S: the metrics the service's load makes now, as Application Auto Scaling's predefined metrics read them; answers {"cpuUtilization", "memoryUtilization", "requestCountPerTarget", "runningTasks", "healthyTargets"}, a metric with no datapoint null`},
			serveMetrics},
	}
}

// metricsAnswer is ServiceMetrics as the endpoints answer it: a metric
// with no datapoint is null.
type metricsAnswer struct {
	CPUUtilization        *float64 `json:"cpuUtilization"`
	MemoryUtilization     *float64 `json:"memoryUtilization"`
	RequestCountPerTarget *float64 `json:"requestCountPerTarget"`
	RunningTasks          int      `json:"runningTasks"`
	HealthyTargets        int      `json:"healthyTargets"`
}

// answerMetrics is m as the control endpoints answer it.
func answerMetrics(m *ServiceMetrics) metricsAnswer {
	orNull := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	return metricsAnswer{CPUUtilization: orNull(m.CPUUtilization), MemoryUtilization: orNull(m.MemoryUtilization),
		RequestCountPerTarget: orNull(m.RequestCountPerTarget), RunningTasks: m.RunningTasks, HealthyTargets: m.HealthyTargets}
}

// serveLoad is POST /_ecslocal/load: SetLoad from a JSON body, answered
// with the metrics the new load makes.
func serveLoad(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		Cluster               string   `json:"cluster"`
		Service               string   `json:"service"`
		CPUUtilization        *float64 `json:"cpuUtilization"`
		MemoryUtilization     *float64 `json:"memoryUtilization"`
		RequestCountPerTarget *float64 `json:"requestCountPerTarget"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	m, err := h.e.SetLoad(ctx, Load{Cluster: req.Cluster, Service: req.Service, CPUUtilization: req.CPUUtilization,
		MemoryUtilization: req.MemoryUtilization, RequestCountPerTarget: req.RequestCountPerTarget})
	if err != nil {
		return nil, err
	}
	return answerMetrics(m), nil
}

// serveMetrics is GET /_ecslocal/metrics?cluster=C&service=S: the
// metrics of the service's load now.
func serveMetrics(ctx context.Context, h *handler, _ []byte, q url.Values) (any, error) {
	m, err := h.e.Metrics(ctx, q.Get("cluster"), q.Get("service"))
	if err != nil {
		return nil, err
	}
	return answerMetrics(m), nil
}
