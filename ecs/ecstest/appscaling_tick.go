package ecstest

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/ecs"
)

// The CloudWatch metric names a MetricAlarm watches.
const (
	metricCPU      = "CPUUtilization"        // AWS/ECS, average over the service's tasks
	metricMemory   = "MemoryUtilization"     // AWS/ECS
	metricRequests = "RequestCountPerTarget" // AWS/ApplicationELB
)

// MetricAlarm is a CloudWatch alarm on a service's metric that runs a
// step scaling policy while in ALARM, as PutMetricAlarm with the policy's
// ARN among its AlarmActions makes one: the alarm is in ALARM when its
// last EvaluationPeriods one-minute datapoints all compare with
// Threshold as ComparisonOperator says
// (https://docs.aws.amazon.com/autoscaling/application/userguide/step-scaling-policy-overview.html).
type MetricAlarm struct {
	AlarmName string
	// ResourceId and PolicyName name the step scaling policy it runs.
	ResourceId string
	PolicyName string
	// MetricName is CPUUtilization or MemoryUtilization (AWS/ECS, of the
	// service) or RequestCountPerTarget (AWS/ApplicationELB).
	MetricName string
	// ComparisonOperator is GreaterThanOrEqualToThreshold,
	// GreaterThanThreshold, LessThanThreshold or
	// LessThanOrEqualToThreshold.
	ComparisonOperator string
	Threshold          float64
	// EvaluationPeriods is 1 to 15 (0 is 1).
	EvaluationPeriods int
}

// compare is what the alarm's ComparisonOperator says of a datapoint.
func (a *MetricAlarm) compare(v float64) bool {
	switch a.ComparisonOperator {
	case "GreaterThanOrEqualToThreshold":
		return v >= a.Threshold
	case "GreaterThanThreshold":
		return v > a.Threshold
	case "LessThanThreshold":
		return v < a.Threshold
	case "LessThanOrEqualToThreshold":
		return v <= a.Threshold
	}
	return false
}

// inAlarm returns the datapoints that put the alarm in ALARM, or false.
func (a *MetricAlarm) inAlarm(h *metricHistory) (autoscaling.Datapoints, bool) {
	n := max(a.EvaluationPeriods, 1)
	d := h.of(a.MetricName)
	if len(d) < n {
		return nil, false
	}
	d = d[len(d)-n:]
	for _, v := range d {
		if v != v || !a.compare(v) { // NaN: no datapoint
			return nil, false
		}
	}
	return slices.Clone(d), true
}

