package ecstest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

// An in-memory ECS used through its Go API: a cluster of three instances
// over three Availability Zones, their resources from the catalogue.
func Example() {
	ctx := context.Background()
	start := time.Date(2025, 11, 21, 6, 0, 0, 0, time.UTC)
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(start, 0)), ecstest.WithSeed(1))
	defer e.Close()

	if _, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: "prod"}); err != nil {
		panic(err)
	}
	for _, az := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		ci, err := e.LaunchInstance(ctx, "prod", ecstest.Instance{InstanceType: "c5.large", AvailabilityZone: az})
		if err != nil {
			panic(err)
		}
		res, _ := ecs.ParseResources(ci.RegisteredResources)
		fmt.Println(ci.ContainerInstanceARN[len("arn:aws:ecs:us-east-1:123456789012:"):], az, res.CPU, res.MemoryMiB)
	}
	_, err := e.DeleteCluster(ctx, &ecs.DeleteClusterRequest{Cluster: "prod"})
	fmt.Println(err)
	// Output:
	// container-instance/prod/8d264281f8f8c4c3164d66ae93ad5de0 us-east-1a 2048 3704
	// container-instance/prod/a9df5d2cb500d678937d38ee25f7a7d1 us-east-1b 2048 3704
	// container-instance/prod/5be72e12484451d2c2006fe656d6d640 us-east-1c 2048 3704
	// ClusterContainsContainerInstancesException: The Cluster cannot be deleted while Container Instances are active or draining.
}

// A server for clients that speak the ECS API. An AWS SDK's ECS client
// takes srv.URL as its endpoint; here plain HTTP requests show the
// protocol: a success, and an error as the API returns it.
func ExampleNewServer() {
	srv := ecstest.NewServer(nil)
	defer srv.Close()

	call := func(op, body string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(data))
	}
	call("CreateCluster", `{"clusterName": "demo"}`)
	call("DeleteCluster", `{"cluster": "prod"}`)
	// Output:
	// 200 {"cluster":{"clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/demo","clusterName":"demo","status":"ACTIVE","registeredContainerInstancesCount":0,"runningTasksCount":0,"pendingTasksCount":0,"activeServicesCount":0,"statistics":[],"tags":[],"settings":[{"name":"containerInsights","value":"disabled"}],"capacityProviders":[],"defaultCapacityProviderStrategy":[]}}
	// 400 {"__type":"ClusterNotFoundException","message":"Cluster not found."}
}

// A stopped clock moves only when the test moves it, and runs what was
// scheduled on the way, in order.
func ExampleClock() {
	start := time.Date(2025, 11, 21, 6, 0, 0, 0, time.UTC)
	clock := ecstest.NewClock(start, 0)
	defer clock.Close()
	clock.AfterFunc(30*time.Second, func() { fmt.Println("RUNNING at", clock.Now().Sub(start)) })
	clock.AfterFunc(10*time.Second, func() { fmt.Println("PENDING at", clock.Now().Sub(start)) })
	clock.Advance(time.Minute)
	fmt.Println("now", clock.Now().Sub(start))
	// Output:
	// PENDING at 10s
	// RUNNING at 30s
	// now 1m0s
}
