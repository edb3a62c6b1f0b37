package placement

import (
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/ecscore/ecscore/ecs"
)

// Limits of RunTask (rules 98, 148 and 155).
const (
	MaxRunTaskCount   = 10   // tasks per RunTask call
	MaxGroupLen       = 255  // characters in a task group name
	MaxOverridesBytes = 8192 // characters of RunTask overrides, as JSON
)

// Codes of the findings ValidateRunTask and ValidatePlacement report.
const (
	CodeRequestRequired        = "placement.request-required"                  // no RunTask request
	CodeCount                  = "placement.count"                             // count outside 1–10
	CodeGroupLength            = "placement.group-length"                      // group over 255 characters
	CodeLaunchType             = "placement.launch-type"                       // a launchType outside the enum
	CodeLaunchTypeAndProvider  = "placement.launch-type-and-provider"          // launchType and a capacity provider strategy
	CodeFargateStrategy        = "placement.fargate-strategy"                  // a placement strategy with FARGATE
	CodeOverrides              = "placement.overrides"                         // overrides that cannot be written as JSON
	CodeOverridesLength        = "placement.overrides-length"                  // overrides over 8192 characters
	CodeOverrideContainer      = "placement.override-container"                // an override of no container of the task definition
	CodeTooManyStrategies      = "placement.too-many-strategies"               // more than 5 strategies
	CodeStrategyType           = "placement.strategy-type"                     // a strategy type outside random, spread, binpack
	CodeStrategyField          = "placement.strategy-field"                    // a field the strategy type does not take
	CodeTaskDefinitionDistinct = "placement.task-definition-distinct-instance" // distinctInstance in a task definition
	CodeTooManyConstraints     = "placement.too-many-constraints"              // more than 10 constraints, the task definition's included
	CodeConstraintType         = "placement.constraint-type"                   // a constraint type outside distinctInstance, memberOf
	CodeDistinctExpression     = "placement.distinct-instance-expression"      // distinctInstance with an expression
	CodeExpressionRequired     = "placement.expression-required"               // memberOf without an expression
	CodeExpression             = "placement.expression"                        // a memberOf expression too long or that does not parse
)

// ValidateRunTask checks the placement parts of a RunTask request as the
// API does, given the task definition it names: count 1 to 10, the group
// name, the overrides' size and containers, the launch type, and the
// strategy and constraints (see ValidatePlacement). nil means the request
// is valid. Otherwise the error is what ECS answers: an *ecs.APIError of
// type InvalidParameterException or ClientException with the API's kind
// of message, for the first problem; it wraps an *ecs.FindingsError
// (errors.As) listing every problem, each with its wire path
// (placementConstraints[1].expression), code and message.
func ValidateRunTask(req *ecs.RunTaskRequest, td *ecs.TaskDefinition) error {
	return runTaskFindings(req, td).RequestErr()
}

func runTaskFindings(req *ecs.RunTaskRequest, td *ecs.TaskDefinition) ecs.Findings {
	if req == nil {
		return ecs.Findings{problem(invalidParameter("The RunTask request is required."), "", CodeRequestRequired)}
	}
	var fs ecs.Findings
	if req.Count != nil && (*req.Count < 1 || *req.Count > MaxRunTaskCount) {
		fs = append(fs, problem(invalidParameter("Count must be between 1 and %d.", MaxRunTaskCount), "count", CodeCount))
	}
	if utf8.RuneCountInString(req.Group) > MaxGroupLen {
		fs = append(fs, problem(invalidParameter("Group name must be at most %d characters long.", MaxGroupLen), "group", CodeGroupLength))
	}
	switch req.LaunchType {
	case "", ecs.LaunchTypeEC2, ecs.LaunchTypeExternal, ecs.LaunchTypeFargate, ecs.LaunchTypeManagedInstances:
	default:
		fs = append(fs, problem(invalidParameter("Invalid launch type %q.", req.LaunchType), "launchType", CodeLaunchType))
	}
	if req.LaunchType != "" && len(req.CapacityProviderStrategy) > 0 {
		fs = append(fs, problem(invalidParameter("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."),
			"capacityProviderStrategy", CodeLaunchTypeAndProvider))
	}
	if req.LaunchType == ecs.LaunchTypeFargate && len(req.PlacementStrategy) > 0 {
		fs = append(fs, problem(invalidParameter("Placement strategies are not supported with the FARGATE launch type."), "placementStrategy", CodeFargateStrategy))
	}
	fs = append(fs, overridesFindings(req.Overrides, td)...)
	return append(fs, placementFindings(req.PlacementStrategy, req.PlacementConstraints, td)...)
}

