package ecstest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// eventsWorld is an ECS on a stopped clock with the default cluster, an
// instance and the task definition "job".
func eventsWorld(t *testing.T) *ECS {
	t.Helper()
	ctx := context.Background()
	e := newTestECS(t)
	_, err := e.LaunchInstance(ctx, "default", Instance{InstanceType: "c5.xlarge", AvailabilityZone: "us-east-1a"})
	require.NoError(t, err)
	memory := 32
	_, err = e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionRequest{Family: "job",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "busybox", Memory: &memory}}})
	require.NoError(t, err)
	return e
}

// ecsTarget is an ECS target running n tasks of "job" on the default
// cluster.
func ecsTarget(e *ECS, id string, n int) EventsTarget {
	return EventsTarget{ID: id, Arn: e.arns.cluster("default"), RoleArn: "arn:aws:iam::123456789012:role/ecsEventsRole",
		EcsParameters: &EventsEcsParams{TaskDefinitionArn: "job", TaskCount: &n, LaunchType: ecs.LaunchTypeEC2}}
}

// startedByRule counts the tasks of the default cluster a rule started.
func startedByRule(t *testing.T, e *ECS, rule string) int {
	t.Helper()
	resp, err := e.ListTasks(context.Background(), &ecs.ListTasksRequest{Cluster: "default", StartedBy: eventsStartedBy(rule)})
	require.NoError(t, err)
	return len(resp.TaskARNs)
}

// TestScheduledRuleRuns checks that an enabled rule runs RunTask with its
// targets' parameters at each time of its schedule, on the virtual clock
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/scheduled_tasks.html),
// and that a disabled one runs nothing.
func TestScheduledRuleRuns(t *testing.T) {
	tests := []struct {
		name     string
		schedule string
		count    int
		runs     int // in the hour after t0 (06:00 UTC)
	}{
		{"every 5 minutes", "rate(5 minutes)", 1, 12},
		{"every 2 minutes, 2 tasks", "rate(2 minutes)", 2, 30},
		{"every minute", "rate(1 minute)", 1, 60},
		{"quarter hours by cron", "cron(0/15 * * * ? *)", 1, 4},
		{"hourly at :30", "cron(30 * * * ? *)", 1, 1},
		{"daily", "rate(1 day)", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := eventsWorld(t)
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "sched", ScheduleExpression: tt.schedule})
			require.NoError(t, err)
			put, err := e.PutTargets(ctx, &PutTargetsRequest{Rule: "sched", Targets: []EventsTarget{ecsTarget(e, "job", tt.count)}})
			require.NoError(t, err)
			require.Zero(t, put.FailedEntryCount)
			e.Clock().Advance(time.Hour)
			require.Equal(t, tt.runs*tt.count, startedByRule(t, e, "sched"))
			runs, err := e.RuleInvocations(ctx, "sched")
			require.NoError(t, err)
			require.Len(t, runs, tt.runs)
			for _, r := range runs {
				require.NoError(t, r.Err)
				require.Empty(t, r.Failures)
				require.Len(t, r.TaskArns, tt.count)
			}
		})
	}
}

// TestDisableRule checks that a disabled rule runs nothing and an enabled
// one runs again.
func TestDisableRule(t *testing.T) {
	ctx := context.Background()
	e := eventsWorld(t)
	_, err := e.PutRule(ctx, &PutRuleRequest{Name: "sched", ScheduleExpression: "rate(10 minutes)", State: "DISABLED"})
	require.NoError(t, err)
	_, err = e.PutTargets(ctx, &PutTargetsRequest{Rule: "sched", Targets: []EventsTarget{ecsTarget(e, "job", 1)}})
	require.NoError(t, err)
	e.Clock().Advance(time.Hour)
	require.Zero(t, startedByRule(t, e, "sched"))
	_, err = e.EnableRule(ctx, &RuleNameRequest{Name: "sched"})
	require.NoError(t, err)
	e.Clock().Advance(time.Hour)
	require.Equal(t, 6, startedByRule(t, e, "sched"))
	_, err = e.DisableRule(ctx, &RuleNameRequest{Name: "sched"})
	require.NoError(t, err)
	e.Clock().Advance(time.Hour)
	require.Equal(t, 6, startedByRule(t, e, "sched"))
	rule, err := e.DescribeRule(ctx, &DescribeRuleRequest{Name: "sched"})
	require.NoError(t, err)
	require.Equal(t, EventsRule{Name: "sched", Arn: "arn:aws:events:us-east-1:123456789012:rule/sched",
		ScheduleExpression: "rate(10 minutes)", State: "DISABLED", EventBusName: "default"}, *rule)
}

