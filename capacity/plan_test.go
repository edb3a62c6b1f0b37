package capacity

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// testType is an instance type whose figures are easy to divide: 2 vCPUs
// (2048 units), 4000 MiB registered, 3 ENIs (2 awsvpc tasks).
var testType = ecs.InstanceType{Name: "test.large", VCPUs: 2, CPU: 2048, MemoryMiB: 4096,
	RegisteredMemoryMiB: 4000, MaxENIs: 3, Architecture: "x86_64"}

// bigType has twice testType's CPU and memory.
var bigType = ecs.InstanceType{Name: "test.xlarge", VCPUs: 4, CPU: 4096, MemoryMiB: 8192,
	RegisteredMemoryMiB: 8000, MaxENIs: 4, Architecture: "x86_64"}

// td returns a task definition of family f whose task takes cpu units and
// mem MiB.
func td(f string, cpu, mem int) *ecs.TaskDefinition {
	return &ecs.TaskDefinition{
		Family: f, CPU: strconv.Itoa(cpu), Memory: strconv.Itoa(mem),
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "app:1"}},
	}
}

// featured gives t an awslogs log driver, a task role and a
// requiresAttributes entry, as describe-task-definition shows them.
func featured(t *ecs.TaskDefinition) *ecs.TaskDefinition {
	t.TaskRoleARN = "arn:aws:iam::123456789012:role/app"
	t.ContainerDefinitions[0].LogConfiguration = &ecs.LogConfiguration{LogDriver: ecs.LogDriverAwslogs}
	t.RequiresAttributes = []ecs.Attribute{{Name: "com.amazonaws.ecs.capability.docker-remote-api.1.19"}}
	return t
}

func awsvpc(t *ecs.TaskDefinition) *ecs.TaskDefinition {
	t.NetworkMode = ecs.NetworkModeAwsvpc
	return t
}

func hostPort(t *ecs.TaskDefinition, port int) *ecs.TaskDefinition {
	t.ContainerDefinitions[0].PortMappings = []ecs.PortMapping{{ContainerPort: &port, HostPort: &port}}
	return t
}

var binpackMemory = []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeBinpack, Field: "memory"}}

// testPlanner plans over testType (and bigType when asked) at a price of
// 0.1 an hour (0.2 for bigType), no Spot price.
func testPlanner(zones []string, types ...ecs.InstanceType) *Planner {
	if len(types) == 0 {
		types = []ecs.InstanceType{testType}
	}
	prices := DefaultPrices()
	prices.EC2.OnDemand = map[string]float64{testType.Name: 0.1, bigType.Name: 0.2}
	prices.EC2.Spot = nil
	return NewPlanner(func(o *PlannerOptions) {
		o.Catalog = ecs.NewCatalog(types...)
		o.AvailabilityZones = zones
		o.Prices = prices
	})
}

func TestPlanByHand(t *testing.T) {
	oneZone := []string{"us-east-1a"}
	tests := []struct {
		name     string
		zones    []string
		headroom int
		ws       []Workload
		want     []int
	}{
		{"one service, one type: 4 tasks an instance", oneZone, 0,
			[]Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 6, MaximumPercent: 100, Strategy: binpackMemory}},
			[]int{2}},
		{"AZ spread: three tasks that each need most of an instance", nil, 0,
			[]Workload{{Name: "api", TaskDefinition: td("api", 1536, 3000), DesiredCount: 3, MaximumPercent: 100}},
			[]int{1, 1, 1}},
		{"awsvpc: two ENIs an instance, not memory, set the count", oneZone, 0,
			[]Workload{{Name: "vpc", TaskDefinition: awsvpc(td("vpc", 256, 500)), DesiredCount: 6, MaximumPercent: 100}},
			[]int{3}},
		{"deployment surge: 150% of 6 needs a third instance", oneZone, 0,
			[]Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 6, MaximumPercent: 150, Strategy: binpackMemory}},
			[]int{3}},
		{"default surge 200%: 12 tasks at the peak", oneZone, 0,
			[]Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 6, Strategy: binpackMemory}},
			[]int{3}},
		{"daemon on every instance: 3 tasks beside it", oneZone, 0,
			[]Workload{
				{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 6, MaximumPercent: 100},
				{Name: "agent", TaskDefinition: td("agent", 512, 1000), Daemon: true},
			},
			[]int{2}},
		{"headroom of two more of the largest task", oneZone, 2,
			[]Workload{
				{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 4, MaximumPercent: 100, Strategy: binpackMemory},
				{Name: "big", TaskDefinition: td("big", 1024, 2000), DesiredCount: 2, MaximumPercent: 100, Strategy: binpackMemory},
			},
			[]int{3}},
		{"static host port: one task an instance", oneZone, 0,
			[]Workload{{Name: "edge", TaskDefinition: hostPort(td("edge", 256, 256), 80), DesiredCount: 3, MaximumPercent: 100}},
			[]int{3}},
		{"capabilities the task definition needs: the instances have them", oneZone, 0,
			[]Workload{{Name: "web", TaskDefinition: featured(td("web", 512, 1000)), DesiredCount: 6, MaximumPercent: 100}},
			[]int{2}},
		{"binpack leaves the other zones empty", nil, 0,
			[]Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 3, MaximumPercent: 100, Strategy: binpackMemory}},
			[]int{1, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPlanner(tt.zones)
			p.o.Headroom = tt.headroom
			plan, err := p.Plan(context.Background(), tt.ws)
			require.NoError(t, err)
			require.Len(t, plan.Types, 1)
			require.NoError(t, plan.Types[0].Err)
			if diff := cmp.Diff(tt.want, plan.Types[0].Counts); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			checkMinimal(t, p, tt.ws, &plan.Types[0])
		})
	}
}

