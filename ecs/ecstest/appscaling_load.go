package ecstest

import (
	"context"
	"math"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// ServiceLoad is the work a service has to do at a moment, as totals over
// its tasks, so that the metrics ECS and the load balancer publish follow
// from it and from the tasks running: the same total spread over more
// tasks is a lower utilisation each.
type ServiceLoad struct {
	// CPU is the CPU the work needs, in percent of one task's CPU: 180
	// keeps 2 tasks at 90 % each, or 4 at 45 %.
	CPU float64 `json:"cpu"`
	// Memory is the memory the work needs, in percent of one task's
	// memory.
	Memory float64 `json:"memory"`
	// Requests is the requests a minute the service's load balancer
	// receives, spread over its healthy targets.
	Requests float64 `json:"requests"`
}

// Load sets a service's load: either as utilisation now (each member
// given is what each of the service's tasks sees now; the total it makes
// with the tasks running now stays while they change), or as a curve of
// totals over time.
type Load struct {
	Cluster string
	Service string
	// CPUUtilization is the CPU utilisation of each RUNNING task now, in
	// percent (ECS's CPUUtilization); nil keeps the CPU load as it is.
	CPUUtilization *float64
	// MemoryUtilization is the memory utilisation of each RUNNING task
	// now, in percent; nil keeps the memory load as it is.
	MemoryUtilization *float64
	// RequestCountPerTarget is the requests a minute each healthy target
	// receives now (ALB's RequestCountPerTarget); nil keeps the request
	// load as it is.
	RequestCountPerTarget *float64
	// Curve, when set, is the load at each moment instead, evaluated each
	// virtual minute; the utilisation members must then be nil. A
	// negative or NaN value counts as none.
	Curve func(time.Time) ServiceLoad
}

// ServiceMetrics are the metrics a service publishes for its load now,
// as Application Auto Scaling's predefined metrics read them; a metric
// with no datapoint (no task RUNNING, no healthy target) is NaN.
type ServiceMetrics struct {
	// CPUUtilization is ECS's CPUUtilization: the CPU load over the
	// RUNNING tasks, in percent of their CPU (not capped at 100: a task
	// on EC2 may use spare CPU of its instance).
	CPUUtilization float64 `json:"cpuUtilization"`
	// MemoryUtilization is ECS's MemoryUtilization, in the same way.
	MemoryUtilization float64 `json:"memoryUtilization"`
	// RequestCountPerTarget is ALB's RequestCountPerTarget: the requests
	// a minute over the healthy targets (the RUNNING tasks, for a service
	// without a load balancer).
	RequestCountPerTarget float64 `json:"requestCountPerTarget"`
	// RunningTasks and HealthyTargets are what they were worked out over.
	RunningTasks   int `json:"runningTasks"`
	HealthyTargets int `json:"healthyTargets"`
}

// serviceLoad is a service's load: fixed totals, or a curve.
type serviceLoad struct {
	fixed ServiceLoad
	curve func(time.Time) ServiceLoad
}

// at returns the load at t, negative and NaN values as 0.
func (l *serviceLoad) at(t time.Time) ServiceLoad {
	if l == nil {
		return ServiceLoad{}
	}
	v := l.fixed
	if l.curve != nil {
		v = l.curve(t)
	}
	clean := func(x float64) float64 {
		if math.IsNaN(x) || x < 0 || math.IsInf(x, 0) {
			return 0
		}
		return x
	}
	return ServiceLoad{CPU: clean(v.CPU), Memory: clean(v.Memory), Requests: clean(v.Requests)}
}

// SetLoad sets a service's load (see Load) and returns the metrics it
// makes now. The service must exist; its load stays until changed, and
// Reset clears it.
func (e *ECS) SetLoad(ctx context.Context, l Load) (*ServiceMetrics, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	for _, m := range []struct {
		name string
		v    *float64
	}{{"cpuUtilization", l.CPUUtilization}, {"memoryUtilization", l.MemoryUtilization}, {"requestCountPerTarget", l.RequestCountPerTarget}} {
		if m.v != nil && (math.IsNaN(*m.v) || math.IsInf(*m.v, 0) || *m.v < 0 || *m.v > 1e12) {
			return nil, invalidParameter("%s must be a number from 0 to 1e12, got %v.", m.name, *m.v)
		}
		if m.v != nil && l.Curve != nil {
			return nil, invalidParameter("%s cannot be set with a curve: the curve gives the load at each moment.", m.name)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, err := e.loadedService(l.Cluster, l.Service)
	if err != nil {
		return nil, err
	}
	key := resourceIDOf(s)
	now := e.clock.Now()
	cur := e.aas.loads[key]
	next := &serviceLoad{fixed: cur.at(now), curve: l.Curve}
	if l.Curve == nil {
		running, healthy := e.countTargets(s)
		per := func(n int) float64 { // the tasks a utilisation given now is of
			if n == 0 {
				n = max(s.info().DesiredCount, 1)
			}
			return float64(n)
		}
		if l.CPUUtilization != nil {
			next.fixed.CPU = *l.CPUUtilization * per(running)
		}
		if l.MemoryUtilization != nil {
			next.fixed.Memory = *l.MemoryUtilization * per(running)
		}
		if l.RequestCountPerTarget != nil {
			next.fixed.Requests = *l.RequestCountPerTarget * per(healthy)
		}
	}
	if e.aas.loads == nil {
		e.aas.loads = map[string]*serviceLoad{}
	}
	e.aas.loads[key] = next
	m := e.metricsOf(s, now)
	return &m, nil
}

// Metrics returns the metrics a service publishes now for its load.
func (e *ECS) Metrics(ctx context.Context, cluster, service string) (*ServiceMetrics, error) {
	if err := e.usable(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, err := e.loadedService(cluster, service)
	if err != nil {
		return nil, err
	}
	m := e.metricsOf(s, e.clock.Now())
	return &m, nil
}

// loadedService returns the service a load names, or ECS's error. e.mu
// must be held.
func (e *ECS) loadedService(cluster, service string) (*service, error) {
	if service == "" {
		return nil, invalidParameter("service is required.")
	}
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	return e.service(cl, service)
}

// resourceIDOf returns the Application Auto Scaling resource ID of a
// service, service/CLUSTER/SERVICE.
func resourceIDOf(s *service) string { return "service/" + s.cl.info.ClusterName + "/" + s.name }

// countTargets returns a service's RUNNING tasks and its healthy targets
// (its RUNNING tasks when it has no load balancer). e.mu must be held.
func (e *ECS) countTargets(s *service) (running, healthy int) {
	for _, tk := range s.order {
		if tk.t.LastStatus == ecs.TaskStatusRunning && !tk.stopping() {
			running++
		}
	}
	ts := e.targets(s)
	if ts == nil {
		return running, running
	}
	for _, th := range ts {
		if th.State == deploy.TargetHealthy {
			healthy++
		}
	}
	return running, healthy
}

// metricsOf works out a service's metrics at now. e.mu must be held.
func (e *ECS) metricsOf(s *service, now time.Time) ServiceMetrics {
	l := e.aas.loads[resourceIDOf(s)].at(now)
	running, healthy := e.countTargets(s)
	m := ServiceMetrics{RunningTasks: running, HealthyTargets: healthy,
		CPUUtilization: math.NaN(), MemoryUtilization: math.NaN(), RequestCountPerTarget: math.NaN()}
	if running > 0 {
		m.CPUUtilization = l.CPU / float64(running)
		m.MemoryUtilization = l.Memory / float64(running)
	}
	if healthy > 0 && l.Requests > 0 { // ALB publishes no RequestCount without requests
		m.RequestCountPerTarget = l.Requests / float64(healthy)
	}
	return m
}

// metricHistory is a target's metrics of the last minutes, oldest first,
// NaN for a minute without a datapoint.
type metricHistory struct {
	cpu, mem, req autoscaling.Datapoints
}

// maxHistory is the minutes of metrics kept: the most any alarm looks at
// (target tracking's scale-in alarm, 15 datapoints).
const maxHistory = 15

// add appends a minute's metrics.
func (h *metricHistory) add(m ServiceMetrics) {
	push := func(d autoscaling.Datapoints, v float64) autoscaling.Datapoints {
		if len(d) == maxHistory {
			d = append(d[:0], d[1:]...)
		}
		return append(d, v)
	}
	h.cpu, h.mem, h.req = push(h.cpu, m.CPUUtilization), push(h.mem, m.MemoryUtilization), push(h.req, m.RequestCountPerTarget)
}

// of returns the datapoints of a predefined metric type (or of a
// CloudWatch metric name).
func (h *metricHistory) of(metric string) autoscaling.Datapoints {
	switch metric {
	case autoscaling.MetricECSServiceCPU, metricCPU:
		return h.cpu
	case autoscaling.MetricECSServiceMemory, metricMemory:
		return h.mem
	case autoscaling.MetricALBRequestCount, metricRequests:
		return h.req
	}
	return nil
}
