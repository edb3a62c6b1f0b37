package ecstest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// The developer guide pages the daemon tests encode.
const (
	docManagedDaemons   = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons.html"
	docDaemonDeploy     = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-deployments.html"
	docDaemonManage     = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-create-manage.html"
	docDaemonTaskDefs   = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-task-definitions.html"
	docCreateDaemonAPI  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateDaemon.html"
	docDeleteDaemonAPI  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteDaemon.html"
	docUpdateDaemonAPI  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateDaemon.html"
	docDeleteDaemonTDAP = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteDaemonTaskDefinition.html"
)

// daemonFleet creates the Managed Instances capacity provider "fleet"
// (rule 185: daemons run only on those), which never scales in idle
// instances, of c5.large instances (2048 CPU units, 3891 MiB), has ECS
// launch n of them, and makes it the default cluster's provider and
// default strategy. Its instances register DefaultLaunchTime after they
// launch.
func daemonFleet(t testing.TB, e *ECS, n int) {
	t.Helper()
	ctx := context.Background()
	_, err := e.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "fleet", Cluster: "default",
		ManagedInstancesProvider: miConfig(func(c *ecs.CreateManagedInstancesProviderConfiguration) {
			c.InstanceLaunchTemplate.InstanceRequirements.AllowedInstanceTypes = []string{"c5.large"}
			c.InfrastructureOptimization = &ecs.InfrastructureOptimization{ScaleInAfter: ptr(-1)}
		})})
	require.NoError(t, err)
	_, err = e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: "default", CapacityProviders: []string{"fleet"},
		DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "fleet", Weight: 1}}})
	require.NoError(t, err)
	launchManagedInstances(t, e, "fleet", "c5.large", n)
}

// launchManagedInstances has ECS launch n instances of type typ for the
// Managed Instances provider called name, as it does for waiting tasks.
func launchManagedInstances(t testing.TB, e *ECS, name, typ string, n int) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.providers[name]
	require.True(t, p != nil && p.mi != nil, "no Managed Instances provider %s", name)
	it, ok := e.catalog.Lookup(typ)
	require.True(t, ok, typ)
	for range n {
		e.launchManaged(p, it)
	}
}

// daemonTD registers a revision of the daemon task definition family
// "agent": one essential container of image, 256 CPU units and 512 MiB.
func daemonTD(t testing.TB, e *ECS, image string) string {
	t.Helper()
	resp, err := e.RegisterDaemonTaskDefinition(context.Background(), &ecs.RegisterDaemonTaskDefinitionRequest{
		Family: "agent",
		ContainerDefinitions: []ecs.DaemonContainerDefinition{{
			Name: "agent", Image: image, Essential: ptr(true), CPU: 256, Memory: ptr(512)}},
	})
	require.NoError(t, err)
	return resp.DaemonTaskDefinitionARN
}

// mustCreateDaemon creates the daemon "agent" of td on the provider "fleet".
func mustCreateDaemon(t testing.TB, e *ECS, td string, cfg *ecs.DaemonDeploymentConfiguration) *ecs.CreateDaemonResponse {
	t.Helper()
	resp, err := e.CreateDaemon(context.Background(), &ecs.CreateDaemonRequest{
		DaemonName: "agent", DaemonTaskDefinitionARN: td, CapacityProviderARNs: []string{"fleet"},
		DeploymentConfiguration: cfg,
	})
	require.NoError(t, err)
	return resp
}

// daemonTasks returns the daemon's tasks that are not STOPPED, by
// container instance ARN; it fails the test if an instance has two.
func daemonTasks(t testing.TB, e *ECS) map[string]ecs.Task {
	t.Helper()
	all, err := e.Tasks(context.Background(), "")
	require.NoError(t, err)
	out := map[string]ecs.Task{}
	for _, tk := range all {
		if tk.Group != "daemon:agent" || tk.LastStatus == ecs.TaskStatusStopped {
			continue
		}
		_, dup := out[tk.ContainerInstanceARN]
		require.False(t, dup, "two tasks of the daemon on %s", tk.ContainerInstanceARN)
		out[tk.ContainerInstanceARN] = tk
	}
	return out
}

