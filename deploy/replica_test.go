package deploy

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// steadyState is a service of desired tasks of web:2 alone, all healthy.
func steadyState(desired, running, minPct, maxPct int) *State {
	s := rollingState(0, minPct, maxPct)
	s.Service.DesiredCount = desired
	s.Service.Deployments = s.Service.Deployments[:1]
	s.Service.Deployments[0].RolloutState = ecs.DeploymentRolloutStateCompleted
	s.Tasks = runningTasks(depNew, tdNew, running, s.Instances, 0)
	s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
	return s
}

func TestHealthRules(t *testing.T) {
	t.Run("the 40-second rule", func(t *testing.T) {
		s := rollingState(2, 100, 200)
		fresh := runningTasks(depNew, tdNew, 2, s.Instances, 10)
		for i := range fresh {
			fresh[i].StartedAt = ecs.NewTime(t0.Add(-39 * time.Second))
		}
		s.Tasks = append(s.Tasks, fresh...)
		s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
		res, err := Step(s)
		require.NoError(t, err)
		require.Empty(t, res.Stop, "new tasks are not healthy yet")
		require.Equal(t, t0.Add(time.Second), res.Wake)

		s.Now = res.Wake
		s.Memory, s.Service = res.Memory, res.Service
		res, err = Step(s)
		require.NoError(t, err)
		require.Len(t, res.Stop, 2, "after 40 s the old tasks go")
	})
	t.Run("a health check needs HEALTHY", func(t *testing.T) {
		s := rollingState(1, 100, 200)
		s.TaskDefinitions[tdNew].ContainerDefinitions[0].HealthCheck = &ecs.HealthCheck{Command: []string{"CMD", "true"}}
		fresh := runningTasks(depNew, tdNew, 1, s.Instances, 10)
		fresh[0].HealthStatus = ecs.HealthStatusUnknown
		s.Tasks = append(s.Tasks, fresh...)
		s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
		res, err := Step(s)
		require.NoError(t, err)
		require.Empty(t, res.Stop)
		s.Tasks[1].HealthStatus = ecs.HealthStatusHealthy
		res, err = Step(s)
		require.NoError(t, err)
		require.Len(t, res.Stop, 1)
	})
	t.Run("a load balancer needs a healthy target", func(t *testing.T) {
		s := rollingState(1, 100, 200)
		s.Service.LoadBalancers = []ecs.LoadBalancer{{TargetGroupARN: "tg", ContainerName: "web", ContainerPort: ptr(80)}}
		fresh := runningTasks(depNew, tdNew, 1, s.Instances, 10)
		s.Tasks = append(s.Tasks, fresh...)
		s.Targets = map[string]TargetHealth{s.Tasks[0].TaskARN: {State: TargetHealthy}, fresh[0].TaskARN: {State: TargetInitial}}
		s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
		res, err := Step(s)
		require.NoError(t, err)
		require.Empty(t, res.Stop)
		s.Targets[fresh[0].TaskARN] = TargetHealth{State: TargetHealthy}
		res, err = Step(s)
		require.NoError(t, err)
		require.Len(t, res.Stop, 1)
	})
	t.Run("unhealthy targets are replaced after the grace period", func(t *testing.T) {
		s := steadyState(2, 2, 100, 200)
		s.Service.LoadBalancers = []ecs.LoadBalancer{{TargetGroupARN: "tg"}}
		s.Service.HealthCheckGracePeriodSeconds = ptr(60)
		s.Tasks[0].StartedAt = ecs.NewTime(t0.Add(-30 * time.Second))
		s.Targets = map[string]TargetHealth{
			s.Tasks[0].TaskARN: {State: TargetUnhealthy, TargetGroupARN: "tg"},
			s.Tasks[1].TaskARN: {State: TargetHealthy},
		}
		res, err := Step(s)
		require.NoError(t, err)
		require.Empty(t, res.Stop, "inside the grace period")
		require.Equal(t, t0.Add(30*time.Second), res.Wake)

		s.Now = res.Wake
		res, err = Step(s)
		require.NoError(t, err)
		require.Len(t, res.Stop, 1)
		require.Equal(t, "Task failed ELB health checks in (target-group tg)", res.Stop[0].Reason)
		require.Len(t, res.Start, 1, "maximumPercent leaves room: the replacement starts in the same step")
		require.Equal(t, "(service web) (task "+shortID(s.Tasks[0].TaskARN)+") failed ELB health checks in (target-group tg).", res.Events[0].Message)
	})
}

func TestUnhealthyOneAtATime(t *testing.T) {
	s := steadyState(3, 3, 50, 100)
	s.TaskDefinitions[tdNew].ContainerDefinitions[0].HealthCheck = &ecs.HealthCheck{Command: []string{"CMD", "true"}}
	for i := range s.Tasks {
		s.Tasks[i].HealthStatus = ecs.HealthStatusUnhealthy
	}
	res, err := Step(s)
	require.NoError(t, err)
	require.Len(t, res.Stop, 1, "maximumPercent 100 leaves no room: one at a time")
	require.Len(t, res.Start, 1)
}

