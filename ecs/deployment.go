package ecs

// Defaults of a deployment configuration's percentages, as the ECS API
// applies them when a service leaves them unset (rules 117
// to 119). The console's default minimumHealthyPercent for a DAEMON
// service, 50, is not the API's.
const (
	DefaultReplicaMinimumHealthyPercent = 100
	DefaultReplicaMaximumPercent        = 200
	DefaultDaemonMinimumHealthyPercent  = 0
	DefaultDaemonMaximumPercent         = 100
)

// DeploymentBounds returns a deployment's limits in tasks for a service
// with the given desired count: at least minimum = ⌈desired ×
// minimumHealthyPercent / 100⌉ healthy RUNNING tasks (rule 118) and at
// most maximum = ⌊desired × maximumPercent / 100⌋ tasks RUNNING or PENDING
// (rule 117). A maximum below desired means the deployment stops tasks
// before it starts new ones. A negative product counts as 0.
func DeploymentBounds(desired, minimumHealthyPercent, maximumPercent int) (minimum, maximum int) {
	if n := desired * minimumHealthyPercent; n > 0 {
		minimum = (n + 99) / 100
	}
	if n := desired * maximumPercent; n > 0 {
		maximum = n / 100
	}
	return minimum, maximum
}

// DeploymentPercentages returns cfg's minimumHealthyPercent and
// maximumPercent, with the defaults for the scheduling strategy where cfg
// (which may be nil) leaves them unset: 100 and 200 for REPLICA (and an
// empty strategy), 0 and 100 for DAEMON.
func DeploymentPercentages(strategy SchedulingStrategy, cfg *DeploymentConfiguration) (minimumHealthyPercent, maximumPercent int) {
	minimumHealthyPercent, maximumPercent = DefaultReplicaMinimumHealthyPercent, DefaultReplicaMaximumPercent
	if strategy == SchedulingStrategyDaemon {
		minimumHealthyPercent, maximumPercent = DefaultDaemonMinimumHealthyPercent, DefaultDaemonMaximumPercent
	}
	if cfg != nil && cfg.MinimumHealthyPercent != nil {
		minimumHealthyPercent = *cfg.MinimumHealthyPercent
	}
	if cfg != nil && cfg.MaximumPercent != nil {
		maximumPercent = *cfg.MaximumPercent
	}
	return minimumHealthyPercent, maximumPercent
}
