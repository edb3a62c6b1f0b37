package ecstest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

// A scheduled task: an EventBridge rule that runs a task definition every
// 15 minutes, on the virtual clock.
func ExampleECS_PutRule() {
	ctx := context.Background()
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(start, 0)))
	defer e.Close()
	e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: "jobs"})
	e.LaunchInstance(ctx, "jobs", ecstest.Instance{InstanceType: "c5.large", AvailabilityZone: "us-east-1a"})
	memory := 128
	e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionRequest{Family: "report",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "report", Image: "busybox", Memory: &memory}}})

	rule, err := e.PutRule(ctx, &ecstest.PutRuleRequest{Name: "quarter-hourly", ScheduleExpression: "cron(0/15 * * * ? *)"})
	if err != nil {
		panic(err)
	}
	fmt.Println(rule.RuleArn)
	put, _ := e.PutTargets(ctx, &ecstest.PutTargetsRequest{Rule: "quarter-hourly", Targets: []ecstest.EventsTarget{{
		ID: "report", Arn: "arn:aws:ecs:us-east-1:123456789012:cluster/jobs", RoleArn: "arn:aws:iam::123456789012:role/ecsEventsRole",
		EcsParameters: &ecstest.EventsEcsParams{TaskDefinitionArn: "report", LaunchType: ecs.LaunchTypeEC2},
	}}})
	fmt.Println("failed entries:", put.FailedEntryCount)

	e.Clock().Advance(time.Hour)
	runs, _ := e.RuleInvocations(ctx, "quarter-hourly")
	for _, r := range runs {
		fmt.Println(r.Time.Format("15:04"), len(r.TaskArns), "task")
	}
	tasks, _ := e.ListTasks(ctx, &ecs.ListTasksRequest{Cluster: "jobs", StartedBy: "events-rule/quarter-hourly"})
	fmt.Println(len(tasks.TaskARNs), "tasks started by events-rule/quarter-hourly")
	// Output:
	// arn:aws:events:us-east-1:123456789012:rule/quarter-hourly
	// failed entries: 0
	// 00:15 1 task
	// 00:30 1 task
	// 00:45 1 task
	// 01:00 1 task
	// 4 tasks started by events-rule/quarter-hourly
}