// PutMetricAlarm creates or replaces a CloudWatch alarm that runs a step
// scaling policy (see MetricAlarm); the policy need not exist yet.
func (e *ECS) PutMetricAlarm(ctx context.Context, a MetricAlarm) error {
	if err := e.usable(); err != nil {
		return err
	}
	switch {
	case a.AlarmName == "" || len(a.AlarmName) > 255:
		return aasError(aasValidation, ecs.ErrInvalid, "AlarmName must be 1 to 255 characters")
	case a.PolicyName == "":
		return aasError(aasValidation, ecs.ErrInvalid, "PolicyName is required: the step scaling policy the alarm runs")
	case a.MetricName != metricCPU && a.MetricName != metricMemory && a.MetricName != metricRequests:
		return aasError(aasValidation, ecs.ErrInvalid, "MetricName must be CPUUtilization, MemoryUtilization or RequestCountPerTarget, got %q", a.MetricName)
	case !a.knownOperator():
		return aasError(aasValidation, ecs.ErrInvalid, "ComparisonOperator must be GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold, got %q", a.ComparisonOperator)
	case a.EvaluationPeriods < 0 || a.EvaluationPeriods > maxHistory:
		return aasError(aasValidation, ecs.ErrInvalid, "EvaluationPeriods must be 1 to %d, got %d", maxHistory, a.EvaluationPeriods)
	case a.Threshold != a.Threshold:
		return aasError(aasValidation, ecs.ErrInvalid, "Threshold must be a number")
	}
	if _, _, err := autoscaling.ServiceOf(a.ResourceId); err != nil {
		return aasValidationErr(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.aas.alarms == nil {
		e.aas.alarms = map[string]*MetricAlarm{}
	}
	e.aas.alarms[a.AlarmName] = &a
	return nil
}

// knownOperator reports whether the comparison operator is one of
// CloudWatch's four for static thresholds.
func (a *MetricAlarm) knownOperator() bool {
	switch a.ComparisonOperator {
	case "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold":
		return true
	}
	return false
}

// DeleteMetricAlarm deletes the alarm PutMetricAlarm made with the name;
// one that does not exist is no error, as DeleteAlarms does.
func (e *ECS) DeleteMetricAlarm(ctx context.Context, name string) error {
	if err := e.usable(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.aas.alarms, name)
	return nil
}

// alarmsRunning returns the alarms that run a step policy, in order of
// name. e.mu must be held.
func (e *ECS) alarmsRunning(p autoscaling.ScalingPolicy) []*MetricAlarm {
	var out []*MetricAlarm
	for _, name := range slices.Sorted(maps.Keys(e.aas.alarms)) {
		if a := e.aas.alarms[name]; a.ResourceId == p.ResourceId && a.PolicyName == p.PolicyName {
			out = append(out, a)
		}
	}
	return out
}

// stepAlarmsOf returns the alarms that run a step policy as the policy
// lists them. e.mu must be held.
func (e *ECS) stepAlarmsOf(p autoscaling.ScalingPolicy) []autoscaling.Alarm {
	var out []autoscaling.Alarm
	for _, a := range e.alarmsRunning(p) {
		out = append(out, autoscaling.Alarm{AlarmName: a.AlarmName, AlarmARN: e.aasARN("cloudwatch", "alarm:"+a.AlarmName)})
	}
	return out
}

// evaluateTargets runs one evaluation of every scalable target, in order
// of resource ID. e.mu must be held.
func (e *ECS) evaluateTargets() {
	for _, st := range e.sortedTargets() {
		e.evaluateTarget(st)
	}
}

// evaluateTarget records a minute of the target's service's metrics and
// runs its scheduled actions due since the last evaluation and its
// policies (autoscaling.Evaluate), then sets the service's desired count
// as the decision says, recording each activity. A service that is gone
// or not ACTIVE is left alone. e.mu must be held.
func (e *ECS) evaluateTarget(st *scalableTarget) {
	now := e.clock.Now()
	s, err := e.scalableService(st.t.ResourceId)
	if err != nil {
		st.last = now
		return
	}
	st.metrics.add(e.metricsOf(s, now))
	in := autoscaling.Tick{Target: st.t, Policies: st.policies, Actions: st.dueActions(now), Last: st.last, State: st.state,
		DesiredCount: s.info().DesiredCount, DeploymentInProgress: deploying(s.info()), Now: now,
		Metrics: map[string]autoscaling.Datapoints{}, Alarms: map[string]autoscaling.StepAlarm{}}
	for _, p := range st.policies {
		if c := p.TargetTrackingScalingPolicyConfiguration; c != nil && c.PredefinedMetricSpecification != nil {
			in.Metrics[p.PolicyName] = st.metrics.of(c.PredefinedMetricSpecification.PredefinedMetricType)
			continue
		}
		for _, a := range e.alarmsRunning(p) {
			if d, ok := a.inAlarm(&st.metrics); ok {
				in.Alarms[p.PolicyName] = autoscaling.StepAlarm{AlarmName: a.AlarmName, Threshold: a.Threshold, Datapoints: d}
				break
			}
		}
	}
	st.last = now
	r, err := autoscaling.Evaluate(in)
	for _, a := range in.Actions {
		delete(st.nextRuns, a.ScheduledActionName) // ran: the next run is after now
	}
	if err != nil {
		e.logger.Error("ecstest: scaling evaluation failed", "resourceId", st.t.ResourceId, "error", err)
		return
	}
	st.t, st.state = r.Target, r.State
	// The activities of one tick are applied as one UpdateService: when
	// ECS refuses the final count, none of those that moved the count
	// took effect, so each is recorded as failed.
	reason := ""
	if r.DesiredCount != in.DesiredCount {
		reason = e.applyDesiredCount(st, r.DesiredCount)
	}
	for _, a := range r.Activities {
		if reason != "" && a.StatusCode == autoscaling.ActivityStatusSuccessful {
			failActivity(&a, r.DesiredCount, reason)
		}
		e.record(st, a)
	}
}

// deploying reports whether a deployment of the service is in progress:
// more than one deployment, or the primary one still rolling out.
func deploying(svc *ecs.Service) bool {
	if len(svc.Deployments) > 1 {
		return true
	}
	return len(svc.Deployments) == 1 && svc.Deployments[0].RolloutState == ecs.DeploymentRolloutStateInProgress
}

// dueActions returns the target's scheduled actions with a run in
// (st.last, now]: those whose cached next run is past now are left out,
// and the next run of the others is found (once) and cached. An action
// whose schedule is bad is handed on, for the evaluation to report.
func (st *scalableTarget) dueActions(now time.Time) []autoscaling.ScheduledAction {
	var due []autoscaling.ScheduledAction
	for _, a := range st.actions {
		n, ok := st.nextRuns[a.ScheduledActionName]
		if !ok {
			at, runs, err := a.NextRun(st.last)
			if err != nil {
				due = append(due, a)
				continue
			}
			n = nextRun{at: at, none: !runs}
			if st.nextRuns == nil {
				st.nextRuns = map[string]nextRun{}
			}
			st.nextRuns[a.ScheduledActionName] = n
		}
		if !n.none && !n.at.After(now) {
			due = append(due, a)
		}
	}
	return due
}
