package ecstest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

const (
	tgBlue  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef"
	tgGreen = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/fedcba9876543210"
	tgAdmin = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/admin/00000000000000aa"
	prodLR  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"
	lbRole  = "arn:aws:iam::123456789012:role/ecsInfrastructureRole"
)

// lbWorld returns an ECS with four instances and the task definition web
// (container app, port 8080 on a dynamic host port).
func lbWorld(t *testing.T) *ECS {
	e := newTestECS(t)
	threeZones(t, e, "c5.xlarge", 4)
	taskDef(t, e, "web", 256, 256, 0)
	return e
}

// lbOf returns a load balancer of container app, port 8080.
func lbOf(tg string) ecs.LoadBalancer {
	return ecs.LoadBalancer{TargetGroupARN: tg, ContainerName: "app", ContainerPort: ptr(8080)}
}

// TestLoadBalancerValidation encodes what CreateService refuses of
// loadBalancers, serviceRegistries and the deployment strategies (the API
// reference's CreateService, LoadBalancer, AdvancedConfiguration,
// ServiceRegistry, DeploymentConfiguration, LinearConfiguration,
// CanaryConfiguration and DeploymentLifecycleHook:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html).
func TestLoadBalancerValidation(t *testing.T) {
	e := lbWorld(t)
	six := make([]ecs.LoadBalancer, 6)
	for i := range six {
		six[i] = lbOf("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t" + string(rune('0'+i)) + "/0123456789abcdef")
	}
	adv := lbOf(tgBlue)
	adv.AdvancedConfiguration = &ecs.AdvancedConfiguration{AlternateTargetGroupARN: tgGreen, ProductionListenerRule: prodLR, RoleARN: lbRole}
	bg := &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(5)}
	tests := []struct {
		name string
		req  ecs.CreateServiceRequest
		want string // in the message
	}{
		{"no such container", ecs.CreateServiceRequest{LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: tgBlue, ContainerName: "nope", ContainerPort: ptr(8080)}}}, "container nope does not exist"},
		{"no such port", ecs.CreateServiceRequest{LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: tgBlue, ContainerName: "app", ContainerPort: ptr(80)}}}, "did not have a container port 80 defined"},
		{"no port", ecs.CreateServiceRequest{LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: tgBlue, ContainerName: "app"}}}, "containerPort is required"},
		{"six target groups", ecs.CreateServiceRequest{LoadBalancers: six}, "at most 5"},
		{"bad target group ARN", ecs.CreateServiceRequest{LoadBalancers: []ecs.LoadBalancer{lbOf("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/0123456789abcdef")}}, "not a target group ARN"},
		{"role without load balancers", ecs.CreateServiceRequest{Role: "ecsServiceRole"}, "role can only be specified with loadBalancers"},
		{"advancedConfiguration with ROLLING", ecs.CreateServiceRequest{LoadBalancers: []ecs.LoadBalancer{adv}}, "only valid with the deployment strategies"},
		{"BLUE_GREEN without advancedConfiguration", ecs.CreateServiceRequest{LoadBalancers: []ecs.LoadBalancer{lbOf(tgBlue)}, DeploymentConfiguration: bg}, "advancedConfiguration is required"},
		{"BLUE_GREEN without a bake time", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen}}, "bakeTimeInMinutes is required"},
		{"bake time over a day", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(1441)}}, "out of range"},
		{"stepPercent below 3", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyLinear,
			LinearConfiguration: &ecs.LinearConfiguration{StepPercent: 2.5}}}, "stepPercent 2.5 is not valid"},
		{"stepPercent not in tenths", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyLinear,
			LinearConfiguration: &ecs.LinearConfiguration{StepPercent: 10.05}}}, "multiple of 0.1"},
		{"canaryPercent below 0.1", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyCanary,
			CanaryConfiguration: &ecs.CanaryConfiguration{CanaryPercent: 0.05}}}, "canaryPercent 0.05 is not valid"},
		{"linearConfiguration with CANARY", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyCanary,
			LinearConfiguration: &ecs.LinearConfiguration{StepPercent: 10}}}, "only valid with the LINEAR"},
		{"hooks with ROLLING", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{LifecycleHooks: []ecs.DeploymentLifecycleHook{{
			TargetType: ecs.DeploymentLifecycleHookTargetTypePause, LifecycleStages: []ecs.DeploymentLifecycleHookStage{"POST_SCALE_UP"}}}}}, "lifecycleHooks are only valid"},
		{"PAUSE at a traffic shift", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(0),
			LifecycleHooks: []ecs.DeploymentLifecycleHook{{TargetType: ecs.DeploymentLifecycleHookTargetTypePause,
				LifecycleStages: []ecs.DeploymentLifecycleHookStage{"PRODUCTION_TRAFFIC_SHIFT"}}}}}, "a PAUSE hook cannot run at PRODUCTION_TRAFFIC_SHIFT"},
		{"hook timeout over 14 days", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(0),
			LifecycleHooks: []ecs.DeploymentLifecycleHook{{TargetType: ecs.DeploymentLifecycleHookTargetTypePause, LifecycleStages: []ecs.DeploymentLifecycleHookStage{"POST_SCALE_UP"},
				TimeoutConfiguration: &ecs.DeploymentLifecycleHookTimeoutConfiguration{TimeoutInMinutes: ptr(20161)}}}}}, "timeoutInMinutes 20161 is out of range"},
		{"Lambda hook without a function", ecs.CreateServiceRequest{DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(0),
			LifecycleHooks: []ecs.DeploymentLifecycleHook{{RoleARN: lbRole, LifecycleStages: []ecs.DeploymentLifecycleHookStage{"POST_SCALE_UP"}}}}}, "not a Lambda function ARN"},
		{"bad registry ARN", ecs.CreateServiceRequest{ServiceRegistries: []ecs.ServiceRegistry{{RegistryARN: "arn:aws:ecs:us-east-1:123456789012:service/x"}}}, "The format of the supplied service registry ARN is invalid"},
		{"registry on a port the container lacks", ecs.CreateServiceRequest{ServiceRegistries: []ecs.ServiceRegistry{{
			RegistryARN: "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abcdefghijklmnop", ContainerName: "app", ContainerPort: ptr(9)}}}, "app"},
		{"Service Connect without a namespace", ecs.CreateServiceRequest{ServiceConnectConfiguration: &ecs.ServiceConnectConfiguration{Enabled: true}}, "namespace is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			req.ServiceName, req.TaskDefinition, req.DesiredCount = "s", "web", ptr(1)
			_, err := e.CreateService(context.Background(), &req)
			ae := requireAPIError(t, err, ecs.InvalidParameterException)
			require.Contains(t, ae.Message, tt.want)
		})
	}
}

