package ecstest

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

const hookFn = "arn:aws:lambda:us-east-1:123456789012:function:validate"

// strategyService creates the service web (4 tasks of web:1 behind
// target group blue, green its alternate) with the deployment
// configuration cfg, lets it reach steady state, registers web:2 and
// starts a deployment of it. Target groups check every 10 s.
func strategyService(t *testing.T, cfg *ecs.DeploymentConfiguration) (*ECS, ecs.Service) {
	t.Helper()
	ctx := context.Background()
	e := lbWorld(t)
	for _, tg := range []string{tgBlue, tgGreen} {
		_, err := e.PutTargetGroup(ctx, TargetGroup{TargetGroupARN: tg, HealthCheckIntervalSeconds: 10, DeregistrationDelaySeconds: 30})
		require.NoError(t, err)
	}
	lb := lbOf(tgBlue)
	lb.AdvancedConfiguration = &ecs.AdvancedConfiguration{AlternateTargetGroupARN: tgGreen, ProductionListenerRule: prodLR, RoleARN: lbRole}
	_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(4),
		LoadBalancers: []ecs.LoadBalancer{lb}, DeploymentConfiguration: cfg})
	require.NoError(t, err)
	advance(e, 10*time.Minute)
	require.Equal(t, ecs.DeploymentRolloutStateCompleted, describeService(t, e, "web").Deployments[0].RolloutState)
	taskDef(t, e, "web", 256, 256, 0)
	svc, err := e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:2"})
	require.NoError(t, err)
	return e, *svc.Service
}

// stagesOf returns the stages of the service's latest strategy
// deployment, as "offset stage production-green test-green", the offset
// from start.
func stagesOf(t *testing.T, e *ECS, start time.Time) []string {
	t.Helper()
	tr, err := e.ServiceTraffic(context.Background(), "", "web")
	require.NoError(t, err)
	var out []string
	for _, s := range tr.Stages {
		out = append(out, fmt.Sprintf("%v %s %g/%g", s.At.Sub(start), s.Stage, s.Production.Green, s.Test.Green))
	}
	return out
}

