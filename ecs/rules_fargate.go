package ecs

// Fargate limits (rules 26, 27, 47, 62).
const (
	minFargateTimeout, maxFargateTimeout = 2, 120
	maxFargateNofile                     = 1048576
	fargateWindowsReservedPort           = 3150
)

// checkFargate checks section 2: what Fargate requires and what it does
// not support.
func (v *validator) checkFargate() {
	td := v.td
	if td.NetworkMode != NetworkModeAwsvpc {
		mode := string(td.NetworkMode)
		if mode == "" {
			mode = "omitted (bridge)"
		}
		v.fail("networkMode", codeFargateNetworkMode, "Network mode "+mode+" is not awsvpc, which Fargate requires.", "Fargate only supports network mode 'awsvpc'.")
	}
	v.checkFargateSize()
	v.checkUnsupported(fargateParams, codeFargateUnsupported, "Fargate")
	if len(td.PlacementConstraints) > 0 {
		v.unsupportedTask("placementConstraints", codeFargateUnsupported, "Fargate")
	}
	if td.IpcMode != "" {
		v.unsupportedTask("ipcMode", codeFargateUnsupported, "Fargate")
	}
	if td.PidMode != "" && td.PidMode != PidModeTask && !v.windows {
		v.fail("pidMode", codeFargatePidMode, "PID mode "+quote(string(td.PidMode))+" is not available on Fargate, which allows task only.", "")
	}
	v.checkFargateVolumes()
	v.checkFargateExecutionRole()
	for i := range td.ContainerDefinitions {
		v.checkFargateContainer(i, &td.ContainerDefinitions[i])
	}
}

// checkFargateSize checks rules 10, 14, 57 (Windows) and 59.
func (v *validator) checkFargateSize() {
	td := v.td
	if td.CPU == "" {
		v.fail("cpu", codeFargateCPURequired, "Fargate requires the task-level cpu.", "Fargate requires that 'cpu' be defined at the task level.")
	}
	if td.Memory == "" {
		v.fail("memory", codeFargateMemRequired, "Fargate requires the task-level memory.", "Fargate requires that 'memory' be defined at the task level.")
	}
	if v.taskCPU == 0 || v.taskMem == 0 {
		return
	}
	os := v.osFamily()
	if IsFargateSize(v.taskCPU, v.taskMem, os) {
		return
	}
	osName := "Linux"
	if v.windows {
		osName = "Windows"
	}
	msg := "Fargate has no " + osName + " task size of " + itoa(v.taskCPU) + " CPU units with " + itoa(v.taskMem) + " MiB; with that cpu, memory may be " + fargateMemories(v.taskCPU, os) + "."
	if s, ok := SmallestFargateSize(v.taskCPU, v.taskMem, os); ok {
		msg += " The smallest size that holds both is cpu " + itoa(s.CPU) + " with memory " + itoa(s.MemoryMiB) + "."
	}
	v.fail("cpu", codeFargateTaskSize, msg, "Invalid 'cpu' setting for task.")
}

func (v *validator) osFamily() OSFamily {
	if rp := v.td.RuntimePlatform; rp != nil {
		return rp.OperatingSystemFamily
	}
	return OSFamilyLinux
}

// checkFargateVolumes checks rule 57: bind mounts without a host source
// path, and no Docker volumes.
func (v *validator) checkFargateVolumes() {
	for i := range v.td.Volumes {
		vol := &v.td.Volumes[i]
		if vol.Host != nil && vol.Host.SourcePath != "" {
			v.fail(indexPath("volumes", i)+".host.sourcePath", codeFargateHostPath, "Volume "+quote(vol.Name)+" binds host path "+quote(vol.Host.SourcePath)+"; Fargate bind mounts have no host source path.", "")
		}
		if vol.DockerVolumeConfiguration != nil {
			v.fail(indexPath("volumes", i)+".dockerVolumeConfiguration", codeFargateDockerVolume, "Volume "+quote(vol.Name)+" is a Docker volume, which Fargate does not support.", "")
		}
	}
}

