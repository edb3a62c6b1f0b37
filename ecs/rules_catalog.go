package ecs

// Rule is one row of the rule catalogue: a rule of the project's fact
// sheet (rules 0 to 83, listed in RULES.md beside this file) and the finding codes that
// enforce it.
type Rule struct {
	// Number is the rule's number in the fact sheet; 0 is the API model's
	// own rules (JSON, member names, types, required members).
	Number int
	// Summary says what the rule requires, in brief.
	Summary string
	// Codes are the finding codes that enforce the rule. None means no task
	// definition can break it, and Note says why.
	Codes []string
	// Note records why a rule has no code, or a choice made where ECS's
	// strictness is unclear.
	Note string
	// Linters names the cfn-lint or checkov rules that check the same
	// thing, such as "cfn-lint E3047".
	Linters []string
	// Source is the documentation the rule comes from.
	Source string
}

// Documentation the rules come from.
const (
	srcModel      = "https://github.com/boto/botocore/blob/develop/botocore/data/ecs/2014-11-13/service-2.json"
	srcRegister   = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"
	srcTD         = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html"
	srcContainer  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html"
	srcDGParams   = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html"
	srcCPUError   = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html"
	srcFargate    = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html"
	srcFargateDG  = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate.html"
	srcPortMap    = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html"
	srcNetworking = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html"
	srcQuotas     = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html"
	srcAgent      = "https://github.com/aws/amazon-ecs-agent"
	srcManaged    = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-tasks-services.html"
)

// Rules returns the rule catalogue: rule 0 (the API model), then one row
// for each of rules 1 to 83 of the fact sheet, in order. The slice is new
// on each call.
func Rules() []Rule {
	rules := make([]Rule, 0, 84)
	rules = append(rules, identityRules()...)
	rules = append(rules, sizeRules()...)
	rules = append(rules, containerRules()...)
	rules = append(rules, portRules()...)
	rules = append(rules, taskOptionRules()...)
	rules = append(rules, fargateRules()...)
	rules = append(rules, networkRules()...)
	return rules
}

func identityRules() []Rule {
	return []Rule{
		{0, "A document is JSON in the API's shapes: known member names, the right types, the required members.",
			[]string{codeSyntax, codeNotTaskDefinition, codeUnknownField, codeWrongType, codeBadValue, codeMissingMember},
			"ValidateDocument only. With AllowUnknownFields an unknown member is a warning.", nil, srcModel},
		{1, "family is required: up to 255 letters, digits, underscores and hyphens.",
			[]string{codeFamilyRequired, codeFamilyInvalid}, "Not required of a bare array of container definitions (Terraform), whose family is set elsewhere.", nil, srcRegister},
		{2, "containerDefinitions is required.", []string{codeContainersRequired}, "", nil, srcRegister},
		{3, "Revisions number 1, then the previous maximum + 1, never reused.", nil,
			"n/a: revisions are assigned at registration (Registry.Register), not written in a task definition.", nil, srcTD},
		{4, "status is ACTIVE, INACTIVE or DELETE_IN_PROGRESS.", []string{codeTaskStatus}, "Checked when a describe output carries a status.", nil, srcTD},
		{5, "A task definition ARN is arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION.", []string{codeTaskARN},
			"Checked when a describe output carries taskDefinitionArn, against its family and revision.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html"},
		{6, "Container instance, service and task ARN formats.", nil,
			"n/a: no such ARN is part of a task definition.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html"},
		{7, "At most 64 KiB per task definition, 10 containers, 1,000,000 revisions per family.",
			[]string{codeTaskDocumentSize, codeTooManyContainers}, "The size is measured on the compacted document (ValidateDocument); the revision quota is the registry's.", nil, srcQuotas},
		{8, "Tags: at most 50; keys of at most 128 characters, values of at most 256; the aws: prefix is reserved.",
			[]string{codeTagTooMany, codeTagKey, codeTagValue, codeTagReserved}, "ValidateTags; ValidateDocument checks a request's tags.", nil, srcRegister},
		{9, "requiresCompatibilities is EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES; the task definition is validated against each.",
			[]string{codeCompatibility, codeManagedUnsupported}, "EC2 when none is listed. Managed Instances: only the parameters its developer guide lists as invalid (" + srcManaged + ").", nil, srcRegister},
	}
}

