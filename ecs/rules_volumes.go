package ecs

import (
	"errors"

	"github.com/ecscore/ecscore/ecs/cql"
)

// Limits of task placement constraints (rule 52).
const (
	maxPlacementConstraints = 10
	maxExpressionLength     = 2000
)

// checkVolumes checks rules 34 and 35: volume names, Docker volume scope
// and autoprovision, and EFS transit encryption.
func (v *validator) checkVolumes() {
	for i := range v.td.Volumes {
		vol := &v.td.Volumes[i]
		switch {
		case vol.Name == "":
			v.fail(volumePath(i, "name"), codeVolumeName, "Volume "+itoa(i)+" has no name; mount points refer to volumes by name.", "")
		case !isName(vol.Name):
			v.fail(volumePath(i, "name"), codeVolumeName, "Volume name "+quote(vol.Name)+" must be 1 to 255 letters, digits, underscores and hyphens.", "")
		case v.volumeIndex(vol.Name) < i:
			v.fail(volumePath(i, "name"), codeVolumeDuplicate, "Volume name "+quote(vol.Name)+" is also the name of volume "+itoa(v.volumeIndex(vol.Name))+".", "")
		}
		if dv := vol.DockerVolumeConfiguration; dv != nil {
			v.checkDockerVolume(i, vol.Name, dv)
		}
		if efs := vol.EFSVolumeConfiguration; efs != nil {
			v.checkEFSVolume(i, vol.Name, efs)
		}
	}
}

// volumePath is the path of member of volume i.
func volumePath(i int, member string) string {
	return indexPath("volumes", i) + "." + member
}

func (v *validator) checkDockerVolume(i int, name string, dv *DockerVolumeConfiguration) {
	if dv.Scope != "" && !dv.Scope.Known() {
		v.fail(volumePath(i, "dockerVolumeConfiguration.scope"), codeVolumeScope, "Docker volume scope "+quote(string(dv.Scope))+" of volume "+quote(name)+" is not task or shared.", "")
	}
	if dv.Autoprovision != nil && *dv.Autoprovision && dv.Scope != ScopeShared {
		v.fail(volumePath(i, "dockerVolumeConfiguration.autoprovision"), codeVolumeAutoprovision, "Volume "+quote(name)+" sets autoprovision, which is valid only with scope shared.", "")
	}
}

func (v *validator) checkEFSVolume(i int, name string, efs *EFSVolumeConfiguration) {
	if efs.FileSystemID == "" {
		v.fail(volumePath(i, "efsVolumeConfiguration.fileSystemId"), codeEFSFileSystemRequired, "The EFS volume "+quote(name)+" has no fileSystemId.", "")
	}
	if efs.TransitEncryption == EFSTransitEncryptionEnabled {
		return
	}
	if ac := efs.AuthorizationConfig; ac != nil && (ac.IAM == EFSAuthorizationConfigIAMEnabled || ac.AccessPointID != "") {
		what := "an access point"
		if ac.IAM == EFSAuthorizationConfigIAMEnabled {
			what = "IAM authorization"
		}
		v.fail(volumePath(i, "efsVolumeConfiguration.transitEncryption"), codeEFSTransitEncryption, "The EFS volume "+quote(name)+" uses "+what+", which needs transitEncryption ENABLED.", "")
	}
}

// checkPlacementConstraints checks rule 52: at most 10 memberOf
// constraints, each with an expression of at most 2000 characters that
// the cluster query language parses.
func (v *validator) checkPlacementConstraints() {
	pcs := v.td.PlacementConstraints
	if len(pcs) > maxPlacementConstraints {
		v.fail("placementConstraints", codeConstraintTooMany, "The task definition has "+itoa(len(pcs))+" placement constraints; at most 10 are allowed.", "")
	}
	for i, pc := range pcs {
		if pc.Type != TaskDefinitionPlacementConstraintTypeMemberOf {
			v.fail(indexPath("placementConstraints", i)+".type", codeConstraintType, "Placement constraint type "+quote(string(pc.Type))+" is not memberOf, the only type a task definition allows.", "")
		}
		v.checkExpression(i, pc.Expression)
	}
}

func (v *validator) checkExpression(i int, expr string) {
	path := indexPath("placementConstraints", i) + ".expression"
	switch {
	case expr == "":
		v.fail(path, codeConstraintExpression, "The memberOf constraint has no expression.", "")
	case len(expr) > maxExpressionLength:
		v.fail(path, codeConstraintLength, "The expression is "+itoa(len(expr))+" characters long; at most 2000 are allowed.", "")
	default:
		if _, err := cql.Parse(expr); err != nil {
			v.fail(path, codeConstraintExpression, expressionMessage(expr, err), "")
		}
	}
}

// expressionMessage describes a parse error, with its position.
func expressionMessage(expr string, err error) string {
	var ce *cql.Error
	if !errors.As(err, &ce) {
		return "Expression " + quote(expr) + " is not valid: " + err.Error() + "."
	}
	msg := "Expression " + quote(expr) + " is not valid at character " + itoa(int(ce.Pos)+1)
	if ce.Token != "" {
		msg += " (" + quote(ce.Token) + ")"
	}
	return msg + ": " + ce.Msg + "."
}
