package autoscaling

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// TestParseSchedule encodes the three forms of the Schedule member of
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html
// and the cron fields of
// https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html.
func TestParseSchedule(t *testing.T) {
	good := []string{
		"at(2026-12-31T23:59:00)",
		"rate(5 minutes)", "rate(1 minute)", "rate(2 hours)", "rate(1 day)",
		"cron(0 8 ? * MON-FRI *)", "cron(15 10 ? * 6L 2026-2030)", "cron(0 18 L * ? *)",
		"cron(0/15 * * * ? *)", "cron(0 12 15W * ? *)", "cron(0 9 ? * 2#1 *)", "cron(0,30 8-17 ? JAN,JUL * *)",
	}
	for _, e := range good {
		s, err := ParseSchedule(e)
		require.NoError(t, err, e)
		require.Equal(t, e, s.String())
	}
	bad := []string{
		"", "at()", "at(2026-12-31 23:59:00)", "rate(0 minutes)", "rate(5 weeks)", "rate(five minutes)", "rate(5)",
		"cron(0 8 * * MON-FRI *)", "cron(0 8 ? * ? *)", "cron(0 8 ? * MON-FRI)", "cron(60 8 ? * * *)",
		"cron(0 24 * * ? *)", "cron(0 8 32 * ? *)", "cron(0 8 ? * 8 *)", "cron(0 8 ? 13 * *)", "cron(0 8 * * ? 2200)",
		"cron(5-1 8 * * ? *)", "cron(0/0 8 * * ? *)", "cron(0 8 ? * 2#6 *)", "every(5 minutes)", "cron(0 8 * * ? *",
	}
	for _, e := range bad {
		_, err := ParseSchedule(e)
		require.ErrorIs(t, err, ErrInvalidSchedule, e)
	}
}

func TestScheduleNext(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	require.NoError(t, err)
	friday := time.Date(2026, 12, 4, 9, 0, 0, 0, la) // a Friday
	tests := []struct {
		expr  string
		after time.Time
		loc   *time.Location
		want  time.Time
	}{
		{"cron(0 8 ? * MON-FRI *)", friday, la, time.Date(2026, 12, 7, 8, 0, 0, 0, la)},
		{"cron(0 8 ? * MON-FRI *)", friday.Add(-2 * time.Hour), la, time.Date(2026, 12, 4, 8, 0, 0, 0, la)},
		{"cron(0/15 * * * ? *)", t0.Add(time.Minute), time.UTC, t0.Add(15 * time.Minute)},
		{"cron(0 18 L * ? *)", t0, time.UTC, time.Date(2026, 12, 31, 18, 0, 0, 0, time.UTC)},
		{"cron(0 12 ? * 6L *)", t0, time.UTC, time.Date(2026, 12, 25, 12, 0, 0, 0, time.UTC)}, // last Friday
		{"cron(0 12 ? * 7L *)", t0, time.UTC, time.Date(2026, 12, 26, 12, 0, 0, 0, time.UTC)}, // last Saturday of the month
		// L alone in Day-of-week is "the last day of the week", Saturday, every week
		// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html).
		{"cron(0 12 ? * L *)", t0, time.UTC, time.Date(2026, 12, 12, 12, 0, 0, 0, time.UTC)},
		{"cron(0 12 ? * L *)", time.Date(2026, 12, 13, 0, 0, 0, 0, time.UTC), time.UTC, time.Date(2026, 12, 19, 12, 0, 0, 0, time.UTC)},
		{"cron(0 9 ? * 2#1 *)", t0, time.UTC, time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)},                                           // first Monday
		{"cron(0 12 5W * ? *)", t0, time.UTC, time.Date(2027, 1, 5, 12, 0, 0, 0, time.UTC)},                                          // a Tuesday
		{"cron(0 12 2W * ? *)", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC, time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)}, // Saturday 2nd: Friday 1st
		{"cron(0 0 1 1 ? 2030)", t0, time.UTC, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"at(2026-12-31T23:59:00)", t0, la, time.Date(2026, 12, 31, 23, 59, 0, 0, la)},
		{"rate(5 minutes)", t0.Add(7 * time.Minute), time.UTC, t0.Add(10 * time.Minute)},
	}
	for _, tc := range tests {
		s, err := ParseSchedule(tc.expr)
		require.NoError(t, err)
		got, ok := s.Next(tc.after, t0, tc.loc)
		require.True(t, ok, tc.expr)
		require.True(t, tc.want.Equal(got), "%s after %v: want %v, got %v", tc.expr, tc.after, tc.want, got)
	}
	s, _ := ParseSchedule("at(2020-01-01T00:00:00)")
	_, ok := s.Next(t0, t0, nil)
	require.False(t, ok, "an at() in the past never runs again")
	s, _ = ParseSchedule("cron(0 0 1 1 ? 2020)")
	_, ok = s.Next(t0, t0, nil)
	require.False(t, ok, "a cron whose years are past never runs again")
}

