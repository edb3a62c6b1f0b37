package ecstest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// stepLog records a service's steps: the time from t0, the statuses of
// the tasks each step saw, and what it started and stopped.
type stepLog []string

func (l *stepLog) watch(t *testing.T, e *ECS, name string) {
	t.Helper()
	require.NoError(t, e.OnServiceStep("", name, func(st *deploy.State, res *deploy.Result) {
		var seen []string
		for _, tk := range st.Tasks {
			seen = append(seen, string(tk.LastStatus))
		}
		*l = append(*l, fmt.Sprintf("%v [%s] +%d -%d", st.Now.Sub(t0), strings.Join(seen, " "), len(res.Start), len(res.Stop)))
	}))
}

// A service steps once all that is due at an instant has happened, and
// not again for what its own step set going: with stages that take no
// time, the steps see neither PROVISIONING nor ACTIVATING, and a task
// stopped PENDING is STOPPED at once.
func TestStepsAtTheEndOfTheInstant(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t, WithTiming(Timing{Pending: 30 * time.Second, Stopping: time.Hour, StopTimeout: 20 * time.Second}))
	threeZones(t, e, "c5.large", 3)
	taskDef(t, e, "web", 256, 512, 0)
	taskDef(t, e, "web", 256, 512, 0)
	mustCreateService(t, e, "web", "web:1", 2)
	var log stepLog
	log.watch(t, e, "web")
	advance(e, 10*time.Minute)
	_, err := e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2", DesiredCount: ptr(1),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MinimumHealthyPercent: ptr(0), MaximumPercent: ptr(100)}})
	require.NoError(t, err)
	advance(e, 10*time.Minute)

	want := stepLog{
		"0s [] +2 -0",
		"30s [RUNNING RUNNING] +0 -0",            // RUNNING after 30 s PENDING, no ACTIVATING seen
		"1m10s [RUNNING RUNNING] +0 -0",          // healthy by the 40-second rule: steady state
		"10m0s [RUNNING RUNNING] +1 -2",          // the update: both old tasks go, the new one starts
		"10m20s [PENDING STOPPED STOPPED] +0 -0", // the old tasks STOPPED after the stop timeout
		"10m30s [RUNNING] +0 -0",                 // the new one RUNNING
		"11m10s [RUNNING] +0 -0",                 // healthy: completed
	}
	if d := cmp.Diff(want, log); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
}

// A RUNNING task stops within its longest stopTimeout, else the agent's
// (Timing.StopTimeout, 30 s when zero), whatever Stopping says.
func TestStopTimeout(t *testing.T) {
	tests := []struct {
		name              string
		stopping, agent   time.Duration
		containerTimeout  *int
		wantStoppedWithin time.Duration
	}{
		{"the agent's default", time.Hour, 0, nil, 30 * time.Second},
		{"the agent's setting", time.Hour, 90 * time.Second, nil, 90 * time.Second},
		{"the container's", time.Hour, 90 * time.Second, ptr(10), 10 * time.Second},
		{"containers that exit sooner", 5 * time.Second, 90 * time.Second, nil, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestECS(t, WithTiming(Timing{Pending: time.Second, Stopping: tt.stopping, StopTimeout: tt.agent}))
			register(t, e, "c5.large", "us-east-1a")
			cd := ecs.ContainerDefinition{Name: "app", Image: "nginx", Memory: ptr(128), StopTimeout: tt.containerTimeout}
			_, err := e.Registry().Register(&ecs.TaskDefinition{Family: "web", ContainerDefinitions: []ecs.ContainerDefinition{cd}}, nil)
			require.NoError(t, err)
			arn := mustRunTask(t, e, "web", 1).Tasks[0].TaskARN
			advance(e, time.Minute)
			require.Equal(t, ecs.TaskStatusRunning, describeTask(t, e, arn).LastStatus)
			_, err = e.stopTaskRef(context.Background(), "", arn, "")
			require.NoError(t, err)
			advance(e, tt.wantStoppedWithin-time.Nanosecond)
			require.Equal(t, ecs.TaskStatusStopping, describeTask(t, e, arn).LastStatus)
			advance(e, time.Nanosecond)
			require.Equal(t, ecs.TaskStatusStopped, describeTask(t, e, arn).LastStatus)
		})
	}
}
