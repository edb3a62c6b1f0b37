package deploy

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// keepingPlacer is a slotPlacer that keeps some tasks from being stopped,
// as task scale-in protection does.
type keepingPlacer struct {
	*slotPlacer
	keep map[string]bool
}

func (p keepingPlacer) Keep(taskARN string) bool { return p.keep[taskARN] }

var _ StopFilter = keepingPlacer{}

// stopped returns the ARNs of the step's stops.
func stopped(res *Result) []string {
	var out []string
	for _, s := range res.Stop {
		out = append(out, s.TaskARN)
	}
	slices.Sort(out)
	return out
}

func TestStopFilter(t *testing.T) {
	tests := []struct {
		name  string
		state func() *State
		keep  []int // indexes of the tasks kept
		want  []int // indexes of the tasks stopped
	}{
		{
			name:  "scale-in stops only tasks not kept",
			state: func() *State { return steadyState(1, 4, 100, 200) },
			keep:  []int{0, 2},
			want:  []int{1, 3},
		},
		{
			name:  "scale-in to 0 keeps them too",
			state: func() *State { return steadyState(0, 3, 100, 200) },
			keep:  []int{1},
			want:  []int{0, 2},
		},
		{
			name:  "nothing kept: as without a filter",
			state: func() *State { return steadyState(2, 3, 100, 200) },
			want:  []int{0},
		},
		{
			name:  "a deployment leaves the old tasks kept",
			state: func() *State { return rollingState(3, 0, 100) },
			keep:  []int{0},
			want:  []int{1, 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.state()
			keep := map[string]bool{}
			for _, i := range tt.keep {
				keep[s.Tasks[i].TaskARN] = true
			}
			s.Placer = keepingPlacer{newSlotPlacer(s.Instances, s.Tasks, 0), keep}
			res, err := Step(s)
			require.NoError(t, err)
			var want []string
			for _, i := range tt.want {
				want = append(want, s.Tasks[i].TaskARN)
			}
			require.Equal(t, want, stopped(res))
		})
	}
}

func TestStopFilterDeploymentWaits(t *testing.T) {
	s := rollingState(2, 100, 200)
	keep := map[string]bool{s.Tasks[0].TaskARN: true}
	// The new tasks run healthy: the old one not kept goes, the kept one
	// stays, and the deployment is not complete.
	s.Tasks = append(s.Tasks, runningTasks(depNew, tdNew, 2, s.Instances, 10)...)
	s.Placer = keepingPlacer{newSlotPlacer(s.Instances, s.Tasks, 0), keep}
	res, err := Step(s)
	require.NoError(t, err)
	require.Equal(t, []string{s.Tasks[1].TaskARN}, stopped(res))
	require.Equal(t, ecs.DeploymentRolloutStateInProgress, res.Service.Deployments[0].RolloutState)

	// No longer kept: it goes, and then the deployment completes.
	s.Service, s.Memory = res.Service, res.Memory
	s.Tasks[1].LastStatus, s.Tasks[1].DesiredStatus = "STOPPED", "STOPPED"
	s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
	res, err = Step(s)
	require.NoError(t, err)
	require.Equal(t, []string{s.Tasks[0].TaskARN}, stopped(res))
}
