package ecstest

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// Service deployments and service revisions (the developer guide's "View
// service history using Amazon ECS service deployments" and "Amazon ECS
// service revisions"): ecstest records, by looking at the result of every
// step of a service's scheduler, each deployment the deploy package runs
// as ECS records a service deployment, and each configuration a
// deployment runs as a service revision.

// Exception types of the service deployment operations that package ecs
// does not name.
const (
	serviceDeploymentNotFoundException = "ServiceDeploymentNotFoundException"
	conflictException                  = "ConflictException"
)

const (
	// deploymentRetention is how long ECS keeps a service deployment:
	// "the most recent 90-day history".
	deploymentRetention = 90 * 24 * time.Hour
	// maxDescribeDeployments is the most service deployments or
	// revisions one describe call names.
	maxDescribeDeployments = 20
	// defaultDeploymentsPage is how many service deployments
	// ListServiceDeployments returns without maxResults.
	defaultDeploymentsPage = 20
)

// history is the service deployments and revisions of one Region.
type history struct {
	byService   map[*service]*serviceHistory
	deployments map[string]*deploymentRecord // by ARN
	revisions   map[string]*ecs.ServiceRevision
}

// serviceHistory is what one service deployed.
type serviceHistory struct {
	svc  *service
	all  []*deploymentRecord // in order of creation, those of the last 90 days
	open []*deploymentRecord // those not finished, in order of creation
	// byDep and revByDep give the service deployment an ecs.Deployment
	// (by ID) belongs to, its target's or its rollback's, and the
	// service revision it runs.
	byDep    map[string]*deploymentRecord
	revByDep map[string]*ecs.ServiceRevision
}

// deploymentRecord is one service deployment.
type deploymentRecord struct {
	sd       ecs.ServiceDeployment
	svc      *service
	target   string   // the ID of the ecs.Deployment of the target revision
	sources  []string // the IDs of the ecs.Deployments running when it was created
	rollback string   // the ID of the ecs.Deployment of its rollback, once one started
	stop     ecs.StopServiceDeploymentStopType
}

// finished reports whether the service deployment has ended.
func (r *deploymentRecord) finished() bool {
	switch r.sd.Status {
	case ecs.ServiceDeploymentStatusSuccessful, ecs.ServiceDeploymentStatusStopped,
		ecs.ServiceDeploymentStatusRollbackSuccessful, ecs.ServiceDeploymentStatusRollbackFailed:
		return true
	}
	return false
}

// serviceHistory returns what svc deployed, made on first use. e.mu must
// be held.
func (e *ECS) serviceHistory(svc *service) *serviceHistory {
	if e.history.byService == nil {
		e.history = history{byService: map[*service]*serviceHistory{},
			deployments: map[string]*deploymentRecord{}, revisions: map[string]*ecs.ServiceRevision{}}
	}
	h := e.history.byService[svc]
	if h == nil {
		h = &serviceHistory{svc: svc, byDep: map[string]*deploymentRecord{}, revByDep: map[string]*ecs.ServiceRevision{}}
		e.history.byService[svc] = h
	}
	return h
}

// recordDeployments brings the service deployments of svc up to date with
// its deployments as its scheduler left them: a new PRIMARY deployment
// starts a service deployment (or is the rollback of one), and those not
// finished take the state of their deployments. Status changes only after
// a step (stepped); a read records a deployment UpdateService started as
// PENDING and the counts. e.mu must be held.
func (e *ECS) recordDeployments(svc *service, stepped bool) {
	info := svc.info()
	if len(info.Deployments) == 0 {
		return
	}
	h := e.serviceHistory(svc)
	now := e.clock.Now()
	prim := primaryOf(info)
	if h.byDep[prim.ID] == nil {
		if rec, to := h.rollbackOf(info, prim); rec != nil {
			src := e.revisionFor(h, info, to)
			h.byDep[prim.ID], h.revByDep[prim.ID] = rec, src
			rec.rollback = prim.ID
			rec.sd.Rollback = &ecs.Rollback{Reason: deploymentOf(info, rec.target).RolloutStateReason,
				StartedAt: ecs.NewTime(now), ServiceRevisionARN: src.ServiceRevisionARN}
			rec.setStatus(ecs.ServiceDeploymentStatusRollbackInProgress, rec.sd.Rollback.Reason, now)
		} else {
			e.newDeploymentRecord(h, info, prim, now)
		}
	}
	for _, rec := range h.open {
		e.updateRecord(h, rec, info, now, stepped)
	}
	h.open = slices.DeleteFunc(h.open, (*deploymentRecord).finished)
}

