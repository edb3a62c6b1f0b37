// Package rollout predicts how a rolling deployment of an ECS service
// goes: Simulate updates a service to a new task definition and runs the
// ECS service scheduler (package deploy) in the in-memory ECS of package
// ecstest, on its virtual clock, until the deployment completes, fails or
// gets stuck, and reports each step.
//
//	rep, err := rollout.Simulate(ctx, svc, v1, v2, instances)
//
// The simulation is ecstest's world, not a model of its own: tasks go
// through ecstest's lifecycle with the delays of an ecstest.Timing
// (Timing gives the classic one: 30 s to RUNNING, the stop timeout to
// stop), turn healthy by their health checks or the 40-second rule,
// fail as ecstest.TaskFaults say (WithFaults), and are placed by the
// cluster's placement engine. The scheduler steps when a task of the
// service changes and when a step asks to be woken, once all that happens
// at that instant has happened; Report.Steps has one entry per step.
//
// # Vocabulary
//
//   - Old and new: the tasks of the task definition the service ran
//     before (from) and of the one it rolls out (to). Counts tallies each
//     as the scheduler does (deploy.ViewTasks).
//   - Outcome: Completed when the new deployment reaches steady state;
//     Failed when the circuit breaker or an alarm fails it (RolledBack
//     tells whether a rollback followed, and a simulation with a rollback
//     ends when the rollback does); Stuck when nothing will change any
//     more (the deployment configuration forbids the next move, or no
//     task can be placed) or the time limit (WithMaxTime) passed.
package rollout
