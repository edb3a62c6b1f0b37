package capacity

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

func TestPlanOptions(t *testing.T) {
	ws := []Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 6, MaximumPercent: 100, Strategy: binpackMemory}}
	p := testPlanner([]string{"us-east-1a"})
	plan, err := p.Plan(context.Background(), ws)
	require.NoError(t, err)
	require.Len(t, plan.Options, 4)

	// EC2: 2 instances × 0.1 an hour × 730 hours.
	ec2 := plan.Options[0]
	require.Equal(t, OptionEC2, ec2.Kind)
	require.InDelta(t, 146.0, ec2.Cost.Monthly, 1e-9)
	require.Equal(t, []InstanceCount{{InstanceType: "test.large", AvailabilityZone: "us-east-1a", Count: 2}}, ec2.Instances)
	require.InDelta(t, 6*512/4096.0, ec2.CPUUtilization, 1e-9)
	require.InDelta(t, 6000/8000.0, ec2.MemoryUtilization, 1e-9)

	// EC2 Spot: the table has no price, and none is made up.
	spot := plan.Options[1]
	require.Equal(t, OptionEC2Spot, spot.Kind)
	require.False(t, spot.Cost.Priced())
	require.Contains(t, spot.Cost.Missing, "no EC2 Spot price")
	require.Empty(t, spot.Instances)

	// Fargate: 6 tasks of 0.5 vCPU and 1 GB, the smallest size that holds
	// 512 units and 1000 MiB: 0.5 × 0.04048 + 1 × 0.004445 = 0.024685 an
	// hour each. Fargate Spot: 0.5 × 0.01288871 + 1 × 0.00141527.
	fg := plan.Options[2]
	require.Equal(t, OptionFargate, fg.Kind)
	require.Equal(t, []FargateTask{{Workload: "web", Count: 6, Size: ecs.FargateSize{CPU: 512, MemoryMiB: 1024}, Hourly: fg.Tasks[0].Hourly}}, fg.Tasks)
	require.InDelta(t, 0.024685, fg.Tasks[0].Hourly, 1e-9)
	require.InDelta(t, 6*0.024685*730, fg.Cost.Monthly, 1e-6)
	require.InDelta(t, 1000/1024.0, fg.MemoryUtilization, 1e-9)
	fgs := plan.Options[3]
	require.InDelta(t, 6*(0.5*0.01288871+0.00141527)*730, fgs.Cost.Monthly, 1e-6)

	// web is bridge mode: Fargate prices it as a what-if but would refuse it
	// as written, so the recommendation is the cheapest option that runs it.
	require.Len(t, fgs.NeedsChanges, 1)
	require.Contains(t, fgs.NeedsChanges[0], "fargate.network-mode")
	require.Empty(t, ec2.NeedsChanges)
	require.Equal(t, OptionEC2, plan.Recommended)
	require.Empty(t, plan.Unplaceable)
	require.True(t, plan.Placeable())
	require.Equal(t, "us-east-1", plan.Region)
}

func TestPlanUnplaceable(t *testing.T) {
	gpu := td("gpu", 1024, 1024)
	gpu.ContainerDefinitions[0].ResourceRequirements = []ecs.ResourceRequirement{{Type: ecs.ResourceTypeGPU, Value: "1"}}
	arm := td("arm", 256, 256)
	arm.RuntimePlatform = &ecs.RuntimePlatform{CPUArchitecture: ecs.CPUArchitectureArm64}
	small := Workload{Name: "small", TaskDefinition: td("small", 256, 512), DesiredCount: 2, MaximumPercent: 100}
	tests := []struct {
		name      string
		types     []ecs.InstanceType
		ws        []Workload
		want      []Unplaceable
		placeable bool
		typeErr   []bool // per type, by name
		rec       OptionKind
	}{
		{"too big for every type, not for Fargate", []ecs.InstanceType{testType},
			[]Workload{small, {Name: "huge", TaskDefinition: td("huge", 1024, 6000), DesiredCount: 1}},
			[]Unplaceable{{Workload: "huge", Kinds: []OptionKind{OptionEC2, OptionEC2Spot}}},
			true, []bool{false}, ""}, // Fargate would need the bridge task definitions changed
		{"a GPU: no option", []ecs.InstanceType{testType},
			[]Workload{small, {Name: "gpu", TaskDefinition: gpu, DesiredCount: 1}},
			[]Unplaceable{{Workload: "gpu", Kinds: []OptionKind{OptionEC2, OptionEC2Spot, OptionFargate, OptionFargateSpot}}},
			false, []bool{false}, ""},
		{"an ARM64 task on x86_64 types", []ecs.InstanceType{testType},
			[]Workload{{Name: "arm", TaskDefinition: arm, DesiredCount: 1}},
			[]Unplaceable{{Workload: "arm", Kinds: []OptionKind{OptionEC2, OptionEC2Spot}}},
			true, []bool{false}, ""}, // Fargate would need the bridge task definition changed
		{"fits the larger type only: the smaller has no plan", []ecs.InstanceType{testType, bigType},
			[]Workload{small, {Name: "wide", TaskDefinition: td("wide", 1024, 6000), DesiredCount: 1}},
			nil, true, []bool{true, false}, OptionEC2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPlanner([]string{"us-east-1a"}, tt.types...)
			plan, err := p.Plan(context.Background(), tt.ws)
			require.NoError(t, err)
			got := append([]Unplaceable(nil), plan.Unplaceable...)
			for i := range got {
				require.NotEmpty(t, got[i].Reason)
				got[i].Reason = ""
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("unplaceable (-want +got):\n%s", diff)
			}
			require.Equal(t, tt.placeable, plan.Placeable())
			for i, tp := range plan.Types {
				require.Equal(t, tt.typeErr[i], tp.Err != nil, "%s: %v", tp.InstanceType, tp.Err)
			}
			require.Equal(t, tt.rec, plan.Recommended)
		})
	}
}

