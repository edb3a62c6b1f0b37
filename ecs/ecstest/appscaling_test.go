package ecstest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// webTarget registers service/default/web (2 tasks settled) between min
// and max with a target tracking policy on CPU at target percent.
func webTarget(t *testing.T, e *ECS, min, max int, target float64) {
	t.Helper()
	ctx := context.Background()
	for range 4 {
		register(t, e, "m5.2xlarge", "us-east-1a")
	}
	td := taskDef(t, e, "web", 256, 256, 0)
	mustCreateService(t, e, "web", td.TaskDefinitionARN, 2)
	_, err := e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	_, err = e.RegisterScalableTarget(ctx, &autoscaling.RegisterScalableTargetRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, MinCapacity: ptr(min), MaxCapacity: ptr(max)})
	require.NoError(t, err)
	_, err = e.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyRequest{PolicyName: "cpu50", ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, PolicyType: autoscaling.PolicyTypeTargetTracking,
		TargetTrackingScalingPolicyConfiguration: &autoscaling.TargetTrackingScalingPolicyConfiguration{TargetValue: target,
			PredefinedMetricSpecification: &autoscaling.PredefinedMetricSpecification{PredefinedMetricType: autoscaling.MetricECSServiceCPU}}})
	require.NoError(t, err)
}

func desired(t *testing.T, e *ECS) (int, int) {
	t.Helper()
	out, err := e.DescribeServices(context.Background(), &ecs.DescribeServicesRequest{Services: []string{"web"}})
	require.NoError(t, err)
	return out.Services[0].DesiredCount, out.Services[0].RunningCount
}

// TestTargetTrackingOnTheClock is the scenario on the Go API: a
// 50 % CPU target for 2 tasks (min 2, max 10); 90 % CPU scales out within
// minutes to the count that brings the metric to the target (the total
// CPU demand stays, spread over more tasks), and 10 % scales back in, no
// sooner than the scale-in alarm's 15 minutes, to the minimum
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html).
func TestTargetTrackingOnTheClock(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	webTarget(t, e, 2, 10, 50)
	m, err := e.SetLoad(ctx, Load{Service: "web", CPUUtilization: ptr(90.0)})
	require.NoError(t, err)
	require.InDelta(t, 90, m.CPUUtilization, 1e-9)
	advance(e, 2*time.Minute)
	n, _ := desired(t, e)
	require.Equal(t, 2, n, "3 datapoints above the target are needed")
	advance(e, 3*time.Minute)
	n, _ = desired(t, e)
	require.Equal(t, 4, n, "ceil(2 × 90 / 50)")
	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	m, err = e.Metrics(ctx, "", "web")
	require.NoError(t, err)
	require.InDelta(t, 45, m.CPUUtilization, 1e-9, "the same demand over 4 tasks")
	advance(e, 30*time.Minute)
	n, _ = desired(t, e)
	require.Equal(t, 4, n, "45 % is within 90 % of the target: no scale-in")

	act, err := e.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web"})
	require.NoError(t, err)
	require.Len(t, act.ScalingActivities, 1)
	require.Equal(t, "Setting desired count to 4.", act.ScalingActivities[0].Description)
	require.Contains(t, act.ScalingActivities[0].Cause, "AlarmHigh")
	require.Equal(t, autoscaling.ActivityStatusSuccessful, act.ScalingActivities[0].StatusCode)

	_, err = e.SetLoad(ctx, Load{Service: "web", CPUUtilization: ptr(10.0)})
	require.NoError(t, err)
	advance(e, 10*time.Minute)
	n, _ = desired(t, e)
	require.Equal(t, 4, n, "scale-in waits for 15 low datapoints")
	advance(e, 10*time.Minute)
	n, _ = desired(t, e)
	require.Equal(t, 2, n, "ceil(4 × 10 / 50) = 1, held at the minimum")
	advance(e, time.Hour)
	n, _ = desired(t, e)
	require.Equal(t, 2, n)
}

