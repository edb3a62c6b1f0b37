package deploy

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// daemonState is a DAEMON service of web:2 on engineCluster(n), with the
// tasks given, placed by the placement engine.
func daemonState(t *testing.T, n int, change func(*State), tasks func([]ecs.ContainerInstance) []ecs.Task) *State {
	t.Helper()
	insts := engineCluster(n)
	svc := rollingService(0, 0, 100)
	svc.SchedulingStrategy = ecs.SchedulingStrategyDaemon
	svc.Deployments = svc.Deployments[:1]
	s := &State{Service: svc, TaskDefinitions: taskDefs(), Instances: insts, Now: t0, Memory: NewMemory(1)}
	if tasks != nil {
		s.Tasks = tasks(insts)
	}
	if change != nil {
		change(s)
	}
	p, err := PlacementPlacer(s.TaskDefinitions)(Observation{Instances: s.Instances, Tasks: s.Tasks})
	require.NoError(t, err)
	s.Placer = p
	return s
}

// onInstances returns the instances' indexes of the tasks started.
func onInstances(s *State, res *Result) []int {
	var out []int
	for _, st := range res.Start {
		out = append(out, zoneOfTaskIndex(s, st.ContainerInstanceARN))
	}
	return out
}

// Rule 103: a DAEMON runs one task on each ACTIVE instance that meets all
// its constraints and required attributes, and stops the tasks that no
// longer do.
func TestDaemonEligibility(t *testing.T) {
	memberOf := func(expr string) ecs.PlacementConstraint {
		return ecs.PlacementConstraint{Type: ecs.PlacementConstraintTypeMemberOf, Expression: expr}
	}
	tests := []struct {
		name    string
		change  func(*State)
		tasks   func([]ecs.ContainerInstance) []ecs.Task
		start   []int // instances that get a task
		stop    []int // instances whose task stops
		desired int
	}{
		{"every ACTIVE instance", nil, nil, []int{0, 1, 2, 3}, nil, 4},
		{"memberOf of the service", func(s *State) {
			s.Service.PlacementConstraints = []ecs.PlacementConstraint{memberOf("attribute:ecs.availability-zone != us-east-1a")}
		}, nil, []int{1, 2}, nil, 2},
		{"memberOf of the task definition", func(s *State) {
			s.TaskDefinitions[tdNew].PlacementConstraints = []ecs.TaskDefinitionPlacementConstraint{{Type: "memberOf", Expression: "attribute:ecs.availability-zone == us-east-1b"}}
		}, nil, []int{1}, nil, 1},
		{"required attributes", func(s *State) {
			s.TaskDefinitions[tdNew].RequiresAttributes = []ecs.Attribute{{Name: "com.example.gpu"}}
			s.Instances[2].Attributes = append(s.Instances[2].Attributes, ecs.Attribute{Name: "com.example.gpu"})
		}, nil, []int{2}, nil, 1},
		{"DRAINING and disconnected instances are not eligible", func(s *State) {
			s.Instances[0].Status = "DRAINING"
			s.Instances[3].AgentConnected = false
		}, nil, []int{1, 2}, nil, 2},
		{"a full instance is eligible: its task waits for room", func(s *State) {
			s.Instances[1].RemainingResources = ecs.Resources{CPU: 0, MemoryMiB: 0}.ResourceList()
		}, nil, []int{0, 2, 3}, nil, 4},
		{"a task on an instance that no longer meets the constraints stops", func(s *State) {
			s.Service.PlacementConstraints = []ecs.PlacementConstraint{memberOf("attribute:ecs.availability-zone != us-east-1a")}
		}, func(insts []ecs.ContainerInstance) []ecs.Task {
			return runningTasks(depNew, tdNew, 4, insts, 0)
		}, nil, []int{0, 3}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := daemonState(t, 4, tt.change, tt.tasks)
			res, err := Step(s)
			require.NoError(t, err)
			require.Equal(t, tt.start, onInstances(s, res))
			var stopped []int
			for _, st := range res.Stop {
				for _, tk := range s.Tasks {
					if tk.TaskARN == st.TaskARN {
						stopped = append(stopped, zoneOfTaskIndex(s, tk.ContainerInstanceARN))
					}
				}
			}
			require.Equal(t, tt.stop, stopped)
			require.Equal(t, tt.desired, res.Service.DesiredCount)
		})
	}
}

// Rule 103: a daemon's task goes to its instance without a constraint of
// its own: an instance without an EC2 instance ID (ECS Anywhere, say)
// takes it, and a service with ten constraints keeps working.
func TestDaemonPinnedWithoutConstraint(t *testing.T) {
	s := daemonState(t, 3, func(s *State) {
		s.Instances[1].EC2InstanceID = ""
		for k := range 10 {
			s.Service.PlacementConstraints = append(s.Service.PlacementConstraints, ecs.PlacementConstraint{
				Type: ecs.PlacementConstraintTypeMemberOf, Expression: fmt.Sprintf("attribute:ecs.os-type == linux or attribute:n%d exists", k)})
		}
	}, nil)
	res, err := Step(s)
	require.NoError(t, err)
	require.Equal(t, []int{0, 1, 2}, onInstances(s, res))
	for _, st := range res.Start {
		require.NotEmpty(t, st.TaskARN)
	}
}
