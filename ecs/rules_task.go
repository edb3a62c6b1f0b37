package ecs

import (
	"strings"
)

// Limits of a task definition (rules 7, 13, 54).
const (
	maxContainers       = 10
	minTaskCPU          = 128
	maxTaskCPU          = 196608
	minEphemeralStorage = 21
	maxEphemeralStorage = 200
)

// checkTask checks the task's identity and its cpu and memory strings
// (rules 1, 2, 4, 5, 7, 11, 12, 13).
func (v *validator) checkTask() {
	td := v.td
	v.checkFamily()
	if td.Status != "" && !td.Status.Known() {
		v.fail("status", codeTaskStatus, "Task definition status "+quote(string(td.Status))+" is not one of ACTIVE, INACTIVE or DELETE_IN_PROGRESS.", "")
	}
	if td.TaskDefinitionARN != "" {
		v.checkARN()
	}
	switch n := len(td.ContainerDefinitions); {
	case n == 0:
		v.fail("containerDefinitions", codeContainersRequired, "A task definition needs at least one container definition.", "Container list cannot be empty.")
	case n > maxContainers:
		v.fail("containerDefinitions", codeTooManyContainers, "The task definition has "+itoa(n)+" containers; at most 10 are allowed.", "")
	}
	v.checkTaskCPU()
	v.checkTaskMemory()
}

func (v *validator) checkFamily() {
	f := v.td.Family
	switch {
	case f == "":
		if !v.containersOnly {
			v.fail("family", codeFamilyRequired, "The family is required.", "")
		}
	case !isName(f):
		v.fail("family", codeFamilyInvalid, "Family "+quote(f)+" must be 1 to 255 letters, digits, underscores and hyphens.", "")
	}
}

// checkARN checks a describe output's taskDefinitionArn against the form
// arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION and
// against the family and revision beside it.
func (v *validator) checkARN() {
	arn := v.td.TaskDefinitionARN
	family, revision, ok := splitTaskDefinitionARN(arn)
	switch {
	case !ok:
		v.fail("taskDefinitionArn", codeTaskARN, "Task definition ARN "+quote(arn)+" is not of the form arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION.", "")
	case v.td.Family != "" && family != v.td.Family:
		v.fail("taskDefinitionArn", codeTaskARN, "Task definition ARN "+quote(arn)+" names family "+quote(family)+", not "+quote(v.td.Family)+".", "")
	case v.td.Revision != 0 && revision != v.td.Revision:
		v.fail("taskDefinitionArn", codeTaskARN, "Task definition ARN "+quote(arn)+" names revision "+itoa(revision)+", not "+itoa(v.td.Revision)+".", "")
	}
}

func splitTaskDefinitionARN(arn string) (family string, revision int, ok bool) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") || parts[2] != "ecs" || parts[3] == "" {
		return "", 0, false
	}
	if len(parts[4]) != 12 || !isDigits(parts[4]) {
		return "", 0, false
	}
	family, ok = strings.CutPrefix(parts[5], "task-definition/")
	revision, okRev := smallUint(parts[6])
	if !ok || !isName(family) || !okRev || revision < 1 {
		return "", 0, false
	}
	return family, revision, true
}

// isDigits reports whether s is one or more decimal digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (v *validator) checkTaskCPU() {
	s := v.td.CPU
	if s == "" {
		return
	}
	cpu, err := parseTaskCPU(s)
	if err != nil {
		v.fail("cpu", codeTaskCPUForm, "Task cpu "+quote(s)+" is neither a whole number of CPU units (\"1024\") nor a number of vCPUs (\"1 vCPU\").", "Invalid 'cpu' setting for task.")
		return
	}
	v.taskCPU = cpu
	if v.has(ltEC2|ltExternal) && (cpu < minTaskCPU || cpu > maxTaskCPU) {
		v.fail("cpu", codeTaskCPURange, "Task cpu "+quote(s)+" is "+itoa(cpu)+" units; on EC2 and External it must be 128 to 196608 units (0.125 to 192 vCPU).", "Invalid 'cpu' setting for task.")
	}
}

func (v *validator) checkTaskMemory() {
	s := v.td.Memory
	if s == "" {
		return
	}
	mem, err := parseTaskMemory(s)
	if err != nil {
		v.fail("memory", codeTaskMemoryForm, "Task memory "+quote(s)+" is neither a whole number of MiB (\"1024\") nor a number of GB (\"1 GB\").", "Invalid 'memory' setting for task.")
		return
	}
	v.taskMem = mem
}