// TestScheduledRateRunsInAnHour: the check, a rate of 5 minutes
// runs 12 times in an hour.
func TestScheduledRateRunsInAnHour(t *testing.T) {
	a := ScheduledAction{ScheduledActionName: "every5", Schedule: "rate(5 minutes)", CreationTime: ecs.NewTime(t0)}
	runs, err := a.Due(t0, t0.Add(time.Hour), 100)
	require.NoError(t, err)
	require.Len(t, runs, 12)
	end := t0.Add(30 * time.Minute)
	a.EndTime = ecs.NewTime(end)
	runs, err = a.Due(t0, t0.Add(time.Hour), 100)
	require.NoError(t, err)
	require.Len(t, runs, 6, "no run after EndTime")
	a.Timezone = "Mars/Olympus"
	_, err = a.Due(t0, t0.Add(time.Hour), 100)
	require.ErrorIs(t, err, ErrInvalidSchedule)
}

// TestRunScheduled encodes
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ScalableTargetAction.html:
// below a new minimum the target scales out to it, above a new maximum it
// scales in to it; the activity is the desired count's, caused by the new
// bound (https://dev.to/andreafalzetti/how-to-configure-ecs-fargate-scheduled-autoscaling-556c).
func TestRunScheduled(t *testing.T) {
	tests := []struct {
		name             string
		action           ScalableTargetAction
		current          int
		min, max, wantDC int
		cause            string
	}{
		{"min above current scales out to min", ScalableTargetAction{MinCapacity: ptr(5)}, 2, 5, 10, 5, "minimum capacity was set to 5"},
		{"max below current scales in to max", ScalableTargetAction{MaxCapacity: ptr(3)}, 6, 1, 3, 3, "maximum capacity was set to 3"},
		{"within the new bounds: no change of count", ScalableTargetAction{MinCapacity: ptr(2), MaxCapacity: ptr(8)}, 4, 2, 8, 4, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := ScheduledAction{ScheduledActionName: "morning", ScalableTargetAction: &tc.action}
			nt, d, err := RunScheduled(webTarget(1, 10), a, tc.current, t0)
			require.NoError(t, err)
			require.Equal(t, tc.min, nt.MinCapacity)
			require.Equal(t, tc.max, nt.MaxCapacity)
			require.Equal(t, tc.wantDC, d.DesiredCount)
			if tc.cause == "" {
				require.Nil(t, d.Activity)
				return
			}
			require.Equal(t, fmt.Sprintf("Setting desired count to %d.", tc.wantDC), d.Activity.Description)
			require.Equal(t, tc.cause, d.Activity.Cause)
		})
	}
	a := ScheduledAction{ScheduledActionName: "bad", ScalableTargetAction: &ScalableTargetAction{MinCapacity: ptr(20)}}
	nt, d, err := RunScheduled(webTarget(1, 10), a, 4, t0)
	require.ErrorIs(t, err, ErrValidation)
	require.Equal(t, webTarget(1, 10), nt, "refused: the target is unchanged")
	require.Equal(t, 4, d.DesiredCount)
	sus := webTarget(1, 10)
	sus.SuspendedState = &SuspendedState{ScheduledScalingSuspended: true}
	nt, d, err = RunScheduled(sus, ScheduledAction{ScalableTargetAction: &ScalableTargetAction{MinCapacity: ptr(5)}}, 2, t0)
	require.NoError(t, err)
	require.Equal(t, 1, nt.MinCapacity)
	require.False(t, d.Changed())
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"at(2026-12-31T23:59:00)", "rate(5 minutes)", "cron(0 8 ? * MON-FRI *)", "cron(0/15 8-17 15W * ? 2026-2030)", "cron(0 9 ? * 2#1 *)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := ParseSchedule(expr)
		if err != nil {
			return
		}
		next, ok := s.Next(t0, t0, time.UTC)
		if ok && !next.After(t0) {
			t.Fatalf("%q: next %v is not after %v", expr, next, t0)
		}
	})
}

