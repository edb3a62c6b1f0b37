package autoscaling

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cronSpec is a parsed six-field cron expression. Each set field is a
// bitmask of the values it allows.
type cronSpec struct {
	minutes, hours, dom, months, dow uint64
	years                            [4]uint64 // bit y-firstYear
	domAny, dowAny                   bool      // the field is '?'
	lastDay                          bool      // day-of-month L
	nearestWeekday                   int       // day-of-month nW, 0 if none
	lastWeekday                      int       // day-of-week nL (1-7), 0 if none
	nthWeekday, nth                  int       // day-of-week d#n, 0 if none
}

const (
	firstYear = 1970
	lastYear  = 2199
)

var (
	monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
	dayNames   = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
)

// parseCron parses the six fields of a cron expression: Minutes (0-59),
// Hours (0-23), Day-of-month (1-31, ? L W), Month (1-12 or JAN-DEC),
// Day-of-week (1-7 or SUN-SAT, ? L #) and Year (1970-2199), each with
// the wildcards , - * /. One of Day-of-month and Day-of-week must be ?.
func parseCron(body string) (*cronSpec, error) {
	f := strings.Fields(body)
	if len(f) != 6 {
		return nil, fmt.Errorf("%w: cron(%s): a cron expression has six fields (Minutes Hours Day-of-month Month Day-of-week Year), got %d", ErrInvalidSchedule, body, len(f))
	}
	c := &cronSpec{}
	var err error
	if c.minutes, err = parseField(f[0], 0, 59, nil); err != nil {
		return nil, fieldErr(body, "Minutes", err)
	}
	if c.hours, err = parseField(f[1], 0, 23, nil); err != nil {
		return nil, fieldErr(body, "Hours", err)
	}
	if err = c.parseDayOfMonth(f[2]); err != nil {
		return nil, fieldErr(body, "Day-of-month", err)
	}
	if c.months, err = parseField(f[3], 1, 12, monthNames); err != nil {
		return nil, fieldErr(body, "Month", err)
	}
	if err = c.parseDayOfWeek(f[4]); err != nil {
		return nil, fieldErr(body, "Day-of-week", err)
	}
	if err = c.parseYears(f[5]); err != nil {
		return nil, fieldErr(body, "Year", err)
	}
	if c.domAny == c.dowAny {
		return nil, fmt.Errorf("%w: cron(%s): one of Day-of-month and Day-of-week must be ?, and only one", ErrInvalidSchedule, body)
	}
	return c, nil
}

func fieldErr(body, field string, err error) error {
	return fmt.Errorf("%w: cron(%s): %s: %v", ErrInvalidSchedule, body, field, err)
}

func (c *cronSpec) parseDayOfMonth(s string) error {
	switch {
	case s == "?":
		c.domAny = true
		return nil
	case s == "L":
		c.lastDay = true
		return nil
	case strings.HasSuffix(s, "W"):
		n, err := strconv.Atoi(strings.TrimSuffix(s, "W"))
		if err != nil || n < 1 || n > 31 {
			return fmt.Errorf("%q: W follows a day of the month 1-31", s)
		}
		c.nearestWeekday = n
		return nil
	}
	var err error
	c.dom, err = parseField(s, 1, 31, nil)
	return err
}