// checkRequiresCompatibilities checks the launch types named by the task
// definition or the caller (rule 9).
func (v *validator) checkRequiresCompatibilities() {
	if v.opts.LaunchTypes != nil {
		for _, c := range v.opts.LaunchTypes {
			if !c.Known() {
				v.fail("", codeCompatibility, "Launch type "+quote(string(c))+" is not one of EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES.", "")
			}
		}
	}
	for i, c := range v.td.RequiresCompatibilities {
		if !c.Known() {
			v.fail(indexPath("requiresCompatibilities", i), codeCompatibility, "Launch type "+quote(string(c))+" is not one of EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES.", "")
		}
	}
}

// checkTaskSize notes that Windows ignores the task size outside Fargate
// (rule 15).
func (v *validator) checkTaskSize() {
	if !v.windows || !v.has(ltEC2|ltExternal|ltManaged) {
		return
	}
	if v.td.CPU != "" || v.td.Memory != "" {
		v.warn(v.taskSizePath(), codeWindowsTaskSizeNote, "Windows containers ignore the task-level cpu and memory outside Fargate; set cpu and memory on each container instead.")
	}
}

func (v *validator) taskSizePath() string {
	if v.td.CPU != "" {
		return "cpu"
	}
	return "memory"
}

// checkRuntimePlatform checks the platform's values (rule 49).
func (v *validator) checkRuntimePlatform() {
	rp := v.td.RuntimePlatform
	if rp == nil {
		return
	}
	if rp.CPUArchitecture != "" && !rp.CPUArchitecture.Known() {
		v.fail("runtimePlatform.cpuArchitecture", codeCPUArchitecture, "CPU architecture "+quote(string(rp.CPUArchitecture))+" is not X86_64 or ARM64.", "")
	}
	if rp.OperatingSystemFamily != "" && !rp.OperatingSystemFamily.Known() {
		v.fail("runtimePlatform.operatingSystemFamily", codeOSFamily, "Operating system family "+quote(string(rp.OperatingSystemFamily))+" is not LINUX or one of the WINDOWS_SERVER_ families.", "")
	}
	if v.windows && rp.CPUArchitecture == CPUArchitectureArm64 {
		v.fail("runtimePlatform.cpuArchitecture", codeWindowsARM, "ARM64 runs Linux tasks only; "+string(rp.OperatingSystemFamily)+" needs X86_64.", "")
	}
}

// checkTaskModes checks the network, pid and ipc modes' values (rules 48,
// 50, 51).
func (v *validator) checkTaskModes() {
	td := v.td
	if td.NetworkMode != "" && !td.NetworkMode.Known() {
		v.fail("networkMode", codeNetworkMode, "Network mode "+quote(string(td.NetworkMode))+" is not one of bridge, host, awsvpc or none.", "")
	}
	if td.PidMode != "" && !td.PidMode.Known() {
		v.fail("pidMode", codePidMode, "PID mode "+quote(string(td.PidMode))+" is not host or task.", "")
	}
	if td.IpcMode != "" && !td.IpcMode.Known() {
		v.fail("ipcMode", codeIpcMode, "IPC mode "+quote(string(td.IpcMode))+" is not one of host, task or none.", "")
	}
}

// checkProxy checks the App Mesh proxy configuration (rule 53).
func (v *validator) checkProxy() {
	pc := v.td.ProxyConfiguration
	if pc == nil {
		return
	}
	if pc.Type != "" && pc.Type != ProxyConfigurationTypeAppmesh {
		v.fail("proxyConfiguration.type", codeProxyType, "Proxy type "+quote(string(pc.Type))+" is not APPMESH, the only type.", "")
	}
	switch {
	case pc.ContainerName == "":
		v.fail("proxyConfiguration.containerName", codeProxyContainer, "The proxy configuration needs the name of its proxy container.", "")
	case v.containerIndex(pc.ContainerName) < 0:
		v.fail("proxyConfiguration.containerName", codeProxyContainer, "Proxy container "+quote(pc.ContainerName)+" is not a container of the task.", "")
	}
}

// checkEphemeralStorage checks the ephemeral storage size (rule 54).
func (v *validator) checkEphemeralStorage() {
	es := v.td.EphemeralStorage
	if es == nil {
		return
	}
	if es.SizeInGiB < minEphemeralStorage || es.SizeInGiB > maxEphemeralStorage {
		v.fail("ephemeralStorage.sizeInGiB", codeEphemeralStorage, "Ephemeral storage of "+itoa(es.SizeInGiB)+" GiB is outside 21 to 200 GiB.", "")
	}
}
