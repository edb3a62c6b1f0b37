package ecs

import (
	"strings"
	"testing"
)

func TestTaskRules(t *testing.T)       { runRuleCases(t, taskRuleCases()) }
func TestSizeRules(t *testing.T)       { runRuleCases(t, sizeRuleCases()) }
func TestTaskOptionRules(t *testing.T) { runRuleCases(t, taskOptionRuleCases()) }

// noPorts leaves the containers without port mappings, so that copies of
// them do not share ports.
func noPorts(td *TaskDefinition) {
	for i := range td.ContainerDefinitions {
		td.ContainerDefinitions[i].PortMappings = nil
	}
}

func withContainers(n int) func(td *TaskDefinition) {
	return func(td *TaskDefinition) {
		noPorts(td)
		for i := 1; i < n; i++ {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("c"+itoa(i)))
		}
	}
}

// taskRuleCases covers rules 1 to 9: identity, quotas, tags aside.
func taskRuleCases() []ruleCase {
	return []ruleCase{
		{name: "valid everywhere", rule: 1, lt: onAll},
		{name: "family missing", rule: 1, lt: onAll, edit: func(td *TaskDefinition) { td.Family = "" },
			want: []wantFinding{wantErr(codeFamilyRequired, "family")}},
		{name: "family with a space", rule: 1, lt: onEC2, edit: func(td *TaskDefinition) { td.Family = "my app" },
			want: []wantFinding{wantErr(codeFamilyInvalid, "family")}},
		{name: "family of 255 characters", rule: 1, lt: onEC2, edit: func(td *TaskDefinition) { td.Family = strings.Repeat("f", 255) }},
		{name: "family of 256 characters", rule: 1, lt: onEC2, edit: func(td *TaskDefinition) { td.Family = strings.Repeat("f", 256) },
			want: []wantFinding{wantErr(codeFamilyInvalid, "family")}},
		{name: "no containers", rule: 2, lt: onAll, edit: func(td *TaskDefinition) { td.ContainerDefinitions = nil },
			want: []wantFinding{wantErr(codeContainersRequired, "containerDefinitions")}},
		{name: "status ACTIVE", rule: 4, lt: onEC2, edit: func(td *TaskDefinition) { td.Status = TaskDefinitionStatusActive }},
		{name: "unknown status", rule: 4, lt: onEC2, edit: func(td *TaskDefinition) { td.Status = "RETIRED" },
			want: []wantFinding{wantErr(codeTaskStatus, "status")}},
		{name: "ARN of the family and revision", rule: 5, lt: onEC2, edit: func(td *TaskDefinition) {
			td.TaskDefinitionARN, td.Revision = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", 3
		}},
		{name: "ARN in another partition", rule: 5, lt: onEC2, edit: func(td *TaskDefinition) {
			td.TaskDefinitionARN = "arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:1"
		}},
		{name: "ARN not of the form", rule: 5, lt: onEC2, edit: func(td *TaskDefinition) {
			td.TaskDefinitionARN = "arn:aws:ecs:us-east-1:1234:task-definition/web:1"
		}, want: []wantFinding{wantErr(codeTaskARN, "taskDefinitionArn")}},
		{name: "ARN of another family", rule: 5, lt: onEC2, edit: func(td *TaskDefinition) {
			td.TaskDefinitionARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:1"
		}, want: []wantFinding{wantErr(codeTaskARN, "taskDefinitionArn")}},
		{name: "ARN of another revision", rule: 5, lt: onEC2, edit: func(td *TaskDefinition) {
			td.TaskDefinitionARN, td.Revision = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", 3
		}, want: []wantFinding{wantErr(codeTaskARN, "taskDefinitionArn")}},
		{name: "10 containers", rule: 7, lt: onAll, edit: withContainers(10)},
		{name: "11 containers", rule: 7, lt: onEC2, edit: withContainers(11),
			want: []wantFinding{wantErr(codeTooManyContainers, "containerDefinitions")}},
		{name: "requiresCompatibilities unknown", rule: 9, edit: func(td *TaskDefinition) {
			td.RequiresCompatibilities = []Compatibility{CompatibilityEC2, "LAMBDA"}
		}, want: []wantFinding{wantErr(codeCompatibility, "requiresCompatibilities[1]")}},
		{name: "launch type option unknown", rule: 9, lt: []Compatibility{"LAMBDA"},
			want: []wantFinding{wantErr(codeCompatibility, "")}},
	}
}

