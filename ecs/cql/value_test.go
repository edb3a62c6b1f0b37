package cql

import (
	"math/big"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		s    string
		want string
		ok   bool
	}{
		{"1.14.5", "1.14.5", true},
		{"1", "1", true},
		{"1.04", "1.4", true},
		{"10.0.0.1", "10.0.0.1", true},
		{"", "", false},
		{"1.", "", false},
		{".1", "", false},
		{"1..2", "", false},
		{"v1.2", "", false},
		{"1.2-beta", "", false},
		{"-1", "", false},
		{"1.99999999999999999999", "", false},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.s)
		if (err == nil) != tt.ok {
			t.Errorf("ParseVersion(%q) error = %v, want ok=%v", tt.s, err, tt.ok)
			continue
		}
		if tt.ok && v.String() != tt.want {
			t.Errorf("ParseVersion(%q) = %v, want %v", tt.s, v, tt.want)
		}
	}
}

func TestVersionCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.14.5", "1.14.5", 0},
		{"1.14", "1.14.0", 0},
		{"1.14.0.0", "1.14", 0},
		{"1.9.0", "1.14.0", -1},
		{"1.14.5", "1.14.4", 1},
		{"2", "1.99.99", 1},
		{"1.14", "1.14.1", -1},
	}
	for _, tt := range tests {
		a, _ := ParseVersion(tt.a)
		b, _ := ParseVersion(tt.b)
		if got := a.Compare(b); got != tt.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := b.Compare(a); got != -tt.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestCompareAttributeValues(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"10", "9", 1},
		{"9", "10", -1},
		{"2.5", "2.50", 0},
		{"-3", "2", -1},
		{"+3", "3", 0},
		{"0.1", "0.10000000000000000001", -1},
		{"12345678901234567890", "12345678901234567891", -1},
		{"10", "9a", -1},
		{"abc", "abd", -1},
		{"b", "a", 1},
		{"x", "x", 0},
		{"1.14.5", "1.9", -1},
		{"1e3", "2", -1},
		{".5", "0.1", -1},
		{"5.", "10", 1},
		{"--1", "0", -1},
		{"", "0", -1},

		// Signs.
		{"-1", "1", -1},
		{"1", "-1", 1},
		{"-10", "-9", -1},
		{"-9", "-10", 1},
		{"-1.5", "-1.25", -1},
		{"-1.25", "-1.5", 1},
		{"-0.001", "0", -1},
		{"0.001", "-0", 1},
		{"-0", "0", 0},
		{"+0", "-0", 0},
		{"-0.000", "+00", 0},
		{"-5", "+5", -1},
		{"+-5", "5", -1}, // two signs: not a number, so "+" < "5"
		{"-+5", "-5", -1},

		// Leading zeros.
		{"007", "7", 0},
		{"007", "8", -1},
		{"0010", "9", 1},
		{"-007", "-7", 0},
		{"-0010", "-9", -1},
		{"000.5", "0.5", 0},
		{"0", "000", 0},
		{"00.10", "0.1", 0},

		// Trailing zeros.
		{"2.500", "2.5", 0},
		{"3.0", "3", 0},
		{"3.000001", "3", 1},
		{"0.000", "0", 0},
		{"10.0", "10", 0},
		{"100", "1.00", 1},
		{"-2.50", "-2.5", 0},

		// Unequal lengths.
		{"100", "99", 1},
		{"99.999", "100", -1},
		{"0.12", "0.119", 1},
		{"0.119", "0.12", -1},
		{"0.05", "0.5", -1},
		{"1.1", "1.01", 1},
		{"1.10001", "1.1", 1},
		{"123456789012345678901234567890.5", "123456789012345678901234567890.49999999999999999999", 1},
		{"-123456789012345678901234567891", "-123456789012345678901234567890.9", -1},
		{"9223372036854775808", "9223372036854775807", 1},

		// Not numbers: compared as strings.
		{"1e3", "1000", 1},
		{"0x10", "2", -1},
		{" 1", "0", -1},
		{"1 ", "1", 1},
		{"1.2.3", "1.3", -1},
		{"+", "-", -1},
		{"-", "0", -1},
		{".", "0", -1},
		{"1.", "1", 1},
		{"-.5", "-0.6", -1}, // "-.5" is not a number, and "." < "0"
		{"١", "1", 1},       // Arabic-Indic digit one
		{"10", "", 1},
		{"", "", 0},
		{"t2.small", "t2.large", 1},
		{"9", "10 ", 1}, // "10 " is not a number
	}
	for _, tt := range tests {
		if got := CompareAttributeValues(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareAttributeValues(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := CompareAttributeValues(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareAttributeValues(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
		if ref := referenceCompare(tt.a, tt.b); ref != tt.want {
			t.Errorf("reference(%q, %q) = %d, want %d", tt.a, tt.b, ref, tt.want)
		}
	}
}

func TestCompareAttributeValuesDoesNotAllocate(t *testing.T) {
	pairs := [][2]string{
		{"123456789012345678901234567890.5", "-0.000"},
		{"2.50", "2.5"},
		{"t2.small", "10"},
	}
	for _, p := range pairs {
		if n := testing.AllocsPerRun(100, func() { CompareAttributeValues(p[0], p[1]) }); n != 0 {
			t.Errorf("CompareAttributeValues(%q, %q): %v allocations, want 0", p[0], p[1], n)
		}
	}
}

// referenceCompare is CompareAttributeValues by way of math/big: the
// numbers of the form [+-]digits[.digits] as exact rationals, other values
// byte by byte.
func referenceCompare(a, b string) int {
	x, okx := referenceDecimal(a)
	y, oky := referenceDecimal(b)
	if okx && oky {
		return x.Cmp(y)
	}
	return strings.Compare(a, b)
}

var referenceForm = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

func referenceDecimal(s string) (*big.Rat, bool) {
	if !referenceForm.MatchString(s) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// TestCompareAttributeValuesProperty compares random decimal numbers, and
// near-numbers, with the math/big result, and checks the order is
// antisymmetric.
func TestCompareAttributeValuesProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		a, b := randomDecimal(rng), randomDecimal(rng)
		if rng.IntN(4) == 0 {
			b = a // often equal in value but not in text
			if rng.IntN(2) == 0 {
				b = "0" + b
			}
			if strings.Contains(b, ".") {
				b += "0"
			}
		}
		got, want := CompareAttributeValues(a, b), referenceCompare(a, b)
		if got != want {
			t.Fatalf("CompareAttributeValues(%q, %q) = %d, math/big says %d", a, b, got, want)
		}
		if back := CompareAttributeValues(b, a); back != -got {
			t.Fatalf("CompareAttributeValues(%q, %q) = %d, reversed %d", a, b, got, back)
		}
	}
}

// randomDecimal returns a decimal number with random sign, leading and
// trailing zeros and lengths, now and then broken into a non-number.
func randomDecimal(rng *rand.Rand) string {
	var sb strings.Builder
	switch rng.IntN(4) {
	case 0:
		sb.WriteByte('-')
	case 1:
		sb.WriteByte('+')
	}
	digits := func(max int) {
		for range rng.IntN(max) {
			sb.WriteByte("0000123456789"[rng.IntN(13)])
		}
	}
	digits(4)
	sb.WriteByte("0123456789"[rng.IntN(10)])
	digits(25)
	if rng.IntN(2) == 0 {
		sb.WriteByte('.')
		digits(25)
		sb.WriteByte("0123456789"[rng.IntN(10)])
	}
	s := sb.String()
	if rng.IntN(20) == 0 {
		i := rng.IntN(len(s) + 1)
		s = s[:i] + string("+-.e x"[rng.IntN(6)]) + s[i:]
	}
	return s
}
