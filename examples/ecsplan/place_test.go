package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The fixture cluster: three m5/c5 instances in us-east-1a, b and c; port
// 80 is taken on the first, 8080 on the third.
const clusterFile = "../../ecs/testdata/describe-container-instances-small-cluster.json"

func writePlaceFile(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
	return path
}

const placeWebTD = `{"family": "web", "networkMode": "bridge", "containerDefinitions": [
  {"name": "web", "image": "nginx", "cpu": 256, "memory": 512,
   "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}`

// runPlaceTest runs place with args, and -o json unless they say -o.
func runPlaceTest(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	if !slices.Contains(args, "-o") {
		args = append(args, "-o", "json")
	}
	var stdout, stderr bytes.Buffer
	code := runPlace(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

type placeJSONOutput struct {
	Tasks []struct {
		TaskARN              string `json:"taskArn"`
		TaskDefinitionARN    string `json:"taskDefinitionArn"`
		ContainerInstanceARN string `json:"containerInstanceArn"`
		AvailabilityZone     string `json:"availabilityZone"`
		Group                string `json:"group"`
		LastStatus           string `json:"lastStatus"`
		DesiredStatus        string `json:"desiredStatus"`
		LaunchType           string `json:"launchType"`
		Containers           []struct {
			Name            string `json:"name"`
			NetworkBindings []struct {
				HostPort int `json:"hostPort"`
			} `json:"networkBindings"`
		} `json:"containers"`
	} `json:"tasks"`
	Failures []struct {
		ARN    string `json:"arn"`
		Reason string `json:"reason"`
		Detail string `json:"detail"`
	} `json:"failures"`
}

func TestPlaceJSON(t *testing.T) {
	td := writePlaceFile(t, "td.json", placeWebTD)
	code, out, stderr := runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-count", "3",
		"-strategy", "spread:attribute:ecs.availability-zone", "-strategy", "binpack:memory")
	require.Equal(t, 0, code, stderr)
	var got placeJSONOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Tasks, 3)
	require.NotNil(t, got.Failures)
	zones := map[string]bool{}
	for _, task := range got.Tasks {
		zones[task.AvailabilityZone] = true
		require.Regexp(t, `^arn:aws:ecs:us-east-1:123456789012:task/default/[0-9a-f]{32}$`, task.TaskARN)
		require.Equal(t, "family:web", task.Group)
		require.Equal(t, "PENDING", task.LastStatus)
		require.Equal(t, "RUNNING", task.DesiredStatus)
		require.Equal(t, "EC2", task.LaunchType)
		require.Equal(t, "web", task.Containers[0].Name)
		require.GreaterOrEqual(t, task.Containers[0].NetworkBindings[0].HostPort, 49153)
	}
	require.Len(t, zones, 3)
	require.True(t, strings.HasPrefix(out, "{\n  \"tasks\": ["))
	require.Contains(t, out, `"failures": []`)

	// The same seed gives the same output.
	_, again, _ := runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-count", "3",
		"-strategy", "spread:attribute:ecs.availability-zone", "-strategy", "binpack:memory")
	require.Equal(t, out, again)
}

func TestPlaceFailures(t *testing.T) {
	td := writePlaceFile(t, "td.json", `{"family": "big", "containerDefinitions": [{"name": "x", "image": "x", "cpu": 512, "memory": 7000}]}`)
	code, out, _ := runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-count", "25")
	require.Equal(t, 1, code)
	var got placeJSONOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	// 7168 and 7680 MiB free take one each; 6656 takes none.
	require.Len(t, got.Tasks, 2)
	require.Len(t, got.Failures, 3)
	for i, f := range got.Failures {
		require.Equal(t, "RESOURCE:MEMORY", f.Reason)
		require.NotEmpty(t, f.Detail)
		if i > 0 {
			require.Less(t, got.Failures[i-1].ARN, f.ARN)
		}
	}

	code, text, _ := runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-count", "3", "-o", "text")
	require.Equal(t, 1, code)
	require.Contains(t, text, "2 placed, 1 not placed.")
	// Rule 100: ECS words the event for services; a standalone task of the
	// default group family:big is named by its group.
	require.Contains(t, text, "(service family:big) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ")
	require.Contains(t, text, "has insufficient memory available.")
}