// TestStrategyStages encodes the order and timings of the lifecycle
// stages of each strategy on the virtual clock: the green revision scales
// up beside blue (SCALE_UP ends once its 4 tasks are RUNNING, 30 s, and
// their targets healthy, 10 s more), test traffic shifts, then production
// traffic (at once for BLUE_GREEN, stepPercent every stepBakeTimeInMinutes
// for LINEAR, canaryPercent then the rest after canaryBakeTimeInMinutes
// for CANARY), the bake time runs with both revisions up, and blue
// scales down in CLEAN_UP. Developer guide: "Amazon ECS blue/green
// service deployments workflow", "Amazon ECS linear deployments",
// "Amazon ECS canary deployments"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/linear-deployment.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/canary-deployment.html);
// API ServiceDeployment.lifecycleStage.
func TestStrategyStages(t *testing.T) {
	pre := []string{
		"0s PRE_SCALE_UP 0/0", "0s SCALE_UP 0/0", "40s POST_SCALE_UP 0/0",
		"40s TEST_TRAFFIC_SHIFT 0/0", "40s TEST_TRAFFIC_SHIFT 0/100", "40s POST_TEST_TRAFFIC_SHIFT 0/100",
		"40s PRODUCTION_TRAFFIC_SHIFT 0/100",
	}
	tests := []struct {
		name  string
		cfg   *ecs.DeploymentConfiguration
		shift []string
		done  time.Duration // when the deployment is COMPLETED, at the latest
	}{
		{"BLUE_GREEN", &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(5)}, []string{
			"40s PRODUCTION_TRAFFIC_SHIFT 100/100", "40s POST_PRODUCTION_TRAFFIC_SHIFT 100/100",
			"40s BAKE_TIME 100/100", "5m40s CLEAN_UP 100/100",
		}, 7 * time.Minute},
		{"LINEAR", &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyLinear, BakeTimeInMinutes: ptr(2),
			LinearConfiguration: &ecs.LinearConfiguration{StepPercent: 40, StepBakeTimeInMinutes: 3}}, []string{
			"40s PRODUCTION_TRAFFIC_SHIFT 40/100", "3m40s PRODUCTION_TRAFFIC_SHIFT 80/100", "6m40s PRODUCTION_TRAFFIC_SHIFT 100/100",
			"6m40s POST_PRODUCTION_TRAFFIC_SHIFT 100/100", "6m40s BAKE_TIME 100/100", "8m40s CLEAN_UP 100/100",
		}, 10 * time.Minute},
		{"CANARY", &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyCanary, BakeTimeInMinutes: ptr(1),
			CanaryConfiguration: &ecs.CanaryConfiguration{CanaryPercent: 12.5, CanaryBakeTimeInMinutes: 4}}, []string{
			"40s PRODUCTION_TRAFFIC_SHIFT 12.5/100", "4m40s PRODUCTION_TRAFFIC_SHIFT 100/100",
			"4m40s POST_PRODUCTION_TRAFFIC_SHIFT 100/100", "4m40s BAKE_TIME 100/100", "5m40s CLEAN_UP 100/100",
		}, 7 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, svc := strategyService(t, tt.cfg)
			start := e.Clock().Now()
			require.Len(t, svc.Deployments, 2)
			for range 20 * 60 / 5 {
				advance(e, 5*time.Second)
				if describeService(t, e, "web").Deployments[0].RolloutState == ecs.DeploymentRolloutStateCompleted {
					break
				}
			}
			got := stagesOf(t, e, start)
			want := append(append([]string{}, pre...), tt.shift...)
			require.Empty(t, cmp.Diff(want, got[:min(len(got), len(want))]), "stages")
			require.Equal(t, "completed: blue scaled down", lastNote(t, e))
			final := describeService(t, e, "web")
			require.Equal(t, ecs.DeploymentRolloutStateCompleted, final.Deployments[0].RolloutState)
			require.LessOrEqual(t, e.Clock().Now().Sub(start), tt.done)
			require.Len(t, serviceTasks(t, e, "web"), 4, "blue scaled down")
			sd := latestServiceDeployment(t, e)
			require.Equal(t, ecs.ServiceDeploymentStatusSuccessful, sd.Status)
			require.Equal(t, ecs.ServiceDeploymentLifecycleStageCleanUp, sd.LifecycleStage)
			// The green tasks are in the alternate target group, which now
			// takes production traffic.
			tg, err := e.DescribeTargetHealth(context.Background(), tgGreen)
			require.NoError(t, err)
			require.Len(t, tg, 4)
		})
	}
}

// lastNote returns the note of the latest stage record of web.
func lastNote(t *testing.T, e *ECS) string {
	tr, err := e.ServiceTraffic(context.Background(), "", "web")
	require.NoError(t, err)
	return tr.Stages[len(tr.Stages)-1].Note
}

// latestServiceDeployment describes the newest service deployment of web.
func latestServiceDeployment(t *testing.T, e *ECS) ecs.ServiceDeployment {
	t.Helper()
	ctx := context.Background()
	list, err := e.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsRequest{Service: "web"})
	require.NoError(t, err)
	require.NotEmpty(t, list.ServiceDeployments)
	d, err := e.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsRequest{ServiceDeploymentARNs: []string{list.ServiceDeployments[0].ServiceDeploymentARN}})
	require.NoError(t, err)
	return d.ServiceDeployments[0]
}

