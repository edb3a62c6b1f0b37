package deploy

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

func TestThreshold(t *testing.T) {
	bounded := &ecs.ThresholdConfiguration{Type: ecs.ThresholdTypeBoundedPercent, Value: ptr(50)}
	unbounded := &ecs.ThresholdConfiguration{Type: ecs.ThresholdTypeUnboundedPercent, Value: ptr(50)}
	count := &ecs.ThresholdConfiguration{Type: ecs.ThresholdTypeCount, Value: ptr(7)}
	tests := []struct {
		name    string
		tc      *ecs.ThresholdConfiguration
		desired int
		want    int
	}{
		{"bounded 50, 1", bounded, 1, 3},
		{"bounded 50, 4", bounded, 4, 3},
		{"bounded 50, 25", bounded, 25, 13},
		{"bounded 50, 400", bounded, 400, 200},
		{"bounded 50, 800", bounded, 800, 200},
		{"default is bounded 50, 25", nil, 25, 13},
		{"default type, value 10, 100", &ecs.ThresholdConfiguration{Value: ptr(10)}, 100, 10},
		{"unbounded 50, 1", unbounded, 1, 1},
		{"unbounded 50, 4", unbounded, 4, 2},
		{"unbounded 50, 25", unbounded, 25, 13},
		{"unbounded 50, 800", unbounded, 800, 400},
		{"count 7, 1", count, 1, 7},
		{"count 7, 800", count, 800, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Threshold(tt.tc, tt.desired))
		})
	}
}

// breakerState is a deployment of desired tasks of web:2 over web:1 with
// the circuit breaker on, where failed tasks of the new deployment have
// just stopped without reaching RUNNING.
func breakerState(desired, failed int, rollback bool, tc *ecs.ThresholdConfiguration) *State {
	s := rollingState(desired, 100, 200)
	s.Service.DeploymentConfiguration.DeploymentCircuitBreaker = &ecs.DeploymentCircuitBreaker{
		Enable: true, Rollback: rollback, ThresholdConfiguration: tc,
	}
	for i := range failed {
		tk := runningTasks(depNew, tdNew, 1, s.Instances, 100+i)[0]
		tk.LastStatus, tk.DesiredStatus = "STOPPED", "STOPPED"
		tk.StartedAt = ecs.Time{}
		tk.StopCode, tk.StoppedReason = ecs.TaskStopCodeTaskFailedToStart, "Task failed to start"
		s.Tasks = append(s.Tasks, tk)
	}
	s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
	return s
}

func TestBreakerStageOne(t *testing.T) {
	t.Run("below the threshold the deployment goes on", func(t *testing.T) {
		res, err := Step(breakerState(4, 1, true, nil))
		require.NoError(t, err)
		dep := res.Service.Deployments[0]
		require.Equal(t, ecs.DeploymentRolloutStateInProgress, dep.RolloutState)
		require.Equal(t, 1, dep.FailedTasks)
		require.Len(t, res.Start, 4, "one failure is replaced at once")
	})
	t.Run("a second failure backs off", func(t *testing.T) {
		res, err := Step(breakerState(4, 2, true, nil))
		require.NoError(t, err)
		require.Equal(t, 2, res.Service.Deployments[0].FailedTasks)
		require.Empty(t, res.Start)
		require.Equal(t, t0.Add(15*time.Second), res.Wake)
		require.Contains(t, messages(res.Events), "(service web) is unable to consistently start tasks successfully.")
	})
	t.Run("at the threshold without rollback the deployment fails", func(t *testing.T) {
		res, err := Step(breakerState(4, 3, false, nil))
		require.NoError(t, err)
		dep := res.Service.Deployments[0]
		require.Equal(t, depNew, dep.ID)
		require.Equal(t, ecs.DeploymentRolloutStateFailed, dep.RolloutState)
		require.Equal(t, "ECS deployment circuit breaker: tasks failed to start.", dep.RolloutStateReason)
		require.Empty(t, res.Start, "a FAILED deployment launches no new tasks")
		require.Contains(t, messages(res.Events), "(service web) (deployment "+depNew+") deployment failed: tasks failed to start.")
	})
	t.Run("at the threshold with rollback", func(t *testing.T) {
		s := breakerState(4, 3, true, nil)
		res, err := Step(s)
		require.NoError(t, err)
		deps := res.Service.Deployments
		require.Len(t, deps, 1, "the failed deployment has no task left")
		require.Equal(t, "PRIMARY", deps[0].Status)
		require.Equal(t, tdOld, deps[0].TaskDefinition)
		require.NotEqual(t, depOld, deps[0].ID)
		require.Empty(t, res.Start, "the rollback adopts the old tasks")
		require.Empty(t, res.Stop)
		// The old tasks still run, so the rollback completes at once.
		require.Equal(t, ecs.DeploymentRolloutStateCompleted, deps[0].RolloutState)
		require.Equal(t, []string{
			"(service web) (deployment " + depNew + ") deployment failed: tasks failed to start.",
			"(service web) rolling back to deployment " + depOld + ".",
			"(service web) (deployment " + deps[0].ID + ") deployment completed.",
			"(service web) has reached a steady state.",
		}, messages(res.Events))
	})
	t.Run("the rollback deployment says where it came from", func(t *testing.T) {
		s := breakerState(4, 3, true, nil)
		s.Tasks = s.Tasks[1:] // one old task is gone: the rollback must start one
		s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
		res, err := Step(s)
		require.NoError(t, err)
		dep := res.Service.Deployments[0]
		require.Equal(t, ecs.DeploymentRolloutStateInProgress, dep.RolloutState)
		require.Equal(t, "ECS deployment circuit breaker: rolling back to deploymentId "+depOld+".", dep.RolloutStateReason)
		require.Len(t, res.Start, 1)
		require.Equal(t, tdOld, res.Start[0].TaskDefinitionARN)
		require.Equal(t, dep.ID, res.Start[0].StartedBy)
	})
	t.Run("stopped tasks count once", func(t *testing.T) {
		s := breakerState(10, 2, false, nil)
		res, err := Step(s)
		require.NoError(t, err)
		s.Service, s.Memory = res.Service, res.Memory
		res, err = Step(s)
		require.NoError(t, err)
		require.Equal(t, 2, res.Service.Deployments[0].FailedTasks)
	})
	t.Run("COUNT threshold", func(t *testing.T) {
		tc := &ecs.ThresholdConfiguration{Type: ecs.ThresholdTypeCount, Value: ptr(5)}
		res, err := Step(breakerState(4, 4, false, tc))
		require.NoError(t, err)
		require.Equal(t, ecs.DeploymentRolloutStateInProgress, res.Service.Deployments[0].RolloutState)
		res, err = Step(breakerState(4, 5, false, tc))
		require.NoError(t, err)
		require.Equal(t, ecs.DeploymentRolloutStateFailed, res.Service.Deployments[0].RolloutState)
	})
}

