package deploy

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// zoneState is a service of web:2 in steady state, its deployment
// COMPLETED and availabilityZoneRebalancing ENABLED, on one instance in
// each of n zones (us-east-1a, us-east-1b, ...), with one healthy task on
// instance on[k] for each k: the desired count is len(on).
func zoneState(n int, on []int, minPct, maxPct int) *State {
	insts := instances(n, n)
	var tasks []ecs.Task
	for k, i := range on {
		tasks = append(tasks, runningTasks(depNew, tdNew, 1, insts[i:i+1], k)...)
	}
	svc := rollingService(len(on), minPct, maxPct)
	svc.Deployments = svc.Deployments[:1]
	svc.Deployments[0].RolloutState = ecs.DeploymentRolloutStateCompleted
	svc.AvailabilityZoneRebalancing = ecs.AvailabilityZoneRebalancingEnabled
	return &State{
		Service: svc, Tasks: tasks, TaskDefinitions: taskDefs(), Instances: insts,
		Placer: newSlotPlacer(insts, tasks, 0), Now: t0, Memory: NewMemory(1),
	}
}

// advance applies a step's result to s, as the runtime would: stopped
// tasks are STOPPED, started ones are in phase (PENDING or RUNNING), and
// a minute passes, so RUNNING tasks become healthy by the 40-second rule.
func advance(s *State, res *Result, phase ecs.TaskStatus) {
	stopped := map[string]bool{}
	for _, st := range res.Stop {
		stopped[st.TaskARN] = true
	}
	s.Tasks = slices.DeleteFunc(s.Tasks, func(t ecs.Task) bool { return t.LastStatus == "STOPPED" })
	for i := range s.Tasks {
		if stopped[s.Tasks[i].TaskARN] {
			s.Tasks[i].LastStatus, s.Tasks[i].DesiredStatus = "STOPPED", "STOPPED"
			s.Tasks[i].StopCode = ecs.TaskStopCodeServiceSchedulerInitiated
		}
	}
	for _, st := range res.Start {
		s.Tasks = append(s.Tasks, ecs.Task{
			TaskARN: st.TaskARN, TaskDefinitionARN: st.TaskDefinitionARN, StartedBy: st.StartedBy,
			Group: st.Group, ContainerInstanceARN: st.ContainerInstanceARN, AvailabilityZone: st.AvailabilityZone,
			LastStatus: phase, DesiredStatus: "RUNNING", CreatedAt: ecs.NewTime(s.Now), StartedAt: ecs.NewTime(s.Now),
		})
	}
	s.Service, s.Memory = res.Service, res.Memory
	s.Now = s.Now.Add(time.Minute)
	s.Placer = newSlotPlacer(s.Instances, s.Tasks, 0)
}

// run sets the PENDING tasks RUNNING since a minute ago.
func run(s *State) {
	for i := range s.Tasks {
		if s.Tasks[i].LastStatus == "PENDING" {
			s.Tasks[i].LastStatus = "RUNNING"
			s.Tasks[i].StartedAt = ecs.NewTime(s.Now.Add(-time.Minute))
		}
	}
}

// zoneOfTask returns the zone of the instance a task runs on.
func zoneOfTask(s *State, arn string) string {
	for _, t := range s.Tasks {
		if t.TaskARN == arn {
			for _, ci := range s.Instances {
				if ci.ContainerInstanceARN == t.ContainerInstanceARN {
					return attribute(ci.Attributes, ecs.AttrAvailabilityZone)
				}
			}
		}
	}
	return ""
}

