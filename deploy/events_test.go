package deploy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every format's constructor writes its event with the format's kind.
func TestEventKinds(t *testing.T) {
	for _, tt := range []struct {
		ev   event
		kind EventKind
	}{
		{startedEvent("web", []string{"a", "b"}), EventStarted},
		{stoppedEvent("web", []string{"a"}), EventStopped},
		{healthEvent("web", "a"), EventUnhealthy},
		{elbHealthEvent("web", "a", "tg"), EventUnhealthy},
		{steadyEvent("web"), EventSteadyState},
		{completedEvent("web", "ecs-svc/1"), EventDeploymentCompleted},
		{failedEvent("web", "ecs-svc/1"), EventDeploymentFailed},
		{alarmFailedEvent("web", "ecs-svc/1"), EventDeploymentFailed},
		{rollbackEvent("web", "ecs-svc/1"), EventRollingBack},
		{blockedEvent("web"), EventBlocked},
		{throttleEvent("web"), EventThrottled},
		{unplacedEvent("web"), EventUnableToPlace},
		{placerEvent(unplacedEvent("web").msg + " The closest matching (container-instance a) has insufficient memory available."), EventUnableToPlace},
		{unplacedInZoneEvent("web", "us-east-1b"), EventUnableToPlace},
		{unbalancedEvent("web", "2 tasks in us-east-1a, 0 tasks in us-east-1b"), EventAZUnbalanced},
		{balancedEvent("web", "1 tasks in us-east-1a, 1 tasks in us-east-1b"), EventAZBalanced},
		{rebalanceStartedEvent("web", "us-east-1b", "a"), EventRebalanceStarted},
		{rebalanceStoppedEvent("web", "us-east-1a", "a"), EventRebalanceStopped},
	} {
		require.Equal(t, tt.kind, tt.ev.kind, tt.ev.msg)
		require.True(t, strings.HasPrefix(tt.ev.msg, "(service web) "), tt.ev.msg)
	}
}

// The sentence is placement's, word for word.
func TestUnplacedEvent(t *testing.T) {
	require.Equal(t, "(service web) was unable to place a task because no container instance met all of its requirements.", unplacedEvent("web").msg)
}

func TestStepKinds(t *testing.T) {
	res, err := Step(rollingState(6, 50, 200))
	require.NoError(t, err)
	require.Equal(t, []EventKind{EventStopped, EventStarted}, res.Kinds)

	s := zoneState(2, []int{0, 0}, 100, 200)
	res, err = Step(s)
	require.NoError(t, err)
	require.Equal(t, []EventKind{EventSteadyState, EventAZUnbalanced, EventRebalanceStarted}, res.Kinds)
	require.Len(t, res.Kinds, len(res.Events))
}