// activeInstances returns the ARNs of the cluster's ACTIVE instances.
func activeInstances(t testing.TB, e *ECS) []string {
	t.Helper()
	resp, err := e.ListContainerInstances(context.Background(), &ecs.ListContainerInstancesRequest{Status: statusActive})
	require.NoError(t, err)
	return resp.ContainerInstanceARNs
}

// describeInstances describes container instances of the default
// cluster.
func describeInstances(t testing.TB, e *ECS, arns []string) []ecs.ContainerInstance {
	t.Helper()
	resp, err := e.DescribeContainerInstances(context.Background(), &ecs.DescribeContainerInstancesRequest{ContainerInstances: arns})
	require.NoError(t, err)
	require.Empty(t, resp.Failures)
	return resp.ContainerInstances
}

// describeDaemonDeployment describes one daemon deployment.
func describeDaemonDeployment(t testing.TB, e *ECS, arn string) ecs.DaemonDeployment {
	t.Helper()
	resp, err := e.DescribeDaemonDeployments(context.Background(), &ecs.DescribeDaemonDeploymentsRequest{DaemonDeploymentARNs: []string{arn}})
	require.NoError(t, err)
	require.Empty(t, resp.Failures)
	require.Len(t, resp.DaemonDeployments, 1)
	return resp.DaemonDeployments[0]
}

// apiErrorType returns the API exception type of err, or "".
func apiErrorType(err error) string {
	var ae *ecs.APIError
	if errors.As(err, &ae) {
		return ae.Type
	}
	return ""
}

// TestDaemonOnEachInstance: "Amazon ECS deploys exactly one daemon task on
// each container instance of the specified capacity providers. When a
// container instance registers with the cluster, Amazon ECS automatically
// starts daemon tasks." On an empty provider the creation completes at
// once. (docCreateDaemonAPI, docDaemonDeploy)
func TestDaemonOnEachInstance(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 0)
	td := daemonTD(t, e, "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1")
	created := mustCreateDaemon(t, e, td, nil)
	require.Equal(t, ecs.DaemonStatusActive, created.Status)
	require.Equal(t, ecs.DaemonDeploymentStatusPending, describeDaemonDeployment(t, e, created.DeploymentARN).Status)
	advance(e, time.Second)
	dep := describeDaemonDeployment(t, e, created.DeploymentARN)
	require.Equal(t, ecs.DaemonDeploymentStatusSuccessful, dep.Status, "no instance: the deployment completes at once (%s)", docDaemonDeploy)
	require.Equal(t, 25.0, *dep.DeploymentConfiguration.DrainPercent, "drainPercent defaults to 25")

	launchManagedInstances(t, e, "fleet", "c5.large", 3)
	advance(e, 2*time.Minute)
	insts := activeInstances(t, e)
	require.Len(t, insts, 3)
	tasks := daemonTasks(t, e)
	require.Len(t, tasks, 3, "one daemon task on each instance")
	for _, arn := range insts {
		tk, ok := tasks[arn]
		require.True(t, ok, "instance %s has no daemon task", arn)
		require.Equal(t, ecs.TaskStatusRunning, tk.LastStatus)
		require.Equal(t, td, tk.TaskDefinitionARN)
		require.Equal(t, "fleet", tk.CapacityProviderName)
	}
	d, err := e.DescribeDaemon(ctx, &ecs.DescribeDaemonRequest{DaemonARN: created.DaemonARN})
	require.NoError(t, err)
	require.Len(t, d.Daemon.CurrentRevisions, 1)
	require.Equal(t, 3, d.Daemon.CurrentRevisions[0].TotalRunningCount)
	require.Equal(t, []ecs.DaemonCapacityProvider{{ARN: "arn:aws:ecs:us-east-1:123456789012:capacity-provider/fleet", RunningCount: 3}},
		d.Daemon.CurrentRevisions[0].CapacityProviders)

	// Each daemon task holds its instance's resources like any task.
	cis := describeInstances(t, e, insts)
	for _, ci := range cis {
		require.Equal(t, 1, ci.RunningTasksCount)
		for _, r := range ci.RemainingResources {
			if r.Name == "CPU" {
				require.Equal(t, 2048-256, r.IntegerValue)
			}
		}
	}
}