// TestStrategyRollback: a Lambda hook that fails, a PAUSE hook continued
// with ROLLBACK, and the circuit breaker each roll the deployment back:
// production and test traffic return to blue, green scales down, and the
// service deployment ends ROLLBACK_SUCCESSFUL; a hook kept IN_PROGRESS is
// invoked again every callBackDelay, and a PAUSE hook waits for
// ContinueServiceDeployment. Developer guide: "Lambda hooks for Amazon
// ECS service deployments" and "Lifecycle hooks for Amazon ECS service
// deployments"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html).
func TestStrategyRollback(t *testing.T) {
	ctx := context.Background()
	lambda := func(stage ecs.DeploymentLifecycleHookStage) []ecs.DeploymentLifecycleHook {
		return []ecs.DeploymentLifecycleHook{{HookTargetARN: hookFn, RoleARN: lbRole, LifecycleStages: []ecs.DeploymentLifecycleHookStage{stage}}}
	}
	pause := []ecs.DeploymentLifecycleHook{{TargetType: ecs.DeploymentLifecycleHookTargetTypePause,
		LifecycleStages: []ecs.DeploymentLifecycleHookStage{ecs.DeploymentLifecycleHookStagePostTestTrafficShift}}}
	tests := []struct {
		name    string
		hooks   []ecs.DeploymentLifecycleHook
		breaker bool
		act     func(t *testing.T, e *ECS) // during the deployment
		stage   ecs.ServiceDeploymentLifecycleStage
	}{
		{"Lambda hook FAILED", lambda(ecs.DeploymentLifecycleHookStagePostProductionTrafficShift), false, func(t *testing.T, e *ECS) {
			require.NoError(t, e.SetHookOutcome(ctx, hookFn, HookOutcome{HookStatus: ecs.DeploymentLifecycleHookStatusFailed}))
		}, ecs.ServiceDeploymentLifecycleStagePostProductionTrafficShift},
		{"Lambda hook IN_PROGRESS, then FAILED", lambda(ecs.DeploymentLifecycleHookStagePostScaleUp), false, func(t *testing.T, e *ECS) {
			require.NoError(t, e.SetHookOutcome(ctx, hookFn, HookOutcome{HookStatus: ecs.DeploymentLifecycleHookStatusInProgress, CallBackDelay: 20}))
			advance(e, 40*time.Second) // green up: first invocation
			require.Equal(t, 1, e.HookInvocations(ctx, hookFn))
			advance(e, 20*time.Second)
			require.Equal(t, 2, e.HookInvocations(ctx, hookFn), "invoked again after callBackDelay")
			sd := latestServiceDeployment(t, e)
			require.Equal(t, ecs.ServiceDeploymentLifecycleStagePostScaleUp, sd.LifecycleStage)
			require.Len(t, sd.LifecycleHookDetails, 1)
			require.Equal(t, ecs.DeploymentLifecycleHookStatusInProgress, sd.LifecycleHookDetails[0].Status)
			require.NoError(t, e.SetHookOutcome(ctx, hookFn, HookOutcome{HookStatus: ecs.DeploymentLifecycleHookStatusFailed}))
		}, ecs.ServiceDeploymentLifecycleStagePostScaleUp},
		// A hook without timeoutConfiguration times out after the default
		// 1440 minutes, with ROLLBACK (API Reference,
		// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHookTimeoutConfiguration.html):
		// a hook kept IN_PROGRESS is invoked a bounded number of times.
		{"Lambda hook IN_PROGRESS until the default timeout", lambda(ecs.DeploymentLifecycleHookStagePostScaleUp), false, func(t *testing.T, e *ECS) {
			require.NoError(t, e.SetHookOutcome(ctx, hookFn, HookOutcome{HookStatus: ecs.DeploymentLifecycleHookStatusInProgress, CallBackDelay: 60}))
			advance(e, 40*time.Second) // green up: first invocation
			sd := latestServiceDeployment(t, e)
			require.Len(t, sd.LifecycleHookDetails, 1)
			h := sd.LifecycleHookDetails[0]
			require.Equal(t, ecs.DeploymentLifecycleHookActionRollback, h.TimeoutAction)
			left := h.ExpiresAt.Sub(e.Clock().Now())
			require.True(t, left > 24*time.Hour-40*time.Second && left <= 24*time.Hour, "expires 24 h after the stage began, %v left", left)
			advance(e, 3*24*time.Hour)
			require.LessOrEqual(t, e.HookInvocations(ctx, hookFn), 24*60+1, "no invocation after the timeout")
			require.Equal(t, ecs.ServiceDeploymentStatusRollbackSuccessful, latestServiceDeployment(t, e).Status)
		}, ecs.ServiceDeploymentLifecycleStagePostScaleUp},
		{"PAUSE hook ROLLBACK", pause, false, func(t *testing.T, e *ECS) {
			advance(e, time.Minute)
			sd := latestServiceDeployment(t, e)
			require.Equal(t, ecs.ServiceDeploymentLifecycleStagePostTestTrafficShift, sd.LifecycleStage)
			require.Len(t, sd.LifecycleHookDetails, 1)
			h := sd.LifecycleHookDetails[0]
			require.Equal(t, ecs.DeploymentLifecycleHookStatusAwaitingAction, h.Status)
			advance(e, time.Hour)
			require.Equal(t, ecs.ServiceDeploymentLifecycleStagePostTestTrafficShift, latestServiceDeployment(t, e).LifecycleStage, "paused")
			_, err := e.ContinueServiceDeployment(ctx, &ecs.ContinueServiceDeploymentRequest{ServiceDeploymentARN: sd.ServiceDeploymentARN, HookID: "nope"})
			requireAPIError(t, err, ecs.InvalidParameterException)
			_, err = e.ContinueServiceDeployment(ctx, &ecs.ContinueServiceDeploymentRequest{ServiceDeploymentARN: sd.ServiceDeploymentARN,
				HookID: h.HookID, Action: ecs.DeploymentLifecycleHookActionRollback})
			require.NoError(t, err)
		}, ecs.ServiceDeploymentLifecycleStagePostTestTrafficShift},
		{"circuit breaker", nil, true, func(t *testing.T, e *ECS) {}, ecs.ServiceDeploymentLifecycleStageScaleUp},
		{"alarm during the bake time", nil, false, func(t *testing.T, e *ECS) {
			advance(e, 2*time.Minute)
			require.Equal(t, ecs.ServiceDeploymentLifecycleStageBakeTime, latestServiceDeployment(t, e).LifecycleStage)
			e.SetAlarm(ctx, "5xx", true)
		}, ecs.ServiceDeploymentLifecycleStageBakeTime},
		{"PAUSE hook timed out, ROLLBACK", []ecs.DeploymentLifecycleHook{{TargetType: ecs.DeploymentLifecycleHookTargetTypePause,
			LifecycleStages:      []ecs.DeploymentLifecycleHookStage{ecs.DeploymentLifecycleHookStagePostScaleUp},
			TimeoutConfiguration: &ecs.DeploymentLifecycleHookTimeoutConfiguration{TimeoutInMinutes: ptr(10)}}}, false, func(t *testing.T, e *ECS) {
			advance(e, 9*time.Minute)
			sd := latestServiceDeployment(t, e)
			require.Equal(t, ecs.ServiceDeploymentStatusInProgress, sd.Status)
			require.Equal(t, ecs.DeploymentLifecycleHookActionRollback, sd.LifecycleHookDetails[0].TimeoutAction, "ROLLBACK by default")
			require.False(t, sd.LifecycleHookDetails[0].ExpiresAt.IsZero())
		}, ecs.ServiceDeploymentLifecycleStagePostScaleUp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(5), LifecycleHooks: tt.hooks}
			if tt.breaker {
				cfg.DeploymentCircuitBreaker = &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true}
			}
			if tt.name == "alarm during the bake time" {
				cfg.Alarms = &ecs.DeploymentAlarms{AlarmNames: []string{"5xx"}, Enable: true, Rollback: true}
			}
			e, _ := strategyService(t, cfg)
			if tt.breaker {
				require.NoError(t, e.InjectTaskFaults(ctx, TaskFaults{TaskDefinition: "web:2", FailToStart: 100}))
			}
			tt.act(t, e)
			advance(e, 20*time.Minute)
			tr, err := e.ServiceTraffic(ctx, "", "web")
			require.NoError(t, err)
			require.True(t, tr.Done)
			require.Equal(t, Weights{Blue: 100}, tr.Production)
			require.Equal(t, Weights{Blue: 100}, tr.Test)
			require.Contains(t, tr.Stages[len(tr.Stages)-1].Note, "rolled back")
			require.Equal(t, tt.stage, tr.LifecycleStage, "where it failed")
			sd := latestServiceDeployment(t, e)
			require.Equal(t, ecs.ServiceDeploymentStatusRollbackSuccessful, sd.Status, sd.StatusReason)
			svc := describeService(t, e, "web")
			require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", svc.TaskDefinition)
			tasks := serviceTasks(t, e, "web")
			require.Len(t, tasks, 4)
			for _, tk := range tasks {
				require.Equal(t, svc.TaskDefinition, tk.TaskDefinitionARN, "green scaled down")
			}
		})
	}
}