// sizeRuleCases covers rules 10 to 20: task and container cpu and memory.
func sizeRuleCases() []ruleCase {
	return []ruleCase{
		{name: "Fargate size with EC2 listed too", rule: 10, lt: []Compatibility{CompatibilityEC2, CompatibilityFargate},
			edit: func(td *TaskDefinition) { td.Memory = "4096" }, want: []wantFinding{wantErr(codeFargateTaskSize, "cpu")}},
		{name: "same size on EC2 alone", rule: 10, lt: onEC2, edit: func(td *TaskDefinition) { td.Memory = "4096" }},
		{name: "cpu in vCPU", rule: 11, lt: onAll, edit: func(td *TaskDefinition) { td.CPU = ".25 vCPU" }},
		{name: "cpu in lowercase vcpu", rule: 11, lt: onAll, edit: func(td *TaskDefinition) { td.CPU = "0.25 vcpu" }},
		{name: "cpu not a number", rule: 11, lt: onAll, edit: func(td *TaskDefinition) { td.CPU = "quarter" },
			want: []wantFinding{wantErr(codeTaskCPUForm, "cpu")}},
		{name: "cpu not whole units", rule: 11, lt: onEC2, edit: func(td *TaskDefinition) { td.CPU = "0.1 vCPU" },
			want: []wantFinding{wantErr(codeTaskCPUForm, "cpu")}},
		{name: "memory in GB", rule: 12, lt: onAll, edit: func(td *TaskDefinition) { td.Memory = "0.5GB" }},
		{name: "memory in TB", rule: 12, lt: onEC2, edit: func(td *TaskDefinition) { td.Memory = "1 TB" },
			want: []wantFinding{wantErr(codeTaskMemoryForm, "memory")}},
		{name: "EC2 cpu below 128", rule: 13, lt: onEC2, edit: func(td *TaskDefinition) { td.CPU = "64" },
			want: []wantFinding{wantErr(codeTaskCPURange, "cpu")}},
		{name: "External cpu above 192 vCPU", rule: 13, lt: onExternal, edit: func(td *TaskDefinition) { td.CPU = "193 vCPU"; td.Memory = "" },
			want: []wantFinding{wantErr(codeTaskCPURange, "cpu"), wantErr(codeMemoryRequired, "containerDefinitions[0].memory")}},
		{name: "EC2 cpu of 192 vCPU", rule: 13, lt: onEC2, edit: func(td *TaskDefinition) { td.CPU = "196608" }},
		{name: "EC2 cpu of 128", rule: 13, lt: onEC2, edit: func(td *TaskDefinition) { td.CPU = "128" }},
		{name: "EC2 cpu of 127", rule: 13, lt: onEC2, edit: func(td *TaskDefinition) { td.CPU = "127" },
			want: []wantFinding{wantErr(codeTaskCPURange, "cpu")}},
		{name: "EC2 cpu of 196609", rule: 13, lt: onEC2, edit: func(td *TaskDefinition) { td.CPU = "196609" },
			want: []wantFinding{wantErr(codeTaskCPURange, "cpu")}},
		{name: "Fargate without task size", rule: 14, lt: onFargate, edit: func(td *TaskDefinition) { td.CPU, td.Memory = "", "" },
			want: []wantFinding{wantErr(codeFargateCPURequired, "cpu"), wantErr(codeFargateMemRequired, "memory")}},
		{name: "EC2 without task size", rule: 14, lt: onEC2, edit: func(td *TaskDefinition) {
			td.CPU, td.Memory = "", ""
			container0(td).Memory = vInt(256)
		}},
		{name: "Windows on EC2 with a task size", rule: 15, lt: onEC2, edit: windowsTD,
			want: []wantFinding{wantWarn(codeWindowsTaskSizeNote, "cpu")}},
		{name: "Windows on Fargate with a task size", rule: 15, lt: onFargate, edit: windowsTD},
		{name: "EC2 container without memory", rule: 16, lt: onEC2, edit: func(td *TaskDefinition) { td.Memory = "" },
			want: []wantFinding{wantErr(codeMemoryRequired, "containerDefinitions[0].memory")}},
		{name: "EC2 container memory 0", rule: 16, lt: onEC2, edit: func(td *TaskDefinition) { td.Memory = ""; container0(td).Memory = vInt(0) },
			want: []wantFinding{wantErr(codeMemoryRequired, "containerDefinitions[0].memory")}},
		{name: "EC2 container with memoryReservation", rule: 16, lt: onEC2, edit: func(td *TaskDefinition) {
			td.Memory = ""
			container0(td).MemoryReservation = vInt(128)
		}},
		{name: "Managed Instances container without memory", rule: 16, lt: onManaged, edit: func(td *TaskDefinition) { td.Memory = "" }},
		{name: "memoryReservation above memory", rule: 17, lt: onAll, edit: func(td *TaskDefinition) {
			c := container0(td)
			c.Memory, c.MemoryReservation = vInt(256), vInt(384)
		}, want: []wantFinding{wantErr(codeMemoryReservation, "containerDefinitions[0].memoryReservation")}},
		{name: "memoryReservation equal to memory", rule: 17, lt: onAll, edit: func(td *TaskDefinition) {
			c := container0(td)
			c.Memory, c.MemoryReservation = vInt(256), vInt(256)
		}},
		{name: "memoryReservation equal to memory, strict", rule: 17, lt: onEC2, opts: ValidationOptions{StrictMemoryReservation: true},
			edit: func(td *TaskDefinition) {
				c := container0(td)
				c.Memory, c.MemoryReservation = vInt(256), vInt(256)
			}, want: []wantFinding{wantErr(codeMemoryReservation, "containerDefinitions[0].memoryReservation")}},
		{name: "container memory above the task's", rule: 18, lt: onAll, edit: func(td *TaskDefinition) { container0(td).Memory = vInt(1024) },
			want: []wantFinding{wantErr(codeMemoryExceedsTask, "containerDefinitions[0].memory")}},
		{name: "container reservations above the task's", rule: 18, lt: onAll, edit: func(td *TaskDefinition) {
			container0(td).MemoryReservation = vInt(300)
			s := sidecar("log")
			s.MemoryReservation = vInt(300)
			td.ContainerDefinitions = append(td.ContainerDefinitions, s)
		}, want: []wantFinding{wantErr(codeTaskMemorySum, "memory")}},
		{name: "container memory equal to the task's", rule: 18, lt: onAll, edit: func(td *TaskDefinition) { container0(td).Memory = vInt(512) }},
		{name: "container memory equal to the task's, strict", rule: 18, lt: onEC2, opts: ValidationOptions{StrictTaskSums: true},
			edit: func(td *TaskDefinition) { container0(td).MemoryReservation = vInt(512) }, want: []wantFinding{wantErr(codeTaskMemorySum, "memory")}},
		{name: "container cpu above the task's", rule: 18, lt: onAll, edit: func(td *TaskDefinition) {
			container0(td).CPU = 200
			s := sidecar("log")
			s.CPU = 100
			td.ContainerDefinitions = append(td.ContainerDefinitions, s)
		}, want: []wantFinding{wantErr(codeTaskCPUSum, "cpu")}},
		{name: "container cpu equal to the task's", rule: 18, lt: onAll, edit: func(td *TaskDefinition) { container0(td).CPU = 256 }},
		{name: "container cpu equal to the task's, strict", rule: 18, lt: onAll, opts: ValidationOptions{StrictTaskSums: true},
			edit: func(td *TaskDefinition) { container0(td).CPU = 256 }, want: []wantFinding{wantErr(codeTaskCPUSum, "cpu")}},
		{name: "container memory of 4 MiB", rule: 19, lt: onAll, edit: func(td *TaskDefinition) { container0(td).Memory = vInt(4) },
			want: []wantFinding{wantWarn(codeMemoryMinimum, "containerDefinitions[0].memory")}},
		{name: "container reservation of 5 MiB", rule: 19, lt: onAll, edit: func(td *TaskDefinition) { container0(td).MemoryReservation = vInt(5) },
			want: []wantFinding{wantWarn(codeMemoryMinimum, "containerDefinitions[0].memoryReservation")}},
		{name: "container memory of 4 MiB as an error", rule: 19, lt: onEC2, opts: ValidationOptions{MinimumMemoryError: true},
			edit: func(td *TaskDefinition) { container0(td).Memory = vInt(4) }, want: []wantFinding{wantErr(codeMemoryMinimum, "containerDefinitions[0].memory")}},
		{name: "container memory negative", rule: 19, lt: onEC2, edit: func(td *TaskDefinition) { container0(td).Memory = vInt(-1) },
			want: []wantFinding{wantErr(codeMemoryMinimum, "containerDefinitions[0].memory")}},
		{name: "container memory of 6 MiB", rule: 19, lt: onAll, edit: func(td *TaskDefinition) { container0(td).Memory = vInt(6) }},
		{name: "container cpu 0 and 1", rule: 20, lt: onAll, edit: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("log"))
			td.ContainerDefinitions[1].CPU = 1
		}},
		{name: "container cpu negative", rule: 20, lt: onAll, edit: func(td *TaskDefinition) { container0(td).CPU = -2 },
			want: []wantFinding{wantErr(codeContainerCPU, "containerDefinitions[0].cpu")}},
	}
}

