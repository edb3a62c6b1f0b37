package ecs

// param is a container definition member that some platforms do not
// support.
type param uint8

// Container members that Fargate, Windows or Managed Instances reject.
const (
	paramDisableNetworking param = iota
	paramDNSSearchDomains
	paramDNSServers
	paramDockerSecurityOptions
	paramExtraHosts
	paramLinks
	paramPrivileged
	paramHostname
	paramDockerLabels
	paramUlimits
	paramLinuxParameters
	paramMaxSwap
	paramSwappiness
	paramDevices
	paramSharedMemorySize
	paramTmpfs
	paramCount
)

// paramSet is a set of params as bits.
type paramSet uint32

// The members each platform rejects: Fargate (rules 56, 57), Windows
// (rules 28, 30, 31, 39 and the API's ContainerDefinition), Managed
// Instances (its developer guide).
const (
	fargateParams paramSet = 1<<paramDisableNetworking | 1<<paramDNSSearchDomains | 1<<paramDNSServers |
		1<<paramDockerSecurityOptions | 1<<paramExtraHosts | 1<<paramLinks | 1<<paramPrivileged |
		1<<paramMaxSwap | 1<<paramSwappiness | 1<<paramDevices | 1<<paramSharedMemorySize | 1<<paramTmpfs
	windowsParams paramSet = 1<<paramDisableNetworking | 1<<paramDNSSearchDomains | 1<<paramDNSServers |
		1<<paramExtraHosts | 1<<paramLinks | 1<<paramPrivileged | 1<<paramUlimits | 1<<paramLinuxParameters
	managedParams paramSet = 1<<paramDisableNetworking | 1<<paramDNSSearchDomains | 1<<paramDNSServers |
		1<<paramDockerSecurityOptions | 1<<paramExtraHosts | 1<<paramLinks | 1<<paramHostname |
		1<<paramDockerLabels | 1<<paramMaxSwap | 1<<paramSwappiness | 1<<paramSharedMemorySize | 1<<paramTmpfs
	// awsvpcParams are reported by the awsvpc rules (28, 29, 30) already.
	awsvpcParams paramSet = 1<<paramExtraHosts | 1<<paramLinks | 1<<paramHostname
)

// member returns the param's path below a container definition.
func (p param) member() string {
	switch p {
	case paramDisableNetworking:
		return "disableNetworking"
	case paramDNSSearchDomains:
		return "dnsSearchDomains"
	case paramDNSServers:
		return "dnsServers"
	case paramDockerSecurityOptions:
		return "dockerSecurityOptions"
	case paramExtraHosts:
		return "extraHosts"
	case paramLinks:
		return "links"
	case paramPrivileged:
		return "privileged"
	case paramHostname:
		return "hostname"
	case paramDockerLabels:
		return "dockerLabels"
	case paramUlimits:
		return "ulimits"
	case paramLinuxParameters:
		return "linuxParameters"
	case paramMaxSwap:
		return "linuxParameters.maxSwap"
	case paramSwappiness:
		return "linuxParameters.swappiness"
	case paramDevices:
		return "linuxParameters.devices"
	case paramSharedMemorySize:
		return "linuxParameters.sharedMemorySize"
	case paramTmpfs:
		return "linuxParameters.tmpfs"
	}
	return ""
}

// setIn reports whether c sets the param: a true boolean, a non-empty
// list or map, or any value of another member.
func (p param) setIn(c *ContainerDefinition) bool {
	lp := c.LinuxParameters
	switch p {
	case paramDisableNetworking:
		return c.DisableNetworking != nil && *c.DisableNetworking
	case paramDNSSearchDomains:
		return len(c.DNSSearchDomains) > 0
	case paramDNSServers:
		return len(c.DNSServers) > 0
	case paramDockerSecurityOptions:
		return len(c.DockerSecurityOptions) > 0
	case paramExtraHosts:
		return len(c.ExtraHosts) > 0
	case paramLinks:
		return len(c.Links) > 0
	case paramPrivileged:
		return c.Privileged != nil && *c.Privileged
	case paramHostname:
		return c.Hostname != ""
	case paramDockerLabels:
		return len(c.DockerLabels) > 0
	case paramUlimits:
		return len(c.Ulimits) > 0
	case paramLinuxParameters:
		return lp != nil
	case paramMaxSwap:
		return lp != nil && lp.MaxSwap != nil
	case paramSwappiness:
		return lp != nil && lp.Swappiness != nil
	case paramDevices:
		return lp != nil && len(lp.Devices) > 0
	case paramSharedMemorySize:
		return lp != nil && lp.SharedMemorySize != nil
	case paramTmpfs:
		return lp != nil && len(lp.Tmpfs) > 0
	}
	return false
}

// checkUnsupported reports each member of set that a container sets,
// with code, saying that platform does not support it.
func (v *validator) checkUnsupported(set paramSet, code, platform string) {
	if v.mode == NetworkModeAwsvpc {
		set &^= awsvpcParams
	}
	if v.mode != NetworkModeBridge {
		set &^= 1 << paramLinks // links.network-mode reports them
	}
	for i := range v.td.ContainerDefinitions {
		c := &v.td.ContainerDefinitions[i]
		for p := param(0); p < paramCount; p++ {
			if set&(1<<p) != 0 && p.setIn(c) {
				v.fail(containerPath(i)+"."+p.member(), code, "Container "+quote(c.Name)+" sets "+p.member()+", which "+platform+" does not support.", "")
			}
		}
	}
}

// unsupportedTask reports a task-level member that platform does not
// support.
func (v *validator) unsupportedTask(path, code, platform string) {
	v.fail(path, code, "The task definition sets "+path+", which "+platform+" does not support.", "")
}
