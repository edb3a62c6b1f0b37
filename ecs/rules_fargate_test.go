package ecs

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestFargateRules(t *testing.T) { runRuleCases(t, fargateRuleCases()) }

// everyFargateParam sets every container member that Fargate rejects.
func everyFargateParam(td *TaskDefinition) {
	bridgeTD(td)
	c := container0(td)
	c.DisableNetworking, c.Privileged = vBool(true), vBool(true)
	c.DNSSearchDomains, c.DNSServers = []string{"corp.example.com"}, []string{"10.0.0.2"}
	c.DockerSecurityOptions = []string{"no-new-privileges"}
	c.ExtraHosts = []HostEntry{{Hostname: "db", IPAddress: "10.0.0.5"}}
	c.Links = []string{"log"}
	c.LinuxParameters = &LinuxParameters{MaxSwap: vInt(0), Swappiness: vInt(10), Devices: []Device{{HostPath: "/dev/fuse"}},
		SharedMemorySize: vInt(64), Tmpfs: []Tmpfs{{ContainerPath: "/run", Size: 8}}}
	c.ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "1"}}
	td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("log"))
	td.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: "memberOf", Expression: "agentConnected == true"}}
	td.IpcMode = IpcModeTask
}

func fargateTimeouts(start, stop int) func(td *TaskDefinition) {
	return func(td *TaskDefinition) {
		container0(td).StartTimeout, container0(td).StopTimeout = vInt(start), vInt(stop)
	}
}

