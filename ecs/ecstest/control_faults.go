package ecstest

import (
	"context"
	"net/url"

	"github.com/ecscore/ecscore/ecs"
)

// controlEndpoints is the table of the endpoints under /_ecslocal/: the
// clock and reset, then each fault of the Go API, with the JSON body that
// carries its arguments.
func controlEndpoints() []controlEndpoint {
	post := func(path, body, doc string, f func(context.Context, *handler, []byte, url.Values) (any, error)) controlEndpoint {
		return controlEndpoint{ControlEndpoint{Method: "POST", Path: path, Body: body, Doc: doc}, f}
	}
	return append([]controlEndpoint{
		{ControlEndpoint{Method: "GET", Path: "/_ecslocal/clock", Doc: `reads the clock: {"now": EPOCH, "speed": X}`}, serveClock},
		post("/_ecslocal/advance", `{"seconds": N}`,
			`moves the clock N seconds on (fractions allowed, up to ten years; also ?seconds=N); answers {"now", "speed"}`, serveAdvance),
		post("/_ecslocal/settle", `{"cluster": S, "service": S, "seconds": N}`,
			`moves the clock from event to event until the service is steady (one deployment, COMPLETED, its desired count running), at most N virtual seconds (an hour by default; also ?cluster=C&service=S&seconds=N); answers {"service"} as DescribeServices shows it`, serveSettle),
		post("/_ecslocal/reset", "",
			`clears every Region to how the server started (also moto's POST /moto-api/reset); answers {"now", "speed"}`, serveReset),
		post("/_ecslocal/exit-container", `{"cluster": S, "task": S, "container": S, "exitCode": N}`,
			`makes a RUNNING container exit with exitCode: an essential one stops its task (EssentialContainerExited), which a service replaces; answers {"task"}`, serveExitContainer),
		post("/_ecslocal/task-faults", `{"taskDefinition": S, "failToStart": N, "reason": S, "failHealthChecks": N}`,
			`makes the next failToStart tasks of the task definition (family, family:revision or ARN) that start fail to start (stop code TaskFailedToStart, stoppedReason reason), and the next failHealthChecks that start fail their health checks; -1 is all of them; answers {}`, serveTaskFaults),
		post("/_ecslocal/set-health", `{"cluster": S, "task": S, "container": S, "healthStatus": "HEALTHY|UNHEALTHY|UNKNOWN"}`,
			`sets the health check result of a container of a task (of every essential container when container is absent); the result stands until set again, and a service replaces an UNHEALTHY task; answers {"task"}`, serveSetHealth),
		post("/_ecslocal/drain-instance", `{"cluster": S, "containerInstance": S}`,
			`sets a container instance DRAINING, as UpdateContainerInstancesState does; answers {"containerInstance"}`, serveDrainInstance),
		post("/_ecslocal/terminate-instance", `{"cluster": S, "containerInstance": S}`,
			`terminates the EC2 instance of a container instance: its tasks stop at once (TerminationNotice) and it is deregistered; answers {"containerInstance"}`, serveTerminateInstance),
		post("/_ecslocal/disconnect-agent", `{"cluster": S, "containerInstance": S}`,
			`the instance's agent loses its connection (agentConnected false): placement turns the instance away, its tasks keep running; answers {"containerInstance"}`, serveDisconnectAgent),
		post("/_ecslocal/reconnect-agent", `{"cluster": S, "containerInstance": S}`,
			`the instance's agent connects again; answers {"containerInstance"}`, serveReconnectAgent),
		post("/_ecslocal/interrupt-spot-instance", `{"cluster": S, "containerInstance": S}`,
			`delivers the two-minute EC2 Spot interruption warning: the instance is DRAINING at once when Spot instance draining is on (set-spot instanceDraining; always for Managed Instances) and terminated two minutes later; answers {"containerInstance"}`, serveInterruptSpotInstance),
		post("/_ecslocal/interrupt-fargate-spot", `{"cluster": S, "tasks": [S]}`,
			`interrupts FARGATE_SPOT tasks (all of the cluster's when tasks is absent): stop code SpotInterruption, SIGTERM now; answers {"taskArns"}`, serveInterruptFargateSpot),
		post("/_ecslocal/lose-zone", `{"availabilityZone": S}`,
			`an Availability Zone fails: its container instances are terminated, its Fargate tasks stop, and new Fargate tasks go elsewhere until restore-zone; answers {}`, serveLoseZone),
		post("/_ecslocal/restore-zone", `{"availabilityZone": S}`,
			`ends lose-zone: new Fargate tasks may go to the zone again; answers {}`, serveRestoreZone),
		post("/_ecslocal/alarm", `{"alarmName": S, "stateValue": "ALARM|OK"}`,
			`puts a CloudWatch alarm in ALARM or takes it out: a deployment that watches it (deploymentConfiguration.alarms) fails while it is in ALARM; answers {}`, serveAlarm),
	}, append(loadBalancingEndpoints(), // loadbalancers_http.go
		append(discoveryEndpoints(), append(autoScalingEndpoints(), append(loadEndpoints(), spotEndpoints()...)...)...)...)...) // cloudmap_http.go, asg_http.go, appscaling_http.go, spot_http.go
}

