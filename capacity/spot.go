package capacity

import (
	"strconv"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// FARGATE_SPOT interruption (rule 67).
const (
	// SpotWarning is the notice ECS gives before Fargate reclaims a Spot
	// task's capacity.
	SpotWarning = 2 * time.Minute
	// SpotStoppedReason is the stoppedReason of an interrupted Spot task.
	SpotStoppedReason = "Your Spot Task was interrupted."
	// MaxStopTimeout is the longest stopTimeout Fargate honours.
	MaxStopTimeout = 2 * time.Minute
	// DefaultStopTimeout is the stopTimeout of a container that sets none.
	DefaultStopTimeout = 30 * time.Second
)

// SpotInterruption is the event a simulation injects to interrupt a
// FARGATE_SPOT task: at At, ECS sends the two-minute warning (an
// EventBridge task state change) and SIGTERM to the task's containers;
// SIGKILL follows after their stopTimeout; the task stops with stop code
// SpotInterruption and SpotStoppedReason. A service then starts a
// replacement on FARGATE_SPOT if capacity allows.
type SpotInterruption struct {
	TaskARN string
	At      time.Time
}

// StopCode returns the task's stop code. The current TaskStopCode enum has
// SpotInterruption; a 2023 example showed TerminationNotice.
func (SpotInterruption) StopCode() ecs.TaskStopCode {
	return ecs.TaskStopCodeSpotInterruption
}

// ReclaimAt returns when Fargate takes the capacity back: At + SpotWarning.
func (e SpotInterruption) ReclaimAt() time.Time {
	return e.At.Add(SpotWarning)
}

// KillAt returns when the containers get SIGKILL: At + stopTimeout, with 0
// meaning DefaultStopTimeout and no more than MaxStopTimeout.
func (e SpotInterruption) KillAt(stopTimeout time.Duration) time.Time {
	if stopTimeout <= 0 {
		stopTimeout = DefaultStopTimeout
	}
	return e.At.Add(min(stopTimeout, MaxStopTimeout))
}

// Apply marks task as ECS does when the warning comes: desired status
// STOPPED, stopping from At, with the interruption's stop code and reason.
// The task's last status is the caller's to move on as its containers
// stop. A nil task is left alone.
func (e SpotInterruption) Apply(task *ecs.Task) {
	if task == nil {
		return
	}
	task.DesiredStatus = ecs.DesiredStatusStopped
	task.StopCode = e.StopCode()
	task.StoppedReason = SpotStoppedReason
	task.StoppingAt = ecs.NewTime(e.At)
}

// SpotSupported reports whether FARGATE_SPOT runs a task of os family and
// arch on platform version pv: Linux X86_64 on 1.3.0 or later, Linux ARM64
// on 1.4.0 or later, never Windows. An empty pv or "LATEST" means 1.4.0.
func SpotSupported(os ecs.OSFamily, arch ecs.CPUArchitecture, pv string) bool {
	if (Platform{OS: os}).os() == osWindows {
		return false
	}
	if pv == "" || pv == "LATEST" {
		pv = "1.4.0"
	}
	switch arch {
	case "", ecs.CPUArchitectureX86_64:
		return versionAtLeast(pv, 1, 3)
	case ecs.CPUArchitectureArm64:
		return versionAtLeast(pv, 1, 4)
	}
	return false
}

// versionAtLeast reports whether the platform version v ("1.4.0") is at
// least major.minor.
func versionAtLeast(v string, major, minor int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || ma == major && mi >= minor
}
