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
	requireRolloutEnd(t, out, "0:03:30", "COMPLETED")
}

// requireRolloutEnd checks that the text output ends with the predicted
// duration and then the line "outcome: OUTCOME" (issue 7, item 7).
func requireRolloutEnd(t *testing.T, out, duration, outcome string) {
	t.Helper()
	require.True(t, strings.HasSuffix(out, "\n"), "output ends with a newline")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), 2)
	require.Equal(t, "predicted duration: "+duration, lines[len(lines)-2])
	require.Equal(t, "outcome: "+outcome, lines[len(lines)-1])
}

func TestRolloutStuck(t *testing.T) {
	code, out, _ := runRolloutT(t, rolloutFiles(t, "100", "100")...)
	require.Equal(t, 1, code)
	require.Contains(t, out, "was unable to stop or start tasks during a deployment because of the service deployment configuration.")
	requireRolloutEnd(t, out, "0:00:00", "STUCK")
}

func TestRolloutFailedText(t *testing.T) {
	code, out, stderr := runRolloutT(t, append(rolloutFiles(t, "100", "200"), "-fail-new", "-1")...)
	require.Equal(t, 1, code, stderr)
	require.Contains(t, out, "rolling back to deployment ecs-svc/1234567890123456789.")
	requireRolloutEnd(t, out, "0:00:30 (rolled back)", "FAILED")
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
		{"bad output", append(files, "-o", "yaml"), `-o "yaml": want text, json, csv, markdown`},
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

// rolloutHealthCheckTD is a new task definition whose essential container
// has a health check: healthy 30 s after RUNNING, unhealthy 50 s after.
const rolloutHealthCheckTD = `{"family": "web", "networkMode": "bridge", "containerDefinitions": [
  {"name": "web", "image": "nginx:1.27", "cpu": 256, "memory": 512, "portMappings": [{"containerPort": 80, "hostPort": 0}],
   "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "interval": 10, "retries": 3, "startPeriod": 20}}]}`

// tasksArgs returns the arguments of a rollout of the service (100/200)
// whose current tasks come from describe-tasks output (three RUNNING
// tasks of web:1), to the new task definition newTD.
func tasksArgs(t *testing.T, newTD string, extra ...string) []string {
	t.Helper()
	files := rolloutFiles(t, "100", "200")
	args := append(files[:4:4], "-task-definition", writePlaceFile(t, "new.json", newTD), "-tasks", rolloutTasksFile)
	return append(args, extra...)
}

// -tasks without -current-task-definition: the new task definition is
// registered after the running one, so it never takes its ARN, and the
// running tasks count as old.
func TestRolloutTasks(t *testing.T) {
	tests := []struct {
		name, newTD, header string
	}{
		{"no revision", rolloutNewTD, "web:1 -> web:2"},
		{"the running revision", strings.Replace(rolloutNewTD, `"family": "web",`, `"family": "web", "revision": 1,`, 1), "web:1 -> web:2"},
		{"the running ARN", strings.Replace(rolloutNewTD, `"family": "web",`,
			`"family": "web", "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",`, 1), "web:1 -> web:2"},
		{"a revision of its own", strings.Replace(rolloutNewTD, `"family": "web",`, `"family": "web", "revision": 7,`, 1), "web:1 -> web:7"},
		{"another family", strings.Replace(rolloutNewTD, `"family": "web",`, `"family": "web-next",`, 1), "web:1 -> web-next:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runRolloutT(t, tasksArgs(t, tt.newTD)...)
			require.Equal(t, 0, code, stderr)
			require.Contains(t, out, "service web: 3 tasks, "+tt.header+"\n")
			requireRolloutEnd(t, out, "0:01:40", "COMPLETED")

			code, out, stderr = runRolloutT(t, tasksArgs(t, tt.newTD, "-o", "json")...)
			require.Equal(t, 0, code, stderr)
			var rep rolloutJSON
			require.NoError(t, json.Unmarshal([]byte(out), &rep))
			require.Equal(t, "COMPLETED", rep.Outcome)
			first, last := rep.Steps[0], rep.Steps[len(rep.Steps)-1]
			require.Equal(t, map[string]int{"running": 3, "pending": 0, "healthy": 3}, first.Old)
			require.Equal(t, map[string]int{"running": 0, "pending": 0, "healthy": 0}, first.New)
			require.Equal(t, 3, first.Started)
			require.Equal(t, map[string]int{"running": 0, "pending": 0, "healthy": 0}, last.Old)
			require.Equal(t, map[string]int{"running": 3, "pending": 0, "healthy": 3}, last.New)
		})
	}
}

// A current task definition without a revision is the revision the
// service runs; the new one comes after it.
func TestRolloutCurrentRevision(t *testing.T) {
	files := rolloutFiles(t, "100", "200")
	svc := strings.ReplaceAll(strings.NewReplacer("%MIN%", "100", "%MAX%", "200").Replace(rolloutService), "web:1", "web:3")
	files[1] = writePlaceFile(t, "service.json", svc)
	files[7] = writePlaceFile(t, "old.json", strings.Replace(rolloutOldTD, `"revision": 1, `, "", 1))
	code, out, stderr := runRolloutT(t, files...)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "service web: 3 tasks, web:3 -> web:4\n")
}