// Rule 105, the developer guide's example: two tasks in one zone and none
// in the other. ECS starts a task in the empty zone first, waits for it
// to be healthy, then stops one in the full zone.
func TestRebalanceStartsFirst(t *testing.T) {
	s := zoneState(2, []int{0, 0}, 100, 200)
	res, err := Step(s)
	require.NoError(t, err)
	require.Empty(t, res.Stop)
	require.Len(t, res.Start, 1)
	require.Equal(t, "us-east-1b", res.Start[0].AvailabilityZone)
	id := shortID(res.Start[0].TaskARN)
	require.Equal(t, []string{
		"(service web) has reached a steady state.",
		"(service web) is not AZ balanced with 2 tasks in us-east-1a, 0 tasks in us-east-1b. AZ Rebalancing in progress.",
		"(service web) has started 1 tasks in us-east-1b to AZ Rebalance: (task " + id + ").",
	}, messages(res.Events))
	require.Equal(t, 1, res.Service.Deployments[0].PendingCount)

	advance(s, res, "PENDING")
	res, err = Step(s)
	require.NoError(t, err)
	require.Empty(t, res.Stop, "the new task is not healthy yet: nothing stops (minimumHealthyPercent 100)")
	require.Empty(t, res.Start)

	run(s)
	res, err = Step(s)
	require.NoError(t, err)
	require.Empty(t, res.Start)
	require.Len(t, res.Stop, 1)
	require.Equal(t, "us-east-1a", zoneOfTask(s, res.Stop[0].TaskARN))
	require.Equal(t, []string{
		"(service web) has stopped 1 running tasks in us-east-1a due to AZ rebalancing: (task " + shortID(res.Stop[0].TaskARN) + ").",
	}, messages(res.Events))

	advance(s, res, "RUNNING")
	res, err = Step(s)
	require.NoError(t, err)
	require.Empty(t, res.Start)
	require.Empty(t, res.Stop)
	require.Equal(t, []string{
		"(service web) has reached a steady state.",
		"(service web) is AZ balanced with 1 tasks in us-east-1a, 1 tasks in us-east-1b.",
	}, messages(res.Events))

	advance(s, res, "RUNNING")
	res, err = Step(s)
	require.NoError(t, err)
	require.Empty(t, res.Events, "balanced: nothing more to say")
}

// Rule 105: each zone needs at least desired / zones tasks, the remainder
// spread one each; a service is unbalanced when one zone has more than
// one task more than another, and rebalancing goes on until it is not.
func TestRebalanceUntilBalanced(t *testing.T) {
	tests := []struct {
		name  string
		zones int
		on    []int
		want  []int // tasks per zone once balanced
		steps int   // rounds of start-then-stop
	}{
		{"3 tasks over 2 zones, 1 and 2, is balanced", 2, []int{0, 1, 1}, []int{1, 2}, 0},
		{"5 tasks over 3 zones, 1, 2 and 2, is balanced", 3, []int{0, 1, 1, 2, 2}, []int{1, 2, 2}, 0},
		{"5 tasks over 3 zones, 3, 1 and 1", 3, []int{0, 0, 0, 1, 2}, []int{2, 2, 1}, 1},
		{"6 tasks in one of 3 zones", 3, []int{0, 0, 0, 0, 0, 0}, []int{2, 2, 2}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := zoneState(tt.zones, tt.on, 100, 200)
			rounds := 0
			for range 40 {
				res, err := Step(s)
				require.NoError(t, err)
				if len(res.Start) > 0 {
					rounds++
				}
				advance(s, res, "RUNNING")
				if len(res.Start) == 0 && len(res.Stop) == 0 {
					break
				}
			}
			require.Equal(t, tt.steps, rounds)
			counts := make([]int, tt.zones)
			for _, tk := range s.Tasks {
				if tk.LastStatus == "RUNNING" {
					counts[zoneOfTaskIndex(s, tk.ContainerInstanceARN)]++
				}
			}
			require.Equal(t, tt.want, counts)
		})
	}
}

func zoneOfTaskIndex(s *State, inst string) int {
	return slices.IndexFunc(s.Instances, func(ci ecs.ContainerInstance) bool { return ci.ContainerInstanceARN == inst })
}

// Rule 105: what keeps an unbalanced service from rebalancing.
func TestRebalanceNot(t *testing.T) {
	tests := []struct {
		name   string
		change func(*State)
		event  string // the event written, if any
	}{
		{"DISABLED", func(s *State) { s.Service.AvailabilityZoneRebalancing = ecs.AvailabilityZoneRebalancingDisabled }, ""},
		{"never set: DISABLED", func(s *State) { s.Service.AvailabilityZoneRebalancing = "" }, ""},
		{"binpack first", func(s *State) {
			s.Service.PlacementStrategy = []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeBinpack, Field: "memory"}}
		}, ""},
		{"maximumPercent 100", func(s *State) { s.Service.DeploymentConfiguration.MaximumPercent = ptr(100) }, ""},
		{"a constraint on the zone", func(s *State) {
			s.Service.PlacementConstraints = []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeMemberOf, Expression: "attribute:ecs.availability-zone != us-east-1c"}}
		}, ""},
		{"a Classic Load Balancer", func(s *State) { s.Service.LoadBalancers = []ecs.LoadBalancer{{LoadBalancerName: "clb"}} }, ""},
		{"not in steady state: a deployment is in progress", func(s *State) {
			s.Service.Deployments[0].RolloutState = ecs.DeploymentRolloutStateInProgress
			s.Tasks[0].LastStatus = "PENDING"
		}, ""},
		{"no room in the zone with the fewest", func(s *State) {
			s.Placer = &fullPlacer{slotPlacer: newSlotPlacer(s.Instances, s.Tasks, 0), zone: "us-east-1b"}
		}, "(service web) is unable to place a task in us-east-1b because no container instance met all of its requirements."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := zoneState(3, []int{0, 0, 0}, 100, 200)
			tt.change(s)
			res, err := Step(s)
			require.NoError(t, err)
			require.Empty(t, res.Start)
			for _, m := range messages(res.Events) {
				require.NotContains(t, m, "has started")
			}
			if tt.event != "" {
				require.Contains(t, messages(res.Events), tt.event)
			}
		})
	}
}