// TestDaemonStartsBeforeOtherTasks: "When you run an application task on
// a Amazon ECS Managed Instances capacity provider, Amazon ECS provisions
// an Amazon EC2 instance, starts the daemon task first, and only then
// transitions the application task to RUNNING." (docManagedDaemons)
func TestDaemonStartsBeforeOtherTasks(t *testing.T) {
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	td := daemonTD(t, e, "agent:1")
	mustCreateDaemon(t, e, td, nil)
	miTaskDef(t, e, "work", 512, 1024)
	mustCreateService(t, e, "web", "work", 2)
	advance(e, 3*time.Minute)
	daemons := daemonTasks(t, e)
	require.Len(t, daemons, 1)
	apps := serviceTasks(t, e, "web")
	require.Len(t, apps, 2)
	for _, app := range apps {
		dt := daemons[app.ContainerInstanceARN]
		require.NotEmpty(t, dt.TaskARN, "the application task's instance runs the daemon")
		// The application tasks wait PROVISIONING for the instance
		// ECS launches; once it registers, the daemon task is the first
		// to pull its images.
		require.False(t, app.PullStartedAt.IsZero())
		require.False(t, app.PullStartedAt.Before(dt.PullStartedAt.Time), "the daemon task is placed first")
		require.False(t, app.StartedAt.Before(dt.StartedAt.Time), "the application task runs after the daemon task")
	}
}

// TestDaemonTaskFailsToStart: "For a critical daemon, a task that fails
// to start keeps the instance from becoming active": the application task
// placed there never runs there, and the instance is drained and replaced.
// (docManagedDaemons)
func TestDaemonTaskFailsToStart(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	td := daemonTD(t, e, "agent:1")
	mustCreateDaemon(t, e, td, nil)
	require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: td, FailToStart: 1}))
	miTaskDef(t, e, "work", 1024, 1024)
	mustCreateService(t, e, "web", "work", 1)
	advance(e, 61*time.Second) // the first instance registers; its daemon task and the service's are placed
	first := activeInstances(t, e)
	require.Len(t, first, 1)
	apps := serviceTasks(t, e, "web")
	require.Len(t, apps, 1)
	require.Equal(t, first[0], apps[0].ContainerInstanceARN)

	advance(e, 5*time.Minute)
	all, err := e.Tasks(ctx, "")
	require.NoError(t, err)
	for _, tk := range all {
		if tk.Group == "service:web" && tk.ContainerInstanceARN == first[0] {
			require.True(t, tk.StartedAt.IsZero(), "no application task ran on the instance whose daemon failed to start")
		}
	}
	cis := describeInstances(t, e, first)
	require.Equal(t, statusInactive, cis[0].Status, "the instance was drained and terminated")
	now := activeInstances(t, e)
	require.Len(t, now, 1, "the provider replaced it")
	require.NotEqual(t, first[0], now[0])
	require.Equal(t, ecs.TaskStatusRunning, daemonTasks(t, e)[now[0]].LastStatus)
	apps = serviceTasks(t, e, "web")
	require.Len(t, apps, 1)
	require.Equal(t, ecs.TaskStatusRunning, apps[0].LastStatus)
	require.Equal(t, now[0], apps[0].ContainerInstanceARN)
}

