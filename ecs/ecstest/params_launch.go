package ecstest

import (
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// fargatePlatformVersions are the Fargate platform versions a request
// may name: LATEST, the Linux versions 1.4.0 (which LATEST is) and 1.3.0
// and the ones before them, and Windows' 1.0.0 (the Developer Guide's
// platform-linux-fargate and platform-windows-fargate pages).
var fargatePlatformVersions = []string{"LATEST", "1.4.0", "1.3.0", "1.2.0", "1.1.0", "1.0.0"}

// checkPlatformVersion checks the platformVersion of a request that
// runs tasks with launch type lt (as resolved): a platform version is
// "only specified for tasks hosted on Fargate" (RunTask, CreateService),
// and ECS refuses one for another launch type in these words; on Fargate
// a version that does not exist is a PlatformUnknownException.
func checkPlatformVersion(lt ecs.LaunchType, pv string) error {
	switch {
	case pv == "":
		return nil
	case lt != ecs.LaunchTypeFargate:
		return invalidParameter("The platform version must be null when specifying an %s launch type.", lt)
	case !slices.Contains(fargatePlatformVersions, pv):
		return apiErrorf(ecs.PlatformUnknownException, ecs.ErrNotFound, "The specified platform does not exist.")
	}
	return nil
}