// TestEventsRefusals checks the refusals of the rule and target
// operations, as EventBridge words them.
func TestEventsRefusals(t *testing.T) {
	ctx := context.Background()
	e := eventsWorld(t)
	_, err := e.PutRule(ctx, &PutRuleRequest{Name: "sched", ScheduleExpression: "rate(5 minutes)"})
	require.NoError(t, err)
	tests := []struct {
		name    string
		call    func() error
		errType string
		message string
	}{
		// No at() for rules; a rate's unit agrees with its value
		// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html).
		{"at", func() error {
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "x", ScheduleExpression: "at(2026-01-01T00:00:00)"})
			return err
		}, validationException, "Parameter ScheduleExpression is not valid"},
		{"rate(1 minutes)", func() error {
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "x", ScheduleExpression: "rate(1 minutes)"})
			return err
		}, validationException, "singular"},
		{"rate(5 minute)", func() error {
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "x", ScheduleExpression: "rate(5 minute)"})
			return err
		}, validationException, "plural"},
		{"cron with 5 fields", func() error {
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "x", ScheduleExpression: "cron(0 * * * ?)"})
			return err
		}, validationException, "six fields"},
		{"no schedule", func() error {
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "x"})
			return err
		}, validationException, "EventPattern or ScheduleExpression must be specified"},
		{"event pattern", func() error {
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "x", EventPattern: `{"source":["aws.ecs"]}`})
			return err
		}, ecs.UnsupportedFeatureException, "scheduled rules only"},
		{"bad name", func() error {
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "a b", ScheduleExpression: "rate(5 minutes)"})
			return err
		}, validationException, "regular expression pattern"},
		{"bad state", func() error {
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "x", ScheduleExpression: "rate(5 minutes)", State: "ON"})
			return err
		}, validationException, "enum value set"},
		{"other bus", func() error {
			_, err := e.PutRule(ctx, &PutRuleRequest{Name: "x", ScheduleExpression: "rate(5 minutes)", EventBusName: "mine"})
			return err
		}, eventsNotFound, "Event bus mine does not exist"},
		{"describe missing", func() error {
			_, err := e.DescribeRule(ctx, &DescribeRuleRequest{Name: "nope"})
			return err
		}, eventsNotFound, "Rule nope does not exist on EventBus default."},
		{"targets of missing rule", func() error {
			_, err := e.PutTargets(ctx, &PutTargetsRequest{Rule: "nope", Targets: []EventsTarget{ecsTarget(e, "a", 1)}})
			return err
		}, eventsNotFound, "Rule nope does not exist"},
		{"duplicate target ids", func() error {
			_, err := e.PutTargets(ctx, &PutTargetsRequest{Rule: "sched", Targets: []EventsTarget{ecsTarget(e, "a", 1), ecsTarget(e, "a", 1)}})
			return err
		}, validationException, "duplicate target ID a"},
		// 5 targets per rule (eb-quota.html).
		{"six targets", func() error {
			var ts []EventsTarget
			for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
				ts = append(ts, ecsTarget(e, id, 1))
			}
			_, err := e.PutTargets(ctx, &PutTargetsRequest{Rule: "sched", Targets: ts})
			return err
		}, eventsLimit, "at most 5 targets"},
		// "The maximum number of entries per request is 10"
		// (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html).
		{"eleven targets in one request", func() error {
			var ts []EventsTarget
			for i := range 11 {
				ts = append(ts, ecsTarget(e, string(rune('a'+i)), 1))
			}
			_, err := e.PutTargets(ctx, &PutTargetsRequest{Rule: "sched", Targets: ts})
			return err
		}, validationException, "maximum number of entries per request is 10"},
		{"enable missing", func() error {
			_, err := e.EnableRule(ctx, &RuleNameRequest{Name: "nope"})
			return err
		}, eventsNotFound, "Rule nope does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var apiErr *ecs.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tt.errType, apiErr.Type)
			require.Contains(t, apiErr.Message, tt.message)
		})
	}
	list, err := e.ListRules(ctx, &ListRulesRequest{})
	require.NoError(t, err)
	require.Len(t, list.Rules, 1, "a refused PutRule makes no rule")
}