// rollbackOf returns, when prim is the rollback the circuit breaker or an
// alarm started, the service deployment it rolls back and the deployment
// it returns to: the one whose target just FAILED, and the newest
// COMPLETED deployment but prim, as the deploy package chooses it.
func (h *serviceHistory) rollbackOf(info *ecs.Service, prim *ecs.Deployment) (*deploymentRecord, *ecs.Deployment) {
	for _, rec := range h.open {
		tgt := deploymentOf(info, rec.target)
		if rec.rollback != "" || rec.stop != "" || tgt == nil || tgt.RolloutState != ecs.DeploymentRolloutStateFailed {
			continue
		}
		var to *ecs.Deployment
		for i := range info.Deployments {
			d := &info.Deployments[i]
			if d.ID != prim.ID && d.RolloutState == ecs.DeploymentRolloutStateCompleted &&
				(to == nil || d.CreatedAt.After(to.CreatedAt.Time)) {
				to = d
			}
		}
		if to == nil {
			to = prim
		}
		return rec, to
	}
	return nil, nil
}

// newDeploymentRecord records a service deployment of prim, a deployment
// a user started (CreateService, UpdateService): its source revisions are
// those of the service's ACTIVE deployments. One not finished that it
// replaces is STOPPED. e.mu must be held.
func (e *ECS) newDeploymentRecord(h *serviceHistory, info *ecs.Service, prim *ecs.Deployment, now time.Time) {
	for _, old := range h.open {
		old.setStatus(ecs.ServiceDeploymentStatusStopped, "Stopped: a newer service deployment started.", now)
		old.sd.StoppedAt = ecs.NewTime(now)
	}
	h.open = h.open[:0]
	target := e.revisionFor(h, info, prim)
	rec := &deploymentRecord{svc: h.svc, target: prim.ID}
	for i := range info.Deployments {
		if d := &info.Deployments[i]; d.ID != prim.ID && d.Status == "ACTIVE" {
			e.revisionFor(h, info, d)
			rec.sources = append(rec.sources, d.ID)
		}
	}
	cfg := deepCopy(info.DeploymentConfiguration)
	rec.sd = ecs.ServiceDeployment{
		ServiceDeploymentARN: e.arns.prefix() + "service-deployment/" + h.svc.cl.info.ClusterName + "/" + h.svc.name + "/" +
			e.serviceDeploymentID(prim.ID),
		ServiceARN: info.ServiceARN, ClusterARN: info.ClusterARN,
		CreatedAt: prim.CreatedAt, UpdatedAt: ecs.NewTime(now),
		TargetServiceRevision:   &ecs.ServiceRevisionSummary{ARN: target.ServiceRevisionARN},
		Status:                  ecs.ServiceDeploymentStatusPending,
		DeploymentConfiguration: cfg,
		DeploymentCircuitBreaker: &ecs.ServiceDeploymentCircuitBreaker{
			Status: ecs.ServiceDeploymentRollbackMonitorsStatusDisabled},
		Alarms: &ecs.ServiceDeploymentAlarms{Status: ecs.ServiceDeploymentRollbackMonitorsStatusDisabled},
	}
	if cfg != nil && cfg.Alarms != nil && cfg.Alarms.Enable {
		rec.sd.Alarms.AlarmNames = slices.Clone(cfg.Alarms.AlarmNames)
	}
	h.byDep[prim.ID] = rec
	h.open = append(h.open, rec)
	// Forget what is older than ECS keeps.
	keep := h.all[:0]
	for _, old := range h.all {
		if old.finished() && now.Sub(old.sd.CreatedAt.Time) > deploymentRetention {
			delete(e.history.deployments, old.sd.ServiceDeploymentARN)
			continue
		}
		keep = append(keep, old)
	}
	h.all = append(keep, rec)
	e.history.deployments[rec.sd.ServiceDeploymentARN] = rec
}

