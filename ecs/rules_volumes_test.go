package ecs

import "testing"

func TestVolumeRules(t *testing.T) { runRuleCases(t, volumeRuleCases()) }

func withVolumes(vols ...Volume) func(td *TaskDefinition) {
	return func(td *TaskDefinition) { td.Volumes = vols }
}

// volumeRuleCases covers rules 34, 35 and the volume parts of 57.
func volumeRuleCases() []ruleCase {
	shared, task := ScopeShared, ScopeTask
	return []ruleCase{
		{name: "volume names", rule: 34, lt: onEC2, edit: withVolumes(Volume{Name: "data"}, Volume{}, Volume{Name: "my data"}, Volume{Name: "data"}),
			want: []wantFinding{wantErr(codeVolumeName, "volumes[1].name"), wantErr(codeVolumeName, "volumes[2].name"), wantErr(codeVolumeDuplicate, "volumes[3].name")}},
		{name: "Docker volumes", rule: 35, lt: onEC2, edit: withVolumes(
			Volume{Name: "a", DockerVolumeConfiguration: &DockerVolumeConfiguration{Scope: shared, Autoprovision: vBool(true), Driver: "local"}},
			Volume{Name: "b", DockerVolumeConfiguration: &DockerVolumeConfiguration{Scope: task}})},
		{name: "Docker volume scope and autoprovision", rule: 35, lt: onEC2, edit: withVolumes(
			Volume{Name: "a", DockerVolumeConfiguration: &DockerVolumeConfiguration{Scope: "global"}},
			Volume{Name: "b", DockerVolumeConfiguration: &DockerVolumeConfiguration{Scope: task, Autoprovision: vBool(true)}},
			Volume{Name: "c", DockerVolumeConfiguration: &DockerVolumeConfiguration{Autoprovision: vBool(true)}}),
			want: []wantFinding{wantErr(codeVolumeScope, "volumes[0].dockerVolumeConfiguration.scope"),
				wantErr(codeVolumeAutoprovision, "volumes[1].dockerVolumeConfiguration.autoprovision"),
				wantErr(codeVolumeAutoprovision, "volumes[2].dockerVolumeConfiguration.autoprovision")}},
		{name: "EFS volumes", rule: 35, lt: onAll, edit: withVolumes(
			Volume{Name: "a", EFSVolumeConfiguration: &EFSVolumeConfiguration{FileSystemID: "fs-1"}},
			Volume{Name: "b", EFSVolumeConfiguration: &EFSVolumeConfiguration{FileSystemID: "fs-1", TransitEncryption: EFSTransitEncryptionEnabled,
				AuthorizationConfig: &EFSAuthorizationConfig{IAM: EFSAuthorizationConfigIAMEnabled, AccessPointID: "fsap-1"}}})},
		{name: "EFS volumes without transit encryption", rule: 35, lt: onAll, edit: withVolumes(
			Volume{Name: "a", EFSVolumeConfiguration: &EFSVolumeConfiguration{FileSystemID: "fs-1",
				AuthorizationConfig: &EFSAuthorizationConfig{IAM: EFSAuthorizationConfigIAMEnabled}}},
			Volume{Name: "b", EFSVolumeConfiguration: &EFSVolumeConfiguration{TransitEncryption: EFSTransitEncryptionDisabled,
				AuthorizationConfig: &EFSAuthorizationConfig{AccessPointID: "fsap-1"}}}),
			want: []wantFinding{wantErr(codeEFSTransitEncryption, "volumes[0].efsVolumeConfiguration.transitEncryption"),
				wantErr(codeEFSTransitEncryption, "volumes[1].efsVolumeConfiguration.transitEncryption"),
				wantErr(codeEFSFileSystemRequired, "volumes[1].efsVolumeConfiguration.fileSystemId")}},
		{name: "bind mount without source path on Fargate", rule: 57, lt: onFargate, edit: withVolumes(Volume{Name: "scratch", Host: &HostVolumeProperties{}})},
		{name: "host source path and Docker volume on Fargate", rule: 57, lt: onFargate, edit: withVolumes(
			Volume{Name: "logs", Host: &HostVolumeProperties{SourcePath: "/var/log"}},
			Volume{Name: "cache", DockerVolumeConfiguration: &DockerVolumeConfiguration{Scope: task}}),
			want: []wantFinding{wantErr(codeFargateHostPath, "volumes[0].host.sourcePath"), wantErr(codeFargateDockerVolume, "volumes[1].dockerVolumeConfiguration")}},
		{name: "host source path on EC2 and External", rule: 35, lt: []Compatibility{CompatibilityEC2, CompatibilityExternal},
			edit: withVolumes(Volume{Name: "logs", Host: &HostVolumeProperties{SourcePath: "/var/log"}})},
	}
}
