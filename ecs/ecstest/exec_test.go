package ecstest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// TestExecuteCommand checks ExecuteCommand as the ECS Exec guide
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html)
// and the API reference describe it: a session on a RUNNING container of
// a task started with execute command, its ExecuteCommandAgent RUNNING
// and its instance's agent connected; InvalidParameterException for a
// task without execute command or a request ECS refuses;
// TargetNotConnectedException otherwise.
func TestExecuteCommand(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	ci := register(t, e, "m5.large", "us-east-1a")
	td := execTaskDef(t, e)
	on := runOne(t, e, td.TaskDefinitionARN, true)
	off := runOne(t, e, td.TaskDefinitionARN, false)
	exec := func(task, container string) (*ecs.ExecuteCommandResponse, error) {
		return e.ExecuteCommand(ctx, &ecs.ExecuteCommandRequest{Task: task, Container: container, Command: "/bin/sh", Interactive: true})
	}

	_, err := exec(on, "app")
	requireRefused(t, err, ecs.TargetNotConnectedException, "not RUNNING")
	advance(e, time.Minute)
	tk := describeTask(t, e, on)
	require.Equal(t, []ecs.ManagedAgent{{Name: ecs.ManagedAgentNameExecuteCommandAgent, LastStatus: "RUNNING", LastStartedAt: tk.StartedAt}},
		tk.Containers[0].ManagedAgents, "ECS shows the ExecuteCommandAgent")
	require.Empty(t, describeTask(t, e, off).Containers[0].ManagedAgents)

	resp, err := exec(on, "app")
	require.NoError(t, err)
	require.Equal(t, on, resp.TaskARN)
	require.Equal(t, tk.Containers[0].ContainerARN, resp.ContainerARN)
	require.Equal(t, "app", resp.ContainerName)
	require.True(t, resp.Interactive)
	require.Equal(t, tk.ClusterARN, resp.ClusterARN)
	require.True(t, strings.HasPrefix(resp.Session.SessionID, "ecs-execute-command-"), resp.Session.SessionID)
	require.True(t, strings.HasPrefix(resp.Session.StreamURL, "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/"+resp.Session.SessionID))
	require.NotEmpty(t, resp.Session.TokenValue)

	tests := []struct {
		name             string
		req              ecs.ExecuteCommandRequest
		errType, message string
	}{
		{"not interactive", ecs.ExecuteCommandRequest{Task: on, Container: "app", Command: "ls"}, ecs.InvalidParameterException, "Interactive is the only mode"},
		{"no command", ecs.ExecuteCommandRequest{Task: on, Container: "app", Interactive: true}, ecs.InvalidParameterException, "command is required"},
		{"execute command not enabled", ecs.ExecuteCommandRequest{Task: off, Container: "app", Command: "ls", Interactive: true}, ecs.InvalidParameterException, "execute command was not enabled"},
		{"two containers and none named", ecs.ExecuteCommandRequest{Task: on, Command: "ls", Interactive: true}, ecs.InvalidParameterException, "container is required"},
		{"no such container", ecs.ExecuteCommandRequest{Task: on, Container: "db", Command: "ls", Interactive: true}, ecs.InvalidParameterException, `"db"`},
		{"no such task", ecs.ExecuteCommandRequest{Task: "0123", Command: "ls", Interactive: true}, ecs.InvalidParameterException, "not found"},
		{"no such cluster", ecs.ExecuteCommandRequest{Cluster: "nope", Task: on, Command: "ls", Interactive: true}, ecs.ClusterNotFoundException, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.ExecuteCommand(ctx, &tt.req)
			requireRefused(t, err, tt.errType, tt.message)
		})
	}

	require.NoError(t, e.DisconnectAgent(ctx, "", ci.ContainerInstanceARN))
	_, err = exec(on, "app")
	requireRefused(t, err, ecs.TargetNotConnectedException, "not connected")
	require.NoError(t, e.ReconnectAgent(ctx, "", ci.ContainerInstanceARN))

	require.NoError(t, e.ExitContainer(ctx, "", on, "sidecar", 0))
	_, err = exec(on, "sidecar")
	requireRefused(t, err, ecs.TargetNotConnectedException, "container sidecar is STOPPED")
	_, err = exec(on, "app")
	require.NoError(t, err, "the other container still takes sessions")

	_, err = e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: on, ManagedAgents: []ecs.ManagedAgentStateChange{
		{ContainerName: "app", ManagedAgentName: ecs.ManagedAgentNameExecuteCommandAgent, Status: "STOPPED", Reason: "agent crashed"}}})
	require.NoError(t, err)
	_, err = exec(on, "app")
	requireRefused(t, err, ecs.TargetNotConnectedException, "ExecuteCommandAgent")

	_, err = e.StopTask(ctx, &ecs.StopTaskRequest{Task: on})
	require.NoError(t, err)
	advance(e, time.Minute)
	_, err = exec(on, "app")
	requireRefused(t, err, ecs.TargetNotConnectedException, "STOPPED")
}

