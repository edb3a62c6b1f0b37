package deploy

import (
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// State is everything Step reads: the service with its deployments, the
// service's tasks, the cluster, the signals from outside ECS (target
// health, alarms), the time, and what the scheduler remembered from its
// previous step. Step never changes a State.
type State struct {
	// Service is the service as describe-services shows it, with its
	// deployments (the PRIMARY one first) and deploymentConfiguration.
	Service *ecs.Service
	// Tasks are the service's tasks as describe-tasks shows them,
	// including those STOPPED since the previous step. A task belongs to
	// the deployment its startedBy names.
	Tasks []ecs.Task
	// TaskDefinitions holds the deployments' task definitions by ARN.
	TaskDefinitions map[string]*ecs.TaskDefinition
	// Instances are the cluster's container instances; Step reads their
	// ARN, status (DRAINING) and attributes (the Availability Zone), and
	// Placer decides the rest.
	Instances []ecs.ContainerInstance
	// Placer places tasks on the snapshot of the cluster for this step.
	Placer Placer
	// Targets is the load balancer's view of each task, by task ARN,
	// for a service with load balancers. A task it does not list is in
	// the "initial" state.
	Targets map[string]TargetHealth
	// Discovery is the Cloud Map view of the tasks of a service with
	// serviceRegistries: by task ARN, the ARN of the registry (Cloud Map
	// service) whose health check the task fails; a task it does not list
	// passes. Such a task is unhealthy, is replaced, and adds one to the
	// circuit breaker's count (stage two: "Elastic Load Balancing, Cloud
	// Map service health checks, container health checks", the developer
	// guide's "How the Amazon ECS deployment circuit breaker detects
	// failures": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
	Discovery map[string]string
	// Alarms names the deployment's CloudWatch alarms that are in ALARM.
	Alarms []string
	// Hold, when it is the ID of the PRIMARY deployment, makes that
	// deployment scale up to the desired count beside the tasks of the
	// older deployments, whatever maximumPercent says, and stop none of
	// them: the green service revision of a BLUE_GREEN, LINEAR or CANARY
	// deployment runs beside the blue one until the deployment's clean-up
	// (the developer guide's "Amazon ECS blue/green service deployments
	// workflow": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html).
	// The deployment cannot complete while the older tasks run. Another
	// deployment (a rollback) is not held.
	Hold string
	// HoldStart, with Hold, keeps the held deployment from starting any
	// task yet: the stages before SCALE_UP, when "the green service
	// revision has not started" (the API reference's
	// ServiceDeployment.lifecycleStage).
	HoldStart bool
	// Now is the time of the step.
	Now time.Time
	// Memory is what the previous step returned; its zero value is a
	// scheduler that has never run (use NewMemory to seed it).
	Memory Memory
	// Options tune the parts of ECS's behaviour that are quotas.
	Options Options
}

// TargetState is an Elastic Load Balancing target's health state.
type TargetState string

// Target states, as ELB names them.
const (
	TargetInitial   TargetState = "initial"
	TargetHealthy   TargetState = "healthy"
	TargetUnhealthy TargetState = "unhealthy"
	TargetDraining  TargetState = "draining"
)

// TargetHealth is a task's health in its load balancer's target group.
type TargetHealth struct {
	State          TargetState
	TargetGroupARN string
}

// Options tune quotas and timings ECS does not let a user set.
type Options struct {
	// LaunchRate is the number of tasks the scheduler may launch for the
	// service per minute. 0 means the quota: 500 on Fargate, 250
	// otherwise (rule 153); negative means no limit.
	LaunchRate int
	// BakeTime is how long a deployment with CloudWatch alarms stays in
	// steady state before it is COMPLETED (rule 125). 0 means none.
	BakeTime time.Duration
}

// Result is what ECS does in one step: the tasks it stops and starts, the
// service with its deployments as they are after the step, the events it
// writes, and what it remembers for the next step.
type Result struct {
	// Stop lists the tasks to stop, to be applied before Start.
	Stop []Stop
	// Start lists the tasks to start, with where each goes.
	Start []Start
	// Service is the service after the step: its deployments' status,
	// rolloutState, counts and failedTasks, its counts, and its events
	// with this step's prepended (newest first, 100 at most).
	Service *ecs.Service
	// Events are the service events of this step, oldest first.
	Events []ecs.ServiceEvent
	// Kinds are the kinds of Events: Kinds[i] is what Events[i] reports.
	// Pick events by kind, not by their text.
	Kinds []EventKind
	// Memory is the Memory of the next step's State.
	Memory Memory
	// Views is how the step found each task of State.Tasks, in order, as
	// ViewTasks gives it: a caller that reports on steps need not work it
	// out again.
	Views []TaskView
	// Wake, when not zero, is when the step should run again even if no
	// task changes: a task passes the 40-second rule, a grace period or a
	// launch back-off ends.
	Wake time.Time
	// Blocked reports that the deployment needs a change the deployment
	// configuration forbids (for example 100/100): ECS has written its
	// event and waits for the user.
	Blocked bool
}

// Start is a task to start.
type Start struct {
	PlacedTask
	TaskDefinitionARN string
	// StartedBy is the deployment ID, as ECS writes it on service tasks.
	StartedBy string
	// Group is the task group, service:<name>.
	Group      string
	LaunchType ecs.LaunchType
}

// Stop is a task to stop, with the stop code and reason ECS writes.
type Stop struct {
	TaskARN  string
	StopCode ecs.TaskStopCode
	Reason   string
}