// updateRecord brings rec up to date with the deployments of info. e.mu
// must be held.
func (e *ECS) updateRecord(h *serviceHistory, rec *deploymentRecord, info *ecs.Service, now time.Time, stepped bool) {
	tgt := deploymentOf(info, rec.target)
	rec.sd.TargetServiceRevision = summaryOf(h.revByDep[rec.target], tgt)
	rec.sd.SourceServiceRevisions = make([]ecs.ServiceRevisionSummary, 0, len(rec.sources))
	for _, id := range rec.sources {
		rec.sd.SourceServiceRevisions = append(rec.sd.SourceServiceRevisions, *summaryOf(h.revByDep[id], deploymentOf(info, id)))
	}
	cfg := rec.sd.DeploymentConfiguration
	cb := cfg != nil && cfg.DeploymentCircuitBreaker != nil && cfg.DeploymentCircuitBreaker.Enable
	if cb && tgt != nil {
		rec.sd.DeploymentCircuitBreaker.FailureCount = tgt.FailedTasks
		rec.sd.DeploymentCircuitBreaker.Threshold = deploy.Threshold(cfg.DeploymentCircuitBreaker.ThresholdConfiguration, info.DesiredCount)
	}
	if !stepped {
		return
	}
	monitors := func(s ecs.ServiceDeploymentRollbackMonitorsStatus) {
		if cb {
			rec.sd.DeploymentCircuitBreaker.Status = s
		}
		if rec.sd.Alarms.AlarmNames != nil {
			rec.sd.Alarms.Status = s
		}
	}
	if rec.sd.StartedAt.IsZero() { // its first step
		rec.sd.StartedAt = ecs.NewTime(now)
		monitors(ecs.ServiceDeploymentRollbackMonitorsStatusMonitoring)
	}
	switch {
	case info.Status != serviceActive:
		rec.setStatus(ecs.ServiceDeploymentStatusStopped, "Stopped: the service was deleted.", now)
		rec.sd.StoppedAt = ecs.NewTime(now)
		monitors(ecs.ServiceDeploymentRollbackMonitorsStatusMonitoringComplete)
	case rec.rollback != "":
		if rec.stop == "" && tgt != nil && tgt.RolloutState == ecs.DeploymentRolloutStateFailed {
			e.triggered(rec, tgt) // what failed it, and started the rollback
		}
		rb := deploymentOf(info, rec.rollback)
		switch {
		case rb == nil:
			rec.setStatus(ecs.ServiceDeploymentStatusStopped, "Stopped: a newer service deployment started.", now)
			rec.sd.StoppedAt = ecs.NewTime(now)
		case rb.RolloutState == ecs.DeploymentRolloutStateCompleted:
			rec.setStatus(ecs.ServiceDeploymentStatusRollbackSuccessful, rb.RolloutStateReason, now)
			rec.sd.FinishedAt = ecs.NewTime(now)
		case rb.RolloutState == ecs.DeploymentRolloutStateFailed:
			rec.setStatus(ecs.ServiceDeploymentStatusRollbackFailed, rb.RolloutStateReason, now)
			rec.sd.FinishedAt = ecs.NewTime(now)
		default:
			rec.setStatus(ecs.ServiceDeploymentStatusRollbackInProgress, rec.sd.StatusReason, now)
		}
	case tgt == nil:
		rec.setStatus(ecs.ServiceDeploymentStatusStopped, "Stopped: a newer service deployment started.", now)
		rec.sd.StoppedAt = ecs.NewTime(now)
	case tgt.RolloutState == ecs.DeploymentRolloutStateCompleted:
		rec.setStatus(ecs.ServiceDeploymentStatusSuccessful, tgt.RolloutStateReason, now)
		rec.sd.FinishedAt = ecs.NewTime(now)
		monitors(ecs.ServiceDeploymentRollbackMonitorsStatusMonitoringComplete)
	case tgt.RolloutState == ecs.DeploymentRolloutStateFailed:
		rec.setStatus(ecs.ServiceDeploymentStatusStopped, tgt.RolloutStateReason, now)
		rec.sd.StoppedAt = ecs.NewTime(now)
		monitors(ecs.ServiceDeploymentRollbackMonitorsStatusMonitoringComplete)
		if rec.stop == "" {
			e.triggered(rec, tgt)
		}
	case rec.sd.Status == ecs.ServiceDeploymentStatusStopRequested:
	default:
		rec.setStatus(ecs.ServiceDeploymentStatusInProgress, tgt.RolloutStateReason, now)
	}
}

