package deploy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// TestWorkedExamples checks the first step of each worked example of
// rule 120.
func TestWorkedExamples(t *testing.T) {
	tests := []struct {
		name                 string
		desired, min, max    int
		wantStop, wantStart  int
		wantBlocked          bool
		wantMinimum, wantMax int
	}{
		{"4 at 50%: 2 old stop before 2 new start", 4, 50, 100, 2, 2, false, 2, 4},
		{"4 at 50/200: 2 old stop and 4 new start", 4, 50, 200, 2, 4, false, 2, 8},
		{"2 at 75%: ceil(1.5)=2, no old task stops first", 2, 75, 200, 0, 2, false, 2, 4},
		{"4 at 200%: 4 new start before old stop", 4, 100, 200, 0, 4, false, 4, 8},
		{"3 at 125%: floor(3.75)=3, no extra task starts", 3, 100, 125, 0, 0, true, 3, 3},
		{"3 at 50/125: one old stops, one new starts", 3, 50, 125, 1, 1, false, 2, 3},
		{"1 at 100/200: start 1 new (max 2)", 1, 100, 200, 0, 1, false, 1, 2},
		{"1 at 0/100: stop the old one first, then start the new", 1, 0, 100, 1, 1, false, 0, 1},
		{"100/100 is stuck", 5, 100, 100, 0, 0, true, 5, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := rollingState(tt.desired, tt.min, tt.max)
			b := boundsFor(tt.desired, ecs.SchedulingStrategyReplica, s.Service.DeploymentConfiguration)
			require.Equal(t, bounds{tt.wantMinimum, tt.wantMax}, b)
			res, err := Step(s)
			require.NoError(t, err)
			require.Len(t, res.Stop, tt.wantStop)
			require.Len(t, res.Start, tt.wantStart)
			require.Equal(t, tt.wantBlocked, res.Blocked)
			if tt.wantBlocked {
				require.Contains(t, messages(res.Events),
					"(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.")
			}
			for _, st := range res.Stop {
				require.Equal(t, ecs.TaskStopCodeServiceSchedulerInitiated, st.StopCode)
				require.Equal(t, "Scaling activity initiated by (deployment "+depNew+")", st.Reason)
			}
		})
	}
}

// TestBlockedEventNotRepeated checks that a stuck deployment writes its
// event once, not at every step.
func TestBlockedEventNotRepeated(t *testing.T) {
	s := rollingState(2, 100, 100)
	res, err := Step(s)
	require.NoError(t, err)
	require.True(t, res.Blocked)
	require.Len(t, res.Events, 1)
	s.Memory, s.Service = res.Memory, res.Service
	s.Now = s.Now.Add(repeatAfter / 2)
	res, err = Step(s)
	require.NoError(t, err)
	require.True(t, res.Blocked)
	require.Empty(t, res.Events)
}

// TestStartedStoppedEvents checks the event texts and their order.
func TestStartedStoppedEvents(t *testing.T) {
	s := rollingState(1, 0, 100)
	res, err := Step(s)
	require.NoError(t, err)
	require.Len(t, res.Events, 2)
	oldID := shortID(s.Tasks[0].TaskARN)
	newID := shortID(res.Start[0].TaskARN)
	want := []string{
		"(service web) has stopped 1 running tasks: (task " + oldID + ").",
		"(service web) has started 1 tasks: (task " + newID + ").",
	}
	if d := cmp.Diff(want, messages(res.Events)); d != "" {
		t.Fatalf("events (-want +got):\n%s", d)
	}
	require.Len(t, newID, 32)
	require.True(t, strings.HasPrefix(res.Start[0].TaskARN, "arn:aws:ecs:us-east-1:123456789012:task/prod/"))
	require.Equal(t, depNew, res.Start[0].StartedBy)
	require.Equal(t, "service:web", res.Start[0].Group)
}

// TestManyStartedEvents checks that a start of 25 tasks is written as
// three events of at most ten tasks.
func TestManyStartedEvents(t *testing.T) {
	s := rollingState(25, 100, 200)
	res, err := Step(s)
	require.NoError(t, err)
	require.Len(t, res.Start, 25)
	msgs := messages(res.Events)
	require.Len(t, msgs, 3)
	require.True(t, strings.HasPrefix(msgs[0], "(service web) has started 10 tasks: "))
	require.True(t, strings.HasPrefix(msgs[2], "(service web) has started 5 tasks: "))
}

// TestStepIsPure checks that the same state gives the same result and
// that Step leaves its input alone.
func TestStepIsPure(t *testing.T) {
	a, b := rollingState(6, 50, 200), rollingState(6, 50, 200)
	before := *a.Service
	ra, err := Step(a)
	require.NoError(t, err)
	rb, err := Step(b)
	require.NoError(t, err)
	if d := cmp.Diff(ra, rb, cmp.AllowUnexported(Memory{})); d != "" {
		t.Fatalf("two steps of one state differ:\n%s", d)
	}
	require.Equal(t, before.Deployments, a.Service.Deployments)
	require.Empty(t, a.Service.Events)
}

func TestStepErrors(t *testing.T) {
	s := rollingState(1, 100, 200)
	s.Service.Deployments = nil
	_, err := Step(s)
	require.ErrorIs(t, err, errNoDeployment)

	s = rollingState(1, 100, 200)
	delete(s.TaskDefinitions, tdNew)
	_, err = Step(s)
	require.ErrorContains(t, err, "web:2 is not in State.TaskDefinitions")
}
