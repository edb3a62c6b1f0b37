package cql

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Version is a container agent version: dot-separated non-negative
// integers, such as 1.14.5.
type Version []int

// ParseVersion parses a version of one or more dot-separated decimal
// components, such as "1.14.5".
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(s, ".")
	v := make(Version, len(parts))
	for i, part := range parts {
		n, ok := parseCount(part)
		if !ok {
			return nil, fmt.Errorf("invalid version %q", s)
		}
		v[i] = n
	}
	return v, nil
}

// Compare returns -1, 0 or +1 as v is less than, equal to or greater
// than w, comparing components from the left. A missing component
// counts as zero, so 1.14 and 1.14.0 are equal.
func (v Version) Compare(w Version) int {
	for i := 0; i < len(v) || i < len(w); i++ {
		var a, b int
		if i < len(v) {
			a = v[i]
		}
		if i < len(w) {
			b = w[i]
		}
		switch {
		case a < b:
			return -1
		case a > b:
			return +1
		}
	}
	return 0
}

// String returns v in dotted form.
func (v Version) String() string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ".")
}

// parseCount parses a non-negative decimal integer without sign. It
// reports false if s is not one or does not fit in an int.
func parseCount(s string) (int, bool) {
	if !isDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseTime parses a registeredAt argument in one of the forms
// 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28
// and 2018-06-18. Forms without an offset are taken as UTC.
func parseTime(s string) (time.Time, error) {
	// time.Parse accepts fractional seconds that the layouts do not
	// mention; the query language does not.
	if !strings.Contains(s, ".") {
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", time.DateOnly} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %q", s)
}

// CompareAttributeValues orders attribute values for the operators >,
// >=, < and <= applied to attribute subjects. If both a and b are
// decimal numbers (an optional sign, digits, and optionally a point
// followed by more digits, such as "-3" or "2.50"), they are compared
// exactly as numbers, whatever their length; otherwise they are compared
// as strings, byte by byte. The result is -1, 0 or +1 as a is less than,
// equal to or greater than b. It allocates nothing.
func CompareAttributeValues(a, b string) int {
	if x, ok := parseDecimal(a); ok {
		if y, ok := parseDecimal(b); ok {
			return x.cmp(y)
		}
	}
	return strings.Compare(a, b)
}

// decimal is a decimal number as parts of its text: the digits before the
// point without leading zeros and those after it without trailing zeros,
// so that equal numbers have equal parts. Zero is never negative.
type decimal struct {
	neg         bool
	whole, frac string
}

// parseDecimal reads s as a decimal number if it has the form
// [+-]digits[.digits].
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	digits := s
	if digits != "" && (digits[0] == '+' || digits[0] == '-') {
		d.neg, digits = digits[0] == '-', digits[1:]
	}
	whole, frac, hasPoint := strings.Cut(digits, ".")
	if !isDigits(whole) || hasPoint && !isDigits(frac) {
		return decimal{}, false
	}
	d.whole = strings.TrimLeft(whole, "0")
	d.frac = strings.TrimRight(frac, "0")
	if d.whole == "" && d.frac == "" {
		d.neg = false // -0 is 0
	}
	return d, true
}

// cmp returns -1, 0 or +1 as d is less than, equal to or greater than e.
func (d decimal) cmp(e decimal) int {
	switch {
	case d.neg != e.neg:
		if d.neg {
			return -1
		}
		return +1
	case d.neg:
		return -d.cmpAbs(e)
	}
	return d.cmpAbs(e)
}

// cmpAbs compares the magnitudes of d and e: the longer whole part is the
// greater (it has no leading zeros); whole parts of one length compare
// digit by digit, as do fraction parts of any length (they have no
// trailing zeros, so the one that extends the other is the greater).
func (d decimal) cmpAbs(e decimal) int {
	switch {
	case len(d.whole) < len(e.whole):
		return -1
	case len(d.whole) > len(e.whole):
		return +1
	}
	if c := strings.Compare(d.whole, e.whole); c != 0 {
		return c
	}
	return strings.Compare(d.frac, e.frac)
}
