package main

import (
	"bufio"
	"context"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/stretchr/testify/require"
)

// runMainEnv makes the test binary run main, so that tests can start it as
// the ecslocal command and signal it.
const runMainEnv = "ECSLOCAL_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// listening reads the line ecslocal prints when ready and returns its URL.
func listening(t testing.TB, r io.Reader) string {
	t.Helper()
	line, err := bufio.NewReader(r).ReadString('\n')
	require.NoError(t, err)
	url, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "ecslocal listening on ")
	require.True(t, ok, "first line: %q", line)
	require.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, url)
	return url
}

// call makes one ECS API request and returns the status and body.
func call(t *testing.T, url, op, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	cluster := filepath.Join("..", "..", "ecs", "testdata", "describe-container-instances-small-cluster.json")
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-speed", "0", "-cluster", "small",
			"-cluster-file", cluster, "-region", "eu-west-1", "-account", "210987654321", "-seed", "9"}, outW, io.Discard)
		outW.Close()
	}()
	url := listening(t, outR)

	status, body := call(t, url, "ListContainerInstances", `{"cluster":"small"}`)
	require.Equal(t, http.StatusOK, status, body)
	var list struct {
		ContainerInstanceARNs []string `json:"containerInstanceArns"`
	}
	require.NoError(t, ecs.Unmarshal([]byte(body), &list))
	require.Len(t, list.ContainerInstanceARNs, 3, "the cluster file is loaded")
	require.True(t, strings.HasPrefix(list.ContainerInstanceARNs[0], "arn:aws:ecs:eu-west-1:210987654321:container-instance/small/"))

	status, body = call(t, url, "RegisterTaskDefinition",
		`{"family":"web","containerDefinitions":[{"name":"web","image":"nginx","cpu":256,"memory":256}]}`)
	require.Equal(t, http.StatusOK, status, body)
	status, body = call(t, url, "RunTask", `{"cluster":"small","taskDefinition":"web","count":2}`)
	require.Equal(t, http.StatusOK, status, body)
	var run ecs.RunTaskResponse
	require.NoError(t, ecs.Unmarshal([]byte(body), &run))
	require.Len(t, run.Tasks, 2, "tasks are placed on the loaded instances: %s", body)
	status, body = call(t, url, "CreateTaskSet", `{"cluster":"small","service":"nope","taskDefinition":"web"}`)
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, body, "ServiceNotFoundException")

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after its context was done")
	}
}

// TestRunWithTasks loads a cluster file with a tasks file: the instances
// are as busy as described, and the tasks run on them.
func TestRunWithTasks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr strings.Builder
	done := make(chan error, 1)
	cluster := filepath.Join("..", "..", "ecs", "testdata", "describe-container-instances-small-cluster.json")
	tasks := filepath.Join("..", "..", "ecs", "ecstest", "testdata", "describe-tasks-small-cluster.json")
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-speed", "0", "-cluster", "small",
			"-cluster-file", cluster, "-tasks-file", tasks, "-region", "eu-west-1", "-account", "210987654321"}, outW, &stderr)
		outW.Close()
	}()
	url := listening(t, outR)
	require.Contains(t, stderr.String(), "ecslocal: loaded 3 container instances and 3 tasks into cluster small (2 tasks skipped")

	status, body := call(t, url, "ListTasks", `{"cluster":"small"}`)
	require.Equal(t, http.StatusOK, status, body)
	var list struct {
		TaskARNs []string `json:"taskArns"`
	}
	require.NoError(t, ecs.Unmarshal([]byte(body), &list))
	require.ElementsMatch(t, []string{
		"arn:aws:ecs:eu-west-1:210987654321:task/small/5a1f0c2e9b7d4e3a8c6f1b2d3e4f5a60",
		"arn:aws:ecs:eu-west-1:210987654321:task/small/6b2a1d3f0c8e5f4b9d7a2c3e4f5a6b71",
		"arn:aws:ecs:eu-west-1:210987654321:task/small/7c3b2e4a1d9f6a5c0e8b3d4f5a6b7c82",
	}, list.TaskARNs)

	status, body = call(t, url, "ListContainerInstances", `{"cluster":"small","filter":"task:group == service:web"}`)
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, "arn:aws:ecs:eu-west-1:210987654321:container-instance/small/0b2c6c3a4d5e4f60a1b2c3d4e5f60718")
	status, body = call(t, url, "DescribeContainerInstances",
		`{"cluster":"small","containerInstances":["0b2c6c3a4d5e4f60a1b2c3d4e5f60718","2d4e8e5c6f706182c3d4e5f607182930"]}`)
	require.Equal(t, http.StatusOK, status, body)
	var described ecs.DescribeContainerInstancesResponse
	require.NoError(t, ecs.Unmarshal([]byte(body), &described))
	require.Equal(t, 1, described.ContainerInstances[0].RunningTasksCount)
	require.Equal(t, 2, described.ContainerInstances[1].RunningTasksCount)
	rem, err := ecs.ParseResources(described.ContainerInstances[1].RemainingResources)
	require.NoError(t, err)
	require.Equal(t, 3072, rem.CPU)
	require.Contains(t, rem.PortsTCP, 8080)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after its context was done")
	}
}