func sizeRules() []Rule {
	return []Rule{
		{10, "If FARGATE is listed, task cpu and memory must be a Fargate size, even with EC2 listed too.", []string{codeFargateTaskSize}, "", []string{"cfn-lint E3047"}, srcCPUError},
		{11, "Task cpu is CPU units (\"1024\") or vCPUs (\"1 vCPU\").", []string{codeTaskCPUForm}, "", nil, srcRegister},
		{12, "Task memory is MiB (\"1024\") or GB (\"1 GB\").", []string{codeTaskMemoryForm}, "", nil, srcRegister},
		{13, "EC2 and External: task cpu, when set, is 128 to 196,608 units.", []string{codeTaskCPURange}, "", nil, srcRegister},
		{14, "Fargate requires task cpu and memory.", []string{codeFargateCPURequired, codeFargateMemRequired}, "", []string{"cfn-lint E3048"}, srcRegister},
		{15, "Windows containers ignore task-level cpu and memory.", []string{codeWindowsTaskSizeNote}, "A warning outside Fargate, where Windows requires them.", nil, srcRegister},
		{16, "EC2: task memory, or in every container a non-zero memory or memoryReservation.", []string{codeMemoryRequired},
			"Applied to EXTERNAL too, which runs the same agent; not to Managed Instances, whose documentation does not state it.", nil, srcContainer},
		{17, "memoryReservation must not exceed memory.", []string{codeMemoryReservation},
			"Equal values are valid, as ECS accepts them in practice (the console exports them); StrictMemoryReservation requires less than.", nil, srcContainer},
		{18, "The containers' cpu and memory sums must not exceed the task's values.", []string{codeTaskCPUSum, codeTaskMemorySum, codeMemoryExceedsTask},
			"A sum equal to the task value is valid, as ECS accepts it in practice; StrictTaskSums requires less than. Memory sums memoryReservation, else memory.", nil, srcContainer},
		{19, "Do not give a container less than 6 MiB of memory.", []string{codeMemoryMinimum},
			"A warning (documented guidance); MinimumMemoryError makes it an error. A negative value is always an error.", nil, srcContainer},
		{20, "Container cpu is an integer number of units; 0, 1 and null are allowed.", []string{codeContainerCPU}, "A negative value is an error.", nil, srcContainer},
		{21, "What a task takes on an instance (the agent's ToHostResources).", nil,
			"n/a: it is computed from a valid task definition (TaskResources) and used by placement.", nil, srcAgent},
	}
}

