package capacity

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// randomWorkloads returns 1 to 5 services of random sizes, network modes
// (bridge, awsvpc, static and dynamic host ports), strategies, constraints
// and deployment percentages, some of them daemons.
func randomWorkloads(r *rand.Rand, maxCount int) []Workload {
	var ws []Workload
	for i := range 1 + r.IntN(5) {
		name := "s" + strconv.Itoa(i)
		def := td(name, 128*(1+r.IntN(12)), 256*(1+r.IntN(12)))
		switch r.IntN(6) {
		case 0:
			awsvpc(def)
		case 1:
			hostPort(def, 8000+i)
		case 2:
			port, zero := 80, 0
			def.ContainerDefinitions[0].PortMappings = []ecs.PortMapping{{ContainerPort: &port, HostPort: &zero}}
		}
		w := Workload{Name: name, TaskDefinition: def, DesiredCount: r.IntN(maxCount + 1),
			MaximumPercent: []int{0, 100, 120, 150, 200, 50}[r.IntN(6)]}
		switch r.IntN(5) {
		case 1:
			w.Strategy = binpackMemory
		case 2:
			w.Strategy = []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeSpread, Field: "instanceId"}}
		case 3:
			w.Strategy = []ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeSpread, Field: "attribute:ecs.availability-zone"},
				{Type: ecs.PlacementStrategyTypeBinpack, Field: "cpu"}}
		}
		switch r.IntN(8) {
		case 0:
			w.Constraints = []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeDistinctInstance}}
		case 1:
			w.Constraints = []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeMemberOf,
				Expression: "attribute:ecs.availability-zone == us-east-1a"}}
		}
		if r.IntN(7) == 0 {
			w.Daemon, w.Strategy, w.MaximumPercent = true, nil, 0
			w.TaskDefinition = td(name, 64*(1+r.IntN(4)), 128*(1+r.IntN(4)))
		}
		ws = append(ws, w)
	}
	return ws
}

// TestPlanMinimalRandom plans random workloads and checks each type's
// plan: its instances hold the workloads, and do not without any one of
// them. The search's estimates and partial checks must never show
// through.
func TestPlanMinimalRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 2026))
	trials := 60
	if testing.Short() {
		trials = 10
	}
	for trial := range trials {
		ws := randomWorkloads(r, 40)
		zones := [][]string{{"us-east-1a"}, nil, {"us-east-1a", "us-east-1b"}}[r.IntN(3)]
		p := testPlanner(zones, testType, bigType)
		p.o.Headroom = r.IntN(3)
		plan, err := p.Plan(context.Background(), ws)
		require.NoError(t, err, "trial %d", trial)
		for k := range plan.Types {
			tp := &plan.Types[k]
			if tp.Err != nil {
				continue
			}
			t.Run(strconv.Itoa(trial)+"/"+tp.InstanceType, func(t *testing.T) {
				checkMinimal(t, p, ws, tp)
			})
		}
	}
}

// TestPlanUtilization checks the utilisation a plan reports, which the
// planner counts from the tasks it placed, against what placement's
// engine says the steady state takes of the plan's instances.
func TestPlanUtilization(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	for trial := range 15 {
		ws := randomWorkloads(r, 30)
		p := testPlanner(nil, testType, bigType)
		plan, err := p.Plan(context.Background(), ws)
		require.NoError(t, err)
		prepared, err := p.prepare(ws)
		require.NoError(t, err)
		for k := range plan.Types {
			tp := &plan.Types[k]
			if tp.Err != nil {
				continue
			}
			all, err := p.Instances(ws, tp.InstanceType, tp.Counts)
			require.NoError(t, err)
			snap, err := placement.NewSnapshot(all, nil, p.snapshotOptions())
			require.NoError(t, err)
			o, e, err := newChecker(prepared, p.o.Headroom).steady(context.Background(), snap, nil, nil, false)
			require.NoError(t, err)
			require.Nil(t, o.pe)
			var cpu, mem, regCPU, regMem int
			for st := range e.Instances() {
				regCPU += st.RegisteredCPU
				regMem += st.RegisteredMemoryMiB
				cpu += st.RegisteredCPU - st.CPU
				mem += st.RegisteredMemoryMiB - st.MemoryMiB
			}
			if regCPU == 0 { // no instance at all
				require.Zero(t, tp.CPUUtilization)
				require.Zero(t, tp.MemoryUtilization)
				continue
			}
			require.InDelta(t, float64(cpu)/float64(regCPU), tp.CPUUtilization, 1e-12, "trial %d %s", trial, tp.InstanceType)
			require.InDelta(t, float64(mem)/float64(regMem), tp.MemoryUtilization, 1e-12, "trial %d %s", trial, tp.InstanceType)
		}
	}
}
