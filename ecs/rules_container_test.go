package ecs

import (
	"strings"
	"testing"
)

func TestContainerRules(t *testing.T) { runRuleCases(t, containerRuleCases()) }
func TestMemberRules(t *testing.T)    { runRuleCases(t, memberRuleCases()) }

var digest64 = strings.Repeat("a1", 32)

func withImage(image string) func(td *TaskDefinition) {
	return func(td *TaskDefinition) { container0(td).Image = image }
}

// containerRuleCases covers rules 22 to 24 and 29 to 33.
func containerRuleCases() []ruleCase {
	return []ruleCase{
		{name: "container without name", rule: 22, lt: onAll, edit: func(td *TaskDefinition) { container0(td).Name = "" },
			want: []wantFinding{wantErr(codeContainerNameRequired, "containerDefinitions[0].name")}},
		{name: "container name with a dot", rule: 22, lt: onAll, edit: func(td *TaskDefinition) { container0(td).Name = "app.v2" },
			want: []wantFinding{wantErr(codeContainerNameInvalid, "containerDefinitions[0].name")}},
		{name: "duplicate container name", rule: 22, lt: onAll, edit: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("log"), sidecar("app"))
		}, want: []wantFinding{wantErr(codeContainerNameDup, "containerDefinitions[2].name")}},
		{name: "container without image", rule: 23, lt: onAll, edit: withImage(""),
			want: []wantFinding{wantErr(codeImageRequired, "containerDefinitions[0].image")}},
		{name: "placeholder image", rule: 23, lt: onAll, edit: withImage("<app image URL here>"),
			want: []wantFinding{wantErr(codeImageInvalid, "containerDefinitions[0].image")}},
		{name: "registry image with port and tag", rule: 23, lt: onAll, edit: withImage("registry.example.com:5000/team/app:1.2#build")},
		{name: "image of 256 characters", rule: 23, lt: onEC2, edit: withImage(strings.Repeat("a", 256)),
			want: []wantFinding{wantErr(codeImageInvalid, "containerDefinitions[0].image")}},
		{name: "digest image", rule: 23, lt: onAll, edit: withImage(strings.Repeat("a", 255) + "@sha256:" + digest64)},
		{name: "digest too short", rule: 23, lt: onEC2, edit: withImage("nginx@sha256:abc"),
			want: []wantFinding{wantErr(codeImageInvalid, "containerDefinitions[0].image")}},
		{name: "digest with another hash", rule: 23, lt: onEC2, edit: withImage("nginx@sha512:" + digest64),
			want: []wantFinding{wantErr(codeImageInvalid, "containerDefinitions[0].image")}},
		{name: "no essential container", rule: 24, lt: onAll, edit: func(td *TaskDefinition) { container0(td).Essential = vBool(false) },
			want: []wantFinding{wantErr(codeNoEssential, "containerDefinitions")}},
		{name: "essential by default", rule: 24, lt: onAll, edit: func(td *TaskDefinition) {
			container0(td).Essential = nil
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("log"))
		}},
		{name: "hostname in awsvpc", rule: 29, lt: onEC2, edit: func(td *TaskDefinition) { container0(td).Hostname = "web" },
			want: []wantFinding{wantErr(codeHostnameAwsvpc, "containerDefinitions[0].hostname")}},
		{name: "hostname in bridge", rule: 29, lt: onEC2, edit: func(td *TaskDefinition) { bridgeTD(td); container0(td).Hostname = "web" }},
		{name: "extraHosts in awsvpc", rule: 30, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).ExtraHosts = []HostEntry{{Hostname: "db", IPAddress: "10.0.0.5"}}
		}, want: []wantFinding{wantErr(codeExtraHostsAwsvpc, "containerDefinitions[0].extraHosts")}},
		{name: "extraHosts in bridge", rule: 30, lt: onEC2, edit: func(td *TaskDefinition) {
			bridgeTD(td)
			container0(td).ExtraHosts = []HostEntry{{Hostname: "db", IPAddress: "10.0.0.5"}}
		}},
		{name: "dnsServers in awsvpc on EC2", rule: 31, lt: onEC2, edit: func(td *TaskDefinition) { container0(td).DNSServers = []string{"10.0.0.2"} }},
		{name: "dnsServers in awsvpc on EC2, strict", rule: 31, lt: onEC2, opts: ValidationOptions{StrictAwsvpc: true}, edit: func(td *TaskDefinition) {
			c := container0(td)
			c.DNSServers, c.DNSSearchDomains, c.DisableNetworking = []string{"10.0.0.2"}, []string{"corp.example.com"}, vBool(true)
		}, want: []wantFinding{
			wantErr(codeDNSAwsvpc, "containerDefinitions[0].dnsServers"),
			wantErr(codeDNSAwsvpc, "containerDefinitions[0].dnsSearchDomains"),
			wantErr(codeDNSAwsvpc, "containerDefinitions[0].disableNetworking"),
		}},
		{name: "dns search domains", rule: 32, lt: onEC2, edit: func(td *TaskDefinition) {
			bridgeTD(td)
			container0(td).DNSSearchDomains = []string{"corp.example.com", "a", "bad_domain", "trailing."}
		}, want: []wantFinding{
			wantErr(codeDNSSearchDomain, "containerDefinitions[0].dnsSearchDomains[2]"),
			wantErr(codeDNSSearchDomain, "containerDefinitions[0].dnsSearchDomains[3]"),
		}},
		{name: "mount point and volumesFrom that resolve", rule: 33, lt: onAll, edit: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "data"}}
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("log"))
			c := container0(td)
			c.MountPoints = []MountPoint{{SourceVolume: "data", ContainerPath: "/data"}}
			c.VolumesFrom = []VolumeFrom{{SourceContainer: "log"}}
		}},
		{name: "mount point of no volume", rule: 33, lt: onAll, edit: func(td *TaskDefinition) {
			container0(td).MountPoints = []MountPoint{{SourceVolume: "data", ContainerPath: "/data"}, {ContainerPath: "/x"}}
		}, want: []wantFinding{
			wantErr(codeMountPointVolume, "containerDefinitions[0].mountPoints[0].sourceVolume"),
			wantErr(codeMountPointVolume, "containerDefinitions[0].mountPoints[1].sourceVolume"),
		}},
		{name: "volumesFrom of no container", rule: 33, lt: onAll, edit: func(td *TaskDefinition) {
			container0(td).VolumesFrom = []VolumeFrom{{SourceContainer: "data"}}
		}, want: []wantFinding{wantErr(codeVolumesFromContainer, "containerDefinitions[0].volumesFrom[0].sourceContainer")}},
	}
}

