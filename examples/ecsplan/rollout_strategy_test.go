package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// lbFiles returns rolloutFiles' arguments with the service behind a
// target group; advanced gives it the alternate target group a
// BLUE_GREEN, LINEAR or CANARY deployment needs.
func lbFiles(t *testing.T, advanced bool) []string {
	t.Helper()
	args := rolloutFiles(t, "100", "200")
	lb := `{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef", "containerName": "web", "containerPort": 80`
	if advanced {
		lb += `, "advancedConfiguration": {"alternateTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/fedcba9876543210",
  "productionListenerRule": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee",
  "roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole"}`
	}
	svc, err := os.ReadFile(args[1])
	require.NoError(t, err)
	out := strings.Replace(string(svc), `"schedulingStrategy": "REPLICA"}`, `"loadBalancers": [`+lb+`}], "schedulingStrategy": "REPLICA"}`, 1)
	path := filepath.Join(t.TempDir(), "service.json")
	require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
	args[1] = path
	return args
}

// TestRolloutStrategy: ecsplan rollout -strategy CANARY shows the stage
// and the production traffic on green at each step, the stages with
// their times, and the peak task count (blue and green side by side);
// the deployment takes at least its bake times.
func TestRolloutStrategy(t *testing.T) {
	args := append(lbFiles(t, true), "-strategy", "CANARY", "-canary-percent", "20", "-canary-bake-time", "3", "-bake-time", "2")
	code, out, stderr := runRolloutT(t, args...)
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{
		"strategy: CANARY", "stage", "green",
		"PRODUCTION_TRAFFIC_SHIFT       production 20% green, test 100% green (production traffic shifted: 20% to green)",
		"CLEAN_UP", "peak tasks: 6 (old and new side by side)", "outcome: COMPLETED",
	} {
		require.Contains(t, out, want)
	}

	code, out, stderr = runRolloutT(t, append(args, "-o", "json")...)
	require.Equal(t, 0, code, stderr)
	var rep struct {
		DurationSeconds int64 `json:"durationSeconds"`
		PeakTasks       int   `json:"peakTasks"`
		Stages          []struct {
			Stage      string             `json:"lifecycleStage"`
			Production map[string]float64 `json:"production"`
		} `json:"stages"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, 6, rep.PeakTasks)
	require.GreaterOrEqual(t, rep.DurationSeconds, int64(5*60), "the canary and the final bake times")
	require.NotEmpty(t, rep.Stages)
	require.Equal(t, "PRE_SCALE_UP", rep.Stages[0].Stage)

	code, _, stderr = runRolloutT(t, append(lbFiles(t, false), "-strategy", "BLUE_GREEN")...)
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "advancedConfiguration is required")
}
