package capacity

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPlanQuota checks that the planner refuses a desired count above the
// quota of tasks per service, a negative count and a headroom beyond the
// quota, naming the workload and the rule, before it builds or places
// anything: a plan that asks for 2,147,483,647 tasks returns the error
// at once, by construction, instead of sizing instances for them.
func TestPlanQuota(t *testing.T) {
	web := Workload{Name: "web", TaskDefinition: td("web", 256, 512), DesiredCount: 2}
	with := func(n int) []Workload {
		w := web
		w.DesiredCount = n
		return []Workload{w}
	}
	daemon := Workload{Name: "agent", TaskDefinition: td("agent", 128, 256), Daemon: true, DesiredCount: math.MaxInt32}
	tests := []struct {
		name     string
		quota    int // Planner.MaxTasksPerService
		headroom int
		ws       []Workload
		quotaErr bool   // the error wraps ErrTasksPerService
		want     string // the error's message; empty: no error
	}{
		{"2147483647 tasks", 0, 0, with(math.MaxInt32), true,
			`capacity: workload "web": desired count 2147483647 is above the quota of tasks per service, 5000 (ECS service quota "Tasks per service", 5,000 unless raised)`},
		{"one above the default quota", 0, 0, with(DefaultMaxTasksPerService + 1), true,
			`capacity: workload "web": desired count 5001 is above the quota of tasks per service, 5000 (ECS service quota "Tasks per service", 5,000 unless raised)`},
		{"a quota of the Planner's own", 3, 0, with(4), true,
			`capacity: workload "web": desired count 4 is above the quota of tasks per service, 3 (ECS service quota "Tasks per service", 5,000 unless raised)`},
		{"at the quota", 3, 0, with(3), false, ""},
		{"a daemon's desired count is not its tasks", 3, 0, append(with(1), daemon), false, ""},
		{"a negative count", 0, 0, with(-1), false, `capacity: workload "web": desired count -1 is negative`},
		{"a headroom above the quota", 3, 4, with(1), true,
			`capacity: a headroom of 4 tasks is above the quota of tasks per service, 3 (ECS service quota "Tasks per service", 5,000 unless raised)`},
		{"a negative headroom", 0, -1, with(1), false, "capacity: headroom -1 is negative"},
		{"a negative quota", -1, 0, with(1), false, "capacity: MaxTasksPerService -1 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPlanner([]string{"us-east-1a"})
			p.o.MaxTasksPerService, p.o.Headroom = tt.quota, tt.headroom
			checks := 0
			p.trace = func(string, []int, bool, outcome) { checks++ }
			plan, err := p.Plan(context.Background(), tt.ws)
			if tt.want == "" {
				require.NoError(t, err)
				require.NoError(t, plan.Types[0].Err)
				return
			}
			require.EqualError(t, err, tt.want)
			require.Equal(t, tt.quotaErr, errors.Is(err, ErrTasksPerService))
			require.Nil(t, plan)
			require.Zero(t, checks, "placements before the refusal")
			if _, ok := err.(reasoner); ok {
				require.Equal(t, tt.want, errPrefix+ErrorReason(err))
			}

			// Check and Instances refuse the same workloads.
			require.EqualError(t, p.Check(context.Background(), tt.ws, nil), tt.want)
			_, err = p.Instances(tt.ws, testType.Name, []int{1})
			require.EqualError(t, err, tt.want)
		})
	}
}

// TestMaxTasksSurge checks that a deployment's peak is at most twice the
// desired count, whatever the maximumPercent: a deployment starts at most
// the desired count of new tasks.
func TestMaxTasksSurge(t *testing.T) {
	for _, tt := range []struct{ pct, want int }{
		{0, 10}, {100, 5}, {150, 7}, {200, 10}, {300, 10}, {math.MaxInt32, 10}, {-5, 5},
	} {
		w := Workload{Name: "s", DesiredCount: 5, MaximumPercent: tt.pct}
		require.Equal(t, tt.want, w.maxTasks(), "maximumPercent %d", tt.pct)
	}
}
