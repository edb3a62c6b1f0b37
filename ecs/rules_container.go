package ecs

// Container memory guidance (rule 19): Docker 20.10.0 and later reserve at
// least 6 MiB per container.
const minContainerMemory = 6

// checkContainers checks every container definition, then what spans
// containers: essential containers, dependency and link cycles, host
// ports.
func (v *validator) checkContainers() {
	cds := v.td.ContainerDefinitions
	essential := false
	for i := range cds {
		c := &cds[i]
		if isEssential(c) {
			essential = true
		}
		v.checkContainer(i, c)
	}
	if len(cds) > 0 && !essential {
		v.fail("containerDefinitions", codeNoEssential, "No container is essential; at least one container must have essential true (the default).", "Task definition doesn't have any essential container.")
	}
	v.checkDependencyCycles()
	v.checkLinkCycles()
	v.checkHostPortsUnique()
	v.checkSecretsNeedExecutionRole()
	v.checkNeuronDevices()
}

func isEssential(c *ContainerDefinition) bool {
	return c.Essential == nil || *c.Essential
}

// checkContainer checks one container definition's members.
func (v *validator) checkContainer(i int, c *ContainerDefinition) {
	v.checkContainerName(i, c)
	v.checkImage(i, c)
	v.checkContainerMemory(i, c)
	if c.CPU < 0 {
		v.fail(cpath(i, "cpu"), codeContainerCPU, "Container "+quote(c.Name)+" has cpu "+itoa(c.CPU)+"; CPU units cannot be negative.", "")
	}
	v.checkLinks(i, c)
	v.checkContainerNetworking(i, c)
	v.checkPortMappings(i, c)
	v.checkMounts(i, c)
	v.checkHealthCheck(i, c)
	v.checkUlimits(i, c)
	v.checkEnvironmentFiles(i, c)
	if len(c.Secrets) > 0 {
		v.checkSecrets(cpath(i, "secrets"), c.Secrets)
	}
	v.checkLinuxParameters(i, c)
	v.checkResourceRequirements(i, c)
	v.checkLogConfiguration(i, c)
	v.checkDependsOn(i, c)
}

// checkContainerName checks rule 22: a required, well-formed, unique name.
func (v *validator) checkContainerName(i int, c *ContainerDefinition) {
	switch {
	case c.Name == "":
		v.fail(cpath(i, "name"), codeContainerNameRequired, "Container definition "+itoa(i)+" has no name.", "Container.name should not be null or empty.")
	case !isName(c.Name):
		v.fail(cpath(i, "name"), codeContainerNameInvalid, "Container name "+quote(c.Name)+" must be 1 to 255 letters, digits, underscores and hyphens.", "Container.name contains invalid characters.")
	case v.containerIndex(c.Name) < i:
		v.fail(cpath(i, "name"), codeContainerNameDup, "Container name "+quote(c.Name)+" is also the name of container definition "+itoa(v.containerIndex(c.Name))+"; names must be unique in a task definition.", "Container names must be unique within a Task Definition.")
	}
}

// checkImage checks rule 23: a required image in a form the API accepts.
func (v *validator) checkImage(i int, c *ContainerDefinition) {
	if c.Image == "" {
		v.fail(cpath(i, "image"), codeImageRequired, "Container "+quote(c.Name)+" has no image.", "Container.image should not be null or empty.")
		return
	}
	if why := imageProblem(c.Image); why != "" {
		v.fail(cpath(i, "image"), codeImageInvalid, "Image "+quote(c.Image)+" of container "+quote(c.Name)+" is not an image reference: "+why+".", "")
	}
}

