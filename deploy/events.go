package deploy

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
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
	// EventOther is an event of no kind below, such as a Placer's own
	// text for a task it cannot place.
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

// The event texts, by kind. Each constructor below writes its event from
// one of these formats and eventKind recognises it by the same format, so
// the two cannot drift apart. The first verb of each is the service name.
const (
	fmtStarted          = "(service %s) has started %d tasks: %s."
	fmtStopped          = "(service %s) has stopped %d running tasks: %s."
	fmtHealth           = "(service %s) (task %s) failed container health checks."
	fmtELBHealth        = "(service %s) (task %s) failed ELB health checks in (target-group %s)."
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
func startedEvent(svc string, ids []string) string {
	return fmt.Sprintf(fmtStarted, svc, len(ids), taskList(ids))
}

// stoppedEvent returns "(service X) has stopped N running tasks: (task a)."
func stoppedEvent(svc string, ids []string) string {
	return fmt.Sprintf(fmtStopped, svc, len(ids), taskList(ids))
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

func healthEvent(svc, taskID string) string {
	return fmt.Sprintf(fmtHealth, svc, taskID)
}

func elbHealthEvent(svc, taskID, group string) string {
	return fmt.Sprintf(fmtELBHealth, svc, taskID, group)
}

func steadyEvent(svc string) string {
	return fmt.Sprintf(fmtSteady, svc)
}

func completedEvent(svc, dep string) string {
	return fmt.Sprintf(fmtCompleted, svc, dep)
}

func failedEvent(svc, dep string) string {
	return fmt.Sprintf(fmtFailed, svc, dep)
}

func alarmFailedEvent(svc, dep string) string {
	return fmt.Sprintf(fmtAlarmFailed, svc, dep)
}

func rollbackEvent(svc, dep string) string {
	return fmt.Sprintf(fmtRollback, svc, dep)
}

func blockedEvent(svc string) string {
	return fmt.Sprintf(fmtBlocked, svc)
}

func throttleEvent(svc string) string {
	return fmt.Sprintf(fmtThrottle, svc)
}

// unplacedEvent is the placement package's sentence, written when the
// Placer gives no event of its own.
func unplacedEvent(svc string) string {
	return placement.UnableToPlaceEvent(svc)
}

// The events of Availability Zone rebalancing (rule 105), as the
// developer guide's track-service-rebalancing page lists them and ECS
// writes them.
func unbalancedEvent(svc, counts string) string {
	return fmt.Sprintf(fmtUnbalanced, svc, counts)
}

func balancedEvent(svc, counts string) string {
	return fmt.Sprintf(fmtBalanced, svc, counts)
}

func rebalanceStartedEvent(svc, az, taskID string) string {
	return fmt.Sprintf(fmtRebalanceStarted, svc, az, taskID)
}

func rebalanceStoppedEvent(svc, az, taskID string) string {
	return fmt.Sprintf(fmtRebalanceStopped, svc, az, taskID)
}

func unplacedInZoneEvent(svc, az string) string {
	return fmt.Sprintf(fmtUnplacedInZone, svc, az)
}

// eventFormats gives each format its kind.
var eventFormats = []struct {
	kind   EventKind
	format string
}{
	{EventStarted, fmtStarted},
	{EventStopped, fmtStopped},
	{EventUnhealthy, fmtHealth},
	{EventUnhealthy, fmtELBHealth},
	{EventSteadyState, fmtSteady},
	{EventDeploymentCompleted, fmtCompleted},
	{EventDeploymentFailed, fmtFailed},
	{EventDeploymentFailed, fmtAlarmFailed},
	{EventRollingBack, fmtRollback},
	{EventBlocked, fmtBlocked},
	{EventThrottled, fmtThrottle},
	{EventAZUnbalanced, fmtUnbalanced},
	{EventAZBalanced, fmtBalanced},
	{EventRebalanceStarted, fmtRebalanceStarted},
	{EventRebalanceStopped, fmtRebalanceStopped},
	{EventUnableToPlace, fmtUnplacedInZone},
}

// eventPatterns are eventFormats as whole-message patterns, each with the
// service name as its first group.
var eventPatterns = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(eventFormats))
	for i, f := range eventFormats {
		p := regexp.QuoteMeta(f.format)
		p = strings.Replace(p, "%s", `([^()]+)`, 1)
		p = strings.ReplaceAll(p, "%s", `(.+)`)
		p = strings.ReplaceAll(p, "%d", `([0-9]+)`)
		out[i] = regexp.MustCompile("^" + p + "$")
	}
	return out
}()

// eventKind returns the kind of an event of service svc that Step wrote:
// that of the one format the message is written from. The Placer's event
// for a task that fits nowhere opens with placement's sentence and goes
// on in the Placer's words.
func eventKind(svc, msg string) EventKind {
	if strings.HasPrefix(msg, unplacedEvent(svc)) {
		return EventUnableToPlace
	}
	for i, re := range eventPatterns {
		if m := re.FindStringSubmatch(msg); m != nil && m[1] == svc {
			return eventFormats[i].kind
		}
	}
	return EventOther
}

// eventKinds returns the kinds of the events of service svc.
func eventKinds(svc string, events []ecs.ServiceEvent) []EventKind {
	out := make([]EventKind, len(events))
	for i := range events {
		out[i] = eventKind(svc, events[i].Message)
	}
	return out
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

func elbStopReason(group string) string {
	return "Task failed ELB health checks in (target-group " + group + ")"
}

// repeatAfter is how long ECS waits before it writes a repeating event
// (placement failure, back-off, blocked deployment) again; the console
// suppresses duplicates for six hours (rule 115).
const repeatAfter = 6 * time.Hour
