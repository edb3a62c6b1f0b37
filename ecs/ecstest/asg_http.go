package ecstest

import (
	"context"
	"net/url"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// maxLaunchSeconds bounds the launch time a group is given over HTTP.
const maxLaunchSeconds = 24 * 60 * 60

// autoScalingEndpoints returns the control endpoints of the simulated
// Auto Scaling groups (controlEndpoints lists them with the others under
// /_ecslocal/), so that a client in any language can make the group a
// CreateCapacityProvider request names.
func autoScalingEndpoints() []controlEndpoint {
	return []controlEndpoint{
		{ControlEndpoint{Method: "POST", Path: "/_ecslocal/create-auto-scaling-group",
			Body: `{"autoScalingGroupName": S, "instanceType": S, "instanceTypes": [S], "availabilityZones": [S], "minSize": N, "maxSize": N, "desiredCapacity": N, "launchSeconds": N, "spot": B, "onDemandBaseCapacity": N, "capacityRebalance": B}`,
			Doc:  `creates a simulated EC2 Auto Scaling group of instanceType instances (or with a mixed instances policy of instanceTypes, in priority order: it launches the first, managed scaling estimates with all; absent sizes are 0; launchSeconds, from launch to registration, 60 when absent; the Region's zones a, b and c when availabilityZones is absent; with spot, its instances beyond onDemandBaseCapacity are Spot Instances the Spot model interrupts, and capacityRebalance replaces them on a rebalance recommendation); its instances launch once a capacity provider naming its ARN is associated with a cluster; answers the group as auto-scaling-group does`},
			serveCreateAutoScalingGroup},
		{ControlEndpoint{Method: "GET", Path: "/_ecslocal/auto-scaling-group",
			Doc: `?autoScalingGroupName=NAME: a simulated Auto Scaling group; answers {"autoScalingGroupArn", "desiredCapacity", "instances": [{"instanceId", "availabilityZone", "launchedAt", "containerInstanceArn", "draining", "spot"}]}`},
			serveAutoScalingGroup},
		{ControlEndpoint{Method: "POST", Path: "/_ecslocal/set-desired-capacity",
			Body: `{"autoScalingGroupName": S, "desiredCapacity": N}`,
			Doc:  `sets a simulated Auto Scaling group's desired capacity within its sizes, as a user or a scaling policy would (managed scaling sets it too); answers the group as auto-scaling-group does`},
			serveSetDesiredCapacity},
	}
}

// groupAnswer is a simulated group as the endpoints answer it.
type groupAnswer struct {
	AutoScalingGroupARN string          `json:"autoScalingGroupArn"`
	DesiredCapacity     int             `json:"desiredCapacity"`
	Instances           []groupInstance `json:"instances"`
}

// groupInstance is an instance of groupAnswer, and of the answer of
// /_ecslocal/managed-instances (which shows its type).
type groupInstance struct {
	InstanceID           string   `json:"instanceId"`
	InstanceType         string   `json:"instanceType,omitempty"`
	AvailabilityZone     string   `json:"availabilityZone"`
	LaunchedAt           ecs.Time `json:"launchedAt"`
	ContainerInstanceARN string   `json:"containerInstanceArn,omitempty"`
	Draining             bool     `json:"draining"`
	Spot                 bool     `json:"spot"`
}

// describedGroup returns the group called name as the endpoints answer it.
func (e *ECS) describedGroup(ctx context.Context, name string) (any, error) {
	st, err := e.DescribeAutoScalingGroup(ctx, name)
	if err != nil {
		return nil, err
	}
	out := groupAnswer{AutoScalingGroupARN: st.ARN, DesiredCapacity: st.DesiredCapacity, Instances: []groupInstance{}}
	for _, in := range st.Instances {
		out.Instances = append(out.Instances, answerInstance(in, false))
	}
	return out, nil
}

// answerInstance returns in as the endpoints answer it, with its type
// when withType is set.
func answerInstance(in GroupInstance, withType bool) groupInstance {
	a := groupInstance{InstanceID: in.EC2InstanceID, AvailabilityZone: in.AvailabilityZone, LaunchedAt: ecs.NewTime(in.LaunchedAt),
		ContainerInstanceARN: in.ContainerInstanceARN, Draining: in.Draining, Spot: in.Spot}
	if withType {
		a.InstanceType = in.InstanceType
	}
	return a
}

func serveCreateAutoScalingGroup(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		Name              string   `json:"autoScalingGroupName"`
		InstanceType      string   `json:"instanceType"`
		InstanceTypes     []string `json:"instanceTypes"`
		AvailabilityZones []string `json:"availabilityZones"`
		MinSize           int      `json:"minSize"`
		MaxSize           int      `json:"maxSize"`
		DesiredCapacity   int      `json:"desiredCapacity"`
		LaunchSeconds     int      `json:"launchSeconds"`
		Spot              bool     `json:"spot"`
		OnDemandBase      int      `json:"onDemandBaseCapacity"`
		CapacityRebalance bool     `json:"capacityRebalance"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("autoScalingGroupName", req.Name); err != nil {
		return nil, err
	}
	if len(req.InstanceTypes) == 0 {
		if err := requireMember("instanceType", req.InstanceType); err != nil {
			return nil, err
		}
	}
	if req.LaunchSeconds < 0 || req.LaunchSeconds > maxLaunchSeconds {
		return nil, invalidParameter("launchSeconds must be between 0 and %d.", maxLaunchSeconds)
	}
	_, err := h.e.CreateAutoScalingGroup(ctx, AutoScalingGroup{Name: req.Name, InstanceType: req.InstanceType, InstanceTypes: req.InstanceTypes,
		AvailabilityZones: req.AvailabilityZones, MinSize: req.MinSize, MaxSize: req.MaxSize,
		DesiredCapacity: req.DesiredCapacity, LaunchTime: time.Duration(req.LaunchSeconds) * time.Second,
		Spot: req.Spot, OnDemandBaseCapacity: req.OnDemandBase, CapacityRebalance: req.CapacityRebalance})
	if err != nil {
		return nil, err
	}
	return h.e.describedGroup(ctx, req.Name)
}

func serveAutoScalingGroup(ctx context.Context, h *handler, _ []byte, q url.Values) (any, error) {
	name := q.Get("autoScalingGroupName")
	if err := requireMember("autoScalingGroupName", name); err != nil {
		return nil, err
	}
	return h.e.describedGroup(ctx, name)
}

func serveSetDesiredCapacity(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		Name            string `json:"autoScalingGroupName"`
		DesiredCapacity *int   `json:"desiredCapacity"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("autoScalingGroupName", req.Name); err != nil {
		return nil, err
	}
	if req.DesiredCapacity == nil {
		return nil, invalidParameter("desiredCapacity is required.")
	}
	if err := h.e.SetDesiredCapacity(ctx, req.Name, *req.DesiredCapacity); err != nil {
		return nil, err
	}
	return h.e.describedGroup(ctx, req.Name)
}