// TestStrategyTrafficProperty: whatever the strategy, its settings and
// green targets failing on the way, the traffic weights always sum to
// 100 and no shift sends production traffic to the green revision while
// one of its tasks is not healthy.
func TestStrategyTrafficProperty(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(16, 3))
	n := 24
	if testing.Short() {
		n = 6
	}
	for i := range n {
		cfg := &ecs.DeploymentConfiguration{BakeTimeInMinutes: ptr(rng.IntN(4))}
		switch rng.IntN(3) {
		case 0:
			cfg.Strategy = ecs.DeploymentStrategyBlueGreen
		case 1:
			cfg.Strategy = ecs.DeploymentStrategyLinear
			cfg.LinearConfiguration = &ecs.LinearConfiguration{StepPercent: float64(30+rng.IntN(700)) / 10, StepBakeTimeInMinutes: rng.IntN(3)}
		default:
			cfg.Strategy = ecs.DeploymentStrategyCanary
			cfg.CanaryConfiguration = &ecs.CanaryConfiguration{CanaryPercent: float64(1+rng.IntN(999)) / 10, CanaryBakeTimeInMinutes: rng.IntN(3)}
		}
		t.Run(fmt.Sprintf("%d-%s", i, cfg.Strategy), func(t *testing.T) {
			e, _ := strategyService(t, cfg)
			for range 300 {
				advance(e, time.Duration(1+rng.IntN(20))*time.Second)
				if rng.IntN(8) == 0 { // a green target flaps
					for _, tk := range serviceTasks(t, e, "web") {
						if tk.TaskDefinitionARN == "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2" && tk.LastStatus == "RUNNING" && tk.DesiredStatus == "RUNNING" {
							_ = e.SetTargetHealth(ctx, "", tk.TaskARN, "", rng.IntN(3) > 0)
							break
						}
					}
				}
			}
			tr, err := e.ServiceTraffic(ctx, "", "web")
			require.NoError(t, err)
			require.NotEmpty(t, tr.Stages)
			for _, s := range tr.Stages {
				require.InDelta(t, 100, s.Production.Blue+s.Production.Green, 1e-9, "%+v", s)
				require.InDelta(t, 100, s.Test.Blue+s.Test.Green, 1e-9, "%+v", s)
				if strings.HasPrefix(s.Note, "production traffic shifted") {
					require.Equal(t, s.GreenDesired, s.GreenHealthy, "a shift to tasks not all healthy: %+v", s)
				}
			}
		})
	}
}