// checkMinimal checks that the plan's instances hold the workloads and
// that without any one of them they do not.
func checkMinimal(t *testing.T, p *Planner, ws []Workload, tp *TypePlan) {
	t.Helper()
	ctx := context.Background()
	all, err := p.Instances(ws, tp.InstanceType, tp.Counts)
	require.NoError(t, err)
	require.NoError(t, p.Check(ctx, ws, all), "the plan's instances")
	for i := range all {
		fewer := append(append([]ecs.ContainerInstance(nil), all[:i]...), all[i+1:]...)
		var pe *PlacementError
		require.True(t, errors.As(p.Check(ctx, ws, fewer), &pe),
			"the workloads still fit without %s", all[i].ContainerInstanceARN)
	}
}

func TestPlanMinimal(t *testing.T) {
	spreadInstance := []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeSpread, Field: "instanceId"}}
	distinct := []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeDistinctInstance}}
	zoneA := []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeMemberOf, Expression: "attribute:ecs.availability-zone == us-east-1a"}}
	mixes := [][]Workload{
		{
			{Name: "web", TaskDefinition: td("web", 256, 700), DesiredCount: 10},
			{Name: "api", TaskDefinition: td("api", 1024, 1500), DesiredCount: 4, MaximumPercent: 150, Strategy: binpackMemory},
			{Name: "log", TaskDefinition: td("log", 128, 256), Daemon: true},
		},
		{
			{Name: "vpc", TaskDefinition: awsvpc(td("vpc", 256, 512)), DesiredCount: 7, Strategy: spreadInstance},
			{Name: "edge", TaskDefinition: hostPort(td("edge", 256, 256), 443), DesiredCount: 2},
			{Name: "one", TaskDefinition: td("one", 512, 512), DesiredCount: 3, Constraints: distinct, MaximumPercent: 100},
		},
		{
			{Name: "a-only", TaskDefinition: td("aonly", 1024, 2500), DesiredCount: 3, Constraints: zoneA},
			{Name: "rest", TaskDefinition: td("rest", 700, 900), DesiredCount: 5, MaximumPercent: 120},
		},
	}
	for i, ws := range mixes {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			p := testPlanner(nil, testType, bigType)
			p.o.Headroom = i
			plan, err := p.Plan(context.Background(), ws)
			require.NoError(t, err)
			require.Len(t, plan.Types, 2)
			for k := range plan.Types {
				tp := &plan.Types[k]
				require.NoError(t, tp.Err, tp.InstanceType)
				checkMinimal(t, p, ws, tp)
			}
		})
	}
}

func TestCheckPhases(t *testing.T) {
	web := Workload{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 4, MaximumPercent: 100, Strategy: binpackMemory}
	surging := web
	surging.MaximumPercent = 125
	daemon := Workload{Name: "agent", TaskDefinition: td("agent", 512, 1000), Daemon: true}
	tests := []struct {
		name     string
		ws       []Workload
		headroom int
		want     Phase // empty: fits
		workload string
	}{
		{"exactly full", []Workload{web}, 0, "", ""},
		{"a surge of one more task", []Workload{surging}, 0, PhaseSurge, "web"},
		{"headroom of one more task", []Workload{web}, 1, PhaseHeadroom, "web"},
		{"the daemon first", []Workload{web, daemon}, 0, PhaseSteady, "web"},
		{"a daemon too big", []Workload{{Name: "fat", TaskDefinition: td("fat", 4096, 1000), Daemon: true}}, 0, PhaseDaemon, "fat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPlanner([]string{"us-east-1a"})
			p.o.Headroom = tt.headroom
			instances, err := p.Instances(tt.ws, testType.Name, []int{1})
			require.NoError(t, err)
			err = p.Check(context.Background(), tt.ws, instances)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var pe *PlacementError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, tt.want, pe.Phase)
			require.Equal(t, tt.workload, pe.Workload)
			require.Contains(t, pe.Error(), "was unable to place a task")
		})
	}
}

func TestPlanENITrunking(t *testing.T) {
	trunked := testType
	trunked.TrunkENIs = 6
	ws := []Workload{{Name: "vpc", TaskDefinition: awsvpc(td("vpc", 256, 500)), DesiredCount: 6, MaximumPercent: 100}}
	for _, tt := range []struct {
		trunk bool
		want  []int
	}{{false, []int{3}}, {true, []int{1}}} {
		p := testPlanner([]string{"us-east-1a"}, trunked)
		p.o.ENITrunking = tt.trunk
		plan, err := p.Plan(context.Background(), ws)
		require.NoError(t, err)
		require.Equal(t, tt.want, plan.Types[0].Counts, "trunking %t", tt.trunk)
	}
}
