package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

// httpClient drives ecslocal over HTTP as an AWS SDK would: one JSON
// request per operation, on kept-alive connections.
type httpClient struct {
	tb  testing.TB
	url string
	c   *http.Client
}

// do sends body to op and decodes the answer into out (when not nil). It
// fails the benchmark on any status but 200.
func (c *httpClient) do(op string, body any, out any) {
	c.tb.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		c.tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(data))
	if err != nil {
		c.tb.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	c.post(req, out)
}

// advance moves the server's clock on by seconds.
func (c *httpClient) advance(seconds int) {
	c.tb.Helper()
	req, err := http.NewRequest(http.MethodPost, c.url+"/_ecslocal/advance?seconds="+strconv.Itoa(seconds), nil)
	if err != nil {
		c.tb.Fatal(err)
	}
	c.post(req, nil)
}

func (c *httpClient) post(req *http.Request, out any) {
	c.tb.Helper()
	resp, err := c.c.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.tb.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		c.tb.Fatalf("%s: %d %s", req.Header.Get("X-Amz-Target"), resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.tb.Fatalf("%s: %v", req.Header.Get("X-Amz-Target"), err)
		}
	}
}

// steady reports whether each of the services runs its desired count
// with one deployment, COMPLETED, on the task definition td, asking
// DescribeServices 10 services at a time.
func (c *httpClient) steady(services int, td string) bool {
	for i := 0; i < services; i += 10 {
		var names []string
		for k := i; k < min(i+10, services); k++ {
			names = append(names, "svc"+strconv.Itoa(k))
		}
		var out struct {
			Services []struct {
				DesiredCount int `json:"desiredCount"`
				RunningCount int `json:"runningCount"`
				Deployments  []struct {
					TaskDefinition string `json:"taskDefinition"`
					RolloutState   string `json:"rolloutState"`
				} `json:"deployments"`
			} `json:"services"`
		}
		c.do("DescribeServices", map[string]any{"services": names}, &out)
		for _, s := range out.Services {
			if s.RunningCount != s.DesiredCount || len(s.Deployments) != 1 ||
				s.Deployments[0].TaskDefinition != td || s.Deployments[0].RolloutState != "COMPLETED" {
				return false
			}
		}
	}
	return true
}

// settle advances the clock a minute at a time until the services are
// steady on td, and fails after a simulated day.
func (c *httpClient) settle(services int, td string) {
	c.tb.Helper()
	for range 24 * 60 {
		c.advance(60)
		if c.steady(services, td) {
			return
		}
	}
	c.tb.Fatalf("the services did not reach steady state on %s in a simulated day", td)
}

// BenchmarkClusterScaleHTTP runs BenchmarkClusterScale's scenario of the
// ecstest package through ecslocal over HTTP, driven as a client would:
// 5,000 m5.4xlarge instances registered over 3 zones, CreateService ×
// 1,000 (100 tasks each, bridge, one dynamic port, 128 CPU units, 256
// MiB), POST /_ecslocal/advance until DescribeServices shows every
// service steady, UpdateService × 1,000 to revision 2, advance until
// steady again. The time is end to end, the client's included; it also
// runs at 1/10 of the size.
func BenchmarkClusterScaleHTTP(b *testing.B) {
	for _, sc := range []struct{ instances, services int }{{500, 100}, {5000, 1000}} {
		b.Run(fmt.Sprintf("instances=%d/services=%d", sc.instances, sc.services), func(b *testing.B) {
			for b.Loop() {
				runScaleHTTP(b, sc.instances, sc.services, 100)
			}
		})
	}
}

func runScaleHTTP(b *testing.B, instances, services, tasks int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-speed", "0"}, outW, io.Discard)
		outW.Close()
	}()
	c := &httpClient{tb: b, c: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}}
	c.url = listening(b, outR)
	for i := range instances {
		c.do("RegisterContainerInstance", map[string]any{"attributes": []map[string]string{
			{"name": ecs.AttrAvailabilityZone, "value": "us-east-1" + string(rune('a'+i%3))},
			{"name": ecs.AttrInstanceType, "value": "m5.4xlarge"},
		}}, nil)
	}
	var revs [2]string
	for k := range revs {
		var out struct {
			TaskDefinition struct {
				TaskDefinitionARN string `json:"taskDefinitionArn"`
			} `json:"taskDefinition"`
		}
		c.do("RegisterTaskDefinition", map[string]any{"family": "web", "containerDefinitions": []map[string]any{{
			"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "cpu": 128, "memory": 256,
			"portMappings": []map[string]any{{"containerPort": 8080, "hostPort": 0}},
		}}}, &out)
		revs[k] = out.TaskDefinition.TaskDefinitionARN
	}
	for i := range services {
		c.do("CreateService", map[string]any{"serviceName": "svc" + strconv.Itoa(i), "taskDefinition": revs[0], "desiredCount": tasks}, nil)
	}
	c.settle(services, revs[0])
	for i := range services {
		c.do("UpdateService", map[string]any{"service": "svc" + strconv.Itoa(i), "taskDefinition": revs[1]}, nil)
	}
	c.settle(services, revs[1])
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
}
