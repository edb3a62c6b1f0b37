package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCapacitySplit(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string // part of stderr
	}{
		{[]string{"split", "-strategy", "A:base=2,weight=1", "-strategy", "B:weight=1", "-count", "6", "-o", "json"}, 0,
			`[{"capacityProvider":"A","count":4},{"capacityProvider":"B","count":2}]`, ""},
		{[]string{"split", "-strategy", "A:weight=1,B:weight=4,C", "-count", "5", "-o", "json"}, 0,
			`[{"capacityProvider":"A","count":1},{"capacityProvider":"B","count":4},{"capacityProvider":"C","count":0}]`, ""},
		{[]string{"split", "-strategy", "A:base=2,weight=1,B,weight=1", "-count", "6"}, 0,
			"CAPACITY PROVIDER  BASE  WEIGHT  TASKS\nA                  2     1       4\nB                  0     1       2\ntotal                            6\n", ""},
		{[]string{"split", "-strategy", "FARGATE:weight=1,asg:weight=1", "-count", "3"}, 2, "",
			"InvalidParameterException: A capacity provider strategy cannot contain a mix"},
		{[]string{"split", "-strategy", "A:weight=1001", "-count", "3"}, 2, "", "less than or equal to 1000"},
		{[]string{"split", "-strategy", "A", "-count", "-1"}, 2, "", "-count must not be negative"},
		{[]string{"split", "-strategy", "A"}, 2, "", "-count is required"},
		{[]string{"split", "-count", "3"}, 2, "", "-strategy is required"},
		{[]string{"split", "-strategy", "A:size=1", "-count", "3"}, 2, "", `unknown attribute "size"`},
		{[]string{"split", "-strategy", "A", "-count", "3", "-o", "yaml"}, 2, "", "want text or json"},
		{[]string{"split", "-strategy", "A", "-count", "3", "extra"}, 2, "", "unexpected argument"},
		{[]string{"bogus"}, 2, "", "unknown subcommand"},
		{nil, 2, "", "usage"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runCapacity(tt.args, &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			got := out.String()
			if strings.HasPrefix(tt.stdout, "[") {
				got = strings.Join(strings.Fields(got), "")
			}
			if tt.stdout != "" && got != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, tt.stdout)
			}
			if !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stderr %q does not contain %q", errb.String(), tt.stderr)
			}
		})
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// split exits 0 or 2 (issue 6, item 5): output that cannot be written is
// an error of 2, never 1.
func TestCapacitySplitWriteError(t *testing.T) {
	for _, output := range []string{"json", "text"} {
		t.Run(output, func(t *testing.T) {
			var stderr bytes.Buffer
			code := runCapacity([]string{"split", "-strategy", "A:weight=1", "-count", "3", "-o", output}, failingWriter{}, &stderr)
			require.Equal(t, 2, code)
			require.Contains(t, stderr.String(), "ecsplan capacity split: disk full")
		})
	}
}

// planArgsFor returns the arguments of a plan of the testdata services.
func planArgsFor(extra ...string) []string {
	args := []string{"plan", "-services", "testdata/capacity/services.json",
		"-task-definitions", "testdata/capacity/web.json", "testdata/capacity/api.json",
		"-task-definitions", "testdata/capacity/logs.json"}
	return append(args, extra...)
}