// fullPlacer is a slotPlacer whose instances in zone have no room.
type fullPlacer struct {
	*slotPlacer
	zone string
}

func (p *fullPlacer) Place(r PlaceRequest) (PlaceResult, error) {
	if r.AvailabilityZone == p.zone {
		return PlaceResult{}, nil
	}
	return p.slotPlacer.Place(r)
}

// Rule 105: changing availabilityZoneRebalancing starts no deployment.
func TestRebalanceSettingStartsNoDeployment(t *testing.T) {
	for _, v := range []ecs.AvailabilityZoneRebalancing{ecs.AvailabilityZoneRebalancingEnabled, ecs.AvailabilityZoneRebalancingDisabled} {
		s := zoneState(3, []int{0, 1, 2}, 100, 200)
		s.Service.AvailabilityZoneRebalancing = v
		res, err := Step(s)
		require.NoError(t, err)
		require.Len(t, res.Service.Deployments, 1)
		require.Equal(t, depNew, res.Service.Deployments[0].ID)
		require.Equal(t, ecs.DeploymentRolloutStateCompleted, res.Service.Deployments[0].RolloutState)
		require.Equal(t, v, res.Service.AvailabilityZoneRebalancing)
		require.Empty(t, res.Start)
	}
}

// Rule 105: CreateService's default.
func TestDefaultAvailabilityZoneRebalancing(t *testing.T) {
	spreadAZ := ecs.PlacementStrategy{Type: ecs.PlacementStrategyTypeSpread, Field: "attribute:ecs.availability-zone"}
	binpack := ecs.PlacementStrategy{Type: ecs.PlacementStrategyTypeBinpack, Field: "memory"}
	tests := []struct {
		name   string
		change func(*ecs.Service)
		want   ecs.AvailabilityZoneRebalancing
	}{
		{"no strategy", func(*ecs.Service) {}, ecs.AvailabilityZoneRebalancingEnabled},
		{"spread over zones, then binpack", func(s *ecs.Service) { s.PlacementStrategy = []ecs.PlacementStrategy{spreadAZ, binpack} }, ecs.AvailabilityZoneRebalancingEnabled},
		{"binpack", func(s *ecs.Service) { s.PlacementStrategy = []ecs.PlacementStrategy{binpack} }, ecs.AvailabilityZoneRebalancingDisabled},
		{"spread over instances", func(s *ecs.Service) {
			s.PlacementStrategy = []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeSpread, Field: "instanceId"}}
		}, ecs.AvailabilityZoneRebalancingDisabled},
		{"DAEMON", func(s *ecs.Service) { s.SchedulingStrategy = ecs.SchedulingStrategyDaemon }, ecs.AvailabilityZoneRebalancingDisabled},
		{"EXTERNAL", func(s *ecs.Service) { s.LaunchType = ecs.LaunchTypeExternal }, ecs.AvailabilityZoneRebalancingDisabled},
		{"maximumPercent 100", func(s *ecs.Service) { s.DeploymentConfiguration.MaximumPercent = ptr(100) }, ecs.AvailabilityZoneRebalancingDisabled},
		{"target group", func(s *ecs.Service) { s.LoadBalancers = []ecs.LoadBalancer{{TargetGroupARN: "tg"}} }, ecs.AvailabilityZoneRebalancingEnabled},
		{"Classic Load Balancer", func(s *ecs.Service) { s.LoadBalancers = []ecs.LoadBalancer{{LoadBalancerName: "clb"}} }, ecs.AvailabilityZoneRebalancingDisabled},
		{"zone constraint", func(s *ecs.Service) {
			s.PlacementConstraints = []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeMemberOf, Expression: "attribute:ecs.availability-zone in [us-east-1a]"}}
		}, ecs.AvailabilityZoneRebalancingDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := rollingService(3, 100, 200)
			tt.change(svc)
			require.Equal(t, tt.want, DefaultAvailabilityZoneRebalancing(svc))
		})
	}
}
