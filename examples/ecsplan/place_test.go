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

func runPlaceTest(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
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
