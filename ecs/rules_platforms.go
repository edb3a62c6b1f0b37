package ecs

// checkWindows checks what Windows containers do not support, on every
// launch type (rules 28, 30, 31, 39, 48, 50, 51, 69).
func (v *validator) checkWindows() {
	v.checkUnsupported(windowsParams, codeWindowsUnsupported, "Windows")
	if v.td.PidMode != "" {
		v.unsupportedTask("pidMode", codeWindowsUnsupported, "Windows")
	}
	if v.td.IpcMode != "" {
		v.unsupportedTask("ipcMode", codeWindowsUnsupported, "Windows")
	}
	mode := v.td.NetworkMode
	if v.has(ltEC2|ltExternal|ltManaged) && mode != "" && mode != NetworkModeAwsvpc {
		v.fail("networkMode", codeWindowsNetworkMode, "Network mode "+string(mode)+" is not available to Windows containers; omit it (NAT) or use awsvpc.", "")
	}
}

// checkManagedInstances checks what the Managed Instances developer guide
// lists as invalid in its tasks, and its network modes.
func (v *validator) checkManagedInstances() {
	const platform = "Managed Instances"
	td := v.td
	v.checkUnsupported(managedParams, codeManagedUnsupported, platform)
	for _, m := range [...]struct {
		path string
		set  bool
	}{
		{"ephemeralStorage", td.EphemeralStorage != nil},
		{"inferenceAccelerators", len(td.InferenceAccelerators) > 0},
		{"ipcMode", td.IpcMode != ""},
		{"proxyConfiguration", td.ProxyConfiguration != nil},
	} {
		if m.set {
			v.unsupportedTask(m.path, codeManagedUnsupported, platform)
		}
	}
	for i := range td.Volumes {
		v.checkManagedVolume(i, &td.Volumes[i])
	}
	if td.NetworkMode == NetworkModeBridge || td.NetworkMode == NetworkModeNone {
		v.fail("networkMode", codeManagedNetworkMode, "Network mode "+string(td.NetworkMode)+" is not available on Managed Instances, which use awsvpc or host.", "")
	}
}

func (v *validator) checkManagedVolume(i int, vol *Volume) {
	path := indexPath("volumes", i)
	if vol.Host != nil && vol.Host.SourcePath != "" {
		v.unsupportedTask(path+".host.sourcePath", codeManagedUnsupported, "Managed Instances")
	}
	if vol.DockerVolumeConfiguration != nil {
		v.unsupportedTask(path+".dockerVolumeConfiguration", codeManagedUnsupported, "Managed Instances")
	}
	if vol.FsxWindowsFileServerVolumeConfiguration != nil {
		v.unsupportedTask(path+".fsxWindowsFileServerVolumeConfiguration", codeManagedUnsupported, "Managed Instances")
	}
}
