package deploy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEventKinds(t *testing.T) {
	for _, tt := range []struct {
		msg  string
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
		{unplacedEvent("web") + " The closest matching (container-instance a) has insufficient memory available.", EventUnableToPlace},
		{unplacedInZoneEvent("web", "us-east-1b"), EventUnableToPlace},
		{unbalancedEvent("web", "2 tasks in us-east-1a, 0 tasks in us-east-1b"), EventAZUnbalanced},
		{balancedEvent("web", "1 tasks in us-east-1a, 1 tasks in us-east-1b"), EventAZBalanced},
		{rebalanceStartedEvent("web", "us-east-1b", "a"), EventRebalanceStarted},
		{rebalanceStoppedEvent("web", "us-east-1a", "a"), EventRebalanceStopped},
		{steadyEvent("api"), EventOther}, // another service's
		{"(service web) did something new.", EventOther},
	} {
		require.Equal(t, tt.kind, eventKind("web", tt.msg), tt.msg)
		n := 0
		for _, re := range eventPatterns {
			if re.MatchString(tt.msg) {
				n++
			}
		}
		require.LessOrEqual(t, n, 1, "%q: one format at most", tt.msg)
	}
}

// The sentence is placement's, word for word.
func TestUnplacedEvent(t *testing.T) {
	require.Equal(t, "(service web) was unable to place a task because no container instance met all of its requirements.", unplacedEvent("web"))
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
