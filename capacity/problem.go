package capacity

import (
	"strconv"

	"github.com/ecscore/ecscore/ecs"
)

// problemErr returns f as the API returns it: an *ecs.APIError of f's
// exception and message that wraps ecs.ErrInvalid. The problems this
// package reports are ecs.Finding values, each with its path, its code
// (one of the Code constants), the API's message and its exception.
func problemErr(f ecs.Finding) error {
	return ecs.NewAPIError(f.Exception, f.Message, ecs.ErrInvalid)
}

// Codes of the problems this package reports.
const (
	CodeTooManyProviders   = "TooManyProviders"   // more than 20 items in a strategy
	CodeProviderName       = "ProviderName"       // an item without a capacityProvider
	CodeBaseRange          = "BaseRange"          // base outside 0–100000
	CodeWeightRange        = "WeightRange"        // weight outside 0–1000
	CodeDuplicateProvider  = "DuplicateProvider"  // a provider named twice in one strategy
	CodeMultipleBases      = "MultipleBases"      // more than one item sets a base
	CodeMixedProviders     = "MixedProviders"     // Fargate and Auto Scaling group providers mixed
	CodeNoWeight           = "NoWeight"           // several items, every weight 0
	CodeLaunchTypeConflict = "LaunchTypeConflict" // launchType and a strategy both given
	CodeLaunchType         = "LaunchType"         // a launchType the call does not take
	CodeNotAssociated      = "NotAssociated"      // a provider the cluster does not have
	CodeRange              = "Range"              // a managed scaling number out of its range
	CodeEnum               = "Enum"               // a value outside its enum
	CodeRequired           = "Required"           // a required member missing
)

// firstErr returns nil for no problems, and otherwise the API's answer,
// for the first problem, wrapping an *ecs.FindingsError with all of them
// (ecs.Findings.RequestErr).
func firstErr(ps ecs.Findings) error {
	return ps.RequestErr()
}

// constraint builds the message the AWS API front end writes for a member
// that breaks its model constraint, with the wire path: member indexes
// count from 1 ("capacityProviderStrategy.2.member.weight").
func constraint(value, wirePath, rule string) string {
	return "1 validation error detected: Value '" + value + "' at '" + wirePath +
		"' failed to satisfy constraint: " + rule
}

func lessOrEqual(limit int) string {
	return "Member must have value less than or equal to " + strconv.Itoa(limit)
}

func greaterOrEqual(limit int) string {
	return "Member must have value greater than or equal to " + strconv.Itoa(limit)
}

// rangeProblem reports v outside [lo, hi], or returns false.
func rangeProblem(v, lo, hi int, path, wirePath, code string) (ecs.Finding, bool) {
	var rule string
	switch {
	case v < lo:
		rule = greaterOrEqual(lo)
	case v > hi:
		rule = lessOrEqual(hi)
	default:
		return ecs.Finding{}, false
	}
	return ecs.Finding{Severity: ecs.SeverityError,
		Path:      path,
		Code:      code,
		Exception: ecs.InvalidParameterException,
		Message:   constraint(strconv.Itoa(v), wirePath, rule),
	}, true
}

// apiEnum is an enum type generated in package ecs: a string type whose
// Values method lists the values the API model defines.
type apiEnum[T any] interface {
	~string
	Values() []T
}

// enumStrings returns the values of an ecs enum as strings, in the API
// model's order, for enumProblem.
func enumStrings[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// optionalEnumProblem reports v outside the values of its ecs enum, at
// path, or returns false. An empty v is an absent member and passes.
func optionalEnumProblem[T apiEnum[T]](v T, path string) (ecs.Finding, bool) {
	if v == "" {
		return ecs.Finding{}, false
	}
	return enumProblem(string(v), path, path, enumStrings(v.Values())...)
}

// enumProblem reports v outside values, or returns false.
func enumProblem(v, path, wirePath string, values ...string) (ecs.Finding, bool) {
	for _, ok := range values {
		if v == ok {
			return ecs.Finding{}, false
		}
	}
	set := "["
	for i, ok := range values {
		if i > 0 {
			set += ", "
		}
		set += ok
	}
	return ecs.Finding{Severity: ecs.SeverityError,
		Path:      path,
		Code:      CodeEnum,
		Exception: ecs.InvalidParameterException,
		Message:   constraint(v, wirePath, "Member must satisfy enum value set: "+set+"]"),
	}, true
}
