package capacity

import (
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var (
	large  = InstanceShape{Name: "c5.large", CPU: 2048, MemoryMiB: 3800, ENIs: 2, ReservedTCP: []int{22}}
	xlarge = InstanceShape{Name: "c5.xlarge", CPU: 4096, MemoryMiB: 7600, ENIs: 3, ReservedTCP: []int{22, 8080}}
)

func tasks(n int, r ecs.Resources) []ecs.Resources {
	out := make([]ecs.Resources, n)
	for i := range out {
		out[i] = r
	}
	return out
}

func busy(n int) []Instance {
	out := make([]Instance, n)
	for i := range out {
		out[i] = Instance{ID: "busy-" + string(rune('a'+i)), NonDaemonTasks: 1}
	}
	return out
}

func empty(n int) []Instance {
	out := make([]Instance, n)
	for i := range out {
		out[i] = Instance{ID: "empty-" + string(rune('a'+i))}
	}
	return out
}

func TestHolds(t *testing.T) {
	tests := []struct {
		name  string
		shape InstanceShape
		need  ecs.Resources
		want  int
	}{
		{"cpu bound", xlarge, ecs.Resources{CPU: 1024, MemoryMiB: 512}, 4},
		{"memory bound", xlarge, ecs.Resources{CPU: 256, MemoryMiB: 2000}, 3},
		{"eni bound", xlarge, ecs.Resources{CPU: 256, MemoryMiB: 256, ENIs: 1}, 3},
		{"gpu bound", InstanceShape{CPU: 8192, MemoryMiB: 60000, GPUs: 1}, ecs.Resources{CPU: 1, GPUs: 1}, 1},
		{"no gpu", xlarge, ecs.Resources{CPU: 1, GPUs: 1}, 0},
		{"static port: one per instance", xlarge, ecs.Resources{CPU: 256, MemoryMiB: 256, PortsTCP: []int{80}}, 1},
		{"reserved port", xlarge, ecs.Resources{CPU: 256, MemoryMiB: 256, PortsTCP: []int{8080}}, 0},
		{"udp port free", xlarge, ecs.Resources{CPU: 256, PortsUDP: []int{8080}}, 1},
		{"too big", large, ecs.Resources{CPU: 4096}, 0},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, tt.shape.holds(tt.need), tt.name)
	}
}

func TestSmallestLargest(t *testing.T) {
	s := smallest([]InstanceShape{large, xlarge})
	l := largest([]InstanceShape{large, xlarge})
	require.Equal(t, InstanceShape{Name: "smallest", CPU: 2048, MemoryMiB: 3800, ENIs: 2, ReservedTCP: []int{22, 8080}}, s)
	require.Equal(t, InstanceShape{Name: "largest", CPU: 4096, MemoryMiB: 7600, ENIs: 3, ReservedTCP: []int{22}}, l)
}

func TestEstimateNeeds(t *testing.T) {
	shapes := []InstanceShape{large, xlarge}
	small := ecs.Resources{CPU: 1024, MemoryMiB: 1024}
	awsvpc := ecs.Resources{CPU: 512, MemoryMiB: 512, ENIs: 1}
	huge := ecs.Resources{CPU: 8192, MemoryMiB: 1024}
	web := ecs.Resources{CPU: 256, MemoryMiB: 256, PortsTCP: []int{80}}
	var provisioning []ecs.Resources
	provisioning = append(provisioning, tasks(5, small)...)
	provisioning = append(provisioning, tasks(3, awsvpc)...)
	provisioning = append(provisioning, tasks(2, huge)...)

	got := EstimateNeeds(append(busy(2), empty(1)...), provisioning, shapes)
	want := Estimate{
		Running: 3, Busy: 2, New: 2, Excluded: 2,
		Groups: []GroupEstimate{
			{Needs: small, Tasks: 5, Min: 2, Max: 3},  // 4 per xlarge, 2 per large
			{Needs: awsvpc, Tasks: 3, Min: 1, Max: 2}, // 3 ENIs per xlarge, 2 per large
			{Needs: huge, Tasks: 2, Excluded: true, Max: -1},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EstimateNeeds (-want +got):\n%s", diff)
	}
	require.Equal(t, 4, got.M())
	require.InDelta(t, 400.0/3, got.Reservation(), 1e-9)

	// A static host port takes a whole instance per task.
	got = EstimateNeeds(nil, tasks(3, web), shapes)
	require.Equal(t, 3, got.New)
	require.InDelta(t, 200, got.Reservation(), 1e-9)

	// A task that fits the largest shape but not the smallest.
	mid := ecs.Resources{CPU: 3000, MemoryMiB: 1000}
	got = EstimateNeeds(nil, tasks(2, mid), shapes)
	require.Equal(t, []GroupEstimate{{Needs: mid, Tasks: 2, Min: 2, Max: -1}}, got.Groups)
}

func TestEstimateAllExcluded(t *testing.T) {
	got := EstimateNeeds(busy(2), tasks(4, ecs.Resources{CPU: 99999}), []InstanceShape{large})
	require.True(t, got.AllExcluded)
	require.Equal(t, 4, got.Excluded)
	require.Equal(t, 100.0, got.Reservation(), "every task excluded: the reservation stays 100")

	got = EstimateNeeds(busy(2), tasks(1, ecs.Resources{CPU: 1}), nil)
	require.True(t, got.AllExcluded, "no shapes: nothing fits")
}

func TestEstimateNoProvisioning(t *testing.T) {
	got := EstimateNeeds(append(busy(1), empty(3)...), nil, nil)
	require.Equal(t, Estimate{Running: 4, Busy: 1}, got)
	require.InDelta(t, 25, got.Reservation(), 1e-9)
	require.InDelta(t, 100, EstimateNeeds(nil, nil, nil).Reservation(), 1e-9)
}

func TestShapeOf(t *testing.T) {
	c5, ok := ecs.DefaultCatalog().Lookup("c5.large")
	require.True(t, ok)
	s := ShapeOf(c5, false)
	require.Equal(t, "c5.large", s.Name)
	require.Equal(t, c5.CPU, s.CPU)
	require.Equal(t, c5.RegisteredMemoryMiB, s.MemoryMiB)
	require.Equal(t, c5.MaxENIs-1, s.ENIs)
	if c5.TrunkENIs > 0 {
		require.Equal(t, c5.TrunkENIs, ShapeOf(c5, true).ENIs)
	}
	require.Zero(t, ShapeOf(ecs.InstanceType{}, true).ENIs)
}