// TestDaemonTaskStopsInstanceReplaced: "Daemons are essential for
// instance health - if a daemon task stops, Amazon ECS automatically
// drains and replaces that container instance." The service's task moves
// to the replacement, which runs the daemon. (docCreateDaemonAPI)
func TestDaemonTaskStopsInstanceReplaced(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 2)
	td := daemonTD(t, e, "agent:1")
	mustCreateDaemon(t, e, td, nil)
	miTaskDef(t, e, "work", 1024, 1024)
	mustCreateService(t, e, "web", "work", 2)
	advance(e, 3*time.Minute)
	before := activeInstances(t, e)
	require.Len(t, before, 2)
	victim := daemonTasks(t, e)[before[0]]
	_, err := e.StopTask(ctx, &ecs.StopTaskRequest{Task: victim.TaskARN, Reason: "a test stops the daemon"})
	require.NoError(t, err)
	for describeTask(t, e, victim.TaskARN).LastStatus != ecs.TaskStatusStopped {
		advance(e, time.Second)
	}
	cis := describeInstances(t, e, before[:1])
	require.Equal(t, statusDraining, cis[0].Status, "the instance drains at once")

	advance(e, 5*time.Minute)
	cis = describeInstances(t, e, before[:1])
	require.Equal(t, statusInactive, cis[0].Status, "the drained instance is terminated once empty")
	after := activeInstances(t, e)
	require.Len(t, after, 2, "and replaced")
	tasks := daemonTasks(t, e)
	for _, arn := range after {
		require.Equal(t, ecs.TaskStatusRunning, tasks[arn].LastStatus)
	}
	svc := requireSteady(t, e, time.Minute)
	require.Equal(t, 2, svc.RunningCount)
}

// TestDaemonRollingDeployment: "Amazon ECS drains a batch of instances,
// provisions replacement instances with the updated daemon, and replaces
// application tasks automatically. This process repeats until all
// instances run the new daemon revision", drainPercent of them at a time.
// (docDaemonDeploy)
func TestDaemonRollingDeployment(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 4)
	v1 := daemonTD(t, e, "agent:1")
	created := mustCreateDaemon(t, e, v1, nil)
	miTaskDef(t, e, "work", 512, 512)
	mustCreateService(t, e, "web", "work", 4)
	advance(e, 3*time.Minute)
	require.Len(t, daemonTasks(t, e), 4)
	old := activeInstances(t, e)

	v2 := daemonTD(t, e, "agent:2")
	upd, err := e.UpdateDaemon(ctx, &ecs.UpdateDaemonRequest{DaemonARN: created.DaemonARN, DaemonTaskDefinitionARN: v2,
		CapacityProviderARNs:    []string{"arn:aws:ecs:us-east-1:123456789012:capacity-provider/fleet"},
		DeploymentConfiguration: &ecs.DaemonDeploymentConfiguration{DrainPercent: ptr(50.0), BakeTimeInMinutes: 2}})
	require.NoError(t, err)
	require.NotEqual(t, created.DeploymentARN, upd.DeploymentARN)

	oldSet := map[string]bool{}
	for _, arn := range old {
		oldSet[arn] = true
	}
	var allUpdatedAt time.Time
	maxDraining := 0
	for i := 0; i < 30*60 && describeDaemonDeployment(t, e, upd.DeploymentARN).Status != ecs.DaemonDeploymentStatusSuccessful; i++ {
		now := advance(e, time.Second)
		cis := describeInstances(t, e, old)
		draining := 0
		for _, ci := range cis {
			if ci.Status == statusDraining {
				draining++
			}
		}
		require.LessOrEqual(t, draining, 2, "drainPercent 50 of 4 instances: at most 2 drain at once")
		maxDraining = max(maxDraining, draining)
		tasks := daemonTasks(t, e)
		updated := len(activeInstances(t, e)) == 4
		for _, arn := range activeInstances(t, e) {
			updated = updated && !oldSet[arn] && tasks[arn].TaskDefinitionARN == v2 && tasks[arn].LastStatus == ecs.TaskStatusRunning
		}
		if updated && allUpdatedAt.IsZero() {
			allUpdatedAt = now
		}
	}
	dep := describeDaemonDeployment(t, e, upd.DeploymentARN)
	require.Equal(t, ecs.DaemonDeploymentStatusSuccessful, dep.Status)
	require.False(t, allUpdatedAt.IsZero())
	require.Equal(t, 2, maxDraining, "a batch is 2 instances")
	require.GreaterOrEqual(t, dep.FinishedAt.Sub(allUpdatedAt), 2*time.Minute, "the bake time runs after every instance is updated")
	require.Equal(t, 4, *dep.TargetDaemonRevision.TotalRunningInstanceCount)
	require.Len(t, dep.SourceDaemonRevisions, 1)
	require.Equal(t, ecs.DaemonDeploymentStatusSuccessful, describeDaemonDeployment(t, e, created.DeploymentARN).Status, "the first deployment had ended")
	svc := requireSteady(t, e, time.Minute)
	require.Equal(t, 4, svc.RunningCount, "the application tasks were replaced")

	// Both deployments are listed, newest first, and their revisions
	// described.
	list, err := e.ListDaemonDeployments(ctx, &ecs.ListDaemonDeploymentsRequest{DaemonARN: created.DaemonARN})
	require.NoError(t, err)
	require.Len(t, list.DaemonDeployments, 2)
	require.Equal(t, upd.DeploymentARN, list.DaemonDeployments[0].DaemonDeploymentARN)
	require.Equal(t, created.DeploymentARN, list.DaemonDeployments[1].DaemonDeploymentARN)
	list, err = e.ListDaemonDeployments(ctx, &ecs.ListDaemonDeploymentsRequest{DaemonARN: created.DaemonARN,
		Status: []ecs.DaemonDeploymentStatus{ecs.DaemonDeploymentStatusInProgress}})
	require.NoError(t, err)
	require.Empty(t, list.DaemonDeployments)
	revs, err := e.DescribeDaemonRevisions(ctx, &ecs.DescribeDaemonRevisionsRequest{DaemonRevisionARNs: []string{
		dep.TargetDaemonRevision.ARN, dep.SourceDaemonRevisions[0].ARN, "arn:aws:ecs:us-east-1:123456789012:daemon-revision/default/agent/1"}})
	require.NoError(t, err)
	require.Len(t, revs.DaemonRevisions, 2)
	require.Equal(t, v2, revs.DaemonRevisions[0].DaemonTaskDefinitionARN)
	require.Equal(t, v1, revs.DaemonRevisions[1].DaemonTaskDefinitionARN)
	require.Equal(t, []ecs.DaemonContainerImage{{ContainerName: "agent", Image: "agent:2"}}, revs.DaemonRevisions[0].ContainerImages)
	require.Equal(t, []ecs.Failure{{ARN: "arn:aws:ecs:us-east-1:123456789012:daemon-revision/default/agent/1", Reason: "MISSING"}}, revs.Failures)
	d, err := e.DescribeDaemon(ctx, &ecs.DescribeDaemonRequest{DaemonARN: created.DaemonARN})
	require.NoError(t, err)
	require.Len(t, d.Daemon.CurrentRevisions, 1)
	require.Equal(t, dep.TargetDaemonRevision.ARN, d.Daemon.CurrentRevisions[0].ARN)
	require.Equal(t, upd.DeploymentARN, d.Daemon.DeploymentARN)
}