func (c *cronSpec) parseDayOfWeek(s string) error {
	day := func(v string) (int, error) {
		if n, ok := dayNames[v]; ok {
			return n, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 7 {
			return 0, fmt.Errorf("%q is not a day of the week (1-7 or SUN-SAT)", v)
		}
		return n, nil
	}
	switch {
	case s == "?":
		c.dowAny = true
		return nil
	case s == "L":
		// L alone is the last day of the week, Saturday (7), every week;
		// only a day before it (6L) is the last such day of the month
		// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html).
		c.dow = 1 << 7
		return nil
	case strings.HasSuffix(s, "L"):
		n, err := day(strings.TrimSuffix(s, "L"))
		c.lastWeekday = n
		return err
	case strings.Contains(s, "#"):
		d, k, _ := strings.Cut(s, "#")
		n, err := day(d)
		if err != nil {
			return err
		}
		c.nthWeekday = n
		c.nth, err = strconv.Atoi(k)
		if err != nil || c.nth < 1 || c.nth > 5 {
			return fmt.Errorf("%q: # is followed by 1-5", s)
		}
		return nil
	}
	var err error
	c.dow, err = parseField(s, 1, 7, dayNames)
	return err
}

func (c *cronSpec) parseYears(s string) error {
	if s == "*" {
		for y := firstYear; y <= lastYear; y++ {
			c.years[(y-firstYear)/64] |= 1 << ((y - firstYear) % 64)
		}
		return nil
	}
	for _, part := range strings.Split(s, ",") {
		lo, hi, step, err := parseRange(part, firstYear, lastYear, nil)
		if err != nil {
			return err
		}
		for y := lo; y <= hi; y += step {
			c.years[(y-firstYear)/64] |= 1 << ((y - firstYear) % 64)
		}
	}
	return nil
}

// parseField parses a comma-separated list of values, ranges (a-b),
// wildcards (*) and steps (x/n) between lo and hi (at most 63).
func parseField(s string, lo, hi int, names map[string]int) (uint64, error) {
	var bits uint64
	for _, part := range strings.Split(s, ",") {
		a, b, step, err := parseRange(part, lo, hi, names)
		if err != nil {
			return 0, err
		}
		for v := a; v <= b; v += step {
			bits |= 1 << v
		}
	}
	return bits, nil
}

// parseRange parses one element of a list: "*", "v" or "a-b", with an
// optional "/step"; "*/n" and "v/n" run to hi, "a-b/n" to b.
func parseRange(s string, lo, hi int, names map[string]int) (a, b, step int, err error) {
	step = 1
	base, st, stepped := strings.Cut(s, "/")
	if stepped {
		step, err = strconv.Atoi(st)
		if err != nil || step < 1 || step > hi {
			return 0, 0, 0, fmt.Errorf("%q: the step must be an integer 1-%d", s, hi)
		}
	}
	value := func(v string) (int, error) {
		if n, ok := names[strings.ToUpper(v)]; ok {
			return n, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return 0, fmt.Errorf("%q is not a value %d-%d", v, lo, hi)
		}
		return n, nil
	}
	switch x, y, isRange := strings.Cut(base, "-"); {
	case base == "*":
		return lo, hi, step, nil
	case isRange:
		if a, err = value(x); err != nil {
			return 0, 0, 0, err
		}
		if b, err = value(y); err != nil {
			return 0, 0, 0, err
		}
		if a > b {
			return 0, 0, 0, fmt.Errorf("%q: a range runs from low to high", s)
		}
		return a, b, step, nil
	default:
		if a, err = value(base); err != nil {
			return 0, 0, 0, err
		}
		if stepped {
			return a, hi, step, nil
		}
		return a, a, step, nil
	}
}

// dayMatches reports whether the date matches the day fields.
func (c *cronSpec) dayMatches(t time.Time) bool {
	y, m, d := t.Date()
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	wd := int(t.Weekday()) + 1 // cron: 1 is Sunday
	switch {
	case !c.domAny && c.lastDay:
		return d == last
	case !c.domAny && c.nearestWeekday > 0:
		return d == nearestWeekday(y, m, c.nearestWeekday, last)
	case !c.domAny:
		return c.dom&(1<<d) != 0
	case c.lastWeekday > 0:
		return wd == c.lastWeekday && d+7 > last
	case c.nthWeekday > 0:
		return wd == c.nthWeekday && (d-1)/7+1 == c.nth
	}
	return c.dow&(1<<wd) != 0
}

// nearestWeekday is the weekday (Monday to Friday) nearest day n of the
// month, in the same month.
func nearestWeekday(y int, m time.Month, n, last int) int {
	if n > last {
		n = last
	}
	switch time.Date(y, m, n, 0, 0, 0, 0, time.UTC).Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	}
	return n
}

// next returns the first minute after after that the expression matches.
// It walks days, skipping months and years that do not match, so it
// takes at most one step per day up to the year 2199; on the day of
// after it starts at after's hour and minute, not at midnight.
func (c *cronSpec) next(after time.Time, loc *time.Location) (time.Time, bool) {
	t := after.In(loc).Truncate(time.Minute)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	firstDay := day
	for day.Year() <= lastYear {
		y := day.Year()
		if y < firstYear { // straight to the first year a cron can name, not year by year
			day = time.Date(firstYear, 1, 1, 0, 0, 0, 0, loc)
			continue
		}
		if c.years[(y-firstYear)/64]&(1<<((y-firstYear)%64)) == 0 {
			day = time.Date(y+1, 1, 1, 0, 0, 0, 0, loc)
			continue
		}
		if c.months&(1<<int(day.Month())) == 0 {
			day = time.Date(y, day.Month()+1, 1, 0, 0, 0, 0, loc)
			continue
		}
		if c.dayMatches(day) {
			h0, m0 := 0, 0
			if day.Equal(firstDay) {
				h0, m0 = t.Hour(), t.Minute()
			}
			for h := h0; h < 24; h++ {
				if c.hours&(1<<h) == 0 {
					continue
				}
				m := 0
				if h == h0 {
					m = m0
				}
				for ; m < 60; m++ {
					if c.minutes&(1<<m) == 0 {
						continue
					}
					if r := time.Date(y, day.Month(), day.Day(), h, m, 0, 0, loc); r.After(after) {
						return r, true
					}
				}
			}
		}
		day = time.Date(y, day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
	}
	return time.Time{}, false
}