// triggered records which failure detection failed the deployment tgt:
// the circuit breaker when its count reached the threshold, else the
// alarms in ALARM, once. e.mu must be held.
func (e *ECS) triggered(rec *deploymentRecord, tgt *ecs.Deployment) {
	cb, al := rec.sd.DeploymentCircuitBreaker, rec.sd.Alarms
	if cb.Status == ecs.ServiceDeploymentRollbackMonitorsStatusTriggered || al.Status == ecs.ServiceDeploymentRollbackMonitorsStatusTriggered {
		return
	}
	if cb.Status != ecs.ServiceDeploymentRollbackMonitorsStatusDisabled && cb.Threshold > 0 && tgt.FailedTasks >= cb.Threshold {
		cb.Status = ecs.ServiceDeploymentRollbackMonitorsStatusTriggered
		return
	}
	for _, name := range al.AlarmNames {
		if e.alarms[name] {
			al.TriggeredAlarmNames = append(al.TriggeredAlarmNames, name)
		}
	}
	if len(al.TriggeredAlarmNames) > 0 {
		al.Status = ecs.ServiceDeploymentRollbackMonitorsStatusTriggered
	}
}

// setStatus sets the status and reason, and updatedAt when they change.
func (r *deploymentRecord) setStatus(s ecs.ServiceDeploymentStatus, reason string, now time.Time) {
	if r.sd.Status == s && r.sd.StatusReason == reason {
		return
	}
	r.sd.Status, r.sd.StatusReason, r.sd.UpdatedAt = s, reason, ecs.NewTime(now)
}

// revisionFor returns the service revision the deployment d runs, made
// the first time: its task definition, launch type or capacity provider
// strategy, platform, network configuration, and the service's load
// balancers and service registries. e.mu must be held.
func (e *ECS) revisionFor(h *serviceHistory, info *ecs.Service, d *ecs.Deployment) *ecs.ServiceRevision {
	if r := h.revByDep[d.ID]; r != nil {
		return r
	}
	svc := h.svc
	rev := &ecs.ServiceRevision{
		ServiceRevisionARN: e.arns.prefix() + "service-revision/" + svc.cl.info.ClusterName + "/" + svc.name + "/" + revisionID(e.seed, d.ID),
		ServiceARN:         info.ServiceARN, ClusterARN: info.ClusterARN,
		TaskDefinition:           d.TaskDefinition,
		CapacityProviderStrategy: slices.Clone(d.CapacityProviderStrategy),
		LaunchType:               d.LaunchType,
		PlatformVersion:          d.PlatformVersion, PlatformFamily: d.PlatformFamily,
		LoadBalancers:               slices.Clone(info.LoadBalancers),
		ServiceRegistries:           slices.Clone(info.ServiceRegistries),
		NetworkConfiguration:        deepCopy(d.NetworkConfiguration),
		ServiceConnectConfiguration: deepCopy(d.ServiceConnectConfiguration),
		VolumeConfigurations:        slices.Clone(d.VolumeConfigurations),
		FargateEphemeralStorage:     deepCopy(d.FargateEphemeralStorage),
		CreatedAt:                   d.CreatedAt,
	}
	if td := svc.tds[d.TaskDefinition]; td != nil {
		for _, cd := range td.ContainerDefinitions {
			rev.ContainerImages = append(rev.ContainerImages, ecs.ContainerImage{ContainerName: cd.Name, Image: cd.Image})
		}
	}
	h.revByDep[d.ID] = rev
	e.history.revisions[rev.ServiceRevisionARN] = rev
	return rev
}