// TestDaemonCircuitBreakerRollback: "Amazon ECS automatically rolls back
// to the previous daemon revision if the deployment circuit breaker
// detects failures". (docDaemonDeploy)
func TestDaemonCircuitBreakerRollback(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 2)
	v1 := daemonTD(t, e, "agent:1")
	created := mustCreateDaemon(t, e, v1, nil)
	advance(e, 3*time.Minute)
	v2 := daemonTD(t, e, "agent:broken")
	require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: v2, FailToStart: -1}))
	upd, err := e.UpdateDaemon(ctx, &ecs.UpdateDaemonRequest{DaemonARN: created.DaemonARN, DaemonTaskDefinitionARN: v2,
		CapacityProviderARNs: []string{"fleet"}, DeploymentConfiguration: &ecs.DaemonDeploymentConfiguration{DrainPercent: ptr(100.0)}})
	require.NoError(t, err)
	advance(e, 30*time.Minute)
	dep := describeDaemonDeployment(t, e, upd.DeploymentARN)
	require.Equal(t, ecs.DaemonDeploymentStatusRollbackSuccessful, dep.Status, dep.StatusReason)
	require.NotNil(t, dep.Rollback)
	require.Equal(t, dep.SourceDaemonRevisions[0].ARN, dep.Rollback.RollbackTargetDaemonRevisionARN)
	require.Equal(t, ecs.DaemonDeploymentRollbackMonitorsStatusTriggered, dep.CircuitBreaker.Status)
	require.Equal(t, 3, dep.CircuitBreaker.Threshold)
	tasks := daemonTasks(t, e)
	require.Len(t, tasks, 2)
	for _, tk := range tasks {
		require.Equal(t, v1, tk.TaskDefinitionARN, "the instances run the previous revision again")
		require.Equal(t, ecs.TaskStatusRunning, tk.LastStatus)
	}
}