// TestScalableTargetBounds: registering new bounds moves the desired
// count into them at once, with the activity Application Auto Scaling
// records; a scheduled action does the same at its time
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ScalableTargetAction.html).
func TestScalableTargetBounds(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	webTarget(t, e, 1, 10, 50)
	_, err := e.RegisterScalableTarget(ctx, &autoscaling.RegisterScalableTargetRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, MinCapacity: ptr(3)})
	require.NoError(t, err)
	n, _ := desired(t, e)
	require.Equal(t, 3, n)
	start := e.Clock().Now().UTC().Add(10 * time.Minute).Truncate(time.Minute)
	_, err = e.PutScheduledAction(ctx, &autoscaling.PutScheduledActionRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, ScheduledActionName: "night", Schedule: "at(" + start.Format("2006-01-02T15:04:05") + ")",
		ScalableTargetAction: &autoscaling.ScalableTargetAction{MinCapacity: ptr(1), MaxCapacity: ptr(1)}})
	require.NoError(t, err)
	advance(e, 12*time.Minute)
	n, _ = desired(t, e)
	require.Equal(t, 1, n)
	tg, err := e.DescribeScalableTargets(ctx, &autoscaling.DescribeScalableTargetsRequest{ServiceNamespace: "ecs"})
	require.NoError(t, err)
	require.Len(t, tg.ScalableTargets, 1)
	require.Equal(t, 1, tg.ScalableTargets[0].MaxCapacity)
	act, err := e.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesRequest{ServiceNamespace: "ecs"})
	require.NoError(t, err)
	require.Len(t, act.ScalingActivities, 2)
	require.Equal(t, "maximum capacity was set to 1", act.ScalingActivities[0].Cause)
	require.Equal(t, "minimum capacity was set to 3", act.ScalingActivities[1].Cause)
}