func TestFlagErrors(t *testing.T) {
	notJSON := filepath.Join(t.TempDir(), "instances.json")
	require.NoError(t, os.WriteFile(notJSON, []byte("containerInstances:\n- i-1\n"), 0o644))
	clusterFile := filepath.Join("..", "..", "ecs", "testdata", "describe-container-instances-small-cluster.json")
	tasksFile := filepath.Join("..", "..", "ecs", "ecstest", "testdata", "describe-tasks-small-cluster.json")
	for name, args := range map[string][]string{
		"file not JSON":           {"-cluster-file", notJSON},
		"negative speed":          {"-speed", "-1"},
		"speed above MaxSpeed":    {"-speed", "1e10"},
		"bad region":              {"-region", "Mars"},
		"bad account":             {"-account", "42"},
		"bad cluster":             {"-cluster", "my cluster"},
		"missing file":            {"-cluster-file", "no/such/file.json"},
		"unknown flag":            {"-port", "80"},
		"argument":                {"serve"},
		"bad address":             {"-addr", "127.0.0.1:http-alt-x"},
		"tasks without instances": {"-tasks-file", tasksFile},
		"missing tasks file":      {"-cluster-file", clusterFile, "-tasks-file", "no/such/file.json"},
		"tasks file not JSON":     {"-cluster-file", clusterFile, "-tasks-file", notJSON},
		"the same tasks twice":    {"-cluster-file", clusterFile, "-tasks-file", tasksFile, "-tasks-file", tasksFile},
	} {
		t.Run(name, func(t *testing.T) {
			err := run(context.Background(), args, io.Discard, io.Discard)
			require.Error(t, err)
		})
	}
}

// TestSignals starts ecslocal as a command and stops it with SIGINT and
// SIGTERM: it prints exactly one line and exits 0.
func TestSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0")
			cmd.Env = append(os.Environ(), runMainEnv+"=1")
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			defer cmd.Process.Kill()
			out := bufio.NewReader(stdout)
			url := listening(t, out)
			status, _ := call(t, url, "ListClusters", `{}`)
			require.Equal(t, http.StatusOK, status)

			require.NoError(t, cmd.Process.Signal(sig))
			rest, err := io.ReadAll(out)
			require.NoError(t, err)
			require.Empty(t, string(rest), "ecslocal prints one line")
			require.NoError(t, cmd.Wait(), "ecslocal exits 0")
		})
	}
}

// TestAWSCLI runs the aws command-line client's script against ecslocal
// when the aws command is installed.
func TestAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws command is not installed")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	if testing.Short() {
		t.Skip("the aws CLI takes seconds per command")
	}
	cmd := exec.Command("bash", filepath.Join("..", "..", "ecs", "ecstest", "awscli_test.sh"))
	cmd.Env = append(os.Environ(), "ECSLOCAL="+os.Args[0], runMainEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	require.NoError(t, err)
	require.Contains(t, string(out), " 0 failed")
}

// TestUsageListsControlEndpoints checks that ecslocal -h lists every
// control endpoint, with its body.
func TestUsageListsControlEndpoints(t *testing.T) {
	var out strings.Builder
	err := run(context.Background(), []string{"-h"}, io.Discard, &out)
	require.ErrorIs(t, err, flag.ErrHelp)
	for _, c := range ecstest.ControlEndpoints() {
		require.Contains(t, out.String(), c.Method+" "+c.Path+" "+c.Body)
	}
	require.Contains(t, out.String(), "-speed")
}
