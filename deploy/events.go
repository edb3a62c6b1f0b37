package deploy

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecscore/ecscore/placement"
)

// The texts ECS writes, as service events (the API's ServiceEvent.message)
// and deployment rolloutStateReason values. "(service X)" names the service.
// Those the issue and the developer guide quote are ECS's own; the ELB
// health and alarm texts are this package's, in the same style.

// EventKind is what a service event of a step reports, so that callers
// can pick events without reading their text: Result.Kinds gives the kind
// of each of Result.Events.
type EventKind string

// The kinds of the events Step writes.
const (
	// EventOther is an event of no kind below. Step writes none: each of
	// its events has one of the kinds below.
	EventOther EventKind = ""
	// EventStarted and EventStopped list tasks the step started or
	// stopped, ten at most an event: "(service X) has started N tasks:
	// (task a) …".
	EventStarted EventKind = "started"
	EventStopped EventKind = "stopped"
	// EventUnhealthy: a task failed its container or ELB health checks.
	EventUnhealthy EventKind = "unhealthy"
	// EventSteadyState: the service has reached a steady state.
	EventSteadyState EventKind = "steady-state"
	// EventDeploymentCompleted, EventDeploymentFailed (tasks failed to
	// start, or an alarm) and EventRollingBack: the deployment's outcome.
	EventDeploymentCompleted EventKind = "deployment-completed"
	EventDeploymentFailed    EventKind = "deployment-failed"
	EventRollingBack         EventKind = "rolling-back"
	// EventBlocked: the deployment configuration forbids the next move.
	EventBlocked EventKind = "blocked"
	// EventThrottled: the launch back-off (tasks keep failing to start).
	EventThrottled EventKind = "throttled"
	// EventUnableToPlace: a task fits no container instance (in the
	// cluster, or in the zone Availability Zone rebalancing chose).
	EventUnableToPlace EventKind = "unable-to-place"
	// Availability Zone rebalancing (rule 105): the service is not
	// balanced and rebalancing starts, it is balanced again, and the task
	// started in the zone with the fewest tasks and the one stopped in the
	// zone with the most. The last two name their task instead of an
	// EventStarted or EventStopped event.
	EventAZUnbalanced     EventKind = "az-unbalanced"
	EventAZBalanced       EventKind = "az-balanced"
	EventRebalanceStarted EventKind = "rebalance-started"
	EventRebalanceStopped EventKind = "rebalance-stopped"
)

// event is a service event a step writes: what it reports and its text.
// The constructors below give each event its kind where they write its
// text, so that no one reads the text back.
type event struct {
	kind EventKind
	msg  string
}

// The event texts. Each constructor below writes its event from one of
// these formats, with the kind of that format. The first verb of each is
// the service name.
const (
	fmtStarted          = "(service %s) has started %d tasks: %s."
	fmtStopped          = "(service %s) has stopped %d running tasks: %s."
	fmtHealth           = "(service %s) (task %s) failed container health checks."
	fmtELBHealth        = "(service %s) (task %s) failed ELB health checks in (target-group %s)."
	fmtDiscoveryHealth  = "(service %s) (task %s) failed Cloud Map health checks in (service-registry %s)."
	fmtSteady           = "(service %s) has reached a steady state."
	fmtCompleted        = "(service %s) (deployment %s) deployment completed."
	fmtFailed           = "(service %s) (deployment %s) deployment failed: tasks failed to start."
	fmtAlarmFailed      = "(service %s) (deployment %s) deployment failed: alarm detected."
	fmtRollback         = "(service %s) rolling back to deployment %s."
	fmtBlocked          = "(service %s) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again."
	fmtThrottle         = "(service %s) is unable to consistently start tasks successfully."
	fmtUnbalanced       = "(service %s) is not AZ balanced with %s. AZ Rebalancing in progress."
	fmtBalanced         = "(service %s) is AZ balanced with %s."
	fmtRebalanceStarted = "(service %s) has started 1 tasks in %s to AZ Rebalance: (task %s)."
	fmtRebalanceStopped = "(service %s) has stopped 1 running tasks in %s due to AZ rebalancing: (task %s)."
	fmtUnplacedInZone   = "(service %s) is unable to place a task in %s because no container instance met all of its requirements."
)

// startedEvent returns "(service X) has started N tasks: (task a) (task b)."
func startedEvent(svc string, ids []string) event {
	return event{EventStarted, fmt.Sprintf(fmtStarted, svc, len(ids), taskList(ids))}
}

// stoppedEvent returns "(service X) has stopped N running tasks: (task a)."
func stoppedEvent(svc string, ids []string) event {
	return event{EventStopped, fmt.Sprintf(fmtStopped, svc, len(ids), taskList(ids))}
}

func taskList(ids []string) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("(task ")
		b.WriteString(id)
		b.WriteByte(')')
	}
	return b.String()
}

