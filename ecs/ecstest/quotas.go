package ecstest

// Quotas are the Amazon ECS service quotas an ECS enforces, with the
// defaults of the quotas table of the ECS developer guide ("Amazon ECS
// service quotas"); a zero field takes its default. An operation that
// would go past one is refused, with nothing changed.
type Quotas struct {
	// ClustersPerRegion is the most clusters not INACTIVE (10,000).
	ClustersPerRegion int
	// InstancesPerCluster is the most container instances registered
	// with a cluster, ACTIVE or DRAINING (5,000).
	InstancesPerCluster int
	// ServicesPerCluster is the most services of a cluster that are not
	// INACTIVE (5,000).
	ServicesPerCluster int
	// TasksPerService is the most a service's desiredCount may be
	// (5,000).
	TasksPerService int
	// ProvisioningTasksPerCluster is the most tasks of a cluster that
	// wait in PROVISIONING for an Auto Scaling group capacity provider's
	// managed scaling (500, rule 157): RunTask is refused past it, and a
	// service waits with the tasks it could not place.
	ProvisioningTasksPerCluster int
}

// DefaultQuotas returns ECS's default quotas.
func DefaultQuotas() Quotas {
	return Quotas{ClustersPerRegion: 10000, InstancesPerCluster: 5000, ServicesPerCluster: 5000, TasksPerService: 5000, ProvisioningTasksPerCluster: 500}
}

func positiveOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// checkClusterQuota refuses a new cluster past ClustersPerRegion. e.mu
// must be held.
func (e *ECS) checkClusterQuota() error {
	n := 0
	for _, cl := range e.clusters {
		if cl.info.Status != statusInactive {
			n++
		}
	}
	if n >= e.quotas.ClustersPerRegion {
		return clientError("The quota of %d clusters per Region is reached.", e.quotas.ClustersPerRegion)
	}
	return nil
}

// checkInstanceQuota refuses n more container instances in cl past
// InstancesPerCluster. e.mu must be held.
func (e *ECS) checkInstanceQuota(cl *cluster, n int) error {
	if cl.registeredCount()+n > e.quotas.InstancesPerCluster {
		return clientError("Cluster %s would have more than %d container instances, the quota of container instances per cluster.",
			cl.info.ClusterName, e.quotas.InstancesPerCluster)
	}
	return nil
}

// checkServiceQuota refuses a new service in cl past ServicesPerCluster.
// e.mu must be held.
func (e *ECS) checkServiceQuota(cl *cluster) error {
	n := 0
	for _, s := range cl.services {
		if s.info().Status != serviceInactive {
			n++
		}
	}
	if n >= e.quotas.ServicesPerCluster {
		return invalidParameter("Cluster %s has %d services, the quota of services per cluster.", cl.info.ClusterName, n)
	}
	return nil
}

// checkDesiredCount refuses a desiredCount below 0 or above
// TasksPerService.
func (e *ECS) checkDesiredCount(service string, n int) error {
	switch {
	case n < 0:
		return invalidParameter("desiredCount of service %s must be at least 0, not %d.", service, n)
	case n > e.quotas.TasksPerService:
		return invalidParameter("desiredCount %d of service %s is more than %d, the quota of tasks per service.",
			n, service, e.quotas.TasksPerService)
	}
	return nil
}
