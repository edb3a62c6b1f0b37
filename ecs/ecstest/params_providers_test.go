package ecstest

import (
	"context"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

const (
	docCreateProvider = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html"
	docManagedScaling = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html"
	docASGProvider    = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AutoScalingGroupProvider.html"
)

func TestCapacityProviderParameters(t *testing.T) {
	e, c := paramsWorld(t)
	group := func(name string) string {
		arn, err := e.CreateAutoScalingGroup(context.Background(), AutoScalingGroup{Name: name, InstanceType: "m5.large", MaxSize: 2})
		require.NoError(t, err)
		return arn
	}
	asg1, asg2 := group("g1"), group("g2")
	asg := func(arn, more string) string {
		return `"autoScalingGroupProvider":{"autoScalingGroupArn":"` + arn + `"` + more + `}`
	}
	ipe := ecs.InvalidParameterException
	checkRefusals(t, c, "CreateCapacityProvider", []refusal{
		{"an Auto Scaling group provider", `{"name":"cp1",` + asg(asg1, `,"managedScaling":{"status":"ENABLED","targetCapacity":90}`) + `}`, "", "", docCreateProvider},

		{"a name with a dot", `{"name":"a.b",` + asg(asg2, "") + `}`, ipe, "up to 255 letters", docCreateProvider + " name: Up to 255 characters are allowed. They include letters (both upper and lowercase letters), numbers, underscores (_), and hyphens (-)."},
		{"a name of 256 characters", `{"name":"` + strings.Repeat("p", 256) + `",` + asg(asg2, "") + `}`, ipe, "up to 255 letters", docCreateProvider + " name"},
		{"a name prefixed with fargate", `{"name":"FargateMine",` + asg(asg2, "") + `}`, ipe, `cannot be prefixed with "aws", "ecs", or "fargate"`, docCreateProvider + ` name: The name can't be prefixed with "aws", "ecs", or "fargate".`},
		{"a name taken", `{"name":"cp1",` + asg(asg2, "") + `}`, ipe, "exists already", docCreateProvider},
		{"no provider", `{"name":"cp2"}`, ipe, "autoScalingGroupProvider", docCreateProvider + " autoScalingGroupProvider"},
		{"no group ARN", `{"name":"cp2","autoScalingGroupProvider":{}}`, ipe, "autoScalingGroupArn", docASGProvider + " autoScalingGroupArn: Required: Yes"},
		{"a group already in use", `{"name":"cp2",` + asg(asg1, "") + `}`, ipe, "already in use", docCreateProvider},
		{"targetCapacity 0", `{"name":"cp2",` + asg(asg2, `,"managedScaling":{"targetCapacity":0}`) + `}`, ipe, "targetCapacity", docManagedScaling + " targetCapacity: The specified value must be greater than 0 and less than or equal to 100."},
		{"targetCapacity 101", `{"name":"cp2",` + asg(asg2, `,"managedScaling":{"targetCapacity":101}`) + `}`, ipe, "targetCapacity", docManagedScaling + " targetCapacity: Valid Range: Minimum value of 1. Maximum value of 100."},
		{"a step size of 10001", `{"name":"cp2",` + asg(asg2, `,"managedScaling":{"maximumScalingStepSize":10001}`) + `}`, ipe, "maximumScalingStepSize", docManagedScaling + " maximumScalingStepSize: Valid Range: Minimum value of 1. Maximum value of 10000."},
		{"a warm-up of 10001 s", `{"name":"cp2",` + asg(asg2, `,"managedScaling":{"instanceWarmupPeriod":10001}`) + `}`, ipe, "instanceWarmupPeriod", docManagedScaling + " instanceWarmupPeriod: Valid Range: Minimum value of 0. Maximum value of 10000."},
		{"a scaling status outside the enum", `{"name":"cp2",` + asg(asg2, `,"managedScaling":{"status":"ON"}`) + `}`, ipe, "Value 'ON' at 'autoScalingGroupProvider.managedScaling.status'", docManagedScaling + " status: Valid Values: ENABLED | DISABLED"},
		{"termination protection outside the enum", `{"name":"cp2",` + asg(asg2, `,"managedTerminationProtection":"ON"`) + `}`, ipe, "managedTerminationProtection", docASGProvider + " managedTerminationProtection: Valid Values: ENABLED | DISABLED"},
		{"51 tags", `{"name":"cp2",` + asg(asg2, "") + `,"tags":` + jsonList(51, `{"key":"k%d","value":"v"}`) + `}`, ipe, "tags", docCreateProvider + " tags: Maximum number of tags per resource - 50"},
	})
	checkRefusals(t, c, "UpdateCapacityProvider", []refusal{
		{"a new target capacity", `{"name":"cp1","autoScalingGroupProvider":{"managedScaling":{"targetCapacity":80}}}`, "", "", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateCapacityProvider.html"},
		{"no provider", `{"name":"cp1"}`, ipe, "autoScalingGroupProvider", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateCapacityProvider.html autoScalingGroupProvider"},
		{"a provider that does not exist", `{"name":"nope","autoScalingGroupProvider":{}}`, ecs.ClientException, "does not exist", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateCapacityProvider.html"},
		{"targetCapacity 101", `{"name":"cp1","autoScalingGroupProvider":{"managedScaling":{"targetCapacity":101}}}`, ipe, "targetCapacity", docManagedScaling},
		{"a Fargate provider", `{"name":"FARGATE","autoScalingGroupProvider":{}}`, ipe, "reserved", docCreateProvider},
	})
	checkRefusals(t, c, "DeleteCapacityProvider", []refusal{
		{"no provider", `{}`, ipe, "capacityProvider", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCapacityProvider.html capacityProvider: Required: Yes"},
		{"a Fargate provider", `{"capacityProvider":"FARGATE_SPOT"}`, ipe, "reserved", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCapacityProvider.html: The FARGATE and FARGATE_SPOT capacity providers are reserved and can't be deleted."},
	})
	checkRefusals(t, c, "DescribeCapacityProviders", []refusal{
		{"maxResults 11", `{"maxResults":11}`, ipe, "maxResults", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeCapacityProviders.html maxResults: This value can be between 1 and 10."},
		{"maxResults 0", `{"maxResults":0}`, ipe, "maxResults", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeCapacityProviders.html maxResults"},
		{"101 providers", `{"capacityProviders":` + jsonList(101, `"cp%d"`) + `}`, ipe, "capacityProviders", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeCapacityProviders.html capacityProviders: Up to 100 capacity providers can be described in an action."},
		{"include outside the enum", `{"include":["ALL"]}`, ipe, "Value 'ALL' at 'include.1.member'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeCapacityProviders.html include: Valid Values: TAGS"},
	})
}
