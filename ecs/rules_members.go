package ecs

import "strings"

// Bounds of a health check (rule 36).
const (
	minHealthInterval, maxHealthInterval = 5, 300
	minHealthTimeout, maxHealthTimeout   = 2, 60
	minHealthRetries, maxHealthRetries   = 1, 10
	minStartPeriod, maxStartPeriod       = 0, 300
	maxEnvironmentFiles                  = 10
	maxSwappiness                        = 100
)

// resourceTypeNeuronDevice is a resource type that the API documents and
// the model's enum does not list yet (rule 42).
const resourceTypeNeuronDevice ResourceType = "NeuronDevice"

// logDriverLogentries is a log driver the developer guide lists and the
// model's enum does not (rule 43).
const logDriverLogentries LogDriver = "logentries"

// checkHealthCheck checks rule 36: a command, and each bound.
func (v *validator) checkHealthCheck(i int, c *ContainerDefinition) {
	hc := c.HealthCheck
	if hc == nil {
		return
	}
	switch {
	case len(hc.Command) == 0:
		v.fail(cpath(i, "healthCheck.command"), codeHealthCommandRequired, "The health check of container "+quote(c.Name)+" has no command.", "")
	case hc.Command[0] != "CMD" && hc.Command[0] != "CMD-SHELL":
		v.warn(cpath(i, "healthCheck.command[0]"), codeHealthCommandForm, "The health check command of container "+quote(c.Name)+" starts with "+quote(hc.Command[0])+"; the API documents only CMD and CMD-SHELL as its first element.")
	}
	v.checkHealthBound(i, c, "interval", codeHealthInterval, hc.Interval, minHealthInterval, maxHealthInterval, " seconds")
	v.checkHealthBound(i, c, "timeout", codeHealthTimeout, hc.Timeout, minHealthTimeout, maxHealthTimeout, " seconds")
	v.checkHealthBound(i, c, "retries", codeHealthRetries, hc.Retries, minHealthRetries, maxHealthRetries, "")
	v.checkHealthBound(i, c, "startPeriod", codeHealthStartPeriod, hc.StartPeriod, minStartPeriod, maxStartPeriod, " seconds")
}

// checkHealthBound reports a health check member set outside [lo, hi].
func (v *validator) checkHealthBound(i int, c *ContainerDefinition, member, code string, p *int, lo, hi int, unit string) {
	if p == nil || *p >= lo && *p <= hi {
		return
	}
	v.fail(cpath(i, "healthCheck."+member), code, "The health check "+member+" of container "+quote(c.Name)+" is "+itoa(*p)+unit+"; it must be "+itoa(lo)+" to "+itoa(hi)+unit+".", "")
}

// checkUlimits checks rule 39: ulimit names.
func (v *validator) checkUlimits(i int, c *ContainerDefinition) {
	for j, u := range c.Ulimits {
		if !u.Name.Known() {
			v.fail(celem(i, "ulimits", j, "name"), codeUlimitName, "Ulimit name "+quote(string(u.Name))+" of container "+quote(c.Name)+" is not one of core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending or stack.", "")
		}
	}
}

// checkEnvironmentFiles checks rule 40: at most 10 files, of type s3,
// named *.env.
func (v *validator) checkEnvironmentFiles(i int, c *ContainerDefinition) {
	if n := len(c.EnvironmentFiles); n > maxEnvironmentFiles {
		v.fail(cpath(i, "environmentFiles"), codeEnvFilesCount, "Container "+quote(c.Name)+" has "+itoa(n)+" environment files; at most 10 are allowed.", "")
	}
	for j, f := range c.EnvironmentFiles {
		if f.Type != EnvironmentFileTypeS3 {
			v.fail(celem(i, "environmentFiles", j, "type"), codeEnvFileType, "Environment file type "+quote(string(f.Type))+" of container "+quote(c.Name)+" is not s3, the only type.", "")
		}
		if !strings.HasSuffix(f.Value, ".env") {
			v.fail(celem(i, "environmentFiles", j, "value"), codeEnvFileExtension, "Environment file "+quote(f.Value)+" of container "+quote(c.Name)+" does not have the .env extension.", "")
		}
	}
}

// checkSecrets checks rule 40 for secrets or log secretOptions: name and
// valueFrom set, valueFrom a Secrets Manager or SSM reference.
func (v *validator) checkSecrets(path string, secrets []Secret) {
	for j, s := range secrets {
		if s.Name == "" {
			v.fail(indexPath(path, j)+".name", codeSecretRequired, "A secret has no name.", "")
		}
		switch {
		case s.ValueFrom == "":
			v.fail(indexPath(path, j)+".valueFrom", codeSecretRequired, "Secret "+quote(s.Name)+" has no valueFrom.", "")
		case !isSecretReference(s.ValueFrom):
			v.fail(indexPath(path, j)+".valueFrom", codeSecretValueFrom, "Secret "+quote(s.Name)+" takes its value from "+quote(s.ValueFrom)+", which is neither a Secrets Manager or SSM Parameter Store ARN nor an SSM parameter name.", "")
		}
	}
}

