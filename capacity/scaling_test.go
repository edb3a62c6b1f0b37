package capacity

import (
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func intp(n int) *int { return &n }

func TestScalingDefaults(t *testing.T) {
	got := ScalingDefaults(ecs.ManagedScaling{})
	want := ScalingParams{Enabled: false, TargetCapacity: 100, MinimumScalingStepSize: 1,
		MaximumScalingStepSize: 10000, InstanceWarmupPeriod: 300 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ScalingDefaults (-want +got):\n%s", diff)
	}
	set := ecs.ManagedScaling{Status: ecs.ManagedScalingStatusEnabled, TargetCapacity: intp(70),
		MinimumScalingStepSize: intp(2), MaximumScalingStepSize: intp(5), InstanceWarmupPeriod: intp(0)}
	require.Equal(t, ScalingParams{Enabled: true, TargetCapacity: 70, MinimumScalingStepSize: 2,
		MaximumScalingStepSize: 5, InstanceWarmupPeriod: 0}, ScalingDefaults(set), "given members stay")
	require.Equal(t, time.Duration(0), ScalingDefaults(set).InstanceWarmupPeriod)
	require.Equal(t, 5*time.Minute, ScalingDefaults(ecs.ManagedScaling{}).InstanceWarmupPeriod)
	require.False(t, ScalingDefaults(ecs.ManagedScaling{Status: ecs.ManagedScalingStatusDisabled}).Enabled)
	require.False(t, ScalingDefaults(ecs.ManagedScaling{Status: "ON"}).Enabled, "an unknown status is not ENABLED")

	// A provider without managedScaling: off, with the defaults.
	require.Equal(t, want, providerScaling(ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a"}))
	require.Equal(t, ScalingDefaults(set),
		providerScaling(ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a", ManagedScaling: &set}))
}

func TestProviderProblems(t *testing.T) {
	ok := ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "arn:asg"}
	with := func(m ecs.ManagedScaling) ecs.AutoScalingGroupProvider {
		p := ok
		p.ManagedScaling = &m
		return p
	}
	tests := []struct {
		name     string
		p        ecs.AutoScalingGroupProvider
		wantPath []string
	}{
		{"minimal", ok, nil},
		{"full", ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "arn:asg",
			ManagedScaling: &ecs.ManagedScaling{Status: ecs.ManagedScalingStatusEnabled, TargetCapacity: intp(100),
				MinimumScalingStepSize: intp(10000), MaximumScalingStepSize: intp(1), InstanceWarmupPeriod: intp(10000)},
			ManagedTerminationProtection: ecs.ManagedTerminationProtectionEnabled,
			ManagedDraining:              ecs.ManagedDrainingDisabled}, nil},
		{"lower bounds", with(ecs.ManagedScaling{Status: ecs.ManagedScalingStatusDisabled, TargetCapacity: intp(1),
			MinimumScalingStepSize: intp(1), MaximumScalingStepSize: intp(1)}), nil},
		{"warm-up 0 is valid", with(ecs.ManagedScaling{InstanceWarmupPeriod: intp(0)}), nil},
		{"no ARN", ecs.AutoScalingGroupProvider{}, []string{"autoScalingGroupProvider.autoScalingGroupArn"}},
		{"target 101", with(ecs.ManagedScaling{TargetCapacity: intp(101)}),
			[]string{"autoScalingGroupProvider.managedScaling.targetCapacity"}},
		{"target negative", with(ecs.ManagedScaling{TargetCapacity: intp(-5)}),
			[]string{"autoScalingGroupProvider.managedScaling.targetCapacity"}},
		{"target 0 is set, not absent", with(ecs.ManagedScaling{TargetCapacity: intp(0)}),
			[]string{"autoScalingGroupProvider.managedScaling.targetCapacity"}},
		{"steps out of range", with(ecs.ManagedScaling{MinimumScalingStepSize: intp(10001), MaximumScalingStepSize: intp(-1)}),
			[]string{"autoScalingGroupProvider.managedScaling.minimumScalingStepSize",
				"autoScalingGroupProvider.managedScaling.maximumScalingStepSize"}},
		{"steps 0", with(ecs.ManagedScaling{MinimumScalingStepSize: intp(0), MaximumScalingStepSize: intp(0)}),
			[]string{"autoScalingGroupProvider.managedScaling.minimumScalingStepSize",
				"autoScalingGroupProvider.managedScaling.maximumScalingStepSize"}},
		{"warm-up out of range", with(ecs.ManagedScaling{InstanceWarmupPeriod: intp(10001)}),
			[]string{"autoScalingGroupProvider.managedScaling.instanceWarmupPeriod"}},
		{"warm-up negative", with(ecs.ManagedScaling{InstanceWarmupPeriod: intp(-1)}),
			[]string{"autoScalingGroupProvider.managedScaling.instanceWarmupPeriod"}},
		{"status", with(ecs.ManagedScaling{Status: "ON"}), []string{"autoScalingGroupProvider.managedScaling.status"}},
		{"enums", ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a", ManagedTerminationProtection: "yes",
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
	err := ValidateProvider(ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a",
		ManagedScaling: &ecs.ManagedScaling{TargetCapacity: intp(101)}})
	require.EqualError(t, err, "InvalidParameterException: 1 validation error detected: Value '101' at "+
		"'autoScalingGroupProvider.managedScaling.targetCapacity' failed to satisfy constraint: "+
		"Member must have value less than or equal to 100")
	err = ValidateProvider(ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a", ManagedTerminationProtection: "on"})
	require.EqualError(t, err, "InvalidParameterException: 1 validation error detected: Value 'on' at "+
		"'autoScalingGroupProvider.managedTerminationProtection' failed to satisfy constraint: "+
		"Member must satisfy enum value set: [ENABLED, DISABLED]")
	err = ValidateProvider(ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "a",
		ManagedScaling: &ecs.ManagedScaling{Status: "on"}})
	require.EqualError(t, err, "InvalidParameterException: 1 validation error detected: Value 'on' at "+
		"'autoScalingGroupProvider.managedScaling.status' failed to satisfy constraint: "+
		"Member must satisfy enum value set: [ENABLED, DISABLED]")
	require.ErrorIs(t, err, ecs.ErrInvalid)
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
	// min and max 0: the member is absent and takes its default.
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
	opt := func(n int) *int {
		if n == 0 {
			return nil
		}
		return intp(n)
	}
	for _, tt := range tests {
		sp := ScalingDefaults(ecs.ManagedScaling{MinimumScalingStepSize: opt(tt.min), MaximumScalingStepSize: opt(tt.max)})
		require.Equal(t, tt.want, ScaleOutStep(tt.more, sp), "%+v", tt)
		// A zero step in resolved params is taken as its default too.
		raw := ScalingParams{MinimumScalingStepSize: tt.min, MaximumScalingStepSize: tt.max}
		require.Equal(t, tt.want, ScaleOutStep(tt.more, raw), "%+v (zero params)", tt)
	}
}
