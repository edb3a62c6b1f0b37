package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// python returns a Python with boto3, or "" when there is none. CI sets
// ECSCORE_REQUIRE_BOTO3=1 (.ci/run installs Debian's python3-boto3 when
// no Python has it), so that there a missing boto3 fails the test.
func python(t *testing.T) string {
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import boto3").Run() == nil {
			return path
		}
	}
	if os.Getenv("ECSCORE_REQUIRE_BOTO3") == "1" {
		t.Fatal("no python3 with boto3, and CI requires one")
	}
	return ""
}

// TestBoto3 runs ecs/ecstest/boto3_test.py, boto3 against ecslocal: the
// members ECS always writes, tasks as ECS describes them, refusals as it
// words them, as a Python client reads them.
func TestBoto3(t *testing.T) { runBoto3(t, "boto3_test.py") }

// TestBoto3AutoScaling runs ecs/ecstest/boto3_appscaling_test.py: boto3's
// application-autoscaling client scales a service with a target tracking
// policy at 50 % CPU as its load (POST /_ecslocal/load) rises and falls,
// with scheduled actions, pages and the API's errors.
func TestBoto3AutoScaling(t *testing.T) { runBoto3(t, "boto3_appscaling_test.py") }

// TestBoto3Provisioning runs ecs/ecstest/boto3_provisioning_test.py: a
// cluster whose only capacity provider has an empty Auto Scaling group
// runs 5 tasks, which wait PROVISIONING, run after managed scaling's
// scale-out, and once stopped let the group scale in by at most half per
// step (issue 17's client check).
func TestBoto3Provisioning(t *testing.T) { runBoto3(t, "boto3_provisioning_test.py") }

// TestBoto3Events runs ecs/ecstest/boto3_events_test.py: a scheduled task
// through ecslocal's EventBridge API (rate(5 minutes) runs 12 times in an
// hour of its virtual clock), with the API's errors.
func TestBoto3Events(t *testing.T) { runBoto3(t, "boto3_events_test.py") }

// TestBoto3ManagedInstances runs ecs/ecstest/boto3_managed_test.py: a
// Managed Instances capacity provider made, validated and described with
// boto3, RunTask through it (PROVISIONING, then RUNNING on the instance ECS
// launched), idle scale-in, and the Spot model interrupting FARGATE_SPOT
// tasks.
func TestBoto3ManagedInstances(t *testing.T) { runBoto3(t, "boto3_managed_test.py") }

// runBoto3 runs a boto3 script of ecs/ecstest against a new ecslocal with
// its clock stopped and a default cluster.
func runBoto3(t *testing.T, script string) {
	py := python(t)
	if py == "" {
		t.Skip("no python3 with boto3")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-speed", "0", "-cluster", "default"}, outW, io.Discard)
		outW.Close()
	}()
	url := listening(t, outR)
	cmd := exec.Command(py, filepath.Join("..", "..", "ecs", "ecstest", script))
	cmd.Env = append(os.Environ(), "ECSLOCAL_URL="+url, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true", "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	require.NoError(t, err)
	require.Contains(t, string(out), " 0 failed")
	cancel()
	require.NoError(t, <-done)
}
