package capacity

import (
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

func TestSpotInterruption(t *testing.T) {
	at := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	e := SpotInterruption{TaskARN: "arn:aws:ecs:us-east-1:123456789012:task/c/1", At: at}
	require.Equal(t, 2*time.Minute, SpotWarning)
	require.Equal(t, at.Add(2*time.Minute), e.ReclaimAt())
	require.Equal(t, at.Add(30*time.Second), e.KillAt(0), "default stopTimeout")
	require.Equal(t, at.Add(90*time.Second), e.KillAt(90*time.Second))
	require.Equal(t, at.Add(2*time.Minute), e.KillAt(10*time.Minute), "stopTimeout capped at 120 s")

	task := ecs.Task{TaskARN: e.TaskARN, LastStatus: "RUNNING", DesiredStatus: "RUNNING", CapacityProviderName: FargateSpot}
	e.Apply(&task)
	require.Equal(t, ecs.DesiredStatus("STOPPED"), task.DesiredStatus)
	require.Equal(t, ecs.TaskStatusRunning, task.LastStatus)
	require.Equal(t, ecs.TaskStopCodeSpotInterruption, task.StopCode)
	require.Equal(t, "Your Spot Task was interrupted.", task.StoppedReason)
	require.True(t, task.StoppingAt.Equal(at))
}

func TestSpotSupported(t *testing.T) {
	tests := []struct {
		os   ecs.OSFamily
		arch ecs.CPUArchitecture
		pv   string
		want bool
	}{
		{"", "", "", true},
		{ecs.OSFamilyLinux, ecs.CPUArchitectureX86_64, "1.3.0", true},
		{ecs.OSFamilyLinux, ecs.CPUArchitectureX86_64, "1.2.0", false},
		{ecs.OSFamilyLinux, ecs.CPUArchitectureArm64, "1.3.0", false},
		{ecs.OSFamilyLinux, ecs.CPUArchitectureArm64, "LATEST", true},
		{ecs.OSFamilyLinux, ecs.CPUArchitectureArm64, "1.4.0", true},
		{ecs.OSFamilyLinux, ecs.CPUArchitectureArm64, "2.0.0", true},
		{ecs.OSFamilyWindowsServer2019Core, ecs.CPUArchitectureX86_64, "1.0.0", false},
		{ecs.OSFamilyLinux, "RISCV", "1.4.0", false},
		{ecs.OSFamilyLinux, "", "junk", false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, SpotSupported(tt.os, tt.arch, tt.pv), "%s %s %s", tt.os, tt.arch, tt.pv)
	}
}
