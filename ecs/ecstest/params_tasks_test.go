package ecstest

import (
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

const (
	docRunTask   = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html"
	docStartTask = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StartTask.html"
	docTaskVol   = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskVolumeConfiguration.html"
)

func TestRunTaskParameters(t *testing.T) {
	_, c := paramsWorld(t)
	ipe := ecs.InvalidParameterException
	rows := []refusal{
		{"a bridge task", `{"taskDefinition":"web"}`, "", "", docRunTask},
		{"ten tasks", `{"taskDefinition":"web","count":10}`, "", "", docRunTask + " count: You can specify up to 10 tasks for each call."},
		{"a Fargate task on platform 1.4.0", `{"taskDefinition":"api","launchType":"FARGATE","platformVersion":"1.4.0",` + vpcOK + `}`, "", "", docRunTask},
		{"startedBy of 128 characters, with a space", `{"taskDefinition":"web","startedBy":"AWS Step Functions` + strings.Repeat("x", 110) + `"}`, "", "", docRunTask + " startedBy"},
		{"execute command with a task role override", `{"taskDefinition":"api","launchType":"FARGATE","enableExecuteCommand":true,"overrides":{"taskRoleArn":"arn:aws:iam::123456789012:role/app"},` + vpcOK + `}`, "", "",
			docRunTask + " enableExecuteCommand: the task definition must have a task role, or you must provide one as an override."},
		{"a volume configured at launch", `{"taskDefinition":"ebs","launchType":"FARGATE",` + vpcOK + `,"volumeConfigurations":[{"name":"data","managedEBSVolume":{"roleArn":"` + roleARN + `","sizeInGiB":10}}]}`, "", "", docTaskVol},

		{"no taskDefinition", `{}`, ecs.ClientException, "taskDefinition", docRunTask + " taskDefinition: Required: Yes"},
		{"an inactive task definition", `{"taskDefinition":"gone:1"}`, ecs.ClientException, "TaskDefinition is inactive", docRunTask},
		{"a cluster that does not exist", `{"cluster":"nope","taskDefinition":"web"}`, ecs.ClusterNotFoundException, "Cluster not found.", docRunTask},
		{"count 0", `{"taskDefinition":"web","count":0}`, ipe, "Count must be between 1 and 10.", docRunTask + " count"},
		{"count 11", `{"taskDefinition":"web","count":11}`, ipe, "Count must be between 1 and 10.", docRunTask + " count: You can specify up to 10 tasks for each call."},
		{"a group of 256 characters", `{"taskDefinition":"web","group":"` + strings.Repeat("g", 256) + `"}`, ipe, "Group name", docRunTask + " group"},
		{"startedBy of 129 characters", `{"taskDefinition":"web","startedBy":"` + strings.Repeat("b", 129) + `"}`, ipe, "startedBy longer than 128.",
			docRunTask + " startedBy: Up to 128 letters ... are allowed. (ECS's words for the former limit of 36: github.com/convox/rack/issues/1727)"},
		{"clientToken of 65 characters", `{"taskDefinition":"web","clientToken":"` + strings.Repeat("t", 65) + `"}`, ipe, "clientToken", docRunTask + " clientToken: Up to 64 characters are allowed."},
		{"clientToken with a tab", `{"taskDefinition":"web","clientToken":"a\tb"}`, ipe, "clientToken", docRunTask + " clientToken: The valid characters are characters in the range of 33-126, inclusive."},
		{"launchType outside the enum", `{"taskDefinition":"web","launchType":"EC3"}`, ipe, "Value 'EC3' at 'launchType'", docRunTask + " launchType: Valid Values"},
		{"launchType and capacityProviderStrategy", `{"taskDefinition":"api","launchType":"FARGATE","capacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1}],` + vpcOK + `}`, ipe,
			"Specifying both a launch type and capacity provider strategy is not supported.", docRunTask + " launchType: If a launchType is specified, the capacityProviderStrategy parameter must be omitted."},
		{"launchType MANAGED_INSTANCES", `{"taskDefinition":"web","launchType":"MANAGED_INSTANCES"}`, ipe, "MANAGED_INSTANCES", docRunTask + " launchType: If you want to use Amazon ECS Managed Instances, you must use the capacityProviderStrategy request parameter"},
		{"a provider the cluster does not have", `{"taskDefinition":"web","capacityProviderStrategy":[{"capacityProvider":"cp1","weight":1}]}`, ipe, "not associated with the cluster", docStrategyItem},
		{"21 capacity providers", `{"taskDefinition":"web","capacityProviderStrategy":` + jsonList(21, `{"capacityProvider":"cp%d","weight":1}`) + `}`, ipe, "maximum of 20 capacity providers", docRunTask + " capacityProviderStrategy"},
		{"a platform version on EC2", `{"taskDefinition":"web","launchType":"EC2","platformVersion":"LATEST"}`, ipe, "The platform version must be null when specifying an EC2 launch type.", docRunTask + " platformVersion: A platform version is only specified for tasks hosted on Fargate."},
		{"a platform version that does not exist", `{"taskDefinition":"api","launchType":"FARGATE","platformVersion":"2.0.0",` + vpcOK + `}`, ecs.PlatformUnknownException, "The specified platform does not exist.", docRunTask + " platformVersion"},
		{"propagateTags SERVICE", `{"taskDefinition":"web","propagateTags":"SERVICE"}`, ipe, "SERVICE", docRunTask + " propagateTags: An error will be received if you specify the SERVICE option when running a task."},
		{"propagateTags outside the enum", `{"taskDefinition":"web","propagateTags":"ALL"}`, ipe, "Value 'ALL' at 'propagateTags'", docRunTask + " propagateTags: Valid Values"},
		{"overrides over 8192 characters", `{"taskDefinition":"web","overrides":{"containerOverrides":[{"name":"app","command":["` + strings.Repeat("c", 8200) + `"]}]}}`, ipe,
			"Container Overrides length must be at most 8192.", docRunTask + " overrides: A total of 8192 characters are allowed for overrides. (ECS's answer: github.com/artilleryio/artillery/issues/2584)"},
		{"ephemeral storage of 20 GiB", `{"taskDefinition":"api","launchType":"FARGATE",` + vpcOK + `,"overrides":{"ephemeralStorage":{"sizeInGiB":20}}}`, ipe, "sizeInGiB",
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html sizeInGiB: The minimum supported value is 21 GiB and the maximum supported value is 200 GiB."},
		{"ephemeral storage of 201 GiB", `{"taskDefinition":"api","launchType":"FARGATE",` + vpcOK + `,"overrides":{"ephemeralStorage":{"sizeInGiB":201}}}`, ipe, "sizeInGiB", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html sizeInGiB"},
		{"ephemeral storage on EC2", `{"taskDefinition":"web","overrides":{"ephemeralStorage":{"sizeInGiB":30}}}`, ipe, "Fargate",
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html ephemeralStorage: This parameter is only supported for tasks hosted on Fargate"},
		{"a Fargate size that does not exist", `{"taskDefinition":"api","launchType":"FARGATE",` + vpcOK + `,"overrides":{"cpu":"256","memory":"8192"}}`, ipe, "Fargate",
			"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size"},
		{"a container override without a name", `{"taskDefinition":"web","overrides":{"containerOverrides":[{"command":["true"]}]}}`, ipe, "name is required",
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerOverride.html name: This parameter is required if any override is specified."},
		{"a negative memory override", `{"taskDefinition":"web","overrides":{"containerOverrides":[{"name":"app","memory":-1}]}}`, ipe, "negative", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerOverride.html memory"},
		{"a reservation over the memory", `{"taskDefinition":"web","overrides":{"containerOverrides":[{"name":"app","memory":128,"memoryReservation":256}]}}`, ipe, "memoryReservation",
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html memoryReservation: must be lower than the memory value"},
		{"an inference accelerator override", `{"taskDefinition":"web","overrides":{"containerOverrides":[{"name":"app","resourceRequirements":[{"type":"InferenceAccelerator","value":"a"}]}]}}`, ipe, "GPU",
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerOverride.html resourceRequirements: The only supported resource is a GPU."},
		{"ephemeral storage of 30 GiB on Fargate", `{"taskDefinition":"api","launchType":"FARGATE",` + vpcOK + `,"overrides":{"ephemeralStorage":{"sizeInGiB":30},"cpu":"512","memory":"1024"}}`, "", "", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html"},
		{"an override of a container the task definition lacks", `{"taskDefinition":"web","overrides":{"containerOverrides":[{"name":"db"}]}}`, ipe, "db", docRunTask + " overrides: specify the name of a container in the specified task definition"},
		{"an environment file without a type", `{"taskDefinition":"web","overrides":{"containerOverrides":[{"name":"app","environmentFiles":[{"value":"arn:aws:s3:::b/x.env"}]}]}}`, ipe,
			"Value null at 'overrides.containerOverrides.1.member.environmentFiles.1.member.type'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EnvironmentFile.html type: Required: Yes"},
		{"11 placement constraints", `{"taskDefinition":"web","placementConstraints":` + jsonList(11, `{"type":"memberOf","expression":"attribute:n%d exists"}`) + `}`, ipe, "", docRunTask + " placementConstraints: You can specify up to 10 constraints for each task"},
		{"6 placement strategies", `{"taskDefinition":"web","placementStrategy":` + jsonList(6, `{"type":"random"}`) + `}`, ipe, "", docRunTask + " placementStrategy: You can specify a maximum of 5 strategy rules for each task."},
		{"a placement constraint type outside the enum", `{"taskDefinition":"web","placementConstraints":[{"type":"sameInstance"}]}`, ipe, "Value 'sameInstance' at 'placementConstraints.1.member.type'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementConstraint.html type: Valid Values: distinctInstance | memberOf"},
		{"a Fargate task with a placement strategy", `{"taskDefinition":"api","launchType":"FARGATE","placementStrategy":[{"type":"random"}],` + vpcOK + `}`, ipe, "Placement strategies are not supported with the FARGATE launch type.", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html"},
		{"no network configuration for an awsvpc task", `{"taskDefinition":"api","launchType":"FARGATE"}`, ipe, "Network Configuration must be provided when networkMode 'awsvpc' is specified.", docRunTask + " networkConfiguration: This parameter is required for task definitions that use the awsvpc network mode"},
		{"a network configuration for a bridge task", `{"taskDefinition":"web",` + vpcOK + `}`, ipe, "Network Configuration is not valid for the given networkMode of this task definition.", docRunTask + " networkConfiguration: it isn't supported for other network modes."},
		{"empty subnets", `{"taskDefinition":"api","launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":[]}}}`, ipe, "subnets can not be empty.", docAwsVpc},
		{"a bridge task on Fargate", `{"taskDefinition":"web","launchType":"FARGATE"}`, ipe, "Task definition does not support launch_type FARGATE.", docRunTask + " launchType"},
		{"execute command without a task role", `{"taskDefinition":"api","launchType":"FARGATE","enableExecuteCommand":true,` + vpcOK + `}`, ipe,
			"The execute command failed because a valid task role is not being used. Specify a valid task role in your task definition or as a task override and try again.",
			docRunTask + " enableExecuteCommand: If true, then the task definition must have a task role, or you must provide one as an override. (ECS's answer: github.com/boto/boto3/issues/3173)"},
		{"a volume the task definition does not configure at launch", `{"taskDefinition":"ebs","launchType":"FARGATE",` + vpcOK + `,"volumeConfigurations":[{"name":"logs","managedEBSVolume":{"roleArn":"` + roleARN + `"}}]}`, ipe,
			"logs", docTaskVol + " name: The name of the volume. This value must match the volume name from the Volume object in the task definition."},
		{"a task volume configuration without a name", `{"taskDefinition":"ebs","launchType":"FARGATE",` + vpcOK + `,"volumeConfigurations":[{"managedEBSVolume":{"roleArn":"` + roleARN + `"}}]}`, ipe,
			"Value null at 'volumeConfigurations.1.member.name'", docTaskVol + " name: Required: Yes"},
		{"51 tags", `{"taskDefinition":"web","tags":` + jsonList(51, `{"key":"k%d","value":"v"}`) + `}`, ipe, "tags", docRunTask + " tags: Maximum number of tags per resource - 50"},
		{"a tag value of 257 characters", `{"taskDefinition":"web","tags":[{"key":"k","value":"` + strings.Repeat("v", 257) + `"}]}`, ipe, "256", docTags + " value: Maximum length of 256."},
	}
	checkRefusals(t, c, "RunTask", rows)
}

func TestStartTaskParameters(t *testing.T) {
	_, c := paramsWorld(t)
	var list ecs.ListContainerInstancesResponse
	c.call("ListContainerInstances", map[string]any{}, &list)
	inst := `"containerInstances":["` + list.ContainerInstanceARNs[0] + `"]`
	ipe := ecs.InvalidParameterException
	rows := []refusal{
		{"a bridge task", `{"taskDefinition":"web",` + inst + `}`, "", "", docStartTask},
		{"an instance that does not exist is a failure", `{"taskDefinition":"web","containerInstances":["nope"]}`, "", "", docStartTask + " (failures: MISSING)"},

		{"no containerInstances", `{"taskDefinition":"web"}`, ipe, "containerInstances", docStartTask + " containerInstances: Required: Yes"},
		{"11 containerInstances", `{"taskDefinition":"web","containerInstances":` + jsonList(11, `"i-%d"`) + `}`, ipe, "containerInstances", docStartTask + " containerInstances: You can specify up to 10 container instances."},
		{"no taskDefinition", `{` + inst + `}`, ecs.ClientException, "taskDefinition", docStartTask + " taskDefinition: Required: Yes"},
		{"an inactive task definition", `{"taskDefinition":"gone:1",` + inst + `}`, ecs.ClientException, "TaskDefinition is inactive", docStartTask},
		{"a cluster that does not exist", `{"cluster":"nope","taskDefinition":"web",` + inst + `}`, ecs.ClusterNotFoundException, "Cluster not found.", docStartTask},
		{"a group of 256 characters", `{"taskDefinition":"web","group":"` + strings.Repeat("g", 256) + `",` + inst + `}`, ipe, "Group name", docStartTask + " group"},
		{"startedBy of 129 characters", `{"taskDefinition":"web","startedBy":"` + strings.Repeat("b", 129) + `",` + inst + `}`, ipe, "startedBy longer than 128.", docStartTask + " startedBy: Up to 128 letters ... are allowed."},
		{"propagateTags SERVICE", `{"taskDefinition":"web","propagateTags":"SERVICE",` + inst + `}`, ipe, "SERVICE", docStartTask + " propagateTags: An error will be received if you specify the SERVICE option when running a task."},
		{"a network configuration for a bridge task", `{"taskDefinition":"web",` + vpcOK + `,` + inst + `}`, ipe, "Network Configuration is not valid for the given networkMode of this task definition.", docStartTask + " networkConfiguration"},
		{"empty subnets", `{"taskDefinition":"api","networkConfiguration":{"awsvpcConfiguration":{"subnets":[]}},` + inst + `}`, ipe, "subnets can not be empty.", docAwsVpc},
		{"an override of a container the task definition lacks", `{"taskDefinition":"web","overrides":{"containerOverrides":[{"name":"db"}]},` + inst + `}`, ipe, "db", docStartTask + " overrides"},
		{"execute command without a task role", `{"taskDefinition":"web","enableExecuteCommand":true,` + inst + `}`, ipe, "a valid task role is not being used", docStartTask + " enableExecuteCommand: If true, this enables execute command functionality on all containers in the task."},
		{"a volume the task definition does not configure at launch", `{"taskDefinition":"api",` + vpcOK + `,"volumeConfigurations":[{"name":"logs","managedEBSVolume":{"roleArn":"` + roleARN + `"}}],` + inst + `}`, ipe, "logs", docTaskVol},
		{"51 tags", `{"taskDefinition":"web","tags":` + jsonList(51, `{"key":"k%d","value":"v"}`) + `,` + inst + `}`, ipe, "tags", docStartTask + " tags: Maximum number of tags per resource - 50"},
	}
	checkRefusals(t, c, "StartTask", rows)
}