// TestLoadBalancerEcho: a service's load balancers, role and registries
// are shown as given, the role as an ARN; a service whose tasks use
// awsvpc cannot take a role (it needs the service-linked role).
func TestLoadBalancerEcho(t *testing.T) {
	e := lbWorld(t)
	regs := []ecs.ServiceRegistry{{RegistryARN: "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abcdefghijklmnop", ContainerName: "app", ContainerPort: ptr(8080)}}
	svc, err := e.CreateService(context.Background(), &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(1),
		LoadBalancers: []ecs.LoadBalancer{lbOf(tgBlue)}, Role: "ecsServiceRole"}) // one target group: several need the service-linked role
	require.NoError(t, err)
	got := describeService(t, e, "web")
	require.Empty(t, cmp.Diff([]ecs.LoadBalancer{lbOf(tgBlue)}, got.LoadBalancers))
	require.Equal(t, "arn:aws:iam::123456789012:role/ecsServiceRole", got.RoleARN)
	_, err = e.CreateService(context.Background(), &ecs.CreateServiceRequest{ServiceName: "api", TaskDefinition: "web", DesiredCount: ptr(1),
		LoadBalancers: []ecs.LoadBalancer{lbOf(tgBlue)}, ServiceRegistries: regs})
	require.NoError(t, err)
	require.Empty(t, cmp.Diff(regs, describeService(t, e, "api").ServiceRegistries))
	require.Equal(t, svc.Service.LoadBalancers, got.LoadBalancers)
}