// TestListServicesByNamespace checks ListServicesByNamespace: the services
// of every cluster whose Service Connect configuration names the
// namespace, or takes it from their cluster's default, and
// NamespaceNotFoundException for a namespace nothing knows.
func TestListServicesByNamespace(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	_, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: "blue",
		ServiceConnectDefaults: &ecs.ClusterServiceConnectDefaultsRequest{Namespace: "shop"}})
	require.NoError(t, err)
	td := taskDef(t, e, "web", 128, 128)
	create := func(cluster, name string, sc *ecs.ServiceConnectConfiguration) string {
		resp, err := e.CreateService(ctx, &ecs.CreateServiceRequest{Cluster: cluster, ServiceName: name, TaskDefinition: td.TaskDefinitionARN,
			DesiredCount: ptr(0), ServiceConnectConfiguration: sc})
		require.NoError(t, err)
		return resp.Service.ServiceARN
	}
	explicit := create("", "cart", &ecs.ServiceConnectConfiguration{Enabled: true, Namespace: "shop"})
	byDefault := create("blue", "pay", &ecs.ServiceConnectConfiguration{Enabled: true})
	create("blue", "other", &ecs.ServiceConnectConfiguration{Enabled: true, Namespace: "admin"})
	create("", "plain", nil)
	disabled := create("", "off", &ecs.ServiceConnectConfiguration{Enabled: false, Namespace: "shop"})

	resp, err := e.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceRequest{Namespace: "shop"})
	require.NoError(t, err)
	require.ElementsMatch(t, []string{explicit, byDefault}, resp.ServiceARNs)
	page, err := e.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceRequest{Namespace: "shop", MaxResults: ptr(1)})
	require.NoError(t, err)
	require.Len(t, page.ServiceARNs, 1)
	require.NotEmpty(t, page.NextToken)

	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "off", ServiceConnectConfiguration: &ecs.ServiceConnectConfiguration{Enabled: true, Namespace: "shop"}})
	require.NoError(t, err)
	resp, err = e.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceRequest{Namespace: "shop"})
	require.NoError(t, err)
	require.Contains(t, resp.ServiceARNs, disabled, "UpdateService's Service Connect configuration counts")
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "off", DesiredCount: ptr(0), ForceNewDeployment: true})
	require.NoError(t, err)
	resp, err = e.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceRequest{Namespace: "shop"})
	require.NoError(t, err)
	require.Contains(t, resp.ServiceARNs, disabled, "and stays with a new deployment")

	_, err = e.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceRequest{Namespace: "nowhere"})
	requireRefused(t, err, ecs.NamespaceNotFoundException, "nowhere")
	_, err = e.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceRequest{})
	requireRefused(t, err, ecs.InvalidParameterException, "namespace is required")
}
