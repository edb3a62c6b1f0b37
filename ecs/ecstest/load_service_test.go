package ecstest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// Fixtures of a service loaded from describe outputs: web:1 and web:2 of
// 256 CPU units and 512 MiB, not registered; instances of 2 vCPU and
// 4 GiB; tasks of web:1 RUNNING for an hour.
const (
	loadedOld = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"
	loadedNew = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"
	loadedDep = "ecs-svc/1111111111111111111"
)

func loadedTaskDefinition(arn string) *ecs.TaskDefinition {
	family, rev := "web", 1
	if arn == loadedNew {
		rev = 2
	}
	return &ecs.TaskDefinition{TaskDefinitionARN: arn, Family: family, Revision: rev, CPU: "256", Memory: "512",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "web", Image: "nginx"}}}
}

// loadedInstances returns n instances over the zones given, in turn.
func loadedInstances(n int, zones ...string) []ecs.ContainerInstance {
	out := make([]ecs.ContainerInstance, n)
	for i := range out {
		out[i] = ecs.ContainerInstance{
			ContainerInstanceARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/default/%032x", i+1),
			EC2InstanceID:        fmt.Sprintf("i-%017x", i+1), Status: "ACTIVE", AgentConnected: true,
			RegisteredResources: ecs.Resources{CPU: 2048, MemoryMiB: 4096}.ResourceList(),
			Attributes:          []ecs.Attribute{{Name: ecs.AttrAvailabilityZone, Value: zones[i%len(zones)]}},
		}
	}
	return out
}

// loadedTasks returns n RUNNING tasks of td, started by dep an hour
// before t0, on the instances in turn.
func loadedTasks(n int, td, dep string, insts []ecs.ContainerInstance) []ecs.Task {
	out := make([]ecs.Task, n)
	for i := range out {
		started := ecs.NewTime(t0.Add(-time.Hour))
		out[i] = ecs.Task{
			TaskARN:           fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/default/%032x", 0xbeef00+i),
			TaskDefinitionARN: td, Group: "service:web", StartedBy: dep,
			ContainerInstanceARN: insts[i%len(insts)].ContainerInstanceARN,
			LastStatus:           ecs.TaskStatusRunning, DesiredStatus: ecs.DesiredStatusRunning,
			CPU: "256", Memory: "512", CreatedAt: started, StartedAt: started,
			Containers: []ecs.Container{{Name: "web", Image: "nginx", LastStatus: ecs.TaskStatusRunning}},
		}
	}
	return out
}

// loadedService is web, 3 tasks of web:1 at 100/200, rolling to web:2
// when rolling is set.
func loadedService(rolling bool) *ecs.Service {
	svc := &ecs.Service{
		ServiceName: "web", DesiredCount: 3, TaskDefinition: loadedOld, LaunchType: ecs.LaunchTypeEC2,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MinimumHealthyPercent: ptr(100), MaximumPercent: ptr(200)},
		Deployments: []ecs.Deployment{{ID: loadedDep, Status: "PRIMARY", TaskDefinition: loadedOld, DesiredCount: 3,
			RunningCount: 3, RolloutState: ecs.DeploymentRolloutStateCompleted}},
	}
	if rolling {
		svc = deploy.StartDeployment(svc, loadedNew, "ecs-svc/2222222222222222222", t0)
	}
	return svc
}

// loadWeb loads insts and tasks into the default cluster and then svc.
func loadWeb(t *testing.T, e *ECS, svc *ecs.Service, insts []ecs.ContainerInstance, tasks []ecs.Task, mem *deploy.Memory) *ecs.Service {
	t.Helper()
	ctx := context.Background()
	_, _, err := e.LoadCluster(ctx, "", insts, tasks)
	require.NoError(t, err)
	out, err := e.LoadService(ctx, "", LoadServiceInput{Service: svc,
		TaskDefinitions: []*ecs.TaskDefinition{loadedTaskDefinition(loadedOld), loadedTaskDefinition(loadedNew)}, Memory: mem})
	require.NoError(t, err)
	return out
}