// isSecretReference reports whether s is a Secrets Manager or SSM ARN, or
// an SSM parameter name (letters, digits, _ . - and /).
func isSecretReference(s string) bool {
	if hasFoldPrefix(s, "arn:") {
		parts := strings.SplitN(s, ":", 6)
		return len(parts) == 6 && (parts[2] == "secretsmanager" || parts[2] == "ssm") && parts[5] != ""
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isNameByte(c) && c != '.' && c != '/' {
			return false
		}
	}
	return true
}

// checkSecretsNeedExecutionRole checks that secrets come with an
// execution role (rule 40), once for the task.
func (v *validator) checkSecretsNeedExecutionRole() {
	if v.td.ExecutionRoleARN != "" {
		return
	}
	for i := range v.td.ContainerDefinitions {
		c := &v.td.ContainerDefinitions[i]
		var path string
		switch {
		case len(c.Secrets) > 0:
			path = containerPath(i) + ".secrets"
		case c.LogConfiguration != nil && len(c.LogConfiguration.SecretOptions) > 0:
			path = containerPath(i) + ".logConfiguration.secretOptions"
		default:
			continue
		}
		v.fail(path, codeSecretExecutionRole, "Container "+quote(c.Name)+" has secrets but the task has no executionRoleArn to read them with.", "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.")
		return
	}
}

// checkLinuxParameters checks rule 41.
func (v *validator) checkLinuxParameters(i int, c *ContainerDefinition) {
	lp := c.LinuxParameters
	if lp == nil {
		return
	}
	if caps := lp.Capabilities; caps != nil {
		v.checkCapabilities(i, "linuxParameters.capabilities.add", caps.Add)
		v.checkCapabilities(i, "linuxParameters.capabilities.drop", caps.Drop)
	}
	for j, d := range lp.Devices {
		v.checkDevice(i, j, d)
	}
	for j, t := range lp.Tmpfs {
		if t.ContainerPath == "" {
			v.fail(celem(i, "linuxParameters.tmpfs", j, "containerPath"), codeTmpfs, "A tmpfs mount of container "+quote(c.Name)+" has no containerPath.", "")
		}
		if t.Size <= 0 {
			v.fail(celem(i, "linuxParameters.tmpfs", j, "size"), codeTmpfs, "A tmpfs mount of container "+quote(c.Name)+" has size "+itoa(t.Size)+" MiB; a positive size is required.", "")
		}
	}
	if lp.MaxSwap != nil && *lp.MaxSwap < 0 {
		v.fail(cpath(i, "linuxParameters.maxSwap"), codeMaxSwap, "maxSwap of container "+quote(c.Name)+" is "+itoa(*lp.MaxSwap)+"; it must be 0 (no swap) or positive.", "")
	}
	if lp.Swappiness != nil && (*lp.Swappiness < 0 || *lp.Swappiness > maxSwappiness) {
		v.fail(cpath(i, "linuxParameters.swappiness"), codeSwappiness, "swappiness of container "+quote(c.Name)+" is "+itoa(*lp.Swappiness)+"; it must be 0 to 100.", "")
	}
}

func (v *validator) checkCapabilities(i int, list string, caps []string) {
	for j, c := range caps {
		if !isKernelCapability(c) {
			v.fail(celem(i, list, j, ""), codeCapability, "Kernel capability "+quote(c)+" is not one the API accepts (ALL, CHOWN, NET_ADMIN, SYS_PTRACE, ..., written without CAP_).", "")
		}
	}
}

func (v *validator) checkDevice(i, j int, d Device) {
	if d.HostPath == "" {
		v.fail(celem(i, "linuxParameters.devices", j, "hostPath"), codeDeviceHostPath, "A device has no hostPath.", "")
	}
	for k, p := range d.Permissions {
		if !p.Known() {
			v.fail(indexPath(celem(i, "linuxParameters.devices", j, "permissions"), k), codeDevicePermission, "Device permission "+quote(string(p))+" is not one of read, write or mknod.", "")
		}
	}
}

// isKernelCapability reports whether s is one of the KernelCapabilities
// values the API lists.
func isKernelCapability(s string) bool {
	switch s {
	case "ALL", "AUDIT_CONTROL", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE",
		"DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
		"LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE",
		"NET_BROADCAST", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN",
		"SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE",
		"SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM":
		return true
	}
	return false
}