// TestStrategyHookTimeoutContinue: a PAUSE hook whose timeout action is
// CONTINUE lets the deployment go on when it times out (API
// DeploymentLifecycleHookTimeoutConfiguration), and the blue tasks drain
// for the target group's deregistration delay in CLEAN_UP.
func TestStrategyHookTimeoutContinue(t *testing.T) {
	cfg := &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(1),
		LifecycleHooks: []ecs.DeploymentLifecycleHook{{TargetType: ecs.DeploymentLifecycleHookTargetTypePause,
			LifecycleStages: []ecs.DeploymentLifecycleHookStage{ecs.DeploymentLifecycleHookStagePreScaleUp},
			TimeoutConfiguration: &ecs.DeploymentLifecycleHookTimeoutConfiguration{TimeoutInMinutes: ptr(3),
				Action: ecs.DeploymentLifecycleHookActionContinue}}}}
	e, _ := strategyService(t, cfg)
	start := e.Clock().Now()
	advance(e, 2*time.Minute)
	require.Len(t, serviceTasks(t, e, "web"), 4, "green has not started before the hook ends")
	advance(e, 10*time.Minute)
	got := stagesOf(t, e, start)
	require.Equal(t, []string{"0s PRE_SCALE_UP 0/0", "3m0s SCALE_UP 0/0", "3m40s POST_SCALE_UP 0/0"}, got[:3])
	require.Contains(t, got, "4m40s CLEAN_UP 100/100")
	sd := latestServiceDeployment(t, e)
	require.Equal(t, ecs.ServiceDeploymentStatusSuccessful, sd.Status)
	// Blue deregistered at 4m40s, drained 30 s, stopped (30 s stop timeout at most).
	require.LessOrEqual(t, sd.FinishedAt.Sub(start), 4*time.Minute+40*time.Second+30*time.Second+time.Minute)
	require.GreaterOrEqual(t, sd.FinishedAt.Sub(start), 4*time.Minute+40*time.Second+30*time.Second)
}