func TestPlanRecommendsFargateForValidTaskDefinitions(t *testing.T) {
	ready := td("web", 512, 1024)
	ready.NetworkMode = ecs.NetworkModeAwsvpc
	ws := []Workload{{Name: "web", TaskDefinition: ready, DesiredCount: 2, MaximumPercent: 100}}
	plan, err := testPlanner([]string{"us-east-1a"}).Plan(context.Background(), ws)
	require.NoError(t, err)
	for _, o := range plan.Options {
		require.Empty(t, o.NeedsChanges, o.Kind)
	}
	require.Equal(t, OptionFargateSpot, plan.Recommended, "the cheapest option that runs every service as written")
}

func TestPlanFargateLeavesDaemonsOut(t *testing.T) {
	ws := []Workload{
		{Name: "web", TaskDefinition: td("web", 256, 512), DesiredCount: 2},
		{Name: "agent", TaskDefinition: td("agent", 128, 128), Daemon: true},
	}
	plan, err := testPlanner(nil).Plan(context.Background(), ws)
	require.NoError(t, err)
	fg := plan.Options[2]
	require.Len(t, fg.Tasks, 1)
	require.Contains(t, fg.Notes, "1 daemon service(s) left out: Fargate runs no daemons (run them as sidecars)")
}

func TestWorkloadFor(t *testing.T) {
	pct := func(n int) *int { return &n }
	def := td("web", 256, 512)
	tests := []struct {
		name string
		svc  ecs.Service
		want int // tasks at the peak
	}{
		{"default 200%", ecs.Service{ServiceName: "s", DesiredCount: 5}, 10},
		{"150% rounds down", ecs.Service{ServiceName: "s", DesiredCount: 5,
			DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: pct(150)}}, 7},
		{"100%: no surge", ecs.Service{ServiceName: "s", DesiredCount: 5,
			DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: pct(100)}}, 5},
		{"below 100%: stops first, the peak is the desired count", ecs.Service{ServiceName: "s", DesiredCount: 5,
			DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: pct(50)}}, 5},
		{"CodeDeploy: a whole second set", ecs.Service{ServiceName: "s", DesiredCount: 5,
			DeploymentController:    &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeCodeDeploy},
			DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: pct(100)}}, 10},
		{"daemon", ecs.Service{ServiceName: "s", SchedulingStrategy: ecs.SchedulingStrategyDaemon}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := WorkloadFor(&tt.svc, def)
			require.Equal(t, tt.want, w.maxTasks())
		})
	}
}

func TestPlanBadInput(t *testing.T) {
	ctx := context.Background()
	w := Workload{Name: "web", TaskDefinition: td("web", 256, 512), DesiredCount: 1}
	bad := w
	bad.Strategy = []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeBinpack, Field: "disk"}}
	noTD := w
	noTD.TaskDefinition = nil
	tests := []struct {
		name string
		p    *Planner
		ws   []Workload
	}{
		{"a strategy the API refuses", testPlanner(nil), []Workload{bad}},
		{"no task definition", testPlanner(nil), []Workload{noTD}},
		{"a name twice", testPlanner(nil), []Workload{w, w}},
		{"an unknown type", NewPlanner(func(o *PlannerOptions) {
			o.InstanceTypes = []string{"z9.huge"}
		}), []Workload{w}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.p.Plan(ctx, tt.ws)
			require.Error(t, err)
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := testPlanner(nil).Plan(cancelled, []Workload{w})
	require.ErrorIs(t, err, context.Canceled)
}
