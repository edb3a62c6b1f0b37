package ecstest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// protect protects the tasks arns for minutes (the default when 0).
func protect(t testing.TB, e *ECS, minutes int, arns ...string) *ecs.UpdateTaskProtectionResponse {
	t.Helper()
	req := &ecs.UpdateTaskProtectionRequest{Cluster: "default", Tasks: arns, ProtectionEnabled: true}
	if minutes > 0 {
		req.ExpiresInMinutes = ptr(minutes)
	}
	resp, err := e.UpdateTaskProtection(context.Background(), req)
	require.NoError(t, err)
	return resp
}

// arnsOf returns the ARNs of tasks, in order.
func arnsOf(tasks []ecs.Task) []string {
	out := make([]string, len(tasks))
	for i, tk := range tasks {
		out[i] = tk.TaskARN
	}
	slices.Sort(out)
	return out
}

func TestTaskProtection(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 3)
	tasks := arnsOf(serviceTasks(t, e, "web"))
	standalone := mustRunTask(t, e, "web:1", 1).Tasks[0].TaskARN
	unknown := "arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef0123456789abcdef"

	resp := protect(t, e, 0, tasks[0], standalone, "0123456789abcdef0123456789abcdef")
	now := e.Clock().Now()
	require.Empty(t, cmp.Diff([]ecs.ProtectedTask{{TaskARN: tasks[0], ProtectionEnabled: true, ExpirationDate: ecs.NewTime(now.Add(2 * time.Hour))}},
		resp.ProtectedTasks), "protected for 2 hours by default")
	require.Equal(t, []string{reasonTaskNotValid, reasonMissing}, []string{resp.Failures[0].Reason, resp.Failures[1].Reason})
	require.Equal(t, []string{standalone, unknown}, []string{resp.Failures[0].ARN, resp.Failures[1].ARN})

	resp = protect(t, e, 30, tasks[1])
	require.True(t, resp.ProtectedTasks[0].ExpirationDate.Equal(now.Add(30*time.Minute)))

	get, err := e.GetTaskProtection(ctx, &ecs.GetTaskProtectionRequest{Cluster: "default", Tasks: []string{tasks[0], tasks[2]}})
	require.NoError(t, err)
	require.Equal(t, []bool{true, false}, []bool{get.ProtectedTasks[0].ProtectionEnabled, get.ProtectedTasks[1].ProtectionEnabled})
	require.True(t, get.ProtectedTasks[1].ExpirationDate.IsZero(), "an unprotected task has no expiration date")
	get, err = e.GetTaskProtection(ctx, &ecs.GetTaskProtectionRequest{Cluster: "default"})
	require.NoError(t, err)
	require.Equal(t, tasks[:2], arnsOf([]ecs.Task{{TaskARN: get.ProtectedTasks[0].TaskARN}, {TaskARN: get.ProtectedTasks[1].TaskARN}}),
		"without tasks, the protected ones")

	advance(e, 30*time.Minute)
	get, err = e.GetTaskProtection(ctx, &ecs.GetTaskProtectionRequest{Cluster: "default", Tasks: []string{tasks[1]}})
	require.NoError(t, err)
	require.False(t, get.ProtectedTasks[0].ProtectionEnabled, "protection expires")

	off, err := e.UpdateTaskProtection(ctx, &ecs.UpdateTaskProtectionRequest{Cluster: "default", Tasks: tasks[:1]})
	require.NoError(t, err)
	require.Equal(t, []ecs.ProtectedTask{{TaskARN: tasks[0]}}, off.ProtectedTasks)
}