// TestDaemonAlarmRollback: "Amazon ECS evaluates the specified alarms
// during the deployment and automatically rolls back if any alarm enters
// the ALARM state", during the bake time too. (docDaemonDeploy)
func TestDaemonAlarmRollback(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	v1 := daemonTD(t, e, "agent:1")
	created := mustCreateDaemon(t, e, v1, nil)
	advance(e, 3*time.Minute)
	v2 := daemonTD(t, e, "agent:2")
	upd, err := e.UpdateDaemon(ctx, &ecs.UpdateDaemonRequest{DaemonARN: created.DaemonARN, DaemonTaskDefinitionARN: v2,
		CapacityProviderARNs: []string{"fleet"}, DeploymentConfiguration: &ecs.DaemonDeploymentConfiguration{
			BakeTimeInMinutes: 10, Alarms: &ecs.DaemonAlarmConfiguration{Enable: true, AlarmNames: []string{"errors"}}}})
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	require.Equal(t, ecs.DaemonDeploymentStatusInProgress, describeDaemonDeployment(t, e, upd.DeploymentARN).Status, "baking")
	e.SetAlarm(ctx, "errors", true)
	advance(e, 10*time.Minute)
	dep := describeDaemonDeployment(t, e, upd.DeploymentARN)
	require.Equal(t, ecs.DaemonDeploymentStatusRollbackSuccessful, dep.Status, dep.StatusReason)
	require.Equal(t, ecs.DaemonDeploymentRollbackMonitorsStatusTriggered, dep.Alarms.Status)
	require.Equal(t, []string{"errors"}, dep.Alarms.TriggeredAlarmNames)
	for _, tk := range daemonTasks(t, e) {
		require.Equal(t, v1, tk.TaskDefinitionARN)
	}
}

// TestDeleteDaemon: "Deleting a daemon stops all running daemon tasks on
// the associated container instances. Amazon ECS drains existing
// container instances and provisions new instances without the deleted
// daemon." The daemon must be ACTIVE to be deleted or updated.
// (docDeleteDaemonAPI, docUpdateDaemonAPI)
func TestDeleteDaemon(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 2)
	td := daemonTD(t, e, "agent:1")
	created := mustCreateDaemon(t, e, td, nil)
	advance(e, 3*time.Minute)
	require.Len(t, daemonTasks(t, e), 2)
	del, err := e.DeleteDaemon(ctx, &ecs.DeleteDaemonRequest{DaemonARN: created.DaemonARN})
	require.NoError(t, err)
	require.Equal(t, ecs.DaemonStatusDeleteInProgress, del.Status)
	_, err = e.DeleteDaemon(ctx, &ecs.DeleteDaemonRequest{DaemonARN: created.DaemonARN})
	require.Equal(t, "DaemonNotActiveException", apiErrorType(err))
	_, err = e.UpdateDaemon(ctx, &ecs.UpdateDaemonRequest{DaemonARN: created.DaemonARN, DaemonTaskDefinitionARN: td, CapacityProviderARNs: []string{"fleet"}})
	require.Equal(t, "DaemonNotActiveException", apiErrorType(err))

	advance(e, 10*time.Minute)
	require.Equal(t, ecs.DaemonDeploymentStatusSuccessful, describeDaemonDeployment(t, e, del.DeploymentARN).Status)
	require.Empty(t, daemonTasks(t, e), "no instance runs the deleted daemon")
	require.Len(t, activeInstances(t, e), 2, "the drained instances were replaced")
	_, err = e.DescribeDaemon(ctx, &ecs.DescribeDaemonRequest{DaemonARN: created.DaemonARN})
	require.Equal(t, "DaemonNotFoundException", apiErrorType(err))
	list, err := e.ListDaemons(ctx, &ecs.ListDaemonsRequest{})
	require.NoError(t, err)
	require.Empty(t, list.DaemonSummariesList)

	// The name can be used again.
	again := mustCreateDaemon(t, e, td, nil)
	require.Equal(t, created.DaemonARN, again.DaemonARN)
}

