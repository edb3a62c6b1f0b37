package deploy

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// TestHold: a held deployment (the green revision of a BLUE_GREEN, LINEAR
// or CANARY deployment) scales up to its full desired count beside the
// blue tasks, whatever maximumPercent allows, stops none of them, and
// does not complete; once released, the rolling rules stop the blue tasks
// and it completes. "Amazon ECS blue/green service deployments workflow":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
func TestHold(t *testing.T) {
	for _, tc := range []struct {
		name           string
		hold           string
		maxPct         int
		wantStart      int
		holdStart      bool
		wantStopOnStep int // stops once green is healthy
	}{
		{name: "held, 200%", hold: depNew, maxPct: 200, wantStart: 4, wantStopOnStep: 0},
		{name: "held, 100%: green still scales to 100% beside blue", hold: depNew, maxPct: 100, wantStart: 4, wantStopOnStep: 0},
		{name: "not held", hold: "", maxPct: 200, wantStart: 4, wantStopOnStep: 4},
		{name: "held before scale-up", hold: depNew, maxPct: 200, holdStart: true, wantStart: 0, wantStopOnStep: 0},
		{name: "another deployment held", hold: depOld, maxPct: 200, wantStart: 4, wantStopOnStep: 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := rollingState(4, 100, tc.maxPct)
			s.Instances = instances(8, 3)
			s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
			s.Hold, s.HoldStart = tc.hold, tc.holdStart
			res, err := Step(s)
			require.NoError(t, err)
			require.False(t, res.Blocked)
			if tc.holdStart {
				require.Empty(t, res.Start, "green has not started")
				require.Empty(t, res.Stop)
				return
			}
			if tc.maxPct == 100 && tc.hold == "" {
				return
			}
			require.Len(t, res.Start, tc.wantStart)
			require.Empty(t, res.Stop)

			// Green is RUNNING and healthy.
			s.Tasks = append(s.Tasks, runningTasks(depNew, tdNew, 4, s.Instances, 4)...)
			s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
			s.Service, s.Memory = res.Service, res.Memory
			res, err = Step(s)
			require.NoError(t, err)
			require.Len(t, res.Stop, tc.wantStopOnStep)
			require.Empty(t, res.Start)
			if tc.wantStopOnStep == 0 {
				require.Equal(t, ecs.DeploymentRolloutStateInProgress, res.Service.Deployments[0].RolloutState, "a held deployment does not complete")
				// Released: the blue tasks go.
				s.Hold = ""
				s.Service, s.Memory = res.Service, res.Memory
				res, err = Step(s)
				require.NoError(t, err)
				require.Len(t, res.Stop, 4)
			}
		})
	}
}