func TestPlaceConstraintsAndOverrides(t *testing.T) {
	td := writePlaceFile(t, "td.json", placeWebTD)
	code, out, stderr := runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-count", "3",
		"-constraint", "distinctInstance", "-constraint", "memberOf:attribute:ecs.instance-type == m5.large")
	require.Equal(t, 1, code, stderr)
	var got placeJSONOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Tasks, 2)
	reasons := map[string]int{}
	for _, f := range got.Failures {
		reasons[f.Reason]++
	}
	require.Equal(t, map[string]int{"DistinctInstance placement constraint unsatisfied.": 2, "MemberOf placement constraint unsatisfied.": 1}, reasons)

	ov := writePlaceFile(t, "ov.json", `{"containerOverrides": [{"name": "web", "memory": 8000}]}`)
	code, _, _ = runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-overrides", ov)
	require.Equal(t, 1, code)
}

func TestPlaceUsage(t *testing.T) {
	td := writePlaceFile(t, "td.json", placeWebTD)
	six := []string{"-cluster", clusterFile, "-task-definition", td}
	for range 6 {
		six = append(six, "-strategy", "random")
	}
	var eleven []string
	for range 11 {
		eleven = append(eleven, "-constraint", "distinctInstance")
	}
	tests := [][]string{
		{},
		{"-cluster", clusterFile},
		{"-cluster", clusterFile, "-task-definition", td, "-o", "yaml"},
		{"-cluster", clusterFile, "-task-definition", td, "-strategy", "binpack:disk"},
		{"-cluster", clusterFile, "-task-definition", td, "-constraint", "memberOf"},
		{"-cluster", "missing.json", "-task-definition", td},
		six,
		append([]string{"-cluster", clusterFile, "-task-definition", td}, eleven...),
	}
	for _, args := range tests {
		code, _, stderr := runPlaceTest(t, args...)
		require.Equal(t, 2, code, "args %q", args)
		require.NotEmpty(t, stderr)
	}
}

// rolloutTasksFile is describe-tasks output of three RUNNING tasks of
// service web (web:1, bridge, host port 49153), one on each instance of
// the fixture cluster.
const rolloutTasksFile = "testdata/rollout/describe-tasks.json"