// checkContainerMemory checks rules 16, 17, 18 (per container) and 19.
func (v *validator) checkContainerMemory(i int, c *ContainerDefinition) {
	mem, res := intOr0(c.Memory), intOr0(c.MemoryReservation)
	if mem == 0 && res == 0 && v.td.Memory == "" && v.has(ltEC2|ltExternal) {
		v.fail(cpath(i, "memory"), codeMemoryRequired, "Container "+quote(c.Name)+" sets neither memory nor memoryReservation and the task sets no memory; on EC2 and External one of them is required.",
			"Invalid setting for container '"+c.Name+"'. At least one of 'memory' or 'memoryReservation' must be specified.")
	}
	if mem > 0 && res > 0 && (res > mem || v.opts.StrictMemoryReservation && res == mem) {
		rel := "greater than"
		if res == mem {
			rel = "equal to"
		}
		v.fail(cpath(i, "memoryReservation"), codeMemoryReservation, "Container "+quote(c.Name)+" has memoryReservation "+itoa(res)+" MiB "+rel+" its memory limit "+itoa(mem)+" MiB; the soft limit must be below the hard limit.", "")
	}
	if v.taskMem > 0 && mem > v.taskMem {
		v.fail(cpath(i, "memory"), codeMemoryExceedsTask, "Container "+quote(c.Name)+" has memory "+itoa(mem)+" MiB, more than the task's "+itoa(v.taskMem)+" MiB.", "The 'memory' setting for container '"+c.Name+"' is greater than for the task.")
	}
	v.checkMemoryMinimum(i, c.Name, "memory", c.Memory)
	v.checkMemoryMinimum(i, c.Name, "memoryReservation", c.MemoryReservation)
}

func (v *validator) checkMemoryMinimum(i int, name, member string, p *int) {
	if p == nil || *p == 0 || *p >= minContainerMemory {
		return
	}
	msg := "Container " + quote(name) + " has " + member + " " + itoa(*p) + " MiB; Docker reserves at least 6 MiB per container, so do not give less."
	if *p < 0 || v.opts.MinimumMemoryError {
		v.fail(cpath(i, member), codeMemoryMinimum, msg, "")
		return
	}
	v.warn(cpath(i, member), codeMemoryMinimum, msg)
}

