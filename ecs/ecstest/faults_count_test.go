package ecstest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// TaskFaults count the tasks of their task definition in the order they
// start: the first FailToStart stop before RUNNING, the next
// FailHealthChecks of those that start fail their health checks, and the
// rest are well; -1 is every task, and other task definitions are left
// alone. This is the fault vocabulary of package rollout (WithFaults) and
// of ecsplan rollout's -fail-new and -unhealthy-new.
func TestTaskFaultsCount(t *testing.T) {
	const (
		failed    = "failed"    // STOPPED, TaskFailedToStart
		unhealthy = "unhealthy" // RUNNING, UNHEALTHY
		healthy   = "healthy"   // RUNNING, HEALTHY
	)
	tests := []struct {
		name   string
		faults TaskFaults
		want   []string // the five tasks of hc:2, in the order they start
	}{
		{"none", TaskFaults{TaskDefinition: "hc:2"}, []string{healthy, healthy, healthy, healthy, healthy}},
		{"the first two fail to start", TaskFaults{TaskDefinition: "hc:2", FailToStart: 2},
			[]string{failed, failed, healthy, healthy, healthy}},
		{"then one fails its health checks", TaskFaults{TaskDefinition: "hc:2", FailToStart: 2, FailHealthChecks: 1},
			[]string{failed, failed, unhealthy, healthy, healthy}},
		{"all fail their health checks", TaskFaults{TaskDefinition: "hc:2", FailHealthChecks: -1},
			[]string{unhealthy, unhealthy, unhealthy, unhealthy, unhealthy}},
		{"all fail to start", TaskFaults{TaskDefinition: "hc:2", FailToStart: -1, FailHealthChecks: -1},
			[]string{failed, failed, failed, failed, failed}},
		{"by family", TaskFaults{TaskDefinition: "hc", FailToStart: 1}, []string{failed, healthy, healthy, healthy, healthy}},
		{"by ARN", TaskFaults{TaskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/hc:2", FailHealthChecks: 1},
			[]string{unhealthy, healthy, healthy, healthy, healthy}},
		{"another revision", TaskFaults{TaskDefinition: "hc:1", FailToStart: -1}, []string{healthy, healthy, healthy, healthy, healthy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newTestECS(t)
			register(t, e, "c5.2xlarge", "us-east-1a")
			cd := ecs.ContainerDefinition{Name: "app", Image: "nginx", Memory: ptr(128),
				HealthCheck: &ecs.HealthCheck{Command: []string{"CMD-SHELL", "true"}, Interval: ptr(5), Retries: ptr(2)}}
			for range 2 {
				_, err := e.Registry().Register(&ecs.TaskDefinition{Family: "hc", ContainerDefinitions: []ecs.ContainerDefinition{cd}}, nil)
				require.NoError(t, err)
			}
			require.NoError(t, e.InjectTaskFaults(ctx, tt.faults))
			var arns []string
			for range 5 {
				arns = append(arns, mustRunTask(t, e, "hc:2", 1).Tasks[0].TaskARN)
			}
			advance(e, time.Minute)
			var got []string
			for _, arn := range arns {
				tk := describeTask(t, e, arn)
				switch {
				case tk.LastStatus == ecs.TaskStatusStopped && tk.StopCode == ecs.TaskStopCodeTaskFailedToStart:
					got = append(got, failed)
				case tk.LastStatus == ecs.TaskStatusRunning && tk.HealthStatus == ecs.HealthStatusUnhealthy:
					got = append(got, unhealthy)
				case tk.LastStatus == ecs.TaskStatusRunning && tk.HealthStatus == ecs.HealthStatusHealthy:
					got = append(got, healthy)
				default:
					t.Fatalf("task %s is %s, %s", arn, tk.LastStatus, tk.HealthStatus)
				}
			}
			require.Equal(t, tt.want, got)
		})
	}
}