func containerRules() []Rule {
	return []Rule{
		{22, "Container name is required: up to 255 letters, digits, underscores and hyphens, unique in the task.",
			[]string{codeContainerNameRequired, codeContainerNameInvalid, codeContainerNameDup}, "A duplicate is reported at the later container.", nil, srcContainer},
		{23, "image is required, in the tag form or the sha256 digest form.", []string{codeImageRequired, codeImageInvalid, codeFargateExecRole},
			"On Fargate an ECR image needs the task's execution role.", nil, srcContainer},
		{24, "At least one container is essential (essential defaults to true).", []string{codeNoEssential}, "", []string{"cfn-lint E3042"}, srcContainer},
		{25, "dependsOn: containerName and condition set; the target exists, is not the container itself, forms no cycle; HEALTHY needs a health check on the target; COMPLETE and SUCCESS need a non-essential target.",
			[]string{codeDependsOnName, codeDependsOnCondition, codeDependsOnUnknown, codeDependsOnSelf, codeDependsOnCycle, codeDependsOnHealthy, codeDependsOnEssential},
			"Agent and platform version requirements are not checked: a task definition names no version.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html"},
		{26, "Fargate: startTimeout is 2 to 120 seconds.", []string{codeFargateStartTimeout}, "", nil, srcContainer},
		{27, "Fargate: stopTimeout is 2 to 120 seconds.", []string{codeFargateStopTimeout}, "On EC2 the agent's ECS_CONTAINER_STOP_TIMEOUT applies; nothing to check.", nil, srcContainer},
		{28, "links work in bridge mode only, not on Windows, as NAME or NAME:ALIAS, to containers of the task, without cycles.",
			[]string{codeLinksNetworkMode, codeLinksForm, codeLinksUnknown, codeLinksCycle, codeWindowsUnsupported}, "", nil, srcContainer},
		{29, "hostname is not supported in awsvpc mode.", []string{codeHostnameAwsvpc, codeManagedUnsupported}, "", nil, srcContainer},
		{30, "extraHosts is not supported on Windows or in awsvpc mode.", []string{codeExtraHostsAwsvpc, codeWindowsUnsupported}, "", nil, srcContainer},
		{31, "disableNetworking, dnsServers and dnsSearchDomains are not supported on Windows.", []string{codeWindowsUnsupported, codeDNSAwsvpc},
			"The 2023 guide's awsvpc restriction applies on Fargate (rule 56) and, with StrictAwsvpc, everywhere.", nil, srcDGParams},
		{32, "Each dnsSearchDomains entry matches ^[a-zA-Z0-9-.]{0,253}[a-zA-Z0-9]$.", []string{codeDNSSearchDomain}, "", nil, srcDGParams},
		{33, "mountPoints name a volume of the task; volumesFrom name a container of the task.", []string{codeMountPointVolume, codeVolumesFromContainer}, "", nil, srcDGParams},
		{34, "Volume names: up to 255 letters, digits, hyphens and underscores.", []string{codeVolumeName, codeVolumeDuplicate},
			"A volume needs a name to be mounted, and names must be unique for sourceVolume to resolve.", nil, srcDGParams},
		{35, "Volume types: host and Docker volumes (EC2), autoprovision only with scope shared, EFS transit encryption with IAM or an access point.",
			[]string{codeVolumeScope, codeVolumeAutoprovision, codeEFSTransitEncryption, codeEFSFileSystemRequired, codeFargateHostPath, codeFargateDockerVolume},
			"checkov CKV_AWS_97 goes further: it asks for transit encryption on every EFS volume.", []string{"checkov CKV_AWS_97"}, srcDGParams},
		{36, "healthCheck: command starting with CMD or CMD-SHELL; interval 5-300, timeout 2-60, retries 1-10, startPeriod 0-300.",
			[]string{codeHealthCommandRequired, codeHealthCommandForm, codeHealthInterval, codeHealthTimeout, codeHealthRetries, codeHealthStartPeriod},
			"Another first element of the command is a warning: the API documents the rule but registers such commands.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html"},
		{37, "Task health is computed over essential containers.", nil, "n/a: the health of running containers, not a task definition's.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html"},
		{38, "A service replaces an UNHEALTHY task.", nil, "n/a: the service scheduler's behaviour.", nil, srcDGParams},
		{39, "ulimits: name, softLimit and hardLimit; names from a fixed list; not on Windows.", []string{codeUlimitName, codeWindowsUnsupported, codeMissingMember},
			"A missing softLimit or hardLimit is a json.missing-member finding of ValidateDocument.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Ulimit.html"},
		{40, "environmentFiles: at most 10, type s3, .env files; secrets: name and valueFrom, a Secrets Manager or SSM reference.",
			[]string{codeEnvFilesCount, codeEnvFileType, codeEnvFileExtension, codeSecretRequired, codeSecretValueFrom, codeSecretExecutionRole},
			"Secrets also need the task's execution role, which the API enforces.", nil, srcContainer},
		{41, "linuxParameters: capability names, devices with a hostPath and read/write/mknod permissions, tmpfs with path and size, maxSwap >= 0, swappiness 0-100.",
			[]string{codeCapability, codeDeviceHostPath, codeDevicePermission, codeTmpfs, codeMaxSwap, codeSwappiness, codeWindowsUnsupported},
			"Capability names are the API's, without CAP_. linuxParameters is not supported on Windows (API ContainerDefinition).", nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinuxParameters.html"},
		{42, "resourceRequirements: GPU (a count), InferenceAccelerator, NeuronDevice (ALL, one container, Managed Instances only).",
			[]string{codeResourceType, codeGPUValue, codeInferenceAccel, codeNeuronDevice},
			"GPUs against an instance's are placement's. NeuronDevice is documented but not yet in the model's enum.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ResourceRequirement.html"},
		{43, "Log drivers: awslogs, fluentd, gelf, json-file, journald, logentries, splunk, syslog, awsfirelens; Fargate takes awslogs, splunk and awsfirelens.",
			[]string{codeLogDriver, codeAwslogsOptions, codeFargateLogDriver, codeFargateExecRole},
			"awslogs needs awslogs-group and awslogs-region, and on Fargate the execution role (API errors). Drivers an instance advertises are placement's.",
			[]string{"cfn-lint E3046", "cfn-lint E3048"}, srcDGParams},
	}
}

func portRules() []Rule {
	return []Rule{
		{44, "PortMapping fields: containerPort, hostPort, protocol tcp or udp, name (64 lowercase characters), appProtocol http, http2 or grpc, containerPortRange.",
			[]string{codeContainerPort, codeHostPort, codeProtocol, codePortName, codeAppProtocol}, "", nil, srcPortMap},
		{45, "The same container port cannot be exposed for more than one protocol.", []string{codePortProtocols},
			"A warning: ECS registers such mappings in practice (awsdocs/amazon-ecs-developer-guide#128) though the API text still calls it an error.", nil, srcPortMap},
		{46, "containerPortRange: bridge or awsvpc; at most 100 per container; 1-65535 with first < last; no overlap; no hostPort.",
			[]string{codeRangeForm, codeRangeNetworkMode, codeRangeHostPort, codeRangeTooMany, codeRangeOverlap, codePortDuplicate}, "", nil, srcPortMap},
		{47, "Windows on Fargate reserves container port 3150.", []string{codeFargateWindowsPort}, "", nil, srcDGParams},
	}
}

func taskOptionRules() []Rule {
	return []Rule{
		{48, "networkMode is bridge, host, awsvpc or none; Windows takes the default or awsvpc; Fargate requires awsvpc.",
			[]string{codeNetworkMode, codeWindowsNetworkMode, codeFargateNetworkMode, codeManagedNetworkMode}, "", []string{"cfn-lint E3048"}, srcRegister},
		{49, "runtimePlatform: cpuArchitecture X86_64 or ARM64; operatingSystemFamily LINUX or a Windows family.",
			[]string{codeCPUArchitecture, codeOSFamily, codeWindowsARM},
			"Not required on Fargate: ECS registers Fargate task definitions without it (LINUX/X86_64 assumed). Service-level consistency is the service's.", nil,
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html"},
		{50, "pidMode is host or task; not on Windows; Fargate Linux allows task only.", []string{codePidMode, codeWindowsUnsupported, codeFargatePidMode}, "", nil, srcRegister},
		{51, "ipcMode is host, task or none; not on Windows or Fargate.", []string{codeIpcMode, codeWindowsUnsupported, codeFargateUnsupported}, "", nil, srcRegister},
		{52, "Task placement constraints: memberOf only, at most 10, expressions of at most 2000 characters in the cluster query language; not on Fargate.",
			[]string{codeConstraintType, codeConstraintTooMany, codeConstraintExpression, codeConstraintLength, codeFargateUnsupported},
			"Expressions are parsed by ecs/cql. The limit of 10 counts the task definition's alone; RunTask adds its own.", []string{"cfn-lint E3048"},
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinitionPlacementConstraint.html"},
		{53, "proxyConfiguration: type APPMESH, containerName required.", []string{codeProxyType, codeProxyContainer}, "The container must be one of the task's.", nil, srcDGParams},
		{54, "ephemeralStorage.sizeInGiB is 21 to 200.", []string{codeEphemeralStorage}, "", nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html"},
		{55, "requiresAttributes are derived by ECS.", nil, "n/a: ECS derives them (RequiredAttributes); placement matches them.", nil, srcTD},
	}
}

func fargateRules() []Rule {
	return []Rule{
		{56, "Invalid on Fargate: disableNetworking, dnsSearchDomains, dnsServers, dockerSecurityOptions, extraHosts, gpu, ipcMode, links, placementConstraints, privileged, maxSwap, swappiness.",
			[]string{codeFargateUnsupported}, "Booleans count when true. links and extraHosts in awsvpc mode are reported by rules 28 and 30.", []string{"cfn-lint E3048"}, srcFargate},
		{57, "Restricted on Fargate: capabilities.add SYS_PTRACE only; no devices, sharedMemorySize, tmpfs, host sourcePath or Docker volumes; Windows needs 1 vCPU or more.",
			[]string{codeFargateCapabilityAdd, codeFargateUnsupported, codeFargateHostPath, codeFargateDockerVolume, codeFargateTaskSize}, "", nil, srcFargate},
		{58, "Fargate: hostPort absent or equal to containerPort.", []string{codeHostPortMismatch}, "", []string{"cfn-lint E3053"}, srcDGParams},
		{59, "Fargate task sizes (cpu and memory pairs; Windows 1, 2 or 4 vCPU).", []string{codeFargateTaskSize},
			"The table is FargateSizes, IsFargateSize and SmallestFargateSize.", []string{"cfn-lint E3047"}, srcCPUError},
		{60, "On Fargate container cpu and memory are optional; their sums stay within the task's.", []string{codeTaskCPUSum, codeTaskMemorySum}, "", nil, srcFargateDG},
		{61, "Fargate ephemeral storage: 20 GiB by default, up to 200 GiB.", []string{codeEphemeralStorage},
			"Defaults by platform version are not a task definition's to break.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html"},
		{62, "Fargate nofile ulimit: at most 1,048,576; no ulimits on Windows.", []string{codeFargateNofile, codeWindowsUnsupported}, "", nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Ulimit.html"},
		{63, "Fargate requires awsvpc, and RunTask and CreateService a networkConfiguration.", []string{codeFargateNetworkMode},
			"The networkConfiguration is RunTask's and CreateService's (cfn-lint E3052 checks services).", []string{"cfn-lint E3048"}, srcFargateDG},
		{64, "No placement strategies or constraints on Fargate.", []string{codeFargateUnsupported}, "Strategies are RunTask's and CreateService's.", []string{"cfn-lint E3048"},
			"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html"},
		{65, "No DAEMON services on Fargate.", nil, "n/a: a service's scheduling strategy.", []string{"cfn-lint E3044"}, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html"},
		{66, "Fargate platform versions.", nil, "n/a: chosen by RunTask and CreateService; a task definition names none.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html"},
		{67, "FARGATE_SPOT: platforms and interruption.", nil, "n/a: a capacity provider's behaviour.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html"},
		{68, "Fargate vCPU quotas.", nil, "n/a: account quotas.", nil, srcQuotas},
	}
}

func networkRules() []Rule {
	instance := "n/a: a property of the container instance and its agent's configuration, checked by the netmode and placement packages."
	return []Rule{
		{69, "Network modes by platform: Linux EC2 all four; Windows default or awsvpc; Fargate awsvpc.",
			[]string{codeFargateNetworkMode, codeWindowsNetworkMode, codeManagedNetworkMode},
			"Managed Instances use awsvpc or host; an explicit bridge or none is reported, an omitted mode is not.", nil, srcNetworking},
		{70, "none: no port mappings.", []string{codePortsModeNone}, "", nil, srcPortMap},
		{71, "host: hostPort omitted or equal to containerPort; a host port serves one mapping.", []string{codeHostPortMismatch, codeHostPortDuplicate},
			"Two copies of a task on one instance is placement's.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/networking-networkmode-host.html"},
		{72, "awsvpc: hostPort omitted or equal to containerPort.", []string{codeHostPortMismatch}, "", []string{"cfn-lint E3053"}, srcPortMap},
		{73, "bridge: a static hostPort must be a non-reserved port; 0 or absent is dynamic.", nil,
			"n/a: which ports are reserved is the instance's configuration (ECS_RESERVED_PORTS).", nil, srcPortMap},
		{74, "The dynamic host port range.", nil, instance, nil, srcAgent},
		{75, "The agent's allocation of contiguous host port ranges.", nil, instance, nil, srcAgent},
		{76, "Default reserved ports.", nil, instance, nil, srcAgent},
		{77, "At most 100 reserved ports per instance.", nil, instance, nil, srcPortMap},
		{78, "A container instance's registered resources.", nil, instance, nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Resource.html"},
		{79, "A container instance's remaining resources.", nil, instance, nil, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerInstance.html"},
		{80, "Registered memory is below installed memory.", nil, instance, nil, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html"},
		{81, "awsvpc on EC2: one ENI per task, tasks per instance limited by ENIs.", nil, instance, nil, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html"},
		{82, "ENI trunking.", nil, instance, nil, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html"},
		{83, "awsvpc task limits per instance type, with and without trunking.", nil,
			"n/a: the instance type catalogue's.", nil, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html"},
	}
}
