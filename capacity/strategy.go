package capacity

import (
	"strconv"

	"github.com/ecscore/ecscore/ecs"
)

// Names of the capacity providers ECS reserves for Fargate. Every other
// name is a provider the account created: an Auto Scaling group provider
// (or a Managed Instances provider, which this package treats alike).
const (
	Fargate     = "FARGATE"
	FargateSpot = "FARGATE_SPOT"
)

// Limits of a capacity provider strategy (rule 132).
const (
	MaxStrategyItems = 20     // items in one strategy
	MaxBase          = 100000 // base of an item
	MaxWeight        = 1000   // weight of an item
)

// IsFargate reports whether provider is FARGATE or FARGATE_SPOT.
func IsFargate(provider string) bool {
	return provider == Fargate || provider == FargateSpot
}

// The API's messages for a refused strategy. mixMsg and
// defaultNoWeightMsg are verified: seen verbatim in
// InvalidParameterException errors that users quoted. maxItemsMsg and
// oneBaseMsg are the developer guide's sentences; noWeightMsg adapts
// defaultNoWeightMsg; dupMsg is written in the API's style. The package
// documentation lists them all.
const (
	maxItemsMsg = "A capacity provider strategy can contain a maximum of 20 capacity providers."
	oneBaseMsg  = "Only one capacity provider in a capacity provider strategy can have a base defined."
	mixMsg      = "A capacity provider strategy cannot contain a mix of capacity providers using " +
		"Auto Scaling groups and Fargate providers. Specify one or the other and try again."
	noWeightMsg = "There are no capacity providers with a weight value greater than zero defined " +
		"in the capacity provider strategy. At least one capacity provider must have a weight " +
		"value greater than zero specified. Specify a valid capacity provider strategy and try again."
	defaultNoWeightMsg = "There are no capacity providers with a weight value greater than zero " +
		"defined in the default capacity provider strategy. At least one capacity provider must " +
		"have a weight value greater than zero specified. Update the cluster's default capacity " +
		"provider strategy or specify a valid capacity provider strategy and try again."
)

func dupMsg(name string) string {
	return "The capacity provider " + name + " is specified more than once in the capacity " +
		"provider strategy. Specify each capacity provider once and try again."
}

// StrategyProblems returns every reason the API would refuse strategy as a
// request's capacityProviderStrategy, each an error finding with its path,
// code, the API's message and its exception (ecs.Finding, the shape of
// every validation of the library), in the order the API checks them:
// the count of items, each item's name, base and weight, duplicates, more
// than one base, a mix of Fargate and Auto Scaling group providers, and
// every weight 0 with more than one item. A lone item with weight 0 is
// valid and takes every task. An item has a base when its base is above 0.
// An empty strategy has no problems: it means no strategy.
func StrategyProblems(strategy []ecs.CapacityProviderStrategyItem) ecs.Findings {
	return strategyProblems(strategy, "capacityProviderStrategy", noWeightMsg)
}

// ValidateStrategy returns the error the API returns for strategy, the
// first of StrategyProblems as an *ecs.APIError wrapping ecs.ErrInvalid,
// or nil.
func ValidateStrategy(strategy []ecs.CapacityProviderStrategyItem) error {
	return firstErr(StrategyProblems(strategy))
}

func strategyProblems(s []ecs.CapacityProviderStrategyItem, field, noWeight string) ecs.Findings {
	var ps ecs.Findings
	if len(s) > MaxStrategyItems {
		ps = append(ps, ecs.Finding{Severity: ecs.SeverityError, Path: field, Code: CodeTooManyProviders,
			Exception: ecs.InvalidParameterException, Message: maxItemsMsg})
	}
	for i, it := range s {
		ps = append(ps, itemProblems(it, field, i)...)
	}
	ps = append(ps, duplicates(s, field)...)
	if p, ok := multipleBases(s, field); ok {
		ps = append(ps, p)
	}
	if mixed(s) {
		ps = append(ps, ecs.Finding{Severity: ecs.SeverityError, Path: field, Code: CodeMixedProviders,
			Exception: ecs.InvalidParameterException, Message: mixMsg})
	}
	if len(s) > 1 && totalWeight(s) == 0 {
		ps = append(ps, ecs.Finding{Severity: ecs.SeverityError, Path: field, Code: CodeNoWeight,
			Exception: ecs.InvalidParameterException, Message: noWeight})
	}
	return ps
}

func itemProblems(it ecs.CapacityProviderStrategyItem, field string, i int) ecs.Findings {
	path := field + "[" + strconv.Itoa(i) + "]"
	wire := field + "." + strconv.Itoa(i+1) + ".member"
	var ps ecs.Findings
	if it.CapacityProvider == "" {
		ps = append(ps, ecs.Finding{Severity: ecs.SeverityError, Path: path + ".capacityProvider", Code: CodeProviderName,
			Exception: ecs.InvalidParameterException,
			Message: constraint("", wire+".capacityProvider",
				"Member must have length greater than or equal to 1")})
	}
	if p, ok := rangeProblem(it.Base, 0, MaxBase, path+".base", wire+".base", CodeBaseRange); ok {
		ps = append(ps, p)
	}
	if p, ok := rangeProblem(it.Weight, 0, MaxWeight, path+".weight", wire+".weight", CodeWeightRange); ok {
		ps = append(ps, p)
	}
	return ps
}

func duplicates(s []ecs.CapacityProviderStrategyItem, field string) ecs.Findings {
	var ps ecs.Findings
	seen := make(map[string]bool, len(s))
	for i, it := range s {
		if it.CapacityProvider == "" {
			continue
		}
		if seen[it.CapacityProvider] {
			ps = append(ps, ecs.Finding{Severity: ecs.SeverityError,
				Path: field + "[" + strconv.Itoa(i) + "].capacityProvider", Code: CodeDuplicateProvider,
				Exception: ecs.InvalidParameterException, Message: dupMsg(it.CapacityProvider),
			})
		}
		seen[it.CapacityProvider] = true
	}
	return ps
}

func multipleBases(s []ecs.CapacityProviderStrategyItem, field string) (ecs.Finding, bool) {
	n := 0
	for _, it := range s {
		if it.Base > 0 {
			n++
		}
	}
	if n <= 1 {
		return ecs.Finding{}, false
	}
	return ecs.Finding{Severity: ecs.SeverityError, Path: field, Code: CodeMultipleBases,
		Exception: ecs.InvalidParameterException, Message: oneBaseMsg}, true
}

func mixed(s []ecs.CapacityProviderStrategyItem) bool {
	var fargate, other bool
	for _, it := range s {
		if it.CapacityProvider == "" {
			continue
		}
		if IsFargate(it.CapacityProvider) {
			fargate = true
		} else {
			other = true
		}
	}
	return fargate && other
}

func totalWeight(s []ecs.CapacityProviderStrategyItem) int {
	w := 0
	for _, it := range s {
		w += max(it.Weight, 0)
	}
	return w
}