// fargateRuleCases covers rules 26, 27, 43 (Fargate), 50, 56, 57, 59 and
// 62 to 64.
func fargateRuleCases() []ruleCase {
	const c0 = "containerDefinitions[0]."
	return []ruleCase{
		{name: "timeouts at their bounds", rule: 26, lt: onFargate, edit: fargateTimeouts(2, 120)},
		{name: "timeouts out of bounds", rule: 27, lt: onFargate, edit: fargateTimeouts(1, 121),
			want: []wantFinding{wantErr(codeFargateStartTimeout, c0+"startTimeout"), wantErr(codeFargateStopTimeout, c0+"stopTimeout")}},
		{name: "long timeouts on EC2", rule: 27, lt: onEC2, edit: fargateTimeouts(600, 600)},
		{name: "log drivers Fargate supports", rule: 43, lt: onFargate, edit: func(td *TaskDefinition) {
			td.ExecutionRoleARN = "arn:aws:iam::123456789012:role/exec"
			container0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverAwslogs, Options: map[string]string{"awslogs-group": "g", "awslogs-region": "us-east-1"}}
			for _, d := range []LogDriver{LogDriverSplunk, LogDriverAwsfirelens} {
				s := sidecar(string(d))
				s.LogConfiguration = &LogConfiguration{LogDriver: d}
				td.ContainerDefinitions = append(td.ContainerDefinitions, s)
			}
		}},
		{name: "log driver Fargate does not support", rule: 43, lt: onFargate, edit: func(td *TaskDefinition) {
			container0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverJSONFile}
		}, want: []wantFinding{wantErr(codeFargateLogDriver, c0+"logConfiguration.logDriver")}},
		{name: "awslogs and ECR without execution role", rule: 43, lt: onFargate, edit: func(td *TaskDefinition) {
			c := container0(td)
			c.Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"
			c.LogConfiguration = &LogConfiguration{LogDriver: LogDriverAwslogs, Options: map[string]string{"awslogs-group": "g", "awslogs-region": "us-east-1"}}
		}, want: []wantFinding{wantErr(codeFargateExecRole, c0+"logConfiguration.logDriver"), wantErr(codeFargateExecRole, c0+"image")}},
		{name: "ECR without execution role on EC2", rule: 23, lt: onEC2, edit: withImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1")},
		{name: "pid mode task on Fargate", rule: 50, lt: onFargate, edit: func(td *TaskDefinition) { td.PidMode = PidModeTask }},
		{name: "pid mode host on Fargate", rule: 50, lt: onFargate, edit: func(td *TaskDefinition) { td.PidMode = PidModeHost },
			want: []wantFinding{wantErr(codeFargatePidMode, "pidMode")}},
		{name: "every parameter Fargate rejects", rule: 56, lt: onFargate, edit: everyFargateParam, want: []wantFinding{
			wantErr(codeFargateNetworkMode, "networkMode"),
			wantErr(codeFargateUnsupported, c0+"disableNetworking"), wantErr(codeFargateUnsupported, c0+"privileged"),
			wantErr(codeFargateUnsupported, c0+"dnsSearchDomains"), wantErr(codeFargateUnsupported, c0+"dnsServers"),
			wantErr(codeFargateUnsupported, c0+"dockerSecurityOptions"), wantErr(codeFargateUnsupported, c0+"extraHosts"),
			wantErr(codeFargateUnsupported, c0+"links"), wantErr(codeFargateUnsupported, c0+"linuxParameters.maxSwap"),
			wantErr(codeFargateUnsupported, c0+"linuxParameters.swappiness"), wantErr(codeFargateUnsupported, c0+"linuxParameters.devices"),
			wantErr(codeFargateUnsupported, c0+"linuxParameters.sharedMemorySize"), wantErr(codeFargateUnsupported, c0+"linuxParameters.tmpfs"),
			wantErr(codeFargateUnsupported, c0+"resourceRequirements[0]"),
			wantErr(codeFargateUnsupported, "placementConstraints"), wantErr(codeFargateUnsupported, "ipcMode"),
		}},
		{name: "the same parameters on EC2", rule: 56, lt: onEC2, edit: everyFargateParam},
		{name: "false booleans on Fargate", rule: 56, lt: onFargate, edit: func(td *TaskDefinition) {
			container0(td).DisableNetworking, container0(td).Privileged = vBool(false), vBool(false)
		}},
		{name: "capabilities on Fargate", rule: 57, lt: onFargate, edit: func(td *TaskDefinition) {
			container0(td).LinuxParameters = &LinuxParameters{Capabilities: &KernelCapabilities{Add: []string{"SYS_PTRACE", "NET_ADMIN"}, Drop: []string{"ALL"}}}
		}, want: []wantFinding{wantErr(codeFargateCapabilityAdd, c0+"linuxParameters.capabilities.add[1]")}},
		{name: "Linux sizes", rule: 59, lt: onFargate, edit: func(td *TaskDefinition) { td.CPU, td.Memory = "16 vCPU", "120 GB" }},
		{name: "Linux size that does not exist", rule: 59, lt: onFargate, edit: func(td *TaskDefinition) { td.CPU, td.Memory = "512", "5 GB" },
			want: []wantFinding{wantErr(codeFargateTaskSize, "cpu")}},
		{name: "Windows below 1 vCPU", rule: 57, lt: onFargate, edit: func(td *TaskDefinition) {
			windowsTD(td)
			td.CPU, td.Memory = "512", "1024"
		}, want: []wantFinding{wantErr(codeFargateTaskSize, "cpu")}},
		{name: "Windows at 8 vCPU", rule: 59, lt: onFargate, edit: func(td *TaskDefinition) {
			windowsTD(td)
			td.CPU, td.Memory = "8192", "16384"
		}, want: []wantFinding{wantErr(codeFargateTaskSize, "cpu")}},
		{name: "nofile at the Fargate maximum", rule: 62, lt: onFargate, edit: func(td *TaskDefinition) {
			container0(td).Ulimits = []Ulimit{{Name: UlimitNameNofile, SoftLimit: 65535, HardLimit: 1048576}}
		}},
		{name: "nofile above the Fargate maximum", rule: 62, lt: onFargate, edit: func(td *TaskDefinition) {
			container0(td).Ulimits = []Ulimit{{Name: UlimitNameNofile, SoftLimit: 65535, HardLimit: 1048577}}
		}, want: []wantFinding{wantErr(codeFargateNofile, c0+"ulimits[0]")}},
		{name: "Fargate without network mode", rule: 63, lt: onFargate, edit: func(td *TaskDefinition) { td.NetworkMode = "" },
			want: []wantFinding{wantErr(codeFargateNetworkMode, "networkMode")}},
		{name: "Fargate in host mode", rule: 69, lt: onFargate, edit: withPorts(NetworkModeHost, port(80)),
			want: []wantFinding{wantErr(codeFargateNetworkMode, "networkMode")}},
	}
}

