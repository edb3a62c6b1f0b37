package placement_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/findingstest"
	"github.com/ecscore/ecscore/placement"
)

func invalidParam(path, code, msg string) ecs.Finding {
	return ecs.Finding{Path: path, Code: code, Severity: ecs.SeverityError,
		Exception: ecs.InvalidParameterException, Message: msg}
}

// TestValidateRunTaskFindings checks that one request with several
// problems reports all of them, in the order of the request, each at its
// wire path, while the error itself stays ECS's answer for the first.
// The rules are RunTask's (count 1–10, group, overrides:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html),
// the strategies' (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html)
// and the constraints' (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html).
func TestValidateRunTaskFindings(t *testing.T) {
	td := &ecs.TaskDefinition{
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "web"}},
		PlacementConstraints: []ecs.TaskDefinitionPlacementConstraint{
			{Type: ecs.TaskDefinitionPlacementConstraintTypeMemberOf, Expression: "attribute:stack == prod"},
			{Type: "distinctInstance"},
		},
	}
	count := 11
	tests := []struct {
		name string
		req  *ecs.RunTaskRequest
		td   *ecs.TaskDefinition
		want ecs.Findings
	}{
		{
			name: "nil request",
			want: ecs.Findings{invalidParam("", placement.CodeRequestRequired, "The RunTask request is required.")},
		},
		{
			name: "request and placement",
			req: &ecs.RunTaskRequest{
				Count:                    &count,
				Group:                    strings.Repeat("g", placement.MaxGroupLen+1),
				LaunchType:               "FARGATE",
				CapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "FARGATE_SPOT"}},
				PlacementStrategy: []ecs.PlacementStrategy{
					{Type: ecs.PlacementStrategyTypeBinpack, Field: "disk"},
					{Type: "pack", Field: "cpu"},
				},
				PlacementConstraints: []ecs.PlacementConstraint{
					{Type: ecs.PlacementConstraintTypeDistinctInstance, Expression: "attribute:a == b"},
					{Type: ecs.PlacementConstraintTypeMemberOf},
					{Type: ecs.PlacementConstraintTypeMemberOf, Expression: strings.Repeat("x", placement.MaxExpressionLen+1)},
					{Type: "sameHost"},
				},
				Overrides: &ecs.TaskOverride{ContainerOverrides: []ecs.ContainerOverride{{Name: "web"}, {Name: "sidecar"}}},
			},
			td: td,
			want: ecs.Findings{
				invalidParam("count", placement.CodeCount, "Count must be between 1 and 10."),
				invalidParam("group", placement.CodeGroupLength, "Group name must be at most 255 characters long."),
				invalidParam("capacityProviderStrategy", placement.CodeLaunchTypeAndProvider,
					"Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."),
				invalidParam("placementStrategy", placement.CodeFargateStrategy, "Placement strategies are not supported with the FARGATE launch type."),
				invalidParam("overrides.containerOverrides[1].name", placement.CodeOverrideContainer,
					"Override for container named sidecar is not a container in the TaskDefinition."),
				invalidParam("placementStrategy[0].field", placement.CodeStrategyField,
					`Invalid field "disk" for binpack placement strategy. Valid values are cpu and memory.`),
				invalidParam("placementStrategy[1].type", placement.CodeStrategyType,
					`Invalid placement strategy type "pack". Valid values are random, spread and binpack.`),
				{Path: "taskDefinition.placementConstraints[1].type", Code: placement.CodeTaskDefinitionDistinct, Severity: ecs.SeverityError,
					Exception: ecs.ClientException, Message: "The distinctInstance placement constraint is not supported in a task definition."},
				invalidParam("placementConstraints[0].expression", placement.CodeDistinctExpression,
					"The distinctInstance placement constraint does not take an expression."),
				invalidParam("placementConstraints[1].expression", placement.CodeExpressionRequired,
					"The memberOf placement constraint requires an expression."),
				invalidParam("placementConstraints[2].expression", placement.CodeExpression,
					"The memberOf placement constraint expression must not exceed 2000 characters."),
				invalidParam("placementConstraints[3].type", placement.CodeConstraintType,
					`Invalid placement constraint type "sameHost". Valid values are distinctInstance and memberOf.`),
			},
		},
		{
			name: "too many strategies and constraints",
			req: &ecs.RunTaskRequest{
				LaunchType:           "SPOT",
				PlacementStrategy:    make([]ecs.PlacementStrategy, placement.MaxStrategies+1),
				PlacementConstraints: make([]ecs.PlacementConstraint, placement.MaxConstraints),
				Overrides:            &ecs.TaskOverride{CPU: strings.Repeat("1", placement.MaxOverridesBytes)},
			},
			td: &ecs.TaskDefinition{PlacementConstraints: td.PlacementConstraints[:1]},
			want: func() ecs.Findings {
				fs := ecs.Findings{
					invalidParam("launchType", placement.CodeLaunchType, `Invalid launch type "SPOT".`),
					invalidParam("overrides", placement.CodeOverridesLength, "Container Overrides length must be at most 8192."),
					invalidParam("placementStrategy", placement.CodeTooManyStrategies, "The number of placement strategies must not exceed 5."),
				}
				for i := range placement.MaxStrategies + 1 {
					fs = append(fs, invalidParam("placementStrategy["+itoa(i)+"].type", placement.CodeStrategyType,
						`Invalid placement strategy type "". Valid values are random, spread and binpack.`))
				}
				fs = append(fs, invalidParam("placementConstraints", placement.CodeTooManyConstraints,
					"The number of placement constraints must not exceed 10, including those in the task definition."))
				for i := range placement.MaxConstraints {
					fs = append(fs, invalidParam("placementConstraints["+itoa(i)+"].type", placement.CodeConstraintType,
						`Invalid placement constraint type "". Valid values are distinctInstance and memberOf.`))
				}
				return fs
			}(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findingstest.Check(t, placement.ValidateRunTask(tt.req, tt.td), tt.want)
		})
	}
}

// TestValidatePlacementValid checks that a valid request has no error.
func TestValidatePlacementValid(t *testing.T) {
	err := placement.ValidatePlacement(
		[]ecs.PlacementStrategy{{Type: ecs.PlacementStrategyTypeSpread, Field: "attribute:ecs.availability-zone"}},
		[]ecs.PlacementConstraint{{Type: ecs.PlacementConstraintTypeDistinctInstance}},
		&ecs.TaskDefinition{})
	require.NoError(t, err)
}

func itoa(i int) string { return strconv.Itoa(i) }
