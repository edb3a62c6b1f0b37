package ecstest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

// FuzzHandlerRequest sends arbitrary requests to a guarded handler:
// methods, paths (control endpoints among them), X-Amz-Target,
// Content-Type, Host and Origin headers, and bodies. No request may make
// it fail (status 500) or answer outside the protocol: an error is
// {"__type", "message"} with the type in X-Amzn-ErrorType, and a success
// is JSON. A foreign Host or Origin is always refused.
func FuzzHandlerRequest(f *testing.F) {
	type seed struct {
		method                                  byte
		path, target, contentType, host, origin string
		body                                    string
	}
	for _, s := range []seed{
		{0, "/", "ListClusters", contentType, "127.0.0.1:8555", "", `{}`},
		{0, "/", "RegisterTaskDefinition", contentType, "localhost", "", validBodies[0].body},
		{0, "/", "DescribeTasks", "application/x-amz-json-1.0", "[::1]:80", "http://localhost:3000", `{"tasks":[1,2,"x"]}`},
		{0, "/_ecslocal/advance?seconds=90.5", "", "", "ecs.internal", "", ``},
		{0, "/_ecslocal/advance?seconds=1e9", "", "text/plain", "127.0.0.1", "", `x=1`},
		{1, "/_ecslocal/clock", "", "", "127.0.0.1", "null", ``},
		{2, "/_ecslocal/rewind", "", "application/json", "evil.example", "http://evil.example", `{}`},
		{0, "/", "LaunchRockets", "text/plain", "127.0.0.1", "", `{"tags":[]}`},
		{0, "/_ecslocal/exit-container", "", "application/json", "127.0.0.1", "", `{"task":"0123","container":"app","exitCode":1}`},
		{0, "/_ecslocal/alarm", "", "application/json", "127.0.0.1", "", `{"alarmName":"a","stateValue":"ALARM"}`},
		{0, "/_ecslocal/lose-zone", "", "application/json", "127.0.0.1", "", `{"availabilityZone":"us-east-1a"}`},
		{0, "/", "SubmitTaskStateChange", contentType, "127.0.0.1", "", `{"task":"0123","status":"RUNNING","containers":[{"containerName":"a"}]}`},
		{0, "/", "CreateExpressGatewayService", contentType, "127.0.0.1", "", `{"executionRoleArn":"x","infrastructureRoleArn":"y","primaryContainer":{"image":"nginx"}}`},
	} {
		f.Add(s.method, s.path, s.target, s.contentType, s.host, s.origin, []byte(s.body))
	}
	e := New(WithClock(NewClock(t0, 0)))
	defer e.Close()
	h := e.Handler(AllowHosts("ecs.internal"))
	methods := []string{http.MethodPost, http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodHead, http.MethodOptions}
	f.Fuzz(func(t *testing.T, method byte, path, target, ct, host, origin string, body []byte) {
		u, err := url.ParseRequestURI(path)
		if err != nil || !strings.HasPrefix(u.Path, "/") {
			u = &url.URL{Path: "/"}
		}
		req := httptest.NewRequest(methods[int(method)%len(methods)], "/", bytes.NewReader(body))
		req.URL, req.RequestURI = u, u.RequestURI()
		req.Host = host
		for k, v := range map[string]string{"X-Amz-Target": targetPrefix + target, "Content-Type": ct, "Origin": origin} {
			if v != "" && v != targetPrefix {
				req.Header.Set(k, v)
			}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s (Host %q, target %q): status %d: %s", req.Method, path, host, target, rec.Code, rec.Body)
		}
		foreign := (host != "" && !isLoopback(hostOnly(host)) && hostOnly(host) != "ecs.internal") || (origin != "" && !originOK(origin))
		if foreign && rec.Code != http.StatusForbidden {
			t.Fatalf("Host %q, Origin %q: status %d, not refused", host, origin, rec.Code)
		}
		if req.Method == http.MethodHead {
			return
		}
		var answer map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("status %d, not JSON: %q", rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			typ, _ := answer["__type"].(string)
			if _, ok := answer["message"].(string); !ok || typ == "" || len(answer) != 2 || rec.Header().Get("X-Amzn-ErrorType") != typ {
				t.Fatalf("status %d: not the API's error shape: %s", rec.Code, rec.Body)
			}
		}
	})
}

// originOK reports whether origin is one FuzzHandlerRequest's handler
// takes.
func originOK(origin string) bool {
	u, err := url.Parse(origin)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") &&
		(isLoopback(hostOnly(u.Host)) || hostOnly(u.Host) == "ecs.internal")
}

// FuzzLoadCluster loads arbitrary describe-container-instances and
// describe-tasks outputs into a cluster: no input may panic, and either
// every instance given is loaded (the cluster lists as many as
// LoadCluster returns) or, on an error, none is.
func FuzzLoadCluster(f *testing.F) {
	var seeds [2][]byte
	for i, path := range []string{"../testdata/describe-container-instances-small-cluster.json", "testdata/describe-tasks-small-cluster.json"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		if err := json.Compact(&b, data); err != nil {
			f.Fatal(err)
		}
		seeds[i] = b.Bytes()
	}
	f.Add(seeds[0], seeds[1])
	f.Add([]byte(`[{"containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/c/0123456789abcdef0123456789abcdef","status":"ACTIVE",`+
		`"registeredResources":[{"name":"CPU","integerValue":2048},{"name":"MEMORY","integerValue":4096}],`+
		`"remainingResources":[{"name":"CPU","integerValue":1024},{"name":"PORTS","stringSetValue":["80"]}],`+
		`"attributes":[{"name":"ecs.instance-type","value":"c5.large"},{"name":"ecs.availability-zone","value":"us-east-1a"}]}]`),
		[]byte(`[{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/5a1f0c2e9b7d4e3a8c6f1b2d3e4f5a60","lastStatus":"RUNNING","desiredStatus":"RUNNING",`+
			`"containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/c/0123456789abcdef0123456789abcdef","cpu":"512","memory":"512",`+
			`"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/web:1",`+
			`"containers":[{"name":"web","networkBindings":[{"hostPort":80,"containerPort":80,"protocol":"tcp"}]}]}]`))
	f.Add([]byte(`{"containerInstances":[{"status":"INACTIVE"},{"status":"GONE"}]}`), []byte(`[]`))
	f.Fuzz(func(t *testing.T, instanceData, taskData []byte) {
		list, _, err := ecs.DecodeContainerInstances(instanceData, ecs.Lenient)
		if err != nil {
			return
		}
		tasks, _, err := ecs.DecodeTasks(taskData, ecs.Lenient)
		if err != nil {
			return
		}
		e := New(WithClock(NewClock(t0, 0)))
		defer e.Close()
		ctx := context.Background()
		if _, err := e.createCluster(ctx, ecs.Cluster{}); err != nil {
			t.Fatal(err)
		}
		loaded, _, loadErr := e.LoadCluster(ctx, "default", list, tasks)
		arns, err := e.listContainerInstances(ctx, "default", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if loadErr != nil {
			if len(arns) != 0 {
				t.Fatalf("LoadCluster failed (%v) yet loaded %d instances", loadErr, len(arns))
			}
			return
		}
		if len(arns) != len(loaded) {
			t.Fatalf("LoadCluster loaded %d instances; the cluster lists %d", len(loaded), len(arns))
		}
	})
}