func runPlanT(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runCapacity(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

type planOutput struct {
	Options []struct {
		Kind      string `json:"kind"`
		Instances []struct {
			InstanceType     string `json:"instanceType"`
			AvailabilityZone string `json:"availabilityZone"`
			Count            int    `json:"count"`
		} `json:"instances"`
		CPUUtilization    float64  `json:"cpuUtilization"`
		MemoryUtilization float64  `json:"memoryUtilization"`
		MonthlyCost       *float64 `json:"monthlyCost"`
		Unavailable       string   `json:"unavailable"`
		NeedsChanges      []string `json:"needsChanges"`
	} `json:"options"`
	Recommended *string `json:"recommended"`
	Unplaceable []struct {
		Service string   `json:"service"`
		Options []string `json:"options"`
		Reason  string   `json:"reason"`
	} `json:"unplaceable"`
}

func TestCapacityPlanJSON(t *testing.T) {
	code, out, errs := runPlanT(t, planArgsFor("-instance-types", "testdata/capacity/types.json", "-o", "json")...)
	require.Equal(t, 0, code, errs)
	require.Empty(t, errs, "no progress line for 3 instance types")
	var got planOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Options, 4)
	kinds := []string{}
	for _, o := range got.Options {
		kinds = append(kinds, o.Kind)
	}
	require.Equal(t, []string{"EC2", "EC2_SPOT", "FARGATE", "FARGATE_SPOT"}, kinds)

	// c5.xlarge holds 7 web tasks (512 units each beside the 128 of the
	// logs daemon) and 3 api tasks (its 4 ENIs less the primary): api's
	// surge to 8 tasks needs 3 instances, web's to 9 two; spread over the
	// zones, 2 + 2 + 0 is the least from which no instance can go.
	ec2 := got.Options[0]
	require.Len(t, ec2.Instances, 3)
	counts := []int{}
	for _, ic := range ec2.Instances {
		require.Equal(t, "c5.xlarge", ic.InstanceType)
		counts = append(counts, ic.Count)
	}
	require.Equal(t, []int{2, 2, 0}, counts)
	require.NotNil(t, ec2.MonthlyCost)
	require.InDelta(t, 4*0.17*730, *ec2.MonthlyCost, 0.005)
	require.NotNil(t, got.Options[1].MonthlyCost)
	require.InDelta(t, 4*0.062*730, *got.Options[1].MonthlyCost, 0.005)
	require.Empty(t, got.Options[2].Instances)
	require.NotNil(t, got.Recommended)
	// web is bridge mode: Fargate is priced as a what-if, not recommended.
	require.Equal(t, "EC2_SPOT", *got.Recommended)
	require.NotEmpty(t, got.Options[3].NeedsChanges)
	require.Empty(t, got.Unplaceable)
}

func TestCapacityPlanText(t *testing.T) {
	code, out, errs := runPlanT(t, planArgsFor("-instance-types", "testdata/capacity/types.json", "-headroom", "2")...)
	require.Equal(t, 0, code, errs)
	for _, want := range []string{
		"INSTANCE TYPE  us-east-1a  us-east-1b  us-east-1c  TOTAL",
		"c5.xlarge      2           2           0           4      █████░░░░░  46.9%",
		"EC2_SPOT      4 × c5.xlarge",
		"FARGATE_SPOT  10 Fargate tasks",
		"← recommended",
		"api      4      1 vCPU, 2 GB",
		"1 daemon service(s) left out",
		"Fargate needs changes first: web: not valid for Fargate as written (fargate.network-mode)",
		"headroom 2 tasks",
	} {
		require.Contains(t, out, want)
	}
}

func TestCapacityPlanDefaultCatalogue(t *testing.T) {
	code, out, errs := runPlanT(t, planArgsFor("-o", "json", "-azs", "eu-west-1a,eu-west-1b")...)
	require.Equal(t, 0, code, errs)
	require.Empty(t, errs, "no progress on a stderr that is not a terminal")
	var got planOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	spot := got.Options[1]
	require.Nil(t, spot.MonthlyCost, "no EC2 Spot price is invented")
	require.Contains(t, spot.Unavailable, "no EC2 Spot price")
	require.Equal(t, "eu-west-1a", got.Options[0].Instances[0].AvailabilityZone)
}

func TestCapacityPlanInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
		return path
	}
	svcs, err := os.ReadFile("testdata/capacity/services.json")
	require.NoError(t, err)
	var tds []string
	for _, f := range []string{"web", "api", "logs"} {
		b, err := os.ReadFile("testdata/capacity/" + f + ".json")
		require.NoError(t, err)
		tds = append(tds, string(b))
	}
	embedded := write("embedded.json", strings.Replace(string(svcs), `"failures": []`,
		`"failures": [], "taskDefinitions": [`+strings.Join(tds, ",")+`]`, 1))
	gpuTD := write("gpu.json", `{"family": "gpu", "containerDefinitions": [{"name": "t", "image": "t", "cpu": 1024, "memory": 2048,
		"resourceRequirements": [{"type": "GPU", "value": "1"}]}]}`)
	gpuSvc := write("gpusvc.json", `{"services": [{"serviceName": "train", "desiredCount": 1, "taskDefinition": "gpu"}]}`)
	types := "testdata/capacity/types.json"
	huge := write("huge.json", strings.Replace(string(svcs), `"desiredCount": 6`, `"desiredCount": 2147483647`, 1))
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // part of stdout
		stderr string // part of stderr
	}{
		{"task definitions inside the services file", []string{"plan", "-services", embedded, "-instance-types", types}, 0, "c5.xlarge", ""},
		{"a task definition missing", []string{"plan", "-services", "testdata/capacity/services.json", "-task-definitions", "testdata/capacity/web.json", "-instance-types", types}, 2, "",
			`service api: task definition "arn:aws:ecs:us-east-1:123456789012:task-definition/api:7" not given`},
		{"a GPU task no option runs", []string{"plan", "-services", gpuSvc, "-task-definitions", gpuTD, "-instance-types", types, "-o", "json"}, 1,
			`"options": [
        "EC2",
        "EC2_SPOT",
        "FARGATE",
        "FARGATE_SPOT"
      ],`, ""},
		{"a GPU task, text", []string{"plan", "-services", gpuSvc, "-task-definitions", gpuTD, "-instance-types", types}, 1,
			"Cannot place:\n  train on EC2, EC2_SPOT, FARGATE, FARGATE_SPOT: c5.xlarge: steady state: 1 of 1 tasks of train not placed", ""},
		{"a desired count above the quota of tasks per service", []string{"plan", "-services", huge,
			"-task-definitions", "testdata/capacity/web.json", "testdata/capacity/api.json", "testdata/capacity/logs.json"}, 1, "",
			`ecsplan capacity plan: capacity: workload "web": desired count 2147483647 is above the quota of tasks per service, 5000 (ECS service quota "Tasks per service", 5,000 unless raised)`},
		{"a headroom above the quota of tasks per service", planArgsFor("-headroom", "5001"), 1, "",
			"capacity: a headroom of 5001 tasks is above the quota of tasks per service"},
		{"no -services", []string{"plan", "-instance-types", types}, 2, "", "-services is required"},
		{"bad -o", planArgsFor("-o", "yaml"), 2, "", `-o "yaml": want text, json, csv, markdown`},
		{"negative headroom", planArgsFor("-headroom", "-1"), 2, "", "-headroom must not be negative"},
		{"no zone", planArgsFor("-azs", " , "), 2, "", "-azs names no Availability Zone"},
		{"an argument without -task-definitions", []string{"plan", "-services", embedded, "extra.json"}, 2, "", `unexpected argument "extra.json"`},
		{"an unreadable types file", planArgsFor("-instance-types", filepath.Join(dir, "none.json")), 2, "", "no such file"},
		{"a bad types file", planArgsFor("-instance-types", write("types.json", `[{"instanceType": "x.large", "vcpu": 0}]`)), 2, "",
			"instanceType, vcpu and memoryMiB are required"},
		{"an unknown field in the types file", planArgsFor("-instance-types", write("types2.json", `[{"instanceType": "x.large", "vcpus": 2}]`)), 2, "",
			`unknown field "vcpus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runPlanT(t, tt.args...)
			require.Equal(t, tt.code, code, "stderr: %s", errs)
			require.Contains(t, out, tt.stdout)
			require.Contains(t, errs, tt.stderr)
		})
	}
}