// serviceDeploymentID returns the ID of the service deployment of the
// deployment depID, in the form of ECS's (20 letters, digits, - and _),
// derived from the seed.
func (e *ECS) serviceDeploymentID(depID string) string {
	h := sha256.New()
	binary.Write(h, binary.BigEndian, e.seed)
	h.Write([]byte("service-deployment/" + depID))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:15])
}

// revisionID returns the ID of the service revision of the deployment
// depID: its 19 digits (ecs-svc/DIGITS), or 19 digits derived from it.
func revisionID(seed uint64, depID string) string {
	if digits, ok := strings.CutPrefix(depID, "ecs-svc/"); ok && len(digits) == 19 && strings.Trim(digits, "0123456789") == "" {
		return digits
	}
	h := sha256.New()
	binary.Write(h, binary.BigEndian, seed)
	h.Write([]byte("service-revision/" + depID))
	return fmt.Sprintf("%019d", binary.BigEndian.Uint64(h.Sum(nil))%1e19)
}

// summaryOf returns the summary of rev, with the counts of d (0 when the
// deployment is gone).
func summaryOf(rev *ecs.ServiceRevision, d *ecs.Deployment) *ecs.ServiceRevisionSummary {
	s := &ecs.ServiceRevisionSummary{}
	if rev != nil {
		s.ARN = rev.ServiceRevisionARN
	}
	if d != nil {
		s.RequestedTaskCount, s.RunningTaskCount, s.PendingTaskCount = d.DesiredCount, d.RunningCount, d.PendingCount
	}
	return s
}

// primaryOf returns the PRIMARY deployment of svc, which has one.
func primaryOf(svc *ecs.Service) *ecs.Deployment {
	for i := range svc.Deployments {
		if svc.Deployments[i].Status == "PRIMARY" {
			return &svc.Deployments[i]
		}
	}
	return &svc.Deployments[0]
}

// deploymentOf returns the deployment of svc with the ID given, or nil.
func deploymentOf(svc *ecs.Service, id string) *ecs.Deployment {
	for i := range svc.Deployments {
		if svc.Deployments[i].ID == id {
			return &svc.Deployments[i]
		}
	}
	return nil
}

// describedService returns a copy of s as DescribeServices shows it, with
// its current service deployment and the service revisions its
// deployments run. e.mu must be held.
func (e *ECS) describedService(s *service) *ecs.Service {
	e.recordDeployments(s, false)
	out := cloneService(s.info())
	h := e.serviceHistory(s)
	if len(h.all) == 0 {
		return out
	}
	out.CurrentServiceDeployment = h.all[len(h.all)-1].sd.ServiceDeploymentARN
	for i := range out.Deployments {
		d := &out.Deployments[i]
		rev := h.revByDep[d.ID]
		if rev == nil || d.Status == "INACTIVE" {
			continue
		}
		out.CurrentServiceRevisions = append(out.CurrentServiceRevisions, ecs.ServiceCurrentRevisionSummary{
			ARN: rev.ServiceRevisionARN, RequestedTaskCount: d.DesiredCount, RunningTaskCount: d.RunningCount,
			PendingTaskCount: d.PendingCount})
	}
	return out
}