// -max-time: a deployment still going when the simulated time runs out is
// STUCK.
func TestRolloutMaxTime(t *testing.T) {
	code, out, stderr := runRolloutT(t, tasksArgs(t, rolloutNewTD, "-max-time", "1m")...)
	require.Equal(t, 1, code, stderr)
	require.NotContains(t, out, "deployment completed.")
	requireRolloutEnd(t, out, "0:00:30", "STUCK")

	code, out, stderr = runRolloutT(t, tasksArgs(t, rolloutNewTD, "-max-time", "1m", "-o", "json")...)
	require.Equal(t, 1, code, stderr)
	var rep rolloutJSON
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, "STUCK", rep.Outcome)
	require.False(t, rep.RolledBack)

	// Time enough: it completes at 0:01:40.
	code, out, stderr = runRolloutT(t, tasksArgs(t, rolloutNewTD, "-max-time", "100s")...)
	require.Equal(t, 0, code, stderr)
	requireRolloutEnd(t, out, "0:01:40", "COMPLETED")
}

// -unhealthy-new N: the first N new tasks fail their health checks after
// RUNNING; -1 fails them all and trips the circuit breaker.
//
// The three new tasks turn UNHEALTHY at 1:20 (RUNNING at 0:30, then
// startPeriod 20 + interval 10 × retries 3) and are replaced one a step,
// 30 s apart: the third failure at 2:20 fails the deployment, whose old
// tasks are back in steady state at 2:50. Before issue 11 this test said
// 3:50: deploy.Simulate's own health model took the default interval, 30
// s, as a floor (max(30, interval)), so a 10-second interval counted as
// 30 and the tasks failed at 2:20; ecstest uses the interval the task
// definition sets, as ecsplan's own "healthy 30s after RUNNING" line does.
func TestRolloutUnhealthyNew(t *testing.T) {
	const failed = "failed container health checks."
	code, out, stderr := runRolloutT(t, tasksArgs(t, rolloutHealthCheckTD, "-unhealthy-new", "-1")...)
	require.Equal(t, 1, code, stderr)
	require.Empty(t, stderr)
	require.Equal(t, 3, strings.Count(out, failed), out)
	require.Contains(t, out, "rolling back to deployment ecs-svc/1234567890123456789.")
	requireRolloutEnd(t, out, "0:02:50 (rolled back)", "FAILED")

	code, out, stderr = runRolloutT(t, tasksArgs(t, rolloutHealthCheckTD, "-unhealthy-new", "1", "-o", "json")...)
	require.Equal(t, 0, code, stderr)
	require.Empty(t, stderr)
	var rep rolloutJSON
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, "COMPLETED", rep.Outcome)
	n := 0
	for _, s := range rep.Steps {
		for _, e := range s.Events {
			n += strings.Count(e, failed)
		}
	}
	require.Equal(t, 1, n)
}

// -unhealthy-new cannot fail health checks a task does not have: without
// one on an essential container (and without a load balancer) the run
// goes on and says so on stderr.
func TestRolloutUnhealthyNewWithoutHealthCheck(t *testing.T) {
	const warning = "ecsplan rollout: warning: -unhealthy-new -1 has no effect: the new task definition web:2 has no health check on an essential container"
	nonEssential := strings.Replace(rolloutHealthCheckTD, `"name": "web",`, `"name": "web", "essential": false,`, 1)
	nonEssential = strings.Replace(nonEssential, `"containerDefinitions": [`, `"containerDefinitions": [
  {"name": "app", "image": "app", "cpu": 128, "memory": 128},`, 1)
	for name, td := range map[string]string{"no health check": rolloutNewTD, "not on an essential container": nonEssential} {
		t.Run(name, func(t *testing.T) {
			code, out, stderr := runRolloutT(t, tasksArgs(t, td, "-unhealthy-new", "-1")...)
			require.Equal(t, 0, code, stderr)
			require.Contains(t, stderr, warning)
			require.NotContains(t, out, "failed container health checks.")
			requireRolloutEnd(t, out, "0:01:40", "COMPLETED")
		})
	}

	// No warning without the flag.
	code, _, stderr := runRolloutT(t, tasksArgs(t, rolloutNewTD)...)
	require.Equal(t, 0, code, stderr)
	require.Empty(t, stderr)

	// Behind a load balancer the flag fails the target health checks.
	svc := strings.NewReplacer("%MIN%", "100", "%MAX%", "200").Replace(rolloutService)
	svc = strings.Replace(svc, `"schedulingStrategy"`, `"loadBalancers": [{"targetGroupArn":
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef", "containerName": "web", "containerPort": 80}],
  "schedulingStrategy"`, 1)
	args := append(tasksArgs(t, rolloutNewTD, "-unhealthy-new", "-1"), "-service", writePlaceFile(t, "service.json", svc))
	code, out, stderr := runRolloutT(t, args...)
	require.Equal(t, 1, code, stderr)
	require.Empty(t, stderr)
	require.True(t, strings.HasSuffix(out, "outcome: FAILED\n"), out)
}
