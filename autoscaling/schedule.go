package autoscaling

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidSchedule is wrapped by the errors of [ParseSchedule].
var ErrInvalidSchedule = errors.New("invalid schedule expression")

// Schedule is a parsed schedule expression of a scheduled action: one of
//
//	at(yyyy-mm-ddThh:mm:ss)
//	rate(value unit)        unit: minute, minutes, hour, hours, day, days
//	cron(Minutes Hours Day-of-month Month Day-of-week Year)
//
// as https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html
// describes them. At and cron times are wall-clock times in the action's
// time zone.
type Schedule struct {
	expr string
	at   time.Time // wall clock, in UTC fields
	rate time.Duration
	cron *cronSpec
}

// String returns the expression the schedule was parsed from.
func (s Schedule) String() string { return s.expr }

// maxExpressionLength bounds the input: the API's Schedule member is at
// most 1,600 characters.
const maxExpressionLength = 1600

// ParseSchedule parses a schedule expression.
func ParseSchedule(expr string) (Schedule, error) {
	if len(expr) > maxExpressionLength {
		return Schedule{}, fmt.Errorf("%w: Schedule is longer than %d characters", ErrInvalidSchedule, maxExpressionLength)
	}
	open := strings.IndexByte(expr, '(')
	if open < 0 || !strings.HasSuffix(expr, ")") {
		return Schedule{}, fmt.Errorf("%w: %q: want at(...), rate(...) or cron(...)", ErrInvalidSchedule, expr)
	}
	kind, body := expr[:open], expr[open+1:len(expr)-1]
	s := Schedule{expr: expr}
	var err error
	switch kind {
	case "at":
		s.at, err = time.Parse("2006-01-02T15:04:05", body)
		if err != nil {
			err = fmt.Errorf("%w: %q: an at expression is at(yyyy-mm-ddThh:mm:ss)", ErrInvalidSchedule, expr)
		}
	case "rate":
		s.rate, err = parseRate(body)
	case "cron":
		s.cron, err = parseCron(body)
	default:
		err = fmt.Errorf("%w: %q: want at(...), rate(...) or cron(...)", ErrInvalidSchedule, expr)
	}
	if err != nil {
		return Schedule{}, err
	}
	return s, nil
}

// parseRate parses the body of a rate expression: a positive integer and
// a unit.
func parseRate(body string) (time.Duration, error) {
	f := strings.Fields(body)
	if len(f) != 2 {
		return 0, fmt.Errorf("%w: rate(%s): a rate expression is rate(value unit)", ErrInvalidSchedule, body)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 || n > 1e6 {
		return 0, fmt.Errorf("%w: rate(%s): the value must be a positive integer", ErrInvalidSchedule, body)
	}
	units := map[string]time.Duration{"minute": time.Minute, "minutes": time.Minute, "hour": time.Hour, "hours": time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour}
	u, ok := units[f[1]]
	if !ok {
		return 0, fmt.Errorf("%w: rate(%s): the unit must be minute, minutes, hour, hours, day or days", ErrInvalidSchedule, body)
	}
	return time.Duration(n) * u, nil
}

// Next returns the first time after after at which the schedule runs, in
// loc (UTC when nil), and false when it never runs again. A rate runs at
// anchor plus each whole multiple of the rate (the action's StartTime, or
// its CreationTime without one). A wall-clock time that a daylight-saving
// change skips runs as time.Date normalises it.
func (s Schedule) Next(after, anchor time.Time, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	switch {
	case s.rate > 0:
		return s.nextRate(after, anchor)
	case s.cron != nil:
		return s.cron.next(after, loc)
	case !s.at.IsZero():
		t := time.Date(s.at.Year(), s.at.Month(), s.at.Day(), s.at.Hour(), s.at.Minute(), s.at.Second(), 0, loc)
		return t, t.After(after)
	}
	return time.Time{}, false
}

// maxUnix is the largest Unix second time.Unix takes without wrapping
// (it adds the seconds from year 1 to 1970).
const maxUnix = math.MaxInt64 - 62135596800

// nextRate is the first anchor + k×rate (k ≥ 1) after after. It counts in
// whole seconds (a rate is whole minutes) so that anchors and times
// centuries apart, beyond what a time.Duration spans, neither saturate
// nor wrap; a run that would fall beyond the int64 seconds of time.Time
// never happens.
func (s Schedule) nextRate(after, anchor time.Time) (time.Time, bool) {
	if after.Before(anchor) {
		return anchor.Add(s.rate), true
	}
	rs := int64(s.rate / time.Second)
	as := anchor.Unix()
	d := after.Unix() - as // ≥ 0 unless it wrapped
	if d < 0 {
		return time.Time{}, false
	}
	k := d/rs + 1
	if k > math.MaxInt64/rs || (as > 0 && k*rs > maxUnix-as) {
		return time.Time{}, false
	}
	t := time.Unix(as+k*rs, int64(anchor.Nanosecond())).In(anchor.Location())
	if prev := t.Add(-s.rate); prev.After(after) {
		t = prev // after's fraction of a second is below anchor's
	}
	return t, true
}
