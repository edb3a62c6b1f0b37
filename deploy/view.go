package deploy

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// phase is where a task is in its lifecycle, as the scheduler counts it.
type phase uint8

const (
	phasePending  phase = iota // PROVISIONING, PENDING, ACTIVATING
	phaseRunning               // RUNNING
	phaseStopping              // asked to stop, or DEACTIVATING … DEPROVISIONING
	phaseStopped               // STOPPED or DELETED
)

// phaseOf returns the phase of t. A task counts toward maximumPercent in
// phasePending and phaseRunning only: once the scheduler has asked it to
// stop it is on its way out (rule 117 counts RUNNING and PENDING).
func phaseOf(t *ecs.Task) phase {
	if t.LastStatus.Terminal() {
		return phaseStopped
	}
	switch t.LastStatus {
	case ecs.TaskStatusDeactivating, ecs.TaskStatusStopping, ecs.TaskStatusDeprovisioning:
		return phaseStopping
	}
	if t.DesiredStatus == ecs.DesiredStatusStopped {
		return phaseStopping
	}
	if t.LastStatus == ecs.TaskStatusRunning {
		return phaseRunning
	}
	return phasePending
}

// live reports whether a task in phase p counts toward maximumPercent.
func (p phase) live() bool { return p == phasePending || p == phaseRunning }

// taskView is one task as the step sees it.
type taskView struct {
	t         *ecs.Task
	dep       int // index of its deployment in view.deps, -1 if none
	phase     phase
	healthy   bool   // counts toward minimumHealthyPercent
	unhealthy bool   // failed container or target group health checks
	inGrace   bool   // unhealthy, but inside healthCheckGracePeriodSeconds
	elbGroup  string // the target group that reports it unhealthy
	registry  string // the Cloud Map service that reports it unhealthy
	draining  bool   // on an instance that is not ACTIVE
}

// view is the state of one step: the deployments being changed and the
// tasks sorted out.
type view struct {
	s       *State
	svc     *ecs.Service
	mem     Memory
	deps    []ecs.Deployment
	primary int
	tasks   []taskView
	wake    time.Time
}

// errNoDeployment is returned for a service without a deployment.
var errNoDeployment = errors.New("deploy: the service has no deployment")

// newView sorts out the state's deployments and tasks.
func newView(s *State) (*view, error) {
	if s.Service == nil {
		return nil, errors.New("deploy: no service")
	}
	if len(s.Service.Deployments) == 0 {
		return nil, errNoDeployment
	}
	v := &view{s: s, svc: s.Service, mem: s.Memory, deps: slices.Clone(s.Service.Deployments)}
	v.primary = primaryIndex(v.deps)
	v.classify()
	return v, nil
}

// primaryIndex returns the index of the PRIMARY deployment, or of the
// newest one when none is marked.
func primaryIndex(deps []ecs.Deployment) int {
	best := 0
	for i := range deps {
		if deps[i].Status == "PRIMARY" {
			return i
		}
		if deps[i].CreatedAt.After(deps[best].CreatedAt.Time) {
			best = i
		}
	}
	return best
}

// classify builds the task views.
func (v *view) classify() {
	var inactive map[string]bool // the instances that are not ACTIVE
	for i := range v.s.Instances {
		if ci := &v.s.Instances[i]; ci.Status != "ACTIVE" {
			if inactive == nil {
				inactive = make(map[string]bool)
			}
			inactive[ci.ContainerInstanceARN] = true
		}
	}
	v.tasks = make([]taskView, len(v.s.Tasks))
	for i := range v.s.Tasks {
		t := &v.s.Tasks[i]
		tv := taskView{t: t, dep: v.ownerOf(t), phase: phaseOf(t), draining: inactive[t.ContainerInstanceARN]}
		if tv.phase == phaseRunning {
			v.health(&tv)
		}
		v.tasks[i] = tv
	}
}