// instanceRequest names a container instance of a cluster, the body of
// the instance faults.
type instanceRequest struct {
	Cluster           string `json:"cluster"`
	ContainerInstance string `json:"containerInstance"`
}

// taskAnswer and instanceAnswer are what the faults on one task or one
// container instance answer: it, as Describe* shows it after the fault.
type (
	taskAnswer struct {
		Task *ecs.Task `json:"task"`
	}
	instanceAnswer struct {
		ContainerInstance *ecs.ContainerInstance `json:"containerInstance"`
	}
)

// empty is the answer of a fault with nothing to show.
type empty struct{}

// describedTask returns the task ref names as DescribeTasks shows it.
func (e *ECS) describedTask(ctx context.Context, cluster, ref string) (any, error) {
	resp, err := e.DescribeTasks(ctx, &ecs.DescribeTasksRequest{Cluster: cluster, Tasks: []string{ref}})
	if err != nil {
		return nil, err
	}
	list := resp.Tasks
	if len(list) == 0 {
		return nil, invalidParameter("The referenced task was not found.")
	}
	return taskAnswer{&list[0]}, nil
}

// describedInstance returns the container instance ref names as
// DescribeContainerInstances shows it.
func (e *ECS) describedInstance(ctx context.Context, cluster, ref string) (any, error) {
	resp, err := e.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesRequest{Cluster: cluster, ContainerInstances: []string{ref}})
	if err != nil {
		return nil, err
	}
	list := resp.ContainerInstances
	if len(list) == 0 {
		return nil, invalidParameter("The referenced container instance was not found.")
	}
	return instanceAnswer{&list[0]}, nil
}

func requireMember(name, value string) error {
	if value == "" {
		return invalidParameter("%s is required.", name)
	}
	return nil
}

func serveExitContainer(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		Cluster   string `json:"cluster"`
		Task      string `json:"task"`
		Container string `json:"container"`
		ExitCode  *int   `json:"exitCode"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("task", req.Task); err != nil {
		return nil, err
	}
	if err := requireMember("container", req.Container); err != nil {
		return nil, err
	}
	if req.ExitCode == nil {
		return nil, invalidParameter("exitCode is required.")
	}
	if err := h.e.ExitContainer(ctx, req.Cluster, req.Task, req.Container, *req.ExitCode); err != nil {
		return nil, err
	}
	return h.e.describedTask(ctx, req.Cluster, req.Task)
}

func serveTaskFaults(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		TaskDefinition   string `json:"taskDefinition"`
		FailToStart      int    `json:"failToStart"`
		Reason           string `json:"reason"`
		FailHealthChecks int    `json:"failHealthChecks"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("taskDefinition", req.TaskDefinition); err != nil {
		return nil, err
	}
	err := h.e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: req.TaskDefinition, FailToStart: req.FailToStart,
		Reason: req.Reason, FailHealthChecks: req.FailHealthChecks})
	return empty{}, err
}