// checkFargateExecutionRole checks that the awslogs driver and ECR images
// come with an execution role, once for each.
func (v *validator) checkFargateExecutionRole() {
	if v.td.ExecutionRoleARN != "" {
		return
	}
	logs, ecr := -1, -1
	for i := range v.td.ContainerDefinitions {
		c := &v.td.ContainerDefinitions[i]
		if logs < 0 && c.LogConfiguration != nil && c.LogConfiguration.LogDriver == LogDriverAwslogs {
			logs = i
		}
		if ecr < 0 && isECRImage(c.Image) {
			ecr = i
		}
	}
	if logs >= 0 {
		v.fail(containerPath(logs)+".logConfiguration.logDriver", codeFargateExecRole, "Container "+quote(v.td.ContainerDefinitions[logs].Name)+" logs with awslogs, which on Fargate needs the task's executionRoleArn.", "Fargate requires task definition to have execution role ARN to support log driver awslogs.")
	}
	if ecr >= 0 {
		v.fail(containerPath(ecr)+".image", codeFargateExecRole, "Container "+quote(v.td.ContainerDefinitions[ecr].Name)+" pulls an ECR image, which on Fargate needs the task's executionRoleArn.", "Fargate requires task definition to have execution role ARN to support ECR images.")
	}
}

// checkFargateContainer checks rules 26, 27, 43, 47, 56 (gpu), 57
// (capabilities) and 62 for one container.
func (v *validator) checkFargateContainer(i int, c *ContainerDefinition) {
	v.checkFargateTimeout(i, codeFargateStartTimeout, c, "startTimeout", c.StartTimeout)
	v.checkFargateTimeout(i, codeFargateStopTimeout, c, "stopTimeout", c.StopTimeout)
	if lc := c.LogConfiguration; lc != nil && lc.LogDriver != "" && !isFargateLogDriver(lc.LogDriver) {
		v.fail(cpath(i, "logConfiguration.logDriver"), codeFargateLogDriver, "Log driver "+quote(string(lc.LogDriver))+" of container "+quote(c.Name)+" is not one Fargate supports: awslogs, splunk or awsfirelens.", "")
	}
	for j, rr := range c.ResourceRequirements {
		if rr.Type == ResourceTypeGPU {
			v.fail(celem(i, "resourceRequirements", j, ""), codeFargateUnsupported, "Container "+quote(c.Name)+" requests a GPU, which Fargate does not support.", "")
		}
	}
	if lp := c.LinuxParameters; lp != nil && lp.Capabilities != nil {
		for j, cp := range lp.Capabilities.Add {
			if cp != "SYS_PTRACE" {
				v.fail(celem(i, "linuxParameters.capabilities.add", j, ""), codeFargateCapabilityAdd, "Container "+quote(c.Name)+" adds capability "+quote(cp)+"; Fargate allows adding SYS_PTRACE only.", "")
			}
		}
	}
	for j, u := range c.Ulimits {
		if u.Name == UlimitNameNofile && (u.SoftLimit > maxFargateNofile || u.HardLimit > maxFargateNofile) {
			v.fail(celem(i, "ulimits", j, ""), codeFargateNofile, "The nofile ulimit of container "+quote(c.Name)+" is "+itoa(u.SoftLimit)+"/"+itoa(u.HardLimit)+"; Fargate allows at most 1048576.", "")
		}
	}
	if v.windows {
		v.checkFargateWindowsPorts(i, c)
	}
}

func (v *validator) checkFargateTimeout(i int, code string, c *ContainerDefinition, member string, p *int) {
	if p == nil || *p >= minFargateTimeout && *p <= maxFargateTimeout {
		return
	}
	v.fail(cpath(i, member), code, "The "+member+" of container "+quote(c.Name)+" is "+itoa(*p)+" seconds; Fargate allows 2 to 120.", "")
}

func isFargateLogDriver(d LogDriver) bool {
	return d == LogDriverAwslogs || d == LogDriverSplunk || d == LogDriverAwsfirelens
}

// checkFargateWindowsPorts checks rule 47: Windows on Fargate reserves
// container port 3150.
func (v *validator) checkFargateWindowsPorts(i int, c *ContainerDefinition) {
	for j := range c.PortMappings {
		s, ok := mappingSpan(&c.PortMappings[j], j)
		if ok && s.first <= fargateWindowsReservedPort && fargateWindowsReservedPort <= s.last {
			v.fail(mappingPath(i, j, ""), codeFargateWindowsPort, "Container "+quote(c.Name)+" maps port 3150, which Windows on Fargate reserves.", "")
		}
	}
}
