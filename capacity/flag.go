package capacity

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// ParseStrategy reads a capacity provider strategy written as on the
// command line: items separated by commas, each NAME[:base=B][,weight=W]
// ("A:base=2,weight=1,B,weight=1"). Attributes follow their item's name
// after a colon or as later comma-separated key=value pairs, so
// "B:weight=1" and "B:base=2:weight=1" read as well. base and weight
// default to 0. It checks the syntax only; ValidateStrategy checks what
// the API would refuse.
func ParseStrategy(s string) ([]ecs.CapacityProviderStrategyItem, error) {
	var items []ecs.CapacityProviderStrategyItem
	set := map[string]bool{}
	for _, tok := range strings.Split(s, ",") {
		tok = strings.TrimSpace(tok)
		name, attrs, hasColon := strings.Cut(tok, ":")
		name = strings.TrimSpace(name)
		if !hasColon && strings.Contains(tok, "=") {
			name, attrs = "", tok
		}
		if name != "" || hasColon {
			if name == "" {
				return nil, fmt.Errorf("capacity provider strategy %q: %q has no provider name", s, tok)
			}
			items = append(items, ecs.CapacityProviderStrategyItem{CapacityProvider: name})
			set = map[string]bool{}
		}
		if attrs == "" {
			if !hasColon && name == "" {
				return nil, fmt.Errorf("capacity provider strategy %q: empty item", s)
			}
			continue
		}
		if len(items) == 0 {
			return nil, fmt.Errorf("capacity provider strategy %q: %q comes before any provider name", s, tok)
		}
		for _, kv := range strings.Split(attrs, ":") {
			if err := setAttr(&items[len(items)-1], kv, set); err != nil {
				return nil, fmt.Errorf("capacity provider strategy %q: %w", s, err)
			}
		}
	}
	return items, nil
}

func setAttr(it *ecs.CapacityProviderStrategyItem, kv string, set map[string]bool) error {
	k, v, ok := strings.Cut(kv, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok {
		return fmt.Errorf("%q is not key=value", kv)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("%s of %s: %q is not a whole number", k, it.CapacityProvider, v)
	}
	if set[k] {
		return fmt.Errorf("%s of %s given twice", k, it.CapacityProvider)
	}
	set[k] = true
	switch k {
	case "base":
		it.Base = n
	case "weight":
		it.Weight = n
	default:
		return fmt.Errorf("unknown attribute %q of %s (want base or weight)", k, it.CapacityProvider)
	}
	return nil
}

// StrategyFlag is a flag.Value that collects a capacity provider strategy
// from one or more -strategy flags, each read by ParseStrategy.
type StrategyFlag []ecs.CapacityProviderStrategyItem

// String returns the strategy in the form ParseStrategy reads.
func (f *StrategyFlag) String() string {
	if f == nil {
		return ""
	}
	parts := make([]string, 0, len(*f))
	for _, it := range *f {
		parts = append(parts, fmt.Sprintf("%s:base=%d,weight=%d", it.CapacityProvider, it.Base, it.Weight))
	}
	return strings.Join(parts, ",")
}

// Set appends the items of one flag value.
func (f *StrategyFlag) Set(s string) error {
	items, err := ParseStrategy(s)
	if err != nil {
		return err
	}
	*f = append(*f, items...)
	return nil
}

// ProviderCount is how many tasks of a split one provider gets, in the
// JSON form `ecsplan capacity split -o json` writes.
type ProviderCount struct {
	CapacityProvider string `json:"capacityProvider"`
	Count            int    `json:"count"`
}

// SplitCounts splits n new tasks over strategy, with no task running yet,
// and returns one ProviderCount per item in strategy order, zeros
// included. The error is the API's for a strategy it would refuse.
func SplitCounts(strategy []ecs.CapacityProviderStrategyItem, n int) ([]ProviderCount, error) {
	if n < 0 {
		return nil, fmt.Errorf("capacity: negative task count %d", n)
	}
	counts, err := Split(strategy, nil, n)
	if err != nil {
		return nil, err
	}
	out := make([]ProviderCount, len(strategy))
	for i, it := range strategy {
		out[i] = ProviderCount{CapacityProvider: it.CapacityProvider, Count: counts[i]}
	}
	return out, nil
}
