package ecstest

import (
	"unicode/utf8"

	"github.com/ecscore/ecscore/ecs"
)

// The rules of RunTask's and StartTask's parameters that the API
// reference states and that placement.ValidateRunTask and checkLaunch do
// not cover.
const (
	// maxStartedBy is the longest startedBy: "Up to 128 letters
	// (uppercase and lowercase), numbers, hyphens (-), forward slash
	// (/), and underscores (_) are allowed." (API_RunTask.html). Only
	// the length is checked: AWS's own callers write other characters
	// (Step Functions' tasks are startedBy "AWS Step Functions").
	maxStartedBy = 128
	// maxTaskClientToken is the longest clientToken RunTask takes: "Up
	// to 64 characters are allowed. The valid characters are characters
	// in the range of 33-126, inclusive."
	maxTaskClientToken = 64
)

// checkTaskMembers checks what a RunTask request (or StartTask's, as
// one) gives beside the placement: the client token, startedBy, execute
// command and the volumes configured at launch, against td.
func checkTaskMembers(req *ecs.RunTaskRequest, td *ecs.TaskDefinition) error {
	if err := checkClientToken(req.ClientToken, maxTaskClientToken); err != nil {
		return err
	}
	if utf8.RuneCountInString(req.StartedBy) > maxStartedBy {
		// In ECS's words for this limit when it was 36.
		return invalidParameter("startedBy longer than %d.", maxStartedBy)
	}
	if req.EnableExecuteCommand && td.TaskRoleARN == "" && (req.Overrides == nil || req.Overrides.TaskRoleARN == "") {
		// RunTask's enableExecuteCommand: "If true, then the task
		// definition must have a task role, or you must provide one as
		// an override." In ECS's words.
		return invalidParameter("The execute command failed because a valid task role is not being used. Specify a valid task role in your task definition or as a task override and try again.")
	}
	names := make([]string, len(req.VolumeConfigurations))
	for i, v := range req.VolumeConfigurations {
		names[i] = v.Name
	}
	return checkVolumeConfigurations(td, names)
}

// checkTaskFilter checks ListTasks' filters: "When you specify startedBy
// as the filter, it must be the only filter that you use."
// (API_ListTasks.html). ECS refuses startedBy with family, serviceName,
// containerInstance or launchType in the words below (its answer in
// github.com/aws/aws-sdk-go-v2/issues/1893), and takes it with
// desiredStatus, which selects rather than filters (ListTasks defaults
// it to RUNNING).
func checkTaskFilter(f taskFilter) error {
	if f.StartedBy != "" && (f.Family != "" || f.ServiceName != "" || f.ContainerInstance != "" || f.LaunchType != "") {
		return invalidParameter("cannot specify startedBy with other arguments")
	}
	return nil
}
