package cql

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that errors carry a
// position within the input, and that the canonical form of every
// successful parse reparses to the same canonical form and tree.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"attribute:ecs.instance-type == t2.small",
		"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
		"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
		"task:group == service:production",
		"not(task:group == database)",
		"runningTasksCount == 1",
		"agentVersion < 1.14.5",
		"registeredAt < 2018-02-13",
		"ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
		"attribute:stack exists",
		"attribute:ecs.os-type != linux || attribute:x !exists",
		"agentConnected not_in [true] && !(registeredAt >= 2018-06-18T22:28:28+00:00)",
		"(attribute:a exists or attribute:b exists) and not attribute:c matches '^(x|y)$'",
		"attribute:a in ['x y', \"it's\", z]",
		"attribute:a =~ '\\Qa.b'",
		"((((attribute:a exists))))",
		"attribute:a == 'and' or attribute:b == ''",
		"attribute:x in [a,",
		"(attribute:x == a",
		"attribute:x == 'abc",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			perr, ok := err.(*Error)
			if !ok {
				t.Fatalf("Parse(%q) error %T, want *Error", src, err)
			}
			if perr.Pos < 0 || int(perr.Pos) > len(src) || !strings.HasPrefix(src[perr.Pos:], perr.Token) {
				t.Fatalf("Parse(%q) error %+v: bad position or token", src, perr)
			}
			return
		}
		canon := e.String()
		e2, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its String %q fails: %v", src, canon, err)
		}
		if got := e2.String(); got != canon {
			t.Fatalf("String not stable for %q:\n first %q\nsecond %q", src, canon, got)
		}
		if tree(e) != tree(e2) {
			t.Fatalf("tree changed for %q:\n%s\n%s", src, tree(e), tree(e2))
		}
		Inspect(e, func(x Expr) bool {
			if c, ok := x.(*Compare); ok && c.Regexp != nil {
				checkWholeMatch(t, c, src)
			}
			return true
		})
	})
}

// checkWholeMatch checks that the compiled pattern of c matches exactly
// the strings that the unanchored pattern matches from end to end.
func checkWholeMatch(t *testing.T, c *Compare, src string) {
	raw := regexp.MustCompile(c.Args[0].Text)
	raw.Longest()
	for _, s := range []string{c.Args[0].Text, "", "a", "t2.small", src} {
		loc := raw.FindStringIndex(s)
		want := loc != nil && loc[0] == 0 && loc[1] == len(s)
		if got := c.Regexp.MatchString(s); got != want {
			t.Fatalf("pattern %q on %q: anchored match %v, whole match %v", c.Args[0].Text, s, got, want)
		}
	}
}

// FuzzCompareAttributeValues checks CompareAttributeValues against the
// exact comparison of math/big (see referenceCompare) and checks that it is
// antisymmetric.
func FuzzCompareAttributeValues(f *testing.F) {
	for _, p := range [][2]string{
		{"10", "9"}, {"2.5", "2.50"}, {"-0", "+0"}, {"007", "7"}, {"-1.5", "-1.25"},
		{"0.1", "0.10000000000000000001"}, {"1e3", "2"}, {".5", "0.1"}, {"5.", "10"},
		{"+-5", "5"}, {"", "0"}, {"t2.small", "t2.large"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		got := CompareAttributeValues(a, b)
		if want := referenceCompare(a, b); got != want {
			t.Fatalf("CompareAttributeValues(%q, %q) = %d, math/big says %d", a, b, got, want)
		}
		if back := CompareAttributeValues(b, a); back != -got {
			t.Fatalf("CompareAttributeValues(%q, %q) = %d, reversed %d", a, b, got, back)
		}
	})
}
