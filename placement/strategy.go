package placement

import (
	"fmt"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// Fields of placement strategies, as the API spells them.
const (
	FieldCPU        = "cpu"        // binpack on CPU units
	FieldMemory     = "memory"     // binpack on memory
	FieldInstanceID = "instanceId" // spread over instances
	FieldHost       = "host"       // spread over instances, as instanceId
	// AttributePrefix starts a spread field naming an attribute, as in
	// attribute:ecs.availability-zone.
	AttributePrefix = "attribute:"
)

// MaxStrategies is the most strategy steps a task or service may have
// (rule 87).
const MaxStrategies = 5

// stepKind is what one step of a strategy chain orders instances by.
type stepKind uint8

const (
	stepBinpackCPU     stepKind = iota + 1 // least remaining CPU
	stepBinpackMemory                      // least remaining memory
	stepSpreadInstance                     // fewest tasks of the group on the instance
	stepSpreadAttr                         // fewest tasks of the group on the instance's attribute value
	stepRandom                             // the seeded random order of the placement
)

// step is one compiled strategy step.
type step struct {
	kind stepKind
	attr string // attribute name for stepSpreadAttr
}

// compileStrategy checks a chain and compiles it. Errors are the API's
// InvalidParameterException.
func compileStrategy(chain []ecs.PlacementStrategy) ([]step, error) {
	return appendStrategy(nil, chain)
}

// appendStrategy compiles a chain, as compileStrategy does, onto steps.
func appendStrategy(steps []step, chain []ecs.PlacementStrategy) ([]step, error) {
	if len(chain) > MaxStrategies {
		return nil, invalidParameter("The number of placement strategies must not exceed %d.", MaxStrategies)
	}
	for _, ps := range chain {
		st, err := compileStep(ps)
		if err != nil {
			return nil, err
		}
		steps = append(steps, st)
	}
	return steps, nil
}

func compileStep(ps ecs.PlacementStrategy) (step, error) {
	switch ps.Type {
	case ecs.PlacementStrategyTypeBinpack:
		switch ps.Field {
		case FieldCPU:
			return step{kind: stepBinpackCPU}, nil
		case FieldMemory:
			return step{kind: stepBinpackMemory}, nil
		}
		return step{}, invalidParameter("Invalid field %q for binpack placement strategy. Valid values are cpu and memory.", ps.Field)
	case ecs.PlacementStrategyTypeSpread:
		switch {
		case ps.Field == FieldInstanceID || ps.Field == FieldHost:
			return step{kind: stepSpreadInstance}, nil
		case strings.HasPrefix(ps.Field, AttributePrefix) && len(ps.Field) > len(AttributePrefix):
			return step{kind: stepSpreadAttr, attr: ps.Field[len(AttributePrefix):]}, nil
		}
		return step{}, invalidParameter("Invalid field %q for spread placement strategy. Valid values are instanceId, host, or attribute:<name>.", ps.Field)
	case ecs.PlacementStrategyTypeRandom:
		// The API does not use a random strategy's field (rule 86).
		return step{kind: stepRandom}, nil
	}
	return step{}, invalidParameter("Invalid placement strategy type %q. Valid values are random, spread and binpack.", ps.Type)
}

// String returns the step as the API writes it, such as binpack(memory).
func (st step) String() string {
	switch st.kind {
	case stepBinpackCPU:
		return "binpack(cpu)"
	case stepBinpackMemory:
		return "binpack(memory)"
	case stepSpreadInstance:
		return "spread(instanceId)"
	case stepSpreadAttr:
		return "spread(attribute:" + st.attr + ")"
	case stepRandom:
		return "random"
	}
	return fmt.Sprintf("step(%d)", st.kind)
}

// invalidParameter returns the API's InvalidParameterException.
func invalidParameter(format string, args ...any) *ecs.APIError {
	return ecs.NewAPIError(ecs.InvalidParameterException, fmt.Sprintf(format, args...), ecs.ErrInvalid)
}

// clientException returns the API's ClientException.
func clientException(format string, args ...any) *ecs.APIError {
	return ecs.NewAPIError(ecs.ClientException, fmt.Sprintf(format, args...), ecs.ErrInvalid)
}