// ownerOf returns the index of the deployment t belongs to: the one its
// startedBy names (or that adopted that one's tasks on rollback), else the
// newest with its task definition, else -1.
func (v *view) ownerOf(t *ecs.Task) int {
	if t.StartedBy != "" {
		id := v.mem.owner(t.StartedBy)
		for i := range v.deps {
			if v.deps[i].ID == id {
				return i
			}
		}
	}
	if sameTaskDefinition(v.deps[v.primary].TaskDefinition, t.TaskDefinitionARN) {
		return v.primary
	}
	return slices.IndexFunc(v.deps, func(d ecs.Deployment) bool {
		return sameTaskDefinition(d.TaskDefinition, t.TaskDefinitionARN)
	})
}

// health sets the health of a RUNNING task (rules 110 and 111).
func (v *view) health(tv *taskView) {
	t, now := tv.t, v.s.Now
	checks := t.HealthStatus == ecs.HealthStatusHealthy || t.HealthStatus == ecs.HealthStatusUnhealthy ||
		hasHealthCheck(v.taskDefinition(t.TaskDefinitionARN))
	started := t.StartedAt.Time
	if started.IsZero() {
		started = t.CreatedAt.Time
	}
	containerOK := !checks && !now.Before(started.Add(healthyAfter))
	if checks {
		containerOK = t.HealthStatus == ecs.HealthStatusHealthy
	}
	tv.unhealthy = t.HealthStatus == ecs.HealthStatusUnhealthy
	if len(v.svc.LoadBalancers) > 0 {
		th := v.s.Targets[t.TaskARN]
		tv.healthy = th.State == TargetHealthy && (!checks || containerOK)
		if th.State == TargetUnhealthy {
			tv.unhealthy, tv.elbGroup = true, th.TargetGroupARN
		}
	} else {
		tv.healthy = containerOK
	}
	if tv.unhealthy {
		tv.healthy = false
		if g := v.svc.HealthCheckGracePeriodSeconds; g != nil && *g > 0 {
			end := started.Add(time.Duration(*g) * time.Second)
			if now.Before(end) {
				tv.inGrace = true
				v.wakeAt(end)
			}
		}
	}
	// healthCheckGracePeriodSeconds covers "Elastic Load Balancing, VPC
	// Lattice, and container health checks" (the API reference's
	// CreateService), not Cloud Map's: a task failing its Cloud Map health
	// check is unhealthy at once.
	if reg := v.s.Discovery[t.TaskARN]; reg != "" {
		tv.unhealthy, tv.healthy, tv.inGrace, tv.registry = true, false, false, reg
	}
	if !tv.healthy && !tv.unhealthy && !checks && len(v.svc.LoadBalancers) == 0 {
		v.wakeAt(started.Add(healthyAfter))
	}
}

// healthyAfter is the 40-second rule: a task without health checks and
// without a load balancer counts as healthy once it has been RUNNING this
// long (rule 110).
const healthyAfter = 40 * time.Second

// hasHealthCheck reports whether an essential container of td has a
// health check.
func hasHealthCheck(td *ecs.TaskDefinition) bool {
	if td == nil {
		return false
	}
	for i := range td.ContainerDefinitions {
		c := &td.ContainerDefinitions[i]
		if (c.Essential == nil || *c.Essential) && c.HealthCheck != nil && len(c.HealthCheck.Command) > 0 {
			return true
		}
	}
	return false
}

// taskDefinition returns the task definition arn names, or nil.
func (v *view) taskDefinition(arn string) *ecs.TaskDefinition {
	if td, ok := v.s.TaskDefinitions[arn]; ok {
		return td
	}
	for k, td := range v.s.TaskDefinitions {
		if sameTaskDefinition(k, arn) {
			return td
		}
	}
	return nil
}

// sameTaskDefinition reports whether a and b name the same revision, as
// an ARN or as family:revision.
func sameTaskDefinition(a, b string) bool {
	return a == b || familyRevision(a) == familyRevision(b)
}

func familyRevision(s string) string {
	if i := strings.LastIndex(s, "task-definition/"); i >= 0 {
		return s[i+len("task-definition/"):]
	}
	return s
}

// wakeAt asks for a step at t at the latest.
func (v *view) wakeAt(t time.Time) {
	if t.After(v.s.Now) && (v.wake.IsZero() || t.Before(v.wake)) {
		v.wake = t
	}
}