// taskOptionRuleCases covers rules 48 to 54.
func taskOptionRuleCases() []ruleCase {
	constraint := func(expr string) func(td *TaskDefinition) {
		return func(td *TaskDefinition) {
			td.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: TaskDefinitionPlacementConstraintTypeMemberOf, Expression: expr}}
		}
	}
	return []ruleCase{
		{name: "unknown network mode", rule: 48, lt: onEC2, edit: func(td *TaskDefinition) { td.NetworkMode = "overlay" },
			want: []wantFinding{wantErr(codeNetworkMode, "networkMode")}},
		{name: "bridge on EC2", rule: 48, lt: []Compatibility{CompatibilityEC2, CompatibilityExternal}, edit: bridgeTD},
		{name: "host on Managed Instances", rule: 48, lt: onManaged, edit: func(td *TaskDefinition) { td.NetworkMode = NetworkModeHost }},
		{name: "runtime platform ARM64 Linux", rule: 49, lt: onAll, edit: func(td *TaskDefinition) {
			td.RuntimePlatform = &RuntimePlatform{CPUArchitecture: CPUArchitectureArm64, OperatingSystemFamily: OSFamilyLinux}
		}},
		{name: "unknown architecture and family", rule: 49, lt: onEC2, edit: func(td *TaskDefinition) {
			td.RuntimePlatform = &RuntimePlatform{CPUArchitecture: "RISCV", OperatingSystemFamily: "MACOS"}
		}, want: []wantFinding{
			wantErr(codeCPUArchitecture, "runtimePlatform.cpuArchitecture"),
			wantErr(codeOSFamily, "runtimePlatform.operatingSystemFamily"),
		}},
		{name: "Windows on ARM64", rule: 49, lt: onFargate, edit: func(td *TaskDefinition) {
			windowsTD(td)
			td.RuntimePlatform.CPUArchitecture = CPUArchitectureArm64
		}, want: []wantFinding{wantErr(codeWindowsARM, "runtimePlatform.cpuArchitecture")}},
		{name: "unknown pid mode", rule: 50, lt: onEC2, edit: func(td *TaskDefinition) { td.PidMode = "container" },
			want: []wantFinding{wantErr(codePidMode, "pidMode")}},
		{name: "pid mode host on EC2", rule: 50, lt: onEC2, edit: func(td *TaskDefinition) { td.PidMode = PidModeHost }},
		{name: "unknown ipc mode", rule: 51, lt: onEC2, edit: func(td *TaskDefinition) { td.IpcMode = "private" },
			want: []wantFinding{wantErr(codeIpcMode, "ipcMode")}},
		{name: "ipc mode task on EC2", rule: 51, lt: onEC2, edit: func(td *TaskDefinition) { td.IpcMode = IpcModeTask }},
		{name: "memberOf constraint", rule: 52, lt: []Compatibility{CompatibilityEC2, CompatibilityExternal, CompatibilityManagedInstances},
			edit: constraint("attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d")},
		{name: "constraint of another type", rule: 52, lt: onEC2, edit: func(td *TaskDefinition) {
			td.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: "distinctInstance", Expression: "agentConnected == true"}}
		}, want: []wantFinding{wantErr(codeConstraintType, "placementConstraints[0].type")}},
		{name: "constraint without expression", rule: 52, lt: onEC2, edit: constraint(""),
			want: []wantFinding{wantErr(codeConstraintExpression, "placementConstraints[0].expression")}},
		{name: "constraint that does not parse", rule: 52, lt: onEC2, edit: constraint("attribute:ecs.instance-type =="),
			want: []wantFinding{wantErr(codeConstraintExpression, "placementConstraints[0].expression")}},
		{name: "constraint of 2001 characters", rule: 52, lt: onEC2, edit: constraint("task:group == " + strings.Repeat("g", 1987)),
			want: []wantFinding{wantErr(codeConstraintLength, "placementConstraints[0].expression")}},
		{name: "constraint of 2000 characters", rule: 52, lt: onEC2, edit: constraint("task:group == " + strings.Repeat("g", 1986))},
		{name: "11 constraints", rule: 52, lt: onEC2, edit: func(td *TaskDefinition) {
			for range 11 {
				td.PlacementConstraints = append(td.PlacementConstraints, TaskDefinitionPlacementConstraint{Type: "memberOf", Expression: "runningTasksCount < 5"})
			}
		}, want: []wantFinding{wantErr(codeConstraintTooMany, "placementConstraints")}},
		{name: "App Mesh proxy", rule: 53, lt: []Compatibility{CompatibilityEC2, CompatibilityFargate}, edit: func(td *TaskDefinition) {
			td.ProxyConfiguration = &ProxyConfiguration{Type: ProxyConfigurationTypeAppmesh, ContainerName: "app"}
		}},
		{name: "proxy of another type", rule: 53, lt: onEC2, edit: func(td *TaskDefinition) {
			td.ProxyConfiguration = &ProxyConfiguration{Type: "ISTIO", ContainerName: "app"}
		}, want: []wantFinding{wantErr(codeProxyType, "proxyConfiguration.type")}},
		{name: "proxy without container", rule: 53, lt: onEC2, edit: func(td *TaskDefinition) {
			td.ProxyConfiguration = &ProxyConfiguration{Type: ProxyConfigurationTypeAppmesh}
		}, want: []wantFinding{wantErr(codeProxyContainer, "proxyConfiguration.containerName")}},
		{name: "proxy container not in the task", rule: 53, lt: onEC2, edit: func(td *TaskDefinition) {
			td.ProxyConfiguration = &ProxyConfiguration{Type: ProxyConfigurationTypeAppmesh, ContainerName: "envoy"}
		}, want: []wantFinding{wantErr(codeProxyContainer, "proxyConfiguration.containerName")}},
		{name: "ephemeral storage 21 GiB", rule: 54, lt: onFargate, edit: func(td *TaskDefinition) { td.EphemeralStorage = &EphemeralStorage{SizeInGiB: 21} }},
		{name: "ephemeral storage 200 GiB", rule: 61, lt: onFargate, edit: func(td *TaskDefinition) { td.EphemeralStorage = &EphemeralStorage{SizeInGiB: 200} }},
		{name: "ephemeral storage 20 GiB", rule: 54, lt: onFargate, edit: func(td *TaskDefinition) { td.EphemeralStorage = &EphemeralStorage{SizeInGiB: 20} },
			want: []wantFinding{wantErr(codeEphemeralStorage, "ephemeralStorage.sizeInGiB")}},
		{name: "ephemeral storage 201 GiB", rule: 61, lt: onEC2, edit: func(td *TaskDefinition) { td.EphemeralStorage = &EphemeralStorage{SizeInGiB: 201} },
			want: []wantFinding{wantErr(codeEphemeralStorage, "ephemeralStorage.sizeInGiB")}},
	}
}
