package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCapacityScaleOut: `ecsplan capacity scale-out` plans managed
// scaling's scale-out for tasks waiting in PROVISIONING with the decision
// ecstest's simulated groups take (capacity.PlanScaleOut; rules 139 and
// 156, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-scaling-behavior.html):
// web's tasks (512 CPU units, 1024 MiB) go three to a c5.large.
func TestCapacityScaleOut(t *testing.T) {
	web := "testdata/capacity/web.json"
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string // part of stderr
	}{
		{[]string{"-task-definition", web, "-count", "5", "-instance-types", "c5.large"}, 0,
			"desired capacity: 0 -> 2 (1 evaluation, one a minute)\ninstances: 2\ntasks placed: 5, still waiting: 0\n", ""},
		{[]string{"-task-definition", web, "-count", "20", "-instance-types", "c5.large", "-maximum-step", "3", "-warmup", "0", "-o", "json"}, 0,
			`{"desiredCapacities":[3,6,7],"instances":7,"placedTasks":20,"waitingTasks":0,"evaluations":3}`, ""},
		{[]string{"-task-definition", web, "-count", "20", "-instance-types", "c5.large, c5.xlarge", "-o", "json"}, 0,
			// c5.xlarge's figures give the lower bound 3, later corrected;
			// each scale-out waits out the 300 s warm-up.
			`{"desiredCapacities":[3,5,6,7],"instances":7,"placedTasks":20,"waitingTasks":0,"evaluations":16}`, ""},
		{[]string{"-task-definition", web, "-count", "7", "-instance-types", "c5.large", "-instances", "1", "-max-size", "2", "-o", "json"}, 0,
			`{"desiredCapacities":[2],"instances":2,"placedTasks":6,"waitingTasks":1,"evaluations":2}`, ""},
		{[]string{"-count", "5", "-instance-types", "c5.large"}, 2, "", "-task-definition is required"},
		{[]string{"-task-definition", web, "-count", "5"}, 2, "", "-instance-types is required"},
		{[]string{"-task-definition", web, "-count", "0", "-instance-types", "c5.large"}, 2, "", "-count must be 1 to 5000"},
		{[]string{"-task-definition", web, "-count", "5", "-instance-types", "q9.huge"}, 2, "", "not in the instance type catalogue"},
		{[]string{"-task-definition", web, "-count", "5", "-instance-types", "c5.large", "-target-capacity", "0"}, 2, "", "targetCapacity"},
		{[]string{"-task-definition", web, "-count", "5", "-instance-types", "c5.large", "-instances", "3", "-max-size", "2"}, 2, "", "instances ≤ max-size"},
		{[]string{"-task-definition", "testdata/nope.json", "-count", "5", "-instance-types", "c5.large"}, 2, "", "nope.json"},
		{[]string{"-task-definition", web, "-count", "5", "-instance-types", "c5.large", "-o", "yaml"}, 2, "", "want text or json"},
		{[]string{"-task-definition", web, "-count", "5", "-instance-types", "c5.large", "extra"}, 2, "", "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runCapacity(append([]string{"scale-out"}, tt.args...), &stdout, &stderr)
			require.Equal(t, tt.code, code, "stderr: %s", stderr.String())
			got := stdout.String()
			if strings.HasPrefix(tt.stdout, "{") {
				got = strings.Join(strings.Fields(got), "")
			}
			require.Equal(t, tt.stdout, got)
			require.Contains(t, stderr.String(), tt.stderr)
		})
	}
}