// ListServiceDeployments lists the service deployments of the service
// req.Service names (a name or ARN) in the cluster req.Cluster names
// ("default" when empty), newest first: every deployment its scheduler
// ran in the last 90 days, with their status (of req.Status, when given)
// and created in the window req.CreatedAt gives (after and before,
// exclusive), at most req.MaxResults (1 to 100, default 20) at a time.
func (e *ECS) ListServiceDeployments(ctx context.Context, req *ecs.ListServiceDeploymentsRequest) (*ecs.ListServiceDeploymentsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.Service == "" {
		return nil, invalidParameter("service is required.")
	}
	for _, s := range req.Status {
		if !s.Known() {
			return nil, invalidParameter("status %q is not valid: use one of %v.", s, ecs.ServiceDeploymentStatus("").Values())
		}
	}
	p, err := readPage("ListServiceDeployments", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	if req.MaxResults == nil {
		p.size = defaultDeploymentsPage
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(req.Cluster)
	if err != nil {
		return nil, err
	}
	svc, err := e.service(cl, req.Service)
	if err != nil {
		return nil, err
	}
	e.recordDeployments(svc, false)
	h := e.serviceHistory(svc)
	now := e.clock.Now()
	var list []*deploymentRecord
	for _, rec := range slices.Backward(h.all) {
		created := rec.sd.CreatedAt.Time
		switch {
		case now.Sub(created) > deploymentRetention:
		case len(req.Status) > 0 && !slices.Contains(req.Status, rec.sd.Status):
		case req.CreatedAt != nil && !req.CreatedAt.After.IsZero() && !created.After(req.CreatedAt.After.Time):
		case req.CreatedAt != nil && !req.CreatedAt.Before.IsZero() && !created.Before(req.CreatedAt.Before.Time):
		default:
			list = append(list, rec)
		}
	}
	pg, next := pageInOrder(p, list, func(r *deploymentRecord) string { return r.sd.ServiceDeploymentARN })
	resp := &ecs.ListServiceDeploymentsResponse{ServiceDeployments: []ecs.ServiceDeploymentBrief{}, NextToken: next}
	for _, rec := range pg {
		sd := &rec.sd
		resp.ServiceDeployments = append(resp.ServiceDeployments, ecs.ServiceDeploymentBrief{
			ServiceDeploymentARN: sd.ServiceDeploymentARN, ServiceARN: sd.ServiceARN, ClusterARN: sd.ClusterARN,
			StartedAt: sd.StartedAt, CreatedAt: sd.CreatedAt, FinishedAt: sd.FinishedAt,
			TargetServiceRevisionARN: sd.TargetServiceRevision.ARN, Status: sd.Status, StatusReason: sd.StatusReason,
		})
	}
	return resp, nil
}

// DescribeServiceDeployments describes the service deployments
// req.ServiceDeploymentARNs names (1 to 20); one that does not exist, or
// is older than 90 days, is a failure with reason MISSING.
func (e *ECS) DescribeServiceDeployments(ctx context.Context, req *ecs.DescribeServiceDeploymentsRequest) (*ecs.DescribeServiceDeploymentsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if len(req.ServiceDeploymentARNs) == 0 || len(req.ServiceDeploymentARNs) > maxDescribeDeployments {
		return nil, invalidParameter("serviceDeploymentArns must have 1 to %d items.", maxDescribeDeployments)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	resp := &ecs.DescribeServiceDeploymentsResponse{ServiceDeployments: []ecs.ServiceDeployment{}, Failures: []ecs.Failure{}}
	for _, arn := range req.ServiceDeploymentARNs {
		rec := e.deploymentRecord(arn)
		if rec == nil {
			resp.Failures = append(resp.Failures, ecs.Failure{ARN: arn, Reason: "MISSING"})
			continue
		}
		resp.ServiceDeployments = append(resp.ServiceDeployments, *deepCopy(&rec.sd))
	}
	return resp, nil
}

// deploymentRecord returns the service deployment arn names, brought up
// to date, or nil. e.mu must be held.
func (e *ECS) deploymentRecord(arn string) *deploymentRecord {
	rec := e.history.deployments[arn]
	if rec == nil || rec.svc.cl.dead || e.clock.Now().Sub(rec.sd.CreatedAt.Time) > deploymentRetention {
		return nil
	}
	e.recordDeployments(rec.svc, false)
	return rec
}

// DescribeServiceRevisions describes the service revisions
// req.ServiceRevisionARNs names (1 to 20); one that does not exist is a
// failure with reason MISSING.
func (e *ECS) DescribeServiceRevisions(ctx context.Context, req *ecs.DescribeServiceRevisionsRequest) (*ecs.DescribeServiceRevisionsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if len(req.ServiceRevisionARNs) == 0 || len(req.ServiceRevisionARNs) > maxDescribeDeployments {
		return nil, invalidParameter("serviceRevisionArns must have 1 to %d items.", maxDescribeDeployments)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	resp := &ecs.DescribeServiceRevisionsResponse{ServiceRevisions: []ecs.ServiceRevision{}, Failures: []ecs.Failure{}}
	for _, arn := range req.ServiceRevisionARNs {
		rev := e.history.revisions[arn]
		if rev == nil {
			resp.Failures = append(resp.Failures, ecs.Failure{ARN: arn, Reason: "MISSING"})
			continue
		}
		resp.ServiceRevisions = append(resp.ServiceRevisions, *deepCopy(rev))
	}
	return resp, nil
}

// StopServiceDeployment stops the service deployment
// req.ServiceDeploymentARN names, which must be PENDING or IN_PROGRESS (a
// ConflictException otherwise; one being stopped or rolled back already
// goes on, and the call succeeds). ROLLBACK, the default, goes
// ROLLBACK_REQUESTED and starts a deployment of the source revision (the
// newest one that completed, as the circuit breaker's rollback), which
// takes over that revision's tasks, then ROLLBACK_IN_PROGRESS,
// ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED as it goes; a service's first
// deployment has no revision to return to (a ConflictException). ABORT
// goes STOP_REQUESTED and then STOPPED: the deployment stops where it
// stands, its rolloutState FAILED, and the scheduler starts no more tasks
// for it until a new deployment.
func (e *ECS) StopServiceDeployment(ctx context.Context, req *ecs.StopServiceDeploymentRequest) (*ecs.StopServiceDeploymentResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.ServiceDeploymentARN == "" {
		return nil, invalidParameter("serviceDeploymentArn is required.")
	}
	stop := req.StopType
	if stop == "" {
		stop = ecs.StopServiceDeploymentStopTypeRollback
	}
	if !stop.Known() {
		return nil, invalidParameter("stopType %q is not valid: use ROLLBACK or ABORT.", req.StopType)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	rec := e.deploymentRecord(req.ServiceDeploymentARN)
	if rec == nil {
		return nil, apiErrorf(serviceDeploymentNotFoundException, ecs.ErrNotFound,
			"The service deployment %s does not exist.", req.ServiceDeploymentARN)
	}
	resp := &ecs.StopServiceDeploymentResponse{ServiceDeploymentARN: rec.sd.ServiceDeploymentARN}
	switch rec.sd.Status {
	case ecs.ServiceDeploymentStatusStopRequested, ecs.ServiceDeploymentStatusRollbackRequested,
		ecs.ServiceDeploymentStatusRollbackInProgress:
		return resp, nil
	case ecs.ServiceDeploymentStatusPending, ecs.ServiceDeploymentStatusInProgress:
	default:
		return nil, apiErrorf(conflictException, ecs.ErrInvalid,
			"The service deployment is %s: only a PENDING or IN_PROGRESS service deployment can be stopped.", rec.sd.Status)
	}
	svc, now := rec.svc, e.clock.Now()
	info := svc.info()
	if info.Status != serviceActive || primaryOf(info).ID != rec.target {
		return nil, apiErrorf(conflictException, ecs.ErrInvalid, "The service deployment is no longer the service's current one.")
	}
	next := *info
	if stop == ecs.StopServiceDeploymentStopTypeAbort {
		next.Deployments = slices.Clone(info.Deployments)
		d := primaryOf(&next)
		d.RolloutState = ecs.DeploymentRolloutStateFailed
		d.RolloutStateReason = "ECS deployment " + d.ID + " stopped: StopServiceDeployment ABORT."
		d.UpdatedAt = ecs.NewTime(now)
		rec.stop = stop
		rec.setStatus(ecs.ServiceDeploymentStatusStopRequested, d.RolloutStateReason, now)
		svc.drv.Service = &next
		e.wake(svc, now)
		return resp, nil
	}
	if err := e.startRollback(rec, "StopServiceDeployment ROLLBACK."); err != nil {
		return nil, err
	}
	rec.stop = stop
	return resp, nil
}

// startRollback starts a deployment of the source revision of rec (the
// newest one that completed), which takes over that revision's tasks, for
// the reason given; a service's first deployment has no revision to
// return to (a ConflictException). e.mu must be held.
func (e *ECS) startRollback(rec *deploymentRecord, reason string) error {
	svc, now := rec.svc, e.clock.Now()
	info := svc.info()
	next := *info
	src := rollbackSource(info, rec)
	if src == nil {
		return apiErrorf(conflictException, ecs.ErrInvalid,
			"The service deployment has no source service revision to roll back to: it is the service's first.")
	}
	h := e.serviceHistory(svc)
	id := e.deploymentID()
	next.LaunchType, next.CapacityProviderStrategy = src.LaunchType, slices.Clone(src.CapacityProviderStrategy)
	next.PlatformVersion, next.PlatformFamily = src.PlatformVersion, src.PlatformFamily
	next.NetworkConfiguration = deepCopy(src.NetworkConfiguration)
	rolled := deploy.StartDeployment(&next, src.TaskDefinition, id, now)
	// The new deployment takes over the tasks of the revision it returns
	// to: with the deployment that ran them gone, the scheduler gives
	// them to the PRIMARY deployment of their task definition.
	rolled.Deployments = slices.DeleteFunc(rolled.Deployments, func(d ecs.Deployment) bool {
		return d.ID != id && d.TaskDefinition == src.TaskDefinition
	})
	rolled.Deployments[0].RolloutStateReason = "ECS deployment " + id + " rolling back to deploymentId " + src.ID + "."
	rev := h.revByDep[src.ID]
	rec.rollback = id
	h.byDep[id], h.revByDep[id] = rec, rev
	rec.sd.Rollback = &ecs.Rollback{Reason: reason, StartedAt: ecs.NewTime(now),
		ServiceRevisionARN: rev.ServiceRevisionARN}
	rec.setStatus(ecs.ServiceDeploymentStatusRollbackRequested, rolled.Deployments[0].RolloutStateReason, now)
	svc.drv.Service = rolled
	e.wake(svc, now)
	return nil
}

// rollbackSource returns the deployment a rollback of rec returns to: of
// its source revisions, the newest that completed, else the newest.
func rollbackSource(info *ecs.Service, rec *deploymentRecord) *ecs.Deployment {
	completed := func(d *ecs.Deployment) bool { return d.RolloutState == ecs.DeploymentRolloutStateCompleted }
	var best *ecs.Deployment
	for _, id := range rec.sources {
		d := deploymentOf(info, id)
		switch {
		case d == nil:
		case best == nil, completed(d) && !completed(best),
			completed(d) == completed(best) && d.CreatedAt.After(best.CreatedAt.Time):
			best = d
		}
	}
	return best
}

// ContinueServiceDeployment continues or rolls back a service deployment
// paused at a PAUSE lifecycle hook (strategy_run.go): CONTINUE (the
// default) lets it go on, ROLLBACK rolls it back. A service deployment
// that does not exist is a ServiceDeploymentNotFoundException; a hook
// that is not awaiting action an InvalidParameterException.
func (e *ECS) ContinueServiceDeployment(ctx context.Context, req *ecs.ContinueServiceDeploymentRequest) (*ecs.ContinueServiceDeploymentResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	switch {
	case req == nil:
		return nil, invalidParameter("The request is required.")
	case req.ServiceDeploymentARN == "":
		return nil, invalidParameter("serviceDeploymentArn is required.")
	case req.HookID == "":
		return nil, invalidParameter("hookId is required.")
	case req.Action != "" && !req.Action.Known():
		return nil, invalidParameter("action %q is not valid: use CONTINUE or ROLLBACK.", req.Action)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	rec := e.deploymentRecord(req.ServiceDeploymentARN)
	if rec == nil {
		return nil, apiErrorf(serviceDeploymentNotFoundException, ecs.ErrNotFound,
			"The service deployment %s does not exist.", req.ServiceDeploymentARN)
	}
	if err := e.continueHook(rec, req.HookID, req.Action); err != nil {
		return nil, err
	}
	return &ecs.ContinueServiceDeploymentResponse{ServiceDeploymentARN: rec.sd.ServiceDeploymentARN}, nil
}
