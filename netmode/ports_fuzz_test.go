package netmode_test

import (
	"testing"

	"github.com/ecscore/ecscore/netmode"
)

// FuzzParsePortRange reads arbitrary strings as port ranges: no input may
// panic; a success is a range of ports 1 to 65535 with first ≤ last, whose
// String() reads back to the same range and is the canonical form
// (formatting that again changes nothing); a failure returns the zero
// range.
func FuzzParsePortRange(f *testing.F) {
	for _, s := range []string{
		"32768-60999", "49153-65535", "1-65535", "80-80", " 8000 - 8080 ", "+1-+2", "0-10", "10-1",
		"1-65536", "-1-5", "1--5", "1-2-3", "", "-", "80", "a-b", "1_000-2000", "0x10-0x20",
		"99999999999999999999-1", "\t1\n-\r2 ", "１-２",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := netmode.ParsePortRange(s)
		if err != nil {
			if r != (netmode.PortRange{}) {
				t.Fatalf("ParsePortRange(%q) = %v with error %v: want the zero range", s, r, err)
			}
			return
		}
		if r.First < 1 || r.Last > 65535 || r.First > r.Last {
			t.Fatalf("ParsePortRange(%q) = %+v: not 1 <= first <= last <= 65535", s, r)
		}
		if r.Len() != r.Last-r.First+1 || !r.Contains(r.First) || !r.Contains(r.Last) {
			t.Fatalf("ParsePortRange(%q) = %+v: Len %d, Contains(first) %v, Contains(last) %v",
				s, r, r.Len(), r.Contains(r.First), r.Contains(r.Last))
		}
		back, err := netmode.ParsePortRange(r.String())
		if err != nil || back != r {
			t.Fatalf("ParsePortRange(%q) = %+v, but ParsePortRange(%q) = %+v, %v", s, r, r.String(), back, err)
		}
		if back.String() != r.String() {
			t.Fatalf("String is not stable: %q then %q", r.String(), back.String())
		}
	})
}
