package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// FuzzPlace runs ecsplan place on arbitrary task definition and cluster
// files, with a strategy chosen by the input, as a user's files would be
// read: no input may panic; the exit status is 0, 1 or 2; and when tasks
// were placed or failed (0 or 1), the output is JSON with as many tasks
// and failures as were asked for, at most.
func FuzzPlace(f *testing.F) {
	cluster, err := compact(clusterFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(placeWebTD), cluster, uint8(3), uint8(0))
	f.Add([]byte(`[{"name":"a","image":"i","memory":128,"portMappings":[{"containerPort":80,"hostPort":80}]}]`), cluster, uint8(4), uint8(1))
	f.Add([]byte(`{"family":"f","networkMode":"awsvpc","placementConstraints":[{"type":"memberOf","expression":"attribute:ecs.availability-zone == us-east-1a"}],`+
		`"containerDefinitions":[{"name":"a","image":"i","cpu":4096,"memory":64}]}`), cluster, uint8(2), uint8(2))
	f.Add([]byte(`{"family":"f","containerDefinitions":[{"name":"a","image":"i","memory":1}]}`),
		[]byte(`[{"containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/c/x","remainingResources":[{"name":"CPU","integerValue":1}]}]`), uint8(1), uint8(3))
	strategies := [][]string{nil, {"-strategy", "binpack:memory"}, {"-strategy", "spread:attribute:ecs.availability-zone", "-constraint", "distinctInstance"}, {"-strategy", "random"}}
	f.Fuzz(func(t *testing.T, taskDef, instances []byte, count, strategy uint8) {
		dir := t.TempDir()
		tdFile, clFile := filepath.Join(dir, "td.json"), filepath.Join(dir, "cluster.json")
		if os.WriteFile(tdFile, taskDef, 0o644) != nil || os.WriteFile(clFile, instances, 0o644) != nil {
			t.Fatal("cannot write the input files")
		}
		n := 1 + int(count)%20
		args := append([]string{"-cluster", clFile, "-task-definition", tdFile, "-count", strconv.Itoa(n), "-o", "json"}, strategies[int(strategy)%len(strategies)]...)
		var stdout, stderr bytes.Buffer
		code := runPlace(args, &stdout, &stderr)
		switch code {
		case 2:
			return
		case 0, 1:
		default:
			t.Fatalf("exit status %d: %s", code, stderr.String())
		}
		var out struct {
			Tasks    []json.RawMessage `json:"tasks"`
			Failures []json.RawMessage `json:"failures"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatalf("exit status %d, output not JSON (%v): %s", code, err, stdout.String())
		}
		if len(out.Tasks) > n || (code == 0) != (len(out.Tasks) == n) {
			t.Fatalf("exit status %d with %d tasks of %d", code, len(out.Tasks), n)
		}
	})
}

// compact returns the JSON of the file at path without its spaces, a
// smaller seed.
func compact(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = json.Compact(&b, data)
	return b.Bytes(), err
}
