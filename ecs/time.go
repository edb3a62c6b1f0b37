package ecs

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Time is an instant in an ECS API document. It decodes from epoch seconds
// (the wire protocol's 1763700000.123) and from any RFC 3339 string (the
// aws CLI's 2025-11-21T05:20:00.123000+00:00), and encodes as epoch seconds
// with millisecond precision, as the API writes it. The zero Time is unset.
type Time struct {
	time.Time
}

// NewTime returns t as a Time.
func NewTime(t time.Time) Time { return Time{t} }

// MarshalJSON writes t as epoch seconds with at most three decimals.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(t.epoch()), nil
}

// String returns the instant in RFC 3339 with milliseconds, in UTC.
func (t Time) String() string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

func (t Time) epoch() string {
	// A decimal fraction counts away from zero: -0.5 is half a second
	// before the epoch, so a negative instant is written as its magnitude
	// with a minus sign.
	ms, sign := t.UnixMilli(), ""
	if ms < 0 {
		ms, sign = -ms, "-"
	}
	sec, frac := ms/1000, ms%1000
	s := sign + strconv.FormatInt(sec, 10)
	if frac == 0 {
		return s
	}
	return s + "." + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
}

// parseEpoch reads a JSON number of epoch seconds exactly, without the
// rounding a float64 would add.
func parseEpoch(lit string) (time.Time, error) {
	if strings.ContainsAny(lit, "eE") {
		f, err := strconv.ParseFloat(lit, 64)
		if err != nil || f > 1e12 || f < -1e12 {
			return time.Time{}, fmt.Errorf("epoch seconds %s out of range", lit)
		}
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), nil
	}
	intPart, fracPart, _ := strings.Cut(lit, ".")
	sec, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || sec > 1e12 || sec < -1e12 {
		return time.Time{}, fmt.Errorf("epoch seconds %s out of range", lit)
	}
	var nsec int64
	if fracPart != "" {
		if len(fracPart) > 9 {
			fracPart = fracPart[:9]
		}
		n, _ := strconv.ParseInt(fracPart, 10, 64)
		for i := len(fracPart); i < 9; i++ {
			n *= 10
		}
		nsec = n
		if strings.HasPrefix(intPart, "-") {
			nsec = -nsec
		}
	}
	return time.Unix(sec, nsec).UTC(), nil
}

// parseTimestamp reads an RFC 3339 timestamp with any fraction of a second.
func parseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not an RFC 3339 timestamp")
	}
	return t.UTC(), nil
}