func TestScale(t *testing.T) {
	t.Run("out", func(t *testing.T) {
		res, err := Step(steadyState(5, 2, 100, 200))
		require.NoError(t, err)
		require.Len(t, res.Start, 3)
		require.Empty(t, res.Stop)
	})
	t.Run("in, balancing zones", func(t *testing.T) {
		s := steadyState(2, 6, 100, 200)
		res, err := Step(s)
		require.NoError(t, err)
		require.Len(t, res.Stop, 4)
		left := map[string]int{}
		stopped := map[string]bool{}
		for _, st := range res.Stop {
			stopped[st.TaskARN] = true
		}
		for _, tk := range s.Tasks {
			if !stopped[tk.TaskARN] {
				left[tk.ContainerInstanceARN]++
			}
		}
		require.Len(t, left, 2, "the two tasks left are on different instances")
	})
	t.Run("steady state is written once", func(t *testing.T) {
		s := steadyState(3, 3, 100, 200)
		res, err := Step(s)
		require.NoError(t, err)
		require.Equal(t, []string{"(service web) has reached a steady state."}, messages(res.Events))
		s.Memory, s.Service = res.Memory, res.Service
		res, err = Step(s)
		require.NoError(t, err)
		require.Empty(t, res.Events)
	})
}

func TestDraining(t *testing.T) {
	t.Run("max 200: replacements start first", func(t *testing.T) {
		s := steadyState(3, 3, 100, 200)
		s.Instances[0].Status = "DRAINING"
		s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
		res, err := Step(s)
		require.NoError(t, err)
		require.Empty(t, res.Stop)
		require.Len(t, res.Start, 1)
		require.NotEqual(t, s.Instances[0].ContainerInstanceARN, res.Start[0].ContainerInstanceARN)
	})
	t.Run("min 50 max 100: the drained task stops first", func(t *testing.T) {
		s := steadyState(3, 3, 50, 100)
		s.Instances[0].Status = "DRAINING"
		s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
		res, err := Step(s)
		require.NoError(t, err)
		require.Len(t, res.Stop, 1)
		require.Equal(t, s.Tasks[0].TaskARN, res.Stop[0].TaskARN)
		require.Len(t, res.Start, 1)
	})
	t.Run("100/100 cannot drain", func(t *testing.T) {
		s := steadyState(3, 3, 100, 100)
		s.Instances[0].Status = "DRAINING"
		res, err := Step(s)
		require.NoError(t, err)
		require.True(t, res.Blocked)
	})
	t.Run("pending tasks stop at once", func(t *testing.T) {
		s := steadyState(3, 3, 100, 100)
		s.Instances[0].Status = "DRAINING"
		s.Tasks[0].LastStatus = "PENDING"
		res, err := Step(s)
		require.NoError(t, err)
		require.Len(t, res.Stop, 1)
		require.Equal(t, s.Tasks[0].TaskARN, res.Stop[0].TaskARN)
	})
}

func TestDaemon(t *testing.T) {
	daemon := func(minPct int) *State {
		s := rollingState(0, minPct, 100)
		s.Service.SchedulingStrategy = ecs.SchedulingStrategyDaemon
		s.Service.DesiredCount = 0
		s.Tasks = runningTasks(depOld, tdOld, 3, s.Instances, 0) // one per instance
		s.Placer = newSlotPlacer(s.Instances, s.Tasks, 1)
		return s
	}
	t.Run("min 0: every old task stops, new ones wait for room", func(t *testing.T) {
		s := daemon(0)
		res, err := Step(s)
		require.NoError(t, err)
		require.Len(t, res.Stop, 3)
		require.Empty(t, res.Start, "the old tasks still hold their instances")
		require.Equal(t, 3, res.Service.DesiredCount)
	})
	t.Run("min 50: one old task stops", func(t *testing.T) {
		res, err := Step(daemon(50))
		require.NoError(t, err)
		require.Len(t, res.Stop, 1)
	})
	t.Run("a free instance gets its task", func(t *testing.T) {
		s := daemon(50)
		s.Tasks[2].LastStatus, s.Tasks[2].DesiredStatus = "STOPPED", "STOPPED"
		s.Tasks[2].StopCode = ecs.TaskStopCodeServiceSchedulerInitiated
		s.Placer = newSlotPlacer(s.Instances, s.Tasks, 1)
		res, err := Step(s)
		require.NoError(t, err)
		require.Len(t, res.Start, 1)
		require.Equal(t, s.Instances[2].ContainerInstanceARN, res.Start[0].ContainerInstanceARN)
	})
	t.Run("a draining instance loses its task", func(t *testing.T) {
		s := daemon(100)
		s.Instances[1].Status = "DRAINING"
		s.Placer = newSlotPlacer(s.Instances, s.Tasks, 1)
		res, err := Step(s)
		require.NoError(t, err)
		require.Len(t, res.Stop, 1)
		require.Equal(t, s.Tasks[1].TaskARN, res.Stop[0].TaskARN)
		require.Equal(t, 2, res.Service.DesiredCount)
	})
	t.Run("min 100 is blocked", func(t *testing.T) {
		res, err := Step(daemon(100))
		require.NoError(t, err)
		require.True(t, res.Blocked)
	})
}

func TestLaunchRate(t *testing.T) {
	s := steadyState(300, 0, 100, 200)
	res, err := Step(s)
	require.NoError(t, err)
	require.Len(t, res.Start, 250, "250 launches a minute on EC2")
	require.Equal(t, t0.Add(time.Minute), res.Wake)

	s.Options.LaunchRate = -1
	res, err = Step(s)
	require.NoError(t, err)
	require.Len(t, res.Start, 300)
}
