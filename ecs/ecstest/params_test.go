package ecstest

import (
	"context"
	"fmt"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// TestParameterRefusals checks the parameter rules of RunTask and
// createService that the API reference states, each refused with an
// InvalidParameterException naming the parameter: the awsvpc
// configuration (AwsVpcConfiguration: subnets required, at most 16, at
// most 5 security groups, a public IP only on Fargate), a network
// configuration for a task definition of another network mode, and
// CreateService's role without load balancers.
func TestParameterRefusals(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	register(t, e, "m5.large", "us-east-1a")
	bridge := taskDef(t, e, "web", 128, 128, 0)
	_, err := e.Registry().Register(&ecs.TaskDefinition{
		Family: "api", NetworkMode: ecs.NetworkModeAwsvpc, CPU: "256", Memory: "512",
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate, ecs.CompatibilityEC2},
		ContainerDefinitions:    []ecs.ContainerDefinition{{Name: "app", Image: "nginx"}},
	}, nil)
	require.NoError(t, err)
	many := func(prefix string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s-%d", prefix, i))
		}
		return out
	}
	vpc := func(c ecs.AwsVpcConfiguration) *ecs.NetworkConfiguration {
		return &ecs.NetworkConfiguration{AwsvpcConfiguration: &c}
	}
	tests := []struct {
		name string
		req  ecs.RunTaskRequest
		want string
	}{
		{"subnets can not be empty", ecs.RunTaskRequest{TaskDefinition: "api", LaunchType: ecs.LaunchTypeFargate,
			NetworkConfiguration: vpc(ecs.AwsVpcConfiguration{Subnets: []string{}})}, "subnets can not be empty."},
		{"at most 16 subnets", ecs.RunTaskRequest{TaskDefinition: "api", LaunchType: ecs.LaunchTypeFargate,
			NetworkConfiguration: vpc(ecs.AwsVpcConfiguration{Subnets: many("subnet", 17)})}, "subnets can have at most 16 items."},
		{"at most 5 security groups", ecs.RunTaskRequest{TaskDefinition: "api", LaunchType: ecs.LaunchTypeFargate,
			NetworkConfiguration: vpc(ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}, SecurityGroups: many("sg", 6)})},
			"securityGroups can have at most 5 items."},
		{"a public IP only on Fargate", ecs.RunTaskRequest{TaskDefinition: "api", LaunchType: ecs.LaunchTypeEC2,
			NetworkConfiguration: vpc(ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}, AssignPublicIP: ecs.AssignPublicIpEnabled})},
			"Assign public IP is not supported for this launch type."},
		{"no network configuration for a bridge task", ecs.RunTaskRequest{TaskDefinition: bridge.TaskDefinitionARN,
			NetworkConfiguration: vpc(ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}})},
			"Network Configuration is not valid for the given networkMode of this task definition."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.RunTask(ctx, &tt.req)
			var apiErr *ecs.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, ecs.InvalidParameterException, apiErr.Type)
			require.Equal(t, tt.want, apiErr.Message)
		})
	}
	t.Run("role needs load balancers", func(t *testing.T) {
		_, err := e.createService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: bridge.TaskDefinitionARN,
			DesiredCount: ptr(1), Role: "ecsServiceRole"})
		var apiErr *ecs.APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, ecs.InvalidParameterException, apiErr.Type)
		require.Contains(t, apiErr.Message, "role")
	})
	t.Run("a valid awsvpc task on EC2 runs", func(t *testing.T) {
		resp, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "api", LaunchType: ecs.LaunchTypeEC2,
			NetworkConfiguration: vpc(ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}})})
		require.NoError(t, err)
		require.Len(t, resp.Tasks, 1)
	})
}