// TestPutTargetsFailedEntries checks that targets ecstest cannot run are
// failed entries, counted in FailedEntryCount, and the others are put;
// and that DeleteRule refuses a rule with targets until they are removed
// (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html).
func TestPutTargetsFailedEntries(t *testing.T) {
	ctx := context.Background()
	e := eventsWorld(t)
	_, err := e.PutRule(ctx, &PutRuleRequest{Name: "sched", ScheduleExpression: "rate(5 minutes)"})
	require.NoError(t, err)
	lambda := EventsTarget{ID: "fn", Arn: "arn:aws:lambda:us-east-1:123456789012:function:f"}
	noRole := ecsTarget(e, "norole", 1)
	noRole.RoleArn = ""
	badInput := ecsTarget(e, "input", 1)
	badInput.Input = "[1]"
	resp, err := e.PutTargets(ctx, &PutTargetsRequest{Rule: "sched", Targets: []EventsTarget{lambda, ecsTarget(e, "ok", 1), noRole, badInput}})
	require.NoError(t, err)
	require.Equal(t, 3, resp.FailedEntryCount)
	var ids []string
	for _, f := range resp.FailedEntries {
		ids = append(ids, f.TargetID)
		require.Equal(t, validationException, f.ErrorCode)
	}
	require.Equal(t, []string{"fn", "norole", "input"}, ids)
	list, err := e.ListTargetsByRule(ctx, &ListTargetsByRuleRequest{Rule: "sched"})
	require.NoError(t, err)
	require.Len(t, list.Targets, 1)
	require.Equal(t, "ok", list.Targets[0].ID)

	_, err = e.DeleteRule(ctx, &DeleteRuleRequest{Name: "sched"})
	require.ErrorContains(t, err, "Rule can't be deleted since it has targets.")
	_, err = e.RemoveTargets(ctx, &RemoveTargetsRequest{Rule: "sched", Ids: []string{"ok"}})
	require.NoError(t, err)
	_, err = e.DeleteRule(ctx, &DeleteRuleRequest{Name: "sched"})
	require.NoError(t, err)
	_, err = e.DeleteRule(ctx, &DeleteRuleRequest{Name: "sched"})
	require.NoError(t, err, "deleting a rule that is gone succeeds")
	e.Clock().Advance(time.Hour)
	require.Zero(t, startedByRule(t, e, "sched"))
}

// TestScheduledRunFailure checks that a run RunTask refuses is recorded
// with its error, and the schedule goes on.
func TestScheduledRunFailure(t *testing.T) {
	ctx := context.Background()
	e := eventsWorld(t)
	_, err := e.PutRule(ctx, &PutRuleRequest{Name: "sched", ScheduleExpression: "rate(30 minutes)"})
	require.NoError(t, err)
	tg := ecsTarget(e, "job", 1)
	tg.EcsParameters.TaskDefinitionArn = "missing"
	_, err = e.PutTargets(ctx, &PutTargetsRequest{Rule: "sched", Targets: []EventsTarget{tg}})
	require.NoError(t, err)
	e.Clock().Advance(time.Hour)
	runs, err := e.RuleInvocations(ctx, "sched")
	require.NoError(t, err)
	require.Len(t, runs, 2)
	require.Error(t, runs[0].Err)
	require.Equal(t, t0.Add(30*time.Minute), runs[0].Time)
}

// eventsCall sends body to an EventBridge operation of h.
func eventsCall(t *testing.T, h http.Handler, op, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte(body)))
	req.Header.Set("X-Amz-Target", "AWSEvents."+op)
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, out
}

