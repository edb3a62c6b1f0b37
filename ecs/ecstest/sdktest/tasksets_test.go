package sdktest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/stretchr/testify/require"
)

// TestCodeDeployFlow drives a CODE_DEPLOY service through the task set
// operations as CodeDeploy does in a blue/green deployment
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html):
// CreateService makes the original task set; the replacement task set of
// the new revision is created behind the second target group, made
// PRIMARY, and the original deleted.
func TestCodeDeployFlow(t *testing.T) {
	ctx := context.Background()
	client, e := newServer(t, 0)
	sixInstances(t, client)
	for range 2 {
		_, err := client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
		require.NoError(t, err)
	}
	tg := func(name string) *string {
		return aws.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/" + name + "/0123456789abcdef")
	}
	created, err := client.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String("prod"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int32(3),
		DeploymentController: &types.DeploymentController{Type: types.DeploymentControllerTypeCodeDeploy},
		LoadBalancers:        []types.LoadBalancer{{TargetGroupArn: tg("blue"), ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}},
	})
	require.NoError(t, err)
	require.Len(t, created.Service.TaskSets, 1)
	blue := created.Service.TaskSets[0]
	require.Equal(t, "PRIMARY", aws.ToString(blue.Status))

	_, err = client.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("web"), TaskDefinition: aws.String("web:2")})
	var invalid *types.InvalidParameterException
	require.ErrorAs(t, err, &invalid, "a new revision goes through CodeDeploy")

	green, err := client.CreateTaskSet(ctx, &ecs.CreateTaskSetInput{
		Cluster: aws.String("prod"), Service: aws.String("web"), TaskDefinition: aws.String("web:2"), ExternalId: aws.String("d-EXAMPLE1"),
		Scale:         &types.Scale{Value: 100, Unit: types.ScaleUnitPercent},
		LoadBalancers: []types.LoadBalancer{{TargetGroupArn: tg("green"), ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}},
	})
	require.NoError(t, err)
	require.Equal(t, "CODE_DEPLOY", aws.ToString(green.TaskSet.StartedBy))
	require.EqualValues(t, 3, green.TaskSet.ComputedDesiredCount)

	// Both task sets reach a steady state before traffic moves.
	e.Clock().Advance(3 * time.Minute)
	sets, err := client.DescribeTaskSets(ctx, &ecs.DescribeTaskSetsInput{Cluster: aws.String("prod"), Service: aws.String("web")})
	require.NoError(t, err)
	require.Len(t, sets.TaskSets, 2)
	for _, ts := range sets.TaskSets {
		require.Equal(t, types.StabilityStatusSteadyState, ts.StabilityStatus, aws.ToString(ts.Id))
		require.EqualValues(t, 3, ts.RunningCount)
	}

	_, err = client.UpdateServicePrimaryTaskSet(ctx, &ecs.UpdateServicePrimaryTaskSetInput{
		Cluster: aws.String("prod"), Service: aws.String("web"), PrimaryTaskSet: green.TaskSet.TaskSetArn})
	require.NoError(t, err)
	_, err = client.DeleteTaskSet(ctx, &ecs.DeleteTaskSetInput{Cluster: aws.String("prod"), Service: aws.String("web"), TaskSet: blue.Id, Force: aws.Bool(true)})
	require.NoError(t, err)
	e.Clock().Advance(10 * time.Minute) // past the target group's deregistration delay

	desc, err := client.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"web"}})
	require.NoError(t, err)
	svc := desc.Services[0]
	require.Len(t, svc.TaskSets, 1)
	require.Equal(t, aws.ToString(green.TaskSet.Id), aws.ToString(svc.TaskSets[0].Id))
	require.Equal(t, aws.ToString(green.TaskSet.TaskDefinition), aws.ToString(svc.TaskDefinition))
	require.EqualValues(t, 3, svc.RunningCount)
	require.Empty(t, svc.Deployments)

	list, err := client.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("prod"), ServiceName: aws.String("web")})
	require.NoError(t, err)
	tasks, err := client.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("prod"), Tasks: list.TaskArns})
	require.NoError(t, err)
	require.Len(t, tasks.Tasks, 3)
	for _, tk := range tasks.Tasks {
		require.Equal(t, aws.ToString(green.TaskSet.Id), aws.ToString(tk.StartedBy), "tasks are started by their task set")
	}

	_, err = client.DeleteTaskSet(ctx, &ecs.DeleteTaskSetInput{Cluster: aws.String("prod"), Service: aws.String("web"), TaskSet: green.TaskSet.Id})
	var invalidDelete *types.InvalidParameterException
	require.ErrorAs(t, err, &invalidDelete, "the PRIMARY task set is not deleted")
	_, err = client.UpdateTaskSet(ctx, &ecs.UpdateTaskSetInput{Cluster: aws.String("prod"), Service: aws.String("web"), TaskSet: blue.Id,
		Scale: &types.Scale{Value: 50, Unit: types.ScaleUnitPercent}})
	var notFound *types.TaskSetNotFoundException
	require.ErrorAs(t, err, &notFound, "the deleted task set is gone")
}