func TestFargateSizesTable(t *testing.T) {
	linux := slices.Collect(FargateSizes(OSFamilyLinux))
	windows := slices.Collect(FargateSizes(OSFamilyWindowsServer2019Core))
	// 3 + 4 + 7 + 13 + 23 + 12 + 12 Linux sizes; Windows has the 1, 2 and 4 vCPU rows.
	require.Len(t, linux, 74)
	require.Len(t, windows, 43)
	require.Equal(t, FargateSize{256, 512}, linux[0])
	require.Equal(t, FargateSize{16384, 122880}, linux[len(linux)-1])
	require.Equal(t, FargateSize{1024, 2048}, windows[0])
	require.Equal(t, linux, slices.Collect(FargateSizes("")), "Linux when the family is empty")
	for _, s := range linux {
		require.True(t, IsFargateSize(s.CPU, s.MemoryMiB, OSFamilyLinux), s)
	}
	first := slices.Collect(func(yield func(FargateSize) bool) {
		for s := range FargateSizes(OSFamilyLinux) {
			if !yield(s) || s.CPU > 256 {
				return
			}
		}
	})
	require.Len(t, first, 4, "iteration stops when asked")
}

func TestIsFargateSize(t *testing.T) {
	for _, tc := range []struct {
		cpu, mem int
		os       OSFamily
		want     bool
	}{
		{256, 512, OSFamilyLinux, true},
		{256, 1536, OSFamilyLinux, false},
		{256, 4096, OSFamilyLinux, false},
		{512, 4096, OSFamilyLinux, true},
		{1024, 8192, OSFamilyWindowsServer2022Full, true},
		{4096, 30720, OSFamilyLinux, true},
		{4096, 31744, OSFamilyLinux, false},
		{8192, 20480, OSFamilyLinux, true},
		{8192, 18432, OSFamilyLinux, false},
		{8192, 16384, OSFamilyWindowsServer2019Full, false},
		{16384, 40960, OSFamilyLinux, true},
		{16384, 36864, OSFamilyLinux, false},
		{32768, 65536, OSFamilyLinux, false},
		{512, 1024, OSFamilyWindowsServer2019Full, false},
	} {
		require.Equal(t, tc.want, IsFargateSize(tc.cpu, tc.mem, tc.os), "%d/%d %s", tc.cpu, tc.mem, tc.os)
	}
}

func TestSmallestFargateSize(t *testing.T) {
	for _, tc := range []struct {
		cpu, mem int
		os       OSFamily
		want     FargateSize
		ok       bool
	}{
		{0, 0, OSFamilyLinux, FargateSize{256, 512}, true},
		{100, 600, OSFamilyLinux, FargateSize{256, 1024}, true},
		{256, 2049, OSFamilyLinux, FargateSize{512, 3072}, true},
		{300, 100, OSFamilyLinux, FargateSize{512, 1024}, true},
		{1024, 9000, OSFamilyLinux, FargateSize{2048, 9216}, true},
		{4096, 30721, OSFamilyLinux, FargateSize{8192, 32768}, true},
		{5000, 100, OSFamilyLinux, FargateSize{8192, 16384}, true},
		{9000, 60000, OSFamilyLinux, FargateSize{16384, 65536}, true},
		{16384, 122881, OSFamilyLinux, FargateSize{}, false},
		{16385, 0, OSFamilyLinux, FargateSize{}, false},
		{256, 512, OSFamilyWindowsServer2019Core, FargateSize{1024, 2048}, true},
		{4096, 30720, OSFamilyWindowsServer2019Core, FargateSize{4096, 30720}, true},
		{4097, 0, OSFamilyWindowsServer2019Core, FargateSize{}, false},
	} {
		got, ok := SmallestFargateSize(tc.cpu, tc.mem, tc.os)
		require.Equal(t, tc.ok, ok, "%d/%d %s", tc.cpu, tc.mem, tc.os)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("SmallestFargateSize(%d, %d, %s) (-want +got):\n%s", tc.cpu, tc.mem, tc.os, diff)
		}
	}
}