func TestBreakerStageTwo(t *testing.T) {
	s := rollingState(2, 100, 300) // room for both replacements
	s.Service.DeploymentConfiguration.DeploymentCircuitBreaker = &ecs.DeploymentCircuitBreaker{
		Enable: true, ThresholdConfiguration: &ecs.ThresholdConfiguration{Type: ecs.ThresholdTypeCount, Value: ptr(2)},
	}
	bad := runningTasks(depNew, tdNew, 2, s.Instances, 50)
	for i := range bad {
		bad[i].HealthStatus = ecs.HealthStatusUnhealthy
	}
	s.Tasks = append(s.Tasks, bad...)
	s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
	res, err := Step(s)
	require.NoError(t, err)
	require.Len(t, res.Stop, 2)
	require.Equal(t, "Task failed container health checks", res.Stop[0].Reason)
	msgs := messages(res.Events)
	require.Equal(t, "(service web) (task "+shortID(bad[0].TaskARN)+") failed container health checks.", msgs[0])
	require.Equal(t, ecs.DeploymentRolloutStateFailed, res.Service.Deployments[0].RolloutState)
}

func TestResetOnHealthyTask(t *testing.T) {
	for _, reset := range []bool{true, false} {
		s := breakerState(10, 2, false, nil)
		s.Service.DeploymentConfiguration.DeploymentCircuitBreaker.ResetOnHealthyTask = ptr(reset)
		res, err := Step(s)
		require.NoError(t, err)
		require.Equal(t, 2, res.Service.Deployments[0].FailedTasks)
		// One new task becomes healthy.
		s.Service, s.Memory, s.Now = res.Service, res.Memory, s.Now.Add(time.Minute)
		s.Tasks = append(s.Tasks, runningTasks(depNew, tdNew, 1, s.Instances, 200)...)
		res, err = Step(s)
		require.NoError(t, err)
		want := 2
		if reset {
			want = 0
		}
		require.Equal(t, want, res.Service.Deployments[0].FailedTasks, "resetOnHealthyTask=%v", reset)
	}
}

func TestAlarmRollback(t *testing.T) {
	s := rollingState(2, 100, 200)
	s.Service.DeploymentConfiguration.Alarms = &ecs.DeploymentAlarms{AlarmNames: []string{"5xx"}, Enable: true, Rollback: true}
	res, err := Step(s)
	require.NoError(t, err)
	require.Equal(t, ecs.DeploymentRolloutStateInProgress, res.Service.Deployments[0].RolloutState)

	s.Service, s.Memory, s.Now = res.Service, res.Memory, s.Now.Add(time.Minute)
	s.Alarms = []string{"5xx"}
	res, err = Step(s)
	require.NoError(t, err)
	require.Equal(t, tdOld, res.Service.Deployments[0].TaskDefinition)
	require.Contains(t, messages(res.Events), "(service web) (deployment "+depNew+") deployment failed: alarm detected.")
	require.Contains(t, messages(res.Events), "(service web) rolling back to deployment "+depOld+".")

	// An alarm already in ALARM when the deployment starts is ignored.
	s = rollingState(2, 100, 200)
	s.Service.DeploymentConfiguration.Alarms = &ecs.DeploymentAlarms{AlarmNames: []string{"5xx"}, Enable: true, Rollback: true}
	s.Alarms = []string{"5xx"}
	res, err = Step(s)
	require.NoError(t, err)
	require.Equal(t, ecs.DeploymentRolloutStateInProgress, res.Service.Deployments[0].RolloutState)
}

func TestLaunchDelay(t *testing.T) {
	want := []time.Duration{0, 0, 15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute,
		4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute}
	for n, w := range want {
		require.Equal(t, w, LaunchDelay(n), "n=%d", n)
	}
	require.Equal(t, MaxLaunchDelay, LaunchDelay(1000))
}