func TestTaskProtectionRefusals(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 1)
	arn := serviceTasks(t, e, "web")[0].TaskARN
	tests := []struct {
		name     string
		req      ecs.UpdateTaskProtectionRequest
		wantType string
	}{
		{"no cluster", ecs.UpdateTaskProtectionRequest{Tasks: []string{arn}, ProtectionEnabled: true}, ecs.InvalidParameterException},
		{"no task", ecs.UpdateTaskProtectionRequest{Cluster: "default", ProtectionEnabled: true}, ecs.InvalidParameterException},
		{"eleven tasks", ecs.UpdateTaskProtectionRequest{Cluster: "default", Tasks: slices.Repeat([]string{arn}, 11), ProtectionEnabled: true},
			ecs.InvalidParameterException},
		{"0 minutes", ecs.UpdateTaskProtectionRequest{Cluster: "default", Tasks: []string{arn}, ProtectionEnabled: true, ExpiresInMinutes: ptr(0)},
			ecs.InvalidParameterException},
		{"more than 48 hours", ecs.UpdateTaskProtectionRequest{Cluster: "default", Tasks: []string{arn}, ProtectionEnabled: true,
			ExpiresInMinutes: ptr(2881)}, ecs.InvalidParameterException},
		{"an unknown cluster", ecs.UpdateTaskProtectionRequest{Cluster: "nowhere", Tasks: []string{arn}, ProtectionEnabled: true},
			ecs.ClusterNotFoundException},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.UpdateTaskProtection(ctx, &tt.req)
			requireAPIError(t, err, tt.wantType)
		})
	}
	_, err := e.GetTaskProtection(ctx, &ecs.GetTaskProtectionRequest{Cluster: "default", Tasks: slices.Repeat([]string{arn}, 101)})
	requireAPIError(t, err, ecs.InvalidParameterException)
	resp := protect(t, e, 2880, arn)
	require.Len(t, resp.ProtectedTasks, 1, "48 hours is the most")
}

func TestProtectedTasksSurviveScaleIn(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 4)
	tasks := arnsOf(serviceTasks(t, e, "web"))
	protect(t, e, 60, tasks[1], tasks[3])

	_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(1)})
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	require.Equal(t, []string{tasks[1], tasks[3]}, arnsOf(serviceTasks(t, e, "web")),
		"the protected tasks run on, above the desired count")

	advance(e, time.Hour)
	left := arnsOf(serviceTasks(t, e, "web"))
	require.Len(t, left, 1, "once protection expires, the service scales in")

	_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(2)})
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	both := arnsOf(serviceTasks(t, e, "web"))
	require.Len(t, both, 2)
	protect(t, e, 0, both[0])
	_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(0)})
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	require.Equal(t, both[:1], arnsOf(serviceTasks(t, e, "web")), "scaling to 0 keeps the protected task too")
	_, err = e.UpdateTaskProtection(ctx, &ecs.UpdateTaskProtectionRequest{Cluster: "default", Tasks: both[:1]})
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	require.Empty(t, serviceTasks(t, e, "web"), "ending protection lets it go at once")
}

func TestDeploymentWaitsForProtectedTasks(t *testing.T) {
	ctx := context.Background()
	e, _ := steadyService(t, 3)
	old := arnsOf(serviceTasks(t, e, "web"))
	protect(t, e, 60, old[0])
	_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
	require.NoError(t, err)

	advance(e, 10*time.Minute)
	svc := describeService(t, e, "web")
	require.Len(t, svc.Deployments, 2, "the deployment waits for the protected task")
	require.Equal(t, ecs.DeploymentRolloutStateInProgress, svc.Deployments[0].RolloutState)
	running := serviceTasks(t, e, "web")
	require.Len(t, running, 4)
	require.Contains(t, arnsOf(running), old[0])

	advance(e, time.Hour)
	svc = describeService(t, e, "web")
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, svc.Deployments[0].RolloutState, "%v", events(svc))
	require.NotContains(t, arnsOf(serviceTasks(t, e, "web")), old[0])
}

func TestTaskProtectionOverHTTP(t *testing.T) {
	e, _ := steadyService(t, 1)
	c := newAPIClient(t, e)
	arn := serviceTasks(t, e, "web")[0].TaskARN
	var up ecs.UpdateTaskProtectionResponse
	c.call("UpdateTaskProtection", &ecs.UpdateTaskProtectionRequest{Cluster: "default", Tasks: []string{arn},
		ProtectionEnabled: true, ExpiresInMinutes: ptr(60)}, &up)
	require.True(t, up.ProtectedTasks[0].ProtectionEnabled)
	status, body := c.raw("GetTaskProtection", []byte(`{"cluster":"default","tasks":["`+arn+`"]}`))
	require.Equal(t, 200, status, "%s", body)
	require.JSONEq(t, `{"protectedTasks":[{"taskArn":"`+arn+`","protectionEnabled":true,"expirationDate":`+
		`1763708520}],"failures":[]}`, string(body))
	require.Equal(t, ecs.ClusterNotFoundException, c.fail("GetTaskProtection", &ecs.GetTaskProtectionRequest{Cluster: "nowhere"}).Type)
}
