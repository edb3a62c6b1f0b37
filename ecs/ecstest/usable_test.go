package ecstest

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// TestGoAPIRefusesWhatTheWireCannotCarry checks that a Go API request
// holding a value the ECS protocol cannot carry (an Integer member beyond
// int32: the model's Integer shape is 32 bits) is refused with
// InvalidParameterException, as the API's front end refuses the same JSON,
// and that nothing is created. Such a request once panicked in the
// operations' copies of nested members.
func TestGoAPIRefusesWhatTheWireCannotCarry(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	register(t, e, "m5.large", "us-east-1a")
	td := taskDef(t, e, "web", 256, 512)
	huge := 1 << 40
	for name, call := range map[string]func() error{
		"CreateService maximumPercent": func() error {
			_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "s", TaskDefinition: td.TaskDefinitionARN, DesiredCount: ptr(1),
				DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: &huge}})
			return err
		},
		"UpdateService network": func() error {
			_, err := e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "s", DesiredCount: &huge})
			return err
		},
		"CreateExpressGatewayService scaling": func() error {
			_, err := e.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceRequest{
				ExecutionRoleARN: "arn:aws:iam::123456789012:role/x", InfrastructureRoleARN: "arn:aws:iam::123456789012:role/y",
				PrimaryContainer: &ecs.ExpressGatewayContainer{Image: "nginx"},
				ScalingTarget:    &ecs.ExpressGatewayScalingTarget{MinTaskCount: &huge}})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			var api *ecs.APIError
			err := call()
			require.ErrorAs(t, err, &api)
			require.Equal(t, ecs.InvalidParameterException, api.Type)
			require.True(t, errors.Is(err, ecs.ErrInvalid))
		})
	}
	out, err := e.ListServices(ctx, &ecs.ListServicesRequest{})
	require.NoError(t, err)
	require.Empty(t, out.ServiceARNs, "a refused request created a service")
}
