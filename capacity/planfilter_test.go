package capacity

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// armType is testType's figures on arm64, and cheaper.
var armType = ecs.InstanceType{Name: "arm.large", VCPUs: 2, CPU: 2048, MemoryMiB: 4096,
	RegisteredMemoryMiB: 4000, MaxENIs: 3, Architecture: "arm64"}

// filterPlanner plans over testType, bigType and armType, all priced.
func filterPlanner(o func(*PlannerOptions)) *Planner {
	prices := DefaultPrices()
	prices.EC2.OnDemand = map[string]float64{testType.Name: 0.1, bigType.Name: 0.2, armType.Name: 0.05}
	prices.EC2.Spot = nil
	return NewPlanner(func(po *PlannerOptions) {
		po.Catalog = ecs.NewCatalog(testType, bigType, armType)
		po.AvailabilityZones = []string{"us-east-1a"}
		po.Prices = prices
	}, o)
}

func TestPlanTypeFilters(t *testing.T) {
	tests := []struct {
		name    string
		types   []string
		arch    string
		want    []string
		wantErr string
	}{
		{"no filter: every priced type", nil, "", []string{armType.Name, testType.Name, bigType.Name}, ""},
		{"pattern", []string{"test.*"}, "", []string{testType.Name, bigType.Name}, ""},
		{"names and patterns, once each", []string{"test.large", "test.*", "arm.large"}, "", []string{armType.Name, testType.Name, bigType.Name}, ""},
		{"arm64 only", nil, "arm64", []string{armType.Name}, ""},
		{"x86_64 only", nil, "x86_64", []string{testType.Name, bigType.Name}, ""},
		{"pattern and architecture", []string{"*.large"}, "x86_64", []string{testType.Name}, ""},
		{"pattern matching none", []string{"m5.*"}, "", nil, `pattern "m5.*" matches no`},
		{"bad pattern", []string{"[x"}, "", nil, "syntax error in pattern"},
		{"unknown name", []string{"m5.large"}, "", nil, "m5.large is not in the catalogue"},
		{"unknown architecture", nil, "i386", nil, `architecture "i386" is not x86_64 or arm64`},
		{"architecture leaving no type", []string{"arm.large"}, "x86_64", nil, "no instance type planned is of architecture x86_64"},
	}
	ws := []Workload{{Name: "web", TaskDefinition: td("web", 512, 1000), DesiredCount: 2, MaximumPercent: 100}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filterPlanner(func(o *PlannerOptions) { o.InstanceTypes, o.Architecture = tt.types, tt.arch })
			plan, err := p.Plan(context.Background(), ws)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			var got []string
			for _, tp := range plan.Types {
				got = append(got, tp.InstanceType)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("types planned (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanCPUArchitecture checks that a task definition runs only on types
// of its runtimePlatform.cpuArchitecture, X86_64 (the documented default)
// when it names none:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html
// (the cheaper arm64 type must not be recommended for x86_64 tasks).
func TestPlanCPUArchitecture(t *testing.T) {
	withArch := func(a ecs.CPUArchitecture) *ecs.TaskDefinition {
		d := td("web", 512, 1000)
		if a != "" {
			d.RuntimePlatform = &ecs.RuntimePlatform{CPUArchitecture: a}
		}
		return d
	}
	tests := []struct {
		name     string
		arch     ecs.CPUArchitecture
		wantType string
		wantNote bool
	}{
		{"none named: X86_64", "", testType.Name, true},
		{"X86_64", ecs.CPUArchitectureX86_64, testType.Name, false},
		{"ARM64", ecs.CPUArchitectureArm64, armType.Name, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := []Workload{{Name: "web", TaskDefinition: withArch(tt.arch), DesiredCount: 2, MaximumPercent: 100}}
			plan, err := filterPlanner(nil).Plan(context.Background(), ws)
			require.NoError(t, err)
			require.Equal(t, OptionEC2, plan.Options[0].Kind)
			require.Equal(t, tt.wantType, plan.Options[0].InstanceType)
			for _, tp := range plan.Types {
				fits := tp.InstanceType == armType.Name == (tt.arch == ecs.CPUArchitectureArm64)
				require.Equal(t, fits, tp.Err == nil, "%s: %v", tp.InstanceType, tp.Err)
			}
			require.Equal(t, tt.wantNote, len(plan.Notes) > 0, "notes: %q", plan.Notes)
		})
	}
}

func TestUsageStranded(t *testing.T) {
	tests := []struct {
		name               string
		u                  usage
		wantCPU, wantMemMi int
	}{
		{"memory runs out first", usage{cpu: 1536, mem: 6000, regCPU: 4096, regMem: 8000}, 2048, 0},
		{"CPU runs out first", usage{cpu: 4000, mem: 2000, regCPU: 4096, regMem: 8000}, 0, 8000 - 2048},
		{"balanced", usage{cpu: 2048, mem: 4000, regCPU: 4096, regMem: 8000}, 0, 0},
		{"only memory used", usage{mem: 100, regCPU: 4096, regMem: 8000}, 4096, 0},
		{"nothing used", usage{regCPU: 4096, regMem: 8000}, 0, 0},
		{"no instances", usage{}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cpu, mem := tt.u.stranded()
			require.Equal(t, [2]int{tt.wantCPU, tt.wantMemMi}, [2]int{cpu, mem})
		})
	}
}

// TestPlanStranded checks the stranded figures of a planned type: six
// tasks of 256 units and 1000 MiB on two test.large fill 75% of the memory
// and 37.5% of the CPU; with memory full, half the CPU is still free.
func TestPlanStranded(t *testing.T) {
	ws := []Workload{{Name: "web", TaskDefinition: td("web", 256, 1000), DesiredCount: 6, MaximumPercent: 100, Strategy: binpackMemory}}
	plan, err := testPlanner([]string{"us-east-1a"}).Plan(context.Background(), ws)
	require.NoError(t, err)
	require.Len(t, plan.Types, 1)
	tp := plan.Types[0]
	require.Equal(t, []int{2}, tp.Counts)
	require.Equal(t, 2048, tp.StrandedCPU)
	require.Equal(t, 0, tp.StrandedMemoryMiB)
}
