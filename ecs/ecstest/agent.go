package ecstest

import (
	"context"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// The operations the ECS container agent calls (DiscoverPollEndpoint,
// SubmitTaskStateChange, SubmitContainerStateChange,
// SubmitAttachmentStateChanges), so that an agent simulator outside the
// process can drive the state of tasks and containers as a real agent
// reports it. Each state change goes through the lifecycle the simulated
// agent uses (tasks.go), so the services' schedulers see it; the
// simulated agent keeps moving a task on its own meanwhile, unless a
// report has taken it further. ecstest does not serve the agent's
// WebSocket protocols (ACS, TCS): DiscoverPollEndpoint answers the
// endpoints ECS names, for an agent to record.

// acknowledged is the acknowledgment of a state change ECS took.
const acknowledged = "ACK"

// DiscoverPollEndpoint returns the endpoints the agent of a container
// instance polls for work and sends telemetry to, as ECS names them for
// the Region. The cluster, and the container instance when given, must
// exist.
func (e *ECS) DiscoverPollEndpoint(ctx context.Context, req *ecs.DiscoverPollEndpointRequest) (*ecs.DiscoverPollEndpointResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil {
		req = &ecs.DiscoverPollEndpointRequest{}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if req.ContainerInstance != "" {
		if _, _, err := e.clusterInstance(req.Cluster, req.ContainerInstance); err != nil {
			return nil, err
		}
	} else if _, err := e.activeCluster(req.Cluster); err != nil {
		return nil, err
	}
	r := e.arns.region
	return &ecs.DiscoverPollEndpointResponse{
		Endpoint:               "https://ecs-a-1." + r + ".amazonaws.com/",
		TelemetryEndpoint:      "https://ecs-t-1." + r + ".amazonaws.com/",
		ServiceConnectEndpoint: "https://ecs-sc." + r + ".api.aws",
	}, nil
}

// SubmitTaskStateChange records the state of a task as its agent reports
// it: the changes of its containers, attachments and managed agents
// first, then its status. PENDING moves a PROVISIONING task on; RUNNING
// starts a task that has not started yet (its containers RUNNING, its
// health checks begun); STOPPED stops it at once, with the stop code
// ECS gives (EssentialContainerExited for a task that ran,
// TaskFailedToStart for one that did not, unless it was already asked to
// stop) and reason as its stoppedReason. A status the task has passed is
// refused; the status it has is a repeat, acknowledged.
func (e *ECS) SubmitTaskStateChange(ctx context.Context, req *ecs.SubmitTaskStateChangeRequest) (*ecs.SubmitTaskStateChangeResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil || req.Task == "" {
		return nil, invalidParameter("task is required.")
	}
	next, err := taskStatusReport(req.Status)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tk, err := e.findTask(req.Cluster, req.Task)
	if err != nil {
		return nil, err
	}
	if next != "" && next != tk.t.LastStatus && statusRank(next) < statusRank(tk.t.LastStatus) {
		return nil, invalidParameter("Task %s is %s: its status does not go back to %s.", tk.id(), tk.t.LastStatus, next)
	}
	idx := make([]int, len(req.Containers))
	for k, c := range req.Containers {
		if idx[k], err = checkContainerChange(tk, c); err != nil {
			return nil, err
		}
	}
	atts := make([]*ecs.Attachment, len(req.Attachments))
	for k, a := range req.Attachments {
		if atts[k], err = checkAttachmentChange(tk, a); err != nil {
			return nil, err
		}
	}
	for _, m := range req.ManagedAgents {
		if i := containerIndex(tk, m.ContainerName); i < 0 {
			return nil, invalidParameter("managedAgents: task %s has no container named %q.", tk.id(), m.ContainerName)
		}
	}
	// Checked: from here on, nothing is refused.
	for k, c := range req.Containers {
		e.applyContainerChange(tk, idx[k], c)
	}
	for k, a := range req.Attachments {
		atts[k].Status = a.Status
	}
	for _, m := range req.ManagedAgents {
		setManagedAgent(tk, containerIndex(tk, m.ContainerName), m, e.clock.Now())
	}
	if !req.PullStartedAt.IsZero() {
		tk.t.PullStartedAt = req.PullStartedAt
	}
	if !req.PullStoppedAt.IsZero() {
		tk.t.PullStoppedAt = req.PullStoppedAt
	}
	if !req.ExecutionStoppedAt.IsZero() {
		tk.t.ExecutionStoppedAt = req.ExecutionStoppedAt
	}
	e.reportTaskStatus(tk, next, req.Reason)
	return &ecs.SubmitTaskStateChangeResponse{Acknowledgment: acknowledged}, nil
}

// taskStatusReport reads the status of a task state change: PENDING,
// RUNNING, STOPPED, or none.
func taskStatusReport(status string) (ecs.TaskStatus, error) {
	switch s := ecs.TaskStatus(status); s {
	case "", ecs.TaskStatusPending, ecs.TaskStatusRunning, ecs.TaskStatusStopped:
		return s, nil
	}
	return "", invalidParameter("status %q is not a status an agent reports of a task: use PENDING, RUNNING or STOPPED.", status)
}

// statusRank orders a task's statuses along its lifecycle.
func statusRank(s ecs.TaskStatus) int {
	return slices.Index([]ecs.TaskStatus{
		ecs.TaskStatusProvisioning, ecs.TaskStatusPending, ecs.TaskStatusActivating, ecs.TaskStatusRunning,
		ecs.TaskStatusDeactivating, ecs.TaskStatusStopping, ecs.TaskStatusDeprovisioning, ecs.TaskStatusStopped,
	}, s)
}

// reportTaskStatus moves the task to the status its agent reports, through
// the lifecycle of tasks.go. e.mu must be held.
func (e *ECS) reportTaskStatus(tk *task, status ecs.TaskStatus, reason string) {
	switch {
	case status == "" || status == tk.t.LastStatus:
		e.touch(tk)
	case status == ecs.TaskStatusStopped:
		code := ecs.TaskStopCodeTaskFailedToStart
		if tk.t.LastStatus == ecs.TaskStatusRunning {
			code = ecs.TaskStopCodeEssentialContainerExited
		}
		if reason == "" {
			reason = "Task stopped by its agent"
		}
		e.killTask(tk, code, reason)
	case tk.stopping():
		e.touch(tk) // asked to stop: the agent's start comes too late
	case tk.t.LastStatus == ecs.TaskStatusProvisioning:
		e.toPending(tk)
		if status == ecs.TaskStatusRunning {
			e.startReported(tk)
		}
	case status == ecs.TaskStatusRunning:
		e.startReported(tk)
	}
}

// startReported starts a task its agent reports RUNNING: the transitions
// the simulated agent had scheduled are void. e.mu must be held.
func (e *ECS) startReported(tk *task) {
	tk.gen++
	if tk.t.PullStoppedAt.IsZero() {
		tk.t.PullStoppedAt = ecs.NewTime(e.clock.Now())
	}
	e.toRunning(tk)
}

// containerIndex returns the index of the task's container called name,
// or -1.
func containerIndex(tk *task, name string) int {
	return slices.IndexFunc(tk.t.Containers, func(c ecs.Container) bool { return c.Name == name })
}

// checkContainerChange checks a container's state change against the
// task, and returns the container's index.
func checkContainerChange(tk *task, c ecs.ContainerStateChange) (int, error) {
	i := containerIndex(tk, c.ContainerName)
	if i < 0 {
		return 0, invalidParameter("Task %s has no container named %q.", tk.id(), c.ContainerName)
	}
	switch ecs.TaskStatus(c.Status) {
	case "", ecs.TaskStatusPending, ecs.TaskStatusRunning, ecs.TaskStatusStopped:
	default:
		return 0, invalidParameter("Container status %q is not valid: use PENDING, RUNNING or STOPPED.", c.Status)
	}
	if cur := tk.t.Containers[i].LastStatus; cur == ecs.TaskStatusStopped && c.Status != "" && c.Status != string(cur) {
		return 0, invalidParameter("Container %s of task %s is STOPPED: its status does not go back to %s.", c.ContainerName, tk.id(), c.Status)
	}
	return i, nil
}

// applyContainerChange records a checked container state change: its
// runtime ID, image digest, network bindings and reason, and its status;
// an essential container that stops stops its task (containerExited).
// e.mu must be held.
func (e *ECS) applyContainerChange(tk *task, i int, ch ecs.ContainerStateChange) {
	c := &tk.t.Containers[i]
	if ch.RuntimeID != "" {
		c.RuntimeID = ch.RuntimeID
	}
	if ch.ImageDigest != "" {
		c.ImageDigest = ch.ImageDigest
	}
	if ch.NetworkBindings != nil {
		c.NetworkBindings = ownBindings(ch.NetworkBindings)
	}
	switch ecs.TaskStatus(ch.Status) {
	case ecs.TaskStatusStopped:
		if c.LastStatus != ecs.TaskStatusStopped {
			e.containerExited(tk, i, ch.ExitCode, ch.Reason)
			return
		}
	case ecs.TaskStatusRunning, ecs.TaskStatusPending:
		c.LastStatus = ecs.TaskStatus(ch.Status)
	}
	if ch.Reason != "" {
		c.Reason = ch.Reason
	}
	e.touch(tk)
}

// SubmitContainerStateChange records the state of one container as its
// agent reports it (see SubmitTaskStateChange): RUNNING, or STOPPED with
// its exit code, which stops the task when the container is essential.
func (e *ECS) SubmitContainerStateChange(ctx context.Context, req *ecs.SubmitContainerStateChangeRequest) (*ecs.SubmitContainerStateChangeResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil || req.Task == "" {
		return nil, invalidParameter("task is required.")
	}
	if req.ContainerName == "" {
		return nil, invalidParameter("containerName is required.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tk, err := e.findTask(req.Cluster, req.Task)
	if err != nil {
		return nil, err
	}
	ch := ecs.ContainerStateChange{ContainerName: req.ContainerName, RuntimeID: req.RuntimeID, Status: req.Status,
		ExitCode: req.ExitCode, Reason: req.Reason, NetworkBindings: req.NetworkBindings}
	i, err := checkContainerChange(tk, ch)
	if err != nil {
		return nil, err
	}
	e.applyContainerChange(tk, i, ch)
	return &ecs.SubmitContainerStateChangeResponse{Acknowledgment: acknowledged}, nil
}

// attachmentStatuses are the statuses of an attachment (Attachment.status
// in the API reference).
var attachmentStatuses = []string{"PRECREATED", "CREATED", "ATTACHING", "ATTACHED", "DETACHING", "DETACHED", "DELETED", "FAILED"}

// checkAttachmentChange finds the task's attachment a state change names
// (by its ARN, or its ID) and checks its status.
func checkAttachmentChange(tk *task, a ecs.AttachmentStateChange) (*ecs.Attachment, error) {
	if !slices.Contains(attachmentStatuses, a.Status) {
		return nil, invalidParameter("Attachment status %q is not valid: use one of %s.", a.Status, strings.Join(attachmentStatuses, ", "))
	}
	id := a.AttachmentARN[strings.LastIndex(a.AttachmentARN, "/")+1:]
	for i := range tk.t.Attachments {
		if tk.t.Attachments[i].ID == id && id != "" {
			return &tk.t.Attachments[i], nil
		}
	}
	return nil, invalidParameter("Attachment %q was not found.", a.AttachmentARN)
}

// SubmitAttachmentStateChanges records the status of attachments (the
// ENIs of awsvpc tasks) as the agent reports them; each names the
// attachment by its ARN (arn:aws:ecs:REGION:ACCOUNT:attachment/ID) or ID.
// Every change is checked before any is recorded.
func (e *ECS) SubmitAttachmentStateChanges(ctx context.Context, req *ecs.SubmitAttachmentStateChangesRequest) (*ecs.SubmitAttachmentStateChangesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil || len(req.Attachments) == 0 {
		return nil, invalidParameter("attachments is required.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(req.Cluster)
	if err != nil {
		return nil, err
	}
	tasks := make([]*task, len(req.Attachments))
	atts := make([]*ecs.Attachment, len(req.Attachments))
	byID := attachmentIndex(cl)
	for k, a := range req.Attachments {
		tasks[k], atts[k], err = e.findAttachment(byID, a)
		if err != nil {
			return nil, err
		}
	}
	for k, a := range req.Attachments {
		atts[k].Status = a.Status
		e.touch(tasks[k])
	}
	return &ecs.SubmitAttachmentStateChangesResponse{Acknowledgment: acknowledged}, nil
}

// findAttachment finds the task of cl that holds the attachment a
// names, by its ID in byID (attachmentIndex of cl, built once per
// request, so a request costs O(tasks + attachments)). e.mu must be held.
func (e *ECS) findAttachment(byID map[string]*task, a ecs.AttachmentStateChange) (*task, *ecs.Attachment, error) {
	if !slices.Contains(attachmentStatuses, a.Status) {
		return nil, nil, invalidParameter("Attachment status %q is not valid: use one of %s.", a.Status, strings.Join(attachmentStatuses, ", "))
	}
	tk := byID[a.AttachmentARN[strings.LastIndex(a.AttachmentARN, "/")+1:]]
	if tk == nil {
		return nil, nil, invalidParameter("Attachment %q was not found.", a.AttachmentARN)
	}
	att, err := checkAttachmentChange(tk, a)
	return tk, att, err
}

// attachmentIndex maps the ID of each attachment of cl's tasks to its
// task. e.mu must be held.
func attachmentIndex(cl *cluster) map[string]*task {
	byID := map[string]*task{}
	for _, tk := range cl.tasks {
		for _, att := range tk.t.Attachments {
			if att.ID != "" {
				byID[att.ID] = tk
			}
		}
	}
	return byID
}