// TestRateAnchor: a rate runs every rate from the action's StartTime, or
// its CreationTime, and from the evaluation's start without either (an
// action PutScheduledAction has not stored yet); an anchor centuries
// before the evaluation, beyond what a time.Duration spans, still gives
// runs one rate apart after it, never runs before it.
func TestRateAnchor(t *testing.T) {
	year1 := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name            string
		creation, start time.Time
		want            []time.Time
	}{
		{"no CreationTime nor StartTime: from the first evaluation", time.Time{}, time.Time{},
			[]time.Time{t0.Add(5 * time.Minute), t0.Add(10 * time.Minute), t0.Add(15 * time.Minute)}},
		{"CreationTime in year 1: still the runs after last", year1, time.Time{},
			[]time.Time{t0.Add(5 * time.Minute), t0.Add(10 * time.Minute), t0.Add(15 * time.Minute)}},
		{"StartTime two minutes past t0", time.Time{}, t0.Add(2 * time.Minute),
			[]time.Time{t0.Add(7 * time.Minute), t0.Add(12 * time.Minute)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := ScheduledAction{ScheduledActionName: "r", ResourceId: "service/c/s", Schedule: "rate(5 minutes)",
				CreationTime: ecs.NewTime(tc.creation), StartTime: ecs.NewTime(tc.start)}
			runs, err := a.Due(t0, t0.Add(15*time.Minute), 1000)
			require.NoError(t, err)
			require.Len(t, runs, len(tc.want))
			for i := range runs {
				require.True(t, tc.want[i].Equal(runs[i]), "run %d: want %v, got %v", i, tc.want[i], runs[i])
			}
		})
	}
	s, err := ParseSchedule("rate(1000000 days)")
	require.NoError(t, err)
	far := time.Date(292277026596, 1, 1, 0, 0, 0, 0, time.UTC)
	next, ok := s.Next(far, year1, time.UTC)
	require.True(t, !ok || next.After(far), "next %v must be after %v", next, far)
}

// TestCronNextProperty: from any minute (and second) of a day, a cron's
// next run is the first matching minute after it, as a minute-by-minute
// walk finds it; the scan that starts at the current minute, not at
// midnight, skips none.
func TestCronNextProperty(t *testing.T) {
	exprs := []string{"cron(* * * * ? *)", "cron(0/7 * * * ? *)", "cron(30 9-17 ? * MON-FRI *)", "cron(15 0 * * ? *)", "cron(59 23 L * ? *)"}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, expr := range exprs {
		s, err := ParseSchedule(expr)
		require.NoError(t, err)
		for range 200 {
			after := t0.Add(time.Duration(rng.IntN(40*24*60*60)) * time.Second)
			got, ok := s.Next(after, time.Time{}, time.UTC)
			require.True(t, ok)
			want := after.Truncate(time.Minute).Add(time.Minute)
			for !cronMatches(s.cron, want) {
				want = want.Add(time.Minute)
			}
			require.Equal(t, want, got, "%s after %s", expr, after)
		}
	}
}

// BenchmarkDueEveryMinute replays a day of a cron(* * * * ? *) action a
// minute at a time, as the per-minute evaluation does: each tick finds
// the run of the minute and scans to the next, from the current minute.
func BenchmarkDueEveryMinute(b *testing.B) {
	a := ScheduledAction{ScheduledActionName: "m", Schedule: "cron(* * * * ? *)", Timezone: "Europe/Paris", CreationTime: ecs.NewTime(t0)}
	for b.Loop() {
		for m := range 24 * 60 {
			last := t0.Add(time.Duration(m) * time.Minute)
			if _, err := a.Due(last, last.Add(time.Minute), 10); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(24*60, "ticks/op")
}

// cronMatches reports whether minute t (UTC) matches c, field by field.
func cronMatches(c *cronSpec, t time.Time) bool {
	y := t.Year() - firstYear
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return c.minutes&(1<<t.Minute()) != 0 && c.hours&(1<<t.Hour()) != 0 && c.months&(1<<int(t.Month())) != 0 &&
		c.years[y/64]&(1<<(y%64)) != 0 && c.dayMatches(day)
}
