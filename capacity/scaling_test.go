package capacity

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func intp(n int) *int { return &n }

func TestManagedScalingDefaults(t *testing.T) {
	got := ManagedScaling{}.WithDefaults()
	want := ManagedScaling{Status: Disabled, TargetCapacity: 100, MinimumScalingStepSize: 1,
		MaximumScalingStepSize: 10000, InstanceWarmupPeriod: intp(300)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WithDefaults (-want +got):\n%s", diff)
	}
	set := ManagedScaling{Status: Enabled, TargetCapacity: 70, MinimumScalingStepSize: 2,
		MaximumScalingStepSize: 5, InstanceWarmupPeriod: intp(0)}
	require.Equal(t, set, set.WithDefaults(), "given members stay")
	require.Equal(t, time.Duration(0), set.Warmup())
	require.Equal(t, 5*time.Minute, ManagedScaling{}.Warmup())
}

func TestProviderProblems(t *testing.T) {
	ok := AutoScalingGroupProvider{AutoScalingGroupARN: "arn:asg"}
	with := func(m ManagedScaling) AutoScalingGroupProvider {
		p := ok
		p.ManagedScaling = &m
		return p
	}
	tests := []struct {
		name     string
		p        AutoScalingGroupProvider
		wantPath []string
	}{
		{"minimal", ok, nil},
		{"full", AutoScalingGroupProvider{AutoScalingGroupARN: "arn:asg",
			ManagedScaling: &ManagedScaling{Status: Enabled, TargetCapacity: 100, MinimumScalingStepSize: 10000,
				MaximumScalingStepSize: 1, InstanceWarmupPeriod: intp(10000)},
			ManagedTerminationProtection: Enabled, ManagedDraining: Disabled}, nil},
		{"warm-up 0 is valid", with(ManagedScaling{InstanceWarmupPeriod: intp(0)}), nil},
		{"no ARN", AutoScalingGroupProvider{}, []string{"autoScalingGroupProvider.autoScalingGroupArn"}},
		{"target 101", with(ManagedScaling{TargetCapacity: 101}),
			[]string{"autoScalingGroupProvider.managedScaling.targetCapacity"}},
		{"target negative", with(ManagedScaling{TargetCapacity: -5}),
			[]string{"autoScalingGroupProvider.managedScaling.targetCapacity"}},
		{"steps out of range", with(ManagedScaling{MinimumScalingStepSize: 10001, MaximumScalingStepSize: -1}),
			[]string{"autoScalingGroupProvider.managedScaling.minimumScalingStepSize",
				"autoScalingGroupProvider.managedScaling.maximumScalingStepSize"}},
		{"warm-up out of range", with(ManagedScaling{InstanceWarmupPeriod: intp(10001)}),
			[]string{"autoScalingGroupProvider.managedScaling.instanceWarmupPeriod"}},
		{"status", with(ManagedScaling{Status: "ON"}), []string{"autoScalingGroupProvider.managedScaling.status"}},
		{"enums", AutoScalingGroupProvider{AutoScalingGroupARN: "a", ManagedTerminationProtection: "yes",
			ManagedDraining: "no"},
			[]string{"autoScalingGroupProvider.managedTerminationProtection", "autoScalingGroupProvider.managedDraining"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			for _, p := range ProviderProblems(tt.p) {
				paths = append(paths, p.Path)
			}
			if diff := cmp.Diff(tt.wantPath, paths); diff != "" {
				t.Errorf("paths (-want +got):\n%s", diff)
			}
			if tt.wantPath == nil {
				require.NoError(t, ValidateProvider(tt.p))
			} else {
				require.Error(t, ValidateProvider(tt.p))
			}
		})
	}
}

func TestProviderMessages(t *testing.T) {
	err := ValidateProvider(AutoScalingGroupProvider{AutoScalingGroupARN: "a",
		ManagedScaling: &ManagedScaling{TargetCapacity: 101}})
	require.EqualError(t, err, "InvalidParameterException: 1 validation error detected: Value '101' at "+
		"'autoScalingGroupProvider.managedScaling.targetCapacity' failed to satisfy constraint: "+
		"Member must have value less than or equal to 100")
	err = ValidateProvider(AutoScalingGroupProvider{AutoScalingGroupARN: "a", ManagedTerminationProtection: "on"})
	require.EqualError(t, err, "InvalidParameterException: 1 validation error detected: Value 'on' at "+
		"'autoScalingGroupProvider.managedTerminationProtection' failed to satisfy constraint: "+
		"Member must satisfy enum value set: [ENABLED, DISABLED]")
}

func TestReservation(t *testing.T) {
	tests := []struct {
		m, n int
		want float64
	}{
		{0, 0, 100}, // assumption (Open point 9)
		{3, 0, 200}, // assumption (Open point 9)
		{4, 4, 100},
		{2, 4, 50},
		{5, 4, 125},
		{2, 3, 200.0 / 3},
		{0, 5, 0},
	}
	for _, tt := range tests {
		require.InDelta(t, tt.want, Reservation(tt.m, tt.n), 1e-9, "M=%d N=%d", tt.m, tt.n)
	}
}

func TestDesiredInstances(t *testing.T) {
	tests := []struct{ m, target, want int }{
		{10, 100, 10},
		{10, 80, 13}, // ⌈12.5⌉
		{3, 75, 4},
		{4, 50, 8},
		{1, 1, 100},
		{0, 50, 0},
		{7, 0, 7}, // absent target: 100
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, DesiredInstances(tt.m, tt.target), "M=%d target=%d", tt.m, tt.target)
	}
}

func TestScaleOutStep(t *testing.T) {
	tests := []struct {
		more, min, max, want int
	}{
		{0, 0, 0, 0},
		{-3, 5, 10, 0},
		{2, 5, 10, 5},   // below the minimum: the minimum
		{7, 1, 10, 7},   // between: as needed
		{50, 1, 10, 10}, // above the maximum: the maximum
		{12000, 0, 0, 10000},
		{3, 5, 2, 5}, // minimum above maximum: rule 139.5 as written
		{9, 5, 2, 2},
	}
	for _, tt := range tests {
		m := ManagedScaling{MinimumScalingStepSize: tt.min, MaximumScalingStepSize: tt.max}
		require.Equal(t, tt.want, ScaleOutStep(tt.more, m), "%+v", tt)
	}
}
