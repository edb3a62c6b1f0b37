package autoscaling

import (
	"encoding/json"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestJSONNames decodes and re-encodes the shapes in the Application Auto
// Scaling API's own member names (PascalCase, timestamps as epoch
// seconds), as DescribeScalingPolicies and DescribeScheduledActions write
// them (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ScalingPolicy.html,
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ScheduledAction.html).
func TestJSONNames(t *testing.T) {
	docs := []struct {
		v   any
		doc string
	}{
		{&ScalingPolicy{}, `{"PolicyARN":"arn:aws:autoscaling:us-east-1:012345678910:scalingPolicy:6d8972f3-efc8-437c-92d1-6270f29a66e7:resource/ecs/service/default/web-app:policyName/cpu75","PolicyName":"cpu75","ServiceNamespace":"ecs","ResourceId":"service/default/web-app","ScalableDimension":"ecs:service:DesiredCount","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":75,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"},"ScaleOutCooldown":60,"ScaleInCooldown":60,"DisableScaleIn":false},"CreationTime":1565123456.123}`},
		{&ScalingPolicy{}, `{"PolicyName":"step","ServiceNamespace":"ecs","ResourceId":"service/default/web-app","ScalableDimension":"ecs:service:DesiredCount","PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"PercentChangeInCapacity","StepAdjustments":[{"MetricIntervalLowerBound":0,"ScalingAdjustment":80}],"MinAdjustmentMagnitude":1,"Cooldown":60,"MetricAggregationType":"Average"},"CreationTime":1565123456}`},
		{&ScheduledAction{}, `{"ScheduledActionName":"morning","ServiceNamespace":"ecs","Schedule":"cron(0 8 ? * MON-FRI *)","Timezone":"America/Los_Angeles","ResourceId":"service/default/web-app","ScalableDimension":"ecs:service:DesiredCount","StartTime":1767225600,"ScalableTargetAction":{"MinCapacity":5,"MaxCapacity":20},"CreationTime":1765108800}`},
		{&ScalableTarget{}, `{"ServiceNamespace":"ecs","ResourceId":"service/default/web-app","ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":10,"CreationTime":1557141706.199,"SuspendedState":{"DynamicScalingInSuspended":false,"DynamicScalingOutSuspended":false,"ScheduledScalingSuspended":true}}`},
		{&ScalingActivity{}, `{"ActivityId":"e6c5f7d1-dbbb-4a3f-89b2-51f33e766399","ServiceNamespace":"ecs","ResourceId":"service/default/web-app","ScalableDimension":"ecs:service:DesiredCount","Description":"Setting desired count to 4.","Cause":"monitor alarm web-app-cpu-gt-75 in state ALARM triggered policy web-app-cpu-gt-75","StartTime":1462574194.658,"EndTime":1462574276.686,"StatusCode":"Successful","StatusMessage":"Successfully set desired count to 4. Change successfully fulfilled by ecs."}`},
	}
	for _, d := range docs {
		require.NoError(t, ecs.Unmarshal([]byte(d.doc), d.v))
		out, err := json.Marshal(d.v)
		require.NoError(t, err)
		var want, got any
		require.NoError(t, json.Unmarshal([]byte(d.doc), &want))
		require.NoError(t, json.Unmarshal(out, &got))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%T round trip (-want +got):\n%s", d.v, diff)
		}
	}
}
