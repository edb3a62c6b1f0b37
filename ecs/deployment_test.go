package ecs

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDeploymentBounds checks the worked examples of rule
// 120, with the REPLICA defaults where the table leaves a percentage out.
func TestDeploymentBounds(t *testing.T) {
	pct := func(n int) *int { return &n }
	tests := []struct {
		name     string
		desired  int
		min, max *int // nil: the REPLICA default
		minimum  int
		maximum  int
	}{
		// 2 old tasks may stop before 2 new start.
		{"4 at 50%", 4, pct(50), nil, 2, 8},
		// ⌈1.5⌉ = 2: no task may stop first.
		{"2 at 75%", 2, pct(75), nil, 2, 4},
		// 4 new tasks may start before old ones stop.
		{"4 up to 200%", 4, nil, pct(200), 4, 8},
		// ⌊3.75⌋ = 3: no extra task may start.
		{"3 up to 125%", 3, nil, pct(125), 3, 3},
		// Start 1 new (max 2); stop the old one when the new is healthy.
		{"1 at 100–200%", 1, pct(100), pct(200), 1, 2},
		// Stop the old one first, then start the new.
		{"1 at 0–100%", 1, pct(0), pct(100), 0, 1},
		// Stuck: nothing may stop and nothing may start.
		{"5 at 100–100%", 5, pct(100), pct(100), 5, 5},
		{"none", 0, nil, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &DeploymentConfiguration{MinimumHealthyPercent: tt.min, MaximumPercent: tt.max}
			minPct, maxPct := DeploymentPercentages(SchedulingStrategyReplica, cfg)
			minimum, maximum := DeploymentBounds(tt.desired, minPct, maxPct)
			require.Equal(t, tt.minimum, minimum, "minimum")
			require.Equal(t, tt.maximum, maximum, "maximum")
		})
	}
}

func TestDeploymentPercentages(t *testing.T) {
	pct := func(n int) *int { return &n }
	tests := []struct {
		strategy SchedulingStrategy
		cfg      *DeploymentConfiguration
		min, max int
	}{
		{SchedulingStrategyReplica, nil, 100, 200},
		{"", &DeploymentConfiguration{}, 100, 200},
		{SchedulingStrategyDaemon, nil, 0, 100},
		{SchedulingStrategyReplica, &DeploymentConfiguration{MinimumHealthyPercent: pct(50)}, 50, 200},
		{SchedulingStrategyDaemon, &DeploymentConfiguration{MinimumHealthyPercent: pct(50)}, 50, 100},
		{SchedulingStrategyReplica, &DeploymentConfiguration{MaximumPercent: pct(150)}, 100, 150},
		{SchedulingStrategyReplica, &DeploymentConfiguration{MinimumHealthyPercent: pct(0), MaximumPercent: pct(0)}, 0, 0},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			minPct, maxPct := DeploymentPercentages(tt.strategy, tt.cfg)
			require.Equal(t, tt.min, minPct, "minimumHealthyPercent")
			require.Equal(t, tt.max, maxPct, "maximumPercent")
		})
	}
}
