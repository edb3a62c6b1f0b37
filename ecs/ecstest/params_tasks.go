package ecstest

import (
	"strconv"
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
	if req.Overrides != nil {
		for i, co := range req.Overrides.ContainerOverrides {
			if err := checkContainerOverride(i, co); err != nil {
				return err
			}
		}
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

// The ephemeral storage a task may have (API_EphemeralStorage.html:
// "The minimum supported value is 21 GiB and the maximum supported value
// is 200 GiB.").
const (
	minEphemeralGiB = 21
	maxEphemeralGiB = 200
)

// checkOverrides checks a RunTask or StartTask request's overrides for a
// task of td run with launch type lt, as TaskOverride and
// EphemeralStorage state them: ephemeral storage only on Fargate and of
// 21 to 200 GiB, and a task size override on Fargate one of Fargate's
// sizes. (checkContainerOverride checks the container overrides.)
func checkOverrides(o *ecs.TaskOverride, td *ecs.TaskDefinition, lt ecs.LaunchType) error {
	if o == nil {
		return nil
	}
	if es := o.EphemeralStorage; es != nil {
		switch {
		case lt != ecs.LaunchTypeFargate:
			return invalidParameter("overrides.ephemeralStorage is only supported for tasks hosted on Fargate.")
		case es.SizeInGiB < minEphemeralGiB || es.SizeInGiB > maxEphemeralGiB:
			return invalidParameter("overrides.ephemeralStorage.sizeInGiB must be from %d to %d, not %d.", minEphemeralGiB, maxEphemeralGiB, es.SizeInGiB)
		}
	}
	if lt == ecs.LaunchTypeFargate && (o.CPU != "" || o.Memory != "") {
		return checkFargateOverride(o, td)
	}
	return nil
}

// checkFargateOverride checks that a Fargate task's size, with the
// overrides' cpu and memory, is one of Fargate's.
func checkFargateOverride(o *ecs.TaskOverride, td *ecs.TaskDefinition) error {
	cpu, mem := td.CPU, td.Memory
	if o.CPU != "" {
		cpu = o.CPU
	}
	if o.Memory != "" {
		mem = o.Memory
	}
	c, cerr := ecs.ParseCPU(cpu)
	m, merr := ecs.ParseMemory(mem)
	var os ecs.OSFamily
	if td.RuntimePlatform != nil {
		os = td.RuntimePlatform.OperatingSystemFamily
	}
	if cerr != nil || merr != nil || !ecs.IsFargateSize(c, m, os) {
		return invalidParameter("The task's cpu %q and memory %q, with the overrides, are not a size Fargate runs: see the Fargate task sizes.", cpu, mem)
	}
	return nil
}

// checkContainerOverride checks a container override as
// ContainerOverride states it: naming its container ("This parameter is
// required if any override is specified."), no negative CPU or memory, a
// memory reservation no larger than the memory, and GPUs the only
// resource requirement ("The only supported resource is a GPU.").
func checkContainerOverride(i int, co ecs.ContainerOverride) error {
	field := "overrides.containerOverrides[" + strconv.Itoa(i) + "]"
	switch {
	case co.Name == "":
		return invalidParameter("%s.name is required if any override is specified.", field)
	case co.CPU != nil && *co.CPU < 0:
		return invalidParameter("%s.cpu must not be negative.", field)
	case co.Memory != nil && *co.Memory < 0, co.MemoryReservation != nil && *co.MemoryReservation < 0:
		return invalidParameter("%s: memory and memoryReservation must not be negative.", field)
	case co.Memory != nil && co.MemoryReservation != nil && *co.MemoryReservation > *co.Memory:
		return invalidParameter("%s.memoryReservation %d must not be more than its memory %d.", field, *co.MemoryReservation, *co.Memory)
	}
	for _, r := range co.ResourceRequirements {
		if r.Type != ecs.ResourceTypeGPU {
			return invalidParameter("%s.resourceRequirements: the only supported resource is a GPU, not %s.", field, r.Type)
		}
	}
	return nil
}
