package ecstest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

const (
	docCreateService = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html"
	docUpdateService = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html"
	docServiceReg    = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceRegistry.html"
	docStrategyItem  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html"
	docDeployConfig  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html"
	docAwsVpc        = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html"
	docTags          = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html"
)

// jsonList returns a JSON list of n elements, each elem with its index
// for %d.
func jsonList(n int, elem string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strings.ReplaceAll(elem, "%d", strconv.Itoa(i))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

const (
	vpcOK   = `"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"]}}`
	arnSD   = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abcdefghijklmnop"
	roleARN = "arn:aws:iam::123456789012:role/ebs"
)

func TestCreateServiceParameters(t *testing.T) {
	_, c := paramsWorld(t)
	ipe := ecs.InvalidParameterException
	rows := []refusal{
		{"a bridge service", `{"serviceName":"ok1","taskDefinition":"web","desiredCount":1}`, "", "", docCreateService},
		{"a Fargate service on platform 1.4.0", `{"serviceName":"ok2","taskDefinition":"api","desiredCount":1,"launchType":"FARGATE","platformVersion":"1.4.0",` + vpcOK + `}`, "", "", docCreateService},
		{"a DAEMON service without desiredCount", `{"serviceName":"ok3","taskDefinition":"web","schedulingStrategy":"DAEMON"}`, "", "",
			docCreateService + " desiredCount: If schedulingStrategy is DAEMON then this isn't required."},
		{"managed tags without propagateTags", `{"serviceName":"ok4","taskDefinition":"web","desiredCount":1,"enableECSManagedTags":true}`, "", "", docCreateService},
		{"a grace period without a load balancer", `{"serviceName":"ok5","taskDefinition":"web","desiredCount":1,"healthCheckGracePeriodSeconds":60}`, "", "",
			docCreateService + " healthCheckGracePeriodSeconds: the grace period applies to container health checks too"},
		{"execute command with a task role", `{"serviceName":"ok6","taskDefinition":"roled","desiredCount":1,"enableExecuteCommand":true,` + vpcOK + `}`, "", "", docCreateService},
		{"a service registry of an awsvpc service", `{"serviceName":"ok7","taskDefinition":"api","desiredCount":1,` + vpcOK + `,"serviceRegistries":[{"registryArn":"` + arnSD + `"}]}`, "", "", docServiceReg},
		{"a service registry of a bridge service", `{"serviceName":"ok8","taskDefinition":"web","desiredCount":1,"serviceRegistries":[{"registryArn":"` + arnSD + `","containerName":"app","containerPort":8080}]}`, "", "", docServiceReg},
		{"a volume configured at launch", `{"serviceName":"ok9","taskDefinition":"ebs","desiredCount":1,` + vpcOK + `,"volumeConfigurations":[{"name":"data","managedEBSVolume":{"roleArn":"` + roleARN + `","sizeInGiB":10}}]}`, "", "", docCreateService},

		{"serviceName with a dot", `{"serviceName":"a.b","taskDefinition":"web","desiredCount":1}`, ipe, "up to 255 letters", docCreateService + " serviceName: Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."},
		{"serviceName of 256 characters", `{"serviceName":"` + strings.Repeat("s", 256) + `","taskDefinition":"web","desiredCount":1}`, ipe, "up to 255 letters", docCreateService + " serviceName"},
		{"serviceName already used", `{"serviceName":"svc","taskDefinition":"web","desiredCount":1}`, ipe, "Creation of service was not idempotent.", docCreateService + " serviceName: Service names must be unique within a cluster"},
		{"no desiredCount for REPLICA", `{"serviceName":"$","taskDefinition":"web"}`, ipe, "desiredCount", docCreateService + " desiredCount: This is required if schedulingStrategy is REPLICA or isn't specified."},
		{"a negative desiredCount", `{"serviceName":"$","taskDefinition":"web","desiredCount":-1}`, ipe, "desiredCount", docCreateService},
		{"no taskDefinition", `{"serviceName":"$","desiredCount":1}`, ecs.ClientException, "taskDefinition", docCreateService + " taskDefinition: A task definition must be specified if the service uses either the ECS or CODE_DEPLOY deployment controllers."},
		{"an inactive task definition", `{"serviceName":"$","taskDefinition":"gone:1","desiredCount":1}`, ecs.ClientException, "TaskDefinition is inactive", docCreateService},
		{"a cluster that does not exist", `{"cluster":"nope","serviceName":"$","taskDefinition":"web","desiredCount":1}`, ecs.ClusterNotFoundException, "Cluster not found.", docCreateService},
		{"clientToken of 37 characters", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"clientToken":"` + strings.Repeat("t", 37) + `"}`, ipe, "clientToken", docCreateService + " clientToken: Up to 36 ASCII characters in the range of 33-126 (inclusive) are allowed."},
		{"clientToken with a space", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"clientToken":"a b"}`, ipe, "clientToken", docCreateService + " clientToken"},
		{"launchType outside the enum", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"launchType":"EC3"}`, ipe,
			"Value 'EC3' at 'launchType' failed to satisfy constraint: Member must satisfy enum value set: [EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES]", docCreateService + " launchType: Valid Values"},
		{"launchType MANAGED_INSTANCES", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"launchType":"MANAGED_INSTANCES"}`, ipe, "MANAGED_INSTANCES",
			docCreateService + " launchType: If you want to use Amazon ECS Managed Instances, you must use the capacityProviderStrategy request parameter and omit the launchType request parameter."},
		{"launchType and capacityProviderStrategy", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"launchType":"FARGATE","capacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1}],` + vpcOK + `}`, ipe,
			"Specifying both a launch type and capacity provider strategy is not supported.", docCreateService + " launchType: If a launchType is specified, the capacityProviderStrategy parameter must be omitted."},
		{"21 capacity providers", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"capacityProviderStrategy":` + jsonList(21, `{"capacityProvider":"cp%d","weight":1}`) + `,` + vpcOK + `}`, ipe,
			"maximum of 20 capacity providers", docCreateService + " capacityProviderStrategy: A capacity provider strategy can contain a maximum of 20 capacity providers."},
		{"a strategy item without capacityProvider", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"capacityProviderStrategy":[{"weight":1}],` + vpcOK + `}`, ipe,
			"Value null at 'capacityProviderStrategy.1.member.capacityProvider' failed to satisfy constraint: Member must not be null", docStrategyItem + " capacityProvider: Required: Yes"},
		{"a weight over 1000", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"capacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1001}],` + vpcOK + `}`, ipe,
			"1000", docStrategyItem + " weight: Valid Range: Minimum value of 0. Maximum value of 1000."},
		{"a platform version on EC2", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"launchType":"EC2","platformVersion":"1.4.0"}`, ipe,
			"The platform version must be null when specifying an EC2 launch type.", docCreateService + " platformVersion: A platform version is specified only for tasks using the Fargate launch type. (ECS's answer: github.com/aws/amazon-ecs-cli/issues/1040)"},
		{"a platform version that does not exist", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"launchType":"FARGATE","platformVersion":"9.9.9",` + vpcOK + `}`, ecs.PlatformUnknownException,
			"The specified platform does not exist.", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html (ECS's answer: github.com/jenkinsci/amazon-ecs-plugin/issues/218)"},
		{"role without load balancers", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"role":"ecsServiceRole"}`, ipe, "role",
			docCreateService + " role: If you specify the role parameter, you must also specify a load balancer object with the loadBalancers parameter."},
		{"role for an awsvpc service", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"role":"ecsServiceRole",` + vpcOK + `,"loadBalancers":[{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef","containerName":"app","containerPort":80}]}`, ipe,
			"You cannot specify an IAM role for services that require a service linked role.",
			docCreateService + " role: This parameter is only permitted if you are using a load balancer with your service and your task definition doesn't use the awsvpc network mode. (ECS's answer: github.com/hashicorp/terraform-provider-aws/issues/4657)"},
		{"role with two target groups", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"role":"ecsServiceRole","loadBalancers":[` +
			`{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg1/0123456789abcdef","containerName":"app","containerPort":8080},` +
			`{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg2/0123456789abcdef","containerName":"app","containerPort":8080}]}`, ipe,
			"You cannot specify an IAM role for services that require a service linked role.",
			docCreateService + " role: The service-linked role is required if ... the service is configured to use ... multiple target groups (ECS's answer: github.com/aws/containers-roadmap/issues/461)"},
		{"role with the EXTERNAL controller", `{"serviceName":"$","desiredCount":1,"role":"ecsServiceRole","deploymentController":{"type":"EXTERNAL"},"loadBalancers":[` +
			`{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg1/0123456789abcdef","containerName":"app","containerPort":8080}]}`, ipe,
			"You cannot specify an IAM role for services that require a service linked role.", docCreateService + " role: The service-linked role is required if ... an external deployment controller"},
		{"11 placement constraints", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"placementConstraints":` + jsonList(11, `{"type":"memberOf","expression":"attribute:n%d exists"}`) + `}`, ipe, "",
			docCreateService + " placementConstraints: You can specify a maximum of 10 constraints for each task."},
		{"6 placement strategies", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"placementStrategy":` + jsonList(6, `{"type":"random"}`) + `}`, ipe, "",
			docCreateService + " placementStrategy: You can specify a maximum of 5 strategy rules for each service."},
		{"a placement strategy type outside the enum", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"placementStrategy":[{"type":"pack"}]}`, ipe,
			"Member must satisfy enum value set: [random, spread, binpack]", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementStrategy.html type: Valid Values"},
		{"a network configuration for a bridge service", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,` + vpcOK + `}`, ipe,
			"Network Configuration is not valid for the given networkMode of this task definition.", docCreateService + " networkConfiguration: it isn't supported for other network modes."},
		{"no network configuration for an awsvpc service", `{"serviceName":"$","taskDefinition":"api","desiredCount":1}`, ipe,
			"Network Configuration must be provided when networkMode 'awsvpc' is specified.", docCreateService + " networkConfiguration: This parameter is required for task definitions that use the awsvpc network mode"},
		{"empty subnets", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"networkConfiguration":{"awsvpcConfiguration":{"subnets":[]}}}`, ipe,
			"subnets can not be empty.", docAwsVpc + " subnets"},
		{"no subnets", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"networkConfiguration":{"awsvpcConfiguration":{}}}`, ipe,
			"Value null at 'networkConfiguration.awsvpcConfiguration.subnets' failed to satisfy constraint: Member must not be null", docAwsVpc + " subnets: Required: Yes"},
		{"17 subnets", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"networkConfiguration":{"awsvpcConfiguration":{"subnets":` + jsonList(17, `"subnet-%d"`) + `}}}`, ipe,
			"subnets can have at most 16 items.", docAwsVpc + " subnets: There's a limit of 16 subnets that can be specified."},
		{"6 security groups", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"],"securityGroups":` + jsonList(6, `"sg-%d"`) + `}}}`, ipe,
			"securityGroups can have at most 5 items.", docAwsVpc + " securityGroups: There's a limit of 5 security groups"},
		{"assignPublicIp outside the enum", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"],"assignPublicIp":"YES"}}}`, ipe,
			"Value 'YES' at 'networkConfiguration.awsvpcConfiguration.assignPublicIp'", docAwsVpc + " assignPublicIp: Valid Values: ENABLED | DISABLED"},
		{"a public IP on EC2", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"launchType":"EC2","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"],"assignPublicIp":"ENABLED"}}}`, ipe,
			"Assign public IP is not supported for this launch type.", docAwsVpc + " assignPublicIp"},
		{"a Fargate service with a placement strategy", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,"launchType":"FARGATE","placementStrategy":[{"type":"random"}],` + vpcOK + `}`, ipe,
			"Placement strategies are not supported with the FARGATE launch type.", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html"},
		{"a Fargate task definition on EC2 only", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"launchType":"FARGATE"}`, ipe,
			"Task definition does not support launch_type FARGATE.", docCreateService + " launchType"},
		{"a negative grace period", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"healthCheckGracePeriodSeconds":-1}`, ipe, "healthCheckGracePeriodSeconds", docCreateService},
		{"schedulingStrategy outside the enum", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"schedulingStrategy":"BOTH"}`, ipe, "Value 'BOTH' at 'schedulingStrategy'", docCreateService + " schedulingStrategy: Valid Values: REPLICA | DAEMON"},
		{"DAEMON with a desiredCount", `{"serviceName":"$","taskDefinition":"web","desiredCount":2,"schedulingStrategy":"DAEMON"}`, ipe, "", docCreateService + " schedulingStrategy: When you're using this strategy, you don't need to specify a desired number of tasks"},
		{"DAEMON on Fargate", `{"serviceName":"$","taskDefinition":"api","schedulingStrategy":"DAEMON","launchType":"FARGATE",` + vpcOK + `}`, ipe, "", docCreateService + " schedulingStrategy: Tasks using the Fargate launch type ... don't support the DAEMON scheduling strategy."},
		{"DAEMON with a placement strategy", `{"serviceName":"$","taskDefinition":"web","schedulingStrategy":"DAEMON","placementStrategy":[{"type":"random"}]}`, ipe, "", docCreateService + " schedulingStrategy: you don't need to specify ... a task placement strategy"},
		{"maximumPercent under 100", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"deploymentConfiguration":{"maximumPercent":99}}`, ipe, "maximumPercent", docDeployConfig},
		{"minimumHealthyPercent over 100", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"deploymentConfiguration":{"minimumHealthyPercent":101}}`, ipe, "minimumHealthyPercent", docDeployConfig},
		{"a deployment strategy outside the enum", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"deploymentConfiguration":{"strategy":"RED_BLACK"}}`, ipe, "Value 'RED_BLACK' at 'deploymentConfiguration.strategy'", docDeployConfig + " strategy: Valid Values"},
		{"a deployment controller outside the enum", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"deploymentController":{"type":"ARGO"}}`, ipe, "Value 'ARGO' at 'deploymentController.type'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentController.html type: Valid Values: ECS | CODE_DEPLOY | EXTERNAL"},
		{"a deployment controller without a type", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"deploymentController":{}}`, ipe, "Value null at 'deploymentController.type'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentController.html type: Required: Yes"},
		{"propagateTags outside the enum", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"propagateTags":"ALL"}`, ipe, "Value 'ALL' at 'propagateTags'", docCreateService + " propagateTags: Valid Values: TASK_DEFINITION | SERVICE | NONE"},
		{"availabilityZoneRebalancing outside the enum", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"availabilityZoneRebalancing":"ON"}`, ipe, "Value 'ON' at 'availabilityZoneRebalancing'", docCreateService + " availabilityZoneRebalancing: Valid Values: ENABLED | DISABLED"},
		{"51 tags", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"tags":` + jsonList(51, `{"key":"k%d","value":"v"}`) + `}`, ipe, "tags", docCreateService + " tags: Maximum number of tags per resource - 50"},
		{"a tag in the aws: namespace", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"tags":[{"key":"aws:team","value":"v"}]}`, ipe, "aws:", docTags},
		{"a tag key of 129 characters", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"tags":[{"key":"` + strings.Repeat("k", 129) + `","value":"v"}]}`, ipe, "128", docTags + " key: Maximum length of 128."},
		{"two service registries", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,` + vpcOK + `,"serviceRegistries":[{"registryArn":"` + arnSD + `"},{"registryArn":"` + arnSD + `"}]}`, ipe,
			"serviceRegistries", docCreateService + " serviceRegistries: Each service may be associated with one service registry. Multiple service registries for each service isn't supported."},
		{"a service registry ARN of another service", `{"serviceName":"$","taskDefinition":"api","desiredCount":1,` + vpcOK + `,"serviceRegistries":[{"registryArn":"arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-1"}]}`, ipe,
			"The format of the supplied service registry ARN is invalid: arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-1.", docServiceReg + " registryArn: The currently supported service registry is AWS Cloud Map. (ECS's answer: github.com/hashicorp/terraform-provider-aws/issues/4373)"},
		{"a service registry with port and container", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"serviceRegistries":[{"registryArn":"` + arnSD + `","port":80,"containerName":"app","containerPort":8080}]}`, ipe,
			"Specify a value for either 'port' or the 'containerName' and 'containerPort' combination, but not both. Remove one and retry.", docServiceReg + " (ECS's answer: github.com/cloudposse/terraform-aws-ecs-web-app/pull/208)"},
		{"a bridge service registry without a container", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"serviceRegistries":[{"registryArn":"` + arnSD + `"}]}`, ipe,
			"When specifying 'host' or 'bridge' for networkMode, values for 'containerName' and 'containerPort' must be specified from the task definition.", docServiceReg + " containerName: If the task definition that your service task specifies uses the bridge or host network mode, you must specify a containerName and containerPort combination from the task definition. (ECS's answer: github.com/techservicesillinois/terraform-aws-ecs-service/issues/16)"},
		{"a service registry naming a container the task definition lacks", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"serviceRegistries":[{"registryArn":"` + arnSD + `","containerName":"db","containerPort":8080}]}`, ipe,
			"db", docServiceReg + " containerName: The container name value to be used for your service discovery service. It's already specified in the task definition."},
		{"a service registry naming a port the container lacks", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"serviceRegistries":[{"registryArn":"` + arnSD + `","containerName":"app","containerPort":9090}]}`, ipe,
			"9090", docServiceReg + " containerPort: The port value to be used for your service discovery service. It's already specified in the task definition."},
		{"execute command without a task role", `{"serviceName":"$","taskDefinition":"web","desiredCount":1,"enableExecuteCommand":true}`, ipe,
			"a valid taskRoleArn is not being used. Specify a valid task role in your task definition and try again.", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html (ECS's answer to UpdateService: github.com/aws/aws-cli/issues/6242)"},
		{"a volume the task definition does not configure at launch", `{"serviceName":"$","taskDefinition":"ebs","desiredCount":1,` + vpcOK + `,"volumeConfigurations":[{"name":"logs","managedEBSVolume":{"roleArn":"` + roleARN + `","sizeInGiB":10}}]}`, ipe,
			"logs", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceVolumeConfiguration.html name: This value must match the volume name from the Volume object in the task definition, that was configured at launch time."},
		{"a volume configuration without a name", `{"serviceName":"$","taskDefinition":"ebs","desiredCount":1,` + vpcOK + `,"volumeConfigurations":[{"managedEBSVolume":{"roleArn":"` + roleARN + `","sizeInGiB":10}}]}`, ipe,
			"Value null at 'volumeConfigurations.1.member.name'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceVolumeConfiguration.html name: Required: Yes"},
		{"an EBS volume without a role", `{"serviceName":"$","taskDefinition":"ebs","desiredCount":1,` + vpcOK + `,"volumeConfigurations":[{"name":"data","managedEBSVolume":{"sizeInGiB":10}}]}`, ipe,
			"Value null at 'volumeConfigurations.1.member.managedEBSVolume.roleArn'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceManagedEBSVolumeConfiguration.html roleArn: Required: Yes"},
	}
	checkRefusals(t, c, "CreateService", rows)
}

func TestUpdateServiceParameters(t *testing.T) {
	_, c := paramsWorld(t)
	c.call("CreateService", map[string]any{"serviceName": "fsvc", "taskDefinition": "api", "desiredCount": 1, "launchType": "FARGATE",
		"networkConfiguration": map[string]any{"awsvpcConfiguration": map[string]any{"subnets": []string{"subnet-1"}}}}, nil)
	c.call("CreateService", map[string]any{"serviceName": "dsvc", "taskDefinition": "web", "schedulingStrategy": "DAEMON"}, nil)
	ipe := ecs.InvalidParameterException
	rows := []refusal{
		{"a new desired count", `{"service":"svc","desiredCount":2}`, "", "", docUpdateService},
		{"a forced new deployment", `{"service":"svc","forceNewDeployment":true}`, "", "", docUpdateService},
		{"a Fargate platform version", `{"service":"fsvc","platformVersion":"1.4.0"}`, "", "", docUpdateService + " platformVersion"},
		{"execute command with a task role", `{"service":"fsvc","taskDefinition":"roled","enableExecuteCommand":true}`, "", "", docUpdateService},

		{"no service", `{"desiredCount":1}`, ipe, "service", docUpdateService + " service: Required: Yes"},
		{"a service that does not exist", `{"service":"nope","desiredCount":1}`, ecs.ServiceNotFoundException, "Service not found.", docUpdateService},
		{"a cluster that does not exist", `{"cluster":"nope","service":"svc","desiredCount":1}`, ecs.ClusterNotFoundException, "Cluster not found.", docUpdateService},
		{"a negative desired count", `{"service":"svc","desiredCount":-1}`, ipe, "desiredCount", docUpdateService},
		{"a desired count for a DAEMON service", `{"service":"dsvc","desiredCount":3}`, ipe, "", docCreateService + " schedulingStrategy: When you're using this strategy, you don't need to specify a desired number of tasks"},
		{"an inactive task definition", `{"service":"svc","taskDefinition":"gone:1"}`, ecs.ClientException, "TaskDefinition is inactive", docUpdateService},
		{"a platform version on EC2", `{"service":"svc","platformVersion":"1.4.0"}`, ipe, "The platform version must be null when specifying an EC2 launch type.", docUpdateService + " platformVersion: A platform version is only specified for tasks using the Fargate launch type."},
		{"a platform version that does not exist", `{"service":"fsvc","platformVersion":"9.9.9"}`, ecs.PlatformUnknownException, "The specified platform does not exist.", docUpdateService + " platformVersion"},
		{"a placement strategy on Fargate", `{"service":"fsvc","placementStrategy":[{"type":"random"}]}`, ipe, "Placement strategies are not supported with the FARGATE launch type.", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html"},
		{"6 placement strategies", `{"service":"svc","placementStrategy":` + jsonList(6, `{"type":"random"}`) + `}`, ipe, "", docUpdateService + " placementStrategy: You can specify a maximum of five strategy rules for each service."},
		{"11 placement constraints", `{"service":"svc","placementConstraints":` + jsonList(11, `{"type":"memberOf","expression":"attribute:n%d exists"}`) + `}`, ipe, "", docUpdateService + " placementConstraints: You can specify a maximum of 10 constraints for each task."},
		{"a network configuration for a bridge service", `{"service":"svc",` + vpcOK + `}`, ipe, "Network Configuration is not valid for the given networkMode of this task definition.", docUpdateService},
		{"empty subnets", `{"service":"fsvc","networkConfiguration":{"awsvpcConfiguration":{"subnets":[]}}}`, ipe, "subnets can not be empty.", docAwsVpc},
		{"propagateTags outside the enum", `{"service":"svc","propagateTags":"ALL"}`, ipe, "Value 'ALL' at 'propagateTags'", docUpdateService + " propagateTags: Valid Values"},
		{"availabilityZoneRebalancing outside the enum", `{"service":"svc","availabilityZoneRebalancing":"ON"}`, ipe, "Value 'ON' at 'availabilityZoneRebalancing'", docUpdateService + " availabilityZoneRebalancing: Valid Values"},
		{"maximumPercent under 100", `{"service":"svc","deploymentConfiguration":{"maximumPercent":99}}`, ipe, "maximumPercent", docDeployConfig},
		{"a provider the cluster does not have", `{"service":"svc","capacityProviderStrategy":[{"capacityProvider":"cp1","weight":1}]}`, ipe, "cannot contain a capacity provider that is not associated with the cluster", docStrategyItem},
		{"execute command without a task role", `{"service":"svc","enableExecuteCommand":true}`, ipe,
			"The service couldn't be updated because a valid taskRoleArn is not being used. Specify a valid task role in your task definition and try again.", "ECS's answer: github.com/aws/aws-cli/issues/6242"},
		{"a service registry with port and container", `{"service":"svc","serviceRegistries":[{"registryArn":"` + arnSD + `","port":80,"containerName":"app","containerPort":8080}]}`, ipe,
			"Specify a value for either 'port' or the 'containerName' and 'containerPort' combination, but not both.", docServiceReg},
		{"a volume the task definition does not configure at launch", `{"service":"svc","volumeConfigurations":[{"name":"data","managedEBSVolume":{"roleArn":"` + roleARN + `"}}]}`, ipe,
			"data", docUpdateService + " volumeConfigurations: The name of the volume must match the name from the task definition."},
	}
	checkRefusals(t, c, "UpdateService", rows)
}

// TestModelTakesLogentries: the logentries log driver, which ECS takes
// beyond the model's enum, passes the model's check wherever a log
// configuration appears; another driver outside the enum does not.
func TestModelTakesLogentries(t *testing.T) {
	ok := &ecs.CreateServiceRequest{ServiceConnectConfiguration: &ecs.ServiceConnectConfiguration{Enabled: true,
		LogConfiguration: &ecs.LogConfiguration{LogDriver: "logentries"}}}
	if err := checkModel(ok); err != nil {
		t.Fatalf("logentries refused: %v", err)
	}
	ok.ServiceConnectConfiguration.LogConfiguration.LogDriver = "graylog"
	if err := checkModel(ok); err == nil || !strings.Contains(err.Error(), "serviceConnectConfiguration.logConfiguration.logDriver") {
		t.Fatalf("graylog: %v", err)
	}
}
