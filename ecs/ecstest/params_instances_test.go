package ecstest

import (
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

const (
	docRegisterInstance = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterContainerInstance.html"
	docAttribute        = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Attribute.html"
	docPutAttributes    = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutAttributes.html"
	docListTasks        = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html"
)

func TestContainerInstanceParameters(t *testing.T) {
	_, c := paramsWorld(t)
	var list ecs.ListContainerInstancesResponse
	c.call("ListContainerInstances", map[string]any{}, &list)
	arn := list.ContainerInstanceARNs[0]
	ipe := ecs.InvalidParameterException
	checkRefusals(t, c, "RegisterContainerInstance", []refusal{
		{"an instance with its resources", `{"totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":7680}]}`, "", "", docRegisterInstance},
		{"a cluster that does not exist", `{"cluster":"nope","totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":7680}]}`, ecs.ClusterNotFoundException, "Cluster not found.", docRegisterInstance},
		{"an identity document that is not one", `{"instanceIdentityDocument":"{nope"}`, ipe, "instanceIdentityDocument", docRegisterInstance + " instanceIdentityDocument"},
		{"a negative resource", `{"totalResources":[{"name":"CPU","type":"INTEGER","integerValue":-1},{"name":"MEMORY","type":"INTEGER","integerValue":7680}]}`, ipe, "negative", docRegisterInstance + " totalResources"},
		{"an attribute name with a space", `{"totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":7680}],"attributes":[{"name":"a b"}]}`, ipe, "a b",
			docAttribute + " name: The name may contain letters (uppercase and lowercase), numbers, hyphens (-), underscores (_), forward slashes (/), back slashes (\\), or periods (.)."},
		{"an attribute without a name", `{"totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":7680}],"attributes":[{"value":"x"}]}`, ipe, "Value null at 'attributes.1.member.name'", docAttribute + " name: Required: Yes"},
		{"a platform device type outside the enum", `{"totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":7680}],"platformDevices":[{"id":"0","type":"TPU"}]}`, ipe, "Value 'TPU' at 'platformDevices.1.member.type'",
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlatformDevice.html type: The only supported value is GPU."},
		{"a platform device without an id", `{"totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":7680}],"platformDevices":[{"type":"GPU"}]}`, ipe, "Value null at 'platformDevices.1.member.id'",
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlatformDevice.html id: Required: Yes"},
		{"51 tags", `{"totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":7680}],"tags":` + jsonList(51, `{"key":"k%d","value":"v"}`) + `}`, ipe, "tags", docRegisterInstance + " tags: Maximum number of tags per resource - 50"},
	})
	checkRefusals(t, c, "DescribeContainerInstances", []refusal{
		{"no containerInstances", `{}`, ipe, "containerInstances", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeContainerInstances.html containerInstances: Required: Yes"},
		{"101 containerInstances", `{"containerInstances":` + jsonList(101, `"i%d"`) + `}`, ipe, "containerInstances", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeContainerInstances.html containerInstances: A list of up to 100 container instance IDs or full Amazon Resource Name (ARN) entries."},
		{"include outside the enum", `{"containerInstances":["` + arn + `"],"include":["HEALTH"]}`, ipe, "Value 'HEALTH' at 'include.1.member'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeContainerInstances.html include: Valid Values: TAGS | CONTAINER_INSTANCE_HEALTH"},
	})
	checkRefusals(t, c, "ListContainerInstances", []refusal{
		{"a filter", `{"filter":"attribute:ecs.instance-type == m5.large"}`, "", "", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html"},
		{"a filter that does not parse", `{"filter":"attribute:ecs.instance-type =="}`, ipe, "", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListContainerInstances.html filter: cluster query language statements"},
		{"a status outside the enum", `{"status":"STOPPED"}`, ipe, "Value 'STOPPED' at 'status'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListContainerInstances.html status: Valid Values"},
		{"maxResults 101", `{"maxResults":101}`, ipe, "maxResults", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListContainerInstances.html maxResults: This value can be between 1 and 100."},
		{"maxResults 0", `{"maxResults":0}`, ipe, "maxResults", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListContainerInstances.html maxResults"},
		{"a nextToken it did not give", `{"nextToken":"abc"}`, ipe, "nextToken", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListContainerInstances.html nextToken: The nextToken value returned from a ListContainerInstances request"},
	})
	checkRefusals(t, c, "UpdateContainerInstancesState", []refusal{
		{"DRAINING", `{"containerInstances":["` + arn + `"],"status":"DRAINING"}`, "", "", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateContainerInstancesState.html"},
		{"REGISTERING", `{"containerInstances":["` + arn + `"],"status":"REGISTERING"}`, ipe, "ACTIVE or DRAINING", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateContainerInstancesState.html status: The only valid values for this action are ACTIVE and DRAINING."},
		{"a status outside the enum", `{"containerInstances":["` + arn + `"],"status":"STOPPED"}`, ipe, "Value 'STOPPED' at 'status'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateContainerInstancesState.html status: Valid Values"},
		{"11 containerInstances", `{"containerInstances":` + jsonList(11, `"i%d"`) + `,"status":"DRAINING"}`, ipe, "containerInstances", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateContainerInstancesState.html containerInstances: A list of up to 10 container instance IDs or full ARN entries."},
	})
	checkRefusals(t, c, "DeregisterContainerInstance", []refusal{
		{"no containerInstance", `{}`, ipe, "containerInstance", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeregisterContainerInstance.html containerInstance: Required: Yes"},
		{"an instance that does not exist", `{"containerInstance":"0123456789abcdef0123456789abcdef"}`, ipe, "not found", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeregisterContainerInstance.html"},
	})
	checkRefusals(t, c, "PutAttributes", []refusal{
		{"an attribute", `{"attributes":[{"name":"stack","value":"prod","targetId":"` + arn + `"}]}`, "", "", docPutAttributes},
		{"no attributes", `{}`, ipe, "attributes", docPutAttributes + " attributes: Required: Yes"},
		{"11 attributes", `{"attributes":` + jsonList(11, `{"name":"a%d","targetId":"`+arn+`"}`) + `}`, ipe, "attributes", docPutAttributes + " attributes: You can specify up to 10 attributes in a single call."},
		{"a name of 129 characters", `{"attributes":[{"name":"` + strings.Repeat("a", 129) + `","targetId":"` + arn + `"}]}`, ipe, "128", docAttribute + " name: The name must contain between 1 and 128 characters."},
		{"a value starting with a space", `{"attributes":[{"name":"stack","value":" prod","targetId":"` + arn + `"}]}`, ipe, "space", docAttribute + " value: The value can't start or end with a space."},
		{"a target type outside the enum", `{"attributes":[{"name":"stack","targetType":"task","targetId":"` + arn + `"}]}`, ipe, "Value 'task' at 'attributes.1.member.targetType'", docAttribute + " targetType: Valid Values: container-instance"},
		{"a target that does not exist", `{"attributes":[{"name":"stack","targetId":"arn:aws:ecs:us-east-1:123456789012:container-instance/default/0123456789abcdef0123456789abcdef"}]}`, ecs.TargetNotFoundException, "", docPutAttributes},
	})
	checkRefusals(t, c, "ListAttributes", []refusal{
		{"no targetType", `{}`, ipe, "targetType", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListAttributes.html targetType: Required: Yes"},
		{"a value without a name", `{"targetType":"container-instance","attributeValue":"x"}`, ipe, "attributeName", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListAttributes.html attributeValue: You must also specify an attribute name to use this parameter."},
	})
}

func TestTaskListParameters(t *testing.T) {
	_, c := paramsWorld(t)
	ipe := ecs.InvalidParameterException
	checkRefusals(t, c, "ListTasks", []refusal{
		{"a service's tasks", `{"serviceName":"svc"}`, "", "", docListTasks},
		{"family and serviceName", `{"family":"web","serviceName":"svc"}`, ipe, "family and serviceName", docListTasks},
		{"startedBy with desiredStatus", `{"startedBy":"me","desiredStatus":"STOPPED"}`, "", "", docListTasks + " desiredStatus: The default status filter is RUNNING"},
		{"startedBy with family", `{"startedBy":"me","family":"web"}`, ipe, "cannot specify startedBy with other arguments",
			docListTasks + " startedBy: When you specify startedBy as the filter, it must be the only filter that you use. (ECS's answer: github.com/aws/aws-sdk-go-v2/issues/1893)"},
		{"startedBy with launchType", `{"startedBy":"me","launchType":"EC2"}`, ipe, "cannot specify startedBy with other arguments", docListTasks + " startedBy"},
		{"a service that does not exist", `{"serviceName":"nope"}`, ecs.ServiceNotFoundException, "Service not found.", docListTasks + " (errors: ServiceNotFoundException)"},
		{"a desiredStatus outside the enum", `{"desiredStatus":"DONE"}`, ipe, "Value 'DONE' at 'desiredStatus'", docListTasks + " desiredStatus: Valid Values: RUNNING | PENDING | STOPPED"},
		{"a launchType outside the enum", `{"launchType":"EC3"}`, ipe, "Value 'EC3' at 'launchType'", docListTasks + " launchType: Valid Values"},
		{"maxResults 101", `{"maxResults":101}`, ipe, "maxResults", docListTasks + " maxResults: This value can be between 1 and 100."},
		{"a cluster that does not exist", `{"cluster":"nope"}`, ecs.ClusterNotFoundException, "Cluster not found.", docListTasks},
	})
	checkRefusals(t, c, "DescribeTasks", []refusal{
		{"no tasks", `{}`, ipe, "tasks", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html tasks: Required: Yes"},
		{"101 tasks", `{"tasks":` + jsonList(101, `"t%d"`) + `}`, ipe, "tasks", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html tasks: A list of up to 100 task IDs or full ARN entries."},
		{"include outside the enum", `{"tasks":["t"],"include":["ALL"]}`, ipe, "Value 'ALL' at 'include.1.member'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html include: Valid Values: TAGS"},
	})
	checkRefusals(t, c, "StopTask", []refusal{
		{"no task", `{}`, ipe, "task", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html task: Required: Yes"},
		{"a reason of 1025 characters", `{"task":"t","reason":"` + strings.Repeat("r", 1025) + `"}`, ipe, "reason", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html reason"},
	})
	checkRefusals(t, c, "ListServices", []refusal{
		{"a launchType outside the enum", `{"launchType":"EC3"}`, ipe, "Value 'EC3' at 'launchType'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServices.html launchType: Valid Values"},
		{"a schedulingStrategy outside the enum", `{"schedulingStrategy":"BOTH"}`, ipe, "Value 'BOTH' at 'schedulingStrategy'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServices.html schedulingStrategy: Valid Values"},
		{"maxResults 101", `{"maxResults":101}`, ipe, "maxResults", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServices.html maxResults: This value can be between 1 and 100."},
	})
	checkRefusals(t, c, "DescribeServices", []refusal{
		{"no services", `{}`, ipe, "services", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html services: Required: Yes"},
		{"11 services", `{"services":` + jsonList(11, `"s%d"`) + `}`, ipe, "services", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html services: You may specify up to 10 services to describe."},
		{"include outside the enum", `{"services":["svc"],"include":["ALL"]}`, ipe, "Value 'ALL' at 'include.1.member'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html include: Valid Values: TAGS"},
	})
	checkRefusals(t, c, "DeleteService", []refusal{
		{"no service", `{}`, ipe, "service", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html service: Required: Yes"},
		{"a scaled service without force", `{"service":"svc"}`, ipe, "", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html: If you attempt to delete a service that has a desiredCount above zero, you must use force."},
		{"a service that does not exist", `{"service":"nope"}`, ecs.ServiceNotFoundException, "Service not found.", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html"},
	})
}
