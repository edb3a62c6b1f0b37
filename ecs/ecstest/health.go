package ecstest

import (
	"context"
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Health check defaults of the API's HealthCheck.
const (
	defaultHealthInterval = 30 // seconds
	defaultHealthRetries  = 3
)

// hasHealthCheck reports whether the container definition has a health
// check.
func hasHealthCheck(cd *ecs.ContainerDefinition) bool {
	return cd.HealthCheck != nil && len(cd.HealthCheck.Command) > 0
}

func essential(cd *ecs.ContainerDefinition) bool { return cd.Essential == nil || *cd.Essential }

// healthTiming returns how long after the container starts its health
// checks give a result: startPeriod + interval for a healthy one,
// startPeriod + interval × retries for one that fails.
func healthTiming(cd *ecs.ContainerDefinition, fails bool) time.Duration {
	start, interval, retries := 0, defaultHealthInterval, defaultHealthRetries
	if hc := cd.HealthCheck; hc != nil {
		if hc.StartPeriod != nil {
			start = *hc.StartPeriod
		}
		if hc.Interval != nil {
			interval = *hc.Interval
		}
		if hc.Retries != nil {
			retries = *hc.Retries
		}
	}
	if fails {
		return time.Duration(start+interval*retries) * time.Second
	}
	return time.Duration(start+interval) * time.Second
}

// scheduleHealthChecks simulates the health checks of a task that has
// just reached RUNNING: each container with a health check turns HEALTHY
// when its first check passes, or UNHEALTHY when its retries are spent if
// the task's checks fail (TaskFaults.FailHealthChecks; a task without
// health checks then fails on its first essential container, as if it had
// the default check). Results a test set with SetHealth stand. A task of
// a service with load balancers also registers its target (targets.go).
// e.mu must be held.
func (e *ECS) scheduleHealthChecks(tk *task) {
	e.scheduleTarget(tk)
	e.registerDiscovery(tk)
	defs := tk.td.ContainerDefinitions
	failing := -1 // the container that fails when none has a check
	if tk.failHealth && !slices.ContainsFunc(defs, func(cd ecs.ContainerDefinition) bool { return hasHealthCheck(&cd) && essential(&cd) }) {
		failing = slices.IndexFunc(defs, func(cd ecs.ContainerDefinition) bool { return essential(&cd) })
	}
	for i := range defs {
		cd := &defs[i]
		if !hasHealthCheck(cd) && i != failing {
			continue
		}
		fails := tk.failHealth && (essential(cd) || i == failing)
		status := ecs.HealthStatusHealthy
		if fails {
			status = ecs.HealthStatusUnhealthy
		}
		name := cd.Name
		e.clock.AfterFunc(healthTiming(cd, fails), func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			if _, set := tk.setHealth(name); set || tk.t.LastStatus != ecs.TaskStatusRunning || tk.stopping() {
				return
			}
			e.setContainerHealth(tk, name, status)
		})
	}
}

// setContainerHealth sets a container's health and the task's that
// follows from it. e.mu must be held.
func (e *ECS) setContainerHealth(tk *task, name string, status ecs.HealthStatus) {
	for i := range tk.t.Containers {
		if tk.t.Containers[i].Name == name {
			tk.t.Containers[i].HealthStatus = status
		}
	}
	tk.t.HealthStatus = e.taskHealth(tk)
	e.touch(tk)
}

// taskHealth returns a task's health as ECS derives it from its essential
// containers with health checks (or a result a test set): UNHEALTHY when
// one is, HEALTHY when all are, else UNKNOWN.
func (e *ECS) taskHealth(tk *task) ecs.HealthStatus {
	any, healthy := false, true
	for i := range tk.td.ContainerDefinitions {
		cd := &tk.td.ContainerDefinitions[i]
		_, set := tk.setHealth(cd.Name)
		if !essential(cd) || (!hasHealthCheck(cd) && !set) {
			continue
		}
		any = true
		switch tk.t.Containers[i].HealthStatus {
		case ecs.HealthStatusUnhealthy:
			return ecs.HealthStatusUnhealthy
		case ecs.HealthStatusHealthy:
		default:
			healthy = false
		}
	}
	if any && healthy {
		return ecs.HealthStatusHealthy
	}
	return ecs.HealthStatusUnknown
}

// SetHealth sets the health check result of a container of the task ref
// names (an ID or ARN) in the cluster cluster names: of the container
// called container, or of every essential container when container is "".
// A result a test sets stands until it sets another: the simulated health
// checks leave that container alone. The task's health follows, as in ECS,
// from its essential containers', and a service's scheduler acts on it:
// an UNHEALTHY task of a service is replaced.
func (e *ECS) SetHealth(ctx context.Context, cluster, ref, container string, status ecs.HealthStatus) error {
	if err := e.usable(); err != nil {
		return err
	}
	switch status {
	case ecs.HealthStatusHealthy, ecs.HealthStatusUnhealthy, ecs.HealthStatusUnknown:
	default:
		return invalidParameter("Health status %q is not valid: use HEALTHY, UNHEALTHY or UNKNOWN.", status)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tk, err := e.findTask(cluster, ref)
	if err != nil {
		return err
	}
	if tk.stopped() {
		return invalidParameter("Task %s is stopped.", tk.id())
	}
	var names []string
	for i := range tk.td.ContainerDefinitions {
		cd := &tk.td.ContainerDefinitions[i]
		if cd.Name == container || (container == "" && essential(cd)) {
			names = append(names, cd.Name)
		}
	}
	if len(names) == 0 {
		return invalidParameter("Task %s has no container named %q.", tk.id(), container)
	}
	odd := tk.oddOf()
	if odd.health == nil {
		odd.health = map[string]ecs.HealthStatus{}
	}
	for _, n := range names {
		odd.health[n] = status
		e.setContainerHealth(tk, n, status)
	}
	return nil
}
