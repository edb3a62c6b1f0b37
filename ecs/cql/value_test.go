package cql

import "testing"

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
	}
	for _, tt := range tests {
		if got := CompareAttributeValues(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareAttributeValues(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