// TestAutoScalingErrors: the API's exceptions for what it refuses.
func TestAutoScalingErrors(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	webTarget(t, e, 2, 10, 50)
	dim := autoscaling.DimensionECSDesiredCount
	_, err := e.RegisterScalableTarget(ctx, &autoscaling.RegisterScalableTargetRequest{ServiceNamespace: "ecs", ResourceId: "service/default/nope",
		ScalableDimension: dim, MinCapacity: ptr(1), MaxCapacity: ptr(2)})
	requireRefused(t, err, aasValidation, "ECS service doesn't exist")
	_, err = e.RegisterScalableTarget(ctx, &autoscaling.RegisterScalableTargetRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: dim, MinCapacity: ptr(5), MaxCapacity: ptr(2)})
	requireRefused(t, err, aasValidation, "MinCapacity (5) cannot be greater than MaxCapacity (2)")
	_, err = e.RegisterScalableTarget(ctx, &autoscaling.RegisterScalableTargetRequest{ServiceNamespace: "s3", ResourceId: "x", ScalableDimension: dim})
	requireRefused(t, err, aasValidation, "enum value set")
	_, err = e.DeleteScalingPolicy(ctx, &autoscaling.DeleteScalingPolicyRequest{ServiceNamespace: "dynamodb", ResourceId: "table/t",
		ScalableDimension: "dynamodb:table:ReadCapacityUnits", PolicyName: "p"})
	requireRefused(t, err, aasObjectNotFound, "No scalable target registered")
	out, err := e.DescribeScalableTargets(ctx, &autoscaling.DescribeScalableTargetsRequest{ServiceNamespace: "dynamodb"})
	require.NoError(t, err)
	require.Empty(t, out.ScalableTargets)
	_, err = e.DescribeScalingPolicies(ctx, &autoscaling.DescribeScalingPoliciesRequest{ServiceNamespace: "ecs", NextToken: "zz"})
	requireRefused(t, err, aasInvalidNextToken, "Invalid token")
	_, err = e.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyRequest{PolicyName: "p", ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: dim, PolicyType: autoscaling.PolicyTypeTargetTracking})
	requireRefused(t, err, aasValidation, "TargetTrackingScalingPolicyConfiguration is required")
	_, err = e.DeregisterScalableTarget(ctx, &autoscaling.DeregisterScalableTargetRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web", ScalableDimension: dim})
	require.NoError(t, err)
	_, err = e.DeregisterScalableTarget(ctx, &autoscaling.DeregisterScalableTargetRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web", ScalableDimension: dim})
	requireRefused(t, err, aasObjectNotFound, "No scalable target registered")
	require.Nil(t, e.aas.tick, "no evaluation runs without a target")
}

// TestAutoScalingServed: the Application Auto Scaling JSON API on the
// handler (X-Amz-Target AnyScaleFrontendService.<Op>), its errors'
// __type the API's exception names, pages of MaxResults with NextToken,
// and the load endpoint moving the metrics.
func TestAutoScalingServed(t *testing.T) {
	e := newTestECS(t)
	webTarget(t, e, 2, 10, 50)
	c := newAPIClient(t, e)
	c.prefix = aasTargetPrefix
	for _, name := range []string{"b", "a", "c"} {
		c.call("PutScheduledAction", map[string]any{"ServiceNamespace": "ecs", "ResourceId": "service/default/web",
			"ScalableDimension": "ecs:service:DesiredCount", "ScheduledActionName": name, "Schedule": "cron(0 8 * * ? *)",
			"ScalableTargetAction": map[string]any{"MinCapacity": 3}}, nil)
	}
	var page autoscaling.DescribeScheduledActionsResponse
	c.call("DescribeScheduledActions", map[string]any{"ServiceNamespace": "ecs", "MaxResults": 2}, &page)
	require.Len(t, page.ScheduledActions, 2)
	require.Equal(t, "b", page.ScheduledActions[0].ScheduledActionName)
	require.NotEmpty(t, page.NextToken)
	token := page.NextToken
	page = autoscaling.DescribeScheduledActionsResponse{}
	c.call("DescribeScheduledActions", map[string]any{"ServiceNamespace": "ecs", "MaxResults": 2, "NextToken": token}, &page)
	require.Len(t, page.ScheduledActions, 1)
	require.Empty(t, page.NextToken)

	var pol autoscaling.DescribeScalingPoliciesResponse
	c.call("DescribeScalingPolicies", map[string]any{"ServiceNamespace": "ecs"}, &pol)
	require.Len(t, pol.ScalingPolicies, 1)
	require.Len(t, pol.ScalingPolicies[0].Alarms, 2)

	require.Equal(t, apiError{aasObjectNotFound, "No scalable target registered for service namespace: ecs, resource ID: service/default/api, scalable dimension: ecs:service:DesiredCount"},
		c.fail("PutScalingPolicy", map[string]any{"ServiceNamespace": "ecs", "ResourceId": "service/default/api", "ScalableDimension": "ecs:service:DesiredCount", "PolicyName": "p"}))
	require.Equal(t, unknownOperationException, c.fail("Nope", map[string]any{}).Type)
	require.Equal(t, aasValidation, c.fail("DescribeScalableTargets", map[string]any{"ServiceNamespace": "ecs", "MaxResults": 51}).Type)

	req := httptest.NewRequest(http.MethodPost, "/_ecslocal/load", strings.NewReader(`{"service": "web", "cpuUtilization": 90}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.JSONEq(t, `{"cpuUtilization": 90, "memoryUtilization": 0, "requestCountPerTarget": null, "runningTasks": 2, "healthyTargets": 2}`, rec.Body.String())
	var targets autoscaling.DescribeScalableTargetsResponse
	c.call("DescribeScalableTargets", map[string]any{"ServiceNamespace": "ecs"}, &targets)
	arn := targets.ScalableTargets[0].ScalableTargetARN
	c.call("TagResource", map[string]any{"ResourceARN": arn, "Tags": map[string]string{"team": "web", "env": "prod"}}, nil)
	c.call("UntagResource", map[string]any{"ResourceARN": arn, "TagKeys": []string{"env"}}, nil)
	var tags autoscaling.ListTagsForResourceResponse
	c.call("ListTagsForResource", map[string]any{"ResourceARN": arn}, &tags)
	require.Equal(t, map[string]string{"team": "web"}, tags.Tags)
	require.Equal(t, aasObjectNotFound, c.fail("ListTagsForResource", map[string]any{"ResourceARN": arn + "x"}).Type)

	advance(e, 5*time.Minute)
	n, _ := desired(t, e)
	require.Equal(t, 4, n)
	var act autoscaling.DescribeScalingActivitiesResponse
	c.call("DescribeScalingActivities", map[string]any{"ServiceNamespace": "ecs", "ResourceId": "service/default/web"}, &act)
	require.Len(t, act.ScalingActivities, 1)
}

// TestStepScalingOnTheClock: a step scaling policy runs while the alarm
// PutMetricAlarm set is in ALARM: +2 tasks from 70 % CPU, each step
// waiting for the cooldown after a scale-out only to add more than the
// last one did
// (https://docs.aws.amazon.com/autoscaling/application/userguide/step-scaling-policy-overview.html).
func TestStepScalingOnTheClock(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	webTarget(t, e, 2, 6, 50)
	_, err := e.DeleteScalingPolicy(ctx, &autoscaling.DeleteScalingPolicyRequest{PolicyName: "cpu50", ServiceNamespace: "ecs",
		ResourceId: "service/default/web", ScalableDimension: autoscaling.DimensionECSDesiredCount})
	require.NoError(t, err)
	_, err = e.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyRequest{PolicyName: "up", ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, PolicyType: autoscaling.PolicyTypeStepScaling,
		StepScalingPolicyConfiguration: &autoscaling.StepScalingPolicyConfiguration{AdjustmentType: autoscaling.AdjustmentChangeInCapacity,
			Cooldown: ptr(60), StepAdjustments: []autoscaling.StepAdjustment{{MetricIntervalLowerBound: ptr(0.0), ScalingAdjustment: 2}}}})
	require.NoError(t, err)
	require.NoError(t, e.PutMetricAlarm(ctx, MetricAlarm{AlarmName: "cpu-high", ResourceId: "service/default/web", PolicyName: "up",
		MetricName: "CPUUtilization", ComparisonOperator: "GreaterThanOrEqualToThreshold", Threshold: 70, EvaluationPeriods: 2}))
	pol, err := e.DescribeScalingPolicies(ctx, &autoscaling.DescribeScalingPoliciesRequest{ServiceNamespace: "ecs"})
	require.NoError(t, err)
	require.Equal(t, "cpu-high", pol.ScalingPolicies[0].Alarms[0].AlarmName)

	_, err = e.SetLoad(ctx, Load{Service: "web", CPUUtilization: ptr(95.0)}) // 190: 4 tasks are at 47.5 %
	require.NoError(t, err)
	advance(e, 3*time.Minute)
	n, _ := desired(t, e)
	require.Equal(t, 4, n, "one step of +2")
	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	advance(e, 10*time.Minute)
	n, _ = desired(t, e)
	require.Equal(t, 4, n, "below the threshold, the alarm is OK")
	act, err := e.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesRequest{ServiceNamespace: "ecs"})
	require.NoError(t, err)
	require.Equal(t, "monitor alarm cpu-high in state ALARM triggered policy up", act.ScalingActivities[0].Cause)
}

// TestLoadCurveAndRequests: a load given as a curve of totals is read
// each minute, and ALBRequestCountPerTarget is the requests over the
// targets (the RUNNING tasks, for a service without a load balancer).
func TestLoadCurveAndRequests(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	webTarget(t, e, 2, 10, 50)
	start := e.Clock().Now()
	_, err := e.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyRequest{PolicyName: "cpu50", ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, PolicyType: autoscaling.PolicyTypeTargetTracking,
		TargetTrackingScalingPolicyConfiguration: &autoscaling.TargetTrackingScalingPolicyConfiguration{TargetValue: 1000,
			PredefinedMetricSpecification: &autoscaling.PredefinedMetricSpecification{PredefinedMetricType: autoscaling.MetricALBRequestCount,
				ResourceLabel: "app/web/0123456789abcdef/targetgroup/web/0123456789abcdef"}}})
	require.NoError(t, err)
	_, err = e.SetLoad(ctx, Load{Service: "web", CPUUtilization: ptr(1.0)})
	require.Error(t, func() error {
		_, err := e.SetLoad(ctx, Load{Service: "web", CPUUtilization: ptr(1.0), Curve: func(time.Time) ServiceLoad { return ServiceLoad{} }})
		return err
	}())
	require.NoError(t, err)
	_, err = e.SetLoad(ctx, Load{Service: "web", Curve: func(t time.Time) ServiceLoad {
		if t.Sub(start) < 20*time.Minute {
			return ServiceLoad{Requests: 2000}
		}
		return ServiceLoad{Requests: 6000}
	}})
	require.NoError(t, err)
	m, err := e.Metrics(ctx, "", "web")
	require.NoError(t, err)
	require.InDelta(t, 1000, m.RequestCountPerTarget, 1e-9)
	require.InDelta(t, 0, m.CPUUtilization, 1e-9, "the curve replaces the CPU load")
	advance(e, 19*time.Minute)
	n, _ := desired(t, e)
	require.Equal(t, 2, n, "at the target")
	advance(e, 5*time.Minute)
	n, _ = desired(t, e)
	require.Equal(t, 6, n, "ceil(2 × 3000 / 1000)")
}

// TestNoScaleInDuringDeployment: "Application Auto Scaling turns off
// scale-in processes while Amazon ECS deployments are in progress"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html),
// and a suspended scale-in does nothing either.
func TestNoScaleInDuringDeployment(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	webTarget(t, e, 1, 10, 50)
	_, err := e.SetLoad(ctx, Load{Service: "web", CPUUtilization: ptr(10.0)})
	require.NoError(t, err)
	_, err = e.RegisterScalableTarget(ctx, &autoscaling.RegisterScalableTargetRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, SuspendedState: &autoscaling.SuspendedState{DynamicScalingInSuspended: true}})
	require.NoError(t, err)
	advance(e, 30*time.Minute)
	n, _ := desired(t, e)
	require.Equal(t, 2, n, "scale-in suspended")

	huge := taskDef(t, e, "huge", 256, 64*1024, 0) // no instance has the memory: the deployment stays in progress
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: huge.TaskDefinitionARN})
	require.NoError(t, err)
	_, err = e.RegisterScalableTarget(ctx, &autoscaling.RegisterScalableTargetRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, SuspendedState: &autoscaling.SuspendedState{}})
	require.NoError(t, err)
	advance(e, 30*time.Minute)
	out, err := e.DescribeServices(ctx, &ecs.DescribeServicesRequest{Services: []string{"web"}})
	require.NoError(t, err)
	require.Len(t, out.Services[0].Deployments, 2, "still deploying")
	require.Equal(t, 2, out.Services[0].DesiredCount, "no scale-in while deploying")

	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", TaskDefinition: "web"})
	require.NoError(t, err)
	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	advance(e, 16*time.Minute)
	n, _ = desired(t, e)
	require.Equal(t, 1, n, "after the deployment: ceil(2 × 10 / 50)")
}

// TestAutoScalingQuotas: a scalable target takes at most 200 scheduled
// actions and 50 scaling policies, then LimitExceededException
// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-limits.html).
func TestAutoScalingQuotas(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	webTarget(t, e, 2, 10, 50)
	put := func(i int) error {
		_, err := e.PutScheduledAction(ctx, &autoscaling.PutScheduledActionRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web",
			ScalableDimension: autoscaling.DimensionECSDesiredCount, ScheduledActionName: "a" + strconv.Itoa(i), Schedule: "rate(1 day)"})
		return err
	}
	for i := range aasMaxActions {
		require.NoError(t, put(i))
	}
	requireRefused(t, put(aasMaxActions), aasLimitExceeded, "at most 200 scheduled actions")
	require.NoError(t, put(0), "an update is no new action")
	for i := 1; i < aasMaxPolicies; i++ { // cpu50 is the first
		_, err := e.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyRequest{PolicyName: "p" + strconv.Itoa(i), ServiceNamespace: "ecs",
			ResourceId: "service/default/web", ScalableDimension: autoscaling.DimensionECSDesiredCount, PolicyType: autoscaling.PolicyTypeTargetTracking,
			TargetTrackingScalingPolicyConfiguration: &autoscaling.TargetTrackingScalingPolicyConfiguration{TargetValue: 50,
				PredefinedMetricSpecification: &autoscaling.PredefinedMetricSpecification{PredefinedMetricType: autoscaling.MetricECSServiceMemory}}})
		require.NoError(t, err)
	}
	_, err := e.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyRequest{PolicyName: "one-more", ServiceNamespace: "ecs",
		ResourceId: "service/default/web", ScalableDimension: autoscaling.DimensionECSDesiredCount, PolicyType: autoscaling.PolicyTypeTargetTracking,
		TargetTrackingScalingPolicyConfiguration: &autoscaling.TargetTrackingScalingPolicyConfiguration{TargetValue: 50,
			PredefinedMetricSpecification: &autoscaling.PredefinedMetricSpecification{PredefinedMetricType: autoscaling.MetricECSServiceMemory}}})
	requireRefused(t, err, aasLimitExceeded, "at most 50 scaling policies")
}
