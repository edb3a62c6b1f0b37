package ecstest

import (
	"context"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// execTaskDef registers a task definition of two containers, "app"
// (essential) and "sidecar" (not), with a task role, as ECS Exec needs.
func execTaskDef(t *testing.T, e *ECS) *ecs.TaskDefinition {
	t.Helper()
	td, err := e.Registry().Register(&ecs.TaskDefinition{
		Family: "exec", TaskRoleARN: "arn:aws:iam::123456789012:role/app",
		ContainerDefinitions: []ecs.ContainerDefinition{
			{Name: "app", Image: "nginx", Memory: ptr(128)},
			{Name: "sidecar", Image: "envoy", Memory: ptr(64), Essential: ptr(false)},
		},
	}, nil)
	require.NoError(t, err)
	return td
}

// runOne runs one task of td with execute command as given, and returns
// its ARN.
func runOne(t *testing.T, e *ECS, td string, execute bool) string {
	t.Helper()
	resp, err := e.RunTask(context.Background(), &ecs.RunTaskRequest{TaskDefinition: td, EnableExecuteCommand: execute})
	require.NoError(t, err)
	require.Empty(t, resp.Failures)
	return resp.Tasks[0].TaskARN
}

// TestAgentStateChanges checks that an agent simulator drives a task with
// SubmitTaskStateChange and SubmitContainerStateChange through the same
// lifecycle as the simulated agent: PENDING, RUNNING at once, a container
// that exits, and STOPPED with the stop code ECS gives, and that a status
// cannot go back
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html).
func TestAgentStateChanges(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	register(t, e, "m5.large", "us-east-1a")
	td := execTaskDef(t, e)
	arn := runOne(t, e, td.TaskDefinitionARN, false)
	require.Equal(t, ecs.TaskStatusProvisioning, describeTask(t, e, arn).LastStatus)

	ack, err := e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: arn, Status: "PENDING"})
	require.NoError(t, err)
	require.Equal(t, "ACK", ack.Acknowledgment)
	require.Equal(t, ecs.TaskStatusPending, describeTask(t, e, arn).LastStatus)

	_, err = e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: arn, Status: "RUNNING",
		Containers: []ecs.ContainerStateChange{{ContainerName: "app", RuntimeID: "abc123", Status: "RUNNING"}}})
	require.NoError(t, err)
	tk := describeTask(t, e, arn)
	require.Equal(t, ecs.TaskStatusRunning, tk.LastStatus, "RUNNING before the simulated agent would have it")
	require.Equal(t, "abc123", tk.Containers[0].RuntimeID, "the runtime ID the agent reported")
	require.False(t, tk.StartedAt.IsZero())
	advance(e, time.Minute)
	require.Equal(t, ecs.TaskStatusRunning, describeTask(t, e, arn).LastStatus, "the simulated agent's schedule is void")

	_, err = e.SubmitContainerStateChange(ctx, &ecs.SubmitContainerStateChangeRequest{Task: arn, ContainerName: "sidecar", Status: "STOPPED", ExitCode: ptr(3)})
	require.NoError(t, err)
	tk = describeTask(t, e, arn)
	require.Equal(t, ecs.TaskStatusRunning, tk.LastStatus, "a container that is not essential stops alone")
	require.Equal(t, 3, *tk.Containers[1].ExitCode)

	_, err = e.SubmitContainerStateChange(ctx, &ecs.SubmitContainerStateChangeRequest{Task: arn, ContainerName: "sidecar", Status: "RUNNING"})
	requireRefused(t, err, ecs.InvalidParameterException, "does not go back")

	_, err = e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: arn, Status: "STOPPED", Reason: "OutOfMemoryError",
		Containers: []ecs.ContainerStateChange{{ContainerName: "app", Status: "STOPPED", ExitCode: ptr(137)}}})
	require.NoError(t, err)
	tk = describeTask(t, e, arn)
	require.Equal(t, ecs.TaskStatusStopped, tk.LastStatus)
	require.Equal(t, ecs.TaskStopCodeEssentialContainerExited, tk.StopCode)
	require.Equal(t, 137, *tk.Containers[0].ExitCode)

	_, err = e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: arn, Status: "RUNNING"})
	requireRefused(t, err, ecs.InvalidParameterException, "does not go back")
	_, err = e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: arn, Status: "STOPPED"})
	require.NoError(t, err, "a repeat is acknowledged")

	// A task its agent reports STOPPED before it ran failed to start.
	arn = runOne(t, e, td.TaskDefinitionARN, false)
	_, err = e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: arn, Status: "STOPPED", Reason: "CannotPullContainerError: denied"})
	require.NoError(t, err)
	tk = describeTask(t, e, arn)
	require.Equal(t, ecs.TaskStopCodeTaskFailedToStart, tk.StopCode)
	require.Equal(t, "CannotPullContainerError: denied", tk.StoppedReason)
}

