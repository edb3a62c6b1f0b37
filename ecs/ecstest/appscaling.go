package ecstest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/ecs"
)

// The exceptions of the Application Auto Scaling API
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/CommonErrors.html
// and each operation's Errors).
const (
	aasValidation       = "ValidationException"
	aasObjectNotFound   = "ObjectNotFoundException"
	aasInvalidNextToken = "InvalidNextTokenException"
)

// maxDescribeResourceIds is the most ResourceIds of a
// DescribeScalableTargets request (the API model's length constraint).
const maxDescribeResourceIds = 50

// aasNamespaces are the service namespaces of the API's ServiceNamespace
// enum; ecstest has resources in ecs only, the others have none.
var aasNamespaces = []string{"ecs", "elasticmapreduce", "ec2", "appstream", "dynamodb", "rds", "sagemaker",
	"custom-resource", "comprehend", "lambda", "cassandra", "kafka", "elasticache", "neptune", "workspaces"}

// maxActivities bounds the scaling activities kept per scalable target:
// the oldest go first (Application Auto Scaling keeps six weeks of them).
const maxActivities = 1000

// aasState is Application Auto Scaling's state: the scalable targets of
// ECS services and the per-minute evaluation that runs while there is
// one. Its zero value has no target and no timer.
type aasState struct {
	targets map[string]*scalableTarget // by ResourceId
	order   []*scalableTarget          // the same, in order of ResourceId
	tick    *Timer                     // the next evaluation, nil without targets
	gen     uint64                     // moves on when the evaluations stop
	loads   map[string]*serviceLoad    // the load of each service, by ResourceId (appscaling_load.go)
	alarms  map[string]*MetricAlarm    // the alarms that run step scaling policies, by name
}

// scalableTarget is a registered scalable target with what hangs off it.
type scalableTarget struct {
	t        autoscaling.ScalableTarget
	tags     map[string]string
	policies []autoscaling.ScalingPolicy   // in order of creation
	actions  []autoscaling.ScheduledAction // in order of creation
	// nextRuns caches the next run of each action (by name) after last:
	// an action not due is not handed to the evaluation, so a tick does
	// not parse or scan its schedule. Put and Delete drop the entry.
	nextRuns   map[string]nextRun
	state      autoscaling.State
	last       time.Time                     // the last evaluation (or registration)
	metrics    metricHistory                 // the last minutes' metrics
	activities []autoscaling.ScalingActivity // oldest first, at most maxActivities
}

// nextRun is a scheduled action's next run time, or none.
type nextRun struct {
	at   time.Time
	none bool
}

// aasError is an error of the Application Auto Scaling API.
func aasError(typ string, cause error, format string, args ...any) error {
	return apiErrorf(typ, cause, format, args...)
}

// aasValidationErr turns an error of the autoscaling package into the
// API's ValidationException.
func aasValidationErr(err error) error {
	msg := strings.TrimPrefix(err.Error(), autoscaling.ErrValidation.Error()+": ")
	return aasError(aasValidation, fmt.Errorf("%w: %w", ecs.ErrInvalid, err), "%s", msg)
}

// checkNamespace checks a request's ServiceNamespace: required and one of
// the API's; ecs reports true, another namespace (where ecstest has no
// resource) false.
func checkNamespace(ns string) (bool, error) {
	if ns == "" {
		return false, aasError(aasValidation, ecs.ErrInvalid, "1 validation error detected: Value null at 'serviceNamespace' failed to satisfy constraint: Member must not be null")
	}
	if !slices.Contains(aasNamespaces, ns) {
		return false, aasError(aasValidation, ecs.ErrInvalid,
			"1 validation error detected: Value '%s' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
			ns, strings.Join(aasNamespaces, ", "))
	}
	return ns == autoscaling.ServiceNamespaceECS, nil
}

// checkTargetRef checks the namespace, resource ID and dimension a
// request names a scalable target by, all required. ecs reports whether
// the namespace is ecs.
func checkTargetRef(ns, resourceID, dimension string) (bool, error) {
	ecsNS, err := checkNamespace(ns)
	if err != nil {
		return false, err
	}
	for _, m := range []struct{ name, v string }{{"resourceId", resourceID}, {"scalableDimension", dimension}} {
		if m.v == "" {
			return false, aasError(aasValidation, ecs.ErrInvalid, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", m.name)
		}
	}
	if ecsNS && dimension != autoscaling.DimensionECSDesiredCount {
		return false, aasError(aasValidation, ecs.ErrInvalid, "Unsupported scalable dimension '%s' for service namespace 'ecs': use ecs:service:DesiredCount", dimension)
	}
	return ecsNS, nil
}

// noTarget is the ObjectNotFoundException of a target not registered.
func noTarget(ns, resourceID, dimension string) error {
	return aasError(aasObjectNotFound, ecs.ErrNotFound,
		"No scalable target registered for service namespace: %s, resource ID: %s, scalable dimension: %s", ns, resourceID, dimension)
}

// registeredTarget returns the target a request names, or
// ObjectNotFoundException. e.mu must be held.
func (e *ECS) registeredTarget(ns, resourceID, dimension string) (*scalableTarget, error) {
	ecsNS, err := checkTargetRef(ns, resourceID, dimension)
	if err != nil {
		return nil, err
	}
	st := e.aas.targets[resourceID]
	if !ecsNS || st == nil {
		return nil, noTarget(ns, resourceID, dimension)
	}
	return st, nil
}

// scalableService returns the ACTIVE service a resource ID names, or the
// ValidationException RegisterScalableTarget answers for one that does
// not exist. e.mu must be held.
func (e *ECS) scalableService(resourceID string) (*service, error) {
	cluster, name, err := autoscaling.ServiceOf(resourceID)
	if err != nil {
		return nil, aasValidationErr(err)
	}
	var s *service
	if cl, err := e.activeCluster(cluster); err == nil {
		s = cl.services[name]
	}
	if s == nil || s.info().Status != serviceActive {
		return nil, aasError(aasValidation, ecs.ErrNotFound, "ECS service doesn't exist: %s", resourceID)
	}
	return s, nil
}

// aasUUID returns a new identifier in the form of a UUID, derived from
// the seed, a code of its kind (so that kinds never share one) and a
// counter of its kind. e.mu must be held.
func (e *ECS) aasUUID(kind string) string {
	n := e.ids.seq("aas-" + kind)
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(e.seed), aasKindCode(kind), n>>48&0xfff, n>>36&0xfff, n&0xffffffffffff)
}

