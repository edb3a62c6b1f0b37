package ecstest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/stretchr/testify/require"
)

// putAction schedules a MinCapacity change on service/default/web at the
// minute after now + d.
func putAction(t *testing.T, e *ECS, name string, d time.Duration, min int) {
	t.Helper()
	at := e.Clock().Now().UTC().Add(d).Truncate(time.Minute)
	_, err := e.PutScheduledAction(context.Background(), &autoscaling.PutScheduledActionRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, ScheduledActionName: name, Schedule: "at(" + at.Format("2006-01-02T15:04:05") + ")",
		ScalableTargetAction: &autoscaling.ScalableTargetAction{MinCapacity: ptr(min)}})
	require.NoError(t, err)
}

func activities(t *testing.T, e *ECS) []autoscaling.ScalingActivity {
	t.Helper()
	act, err := e.DescribeScalingActivities(context.Background(), &autoscaling.DescribeScalingActivitiesRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web"})
	require.NoError(t, err)
	return act.ScalingActivities
}

// TestScheduledActionBeyondMax: a scheduled action whose MinCapacity is
// above the target's MaxCapacity is accepted (the bounds at run time are
// unknown when it is put: "you must include both sizes to ensure that the
// new minimum capacity is not greater than the maximum capacity",
// https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-policy-overview.html);
// its run fails with a Failed activity and target tracking keeps scaling.
func TestScheduledActionBeyondMax(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	webTarget(t, e, 2, 10, 50)
	putAction(t, e, "too-high", 2*time.Minute, 20)
	_, err := e.SetLoad(ctx, Load{Service: "web", CPUUtilization: ptr(90.0)})
	require.NoError(t, err)
	advance(e, 6*time.Minute)
	n, _ := desired(t, e)
	require.Equal(t, 4, n, "target tracking still scales out")
	var failed int
	for _, a := range activities(t, e) {
		if a.StatusCode == autoscaling.ActivityStatusFailed {
			failed++
			require.Contains(t, a.StatusMessage, "MinCapacity 20")
		}
	}
	require.Equal(t, 1, failed)
}

// TestTickActivitiesFailTogether: the activities of one tick set the
// desired count with one UpdateService; when ECS refuses it (here past
// the quota of tasks per service,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html)
// none of them took effect, and each is recorded as Failed.
func TestTickActivitiesFailTogether(t *testing.T) {
	e := newTestECS(t, func(o *Options) { o.Quotas.TasksPerService = 4 })
	webTarget(t, e, 2, 10, 50)
	putAction(t, e, "a", 2*time.Minute, 3)
	putAction(t, e, "b", 2*time.Minute, 5)
	advance(e, 4*time.Minute)
	n, _ := desired(t, e)
	require.Equal(t, 2, n)
	acts := activities(t, e)
	require.Len(t, acts, 2)
	for _, a := range acts {
		require.Equal(t, autoscaling.ActivityStatusFailed, a.StatusCode, a.Description)
		require.Contains(t, a.StatusMessage, "Failed to set desired count to 5")
	}
}

// TestDescribeScalableTargetsResourceIds: DescribeScalableTargets takes
// at most 50 ResourceIds (the API model's length constraint,
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalableTargets.html).
func TestDescribeScalableTargetsResourceIds(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	ids := make([]string, maxDescribeResourceIds+1)
	for i := range ids {
		ids[i] = fmt.Sprintf("service/default/s%d", i)
	}
	_, err := e.DescribeScalableTargets(ctx, &autoscaling.DescribeScalableTargetsRequest{ServiceNamespace: "ecs", ResourceIds: ids})
	requireRefused(t, err, aasValidation, "resourceIds")
	_, err = e.DescribeScalableTargets(ctx, &autoscaling.DescribeScalableTargetsRequest{ServiceNamespace: "ecs", ResourceIds: ids[:maxDescribeResourceIds]})
	require.NoError(t, err)
}

// TestAASUUIDKinds: identifiers of different kinds made at the same count
// differ (a policy's UUID is not a scalable target's).
func TestAASUUIDKinds(t *testing.T) {
	e := newTestECS(t)
	seen := map[string]string{}
	for _, kind := range []string{"target", "policy", "action", "activity"} {
		id := e.aasUUID(kind)
		require.NotContains(t, seen, id, "%s and %s", kind, seen[id])
		seen[id] = kind
	}
}

// TestScheduledActionLocalZone: Timezone "Local" (Go's name for the host's
// zone, not an IANA name) is refused, so a schedule never depends on the
// machine (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html:
// "Valid values are the canonical names of the IANA time zones").
func TestScheduledActionLocalZone(t *testing.T) {
	e := newTestECS(t)
	webTarget(t, e, 2, 10, 50)
	_, err := e.PutScheduledAction(context.Background(), &autoscaling.PutScheduledActionRequest{ServiceNamespace: "ecs", ResourceId: "service/default/web",
		ScalableDimension: autoscaling.DimensionECSDesiredCount, ScheduledActionName: "x", Schedule: "cron(0 3 * * ? *)", Timezone: "Local",
		ScalableTargetAction: &autoscaling.ScalableTargetAction{MinCapacity: ptr(2)}})
	requireRefused(t, err, aasValidation, "Timezone")
}

// TestScheduledActionRescheduled: the evaluation keeps each action's next
// run rather than scanning its schedule each minute; changing the
// schedule (PutScheduledAction updates "only the members given",
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html)
// drops it, so the new time runs.
func TestScheduledActionRescheduled(t *testing.T) {
	e := newTestECS(t)
	webTarget(t, e, 2, 10, 50)
	putAction(t, e, "x", 30*time.Minute, 5)
	advance(e, 2*time.Minute)
	putAction(t, e, "x", 5*time.Minute, 4)
	advance(e, 6*time.Minute)
	n, _ := desired(t, e)
	require.Equal(t, 4, n)
	advance(e, 30*time.Minute)
	n, _ = desired(t, e)
	require.Equal(t, 4, n, "the former time no longer runs")
}
