package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// fixtureDir holds the task definitions of ../../shared/fixtures.
const fixtureDir = "../../ecs/testdata/"

var (
	nginxFixture = fixtureDir + "nginx-awsvpc-healthcheck.json"
	stackFixture = fixtureDir + "application-stack-bridge-links.json"
	twoFixture   = fixtureDir + "devopsdays-two-containers.json"
	sizesFixture = fixtureDir + "devopsdays-task-and-container-sizes.json"
)

func runValidateT(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"validate"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// tempDoc writes a document to a temporary file and returns its path.
func tempDoc(t *testing.T, name, doc string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	return path
}

func TestValidateExitStatus(t *testing.T) {
	warnOnly := `{"family":"w","containerDefinitions":[{"name":"a","image":"busybox","memory":4}]}`
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"valid for FARGATE and EC2", []string{nginxFixture}, 0},
		{"valid, as JSON", []string{"-o", "json", nginxFixture}, 0},
		{"valid for the launch types named", []string{"-launch-type", "EC2,FARGATE", nginxFixture}, 0},
		{"warnings only", []string{tempDoc(t, "warn.json", warnOnly)}, 0},
		{"strings where integers go", []string{stackFixture}, 1},
		{"duplicate names", []string{twoFixture}, 1},
		{"one valid file and one invalid", []string{nginxFixture, sizesFixture}, 1},
		{"not JSON", []string{tempDoc(t, "broken.json", `{"family": `)}, 1},
		{"not a task definition", []string{tempDoc(t, "service.json", `{"serviceName": "web"}`)}, 1},
		{"unreadable file", []string{nginxFixture, "no-such-file.json"}, 2},
		{"no files", nil, 2},
		{"unknown output", []string{"-o", "yaml", nginxFixture}, 2},
		{"unknown launch type", []string{"-launch-type", "EC2,LAMBDA", nginxFixture}, 2},
		{"unknown flag", []string{"-strict", nginxFixture}, 2},
		{"flag after the files", []string{nginxFixture, "-o", "json"}, 2},
		{"help", []string{"-h"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runValidateT(t, tc.args...)
			require.Equal(t, tc.want, code, stderr)
			if code == 2 && tc.name != "help" {
				require.NotEmpty(t, stderr, "a usage error says why on stderr")
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	code, out, _ := runValidateT(t, "-o", "json", nginxFixture)
	require.Equal(t, 0, code)
	require.Equal(t, "[]\n", out, "an empty array when all is well")

	code, out, _ = runValidateT(t, "-o", "json", "-launch-type", "FARGATE", stackFixture, twoFixture)
	require.Equal(t, 1, code)
	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.NotEmpty(t, got)
	for _, f := range got {
		for _, key := range []string{"file", "path", "code", "severity", "message"} {
			require.Contains(t, f, key)
		}
		for key := range f {
			require.Contains(t, []string{"file", "path", "code", "severity", "message", "line", "column", "apiMessage"}, key)
		}
		require.Contains(t, []any{"error", "warning"}, f["severity"])
		require.GreaterOrEqual(t, f["line"], 1.0)
		require.GreaterOrEqual(t, f["column"], 1.0)
	}
	require.Equal(t, stackFixture, got[0]["file"], "files in the order given")
	require.Equal(t, twoFixture, got[len(got)-1]["file"])
	require.Equal(t, map[string]any{
		"file": stackFixture, "path": "networkMode", "code": "fargate.network-mode", "severity": "error",
		"message": "Network mode bridge is not awsvpc, which Fargate requires.", "line": 27.0, "column": 19.0,
		"apiMessage": "Fargate only supports network mode 'awsvpc'.",
	}, findByPath(got, stackFixture, "networkMode"))
	require.NotContains(t, findByPath(got, stackFixture, "containerDefinitions[0].memory"), "apiMessage", "no apiMessage where ECS has no text")
	require.Regexp(t, `^\[\n  \{\n    "file": .*\n    "path": .*\n    "code": .*\n    "severity": .*\n    "message": `, out, "members in the documented order")
}

func findByPath(fs []map[string]any, file, path string) map[string]any {
	for _, f := range fs {
		if f["file"] == file && f["path"] == path {
			return f
		}
	}
	return nil
}

func TestValidateText(t *testing.T) {
	code, out, _ := runValidateT(t, nginxFixture)
	require.Equal(t, 0, code)
	require.Empty(t, out, "nothing when all is well")

	code, out, _ = runValidateT(t, twoFixture)
	require.Equal(t, 1, code)
	want := []string{
		twoFixture + ": containerDefinitions[0].memory: error: container.memory-required: Container \"devopsdays-frontend\" sets neither memory nor memoryReservation and the task sets no memory; on EC2 and External one of them is required.",
		twoFixture + ": containerDefinitions[1].memory: error: container.memory-required: Container \"devopsdays-frontend\" sets neither memory nor memoryReservation and the task sets no memory; on EC2 and External one of them is required.",
		twoFixture + ": containerDefinitions[1].name: error: container.name-duplicate: Container name \"devopsdays-frontend\" is also the name of container definition 0; names must be unique in a task definition.",
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSuffix(out, "\n"), "\n")); diff != "" {
		t.Errorf("text output (-want +got):\n%s", diff)
	}

	_, out, _ = runValidateT(t, "-launch-type", "fargate", stackFixture, sizesFixture)
	line := regexp.MustCompile(`^[^:]+\.json: [^:]*: (error|warning): [a-z0-9-]+\.[a-z0-9-]+: [A-Z].*\.$`)
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		require.Regexp(t, line, l)
	}
}

func TestValidateNotJSON(t *testing.T) {
	file := tempDoc(t, "broken.json", "{\n  \"family\": \"web\",\n  ]\n}")
	code, out, _ := runValidateT(t, "-o", "json", file)
	require.Equal(t, 1, code)
	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got, 1)
	require.Equal(t, "json.syntax", got[0]["code"])
	require.Equal(t, "", got[0]["path"])
	require.Equal(t, 3.0, got[0]["line"])
	require.Equal(t, 3.0, got[0]["column"])
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 2, run(nil, &out, &errOut))
	require.Contains(t, errOut.String(), "validate")
	require.Equal(t, 2, run([]string{"deploy"}, &out, &errOut))
	require.Contains(t, errOut.String(), `unknown command "deploy"`)
	out.Reset()
	require.Equal(t, 0, run([]string{"help"}, &out, &errOut))
	require.Contains(t, out.String(), "place")
}
