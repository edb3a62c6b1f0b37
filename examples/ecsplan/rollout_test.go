package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rolloutService is describe-services output of a service of 3 tasks of
// web:1 on the fixture cluster.
const rolloutService = `{"services": [{
  "serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/default/web",
  "serviceName": "web", "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/default",
  "status": "ACTIVE", "desiredCount": 3, "runningCount": 3, "launchType": "EC2",
  "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
  "deploymentConfiguration": {"minimumHealthyPercent": %MIN%, "maximumPercent": %MAX%,
    "deploymentCircuitBreaker": {"enable": true, "rollback": true}},
  "deployments": [{"id": "ecs-svc/1234567890123456789", "status": "PRIMARY",
    "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
    "desiredCount": 3, "runningCount": 3, "pendingCount": 0, "rolloutState": "COMPLETED"}],
  "schedulingStrategy": "REPLICA"}], "failures": []}`

const (
	rolloutOldTD = `{"family": "web", "revision": 1, "networkMode": "bridge", "containerDefinitions": [
  {"name": "web", "image": "nginx:1.26", "cpu": 256, "memory": 512, "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}`
	rolloutNewTD = `{"family": "web", "networkMode": "bridge", "containerDefinitions": [
  {"name": "web", "image": "nginx:1.27", "cpu": 256, "memory": 512, "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}`
)

// rolloutFiles writes the service (with the given percentages) and the
// task definitions and returns the common arguments.
func rolloutFiles(t *testing.T, minPct, maxPct string) []string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
		return path
	}
	svc := strings.NewReplacer("%MIN%", minPct, "%MAX%", maxPct).Replace(rolloutService)
	return []string{
		"-service", write("service.json", svc), "-cluster", clusterFile,
		"-task-definition", write("new.json", rolloutNewTD),
		"-current-task-definition", write("old.json", rolloutOldTD),
	}
}

func runRolloutT(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runRollout(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

type rolloutJSON struct {
	Outcome         string `json:"outcome"`
	RolledBack      bool   `json:"rolledBack"`
	DurationSeconds int64  `json:"durationSeconds"`
	Steps           []struct {
		T       int64          `json:"t"`
		Old     map[string]int `json:"old"`
		New     map[string]int `json:"new"`
		Started int            `json:"started"`
		Stopped int            `json:"stopped"`
		Events  []string       `json:"events"`
	} `json:"steps"`
}

func TestRolloutCompletedJSON(t *testing.T) {
	code, out, stderr := runRolloutT(t, append(rolloutFiles(t, "100", "200"), "-o", "json")...)
	require.Equal(t, 0, code, stderr)
	var rep rolloutJSON
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, "COMPLETED", rep.Outcome)
	require.False(t, rep.RolledBack)
	require.Equal(t, int64(100), rep.DurationSeconds)
	first := rep.Steps[0]
	require.Equal(t, map[string]int{"running": 3, "pending": 0, "healthy": 3}, first.Old)
	require.Equal(t, 3, first.Started)
	last := rep.Steps[len(rep.Steps)-1]
	require.Equal(t, map[string]int{"running": 3, "pending": 0, "healthy": 3}, last.New)
	require.Contains(t, last.Events, "(service web) has reached a steady state.")
}

func TestRolloutText(t *testing.T) {
	code, out, stderr := runRolloutT(t, rolloutFiles(t, "50", "100")...)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "service web: 3 tasks, web:1 -> web:2\n")
	require.Contains(t, out, "bounds: minimumHealthyPercent 50 (2 tasks), maximumPercent 100 (3 tasks)\n")
	require.Contains(t, out, "timing: start to RUNNING 30s; healthy 40s after RUNNING (no health check); stop 30s")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.True(t, strings.HasPrefix(lines[len(lines)-1], "outcome: COMPLETED, predicted duration 0:"), lines[len(lines)-1])
}

func TestRolloutStuck(t *testing.T) {
	code, out, _ := runRolloutT(t, rolloutFiles(t, "100", "100")...)
	require.Equal(t, 1, code)
	require.Contains(t, out, "was unable to stop or start tasks during a deployment because of the service deployment configuration.")
	require.Contains(t, out, "outcome: STUCK")
}

func TestRolloutFailNewRollsBack(t *testing.T) {
	code, out, stderr := runRolloutT(t, append(rolloutFiles(t, "100", "200"), "-fail-new", "-1", "-o", "json")...)
	require.Equal(t, 1, code, stderr)
	var rep rolloutJSON
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, "FAILED", rep.Outcome)
	require.True(t, rep.RolledBack)
}

func TestRolloutDeterministic(t *testing.T) {
	args := append(rolloutFiles(t, "50", "150"), "-fail-new", "1", "-seed", "9", "-o", "json")
	_, a, _ := runRolloutT(t, args...)
	_, b, _ := runRolloutT(t, args...)
	require.Equal(t, a, b)
}

func TestRolloutUsage(t *testing.T) {
	files := rolloutFiles(t, "100", "200")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no arguments", nil, "-service, -cluster and -task-definition are required"},
		{"neither tasks nor current definition", files[:6], "give the current tasks"},
		{"bad output", append(files, "-o", "yaml"), "-o must be text or json"},
		{"missing file", append(files[:5:5], "/nonexistent.json", "-current-task-definition", files[7]), "no such file"},
		{"bad fail count", append(files, "-fail-new", "-2"), "take a count or -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runRolloutT(t, tt.args...)
			require.Equal(t, 2, code)
			require.Contains(t, stderr, tt.want)
		})
	}
}
