package ecstest

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// remainingCPU returns the CPU units left on the cluster's instances.
func remainingCPU(t *testing.T, e *ECS) int {
	t.Helper()
	list, err := e.ListContainerInstances(context.Background(), &ecs.ListContainerInstancesRequest{})
	require.NoError(t, err)
	got, err := e.DescribeContainerInstances(context.Background(), &ecs.DescribeContainerInstancesRequest{ContainerInstances: list.ContainerInstanceARNs})
	require.NoError(t, err)
	n := 0
	for _, ci := range got.ContainerInstances {
		for _, r := range ci.RemainingResources {
			if r.Name == "CPU" {
				n += r.IntegerValue
			}
		}
	}
	return n
}

// TestServiceConnectInTasks: a task of a service with Service Connect
// enabled has the proxy container Amazon ECS adds to each task ("Configure
// Service Connect proxy container":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/configure-service-connect-proxy-container.html)
// and a ServiceConnect attachment naming it (API Attachment.type:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Attachment.html);
// the proxy's resources come out of the task's; a task of a service
// without Service Connect, or of a deployment that turned it off, has
// neither ("Only the tasks in the new deployment use the Service Connect
// proxy": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html).
func TestServiceConnectInTasks(t *testing.T) {
	ctx := context.Background()
	e := lbWorld(t)
	free := remainingCPU(t, e)
	_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(1),
		ServiceConnectConfiguration: &ecs.ServiceConnectConfiguration{Enabled: true, Namespace: "shop"}})
	require.NoError(t, err)
	_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "plain", TaskDefinition: "web", DesiredCount: ptr(1)})
	require.NoError(t, err)
	advance(e, 30*time.Second)

	tasks := serviceTasks(t, e, "web")
	require.Len(t, tasks, 1)
	tk := describeTask(t, e, tasks[0].TaskARN)
	require.Equal(t, ecs.TaskStatusRunning, tk.LastStatus)
	require.Len(t, tk.Containers, 2, "the app and the proxy")
	proxy := tk.Containers[1]
	require.Regexp(t, regexp.MustCompile(`^ecs-service-connect-[A-Za-z0-9]{5}$`), proxy.Name)
	require.Equal(t, ecs.TaskStatusRunning, proxy.LastStatus)
	require.Empty(t, proxy.Image)
	require.Empty(t, proxy.CPU, "no container-level cpu")
	require.Empty(t, proxy.Memory)
	var att *ecs.Attachment
	for i := range tk.Attachments {
		if tk.Attachments[i].Type == "ServiceConnect" {
			att = &tk.Attachments[i]
		}
	}
	require.NotNil(t, att, "a ServiceConnect attachment")
	require.Equal(t, "ATTACHED", att.Status)
	require.Equal(t, []ecs.KeyValuePair{{Name: "ContainerName", Value: proxy.Name}}, att.Details)
	require.Equal(t, free-2*256, remainingCPU(t, e), "the proxy reserves nothing beyond the task's containers")

	plain := describeTask(t, e, serviceTasks(t, e, "plain")[0].TaskARN)
	require.Len(t, plain.Containers, 1)
	require.Empty(t, plain.Attachments)

	// The proxy has no container definition: its exit is recorded
	// (and must not index past the definitions).
	require.NoError(t, e.ExitContainer(ctx, "", tk.TaskARN, proxy.Name, 1))
	require.Equal(t, ecs.TaskStatusStopped, describeTask(t, e, tk.TaskARN).Containers[1].LastStatus)

	// A deployment that turns Service Connect off starts tasks without it.
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", ServiceConnectConfiguration: &ecs.ServiceConnectConfiguration{Enabled: false}})
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	for _, task := range serviceTasks(t, e, "web") {
		if task.LastStatus == ecs.TaskStatusRunning && task.TaskARN != tk.TaskARN {
			require.Len(t, describeTask(t, e, task.TaskARN).Containers, 1, "no proxy without Service Connect")
		}
	}
}