// Containers that bind no host port (networkMode none or awsvpc) still
// carry "networkBindings": [] (issue 5, item 8).
func TestPlaceEmptyNetworkBindings(t *testing.T) {
	for _, mode := range []string{"none", "awsvpc"} {
		t.Run(mode, func(t *testing.T) {
			td := writePlaceFile(t, "td.json", `{"family": "app", "networkMode": "`+mode+`", "containerDefinitions": [
  {"name": "app", "image": "app", "cpu": 128, "memory": 128}]}`)
			code, out, stderr := runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td)
			require.Equal(t, 0, code, stderr)
			var got struct {
				Tasks []struct {
					Containers []map[string]json.RawMessage `json:"containers"`
				} `json:"tasks"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			require.Len(t, got.Tasks, 1)
			require.Len(t, got.Tasks[0].Containers, 1)
			c := got.Tasks[0].Containers[0]
			require.JSONEq(t, `"app"`, string(c["name"]))
			require.Contains(t, c, "networkBindings", out)
			require.JSONEq(t, `[]`, string(c["networkBindings"]))
		})
	}
}

// -tasks: the tasks already running count for task:group, for
// distinctInstance and for the dynamic host ports in use.
func TestPlaceTasks(t *testing.T) {
	td := writePlaceFile(t, "td.json", placeWebTD)
	onService := []string{"-cluster", clusterFile, "-task-definition", td, "-count", "3",
		"-constraint", "memberOf:task:group == service:web", "-strategy", "spread:instanceId"}

	// No instance runs a task of service:web without -tasks.
	code, out, _ := runPlaceTest(t, onService...)
	require.Equal(t, 1, code)
	var got placeJSONOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Empty(t, got.Tasks)
	require.Len(t, got.Failures, 3)

	code, out, stderr := runPlaceTest(t, append(onService, "-tasks", rolloutTasksFile)...)
	require.Equal(t, 0, code, stderr)
	got = placeJSONOutput{}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Tasks, 3)
	instances := map[string]bool{}
	for _, task := range got.Tasks {
		instances[task.ContainerInstanceARN] = true
		// 49153 is taken by the running task on each instance.
		require.Equal(t, 49154, task.Containers[0].NetworkBindings[0].HostPort)
	}
	require.Len(t, instances, 3)
}

// -group names the tasks' group; the running tasks of the group count for
// distinctInstance; the failure event of a group service:NAME names the
// service NAME (rule 100), never "(service service:NAME)".
func TestPlaceGroup(t *testing.T) {
	td := writePlaceFile(t, "td.json", placeWebTD)
	code, out, stderr := runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-count", "2", "-group", "batch")
	require.Equal(t, 0, code, stderr)
	var got placeJSONOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Tasks, 2)
	for _, task := range got.Tasks {
		require.Equal(t, "batch", task.Group)
	}

	args := []string{"-cluster", clusterFile, "-tasks", rolloutTasksFile, "-task-definition", td,
		"-group", "service:web", "-constraint", "distinctInstance"}
	code, out, _ = runPlaceTest(t, args...)
	require.Equal(t, 1, code)
	got = placeJSONOutput{}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Empty(t, got.Tasks)
	require.Len(t, got.Failures, 3)
	for _, f := range got.Failures {
		require.Equal(t, "DistinctInstance placement constraint unsatisfied.", f.Reason)
	}

	code, text, _ := runPlaceTest(t, append(args, "-o", "text")...)
	require.Equal(t, 1, code)
	require.Contains(t, text, "\n(service web) was unable to place a task because no container instance met all of its requirements.")
	require.NotContains(t, text, "service service:")
}

// -seed: task IDs derive from the seed and the index, so the same seed
// gives the same IDs and another seed others.
func TestPlaceSeed(t *testing.T) {
	td := writePlaceFile(t, "td.json", placeWebTD)
	ids := func(seed string) []string {
		t.Helper()
		code, out, stderr := runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-count", "3", "-seed", seed)
		require.Equal(t, 0, code, stderr)
		var got placeJSONOutput
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		var ids []string
		for _, task := range got.Tasks {
			ids = append(ids, task.TaskARN[strings.LastIndexByte(task.TaskARN, '/')+1:])
		}
		require.Len(t, ids, 3)
		return ids
	}
	a, again, other := ids("42"), ids("42"), ids("43")
	require.Equal(t, a, again)
	for _, id := range other {
		require.NotContains(t, a, id)
	}
	require.NotEqual(t, ids("0"), a)
}

// -count above 10 places as successive RunTask calls of at most ten, each
// seeing the tasks the calls before placed.
func TestPlaceCountAboveTen(t *testing.T) {
	// binpack:cpu fills the instance with the least CPU left (1536 units,
	// 12 tasks of 128) before the next (2048): a call that did not see
	// the tasks of the one before would over-commit the first.
	td := writePlaceFile(t, "td.json", `{"family": "small", "containerDefinitions": [{"name": "x", "image": "x", "cpu": 128, "memory": 128}]}`)
	code, out, stderr := runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-count", "25", "-strategy", "binpack:cpu")
	require.Equal(t, 0, code, stderr)
	var got placeJSONOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Tasks, 25)
	perInstance := map[string]int{}
	ids := map[string]bool{}
	for _, task := range got.Tasks {
		perInstance[task.AvailabilityZone]++
		ids[task.TaskARN] = true
	}
	require.Equal(t, map[string]int{"us-east-1a": 12, "us-east-1b": 13}, perInstance)
	require.Len(t, ids, 25, "task IDs are distinct")

	// 512 CPU units a task: 3 + 4 + 6 fit; the second call places 3 and
	// reports the rest.
	td = writePlaceFile(t, "td.json", `{"family": "mid", "containerDefinitions": [{"name": "x", "image": "x", "cpu": 512, "memory": 128}]}`)
	code, out, _ = runPlaceTest(t, "-cluster", clusterFile, "-task-definition", td, "-count", "25")
	require.Equal(t, 1, code)
	got = placeJSONOutput{}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Tasks, 13)
	perInstance = map[string]int{}
	for _, task := range got.Tasks {
		perInstance[task.AvailabilityZone]++
	}
	require.Equal(t, map[string]int{"us-east-1a": 3, "us-east-1b": 4, "us-east-1c": 6}, perInstance)
	require.Len(t, got.Failures, 3)
	for _, f := range got.Failures {
		require.Equal(t, "RESOURCE:CPU", f.Reason)
	}
}

// -service places a service's tasks: group service:NAME, the service's
// default strategy (spread over zones, then instances), and events that
// name the service (rule 100); text is the default output, host ports
// shown with the container ports they map to.
func TestPlaceService(t *testing.T) {
	td := writePlaceFile(t, "td.json", placeWebTD)
	var stdout, stderr bytes.Buffer
	code := runPlace([]string{"-cluster", clusterFile, "-task-definition", td, "-count", "2", "-service", "checkout-api"}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	text := stdout.String()
	require.Contains(t, text, "service:checkout-api")
	require.Regexp(t, `\b49153->80/tcp\b`, text)
	require.Contains(t, text, "2 placed.")

	stdout.Reset()
	code = runPlace([]string{"-cluster", clusterFile, "-task-definition", td, "-count", "2", "-service", "api", "-group", "g"}, &stdout, &stderr)
	require.Equal(t, 2, code)
}