// TestAgentStateChangesDriveServices checks that a service's scheduler
// sees what an agent reports: a task its agent stops is replaced.
func TestAgentStateChangesDriveServices(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	register(t, e, "m5.large", "us-east-1a")
	td := taskDef(t, e, "web", 256, 256)
	mustCreateService(t, e, "web", td.TaskDefinitionARN, 1)
	_, err := e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	list, err := e.ListTasks(ctx, &ecs.ListTasksRequest{ServiceName: "web"})
	require.NoError(t, err)
	first := list.TaskARNs[0]
	_, err = e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: first, Status: "STOPPED"})
	require.NoError(t, err)
	advance(e, time.Second)
	svc, err := e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	require.Equal(t, 1, svc.RunningCount)
	list, err = e.ListTasks(ctx, &ecs.ListTasksRequest{ServiceName: "web"})
	require.NoError(t, err)
	require.NotContains(t, list.TaskARNs, first, "replaced")
}

// TestAgentRefusals checks the refusals of the agent's operations: each
// names the member and leaves the task as it was.
func TestAgentRefusals(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	register(t, e, "m5.large", "us-east-1a")
	td := execTaskDef(t, e)
	arn := runOne(t, e, td.TaskDefinitionARN, false)
	tests := []struct {
		name    string
		call    func() error
		errType string
		message string
	}{
		{"task is required", func() error {
			_, err := e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Status: "RUNNING"})
			return err
		}, ecs.InvalidParameterException, "task is required"},
		{"a status an agent does not report", func() error {
			_, err := e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: arn, Status: "DEACTIVATING"})
			return err
		}, ecs.InvalidParameterException, "PENDING, RUNNING or STOPPED"},
		{"a container the task does not have", func() error {
			_, err := e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: arn, Status: "RUNNING",
				Containers: []ecs.ContainerStateChange{{ContainerName: "web", Status: "RUNNING"}}})
			return err
		}, ecs.InvalidParameterException, `no container named "web"`},
		{"containerName is required", func() error {
			_, err := e.SubmitContainerStateChange(ctx, &ecs.SubmitContainerStateChangeRequest{Task: arn, Status: "RUNNING"})
			return err
		}, ecs.InvalidParameterException, "containerName is required"},
		{"no such cluster", func() error {
			_, err := e.SubmitContainerStateChange(ctx, &ecs.SubmitContainerStateChangeRequest{Cluster: "nope", Task: arn, ContainerName: "app"})
			return err
		}, ecs.ClusterNotFoundException, ""},
		{"no such attachment", func() error {
			_, err := e.SubmitAttachmentStateChanges(ctx, &ecs.SubmitAttachmentStateChangesRequest{
				Attachments: []ecs.AttachmentStateChange{{AttachmentARN: "arn:aws:ecs:us-east-1:123456789012:attachment/x", Status: "ATTACHED"}}})
			return err
		}, ecs.InvalidParameterException, "was not found"},
		{"attachments are required", func() error {
			_, err := e.SubmitAttachmentStateChanges(ctx, &ecs.SubmitAttachmentStateChangesRequest{})
			return err
		}, ecs.InvalidParameterException, "attachments is required"},
		{"no such container instance", func() error {
			_, err := e.DiscoverPollEndpoint(ctx, &ecs.DiscoverPollEndpointRequest{ContainerInstance: "0123"})
			return err
		}, ecs.InvalidParameterException, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireRefused(t, tt.call(), tt.errType, tt.message)
			tk := describeTask(t, e, arn)
			require.Equal(t, ecs.TaskStatusProvisioning, tk.LastStatus)
			require.Equal(t, int64(1), tk.Version, "the task is as it was")
		})
	}
}

// TestAgentAttachments checks SubmitAttachmentStateChanges on the ENI of an
// awsvpc task, by the attachment's ARN.
func TestAgentAttachments(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	_, err := e.Registry().Register(&ecs.TaskDefinition{
		Family: "api", NetworkMode: ecs.NetworkModeAwsvpc, CPU: "256", Memory: "512",
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate},
		ContainerDefinitions:    []ecs.ContainerDefinition{{Name: "app", Image: "nginx"}},
	}, nil)
	require.NoError(t, err)
	resp, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "api", LaunchType: ecs.LaunchTypeFargate,
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}}})
	require.NoError(t, err)
	tk := resp.Tasks[0]
	att := "arn:aws:ecs:us-east-1:123456789012:attachment/" + tk.Attachments[0].ID
	ack, err := e.SubmitAttachmentStateChanges(ctx, &ecs.SubmitAttachmentStateChangesRequest{
		Attachments: []ecs.AttachmentStateChange{{AttachmentARN: att, Status: "ATTACHED"}}})
	require.NoError(t, err)
	require.Equal(t, "ACK", ack.Acknowledgment)
	require.Equal(t, "ATTACHED", describeTask(t, e, tk.TaskARN).Attachments[0].Status)
	_, err = e.SubmitAttachmentStateChanges(ctx, &ecs.SubmitAttachmentStateChangesRequest{
		Attachments: []ecs.AttachmentStateChange{{AttachmentARN: att, Status: "GLUED"}}})
	requireRefused(t, err, ecs.InvalidParameterException, "GLUED")

	ep, err := e.DiscoverPollEndpoint(ctx, &ecs.DiscoverPollEndpointRequest{})
	require.NoError(t, err)
	require.Equal(t, "https://ecs-a-1.us-east-1.amazonaws.com/", ep.Endpoint)
	require.Equal(t, "https://ecs-t-1.us-east-1.amazonaws.com/", ep.TelemetryEndpoint)
}