// TestSmallestFargateSizeIsMinimal checks against every size: the result
// holds the needs, and no size with less cpu, or as much cpu and less
// memory, does.
func TestSmallestFargateSizeIsMinimal(t *testing.T) {
	for _, os := range []OSFamily{OSFamilyLinux, OSFamilyWindowsServer2022Core} {
		for cpu := 0; cpu <= 17000; cpu += 250 {
			for mem := 0; mem <= 125000; mem += 1500 {
				got, ok := SmallestFargateSize(cpu, mem, os)
				for s := range FargateSizes(os) {
					holds := s.CPU >= cpu && s.MemoryMiB >= mem
					if !ok {
						require.False(t, holds, "%v holds %d/%d", s, cpu, mem)
						continue
					}
					if holds {
						require.False(t, s.CPU < got.CPU || s.CPU == got.CPU && s.MemoryMiB < got.MemoryMiB, "%v is smaller than %v for %d/%d", s, got, cpu, mem)
					}
				}
				if ok {
					require.True(t, got.CPU >= cpu && got.MemoryMiB >= mem && IsFargateSize(got.CPU, got.MemoryMiB, os))
				}
			}
		}
	}
}

// TestFargateSizesRule59 checks the size table cell by cell against rule
// 59 of the fact sheet, written out here independently of fargateCPUs:
// every size listed is valid, and every other memory (in steps of 512 MiB)
// with a listed cpu, or any memory with another cpu, is not.
func TestFargateSizesRule59(t *testing.T) {
	steps := func(from, to, step int) []int {
		var out []int
		for m := from; m <= to; m += step {
			out = append(out, m)
		}
		return out
	}
	rule59 := []struct {
		cpu     int
		mems    []int
		windows bool
	}{
		{256, []int{512, 1024, 2048}, false},
		{512, steps(1024, 4096, 1024), false},
		{1024, steps(2048, 8192, 1024), true},
		{2048, steps(4096, 16384, 1024), true},
		{4096, steps(8192, 30720, 1024), true},
		{8192, steps(16384, 61440, 4096), false},
		{16384, steps(32768, 122880, 8192), false},
	}
	var linux, windows []FargateSize
	for _, row := range rule59 {
		for _, m := range row.mems {
			linux = append(linux, FargateSize{row.cpu, m})
			if row.windows {
				windows = append(windows, FargateSize{row.cpu, m})
			}
		}
	}
	require.Equal(t, linux, slices.Collect(FargateSizes(OSFamilyLinux)))
	require.Equal(t, windows, slices.Collect(FargateSizes(OSFamilyWindowsServer2022Full)))
	for _, os := range []OSFamily{OSFamilyLinux, OSFamilyWindowsServer2019Core} {
		want := linux
		if isWindows(os) {
			want = windows
		}
		for _, cpu := range []int{0, 128, 256, 384, 512, 1024, 1536, 2048, 3072, 4096, 6144, 8192, 12288, 16384, 32768} {
			for mem := 0; mem <= 131072; mem += 512 {
				require.Equal(t, slices.Contains(want, FargateSize{cpu, mem}), IsFargateSize(cpu, mem, os), "%d/%d on %s", cpu, mem, os)
			}
		}
	}
}
