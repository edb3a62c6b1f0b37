package main

import (
	"bytes"
	"strings"
	"testing"
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