// TestUpdateContainerAgent checks UpdateContainerAgent
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateContainerAgent.html):
// the update's stages, the new version, and its three refusals.
func TestUpdateContainerAgent(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	unknown := register(t, e, "m5.large", "us-east-1a")
	old, err := e.RegisterContainerInstance(ctx, &ecs.RegisterContainerInstanceRequest{
		VersionInfo: &ecs.VersionInfo{AgentVersion: "1.50.0"},
		Attributes:  []ecs.Attribute{{Name: "ecs.instance-type", Value: "m5.large"}},
	})
	require.NoError(t, err)
	arn := old.ContainerInstance.ContainerInstanceARN

	_, err = e.UpdateContainerAgent(ctx, &ecs.UpdateContainerAgentRequest{ContainerInstance: unknown.ContainerInstanceARN})
	requireRefused(t, err, ecs.MissingVersionException, "")
	resp, err := e.UpdateContainerAgent(ctx, &ecs.UpdateContainerAgentRequest{ContainerInstance: arn})
	require.NoError(t, err)
	require.Equal(t, ecs.AgentUpdateStatusPending, resp.ContainerInstance.AgentUpdateStatus)
	_, err = e.UpdateContainerAgent(ctx, &ecs.UpdateContainerAgentRequest{ContainerInstance: arn})
	requireRefused(t, err, ecs.UpdateInProgressException, "PENDING")

	var seen []ecs.AgentUpdateStatus
	for range 4 {
		advance(e, agentUpdateStage)
		list, err := e.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesRequest{ContainerInstances: []string{arn}})
		require.NoError(t, err)
		seen = append(seen, list.ContainerInstances[0].AgentUpdateStatus)
		if seen[len(seen)-1] == ecs.AgentUpdateStatusUpdated {
			require.Equal(t, LatestAgentVersion, list.ContainerInstances[0].VersionInfo.AgentVersion)
		}
	}
	require.Equal(t, []ecs.AgentUpdateStatus{"STAGING", "STAGED", "UPDATING", "UPDATED"}, seen)
	_, err = e.UpdateContainerAgent(ctx, &ecs.UpdateContainerAgentRequest{ContainerInstance: arn})
	requireRefused(t, err, ecs.NoUpdateAvailableException, "")
	require.True(t, olderVersion("1.9.0", "1.10.0"))
	require.False(t, olderVersion("1.89.2", "1.89.2"))
}

// TestAttachmentIndex: SubmitAttachmentStateChanges finds attachments
// through one index of the cluster's attachments built per request (one
// entry per attachment, each to its task), so a request with many
// attachments does not walk every task for each.
func TestAttachmentIndex(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	_, err := e.Registry().Register(&ecs.TaskDefinition{
		Family: "api", NetworkMode: ecs.NetworkModeAwsvpc, CPU: "256", Memory: "512",
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate},
		ContainerDefinitions:    []ecs.ContainerDefinition{{Name: "app", Image: "nginx"}},
	}, nil)
	require.NoError(t, err)
	var changes []ecs.AttachmentStateChange
	want := map[string]string{}
	for range 5 {
		resp, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "api", LaunchType: ecs.LaunchTypeFargate, Count: ptr(2),
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}}})
		require.NoError(t, err)
		for _, tk := range resp.Tasks {
			want[tk.Attachments[0].ID] = tk.TaskARN
			changes = append(changes, ecs.AttachmentStateChange{AttachmentARN: tk.Attachments[0].ID, Status: "ATTACHED"})
		}
	}
	e.mu.Lock()
	cl, err := e.activeCluster("")
	require.NoError(t, err)
	got := map[string]string{}
	for id, tk := range attachmentIndex(cl) {
		got[id] = tk.t.TaskARN
	}
	e.mu.Unlock()
	require.Empty(t, cmp.Diff(want, got), "one entry per attachment")
	_, err = e.SubmitAttachmentStateChanges(ctx, &ecs.SubmitAttachmentStateChangesRequest{Attachments: changes})
	require.NoError(t, err)
	for _, arn := range want {
		require.Equal(t, "ATTACHED", describeTask(t, e, arn).Attachments[0].Status)
	}
}