// checkResourceRequirements checks rule 42 for one container.
func (v *validator) checkResourceRequirements(i int, c *ContainerDefinition) {
	for j, rr := range c.ResourceRequirements {
		switch rr.Type {
		case ResourceTypeGPU:
			if n, ok := smallUint(rr.Value); !ok || n < 1 {
				v.fail(celem(i, "resourceRequirements", j, "value"), codeGPUValue, "GPU count "+quote(rr.Value)+" of container "+quote(c.Name)+" is not a positive whole number.", "")
			}
		case ResourceTypeInferenceAccelerator:
			if !v.hasInferenceAccelerator(rr.Value) {
				v.fail(celem(i, "resourceRequirements", j, "value"), codeInferenceAccel, "Inference accelerator "+quote(rr.Value)+" of container "+quote(c.Name)+" is not the deviceName of one of the task's inferenceAccelerators.", "")
			}
		case resourceTypeNeuronDevice:
			v.checkNeuronDevice(i, j, c, rr)
		default:
			v.fail(celem(i, "resourceRequirements", j, "type"), codeResourceType, "Resource type "+quote(string(rr.Type))+" of container "+quote(c.Name)+" is not one of GPU, InferenceAccelerator or NeuronDevice.", "")
		}
	}
}

func (v *validator) hasInferenceAccelerator(name string) bool {
	for _, ia := range v.td.InferenceAccelerators {
		if ia.DeviceName == name {
			return true
		}
	}
	return false
}

func (v *validator) checkNeuronDevice(i, j int, c *ContainerDefinition, rr ResourceRequirement) {
	if rr.Value != "ALL" {
		v.fail(celem(i, "resourceRequirements", j, "value"), codeNeuronDevice, "NeuronDevice value "+quote(rr.Value)+" of container "+quote(c.Name)+" must be ALL.", "")
	}
	if v.has(ltEC2 | ltFargate | ltExternal) {
		v.fail(celem(i, "resourceRequirements", j, "type"), codeNeuronDevice, "Container "+quote(c.Name)+" requests NeuronDevice, which only Managed Instances support.", "")
	}
}

// checkNeuronDevices checks that at most one container requests
// NeuronDevice (rule 42).
func (v *validator) checkNeuronDevices() {
	first := -1
	for i := range v.td.ContainerDefinitions {
		c := &v.td.ContainerDefinitions[i]
		for j, rr := range c.ResourceRequirements {
			if rr.Type != resourceTypeNeuronDevice {
				continue
			}
			if first >= 0 && first != i {
				v.fail(celem(i, "resourceRequirements", j, ""), codeNeuronDevice, "Container "+quote(c.Name)+" requests NeuronDevice, as container "+quote(v.td.ContainerDefinitions[first].Name)+" does; at most one container per task may.", "")
			}
			if first < 0 {
				first = i
			}
		}
	}
}

// checkLogConfiguration checks rule 43's driver names, the awslogs
// options ECS requires, and the secret options.
func (v *validator) checkLogConfiguration(i int, c *ContainerDefinition) {
	lc := c.LogConfiguration
	if lc == nil {
		return
	}
	switch {
	case lc.LogDriver == "":
		v.fail(cpath(i, "logConfiguration.logDriver"), codeLogDriver, "The log configuration of container "+quote(c.Name)+" has no logDriver.", "")
	case !lc.LogDriver.Known() && lc.LogDriver != logDriverLogentries:
		v.fail(cpath(i, "logConfiguration.logDriver"), codeLogDriver, "Log driver "+quote(string(lc.LogDriver))+" of container "+quote(c.Name)+" is not one of awslogs, fluentd, gelf, json-file, journald, logentries, splunk, syslog or awsfirelens.", "")
	case lc.LogDriver == LogDriverAwslogs:
		v.checkAwslogsOptions(i, c, lc)
	}
	if len(lc.SecretOptions) > 0 {
		v.checkSecrets(cpath(i, "logConfiguration.secretOptions"), lc.SecretOptions)
	}
}

func (v *validator) checkAwslogsOptions(i int, c *ContainerDefinition, lc *LogConfiguration) {
	region, group := lc.Options["awslogs-region"] != "", lc.Options["awslogs-group"] != ""
	if region && group {
		return
	}
	var missing []string
	if !region {
		missing = append(missing, "awslogs-region")
	}
	if !group {
		missing = append(missing, "awslogs-group")
	}
	if len(missing) > 0 {
		list := strings.Join(missing, ", ")
		v.fail(cpath(i, "logConfiguration.options"), codeAwslogsOptions, "The awslogs log driver of container "+quote(c.Name)+" needs the options "+list+".", "Log driver awslogs requires options: "+list)
	}
}
