package ecstest

import (
	"fmt"

	"github.com/ecscore/ecscore/ecs"
)

// Exception types of the ECS API that package ecs does not name (yet), and
// those of the JSON protocol itself.
// TODO(ecs): move the API's own exception names beside ecs.ClientException.
const (
	clusterContainsInstancesException = "ClusterContainsContainerInstancesException"
	targetNotFoundException           = "TargetNotFoundException"
	attributeLimitExceededException   = "AttributeLimitExceededException"
	unknownOperationException         = "UnknownOperationException"
	serializationException            = "SerializationException"
	requestTooLargeException          = "RequestEntityTooLargeException"
)

func apiErrorf(typ string, cause error, format string, args ...any) error {
	return ecs.NewAPIError(typ, fmt.Sprintf(format, args...), cause)
}

func invalidParameter(format string, args ...any) error {
	return apiErrorf(ecs.InvalidParameterException, ecs.ErrInvalid, format, args...)
}

func clientError(format string, args ...any) error {
	return apiErrorf(ecs.ClientException, ecs.ErrInvalid, format, args...)
}

func clusterNotFound() error {
	return ecs.NewAPIError(ecs.ClusterNotFoundException, "Cluster not found.", ecs.ErrNotFound)
}

// notImplemented answers an operation of the ECS API that ecstest does not
// serve yet: a 400 UnsupportedFeatureException that says so, never a
// pretence of success.
func notImplemented(op string) error {
	why := "it is outside what ecstest serves"
	if s := schedulerNeeds(op); s != "" {
		why = "it needs " + s + ", which ecstest does not have yet"
	}
	return apiErrorf(ecs.UnsupportedFeatureException, nil,
		"ecstest does not implement %s: %s.", op, why)
}

// schedulerNeeds names what an operation that waits for the scheduling
// packages needs, or "" for an operation outside ecstest's scope.
func schedulerNeeds(op string) string {
	switch op {
	case "RunTask", "StartTask":
		return "placement and the task lifecycle"
	case "StopTask", "ListTasks", "DescribeTasks":
		return "the task lifecycle"
	case "CreateService", "UpdateService", "DeleteService", "ListServices", "DescribeServices":
		return "the deploy package's service scheduler"
	case "CreateCapacityProvider", "UpdateCapacityProvider", "DeleteCapacityProvider",
		"DescribeCapacityProviders", "PutClusterCapacityProviders":
		return "the capacity package"
	}
	return ""
}
