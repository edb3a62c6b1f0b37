package cql

import (
	"strings"
	"testing"
)

// FuzzParseVersion reads arbitrary strings as agent versions: no input
// may panic; a success has one non-negative component per dot-separated
// part, equals itself, and its String reads back to an equal version (the
// same components, leading zeros dropped); a failure gives no version.
func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"1.14.5", "1", "01.002", "1..2", "", ".", "1.x", "-1.2", "1.2.3.4.5", "99999999999999999999", "1.14 ", "١.٢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err != nil {
			if v != nil {
				t.Fatalf("ParseVersion(%q): error %v with %v", s, err, v)
			}
			return
		}
		if len(v) != strings.Count(s, ".")+1 {
			t.Fatalf("ParseVersion(%q) = %v: not one component per part", s, v)
		}
		for _, n := range v {
			if n < 0 {
				t.Fatalf("ParseVersion(%q) = %v: a negative component", s, v)
			}
		}
		if v.Compare(v) != 0 {
			t.Fatalf("%v does not equal itself", v)
		}
		back, err := ParseVersion(v.String())
		if err != nil || back.Compare(v) != 0 || len(back) != len(v) {
			t.Fatalf("ParseVersion(%q) = %v, %v; from %q", v.String(), back, err, s)
		}
		if longer := append(v[:len(v):len(v)], 0); longer.Compare(v) != 0 || v.Compare(longer) != 0 {
			t.Fatalf("%v and %v differ by a zero component", v, longer)
		}
	})
}
