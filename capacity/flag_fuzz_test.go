package capacity

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

// FuzzParseStrategy reads arbitrary strings as capacity provider
// strategies. ParseStrategy promises the syntax only, so: no input may
// panic; a failure gives no items; a success gives at least one item,
// each with a non-empty name as written (trimmed, without the separators
// "," and ":"), and StrategyFlag's form of the items reads back to the
// same items. The ranges are ValidateStrategy's business: when it accepts
// the items, each base is 0–100000 and each weight 0–1000 (rule 132), and
// when it refuses them its error is an *ecs.APIError wrapping
// ecs.ErrInvalid, the first of StrategyProblems.
func FuzzParseStrategy(f *testing.F) {
	for _, s := range []string{
		"FARGATE", "A:base=2,weight=1,B,weight=1", "A:base=2,weight=1,B:weight=1", "A:base=2:weight=1",
		" A : base = 2 , weight=3 ", "A:", "A,B,C", "A:weight=-1", "", "A,,B", "weight=1", ":base=1",
		"A:base", "A:base=x", "A:base=1,base=2", "A:size=1", "A:weight=1.5", "a=b:base=1",
		"A:base=100001", "A:weight=1001,B:base=1,weight=+7", "FARGATE:base=1,FARGATE_SPOT:weight=1",
		"A:base=99999999999999999999", "A:base=1:base=1", "A,base=1,weight=2:base=3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := ParseStrategy(s)
		if err != nil {
			if items != nil {
				t.Fatalf("ParseStrategy(%q): error %v with items %+v", s, err, items)
			}
			return
		}
		if len(items) == 0 {
			t.Fatalf("ParseStrategy(%q): no error and no item", s)
		}
		for _, it := range items {
			name := it.CapacityProvider
			if name == "" || name != strings.TrimSpace(name) || strings.ContainsAny(name, ",:") {
				t.Fatalf("ParseStrategy(%q): provider name %q", s, name)
			}
		}
		flag := StrategyFlag(items)
		back, err := ParseStrategy(flag.String())
		if err != nil || !reflect.DeepEqual(back, items) {
			t.Fatalf("ParseStrategy(%q) = %+v, but its form %q reads as %+v, %v", s, items, flag.String(), back, err)
		}

		problems := StrategyProblems(items)
		err = ValidateStrategy(items)
		if (err == nil) != (len(problems) == 0) {
			t.Fatalf("ValidateStrategy(%+v) = %v with %d problems", items, err, len(problems))
		}
		if err != nil {
			var ae *ecs.APIError
			if !errors.As(err, &ae) || !errors.Is(err, ecs.ErrInvalid) {
				t.Fatalf("ValidateStrategy(%+v) = %T %v: want an *ecs.APIError wrapping ecs.ErrInvalid", items, err, err)
			}
			return
		}
		if len(items) > MaxStrategyItems {
			t.Fatalf("ValidateStrategy accepts %d items", len(items))
		}
		for _, it := range items {
			if it.Base < 0 || it.Base > MaxBase || it.Weight < 0 || it.Weight > MaxWeight {
				t.Fatalf("ValidateStrategy accepts %+v", it)
			}
		}
	})
}