// A service loaded in the middle of a deployment goes on with it, from
// the tasks LoadCluster loaded, under the deployment IDs it had.
func TestLoadServiceGoesOn(t *testing.T) {
	e := newTestECS(t)
	insts := loadedInstances(3, "us-east-1a", "us-east-1b", "us-east-1c")
	loaded := loadWeb(t, e, loadedService(true), insts, loadedTasks(3, loadedOld, loadedDep, insts), nil)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:service/default/web", loaded.ServiceARN)
	require.Equal(t, 100, *loaded.DeploymentConfiguration.MinimumHealthyPercent)
	require.NotNil(t, loaded.DeploymentConfiguration.DeploymentCircuitBreaker, "CreateService's defaults")

	advance(e, 0)
	svc := describeService(t, e, "web")
	require.Equal(t, 3, svc.PendingCount, "the first step starts the new tasks")
	require.Equal(t, 3, svc.RunningCount, "beside the old ones")
	advance(e, 5*time.Minute)
	svc = describeService(t, e, "web")
	require.Len(t, svc.Deployments, 1)
	require.Equal(t, "ecs-svc/2222222222222222222", svc.Deployments[0].ID)
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, svc.Deployments[0].RolloutState)
	tasks := serviceTasks(t, e, "web")
	require.Len(t, tasks, 3)
	for _, tk := range tasks {
		require.Equal(t, loadedNew, tk.TaskDefinitionARN)
	}
	stopped, err := e.listTasks(context.Background(), "", taskFilter{ServiceName: "web", DesiredStatus: "STOPPED"})
	require.NoError(t, err)
	require.Len(t, stopped, 3, "the loaded tasks were the service's, and it stopped them")
}

// A service without deployments gets a PRIMARY one of its task
// definition, COMPLETED: in steady state, nothing happens.
func TestLoadServiceWithoutDeployments(t *testing.T) {
	e := newTestECS(t)
	insts := loadedInstances(3, "us-east-1a", "us-east-1b", "us-east-1c")
	svc := loadedService(false)
	svc.Deployments = nil
	loaded := loadWeb(t, e, svc, insts, loadedTasks(3, loadedOld, "", insts), nil)
	require.Len(t, loaded.Deployments, 1)
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, loaded.Deployments[0].RolloutState)
	require.Equal(t, loadedOld, loaded.Deployments[0].TaskDefinition)
	var log stepLog
	log.watch(t, e, "web")
	advance(e, time.Hour)
	require.Equal(t, stepLog{"0s [RUNNING RUNNING RUNNING] +0 -0"}, log)
	require.Contains(t, events(describeService(t, e, "web")), "(service web) has reached a steady state.")
}

// The scheduler's memory given goes on: the task and event IDs derive
// from its seed, and the same seed gives the same run.
func TestLoadServiceMemory(t *testing.T) {
	run := func(seed uint64) []string {
		e := newTestECS(t)
		insts := loadedInstances(3, "us-east-1a")
		mem := deploy.NewMemory(seed)
		loadWeb(t, e, loadedService(true), insts, loadedTasks(3, loadedOld, loadedDep, insts), &mem)
		advance(e, 5*time.Minute)
		return events(describeService(t, e, "web"))
	}
	a, b, c := run(1), run(1), run(2)
	require.Equal(t, a, b)
	require.NotEqual(t, a, c)
}

func TestLoadServiceRefuses(t *testing.T) {
	insts := loadedInstances(2, "us-east-1a")
	tests := []struct {
		name   string
		change func(in *LoadServiceInput)
		want   string
	}{
		{"no service", func(in *LoadServiceInput) { in.Service = nil }, "The service to load is required."},
		{"a bad name", func(in *LoadServiceInput) { in.Service.ServiceName = "web!" }, `Service name "web!" is not valid`},
		{"not ACTIVE", func(in *LoadServiceInput) { in.Service.Status = "DRAINING" }, "only an ACTIVE service can be loaded"},
		{"another deployment controller", func(in *LoadServiceInput) {
			in.Service.DeploymentController = &ecs.DeploymentController{Type: ecs.DeploymentControllerTypeCodeDeploy}
		}, "ecstest runs only the ECS deployment controller"},
		{"the service's task definition missing", func(in *LoadServiceInput) { in.TaskDefinitions = in.TaskDefinitions[:1] },
			`The task definition of service web, "` + loadedNew + `", is not among the task definitions given.`},
		{"a deployment's task definition missing", func(in *LoadServiceInput) { in.TaskDefinitions = in.TaskDefinitions[1:] },
			`The task definition of deployment ` + loadedDep + `, "` + loadedOld + `", is not among the task definitions given.`},
		{"a task definition without ARN", func(in *LoadServiceInput) { in.TaskDefinitions[1].TaskDefinitionARN = "" },
			"TaskDefinitions[1] has no taskDefinitionArn."},
		{"a task definition the registry refuses", func(in *LoadServiceInput) { in.TaskDefinitions[1].Memory = "" },
			"TaskDefinitions[1] (" + loadedNew + ")"},
		{"a bad deployment configuration", func(in *LoadServiceInput) { in.Service.DeploymentConfiguration.MaximumPercent = ptr(50) },
			"maximumPercent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestECS(t)
			_, _, err := e.LoadCluster(context.Background(), "", insts, nil)
			require.NoError(t, err)
			in := LoadServiceInput{Service: loadedService(true),
				TaskDefinitions: []*ecs.TaskDefinition{loadedTaskDefinition(loadedOld), loadedTaskDefinition(loadedNew)}}
			tt.change(&in)
			_, err = e.LoadService(context.Background(), "", in)
			require.ErrorContains(t, err, tt.want)
			_, failures, err := e.describeServices(context.Background(), "", []string{"web"})
			require.NoError(t, err)
			require.Len(t, failures, 1, "nothing loaded")
		})
	}

	t.Run("a name taken", func(t *testing.T) {
		e := newTestECS(t)
		loadWeb(t, e, loadedService(false), insts, nil, nil)
		_, err := e.LoadService(context.Background(), "", LoadServiceInput{Service: loadedService(false),
			TaskDefinitions: []*ecs.TaskDefinition{loadedTaskDefinition(loadedOld)}})
		require.ErrorContains(t, err, "Cluster default has a service called web already.")
	})
}