// TestTargetHealth: a task of a service with two target groups counts as
// healthy only once healthy in both; a target whose checks fail turns
// unhealthy after unhealthyThresholdCount checks, is replaced after the
// grace period with ECS's event, and counts toward the circuit breaker;
// a task asked to stop drains for the deregistration delay before its
// containers stop. Developer guide: "Optimize load balancer health check
// parameters for Amazon ECS"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html)
// and API DeploymentConfiguration.minimumHealthyPercent.
func TestTargetHealth(t *testing.T) {
	ctx := context.Background()
	e := lbWorld(t)
	_, err := e.PutTargetGroup(ctx, TargetGroup{TargetGroupARN: tgBlue, HealthCheckIntervalSeconds: 10, UnhealthyThresholdCount: 3, DeregistrationDelaySeconds: 60})
	require.NoError(t, err)
	_, err = e.PutTargetGroup(ctx, TargetGroup{TargetGroupARN: tgAdmin, HealthCheckIntervalSeconds: 20, DeregistrationDelaySeconds: 30})
	require.NoError(t, err)
	_, err = e.PutTargetGroup(ctx, TargetGroup{TargetGroupARN: tgAdmin, HealthCheckIntervalSeconds: 301})
	requireAPIError(t, err, ecs.InvalidParameterException)
	_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(1),
		LoadBalancers:                 []ecs.LoadBalancer{lbOf(tgBlue), lbOf(tgAdmin)},
		HealthCheckGracePeriodSeconds: ptr(45),
		DeploymentConfiguration:       &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true}}})
	require.NoError(t, err)
	advance(e, 30*time.Second) // RUNNING
	tasks := serviceTasks(t, e, "web")
	require.Len(t, tasks, 1)
	arn := tasks[0].TaskARN
	states := func() (blue, admin deploy.TargetState) {
		b, err := e.DescribeTargetHealth(ctx, tgBlue)
		require.NoError(t, err)
		a, err := e.DescribeTargetHealth(ctx, tgAdmin)
		require.NoError(t, err)
		require.Len(t, b, 1)
		require.Len(t, a, 1)
		return b[0].State, a[0].State
	}
	b, a := states()
	require.Equal(t, []deploy.TargetState{"initial", "initial"}, []deploy.TargetState{b, a})
	advance(e, 10*time.Second)
	b, a = states()
	require.Equal(t, []deploy.TargetState{"healthy", "initial"}, []deploy.TargetState{b, a}, "one check of blue's 10 s interval")
	require.Equal(t, ecs.DeploymentRolloutStateInProgress, describeService(t, e, "web").Deployments[0].RolloutState, "not healthy in every target group")
	advance(e, 10*time.Second)
	b, a = states()
	require.Equal(t, []deploy.TargetState{"healthy", "healthy"}, []deploy.TargetState{b, a})
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, describeService(t, e, "web").Deployments[0].RolloutState)

	// The blue group's checks fail: unhealthy after 3 × 10 s; replaced.
	require.NoError(t, e.SetTargetHealth(ctx, "", arn, tgBlue, false))
	advance(e, 29*time.Second)
	b, _ = states()
	require.Equal(t, deploy.TargetHealthy, b)
	advance(e, time.Second)
	got := describeTask(t, e, arn)
	require.Equal(t, ecs.TaskStatus("DEACTIVATING"), got.LastStatus, "deregistered, draining")
	require.Contains(t, got.StoppedReason, "failed ELB health checks in (target-group "+tgBlue+")")
	msgs := strings.Join(events(describeService(t, e, "web")), "\n")
	require.Contains(t, msgs, "failed ELB health checks in (target-group "+tgBlue+").")
	b, _ = states()
	require.Equal(t, deploy.TargetDraining, b)
	advance(e, 59*time.Second)
	require.Equal(t, ecs.TaskStatus("DEACTIVATING"), describeTask(t, e, arn).LastStatus, "the longest deregistration delay of its target groups is 60 s")
	advance(e, time.Second)
	require.Equal(t, ecs.TaskStatus("STOPPING"), describeTask(t, e, arn).LastStatus)
	require.Error(t, e.SetTargetHealth(ctx, "", arn, "", true), "a stopping task is no target")
}

// TestTargetGracePeriod: an unhealthy target inside the service's
// healthCheckGracePeriodSeconds is not replaced (API CreateService
// healthCheckGracePeriodSeconds).
func TestTargetGracePeriod(t *testing.T) {
	ctx := context.Background()
	e := lbWorld(t)
	require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "web", FailHealthChecks: 1}))
	_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(1),
		LoadBalancers: []ecs.LoadBalancer{lbOf(tgBlue)}, HealthCheckGracePeriodSeconds: ptr(300)})
	require.NoError(t, err)
	advance(e, 30*time.Second+60*time.Second) // RUNNING, then two failed checks
	tb, err := e.DescribeTargetHealth(ctx, tgBlue)
	require.NoError(t, err)
	require.Equal(t, deploy.TargetUnhealthy, tb[0].State)
	require.Equal(t, ecs.TaskStatus("RUNNING"), describeTask(t, e, tb[0].TaskARN).LastStatus, "inside the grace period")
	advance(e, 240*time.Second)
	require.Equal(t, ecs.TaskStatus("DEACTIVATING"), describeTask(t, e, tb[0].TaskARN).LastStatus, "replaced once the grace period ends")
}

// TestUpdateServiceLoadBalancers: UpdateService changes a service's load
// balancers with a new deployment, checks them as CreateService does, and
// refuses a strategy that shifts traffic while a load balancer lacks its
// advancedConfiguration (API UpdateService, loadBalancers and
// deploymentConfiguration).
func TestUpdateServiceLoadBalancers(t *testing.T) {
	ctx := context.Background()
	e := lbWorld(t)
	mustCreateService(t, e, "web", "web", 2)
	advance(e, 2*time.Minute)
	_, err := e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: tgBlue, ContainerName: "app", ContainerPort: ptr(81)}}})
	ae := requireAPIError(t, err, ecs.InvalidParameterException)
	require.Contains(t, ae.Message, "did not have a container port 81 defined")
	require.Len(t, describeService(t, e, "web").Deployments, 1, "nothing changed")

	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", LoadBalancers: []ecs.LoadBalancer{lbOf(tgBlue)}})
	require.NoError(t, err)
	svc := describeService(t, e, "web")
	require.Len(t, svc.Deployments, 2, "a new deployment registers the tasks with the target group")
	require.Equal(t, []ecs.LoadBalancer{lbOf(tgBlue)}, svc.LoadBalancers)
	advance(e, 10*time.Minute)
	targets, err := e.DescribeTargetHealth(ctx, tgBlue)
	require.NoError(t, err)
	require.Len(t, targets, 2)

	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DeploymentConfiguration: &ecs.DeploymentConfiguration{
		Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(1)}})
	ae = requireAPIError(t, err, ecs.InvalidParameterException)
	require.Contains(t, ae.Message, "advancedConfiguration is required")
}
