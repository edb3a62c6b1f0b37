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

// An agent simulator drives a task through the agent's operations: the
// task runs when its agent says so, and stops when its essential
// container exits.
func ExampleECS_SubmitTaskStateChange() {
	ctx := context.Background()
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(time.Date(2025, 11, 21, 6, 0, 0, 0, time.UTC), 0)))
	defer e.Close()
	e.CreateCluster(ctx, &ecs.CreateClusterRequest{})
	e.LaunchInstance(ctx, "", ecstest.Instance{InstanceType: "m5.large", AvailabilityZone: "us-east-1a"})
	memory := 128
	td, _ := e.Registry().Register(&ecs.TaskDefinition{Family: "app",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "busybox", Memory: &memory}}}, nil)
	run, _ := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: td.TaskDefinitionARN})
	task := run.Tasks[0].TaskARN

	e.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeRequest{Task: task, Status: "RUNNING"})
	exit := 2
	e.SubmitContainerStateChange(ctx, &ecs.SubmitContainerStateChangeRequest{Task: task, ContainerName: "app", Status: "STOPPED", ExitCode: &exit})
	out, _ := e.DescribeTasks(ctx, &ecs.DescribeTasksRequest{Tasks: []string{task}})
	fmt.Println(out.Tasks[0].DesiredStatus, out.Tasks[0].StopCode, *out.Tasks[0].Containers[0].ExitCode)
	// Output: STOPPED EssentialContainerExited 2
}

// A test in any language injects a fault with a JSON body posted to a
// control endpoint: here an Availability Zone is lost.
func ExampleControlEndpoints() {
	srv := ecstest.NewServer(nil)
	defer srv.Close()
	resp, err := srv.Client().Post(srv.URL+"/_ecslocal/lose-zone", "application/json", strings.NewReader(`{"availabilityZone": "us-east-1a"}`))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode == http.StatusOK, string(body))
	for _, c := range ecstest.ControlEndpoints()[:2] {
		fmt.Println(c.Method, c.Path)
	}
	// Output:
	// true {}
	// GET /_ecslocal/clock
	// POST /_ecslocal/advance
}
