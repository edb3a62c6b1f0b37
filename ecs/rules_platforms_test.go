package ecs

import "testing"

func TestPlatformRules(t *testing.T) { runRuleCases(t, platformRuleCases()) }

// everyWindowsParam sets every member Windows rejects, on a Windows task
// in the default (NAT) network mode.
func everyWindowsParam(td *TaskDefinition) {
	windowsTD(td)
	td.NetworkMode = ""
	td.CPU, td.Memory = "", "4096"
	c := container0(td)
	c.DisableNetworking, c.Privileged = vBool(true), vBool(true)
	c.DNSSearchDomains, c.DNSServers = []string{"corp.example.com"}, []string{"10.0.0.2"}
	c.ExtraHosts = []HostEntry{{Hostname: "db", IPAddress: "10.0.0.5"}}
	c.Links = []string{"log"}
	c.Ulimits = []Ulimit{{Name: UlimitNameNofile, SoftLimit: 1024, HardLimit: 4096}}
	c.LinuxParameters = &LinuxParameters{InitProcessEnabled: vBool(true)}
	td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("log"))
	td.PidMode, td.IpcMode = PidModeTask, IpcModeTask
}

// everyManagedParam sets every member Managed Instances reject.
func everyManagedParam(td *TaskDefinition) {
	c := container0(td)
	c.DisableNetworking = vBool(true)
	c.DNSSearchDomains, c.DNSServers = []string{"corp.example.com"}, []string{"10.0.0.2"}
	c.DockerSecurityOptions = []string{"no-new-privileges"}
	c.DockerLabels = map[string]string{"team": "web"}
	c.LinuxParameters = &LinuxParameters{MaxSwap: vInt(0), Swappiness: vInt(10), SharedMemorySize: vInt(64), Tmpfs: []Tmpfs{{ContainerPath: "/run", Size: 8}}}
	td.EphemeralStorage = &EphemeralStorage{SizeInGiB: 30}
	td.InferenceAccelerators = []InferenceAccelerator{{DeviceName: "eia", DeviceType: "eia2.medium"}}
	td.IpcMode = IpcModeTask
	td.ProxyConfiguration = &ProxyConfiguration{Type: ProxyConfigurationTypeAppmesh, ContainerName: "app"}
	td.Volumes = []Volume{
		{Name: "logs", Host: &HostVolumeProperties{SourcePath: "/var/log"}},
		{Name: "cache", DockerVolumeConfiguration: &DockerVolumeConfiguration{Scope: ScopeTask}},
		{Name: "share", FsxWindowsFileServerVolumeConfiguration: &FSxWindowsFileServerVolumeConfiguration{FileSystemID: "fs-1", RootDirectory: `\share`}},
	}
}

// platformRuleCases covers the Windows rules (28, 30, 31, 39, 41, 48, 50,
// 51, 62, 69) and Managed Instances (9, 29, 48, 69).
func platformRuleCases() []ruleCase {
	const c0 = "containerDefinitions[0]."
	return []ruleCase{
		{name: "Windows on every launch type but Managed Instances", rule: 48, lt: []Compatibility{CompatibilityEC2, CompatibilityFargate, CompatibilityExternal},
			edit: windowsTD, want: []wantFinding{wantWarn(codeWindowsTaskSizeNote, "cpu")}},
		{name: "every parameter Windows rejects", rule: 31, lt: onEC2, edit: everyWindowsParam, want: []wantFinding{
			wantErr(codeWindowsUnsupported, c0+"disableNetworking"), wantErr(codeWindowsUnsupported, c0+"privileged"),
			wantErr(codeWindowsUnsupported, c0+"dnsSearchDomains"), wantErr(codeWindowsUnsupported, c0+"dnsServers"),
			wantErr(codeWindowsUnsupported, c0+"extraHosts"), wantErr(codeWindowsUnsupported, c0+"links"),
			wantErr(codeWindowsUnsupported, c0+"ulimits"), wantErr(codeWindowsUnsupported, c0+"linuxParameters"),
			wantErr(codeWindowsUnsupported, "pidMode"), wantErr(codeWindowsUnsupported, "ipcMode"),
			wantWarn(codeWindowsTaskSizeNote, "memory"),
		}},
		{name: "Windows in bridge mode", rule: 69, lt: onEC2, edit: func(td *TaskDefinition) {
			windowsTD(td)
			td.NetworkMode = NetworkModeBridge
			td.CPU, td.Memory = "", ""
			container0(td).Memory = vInt(1024)
		}, want: []wantFinding{wantErr(codeWindowsNetworkMode, "networkMode")}},
		{name: "Windows in the default mode", rule: 69, lt: onExternal, edit: func(td *TaskDefinition) {
			windowsTD(td)
			td.NetworkMode = ""
			td.CPU, td.Memory = "", ""
			container0(td).Memory = vInt(1024)
		}},
		{name: "every parameter Managed Instances reject", rule: 9, lt: onManaged, edit: everyManagedParam, want: []wantFinding{
			wantErr(codeManagedUnsupported, c0+"disableNetworking"), wantErr(codeManagedUnsupported, c0+"dnsSearchDomains"),
			wantErr(codeManagedUnsupported, c0+"dnsServers"), wantErr(codeManagedUnsupported, c0+"dockerSecurityOptions"),
			wantErr(codeManagedUnsupported, c0+"dockerLabels"), wantErr(codeManagedUnsupported, c0+"linuxParameters.maxSwap"),
			wantErr(codeManagedUnsupported, c0+"linuxParameters.swappiness"), wantErr(codeManagedUnsupported, c0+"linuxParameters.sharedMemorySize"),
			wantErr(codeManagedUnsupported, c0+"linuxParameters.tmpfs"),
			wantErr(codeManagedUnsupported, "ephemeralStorage"), wantErr(codeManagedUnsupported, "inferenceAccelerators"),
			wantErr(codeManagedUnsupported, "ipcMode"), wantErr(codeManagedUnsupported, "proxyConfiguration"),
			wantErr(codeManagedUnsupported, "volumes[0].host.sourcePath"), wantErr(codeManagedUnsupported, "volumes[1].dockerVolumeConfiguration"),
			wantErr(codeManagedUnsupported, "volumes[2].fsxWindowsFileServerVolumeConfiguration"),
		}},
		{name: "the same parameters on EC2", rule: 9, lt: onEC2, edit: everyManagedParam},
		{name: "hostname, links and extraHosts on Managed Instances in host mode", rule: 29, lt: onManaged, edit: func(td *TaskDefinition) {
			td.NetworkMode = NetworkModeHost
			c := container0(td)
			c.Hostname = "web"
			c.ExtraHosts = []HostEntry{{Hostname: "db", IPAddress: "10.0.0.5"}}
		}, want: []wantFinding{wantErr(codeManagedUnsupported, c0+"hostname"), wantErr(codeManagedUnsupported, c0+"extraHosts")}},
		{name: "Managed Instances in bridge mode", rule: 69, lt: onManaged, edit: bridgeTD,
			want: []wantFinding{wantErr(codeManagedNetworkMode, "networkMode")}},
		{name: "Managed Instances without network mode", rule: 69, lt: onManaged, edit: func(td *TaskDefinition) { td.NetworkMode = "" }},
	}
}
