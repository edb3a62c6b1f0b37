package sdktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/stretchr/testify/require"
)

// TestApplicationAutoScaling scales a service through aws-sdk-go-v2's
// applicationautoscaling client on the same endpoint as ECS: a target
// tracking policy at 50 % CPU for a service of 2 tasks (min 2, max 10)
// scales out as its load rises to 90 % and back to 2 at 10 %, each change
// a scaling activity; the API's errors are its typed exceptions.
func TestApplicationAutoScaling(t *testing.T) {
	ctx := context.Background()
	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(t0, 0)))
	t.Cleanup(e.Close)
	srv := ecstest.NewServer(e)
	t.Cleanup(srv.Close)
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDECSTEST", SecretAccessKey: "ecstest"}, nil
	})
	client := ecs.New(ecs.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds, HTTPClient: srv.Client(), RetryMaxAttempts: 1})
	scaling := aas.New(aas.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds, HTTPClient: srv.Client(), RetryMaxAttempts: 1})

	_, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{})
	require.NoError(t, err)
	for range 4 {
		addInstance(t, client, "")
	}
	_, err = client.RegisterTaskDefinition(ctx, webTaskDefinition("web"))
	require.NoError(t, err)
	_, err = client.CreateService(ctx, &ecs.CreateServiceInput{ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(2)})
	require.NoError(t, err)
	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)

	rid, dim := aws.String("service/default/web"), aastypes.ScalableDimensionECSServiceDesiredCount
	_, err = scaling.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: rid, ScalableDimension: dim, MinCapacity: aws.Int32(2), MaxCapacity: aws.Int32(10)})
	require.NoError(t, err)
	pol, err := scaling.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{PolicyName: aws.String("cpu50"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: rid, ScalableDimension: dim, PolicyType: aastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{TargetValue: aws.Float64(50),
			PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{PredefinedMetricType: aastypes.MetricTypeECSServiceAverageCPUUtilization}}})
	require.NoError(t, err)
	require.Len(t, pol.Alarms, 2)

	desired := func() int32 {
		out, err := client.DescribeServices(ctx, &ecs.DescribeServicesInput{Services: []string{"web"}})
		require.NoError(t, err)
		return out.Services[0].DesiredCount
	}
	_, err = e.SetLoad(ctx, ecstest.Load{Service: "web", CPUUtilization: aws.Float64(90)})
	require.NoError(t, err)
	e.Clock().Advance(10 * time.Minute)
	require.EqualValues(t, 4, desired())
	acts, err := scaling.DescribeScalingActivities(ctx, &aas.DescribeScalingActivitiesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: rid})
	require.NoError(t, err)
	require.Len(t, acts.ScalingActivities, 1)
	require.Equal(t, "Setting desired count to 4.", aws.ToString(acts.ScalingActivities[0].Description))
	require.Equal(t, aastypes.ScalingActivityStatusCodeSuccessful, acts.ScalingActivities[0].StatusCode)
	require.False(t, aws.ToTime(acts.ScalingActivities[0].StartTime).IsZero())

	_, err = e.Settle(ctx, "", "web", 0)
	require.NoError(t, err)
	_, err = e.SetLoad(ctx, ecstest.Load{Service: "web", CPUUtilization: aws.Float64(10)})
	require.NoError(t, err)
	e.Clock().Advance(10 * time.Minute)
	require.EqualValues(t, 4, desired(), "scale-in waits for 15 low minutes")
	e.Clock().Advance(20 * time.Minute)
	require.EqualValues(t, 2, desired())

	targets, err := scaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	require.NoError(t, err)
	require.Len(t, targets.ScalableTargets, 1)
	require.EqualValues(t, 10, aws.ToInt32(targets.ScalableTargets[0].MaxCapacity))

	_, err = scaling.DeleteScalingPolicy(ctx, &aas.DeleteScalingPolicyInput{PolicyName: aws.String("nope"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: rid, ScalableDimension: dim})
	var notFound *aastypes.ObjectNotFoundException
	require.True(t, errors.As(err, &notFound), "%v", err)
	_, err = scaling.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: aws.String("service/default/nope"), ScalableDimension: dim, MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(2)})
	var invalid *aastypes.ValidationException
	require.True(t, errors.As(err, &invalid), "%v", err)
}