// TestEventsServed checks the EventBridge JSON API beside ECS's on one
// handler, dispatched by X-Amz-Target prefix.
func TestEventsServed(t *testing.T) {
	e := eventsWorld(t)
	h := e.Handler()
	code, out := eventsCall(t, h, "PutRule", `{"Name":"every5","ScheduleExpression":"rate(5 minutes)"}`)
	require.Equal(t, 200, code, out)
	require.Equal(t, "arn:aws:events:us-east-1:123456789012:rule/every5", out["RuleArn"])
	code, out = eventsCall(t, h, "PutTargets", `{"Rule":"every5","Targets":[{"Id":"t1","Arn":"arn:aws:ecs:us-east-1:123456789012:cluster/default",
		"RoleArn":"arn:aws:iam::123456789012:role/r","EcsParameters":{"TaskDefinitionArn":"job","TaskCount":1,"LaunchType":"EC2",
		"PlacementStrategy":[{"type":"binpack","field":"memory"}],"Tags":[{"Key":"k","Value":"v"}]}}]}`)
	require.Equal(t, 200, code, out)
	require.Equal(t, float64(0), out["FailedEntryCount"])
	code, out = eventsCall(t, h, "ListTargetsByRule", `{"Rule":"every5"}`)
	require.Equal(t, 200, code, out)
	target := out["Targets"].([]any)[0].(map[string]any)
	require.Equal(t, "binpack", target["EcsParameters"].(map[string]any)["PlacementStrategy"].([]any)[0].(map[string]any)["type"])
	code, out = eventsCall(t, h, "ListRules", `{"NamePrefix":"every"}`)
	require.Equal(t, 200, code, out)
	require.Len(t, out["Rules"], 1)
	e.Clock().Advance(time.Hour)
	require.Equal(t, 12, startedByRule(t, e, "every5"))
	resp, err := e.DescribeTasks(context.Background(), &ecs.DescribeTasksRequest{Cluster: "default",
		Tasks: []string{mustList(t, e, "every5")[0]}, Include: []ecs.TaskField{ecs.TaskFieldTags}})
	require.NoError(t, err)
	require.Equal(t, []ecs.Tag{{Key: "k", Value: "v"}}, resp.Tasks[0].Tags)

	code, out = eventsCall(t, h, "PutEvents", `{}`)
	require.Equal(t, 400, code)
	require.Equal(t, ecs.UnsupportedFeatureException, out["__type"])
	code, out = eventsCall(t, h, "Nope", `{}`)
	require.Equal(t, 400, code)
	require.Equal(t, unknownOperationException, out["__type"])
	code, out = eventsCall(t, h, "DeleteRule", `{"Name":"every5"}`)
	require.Equal(t, 400, code)
	require.Equal(t, validationException, out["__type"])
}

func mustList(t *testing.T, e *ECS, rule string) []string {
	resp, err := e.ListTasks(context.Background(), &ecs.ListTasksRequest{Cluster: "default", StartedBy: eventsStartedBy(rule)})
	require.NoError(t, err)
	return resp.TaskARNs
}

// TestEventsStartedBy checks the startedBy of a rule's tasks: its name
// after events-rule/, cut to 36 characters.
func TestEventsStartedBy(t *testing.T) {
	require.Equal(t, "events-rule/nightly", eventsStartedBy("nightly"))
	require.Equal(t, "events-rule/prd-recommend-batch-even", eventsStartedBy("prd-recommend-batch-event-rule"))
}

// FuzzParseEventSchedule checks that any schedule expression is parsed or
// refused with a ValidationException, and a parsed one's next run is after
// the time asked about.
func FuzzParseEventSchedule(f *testing.F) {
	for _, s := range []string{"rate(5 minutes)", "rate(1 minute)", "rate(1 minutes)", "cron(0/15 * * * ? *)", "cron(0 8 ? * MON-FRI *)", "at(2026-01-01T00:00:00)", "rate(", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := parseEventSchedule(expr)
		if err != nil {
			var apiErr *ecs.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, validationException, apiErr.Type)
			return
		}
		if next, ok := s.next(t0, t0); ok {
			require.True(t, next.After(t0), "%s: next %v", expr, next)
		}
	})
}
