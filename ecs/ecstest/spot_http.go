package ecstest

import (
	"context"
	"net/url"
	"time"
)

// maxRebalanceLeadSeconds bounds the rebalance lead set over HTTP: a day.
const maxRebalanceLeadSeconds = 24 * 60 * 60

// spotEndpoints returns the control endpoints of the Spot interruption
// model and of the instances of Managed Instances capacity providers
// (controlEndpoints lists them with the others under /_ecslocal/).
func spotEndpoints() []controlEndpoint {
	return []controlEndpoint{
		{ControlEndpoint{Method: "GET", Path: "/_ecslocal/spot",
			Doc: `the Spot interruption model and what it did: {"model": {"ec2PerInstanceHour", "fargatePerTaskHour", "instanceDraining", "rebalanceLeadSeconds"}, "stats": {"instanceInterruptions", "rebalanceRecommendations", "fargateInterruptions", "replacedTasks"}}`},
			serveSpot},
		{ControlEndpoint{Method: "POST", Path: "/_ecslocal/set-spot",
			Body: `{"ec2PerInstanceHour": X, "fargatePerTaskHour": X, "instanceDraining": B, "rebalanceLeadSeconds": N}`,
			Doc:  `sets the seeded Spot interruption model: EC2 Spot instances and FARGATE_SPOT tasks are interrupted at these rates per hour (absent: 0, never), Spot instances are DRAINING at their two-minute warning with instanceDraining (ECS_ENABLE_SPOT_INSTANCE_DRAINING), groups with capacity rebalance get their recommendation rebalanceLeadSeconds (600 when absent) before; answers as GET /_ecslocal/spot`},
			serveSetSpot},
		{ControlEndpoint{Method: "GET", Path: "/_ecslocal/managed-instances",
			Doc: `?capacityProvider=NAME: the EC2 instances ECS runs for a Managed Instances capacity provider; answers {"instances": [{"instanceId", "instanceType", "availabilityZone", "launchedAt", "containerInstanceArn", "draining", "spot"}]}`},
			serveManagedInstances},
	}
}

// spotAnswer is what the Spot endpoints answer.
type spotAnswer struct {
	Model struct {
		SpotModel
		RebalanceLeadSeconds float64 `json:"rebalanceLeadSeconds"`
	} `json:"model"`
	Stats SpotStats `json:"stats"`
}

func (e *ECS) spotAnswer() spotAnswer {
	var a spotAnswer
	a.Model.SpotModel = e.SpotModel()
	lead := a.Model.RebalanceLead
	if lead == 0 {
		lead = DefaultRebalanceLead
	}
	a.Model.RebalanceLeadSeconds = lead.Seconds()
	a.Stats = e.SpotStats()
	return a
}

func serveSpot(ctx context.Context, h *handler, _ []byte, _ url.Values) (any, error) {
	return h.e.spotAnswer(), nil
}

func serveSetSpot(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		EC2      float64 `json:"ec2PerInstanceHour"`
		Fargate  float64 `json:"fargatePerTaskHour"`
		Draining bool    `json:"instanceDraining"`
		Lead     int     `json:"rebalanceLeadSeconds"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if req.Lead < 0 || req.Lead > maxRebalanceLeadSeconds {
		return nil, invalidParameter("rebalanceLeadSeconds must be between 0 and %d.", maxRebalanceLeadSeconds)
	}
	m := SpotModel{EC2PerInstanceHour: req.EC2, FargatePerTaskHour: req.Fargate, InstanceDraining: req.Draining,
		RebalanceLead: time.Duration(req.Lead) * time.Second}
	if err := h.e.SetSpotModel(ctx, m); err != nil {
		return nil, err
	}
	return h.e.spotAnswer(), nil
}

func serveManagedInstances(ctx context.Context, h *handler, _ []byte, q url.Values) (any, error) {
	name := q.Get("capacityProvider")
	if err := requireMember("capacityProvider", name); err != nil {
		return nil, err
	}
	list, err := h.e.ManagedInstances(ctx, name)
	if err != nil {
		return nil, err
	}
	out := struct {
		Instances []groupInstance `json:"instances"`
	}{Instances: []groupInstance{}}
	for _, in := range list {
		out.Instances = append(out.Instances, answerInstance(in, true))
	}
	return out, nil
}
