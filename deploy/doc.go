// Package deploy is the ECS service scheduler: replica and daemon
// reconciliation, rolling deployments within minimumHealthyPercent and
// maximumPercent, health and its grace period, the launch back-off, the
// deployment circuit breaker, alarm failure detection and rollback, and
// the service events ECS writes. It decides what the service needs; where
// tasks go is the placement package's business, reached through the
// Placer interface. Its entry points: Step (one step of the scheduler,
// state in, decision out), Driver (steps run against a Runtime the caller
// implements) and PlacementPlacer (placement's engine as the Placer).
//
// # The reconcile loop
//
//	Runtime.Observe: tasks, instances, target health, alarms, hold
//	        │
//	        ▼
//	State{Service, Tasks, Instances, Targets, Alarms, Hold, Now, Memory, Placer}
//	        │
//	        ▼
//	Step (pure: state in, actions out)
//	  1. take in tasks stopped or newly healthy since the last step
//	     (circuit breaker stage one, launch back-off)
//	  2. stop PENDING tasks on DRAINING instances
//	  3. replace tasks failing health checks (circuit breaker stage two)
//	  4. circuit breaker or alarm fired: FAILED, and rollback
//	  5. REPLICA: stop surplus down to the minimum healthy, start up to
//	     the maximum (Placer.Place, Placer.SelectStop), scale in and out
//	     DAEMON: one task on each eligible instance (Placer.Eligible)
//	  6. INACTIVE and COMPLETED deployments, steady state; in steady
//	     state, Availability Zone rebalancing: start in the zone with the
//	     fewest tasks, then stop in the zone with the most; events
//	        │
//	        ▼
//	Result{Stop, Start, Service, Events, Memory, Wake, Blocked}
//	        │
//	        ▼
//	Runtime.StopTask, then Runtime.StartTask
//	  (a call fails: keep what was applied, observe again, step again)
//	        │
//	        ▼
//	Clock.Wait(Result.Wake, Runtime.Changes()) ──► back to Runtime.Observe
//
// The package has no runtime of its own: the caller's Runtime and Clock
// are the world. The in-memory ECS of package ecs/ecstest runs each of
// its services with a Driver whose Runtime is its cluster and whose Clock
// is its virtual clock, and package rollout predicts a rolling deployment
// on it (rollout.Simulate). ViewTasks tells how a step counts each task
// (pending, running, stopping; healthy or not), for reports of the steps.
//
// # Vocabulary
//
//   - Deployment: one task definition the service runs, as the API's
//     Deployment. The newest is PRIMARY; older ones that still have tasks
//     are ACTIVE; one whose tasks are all gone is INACTIVE and leaves the
//     list. Its rolloutState goes IN_PROGRESS → COMPLETED, or FAILED.
//   - Live task: a task the scheduler counts toward maximumPercent, in
//     PROVISIONING, PENDING, ACTIVATING or RUNNING and not asked to stop.
//     A task the scheduler has stopped no longer counts, though it holds
//     its instance's resources until it is STOPPED.
//   - Healthy task: a RUNNING task that counts toward minimumHealthyPercent
//     (rule 110): RUNNING for 40 seconds without health checks or load
//     balancer; HEALTHY with an essential container health check; healthy
//     in its target group (and HEALTHY, with checks) behind a load
//     balancer.
//   - Bounds: minimum = ⌈desired × minimumHealthyPercent / 100⌉ healthy
//     tasks, maximum = ⌊desired × maximumPercent / 100⌋ live tasks.
//   - Surplus: live tasks of older deployments, of no deployment, or on
//     instances that are not ACTIVE. Surplus tasks that are not healthy go
//     at once; healthy ones while more than the minimum remain healthy.
//   - Hold: the PRIMARY deployment State.Hold names scales up to its
//     desired count beside the older deployments' tasks, which are not
//     surplus until the hold ends (HoldStart: it starts none yet). The
//     caller holds the green revision of a BLUE_GREEN, LINEAR or CANARY
//     deployment this way while it runs the lifecycle stages and shifts
//     traffic (package ecs/ecstest).
//   - Blocked: a deployment the bounds keep from moving (100/100; 3 tasks
//     at 100/125): no start fits under the maximum, no stop keeps the
//     minimum, and no task is on its way to healthy. ECS writes its event
//     once and waits.
//   - Circuit breaker: a count of the primary deployment's failed tasks
//     (Deployment.failedTasks): tasks that stop before RUNNING (stage one)
//     and tasks stopped for failing health checks (stage two). A healthy
//     task resets it (resetOnHealthyTask). At Threshold the deployment is
//     FAILED and, with rollback, a new deployment of the last COMPLETED
//     one's task definition takes over the tasks that deployment left.
//   - Launch back-off: after consecutive tasks that fail to start, new
//     launches wait LaunchDelay (rule 113); a new deployment or a healthy
//     task resets it.
//   - Zone rebalancing (availabilityZoneRebalancing ENABLED, rule 105):
//     in steady state, when the primary deployment's tasks in the zones
//     of the eligible instances differ by more than one, one task starts
//     in the zone with the fewest and, once it is healthy, one stops in
//     the zone with the most, within maximumPercent and
//     minimumHealthyPercent, until the zones are balanced. See
//     DefaultAvailabilityZoneRebalancing for the services it supports.
//   - Memory: what a step hands the next that the API does not show (the
//     tasks already counted, the back-off, the seeded ID sequence).
//
// # Sources and choices
//
// The rules are 102 to 129, restated with their sources in the module's
// RULES.md. Where ECS documents nothing, this
// package chooses, and says so where it does:
//
//   - maximumPercent counts tasks RUNNING or PENDING, not those the
//     scheduler has asked to stop, so one step may stop old tasks and
//     start new ones in their place (rule 117; the 2023 guide also counted
//     STOPPING tasks).
//   - Deployment.failedTasks is the circuit breaker's count.
//   - The circuit breaker threshold rounds up (open point 8).
//   - The launch back-off schedule (LaunchDelay) and the launch rate of
//     250 tasks a minute (500 on Fargate, rule 153) pace launches.
//   - A started or stopped event lists at most ten tasks.
//   - A rollback deployment adopts the running tasks of the deployment it
//     returns to, so a rollback after a failure to start stops only the
//     failed deployment's tasks.
//   - The texts of ELB health, alarm and range-validation messages are
//     this package's (see the constants and functions that write them).
//   - Zone rebalancing breaks ties between zones by name, lists zones in
//     its events most tasks first, gives its stops the scheduler's usual
//     reason, and leaves Fargate services alone (their zones come from
//     subnets, which this package does not model).
package deploy
