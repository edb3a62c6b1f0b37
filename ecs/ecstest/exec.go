package ecstest

import (
	"context"
	"encoding/base64"
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// ExecuteCommand opens an ECS Exec session on a container of a task, as
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
// describes it: the task must have been started with execute command
// enabled (enableExecuteCommand of RunTask, StartTask or its service),
// else InvalidParameterException; the task must be RUNNING, its
// container RUNNING with its ExecuteCommandAgent, and the agent of its
// container instance connected, else TargetNotConnectedException. Only
// interactive sessions exist, as in ECS. The container may be left out
// when the task has one. The answer names the Session Manager session
// (sessionId, streamUrl, tokenValue) as ECS does; ecstest does not serve
// the Session Manager data channel the streamUrl names.
func (e *ECS) ExecuteCommand(ctx context.Context, req *ecs.ExecuteCommandRequest) (*ecs.ExecuteCommandResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	switch {
	case req == nil || req.Task == "":
		return nil, invalidParameter("task is required.")
	case req.Command == "":
		return nil, invalidParameter("command is required.")
	case !req.Interactive:
		return nil, invalidParameter("Interactive is the only mode supported currently.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tk, err := e.findTask(req.Cluster, req.Task)
	if err != nil {
		return nil, err
	}
	if !tk.t.EnableExecuteCommand {
		return nil, invalidParameter("The execute command failed because execute command was not enabled when the task was run " +
			"or the execute command agent isn't running. Wait and try again or run a new task with execute command enabled and try again.")
	}
	i := 0
	switch {
	case req.Container != "":
		if i = containerIndex(tk, req.Container); i < 0 {
			return nil, invalidParameter("Task %s has no container named %q.", tk.id(), req.Container)
		}
	case len(tk.t.Containers) > 1:
		return nil, invalidParameter("Task %s has %d containers: container is required.", tk.id(), len(tk.t.Containers))
	}
	c := &tk.t.Containers[i]
	if why := notConnected(tk, c); why != "" {
		return nil, apiErrorf(ecs.TargetNotConnectedException, nil, "The execute command failed: %s.", why)
	}
	id := "ecs-execute-command-" + e.ids.next("exec-session")[:17]
	token := e.ids.next("exec-token") + e.ids.next("exec-token")
	return &ecs.ExecuteCommandResponse{
		ClusterARN:    tk.cl.info.ClusterARN,
		ContainerARN:  c.ContainerARN,
		ContainerName: c.Name,
		Interactive:   true,
		TaskARN:       tk.t.TaskARN,
		Session: &ecs.Session{
			SessionID:  id,
			StreamURL:  "wss://ssmmessages." + e.arns.region + ".amazonaws.com/v1/data-channel/" + id + "?role=publish_subscribe",
			TokenValue: base64.StdEncoding.EncodeToString([]byte(token)),
		},
	}, nil
}

// notConnected says why an exec session cannot reach the container c of
// tk, or "" when it can.
func notConnected(tk *task, c *ecs.Container) string {
	switch {
	case tk.t.LastStatus != ecs.TaskStatusRunning || tk.stopping():
		return "task " + tk.id() + " is " + string(tk.t.LastStatus) + ", desired " + string(tk.t.DesiredStatus) + ", not RUNNING"
	case c.LastStatus != ecs.TaskStatusRunning:
		return "container " + c.Name + " is " + string(c.LastStatus) + ", not RUNNING"
	case tk.inst != nil && !tk.inst.ci.AgentConnected:
		return "the agent of container instance " + tk.inst.ci.ContainerInstanceARN + " is not connected"
	}
	i := slices.IndexFunc(c.ManagedAgents, func(m ecs.ManagedAgent) bool { return m.Name == ecs.ManagedAgentNameExecuteCommandAgent })
	if i < 0 || c.ManagedAgents[i].LastStatus != string(ecs.TaskStatusRunning) {
		return "the ExecuteCommandAgent of container " + c.Name + " is not RUNNING"
	}
	return ""
}

// startManagedAgents starts the ExecuteCommandAgent of each container of
// a task with execute command enabled, as the task reaches RUNNING (ECS
// shows it in the container's managedAgents). e.mu must be held.
func (e *ECS) startManagedAgents(tk *task) {
	if !tk.t.EnableExecuteCommand {
		return
	}
	now := e.clock.Now()
	for i := range tk.t.Containers {
		setManagedAgent(tk, i, ecs.ManagedAgentStateChange{ManagedAgentName: ecs.ManagedAgentNameExecuteCommandAgent,
			Status: string(ecs.TaskStatusRunning)}, now)
	}
}

// stopManagedAgents marks the managed agents of container i STOPPED, as
// the container stops.
func stopManagedAgents(c *ecs.Container) {
	for k := range c.ManagedAgents {
		c.ManagedAgents[k].LastStatus = string(ecs.TaskStatusStopped)
	}
}

// setManagedAgent records the status of a managed agent of the task's
// container i (starting it at now when it turns RUNNING).
func setManagedAgent(tk *task, i int, m ecs.ManagedAgentStateChange, now time.Time) {
	c := &tk.t.Containers[i]
	k := slices.IndexFunc(c.ManagedAgents, func(a ecs.ManagedAgent) bool { return a.Name == m.ManagedAgentName })
	if k < 0 {
		c.ManagedAgents = append(c.ManagedAgents, ecs.ManagedAgent{Name: m.ManagedAgentName})
		k = len(c.ManagedAgents) - 1
	}
	a := &c.ManagedAgents[k]
	if m.Status == string(ecs.TaskStatusRunning) && a.LastStatus != m.Status {
		a.LastStartedAt = ecs.NewTime(now)
	}
	a.LastStatus, a.Reason = m.Status, m.Reason
}