func intOr0(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// checkTaskSums checks rule 18: the containers' cpu and memory fit in the
// task's, when the task sets them. A sum equal to the task's value is
// valid unless StrictTaskSums is set.
func (v *validator) checkTaskSums() {
	cds := v.td.ContainerDefinitions
	if v.taskCPU > 0 {
		sum := 0
		for i := range cds {
			sum += max(cds[i].CPU, 0)
		}
		if v.overTask(sum, v.taskCPU) {
			v.fail("cpu", codeTaskCPUSum, "The containers' cpu adds up to "+itoa(sum)+" units, "+v.sumRelation(sum, v.taskCPU)+" the task's "+itoa(v.taskCPU)+".", "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.")
		}
	}
	if v.taskMem > 0 && !v.reported(codeMemoryExceedsTask) {
		sum := 0
		for i := range cds {
			sum += max(containerReservation(&cds[i]), 0)
		}
		if v.overTask(sum, v.taskMem) {
			v.fail("memory", codeTaskMemorySum, "The containers' memory (memoryReservation, else memory) adds up to "+itoa(sum)+" MiB, "+v.sumRelation(sum, v.taskMem)+" the task's "+itoa(v.taskMem)+" MiB.", "")
		}
	}
}

// containerReservation is the memory a container reserves: its
// memoryReservation if set, else its memory.
func containerReservation(c *ContainerDefinition) int {
	if r := intOr0(c.MemoryReservation); r > 0 {
		return r
	}
	return intOr0(c.Memory)
}

func (v *validator) overTask(sum, task int) bool {
	return sum > task || v.opts.StrictTaskSums && sum == task
}

func (v *validator) sumRelation(sum, task int) string {
	if sum == task {
		return "equal to (StrictTaskSums requires less than)"
	}
	return "more than"
}

// reported reports whether a finding with code has been recorded.
func (v *validator) reported(code string) bool {
	for i := range v.findings {
		if v.findings[i].Code == code {
			return true
		}
	}
	return false
}

// indexLimit is the number of containers or volumes above which lookups
// by name use a map rather than a scan.
const indexLimit = 32

// containerIndex returns the index of the first container named name, or
// -1.
func (v *validator) containerIndex(name string) int {
	cds := v.td.ContainerDefinitions
	if len(cds) <= indexLimit {
		for i := range cds {
			if cds[i].Name == name {
				return i
			}
		}
		return -1
	}
	if v.containerNames == nil {
		v.containerNames = make(map[string]int, len(cds))
		for i := len(cds) - 1; i >= 0; i-- {
			v.containerNames[cds[i].Name] = i
		}
	}
	if i, ok := v.containerNames[name]; ok {
		return i
	}
	return -1
}

// checkContainerNetworking checks rules 29, 30, 31 (with StrictAwsvpc)
// and 32.
func (v *validator) checkContainerNetworking(i int, c *ContainerDefinition) {
	if v.mode == NetworkModeAwsvpc {
		if c.Hostname != "" {
			v.fail(cpath(i, "hostname"), codeHostnameAwsvpc, "Container "+quote(c.Name)+" sets hostname "+quote(c.Hostname)+", which awsvpc mode does not support.", "hostname is not supported on container when networkMode=awsvpc.")
		}
		if len(c.ExtraHosts) > 0 {
			v.fail(cpath(i, "extraHosts"), codeExtraHostsAwsvpc, "Container "+quote(c.Name)+" sets extraHosts, which awsvpc mode does not support.", "")
		}
		if v.opts.StrictAwsvpc {
			v.checkAwsvpcDNS(i, c)
		}
	}
	for j, d := range c.DNSSearchDomains {
		if !isDNSSearchDomain(d) {
			v.fail(celem(i, "dnsSearchDomains", j, ""), codeDNSSearchDomain, "DNS search domain "+quote(d)+" must match ^[a-zA-Z0-9-.]{0,253}[a-zA-Z0-9]$.", "")
		}
	}
}

func (v *validator) checkAwsvpcDNS(i int, c *ContainerDefinition) {
	if c.DisableNetworking != nil && *c.DisableNetworking {
		v.fail(cpath(i, "disableNetworking"), codeDNSAwsvpc, "Container "+quote(c.Name)+" sets disableNetworking, which awsvpc mode does not support (StrictAwsvpc).", "")
	}
	if len(c.DNSServers) > 0 {
		v.fail(cpath(i, "dnsServers"), codeDNSAwsvpc, "Container "+quote(c.Name)+" sets dnsServers, which awsvpc mode does not support (StrictAwsvpc).", "")
	}
	if len(c.DNSSearchDomains) > 0 {
		v.fail(cpath(i, "dnsSearchDomains"), codeDNSAwsvpc, "Container "+quote(c.Name)+" sets dnsSearchDomains, which awsvpc mode does not support (StrictAwsvpc).", "")
	}
}

// checkMounts checks rule 33: mount points name a volume of the task and
// volumesFrom a container of the task.
func (v *validator) checkMounts(i int, c *ContainerDefinition) {
	for j, mp := range c.MountPoints {
		if v.volumeIndex(mp.SourceVolume) < 0 {
			v.fail(celem(i, "mountPoints", j, "sourceVolume"), codeMountPointVolume, "Mount point source volume "+quote(mp.SourceVolume)+" of container "+quote(c.Name)+" is not a volume of the task.", "")
		}
	}
	for j, vf := range c.VolumesFrom {
		if v.containerIndex(vf.SourceContainer) < 0 {
			v.fail(celem(i, "volumesFrom", j, "sourceContainer"), codeVolumesFromContainer, "volumesFrom source container "+quote(vf.SourceContainer)+" of container "+quote(c.Name)+" is not a container of the task.", "")
		}
	}
}

// volumeIndex returns the index of the first volume named name, or -1.
func (v *validator) volumeIndex(name string) int {
	vols := v.td.Volumes
	if name == "" {
		return -1
	}
	if len(vols) <= indexLimit {
		for i := range vols {
			if vols[i].Name == name {
				return i
			}
		}
		return -1
	}
	if v.volumeNames == nil {
		v.volumeNames = make(map[string]int, len(vols))
		for i := len(vols) - 1; i >= 0; i-- {
			v.volumeNames[vols[i].Name] = i
		}
	}
	if i, ok := v.volumeNames[name]; ok {
		return i
	}
	return -1
}
