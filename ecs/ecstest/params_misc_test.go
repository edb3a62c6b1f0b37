package ecstest

import (
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

const docAPI = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_"

func TestTaskDefinitionOperationParameters(t *testing.T) {
	_, c := paramsWorld(t)
	ipe := ecs.InvalidParameterException
	checkRefusals(t, c, "DescribeTaskDefinition", []refusal{
		{"a family", `{"taskDefinition":"web"}`, "", "", docAPI + "DescribeTaskDefinition.html taskDefinition: The family for the latest ACTIVE revision"},
		{"no taskDefinition", `{}`, ecs.ClientException, "taskDefinition", docAPI + "DescribeTaskDefinition.html taskDefinition: Required: Yes"},
		{"include outside the enum", `{"taskDefinition":"web","include":["ALL"]}`, ipe, "Value 'ALL' at 'include.1.member'", docAPI + "DescribeTaskDefinition.html include: Valid Values: TAGS"},
	})
	checkRefusals(t, c, "DeregisterTaskDefinition", []refusal{
		{"no taskDefinition", `{}`, ecs.ClientException, "", docAPI + "DeregisterTaskDefinition.html taskDefinition: Required: Yes"},
		{"a family without a revision", `{"taskDefinition":"web"}`, ecs.ClientException, "", docAPI + "DeregisterTaskDefinition.html taskDefinition: You must specify a revision."},
	})
	checkRefusals(t, c, "ListTaskDefinitions", []refusal{
		{"a status outside the enum", `{"status":"DELETED"}`, ipe, "Value 'DELETED' at 'status'", docAPI + "ListTaskDefinitions.html status: Valid Values: ACTIVE | INACTIVE | DELETE_IN_PROGRESS"},
		{"a sort outside the enum", `{"sort":"UP"}`, ipe, "Value 'UP' at 'sort'", docAPI + "ListTaskDefinitions.html sort: Valid values are ASC and DESC."},
		{"maxResults 101", `{"maxResults":101}`, ipe, "maxResults", docAPI + "ListTaskDefinitions.html maxResults: This value can be between 1 and 100."},
	})
	checkRefusals(t, c, "ListTaskDefinitionFamilies", []refusal{
		{"a status outside the enum", `{"status":"DELETED"}`, ipe, "Value 'DELETED' at 'status'", docAPI + "ListTaskDefinitionFamilies.html status: Valid Values: ACTIVE | INACTIVE | ALL"},
		{"maxResults 0", `{"maxResults":0}`, ipe, "maxResults", docAPI + "ListTaskDefinitionFamilies.html maxResults: This value can be between 1 and 100."},
	})
	checkRefusals(t, c, "DeleteTaskDefinitions", []refusal{
		{"no taskDefinitions", `{}`, ipe, "taskDefinitions", docAPI + "DeleteTaskDefinitions.html taskDefinitions: Required: Yes"},
		{"11 taskDefinitions", `{"taskDefinitions":` + jsonList(11, `"web:%d"`) + `}`, ipe, "taskDefinitions", docAPI + "DeleteTaskDefinitions.html taskDefinitions: You can specify up to 10 task definitions as a comma separated list."},
	})
}

func TestTagAndSettingParameters(t *testing.T) {
	_, c := paramsWorld(t)
	ipe := ecs.InvalidParameterException
	cluster := "arn:aws:ecs:us-east-1:123456789012:cluster/default"
	checkRefusals(t, c, "TagResource", []refusal{
		{"a cluster's tag", `{"resourceArn":"` + cluster + `","tags":[{"key":"team","value":"a"}]}`, "", "", docAPI + "TagResource.html"},
		{"no resourceArn", `{"tags":[{"key":"team","value":"a"}]}`, ipe, "resourceArn", docAPI + "TagResource.html resourceArn: Required: Yes"},
		{"no tags", `{"resourceArn":"` + cluster + `"}`, ipe, "tags", docAPI + "TagResource.html tags: Required: Yes"},
		{"51 tags", `{"resourceArn":"` + cluster + `","tags":` + jsonList(51, `{"key":"k%d","value":"v"}`) + `}`, ipe, "tags", docAPI + "TagResource.html tags: Maximum number of tags per resource - 50"},
		{"a tag without a key", `{"resourceArn":"` + cluster + `","tags":[{"value":"a"}]}`, ipe, "", docTags + " key: Length Constraints: Minimum length of 1."},
		{"a tag key in the aws: namespace", `{"resourceArn":"` + cluster + `","tags":[{"key":"AWS:team","value":"a"}]}`, ipe, "aws:", docTags + " key: Do not use aws:, AWS:, or any upper or lowercase combination of such as a prefix"},
		{"a tag value of 257 characters", `{"resourceArn":"` + cluster + `","tags":[{"key":"team","value":"` + strings.Repeat("v", 257) + `"}]}`, ipe, "256", docTags + " value: Maximum length of 256."},
		{"a tag key with a character tags cannot have", `{"resourceArn":"` + cluster + `","tags":[{"key":"team#1","value":"a"}]}`, ipe, "characters", docTags + " key: Pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"},
		{"a resource that is not an ARN", `{"resourceArn":"default","tags":[{"key":"team","value":"a"}]}`, ipe, "resourceArn", docAPI + "TagResource.html resourceArn: The Amazon Resource Name (ARN) of the resource to add tags to."},
		{"a cluster that does not exist", `{"resourceArn":"arn:aws:ecs:us-east-1:123456789012:cluster/nope","tags":[{"key":"team","value":"a"}]}`, ecs.ClusterNotFoundException, "", docAPI + "TagResource.html (errors: ClusterNotFoundException)"},
	})
	checkRefusals(t, c, "UntagResource", []refusal{
		{"no tagKeys", `{"resourceArn":"` + cluster + `"}`, ipe, "tagKeys", docAPI + "UntagResource.html tagKeys: Required: Yes"},
		{"no resourceArn", `{"tagKeys":["team"]}`, ipe, "resourceArn", docAPI + "UntagResource.html resourceArn: Required: Yes"},
	})
	checkRefusals(t, c, "ListTagsForResource", []refusal{
		{"no resourceArn", `{}`, ipe, "resourceArn", docAPI + "ListTagsForResource.html resourceArn: Required: Yes"},
	})
	checkRefusals(t, c, "PutAccountSetting", []refusal{
		{"a setting", `{"name":"containerInsights","value":"enhanced"}`, "", "", docAPI + "PutAccountSetting.html"},
		{"a name outside the enum", `{"name":"longArns","value":"enabled"}`, ipe, "Value 'longArns' at 'name'", docAPI + "PutAccountSetting.html name: Valid Values"},
		{"a value the setting does not take", `{"name":"awsvpcTrunking","value":"maybe"}`, ipe, "maybe", docAPI + "PutAccountSetting.html value: Accepted values are enabled, disabled, enhanced, on, and off."},
		{"a wait period it does not take", `{"name":"fargateTaskRetirementWaitPeriod","value":"3"}`, ipe, "3", docAPI + "PutAccountSetting.html value: When you specify fargateTaskRetirementWaitPeriod for the name, the following are the valid values: 0, 7, 14"},
		{"guardDutyActivate", `{"name":"guardDutyActivate","value":"on"}`, ipe, "guardDutyActivate", docAPI + "PutAccountSetting.html name: guardDutyActivate - The guardDutyActivate parameter is read-only in Amazon ECS"},
	})
	checkRefusals(t, c, "PutAccountSettingDefault", []refusal{
		{"a name outside the enum", `{"name":"longArns","value":"enabled"}`, ipe, "Value 'longArns' at 'name'", docAPI + "PutAccountSettingDefault.html name: Valid Values"},
	})
	checkRefusals(t, c, "DeleteAccountSetting", []refusal{
		{"no name", `{}`, ipe, "name", docAPI + "DeleteAccountSetting.html name: Required: Yes"},
	})
	checkRefusals(t, c, "ListAccountSettings", []refusal{
		{"a value without a name", `{"value":"enabled"}`, ipe, "name", docAPI + "ListAccountSettings.html value: You must also specify an account setting name to use this parameter."},
		{"maxResults 11", `{"maxResults":11}`, ipe, "maxResults", docAPI + "ListAccountSettings.html maxResults: This value can be between 1 and 10."},
	})
}

func TestProtectionAndDeploymentParameters(t *testing.T) {
	_, c := paramsWorld(t)
	ipe := ecs.InvalidParameterException
	checkRefusals(t, c, "UpdateTaskProtection", []refusal{
		{"no cluster", `{"tasks":["t"],"protectionEnabled":true}`, ipe, "cluster", docAPI + "UpdateTaskProtection.html cluster: Required: Yes"},
		{"no tasks", `{"cluster":"default","protectionEnabled":true}`, ipe, "tasks", docAPI + "UpdateTaskProtection.html tasks: Required: Yes"},
		{"11 tasks", `{"cluster":"default","tasks":` + jsonList(11, `"t%d"`) + `,"protectionEnabled":true}`, ipe, "tasks", docAPI + "UpdateTaskProtection.html tasks: A list of up to 10 task IDs or full ARN entries."},
		{"2881 minutes", `{"cluster":"default","tasks":["t"],"protectionEnabled":true,"expiresInMinutes":2881}`, ipe, "expiresInMinutes", docAPI + "UpdateTaskProtection.html expiresInMinutes: You can specify a value from 1 minute to up to 2,880 minutes (48 hours)."},
		{"0 minutes", `{"cluster":"default","tasks":["t"],"protectionEnabled":true,"expiresInMinutes":0}`, ipe, "expiresInMinutes", docAPI + "UpdateTaskProtection.html expiresInMinutes"},
	})
	checkRefusals(t, c, "GetTaskProtection", []refusal{
		{"no cluster", `{}`, ipe, "cluster", docAPI + "GetTaskProtection.html cluster: Required: Yes"},
		{"101 tasks", `{"cluster":"default","tasks":` + jsonList(101, `"t%d"`) + `}`, ipe, "tasks", docAPI + "GetTaskProtection.html tasks: A list of up to 100 task IDs or full ARN entries."},
	})
	checkRefusals(t, c, "ListServiceDeployments", []refusal{
		{"no service", `{}`, ipe, "service", docAPI + "ListServiceDeployments.html service: Required: Yes"},
		{"a status outside the enum", `{"service":"svc","status":["DONE"]}`, ipe, "Value 'DONE' at 'status.1.member'", docAPI + "ListServiceDeployments.html status: Valid Values"},
		{"a service that does not exist", `{"service":"nope"}`, ecs.ServiceNotFoundException, "", docAPI + "ListServiceDeployments.html (errors: ServiceNotFoundException)"},
	})
	checkRefusals(t, c, "DescribeServiceDeployments", []refusal{
		{"no serviceDeploymentArns", `{}`, ipe, "serviceDeploymentArns", docAPI + "DescribeServiceDeployments.html serviceDeploymentArns: Required: Yes"},
		{"21 serviceDeploymentArns", `{"serviceDeploymentArns":` + jsonList(21, `"d%d"`) + `}`, ipe, "serviceDeploymentArns", docAPI + "DescribeServiceDeployments.html serviceDeploymentArns: The ARN of the service deployment. You can specify a maximum of 20 ARNs."},
	})
	checkRefusals(t, c, "StopServiceDeployment", []refusal{
		{"no serviceDeploymentArn", `{}`, ipe, "serviceDeploymentArn", docAPI + "StopServiceDeployment.html serviceDeploymentArn: Required: Yes"},
		{"a stopType outside the enum", `{"serviceDeploymentArn":"d","stopType":"PAUSE"}`, ipe, "Value 'PAUSE' at 'stopType'", docAPI + "StopServiceDeployment.html stopType: Valid Values: ABORT | ROLLBACK"},
	})
}

func TestAgentAndExecParameters(t *testing.T) {
	_, c := paramsWorld(t)
	ipe := ecs.InvalidParameterException
	checkRefusals(t, c, "ExecuteCommand", []refusal{
		{"no task", `{"command":"sh","interactive":true}`, ipe, "task", docAPI + "ExecuteCommand.html task: Required: Yes"},
		{"no command", `{"task":"0123456789abcdef0123456789abcdef","interactive":true}`, ipe, "command", docAPI + "ExecuteCommand.html command: Required: Yes"},
		{"a cluster that does not exist", `{"cluster":"nope","task":"0123456789abcdef0123456789abcdef","command":"sh","interactive":true}`, ecs.ClusterNotFoundException, "", docAPI + "ExecuteCommand.html"},
	})
	checkRefusals(t, c, "ListServicesByNamespace", []refusal{
		{"no namespace", `{}`, ipe, "namespace", docAPI + "ListServicesByNamespace.html namespace: Required: Yes"},
		{"maxResults 101", `{"namespace":"ns","maxResults":101}`, ipe, "maxResults", docAPI + "ListServicesByNamespace.html maxResults: This value can be between 1 and 100."},
	})
	checkRefusals(t, c, "UpdateContainerAgent", []refusal{
		{"no containerInstance", `{}`, ipe, "containerInstance", docAPI + "UpdateContainerAgent.html containerInstance: Required: Yes"},
		{"a cluster that does not exist", `{"cluster":"nope","containerInstance":"0123456789abcdef0123456789abcdef"}`, ecs.ClusterNotFoundException, "", docAPI + "UpdateContainerAgent.html"},
	})
}
