package ecstest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// TestAdvancePerRequest: with Options.AdvancePerRequest each request the
// Handler serves, an error among them, moves a stopped clock that much,
// and a service started over HTTP becomes steady while a client only
// polls DescribeServices; a call of a Go method moves nothing.
func TestAdvancePerRequest(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t, WithAdvancePerRequest(10*time.Second))
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	c := srv.Client()

	if got := post(c, srv.URL, "ListClusters", []byte(`{}`)); got != 200 {
		t.Fatalf("ListClusters: status %d", got)
	}
	if got := post(c, srv.URL, "DescribeServices", []byte(`{"services": []}`)); got != 400 {
		t.Fatalf("DescribeServices without services: status %d, want 400", got)
	}
	if got, want := e.Clock().Now(), t0.Add(20*time.Second); !got.Equal(want) {
		t.Fatalf("after two requests the clock reads %v, want %v", got, want)
	}
	if _, err := e.ListClusters(ctx, &ecs.ListClustersRequest{}); err != nil {
		t.Fatal(err)
	}
	if got, want := e.Clock().Now(), t0.Add(20*time.Second); !got.Equal(want) {
		t.Fatalf("a Go call moved the clock to %v", got)
	}

	_, err := e.LaunchInstance(ctx, "", Instance{InstanceType: "m5.large", AvailabilityZone: "us-east-1a"})
	if err != nil {
		t.Fatal(err)
	}
	if got := post(c, srv.URL, "RegisterTaskDefinition", []byte(`{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 128}]}`)); got != 200 {
		t.Fatalf("RegisterTaskDefinition: status %d", got)
	}
	if got := post(c, srv.URL, "CreateService", []byte(`{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2}`)); got != 200 {
		t.Fatalf("CreateService: status %d", got)
	}
	for polls := 0; ; polls++ {
		out, _, err := e.describeServices(ctx, "", []string{"web"})
		if err != nil {
			t.Fatal(err)
		}
		svc := out[0]
		if svc.RunningCount == 2 && svc.Deployments[0].RolloutState == ecs.DeploymentRolloutStateCompleted {
			break
		}
		if polls == 100 {
			t.Fatalf("not steady after %d polls: %d running, rollout %s", polls, svc.RunningCount, svc.Deployments[0].RolloutState)
		}
		post(c, srv.URL, "DescribeServices", []byte(`{"services": ["web"]}`))
	}
}
