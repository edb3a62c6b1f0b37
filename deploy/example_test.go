package deploy_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
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
	old, next := taskDefinition(1), taskDefinition(2)
	tds := map[string]*ecs.TaskDefinition{old.TaskDefinitionARN: old, next.TaskDefinitionARN: next}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	svc := &ecs.Service{
		ServiceARN: "arn:aws:ecs:us-east-1:123456789012:service/prod/web", ServiceName: "web",
		DesiredCount: 4, LaunchType: ecs.LaunchTypeEC2,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MinimumHealthyPercent: ptr(50), MaximumPercent: ptr(200)},
		Deployments: []ecs.Deployment{{ID: deploy.DeploymentID(1, 0), Status: "PRIMARY",
			TaskDefinition: old.TaskDefinitionARN, DesiredCount: 4, RunningCount: 4}},
	}
	// The four tasks of web:1 run; then the service is updated to web:2.
	tasks, instances, err := deploy.RunningTasks(svc, &svc.Deployments[0], old, 4, cluster(), 1, start.Add(-time.Hour))
	if err != nil {
		panic(err)
	}
	svc = deploy.StartDeployment(svc, next.TaskDefinitionARN, deploy.DeploymentID(1, 1), start)
	rep, err := deploy.Simulate(context.Background(), deploy.Simulation{
		Service: svc, TaskDefinitions: tds, Instances: instances, Tasks: tasks,
		NewPlacer: deploy.PlacementPlacer(tds, nil), Start: start,
	})
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

// Threshold gives the circuit breaker's failure threshold.
func ExampleThreshold() {
	for _, desired := range []int{1, 4, 25, 400, 800} {
		fmt.Print(deploy.Threshold(nil, desired), " ")
	}
	fmt.Println()
	// Output: 3 3 13 200 200
}

// BoundsFor gives a deployment's limits in tasks.
func ExampleBoundsFor() {
	cfg := &ecs.DeploymentConfiguration{MinimumHealthyPercent: ptr(75), MaximumPercent: ptr(125)}
	fmt.Printf("%+v\n", deploy.BoundsFor(3, ecs.SchedulingStrategyReplica, cfg))
	// Output: {Minimum:3 Maximum:3}
}

func ptr[T any](v T) *T { return &v }