// TestDaemonAlarmAlreadyInAlarm: "Amazon ECS ignores alarms that are
// already in the ALARM state when the deployment begins." (docDaemonDeploy)
func TestDaemonAlarmAlreadyInAlarm(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	created := mustCreateDaemon(t, e, daemonTD(t, e, "agent:1"), nil)
	advance(e, 3*time.Minute)
	e.SetAlarm(ctx, "errors", true)
	upd, err := e.UpdateDaemon(ctx, &ecs.UpdateDaemonRequest{DaemonARN: created.DaemonARN, DaemonTaskDefinitionARN: daemonTD(t, e, "agent:2"),
		CapacityProviderARNs: []string{"fleet"}, DeploymentConfiguration: &ecs.DaemonDeploymentConfiguration{
			Alarms: &ecs.DaemonAlarmConfiguration{Enable: true, AlarmNames: []string{"errors"}}}})
	require.NoError(t, err)
	advance(e, 10*time.Minute)
	dep := describeDaemonDeployment(t, e, upd.DeploymentARN)
	require.Equal(t, ecs.DaemonDeploymentStatusSuccessful, dep.Status, dep.StatusReason)
	require.Equal(t, ecs.DaemonDeploymentRollbackMonitorsStatusMonitoringComplete, dep.Alarms.Status)
}

// TestDaemonRollbackFails: a rollback whose own tasks fail as often as
// the circuit breaker's threshold ends ROLLBACK_FAILED; a daemon's first
// deployment, with no revision to go back to, is STOPPED. (docDaemonDeploy)
func TestDaemonRollbackFails(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	v1 := daemonTD(t, e, "agent:1")
	require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "agent", FailToStart: -1}))
	created := mustCreateDaemon(t, e, v1, nil)
	advance(e, 20*time.Minute)
	first := describeDaemonDeployment(t, e, created.DeploymentARN)
	require.Equal(t, ecs.DaemonDeploymentStatusStopped, first.Status, first.StatusReason)
	require.Equal(t, ecs.DaemonDeploymentRollbackMonitorsStatusTriggered, first.CircuitBreaker.Status)
	require.Nil(t, first.Rollback)

	upd, err := e.UpdateDaemon(ctx, &ecs.UpdateDaemonRequest{DaemonARN: created.DaemonARN, DaemonTaskDefinitionARN: daemonTD(t, e, "agent:2"),
		CapacityProviderARNs: []string{"fleet"}})
	require.NoError(t, err)
	advance(e, 40*time.Minute)
	dep := describeDaemonDeployment(t, e, upd.DeploymentARN)
	require.Equal(t, ecs.DaemonDeploymentStatusRollbackFailed, dep.Status, dep.StatusReason)
	require.NotNil(t, dep.Rollback)
}