// TestStrategyReconcile: a deployment that starts while more than one
// revision is ACTIVE (a newer one replacing a deployment under way) goes
// through RECONCILE_SERVICE first, the traffic of the one it replaces
// back on blue; it holds the tasks of both older revisions until its
// clean-up (API ServiceDeployment.lifecycleStage: "RECONCILE_SERVICE: the
// reconciliation stage that only happens when you start a new service
// deployment with more than 1 service revision in an ACTIVE state").
func TestStrategyReconcile(t *testing.T) {
	ctx := context.Background()
	e, _ := strategyService(t, &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(1)})
	advance(e, 35*time.Second) // web:2 RUNNING, not yet healthy
	taskDef(t, e, "web", 256, 256, 0)
	_, err := e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:3"})
	require.NoError(t, err)
	start := e.Clock().Now()
	advance(e, time.Second)
	require.Len(t, serviceTasks(t, e, "web"), 12, "blue and the replaced green held beside the new green")
	got := stagesOf(t, e, start)
	require.Equal(t, []string{"0s RECONCILE_SERVICE 0/0", "0s PRE_SCALE_UP 0/0", "0s SCALE_UP 0/0"}, got[:3])
	advance(e, 20*time.Minute)
	sd := latestServiceDeployment(t, e)
	require.Equal(t, ecs.ServiceDeploymentStatusSuccessful, sd.Status)
	require.Len(t, sd.SourceServiceRevisions, 2)
	tasks := serviceTasks(t, e, "web")
	require.Len(t, tasks, 4)
	for _, tk := range tasks {
		require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", tk.TaskDefinitionARN)
	}
}

// TestHookFunctionsDropped: the invocation counts and outcomes of the
// simulated Lambda functions are kept while a service's hooks name them,
// and dropped when a deployment ends and no service names them any more,
// so they do not grow with every function ever invoked; Reset clears
// them.
func TestHookFunctionsDropped(t *testing.T) {
	ctx := context.Background()
	const other = "arn:aws:lambda:us-east-1:123456789012:function:other"
	hook := func(fn string) []ecs.DeploymentLifecycleHook {
		return []ecs.DeploymentLifecycleHook{{HookTargetARN: fn, RoleARN: lbRole,
			LifecycleStages: []ecs.DeploymentLifecycleHookStage{ecs.DeploymentLifecycleHookStagePostScaleUp}}}
	}
	e, _ := strategyService(t, &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(0), LifecycleHooks: hook(hookFn)})
	require.NoError(t, e.SetHookOutcome(ctx, hookFn, HookOutcome{HookStatus: ecs.DeploymentLifecycleHookStatusSucceeded}))
	advance(e, 20*time.Minute)
	require.Equal(t, ecs.ServiceDeploymentStatusSuccessful, latestServiceDeployment(t, e).Status)
	require.Equal(t, 1, e.HookInvocations(ctx, hookFn), "kept: the service names it")

	taskDef(t, e, "web", 256, 256, 0) // web:3
	_, err := e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web:3",
		DeploymentConfiguration: &ecs.DeploymentConfiguration{Strategy: ecs.DeploymentStrategyBlueGreen, BakeTimeInMinutes: ptr(0), LifecycleHooks: hook(other)}})
	require.NoError(t, err)
	advance(e, 20*time.Minute)
	require.Equal(t, ecs.ServiceDeploymentStatusSuccessful, latestServiceDeployment(t, e).Status)
	require.Equal(t, 1, e.HookInvocations(ctx, other))
	e.mu.Lock()
	keys, outs := slices.Sorted(maps.Keys(e.lb.invocations)), len(e.lb.outcomes)
	e.mu.Unlock()
	require.Equal(t, []string{other}, keys, "the function no service names is dropped")
	require.Zero(t, outs, "its outcome too")

	require.NoError(t, e.Reset(ctx))
	require.Zero(t, e.HookInvocations(ctx, other))
}
