package ecstest

import (
	"context"
	"maps"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// Cloud Map service discovery. A task of a service with serviceRegistries
// is registered as an instance of the registry's Cloud Map service when it
// runs, and deregistered when it is asked to stop, before its containers
// get SIGTERM (the DEACTIVATING status: "service discovery" and
// multi-target-group deregistration, the developer guide's "Amazon ECS
// task lifecycle":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html).
// "New tasks are registered and deregistered to the updated service
// registry configuration" (the API reference's ServiceRegistry): a task
// keeps the registries it registered with until it stops.
//
// Each instance has a health status, HEALTHY unless a test says
// otherwise (SetDiscoveryHealth), as Cloud Map keeps the status of the
// most recent UpdateInstanceCustomHealthStatus request (the Cloud Map
// developer guide's "service health check configuration":
// https://docs.aws.amazon.com/cloud-map/latest/dg/services-health-checks.html).
// An UNHEALTHY task counts as a failed health check for the deployment
// circuit breaker ("Elastic Load Balancing, Cloud Map service health
// checks, container health checks": the developer guide's "How the Amazon
// ECS deployment circuit breaker detects failures",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html)
// and is replaced; healthCheckGracePeriodSeconds does not cover it, as it
// covers only "Elastic Load Balancing, VPC Lattice, and container health
// checks" (CreateService). The deploy package reads them as
// State.Discovery.

// Cloud Map health statuses (Cloud Map's HealthStatus).
const (
	discoveryHealthy   = "HEALTHY"
	discoveryUnhealthy = "UNHEALTHY"
)

// DiscoveryInstance is a task registered as an instance of a Cloud Map
// service, and its health status (HEALTHY or UNHEALTHY).
type DiscoveryInstance struct {
	TaskARN      string `json:"taskArn"`
	HealthStatus string `json:"healthStatus"`
}

// discoveryInstance is a task registered with a Cloud Map service.
type discoveryInstance struct {
	tk        *task
	unhealthy bool
}

// discoveryState is the simulated Cloud Map: the instances of each
// registry (Cloud Map service) by ARN, and the registries of each task.
type discoveryState struct {
	registries map[string]map[string]*discoveryInstance // by registry ARN, then task ARN
	byTask     map[*task][]*discoveryInstance
	known      map[string]bool // registry ARNs a task has used
}

// registriesOf returns the service registries of tk's deployment: its task
// set's, or its service's.
func registriesOf(tk *task) []ecs.ServiceRegistry {
	if tk.svc == nil {
		return nil
	}
	for _, ts := range tk.svc.sets {
		if ts.info.ID == tk.t.StartedBy {
			return ts.info.ServiceRegistries
		}
	}
	return tk.svc.info().ServiceRegistries
}

// registerDiscovery registers a task of a service with service registries
// that has just reached RUNNING with its Cloud Map services, healthy. e.mu
// must be held.
func (e *ECS) registerDiscovery(tk *task) {
	regs := registriesOf(tk)
	d := &e.lb.discovery
	if len(regs) == 0 || d.byTask[tk] != nil {
		return
	}
	if d.registries == nil {
		d.registries, d.byTask, d.known = map[string]map[string]*discoveryInstance{}, map[*task][]*discoveryInstance{}, map[string]bool{}
	}
	for _, r := range regs {
		insts := d.registries[r.RegistryARN]
		if insts == nil {
			insts = map[string]*discoveryInstance{}
			d.registries[r.RegistryARN] = insts
		}
		d.known[r.RegistryARN] = true
		if insts[tk.t.TaskARN] != nil {
			continue
		}
		in := &discoveryInstance{tk: tk}
		insts[tk.t.TaskARN] = in
		d.byTask[tk] = append(d.byTask[tk], in)
	}
}

// deregisterDiscovery removes a task that is asked to stop, or has
// stopped, from its Cloud Map services. e.mu must be held.
func (e *ECS) deregisterDiscovery(tk *task) {
	d := &e.lb.discovery
	if d.byTask[tk] == nil {
		return
	}
	for arn, insts := range d.registries {
		if insts[tk.t.TaskARN] != nil && insts[tk.t.TaskARN].tk == tk {
			delete(insts, tk.t.TaskARN)
		}
		if len(insts) == 0 {
			delete(d.registries, arn)
		}
	}
	delete(d.byTask, tk)
}

// discovery returns the RUNNING tasks of svc that fail their Cloud Map
// health check, by task ARN, with the registry that reports it (nil when
// none does): State.Discovery. e.mu must be held.
func (e *ECS) discovery(svc *service) map[string]string {
	var out map[string]string
	for _, tk := range svc.order {
		for _, in := range e.lb.discovery.byTask[tk] {
			if !in.unhealthy || tk.t.LastStatus != ecs.TaskStatusRunning || tk.stopping() {
				continue
			}
			if out == nil {
				out = map[string]string{}
			}
			for arn, insts := range e.lb.discovery.registries {
				if insts[tk.t.TaskARN] == in {
					out[tk.t.TaskARN] = arn
				}
			}
		}
	}
	return out
}

// DiscoveryInstances returns the instances of the Cloud Map service
// registryARN names, in order of task ARN: the RUNNING tasks of the
// services that name it in serviceRegistries, until they are asked to
// stop. A registry no task has used is not found.
func (e *ECS) DiscoveryInstances(ctx context.Context, registryARN string) ([]DiscoveryInstance, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.lb.discovery.known[registryARN] {
		return nil, apiErrorf(serviceNotFoundDiscovery, ecs.ErrNotFound, "Service registry %s is not known: no task of a service with serviceRegistries has registered with it.", registryARN)
	}
	insts := e.lb.discovery.registries[registryARN]
	out := make([]DiscoveryInstance, 0, len(insts))
	for _, arn := range slices.Sorted(maps.Keys(insts)) {
		st := discoveryHealthy
		if insts[arn].unhealthy {
			st = discoveryUnhealthy
		}
		out = append(out, DiscoveryInstance{TaskARN: arn, HealthStatus: st})
	}
	return out, nil
}

// serviceNotFoundDiscovery is Cloud Map's exception for a service that
// does not exist.
const serviceNotFoundDiscovery = "ServiceNotFound"

// SetDiscoveryHealth sets the Cloud Map health status of the task ref
// names (an ID or ARN) in cluster, in the Cloud Map service registryARN
// names (every registry of the task when it is ""), as Cloud Map's
// UpdateInstanceCustomHealthStatus does. The task's service acts on it: an
// unhealthy task is replaced and counts toward the deployment circuit
// breaker.
func (e *ECS) SetDiscoveryHealth(ctx context.Context, cluster, ref, registryARN string, healthy bool) error {
	if err := e.usable(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tk, err := e.findTask(cluster, ref)
	if err != nil {
		return err
	}
	ins := e.lb.discovery.byTask[tk]
	if tk.stopping() || tk.stopped() || len(ins) == 0 {
		return invalidParameter("Task %s is not a registered instance of any Cloud Map service: only a RUNNING task of a service with serviceRegistries is.", tk.id())
	}
	found := false
	for arn, insts := range e.lb.discovery.registries {
		in := insts[tk.t.TaskARN]
		if in == nil || in.tk != tk || registryARN != "" && arn != registryARN {
			continue
		}
		in.unhealthy, found = !healthy, true
	}
	if !found {
		return invalidParameter("Task %s is not an instance of Cloud Map service %s.", tk.id(), registryARN)
	}
	e.touch(tk)
	return nil
}
