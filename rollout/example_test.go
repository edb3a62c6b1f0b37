package rollout_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/ecscore/ecscore/rollout"
)

// cluster returns two instances of 2 vCPU and 4 GiB in two zones.
func cluster() []ecs.ContainerInstance {
	var out []ecs.ContainerInstance
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		out = append(out, ecs.ContainerInstance{
			ContainerInstanceARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/%032d", i),
			EC2InstanceID:        fmt.Sprintf("i-%017d", i),
			Status:               "ACTIVE", AgentConnected: true,
			RegisteredResources: ecs.Resources{CPU: 2048, MemoryMiB: 4096}.ResourceList(),
			Attributes:          []ecs.Attribute{{Name: "ecs.availability-zone", Value: az}},
		})
	}
	return out
}

func taskDefinition(rev int) *ecs.TaskDefinition {
	return &ecs.TaskDefinition{
		TaskDefinitionARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task-definition/web:%d", rev),
		Family:            "web", Revision: rev, CPU: "256", Memory: "512",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "web", Image: "nginx"}},
	}
}

// Simulate predicts how a rolling deployment of four tasks at
// minimumHealthyPercent 50 and maximumPercent 200 goes.
func ExampleSimulate() {
	svc := &ecs.Service{
		ServiceARN: "arn:aws:ecs:us-east-1:123456789012:service/prod/web", ServiceName: "web",
		DesiredCount: 4, LaunchType: ecs.LaunchTypeEC2,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MinimumHealthyPercent: ptr(50), MaximumPercent: ptr(200)},
	}
	// Four tasks of web:1 run; the service is updated to web:2.
	rep, err := rollout.Simulate(context.Background(), svc, taskDefinition(1), taskDefinition(2), cluster(), rollout.WithSeed(1))
	if err != nil {
		panic(err)
	}
	for _, s := range rep.Steps {
		fmt.Printf("t=%3ds old %d healthy, new %d running %d healthy: +%d -%d\n",
			s.T, s.Old.Healthy, s.New.Running, s.New.Healthy, s.Started, s.Stopped)
	}
	fmt.Println(rep.Outcome, rep.DurationSeconds, "s")
	// Output:
	// t=  0s old 4 healthy, new 0 running 0 healthy: +4 -2
	// t= 30s old 2 healthy, new 4 running 0 healthy: +0 -0
	// t= 70s old 2 healthy, new 4 running 4 healthy: +0 -2
	// t=100s old 0 healthy, new 4 running 4 healthy: +0 -0
	// COMPLETED 100 s
}

// WithFaults injects failures: here no task of web:2 starts, and the
// circuit breaker fails the deployment and rolls back to web:1.
func ExampleWithFaults() {
	svc := &ecs.Service{
		ServiceARN: "arn:aws:ecs:us-east-1:123456789012:service/prod/web", ServiceName: "web",
		DesiredCount: 4, LaunchType: ecs.LaunchTypeEC2,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MinimumHealthyPercent: ptr(100), MaximumPercent: ptr(200),
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true}},
	}
	rep, err := rollout.Simulate(context.Background(), svc, taskDefinition(1), taskDefinition(2), cluster(),
		rollout.WithFaults(ecstest.TaskFaults{FailToStart: -1}), rollout.WithSeed(1))
	if err != nil {
		panic(err)
	}
	for _, s := range rep.Steps {
		fmt.Printf("t=%2ds +%d -%d\n", s.T, s.Started, s.Stopped)
		for _, e := range s.Events {
			if !strings.Contains(e, "has started") {
				fmt.Println("  ", e)
			}
		}
	}
	fmt.Println(rep.Outcome, "rolled back:", rep.RolledBack)
	// Output:
	// t= 0s +4 -0
	// t=30s +0 -0
	//    (service web) (deployment ecs-svc/4522410275139603566) deployment failed: tasks failed to start.
	//    (service web) rolling back to deployment ecs-svc/9506087726907147786.
	//    (service web) (deployment ecs-svc/6153213143191461524) deployment completed.
	//    (service web) has reached a steady state.
	// FAILED rolled back: true
}

func ptr[T any](v T) *T { return &v }
