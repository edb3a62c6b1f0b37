// Package deploy is the ECS service scheduler: replica and daemon
// reconciliation, rolling deployments within minimumHealthyPercent and
// maximumPercent, health check grace, the deployment circuit breaker and
// rollback, and the service events ECS writes.
//
// It is not implemented yet: the deploy issue fills it.
package deploy
