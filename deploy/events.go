package deploy

import (
	"fmt"
	"strings"
	"time"
)

// The texts ECS writes, as service events (the API's ServiceEvent.message)
// and deployment rolloutStateReason values. "(service X)" names the service.
// Those the issue and the developer guide quote are ECS's own; the ELB
// health and alarm texts are this package's, in the same style.

// startedEvent returns "(service X) has started N tasks: (task a) (task b)."
func startedEvent(svc string, ids []string) string {
	return fmt.Sprintf("(service %s) has started %d tasks: %s.", svc, len(ids), taskList(ids))
}

// stoppedEvent returns "(service X) has stopped N running tasks: (task a)."
func stoppedEvent(svc string, ids []string) string {
	return fmt.Sprintf("(service %s) has stopped %d running tasks: %s.", svc, len(ids), taskList(ids))
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
	return fmt.Sprintf("(service %s) (task %s) failed container health checks.", svc, taskID)
}

func elbHealthEvent(svc, taskID, group string) string {
	return fmt.Sprintf("(service %s) (task %s) failed ELB health checks in (target-group %s).", svc, taskID, group)
}

func steadyEvent(svc string) string {
	return fmt.Sprintf("(service %s) has reached a steady state.", svc)
}

func completedEvent(svc, dep string) string {
	return fmt.Sprintf("(service %s) (deployment %s) deployment completed.", svc, dep)
}

func failedEvent(svc, dep string) string {
	return fmt.Sprintf("(service %s) (deployment %s) deployment failed: tasks failed to start.", svc, dep)
}

func alarmFailedEvent(svc, dep string) string {
	return fmt.Sprintf("(service %s) (deployment %s) deployment failed: alarm detected.", svc, dep)
}

func rollbackEvent(svc, dep string) string {
	return fmt.Sprintf("(service %s) rolling back to deployment %s.", svc, dep)
}

func blockedEvent(svc string) string {
	return fmt.Sprintf("(service %s) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.", svc)
}

func throttleEvent(svc string) string {
	return fmt.Sprintf("(service %s) is unable to consistently start tasks successfully.", svc)
}

func unplacedEvent(svc string) string {
	return fmt.Sprintf("(service %s) was unable to place a task because no container instance met all of its requirements.", svc)
}

// The events of Availability Zone rebalancing (rule 105), as the
// developer guide's track-service-rebalancing page lists them and ECS
// writes them.
func unbalancedEvent(svc, counts string) string {
	return fmt.Sprintf("(service %s) is not AZ balanced with %s. AZ Rebalancing in progress.", svc, counts)
}

func balancedEvent(svc, counts string) string {
	return fmt.Sprintf("(service %s) is AZ balanced with %s.", svc, counts)
}

func rebalanceStartedEvent(svc, az, taskID string) string {
	return fmt.Sprintf("(service %s) has started 1 tasks in %s to AZ Rebalance: (task %s).", svc, az, taskID)
}

func rebalanceStoppedEvent(svc, az, taskID string) string {
	return fmt.Sprintf("(service %s) has stopped 1 running tasks in %s due to AZ rebalancing: (task %s).", svc, az, taskID)
}

func unplacedInZoneEvent(svc, az string) string {
	return fmt.Sprintf("(service %s) is unable to place a task in %s because no container instance met all of its requirements.", svc, az)
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