// aasKindCode is the code of a kind of Application Auto Scaling
// identifier in its UUIDs.
func aasKindCode(kind string) uint16 {
	switch kind {
	case "target":
		return 1
	case "policy":
		return 2
	case "action":
		return 3
	case "activity":
		return 4
	}
	return 0
}

// aasARN returns the ARN of an Application Auto Scaling resource.
func (e *ECS) aasARN(service, resource string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, e.arns.region, e.arns.account, resource)
}

// startAutoScaling starts the per-minute evaluations, unless they run.
// e.mu must be held.
func (e *ECS) startAutoScaling() {
	if e.aas.tick != nil {
		return
	}
	gen := e.aas.gen
	var tick func()
	tick = func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.aas.gen != gen || len(e.aas.targets) == 0 {
			return
		}
		e.evaluateTargets()
		e.aas.tick = e.clock.AfterFunc(scalingInterval, tick)
	}
	e.aas.tick = e.clock.AfterFunc(scalingInterval, tick)
}

// stopAutoScaling stops the evaluations once no target is left. e.mu
// must be held.
func (e *ECS) stopAutoScaling() {
	if len(e.aas.targets) > 0 || e.aas.tick == nil {
		return
	}
	e.aas.tick.Stop()
	e.aas.tick = nil
	e.aas.gen++
}

// record keeps an activity of st, giving it an ID. e.mu must be held.
func (e *ECS) record(st *scalableTarget, a autoscaling.ScalingActivity) {
	a.ActivityId = e.aasUUID("activity")
	st.activities = append(st.activities, a)
	if n := len(st.activities) - maxActivities; n > 0 {
		st.activities = slices.Delete(st.activities, 0, n)
	}
}

// setDesiredCount sets the desired count of a target's service as
// UpdateService does, and records the activity (failed, with ECS's
// reason, when UpdateService refuses it). e.mu must be held.
func (e *ECS) setDesiredCount(st *scalableTarget, n int, a *autoscaling.ScalingActivity) {
	if reason := e.applyDesiredCount(st, n); reason != "" {
		failActivity(a, n, reason)
	}
	e.record(st, *a)
}

// applyDesiredCount sets the desired count of a target's service as
// UpdateService does and returns ECS's reason when UpdateService refuses
// it, or "". e.mu must be held.
func (e *ECS) applyDesiredCount(st *scalableTarget, n int) string {
	cluster, name, _ := autoscaling.ServiceOf(st.t.ResourceId)
	_, err := e.updateServiceLocked(&ecs.UpdateServiceRequest{Cluster: cluster, Service: name, DesiredCount: &n}, nil)
	if err == nil {
		return ""
	}
	var apiErr *ecs.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Message
	}
	return err.Error()
}

// failActivity marks an activity as failed to set the desired count to n.
func failActivity(a *autoscaling.ScalingActivity, n int, reason string) {
	a.StatusCode = autoscaling.ActivityStatusFailed
	a.StatusMessage = fmt.Sprintf("Failed to set desired count to %d. Reason: %s", n, reason)
}

// sortedTargets returns the scalable targets in order of resource ID,
// not to be changed. e.mu must be held.
func (e *ECS) sortedTargets() []*scalableTarget { return e.aas.order }

// addTarget keeps a new target. e.mu must be held.
func (e *ECS) addTarget(st *scalableTarget) {
	if e.aas.targets == nil {
		e.aas.targets = map[string]*scalableTarget{}
	}
	e.aas.targets[st.t.ResourceId] = st
	i, _ := slices.BinarySearchFunc(e.aas.order, st.t.ResourceId, func(x *scalableTarget, id string) int { return strings.Compare(x.t.ResourceId, id) })
	e.aas.order = slices.Insert(e.aas.order, i, st)
}

// removeTarget forgets a target. e.mu must be held.
func (e *ECS) removeTarget(st *scalableTarget) {
	delete(e.aas.targets, st.t.ResourceId)
	e.aas.order = slices.DeleteFunc(e.aas.order, func(x *scalableTarget) bool { return x == st })
}
