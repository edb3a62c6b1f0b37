package placement_test

import (
	"errors"
	"fmt"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// A request with three problems: the error is ECS's answer, for the
// first; the *ecs.FindingsError it wraps lists all three, each at its
// path in the request.
func ExampleValidatePlacement() {
	err := placement.ValidatePlacement(
		[]ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeBinpack, Field: "disk"}},
		[]ecs.PlacementConstraint{
			{Type: ecs.PlacementConstraintTypeDistinctInstance},
			{Type: ecs.PlacementConstraintTypeMemberOf},
			{Type: "sameHost"},
		}, nil)
	fmt.Println(err)
	var fe *ecs.FindingsError
	if errors.As(err, &fe) {
		for _, f := range fe.Findings {
			fmt.Println(f.Path, f.Code)
		}
	}
	// Output:
	// InvalidParameterException: Invalid field "disk" for binpack placement strategy. Valid values are cpu and memory.
	// placementStrategy[0].field placement.strategy-field
	// placementConstraints[1].expression placement.expression-required
	// placementConstraints[2].type placement.constraint-type
}
