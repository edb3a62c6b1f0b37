package ecstest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/ecs"
)

// eventSchedule is a rule's schedule expression, parsed.
type eventSchedule struct {
	expr  string
	sched autoscaling.Schedule
}

// parseEventSchedule parses an EventBridge schedule expression with the
// parser of Application Auto Scaling's (the same rate and cron syntax),
// where EventBridge differs: it has no at(), a rate's unit is singular for
// a value of 1 and plural above ("rate(1 hours) and rate(5 hour) aren't
// valid", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html),
// and times are UTC (eb-scheduled-rule-pattern.html). A refusal is EventBridge's
// "Parameter ScheduleExpression is not valid." with the reason.
func parseEventSchedule(expr string) (eventSchedule, error) {
	invalid := func(why string) error {
		return validationf("Parameter ScheduleExpression is not valid: %s", why)
	}
	if len(expr) > 256 {
		return eventSchedule{}, invalid("it is longer than 256 characters.")
	}
	if strings.HasPrefix(expr, "at(") {
		return eventSchedule{}, invalid("a rule's schedule is rate(...) or cron(...); at(...) is EventBridge Scheduler's.")
	}
	if body, ok := strings.CutPrefix(expr, "rate("); ok {
		f := strings.Fields(strings.TrimSuffix(body, ")"))
		if len(f) == 2 {
			n, err := strconv.Atoi(f[0])
			if err == nil && (n == 1) == strings.HasSuffix(f[1], "s") {
				return eventSchedule{}, invalid(fmt.Sprintf("%q: the unit is singular for a value of 1 and plural above.", expr))
			}
		}
	}
	s, err := autoscaling.ParseSchedule(expr)
	if err != nil {
		return eventSchedule{}, apiErrorf(validationException, fmt.Errorf("%w: %w", ecs.ErrInvalid, err), "Parameter ScheduleExpression is not valid: %v.", err)
	}
	return eventSchedule{expr: expr, sched: s}, nil
}

// next is the first run after after (a rate counts from anchor), and
// false when there is none.
func (s eventSchedule) next(after, anchor time.Time) (time.Time, bool) {
	if s.expr == "" {
		return time.Time{}, false
	}
	return s.sched.Next(after, anchor, time.UTC)
}
