package ecstest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// FuzzAutoScalingRequest sends arbitrary bodies to the Application Auto
// Scaling operations of a world with a service and its scalable target,
// and moves the clock a minute after each so that whatever was stored is
// evaluated: no request may make the handler fail (status 500) or answer
// anything but JSON, an error with its __type.
func FuzzAutoScalingRequest(f *testing.F) {
	seeds := []struct {
		op   string
		body string
	}{
		{"PutScalingPolicy", `{"PolicyName":"p","ServiceNamespace":"ecs","ResourceId":"service/default/web","ScalableDimension":"ecs:service:DesiredCount","PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"PercentChangeInCapacity","StepAdjustments":[{"MetricIntervalLowerBound":0,"ScalingAdjustment":-300}]}}`},
		{"PutScheduledAction", `{"ServiceNamespace":"ecs","ResourceId":"service/default/web","ScalableDimension":"ecs:service:DesiredCount","ScheduledActionName":"a","Schedule":"cron(* * * * ? *)","ScalableTargetAction":{"MinCapacity":2147483647}}`},
		{"RegisterScalableTarget", `{"ServiceNamespace":"ecs","ResourceId":"service/default/web","ScalableDimension":"ecs:service:DesiredCount","MaxCapacity":-1}`},
		{"DescribeScalingActivities", `{"ServiceNamespace":"ecs","MaxResults":0,"NextToken":"-1"}`},
		{"TagResource", `{"ResourceARN":"","Tags":{"aws:x":"y"}}`},
	}
	ops := aasOperationNames()
	for _, s := range seeds {
		for i, op := range ops {
			if op == s.op {
				f.Add(byte(i), []byte(s.body))
			}
		}
	}
	e := New(WithClock(NewClock(t0, 0)))
	defer e.Close()
	ctx := context.Background()
	if _, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{}); err != nil {
		f.Fatal(err)
	}
	mem := 128
	if _, err := e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionRequest{Family: "web",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "nginx", Memory: &mem}}}); err != nil {
		f.Fatal(err)
	}
	if _, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: new(int)}); err != nil {
		f.Fatal(err)
	}
	h := e.Handler()
	f.Fuzz(func(t *testing.T, op byte, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", aasTargetPrefix+ops[int(op)%len(ops)])
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s: status %d: %s", ops[int(op)%len(ops)], rec.Code, rec.Body)
		}
		var answer map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("status %d, not JSON: %q", rec.Code, rec.Body)
		}
		if _, ok := answer["__type"]; rec.Code >= 400 && !ok {
			t.Fatalf("status %d without __type: %s", rec.Code, rec.Body)
		}
		e.Clock().Advance(time.Minute)
	})
}