func serveSetHealth(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		Cluster      string           `json:"cluster"`
		Task         string           `json:"task"`
		Container    string           `json:"container"`
		HealthStatus ecs.HealthStatus `json:"healthStatus"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("task", req.Task); err != nil {
		return nil, err
	}
	if err := h.e.SetHealth(ctx, req.Cluster, req.Task, req.Container, req.HealthStatus); err != nil {
		return nil, err
	}
	return h.e.describedTask(ctx, req.Cluster, req.Task)
}

// instanceFault serves a fault on one container instance that f applies.
func instanceFault(ctx context.Context, h *handler, body []byte, f func(ctx context.Context, cluster, ref string) error) (any, error) {
	var req instanceRequest
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("containerInstance", req.ContainerInstance); err != nil {
		return nil, err
	}
	if err := f(ctx, req.Cluster, req.ContainerInstance); err != nil {
		return nil, err
	}
	return h.e.describedInstance(ctx, req.Cluster, req.ContainerInstance)
}

func serveDrainInstance(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	return instanceFault(ctx, h, body, func(ctx context.Context, cluster, ref string) error {
		resp, err := h.e.UpdateContainerInstancesState(ctx, &ecs.UpdateContainerInstancesStateRequest{
			Cluster: cluster, ContainerInstances: []string{ref}, Status: statusDraining})
		if err == nil && len(resp.Failures) > 0 {
			err = invalidParameter("Container instance %s: %s.", ref, resp.Failures[0].Reason)
		}
		return err
	})
}

func serveTerminateInstance(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	return instanceFault(ctx, h, body, h.e.TerminateInstance)
}

func serveDisconnectAgent(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	return instanceFault(ctx, h, body, h.e.DisconnectAgent)
}

func serveReconnectAgent(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	return instanceFault(ctx, h, body, h.e.ReconnectAgent)
}

func serveInterruptSpotInstance(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	return instanceFault(ctx, h, body, h.e.InterruptSpotInstance)
}

func serveInterruptFargateSpot(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		Cluster string   `json:"cluster"`
		Tasks   []string `json:"tasks"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	arns, err := h.e.InterruptFargateSpot(ctx, req.Cluster, req.Tasks...)
	if err != nil {
		return nil, err
	}
	return struct {
		TaskARNs []string `json:"taskArns"`
	}{arns}, nil
}

// zoneRequest is the body of lose-zone and restore-zone.
type zoneRequest struct {
	AvailabilityZone string `json:"availabilityZone"`
}

func serveLoseZone(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req zoneRequest
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("availabilityZone", req.AvailabilityZone); err != nil {
		return nil, err
	}
	return empty{}, h.e.LoseZone(ctx, req.AvailabilityZone)
}

func serveRestoreZone(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req zoneRequest
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("availabilityZone", req.AvailabilityZone); err != nil {
		return nil, err
	}
	h.e.RestoreZone(ctx, req.AvailabilityZone)
	return empty{}, nil
}

// serveAlarm takes CloudWatch's SetAlarmState names: alarmName and
// stateValue.
func serveAlarm(ctx context.Context, h *handler, body []byte, _ url.Values) (any, error) {
	var req struct {
		AlarmName  string `json:"alarmName"`
		StateValue string `json:"stateValue"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if err := requireMember("alarmName", req.AlarmName); err != nil {
		return nil, err
	}
	switch req.StateValue {
	case "ALARM", "OK", "INSUFFICIENT_DATA":
	default:
		return nil, invalidParameter("stateValue %q is not valid: use ALARM, OK or INSUFFICIENT_DATA.", req.StateValue)
	}
	h.e.SetAlarm(ctx, req.AlarmName, req.StateValue == "ALARM")
	return empty{}, nil
}