// TestDaemonOnlyManagedInstances: "ECS Managed Daemons is only supported
// for Amazon ECS Managed Instances Capacity Providers" (rule 185:
// docCreateDaemonAPI, UpdateDaemon's too): CreateDaemon and UpdateDaemon
// refuse an Auto Scaling group capacity provider, alone or beside a
// Managed Instances one, with an InvalidParameterException naming
// capacityProviderArns, and change nothing.
func TestDaemonOnlyManagedInstances(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	arn, err := e.CreateAutoScalingGroup(ctx, AutoScalingGroup{Name: "workers", InstanceType: "c5.large", MaxSize: 4, DesiredCapacity: 1})
	require.NoError(t, err)
	_, err = e.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "asg",
		AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: arn}})
	require.NoError(t, err)
	_, err = e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: "default", CapacityProviders: []string{"fleet", "asg"},
		DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "fleet", Weight: 1}}})
	require.NoError(t, err)
	advance(e, 2*time.Minute)
	td := daemonTD(t, e, "agent:1")
	for _, providers := range [][]string{{"asg"}, {"fleet", "asg"}, {"arn:aws:ecs:us-east-1:123456789012:capacity-provider/asg"}} {
		_, err := e.CreateDaemon(ctx, &ecs.CreateDaemonRequest{DaemonName: "agent", DaemonTaskDefinitionARN: td, CapacityProviderARNs: providers})
		require.Error(t, err, "%v", providers)
		require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))
		require.Contains(t, err.Error(), "capacityProviderArns")
		require.Contains(t, err.Error(), "Managed Instances")
	}
	list, err := e.ListDaemons(ctx, &ecs.ListDaemonsRequest{})
	require.NoError(t, err)
	require.Empty(t, list.DaemonSummariesList, "a refused daemon is not created")

	created := mustCreateDaemon(t, e, td, nil)
	advance(e, time.Minute)
	_, err = e.UpdateDaemon(ctx, &ecs.UpdateDaemonRequest{DaemonARN: created.DaemonARN, DaemonTaskDefinitionARN: daemonTD(t, e, "agent:2"),
		CapacityProviderARNs: []string{"fleet", "asg"}})
	require.Error(t, err)
	require.Equal(t, ecs.InvalidParameterException, apiErrorType(err))
	require.Contains(t, err.Error(), "capacityProviderArns")
	deps, err := e.ListDaemonDeployments(ctx, &ecs.ListDaemonDeploymentsRequest{DaemonARN: created.DaemonARN})
	require.NoError(t, err)
	require.Len(t, deps.DaemonDeployments, 1, "a refused update starts no deployment")
	tasks := daemonTasks(t, e)
	require.Len(t, tasks, 1, "the daemon runs on the Managed Instances provider's instance only")
	for _, tk := range tasks {
		require.Equal(t, "fleet", tk.CapacityProviderName)
	}
}

// TestDeletedDaemonsPruned: a deleted daemon is no longer found once its
// deletion has ended (DeleteDaemon, docDeleteDaemonAPI), so ecstest
// forgets it: the daemons created and deleted leave nothing in the list,
// the index by ARN or the client tokens, while their deployments and
// revisions stay describable.
func TestDeletedDaemonsPruned(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	td := daemonTD(t, e, "agent:1")
	var dels []string
	for i := range 3 {
		created, err := e.CreateDaemon(ctx, &ecs.CreateDaemonRequest{DaemonName: fmt.Sprintf("agent-%d", i), DaemonTaskDefinitionARN: td,
			CapacityProviderARNs: []string{"fleet"}, ClientToken: fmt.Sprintf("token-%d", i)})
		require.NoError(t, err)
		advance(e, 3*time.Minute)
		del, err := e.DeleteDaemon(ctx, &ecs.DeleteDaemonRequest{DaemonARN: created.DaemonARN})
		require.NoError(t, err)
		advance(e, 10*time.Minute)
		dels = append(dels, del.DeploymentARN)
	}
	e.mu.Lock()
	all, byARN, tokens := len(e.daemons.all), len(e.daemons.byARN), len(e.daemons.tokens)
	e.mu.Unlock()
	require.Zero(t, all, "daemons listed")
	require.Zero(t, byARN, "daemons indexed by ARN")
	require.Zero(t, tokens, "client tokens")
	for _, arn := range dels {
		dep := describeDaemonDeployment(t, e, arn)
		require.Equal(t, ecs.DaemonDeploymentStatusSuccessful, dep.Status)
		require.Len(t, dep.SourceDaemonRevisions, 1)
		revs, err := e.DescribeDaemonRevisions(ctx, &ecs.DescribeDaemonRevisionsRequest{DaemonRevisionARNs: []string{dep.SourceDaemonRevisions[0].ARN}})
		require.NoError(t, err)
		require.Empty(t, revs.Failures)
		require.Len(t, revs.DaemonRevisions, 1)
	}
}