// tasksPerEvent is how many tasks one started or stopped event lists; a
// step that starts more writes several events, as ECS launches tasks in
// batches of ten (the RunTask limit, rule 148).
const tasksPerEvent = 10

func healthEvent(svc, taskID string) event {
	return event{EventUnhealthy, fmt.Sprintf(fmtHealth, svc, taskID)}
}

// discoveryHealthEvent is the event of a task replaced because it fails
// its Cloud Map health check. ECS does not document its wording; this one
// follows the ELB event's, naming the Cloud Map service (registry).
func discoveryHealthEvent(svc, taskID, registry string) event {
	return event{EventUnhealthy, fmt.Sprintf(fmtDiscoveryHealth, svc, taskID, registry)}
}

func elbHealthEvent(svc, taskID, group string) event {
	return event{EventUnhealthy, fmt.Sprintf(fmtELBHealth, svc, taskID, group)}
}

func steadyEvent(svc string) event {
	return event{EventSteadyState, fmt.Sprintf(fmtSteady, svc)}
}

func completedEvent(svc, dep string) event {
	return event{EventDeploymentCompleted, fmt.Sprintf(fmtCompleted, svc, dep)}
}

func failedEvent(svc, dep string) event {
	return event{EventDeploymentFailed, fmt.Sprintf(fmtFailed, svc, dep)}
}

func alarmFailedEvent(svc, dep string) event {
	return event{EventDeploymentFailed, fmt.Sprintf(fmtAlarmFailed, svc, dep)}
}

func rollbackEvent(svc, dep string) event {
	return event{EventRollingBack, fmt.Sprintf(fmtRollback, svc, dep)}
}

func blockedEvent(svc string) event {
	return event{EventBlocked, fmt.Sprintf(fmtBlocked, svc)}
}

func throttleEvent(svc string) event {
	return event{EventThrottled, fmt.Sprintf(fmtThrottle, svc)}
}

// unplacedEvent is the placement package's sentence, written when the
// Placer gives no event of its own.
func unplacedEvent(svc string) event {
	return event{EventUnableToPlace, placement.UnableToPlaceEvent(svc)}
}

// placerEvent is the Placer's own event for a task it cannot place
// (PlaceResult.Event).
func placerEvent(msg string) event {
	return event{EventUnableToPlace, msg}
}

// The events of Availability Zone rebalancing (rule 105), as the
// developer guide's track-service-rebalancing page lists them and ECS
// writes them.
func unbalancedEvent(svc, counts string) event {
	return event{EventAZUnbalanced, fmt.Sprintf(fmtUnbalanced, svc, counts)}
}

func balancedEvent(svc, counts string) event {
	return event{EventAZBalanced, fmt.Sprintf(fmtBalanced, svc, counts)}
}

func rebalanceStartedEvent(svc, az, taskID string) event {
	return event{EventRebalanceStarted, fmt.Sprintf(fmtRebalanceStarted, svc, az, taskID)}
}

func rebalanceStoppedEvent(svc, az, taskID string) event {
	return event{EventRebalanceStopped, fmt.Sprintf(fmtRebalanceStopped, svc, az, taskID)}
}

func unplacedInZoneEvent(svc, az string) event {
	return event{EventUnableToPlace, fmt.Sprintf(fmtUnplacedInZone, svc, az)}
}

// Reasons written on deployments and stopped tasks.
func inProgressReason(dep string) string { return "ECS deployment " + dep + " in progress." }
func completedReason(dep string) string  { return "ECS deployment " + dep + " completed." }

const (
	breakerFailedReason = "ECS deployment circuit breaker: tasks failed to start."
	healthStopReason    = "Task failed container health checks"
)

func alarmFailedReason(names []string) string {
	return "ECS deployment alarm: " + strings.Join(names, ", ") + " in ALARM state."
}

func rollbackReason(byAlarm bool, dep string) string {
	if byAlarm {
		return "ECS deployment alarm: rolling back to deploymentId " + dep + "."
	}
	return "ECS deployment circuit breaker: rolling back to deploymentId " + dep + "."
}

func scalingReason(dep string) string {
	return "Scaling activity initiated by (deployment " + dep + ")"
}

// discoveryStopReason is the stoppedReason of a task replaced because it
// fails its Cloud Map health check (wording not documented by ECS; it
// follows elbStopReason's).
func discoveryStopReason(registry string) string {
	return "Task failed Cloud Map health checks in (service-registry " + registry + ")"
}

func elbStopReason(group string) string {
	return "Task failed ELB health checks in (target-group " + group + ")"
}

// repeatAfter is how long ECS waits before it writes a repeating event
// (placement failure, back-off, blocked deployment) again; the console
// suppresses duplicates for six hours (rule 115).
const repeatAfter = 6 * time.Hour