func withHealthCheck(hc HealthCheck) func(td *TaskDefinition) {
	return func(td *TaskDefinition) { container0(td).HealthCheck = &hc }
}

var healthCommand = []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}

// memberRuleCases covers rules 36 and 39 to 43.
func memberRuleCases() []ruleCase {
	const hc = "containerDefinitions[0].healthCheck"
	return []ruleCase{
		{name: "health check at its bounds", rule: 36, lt: onAll, edit: withHealthCheck(HealthCheck{Command: healthCommand,
			Interval: vInt(5), Timeout: vInt(60), Retries: vInt(10), StartPeriod: vInt(0)})},
		{name: "health check at its other bounds", rule: 36, lt: onAll, edit: withHealthCheck(HealthCheck{Command: []string{"CMD", "true"},
			Interval: vInt(300), Timeout: vInt(2), Retries: vInt(1), StartPeriod: vInt(300)})},
		{name: "health check without command", rule: 36, lt: onAll, edit: withHealthCheck(HealthCheck{}),
			want: []wantFinding{wantErr(codeHealthCommandRequired, hc+".command")}},
		{name: "health check command without CMD", rule: 36, lt: onAll, edit: withHealthCheck(HealthCheck{Command: []string{"curl", "-f", "localhost"}}),
			want: []wantFinding{wantWarn(codeHealthCommandForm, hc+".command[0]")}},
		{name: "health check below its bounds", rule: 36, lt: onAll, edit: withHealthCheck(HealthCheck{Command: healthCommand,
			Interval: vInt(4), Timeout: vInt(1), Retries: vInt(0), StartPeriod: vInt(-1)}),
			want: []wantFinding{wantErr(codeHealthInterval, hc+".interval"), wantErr(codeHealthTimeout, hc+".timeout"),
				wantErr(codeHealthRetries, hc+".retries"), wantErr(codeHealthStartPeriod, hc+".startPeriod")}},
		{name: "health check above its bounds", rule: 36, lt: onAll, edit: withHealthCheck(HealthCheck{Command: healthCommand,
			Interval: vInt(301), Timeout: vInt(61), Retries: vInt(11), StartPeriod: vInt(301)}),
			want: []wantFinding{wantErr(codeHealthInterval, hc+".interval"), wantErr(codeHealthTimeout, hc+".timeout"),
				wantErr(codeHealthRetries, hc+".retries"), wantErr(codeHealthStartPeriod, hc+".startPeriod")}},
		{name: "ulimits", rule: 39, lt: onAll, edit: func(td *TaskDefinition) {
			container0(td).Ulimits = []Ulimit{{Name: UlimitNameNofile, SoftLimit: 4096, HardLimit: 8192}, {Name: "files", SoftLimit: 1, HardLimit: 1}}
		}, want: []wantFinding{wantErr(codeUlimitName, "containerDefinitions[0].ulimits[1].name")}},
		{name: "environment files", rule: 40, lt: onAll, edit: func(td *TaskDefinition) {
			container0(td).EnvironmentFiles = []EnvironmentFile{
				{Type: EnvironmentFileTypeS3, Value: "arn:aws:s3:::bucket/app.env"},
				{Type: "http", Value: "arn:aws:s3:::bucket/app.env"},
				{Type: EnvironmentFileTypeS3, Value: "arn:aws:s3:::bucket/app.txt"},
			}
		}, want: []wantFinding{
			wantErr(codeEnvFileType, "containerDefinitions[0].environmentFiles[1].type"),
			wantErr(codeEnvFileExtension, "containerDefinitions[0].environmentFiles[2].value"),
		}},
		{name: "11 environment files", rule: 40, lt: onAll, edit: func(td *TaskDefinition) {
			for range 11 {
				container0(td).EnvironmentFiles = append(container0(td).EnvironmentFiles, EnvironmentFile{Type: EnvironmentFileTypeS3, Value: "arn:aws:s3:::b/a.env"})
			}
		}, want: []wantFinding{wantErr(codeEnvFilesCount, "containerDefinitions[0].environmentFiles")}},
		{name: "secrets", rule: 40, lt: onAll, edit: func(td *TaskDefinition) {
			td.ExecutionRoleARN = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
			container0(td).Secrets = []Secret{
				{Name: "DB", ValueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"},
				{Name: "API", ValueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/api/key"},
				{Name: "LOCAL", ValueFrom: "/app/local_key"},
				{Name: "", ValueFrom: ""},
				{Name: "S3", ValueFrom: "arn:aws:s3:::bucket/key"},
				{Name: "SPACE", ValueFrom: "my key"},
			}
		}, want: []wantFinding{
			wantErr(codeSecretRequired, "containerDefinitions[0].secrets[3].name"),
			wantErr(codeSecretRequired, "containerDefinitions[0].secrets[3].valueFrom"),
			wantErr(codeSecretValueFrom, "containerDefinitions[0].secrets[4].valueFrom"),
			wantErr(codeSecretValueFrom, "containerDefinitions[0].secrets[5].valueFrom"),
		}},
		{name: "secrets without execution role", rule: 40, lt: onAll, edit: func(td *TaskDefinition) {
			container0(td).Secrets = []Secret{{Name: "API", ValueFrom: "/api/key"}}
		}, want: []wantFinding{wantErr(codeSecretExecutionRole, "containerDefinitions[0].secrets")}},
		{name: "log secret options without execution role", rule: 40, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverSplunk, SecretOptions: []Secret{{Name: "splunk-token", ValueFrom: "/splunk"}}}
		}, want: []wantFinding{wantErr(codeSecretExecutionRole, "containerDefinitions[0].logConfiguration.secretOptions")}},
		{name: "linux parameters on EC2", rule: 41, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).LinuxParameters = &LinuxParameters{
				Capabilities:     &KernelCapabilities{Add: []string{"NET_ADMIN"}, Drop: []string{"ALL"}},
				Devices:          []Device{{HostPath: "/dev/fuse", Permissions: []DeviceCgroupPermission{"read", "write", "mknod"}}},
				Tmpfs:            []Tmpfs{{ContainerPath: "/run", Size: 64}},
				MaxSwap:          vInt(0),
				Swappiness:       vInt(100),
				SharedMemorySize: vInt(64),
			}
		}},
		{name: "linux parameters out of range", rule: 41, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).LinuxParameters = &LinuxParameters{
				Capabilities: &KernelCapabilities{Add: []string{"CAP_NET_ADMIN"}, Drop: []string{"bogus"}},
				Devices:      []Device{{Permissions: []DeviceCgroupPermission{"execute"}}},
				Tmpfs:        []Tmpfs{{}},
				MaxSwap:      vInt(-1),
				Swappiness:   vInt(101),
			}
		}, want: []wantFinding{
			wantErr(codeCapability, "containerDefinitions[0].linuxParameters.capabilities.add[0]"),
			wantErr(codeCapability, "containerDefinitions[0].linuxParameters.capabilities.drop[0]"),
			wantErr(codeDeviceHostPath, "containerDefinitions[0].linuxParameters.devices[0].hostPath"),
			wantErr(codeDevicePermission, "containerDefinitions[0].linuxParameters.devices[0].permissions[0]"),
			wantErr(codeTmpfs, "containerDefinitions[0].linuxParameters.tmpfs[0].containerPath"),
			wantErr(codeTmpfs, "containerDefinitions[0].linuxParameters.tmpfs[0].size"),
			wantErr(codeMaxSwap, "containerDefinitions[0].linuxParameters.maxSwap"),
			wantErr(codeSwappiness, "containerDefinitions[0].linuxParameters.swappiness"),
		}},
		{name: "GPU on EC2", rule: 42, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "2"}}
		}},
		{name: "GPU counts that are not counts", rule: 42, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "0"}, {Type: ResourceTypeGPU, Value: "two"}, {Type: "TPU", Value: "1"}}
		}, want: []wantFinding{
			wantErr(codeGPUValue, "containerDefinitions[0].resourceRequirements[0].value"),
			wantErr(codeGPUValue, "containerDefinitions[0].resourceRequirements[1].value"),
			wantErr(codeResourceType, "containerDefinitions[0].resourceRequirements[2].type"),
		}},
		{name: "inference accelerator of the task", rule: 42, lt: onEC2, edit: func(td *TaskDefinition) {
			td.InferenceAccelerators = []InferenceAccelerator{{DeviceName: "eia", DeviceType: "eia2.medium"}}
			container0(td).ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeInferenceAccelerator, Value: "eia"}}
		}},
		{name: "inference accelerator not in the task", rule: 42, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeInferenceAccelerator, Value: "eia"}}
		}, want: []wantFinding{wantErr(codeInferenceAccel, "containerDefinitions[0].resourceRequirements[0].value")}},
		{name: "Neuron devices on Managed Instances", rule: 42, lt: onManaged, edit: func(td *TaskDefinition) {
			container0(td).ResourceRequirements = []ResourceRequirement{{Type: resourceTypeNeuronDevice, Value: "ALL"}}
		}},
		{name: "Neuron devices elsewhere, twice, not ALL", rule: 42, lt: onEC2, edit: func(td *TaskDefinition) {
			s := sidecar("trainer")
			s.ResourceRequirements = []ResourceRequirement{{Type: resourceTypeNeuronDevice, Value: "ALL"}}
			container0(td).ResourceRequirements = []ResourceRequirement{{Type: resourceTypeNeuronDevice, Value: "2"}}
			td.ContainerDefinitions = append(td.ContainerDefinitions, s)
		}, want: []wantFinding{
			wantErr(codeNeuronDevice, "containerDefinitions[0].resourceRequirements[0].value"),
			wantErr(codeNeuronDevice, "containerDefinitions[0].resourceRequirements[0].type"),
			wantErr(codeNeuronDevice, "containerDefinitions[1].resourceRequirements[0].type"),
			wantErr(codeNeuronDevice, "containerDefinitions[1].resourceRequirements[0]"),
		}},
		{name: "log drivers on EC2", rule: 43, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).LogConfiguration = &LogConfiguration{LogDriver: logDriverLogentries}
			for _, d := range []LogDriver{"", "syslog-ng", LogDriverJSONFile} {
				s := sidecar("log-" + itoa(len(td.ContainerDefinitions)))
				s.LogConfiguration = &LogConfiguration{LogDriver: d}
				td.ContainerDefinitions = append(td.ContainerDefinitions, s)
			}
		}, want: []wantFinding{
			wantErr(codeLogDriver, "containerDefinitions[1].logConfiguration.logDriver"),
			wantErr(codeLogDriver, "containerDefinitions[2].logConfiguration.logDriver"),
		}},
		{name: "awslogs without its options", rule: 43, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverAwslogs, Options: map[string]string{"awslogs-stream-prefix": "web"}}
		}, want: []wantFinding{wantErr(codeAwslogsOptions, "containerDefinitions[0].logConfiguration.options")}},
		{name: "awslogs with its options", rule: 43, lt: onEC2, edit: func(td *TaskDefinition) {
			container0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverAwslogs, Options: map[string]string{"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"}}
		}},
	}
}