// Rule 105 end to end: a loaded service with six tasks in one zone of
// three, availabilityZoneRebalancing ENABLED, ends with two in each.
func TestLoadServiceRebalances(t *testing.T) {
	e := newTestECS(t)
	insts := loadedInstances(3, "us-east-1a", "us-east-1b", "us-east-1c")
	svc := loadedService(false)
	svc.DesiredCount, svc.Deployments[0].DesiredCount, svc.Deployments[0].RunningCount = 6, 6, 6
	svc.AvailabilityZoneRebalancing = ecs.AvailabilityZoneRebalancingEnabled
	loadWeb(t, e, svc, insts, loadedTasks(6, loadedOld, loadedDep, insts[:1]), nil)
	advance(e, time.Hour)

	msgs := events(describeService(t, e, "web"))
	require.Contains(t, msgs, "(service web) is not AZ balanced with 6 tasks in us-east-1a, 0 tasks in us-east-1b, 0 tasks in us-east-1c. AZ Rebalancing in progress.")
	require.Equal(t, "(service web) is AZ balanced with 2 tasks in us-east-1a, 2 tasks in us-east-1b, 2 tasks in us-east-1c.", msgs[len(msgs)-1])
	started := slices.IndexFunc(msgs, func(m string) bool { return strings.Contains(m, "to AZ Rebalance") })
	require.GreaterOrEqual(t, started, 0)
	require.Equal(t, map[string]int{"us-east-1a": 2, "us-east-1b": 2, "us-east-1c": 2}, zonesOf(serviceTasks(t, e, "web")))
}

// The targets of a service with load balancers turn healthy after the
// target group's first check (30 s after RUNNING by ELB's default
// interval); a fault fails them after two failed checks (60 s), and the
// scheduler replaces the task for failing ELB health checks. The old
// tasks drain for the default deregistration delay (300 s) before their
// containers stop.
func TestLoadServiceTargets(t *testing.T) {
	const group = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"
	tests := []struct {
		name      string
		faults    int
		wantSteps stepLog
	}{
		{"healthy", 0, stepLog{
			"0s [RUNNING RUNNING RUNNING] +3 -0",
			"30s [RUNNING RUNNING RUNNING RUNNING RUNNING RUNNING] +0 -0", // the new tasks RUNNING, their targets initial
			"1m0s [RUNNING RUNNING RUNNING RUNNING RUNNING RUNNING] +0 -3",
			"6m0s [STOPPING STOPPING STOPPING RUNNING RUNNING RUNNING] +0 -0", // after the deregistration delay
		}},
		{"failing ELB health checks", 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestECS(t, WithTiming(Timing{Pending: 30 * time.Second, Stopping: time.Hour}))
			insts := loadedInstances(3, "us-east-1a", "us-east-1b", "us-east-1c")
			svc := loadedService(true)
			svc.LoadBalancers = []ecs.LoadBalancer{{TargetGroupARN: group, ContainerName: "web", ContainerPort: ptr(80)}}
			require.NoError(t, e.InjectTaskFaults(context.Background(), TaskFaults{TaskDefinition: loadedNew, FailHealthChecks: tt.faults}))
			var log stepLog
			loadWeb(t, e, svc, insts, loadedTasks(3, loadedOld, loadedDep, insts), nil)
			log.watch(t, e, "web")
			advance(e, 10*time.Minute)
			if tt.wantSteps != nil {
				require.Equal(t, tt.wantSteps, log[:len(tt.wantSteps)])
			}
			msgs := strings.Join(events(describeService(t, e, "web")), "\n")
			require.Equal(t, tt.faults, strings.Count(msgs, "failed ELB health checks in (target-group "+group+")."), msgs)
			require.Equal(t, ecs.DeploymentRolloutStateCompleted, describeService(t, e, "web").Deployments[0].RolloutState)
		})
	}
}