// overridesFindings checks the overrides' size and that each container
// override names a container of td.
func overridesFindings(o *ecs.TaskOverride, td *ecs.TaskDefinition) ecs.Findings {
	if o == nil {
		return nil
	}
	data, err := ecs.Marshal(o)
	if err != nil {
		return ecs.Findings{problem(invalidParameter("Invalid overrides: %v", err), "overrides", CodeOverrides)}
	}
	var fs ecs.Findings
	if len(data) > MaxOverridesBytes {
		fs = append(fs, problem(invalidParameter("Container Overrides length must be at most %d.", MaxOverridesBytes), "overrides", CodeOverridesLength))
	}
	if td == nil {
		return fs
	}
	for i, co := range o.ContainerOverrides {
		found := false
		for _, cd := range td.ContainerDefinitions {
			found = found || cd.Name == co.Name
		}
		if !found {
			fs = append(fs, problem(invalidParameter("Override for container named %s is not a container in the TaskDefinition.", co.Name),
				"overrides.containerOverrides["+strconv.Itoa(i)+"].name", CodeOverrideContainer))
		}
	}
	return fs
}

// ValidatePlacement checks a strategy chain and constraints as RunTask,
// CreateService and UpdateService do: at most 5 strategies, each of a
// known type with a field it takes (binpack: cpu or memory; spread:
// instanceId, host or attribute:<name>; random: none used); at most 10
// constraints counting the task definition's; distinctInstance without an
// expression; memberOf with an expression of at most 2000 characters
// that parses. td may be nil. The error is as ValidateRunTask's: ECS's
// answer for the first problem, wrapping an *ecs.FindingsError with all
// of them; the task definition's constraints are at
// taskDefinition.placementConstraints[i].
func ValidatePlacement(strategy []ecs.PlacementStrategy, constraints []ecs.PlacementConstraint, td *ecs.TaskDefinition) error {
	return placementFindings(strategy, constraints, td).RequestErr()
}

func placementFindings(strategy []ecs.PlacementStrategy, constraints []ecs.PlacementConstraint, td *ecs.TaskDefinition) ecs.Findings {
	fs := strategyFindings(strategy)
	n := len(constraints)
	if td != nil {
		n += len(td.PlacementConstraints)
		for i, c := range td.PlacementConstraints {
			path := "taskDefinition.placementConstraints[" + strconv.Itoa(i) + "]"
			if c.Type == ecs.TaskDefinitionPlacementConstraintType(ecs.PlacementConstraintTypeDistinctInstance) {
				fs = append(fs, problem(clientException("The distinctInstance placement constraint is not supported in a task definition."),
					path+".type", CodeTaskDefinitionDistinct))
			}
		}
	}
	if n > MaxConstraints {
		fs = append(fs, problem(tooManyConstraints(), "placementConstraints", CodeTooManyConstraints))
	}
	if td != nil {
		for i, c := range td.PlacementConstraints {
			if c.Type == ecs.TaskDefinitionPlacementConstraintType(ecs.PlacementConstraintTypeDistinctInstance) {
				continue // reported above
			}
			fs = appendConstraintFinding(fs, ecs.PlacementConstraintType(c.Type), c.Expression,
				"taskDefinition.placementConstraints["+strconv.Itoa(i)+"]")
		}
	}
	for i, c := range constraints {
		fs = appendConstraintFinding(fs, c.Type, c.Expression, "placementConstraints["+strconv.Itoa(i)+"]")
	}
	return fs
}

// strategyFindings checks a strategy chain as compileStrategy does.
func strategyFindings(chain []ecs.PlacementStrategy) ecs.Findings {
	var fs ecs.Findings
	if len(chain) > MaxStrategies {
		fs = append(fs, problem(invalidParameter("The number of placement strategies must not exceed %d.", MaxStrategies),
			"placementStrategy", CodeTooManyStrategies))
	}
	for i, ps := range chain {
		if _, err := compileStep(ps); err != nil {
			path, code := "placementStrategy["+strconv.Itoa(i)+"].field", CodeStrategyField
			if !ps.Type.Known() {
				path, code = "placementStrategy["+strconv.Itoa(i)+"].type", CodeStrategyType
			}
			fs = append(fs, problem(err, path, code))
		}
	}
	return fs
}

// appendConstraintFinding appends the problem of one constraint, at path,
// if it has one.
func appendConstraintFinding(fs ecs.Findings, typ ecs.PlacementConstraintType, expression, path string) ecs.Findings {
	_, err := compileConstraint(typ, expression, make(map[string]*expr))
	if err == nil {
		return fs
	}
	code := CodeConstraintType
	switch {
	case typ == ecs.PlacementConstraintTypeDistinctInstance:
		code = CodeDistinctExpression
	case typ == ecs.PlacementConstraintTypeMemberOf && expression == "":
		code = CodeExpressionRequired
	case typ == ecs.PlacementConstraintTypeMemberOf:
		code = CodeExpression
	}
	if code == CodeConstraintType {
		path += ".type"
	} else {
		path += ".expression"
	}
	return append(fs, problem(err, path, code))
}

// problem returns err, an *ecs.APIError, as a finding at path.
func problem(err error, path, code string) ecs.Finding {
	f := ecs.Finding{Path: path, Code: code, Severity: ecs.SeverityError,
		Exception: ecs.InvalidParameterException, Message: err.Error()}
	var ae *ecs.APIError
	if errors.As(err, &ae) {
		f.Exception, f.Message = ae.Type, ae.Message
	}
	return f
}
