package placement

import (
	"unicode/utf8"

	"github.com/ecscore/ecscore/ecs"
)

// Limits of RunTask (rules 98, 148 and 155).
const (
	MaxRunTaskCount   = 10   // tasks per RunTask call
	MaxGroupLen       = 255  // characters in a task group name
	MaxOverridesBytes = 8192 // characters of RunTask overrides, as JSON
)

// ValidateRunTask checks the placement parts of a RunTask request as the
// API does, given the task definition it names: count 1 to 10, the group
// name, the overrides' size and containers, the launch type, and the
// strategy and constraints (see ValidatePlacement). The error is an
// *ecs.APIError of type InvalidParameterException or ClientException,
// with the API's kind of message; nil means the request is valid.
func ValidateRunTask(req *ecs.RunTaskRequest, td *ecs.TaskDefinition) error {
	if req == nil {
		return invalidParameter("The RunTask request is required.")
	}
	if req.Count != nil && (*req.Count < 1 || *req.Count > MaxRunTaskCount) {
		return invalidParameter("Count must be between 1 and %d.", MaxRunTaskCount)
	}
	if utf8.RuneCountInString(req.Group) > MaxGroupLen {
		return invalidParameter("Group name must be at most %d characters long.", MaxGroupLen)
	}
	switch req.LaunchType {
	case "", ecs.LaunchTypeEC2, ecs.LaunchTypeExternal, ecs.LaunchTypeFargate, ecs.LaunchTypeManagedInstances:
	default:
		return invalidParameter("Invalid launch type %q.", req.LaunchType)
	}
	if req.LaunchType != "" && len(req.CapacityProviderStrategy) > 0 {
		return invalidParameter("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.")
	}
	if req.LaunchType == ecs.LaunchTypeFargate && len(req.PlacementStrategy) > 0 {
		return invalidParameter("Placement strategies are not supported with the FARGATE launch type.")
	}
	if err := validateOverrides(req.Overrides, td); err != nil {
		return err
	}
	return ValidatePlacement(req.PlacementStrategy, req.PlacementConstraints, td)
}

// validateOverrides checks the overrides' size and that each container
// override names a container of td.
func validateOverrides(o *ecs.TaskOverride, td *ecs.TaskDefinition) error {
	if o == nil {
		return nil
	}
	data, err := ecs.Marshal(o)
	if err != nil {
		return invalidParameter("Invalid overrides: %v", err)
	}
	if len(data) > MaxOverridesBytes {
		return invalidParameter("Container Overrides length must be at most %d.", MaxOverridesBytes)
	}
	if td == nil {
		return nil
	}
	for _, co := range o.ContainerOverrides {
		found := false
		for _, cd := range td.ContainerDefinitions {
			found = found || cd.Name == co.Name
		}
		if !found {
			return invalidParameter("Override for container named %s is not a container in the TaskDefinition.", co.Name)
		}
	}
	return nil
}

// ValidatePlacement checks a strategy chain and constraints as RunTask,
// CreateService and UpdateService do: at most 5 strategies, each of a
// known type with a field it takes (binpack: cpu or memory; spread:
// instanceId, host or attribute:<name>; random: none used); at most 10
// constraints counting the task definition's; distinctInstance without an
// expression; memberOf with an expression of at most 2000 characters
// that parses. td may be nil.
func ValidatePlacement(strategy []ecs.PlacementStrategy, constraints []ecs.PlacementConstraint, td *ecs.TaskDefinition) error {
	if _, err := compileStrategy(strategy); err != nil {
		return err
	}
	var all []ecs.PlacementConstraint
	if td != nil {
		for _, c := range td.PlacementConstraints {
			if c.Type == ecs.TaskDefinitionPlacementConstraintType(ecs.PlacementConstraintTypeDistinctInstance) {
				return clientException("The distinctInstance placement constraint is not supported in a task definition.")
			}
			all = append(all, ecs.PlacementConstraint{Type: ecs.PlacementConstraintType(c.Type), Expression: c.Expression})
		}
	}
	all = append(all, constraints...)
	_, err := compileConstraints(all, make(map[string]*expr))
	return err
}
