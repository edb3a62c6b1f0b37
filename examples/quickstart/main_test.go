package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestQuickstartRuns(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Cluster: 6 container instances",
		"task-definition/nginx:1",
		`containerDefinitions[0].memory: error: json.wrong-type`,
		"FARGATE invalid",
		"was unable to place a task because no container instance met all of its requirements",
		"outcome: COMPLETED (rolled back: false)",
		"rolling back to deployment",
		"FARGATE_SPOT  6 tasks",
		"<- recommended",
		"(what-if: web must change for Fargate first)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
