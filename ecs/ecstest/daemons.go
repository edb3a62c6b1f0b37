package ecstest

import (
	"context"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// Managed daemons (the developer guide's "Amazon ECS Managed Daemons",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons.html):
// a daemon runs exactly one task of its daemon task definition on each
// container instance of its capacity providers. The task starts when the
// instance registers, before any other task is placed there, and an
// application task placed there does not reach RUNNING before it; a
// daemon task that stops has its instance drained and replaced (the
// daemon is critical, the default, and the only kind the API model of
// record knows). Creating, updating and deleting a daemon runs a daemon
// deployment, which drains instances a batch at a time (drainPercent),
// and the instances launched to replace them run the target revision
// ("drain-provision-replace",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-deployments.html).
//
// ECS runs daemons on Managed Instances capacity providers only (rule
// 185): CreateDaemon and UpdateDaemon refuse any other provider, and
// the provider launches a replacement of each instance a daemon drains
// (drainForDaemon). The placement of a
// daemon's task is the placement package's daemon placement
// (placement.Engine.PlaceDaemonInto on the cluster's live engine, on the
// named instance), so it holds its instance's resources like any task.

// Exception types of the daemon operations that package ecs does not
// name.
const (
	daemonNotFoundException  = "DaemonNotFoundException"
	daemonNotActiveException = "DaemonNotActiveException"
)

const (
	// defaultDrainPercent is drainPercent when a daemon's deployment
	// configuration leaves it out: "If not specified, the default is
	// 25.0."
	defaultDrainPercent = 25.0
	// maxBakeTimeInMinutes bounds bakeTimeInMinutes (0–1440).
	maxBakeTimeInMinutes = 1440
	// maxDescribeDaemonItems is the most deployments or revisions one
	// describe call names ("You can specify up to 20 ARNs").
	maxDescribeDaemonItems = 20
	// defaultDaemonDeploymentsPage is how many deployments
	// ListDaemonDeployments returns without maxResults.
	defaultDaemonDeploymentsPage = 20
	// maxClientToken is the longest clientToken.
	maxClientToken = 36
)

var (
	daemonNamePattern  = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)
	clientTokenPattern = regexp.MustCompile(`^[\x21-\x7e]{1,36}$`)
)

// daemonState is the daemons of one Region and their history.
type daemonState struct {
	taskDefs    daemonTaskDefs
	all         []*daemon // in order of creation, until gone (pruneDaemon)
	byARN       map[string]*daemon
	deployments map[string]*daemonDeployment
	revisions   map[string]*daemonRevision
	tokens      map[string]*daemon // by clientToken
	// waiting holds, by instance, the application tasks waiting for its
	// daemon tasks to run; drained, the instances a daemon drained,
	// terminated once no task is left on them (daemons_runtime.go).
	waiting map[*instance][]*task
	drained map[*instance]bool
}

// daemon is a daemon of a cluster.
type daemon struct {
	cl     *cluster
	name   string
	arn    string
	status ecs.DaemonStatus
	// gone is set once a deleted daemon's last deployment has ended:
	// the daemon is no longer found.
	gone                 bool
	createdAt, updatedAt ecs.Time
	tags                 []ecs.Tag
	// rev is the revision that new instances of its providers get: the
	// latest deployment's target, or its rollback's; nil once deleted.
	rev *daemonRevision
	// tasks is its task on each instance, until the task is STOPPED.
	tasks map[*instance]*task
	deps  []*daemonDeployment // in order of creation
	next  wakeup              // its next evaluation
}

// daemonRevision is a daemon revision: the configuration a deployment
// rolls out.
type daemonRevision struct {
	dm        *daemon // its daemon, which a deleted one outlives
	rev       ecs.DaemonRevision
	td        *daemonTaskDef
	providers []string // capacity provider names, in the request's order
	cfg       ecs.DaemonDeploymentConfiguration
	tags      []ecs.Tag // the tags its tasks take (propagateTags, managed tags)
}

// daemonByARN returns the daemon arn names, unless it is gone (deleted,
// or its cluster dropped by Reset), or nil. e.mu must be held.
func (e *ECS) daemonByARN(arn string) *daemon {
	d := e.daemons.byARN[arn]
	if d == nil || d.gone || d.cl.dead {
		return nil
	}
	return d
}

// daemonMaps returns e's daemon state with its maps made, on first use.
// e.mu must be held.
func (e *ECS) daemonMaps() *daemonState {
	s := &e.daemons
	if s.byARN == nil {
		s.byARN = map[string]*daemon{}
		s.deployments = map[string]*daemonDeployment{}
		s.revisions = map[string]*daemonRevision{}
		s.tokens = map[string]*daemon{}
	}
	return s
}

// CreateDaemon creates a daemon in the cluster req.ClusterARN names (the
// default cluster when empty) on the capacity providers it names, which
// must be associated with the cluster, and starts its first deployment:
// instances of those providers that run already are drained and replaced
// by ones that run the daemon; with none, the deployment ends at once.
// A request with the clientToken of an earlier one returns that one's
// daemon.
func (e *ECS) CreateDaemon(ctx context.Context, req *ecs.CreateDaemonRequest) (*ecs.CreateDaemonResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if !daemonNamePattern.MatchString(req.DaemonName) {
		return nil, invalidParameter("daemonName %q is not valid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.", req.DaemonName)
	}
	if req.ClientToken != "" && !clientTokenPattern.MatchString(req.ClientToken) {
		return nil, invalidParameter("clientToken must be 1 to %d ASCII characters from 33 to 126.", maxClientToken)
	}
	if err := checkTags(req.Tags); err != nil {
		return nil, err
	}
	cfg, err := daemonDeploymentConfig(req.DeploymentConfiguration)
	if err != nil {
		return nil, err
	}
	if req.PropagateTags != "" && !req.PropagateTags.Known() {
		return nil, invalidParameter("propagateTags %q is not valid: use one of %v.", req.PropagateTags, req.PropagateTags.Values())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.daemonMaps()
	if dm := st.tokens[req.ClientToken]; req.ClientToken != "" && dm != nil && !dm.gone {
		if dm.name != req.DaemonName {
			return nil, invalidParameter("clientToken %s was used for another daemon.", req.ClientToken)
		}
		return &ecs.CreateDaemonResponse{DaemonARN: dm.arn, Status: dm.status, CreatedAt: dm.createdAt, DeploymentARN: dm.latest().d.DaemonDeploymentARN}, nil
	}
	cl, err := e.activeCluster(req.ClusterARN)
	if err != nil {
		return nil, err
	}
	arn := e.arns.prefix() + "daemon/" + cl.info.ClusterName + "/" + req.DaemonName
	if old := st.byARN[arn]; old != nil && !old.gone {
		return nil, invalidParameter("A daemon named %s exists already in cluster %s: creation of a daemon is not idempotent.", req.DaemonName, cl.info.ClusterName)
	}
	td, providers, err := e.daemonTarget(cl, req.DaemonTaskDefinitionARN, req.CapacityProviderARNs)
	if err != nil {
		return nil, err
	}
	now := ecs.NewTime(e.clock.Now())
	dm := &daemon{cl: cl, name: req.DaemonName, arn: arn, status: ecs.DaemonStatusActive,
		createdAt: now, updatedAt: now, tags: slices.Clone(req.Tags), tasks: map[*instance]*task{}}
	rev := e.newDaemonRevision(dm, td, providers, cfg, req.PropagateTags, req.EnableECSManagedTags, req.EnableExecuteCommand)
	st.all = append(st.all, dm)
	st.byARN[arn] = dm
	if req.ClientToken != "" {
		st.tokens[req.ClientToken] = dm
	}
	dep := e.startDaemonDeployment(dm, rev)
	return &ecs.CreateDaemonResponse{DaemonARN: arn, Status: dm.status, CreatedAt: dm.createdAt, DeploymentARN: dep.d.DaemonDeploymentARN}, nil
}

// daemonDeploymentConfig checks a daemon's deployment configuration and
// returns it with its defaults: drainPercent 25, bake time 0, alarms
// off.
func daemonDeploymentConfig(in *ecs.DaemonDeploymentConfiguration) (ecs.DaemonDeploymentConfiguration, error) {
	var cfg ecs.DaemonDeploymentConfiguration
	if in != nil {
		cfg = *deepCopy(in)
	}
	switch {
	case cfg.DrainPercent != nil && (math.IsNaN(*cfg.DrainPercent) || *cfg.DrainPercent < 0 || *cfg.DrainPercent > 100):
		return cfg, invalidParameter("deploymentConfiguration.drainPercent must be between 0.0 and 100.0, not %v.", *cfg.DrainPercent)
	case cfg.BakeTimeInMinutes < 0 || cfg.BakeTimeInMinutes > maxBakeTimeInMinutes:
		return cfg, invalidParameter("deploymentConfiguration.bakeTimeInMinutes must be between 0 and %d, not %d.", maxBakeTimeInMinutes, cfg.BakeTimeInMinutes)
	case cfg.Alarms != nil && cfg.Alarms.Enable && len(cfg.Alarms.AlarmNames) == 0:
		return cfg, invalidParameter("deploymentConfiguration.alarms.alarmNames must name at least one alarm when alarms are enabled.")
	}
	if cfg.DrainPercent == nil {
		cfg.DrainPercent = ptrTo(defaultDrainPercent)
	}
	if cfg.Alarms == nil {
		cfg.Alarms = &ecs.DaemonAlarmConfiguration{AlarmNames: []string{}}
	}
	return cfg, nil
}

// daemonTarget resolves what a daemon is to run: an ACTIVE daemon task
// definition revision, and capacity providers associated with cl (ARNs
// or names, at least one, each once), by name. e.mu must be held.
func (e *ECS) daemonTarget(cl *cluster, tdRef string, refs []string) (*daemonTaskDef, []string, error) {
	if tdRef == "" {
		return nil, nil, invalidParameter("daemonTaskDefinitionArn is required.")
	}
	td, err := e.daemonTaskDef(tdRef)
	if err != nil {
		return nil, nil, err
	}
	if td.td.Status != ecs.DaemonTaskDefinitionStatusActive {
		return nil, nil, clientError("Daemon task definition %s is %s: a daemon can only use an ACTIVE one.", td.td.DaemonTaskDefinitionARN, td.td.Status)
	}
	if len(refs) == 0 {
		return nil, nil, invalidParameter("capacityProviderArns must name at least one capacity provider.")
	}
	var names []string
	for _, ref := range refs {
		name := ref[strings.LastIndexByte(ref, '/')+1:]
		if strings.HasPrefix(ref, "arn:") {
			if p, ok := e.arns.parse("capacity-provider", ref); !ok || p.Name != name {
				return nil, nil, invalidParameter("capacityProviderArns: %s is not a capacity provider ARN of this account and Region.", ref)
			}
		}
		p := e.providers[name]
		switch {
		case capacity.IsFargate(name):
			return nil, nil, invalidParameter("capacityProviderArns: a daemon cannot run on the %s capacity provider: daemons run on the container instances of a cluster's capacity providers.", name)
		case p == nil || p.info.Status == ecs.CapacityProviderStatusInactive:
			return nil, nil, invalidParameter("capacityProviderArns: the capacity provider %s does not exist.", ref)
		case p.mi == nil:
			// Rule 185: ECS Managed Daemons run only on Managed
			// Instances capacity providers.
			return nil, nil, invalidParameter("capacityProviderArns: the capacity provider %s is not an Amazon ECS Managed Instances capacity provider: ECS Managed Daemons is only supported for Amazon ECS Managed Instances capacity providers.", name)
		case p.cluster != cl:
			return nil, nil, invalidParameter("capacityProviderArns: the capacity provider %s is not associated with cluster %s.", name, cl.info.ClusterName)
		case slices.Contains(names, name):
			return nil, nil, invalidParameter("capacityProviderArns: the capacity provider %s is named twice.", name)
		}
		names = append(names, name)
	}
	return td, names, nil
}

// newDaemonRevision records a revision of dm. e.mu must be held.
func (e *ECS) newDaemonRevision(dm *daemon, td *daemonTaskDef, providers []string, cfg ecs.DaemonDeploymentConfiguration,
	propagate ecs.DaemonPropagateTags, managed, execute bool) *daemonRevision {
	if propagate == "" {
		propagate = ecs.DaemonPropagateTagsNone
	}
	id := revisionID(e.seed, "daemon/"+dm.arn+"/"+e.ids.next("daemon-revision"))
	rev := &daemonRevision{dm: dm, td: td, providers: providers, cfg: cfg, rev: ecs.DaemonRevision{
		DaemonRevisionARN: e.arns.prefix() + "daemon-revision/" + dm.cl.info.ClusterName + "/" + dm.name + "/" + id,
		ClusterARN:        dm.cl.info.ClusterARN, DaemonARN: dm.arn, DaemonTaskDefinitionARN: td.td.DaemonTaskDefinitionARN,
		CreatedAt: ecs.NewTime(e.clock.Now()), PropagateTags: propagate,
		EnableECSManagedTags: ptrTo(managed), EnableExecuteCommand: ptrTo(execute),
		ContainerImages: []ecs.DaemonContainerImage{},
	}}
	for _, cd := range td.td.ContainerDefinitions {
		rev.rev.ContainerImages = append(rev.rev.ContainerImages, ecs.DaemonContainerImage{ContainerName: cd.Name, Image: cd.Image})
	}
	if propagate == ecs.DaemonPropagateTagsDaemon {
		rev.tags = slices.Clone(dm.tags)
	}
	if managed {
		rev.tags = mergeTags(rev.tags, []ecs.Tag{{Key: ManagedTagClusterName, Value: dm.cl.info.ClusterName}})
	}
	e.daemons.revisions[rev.rev.DaemonRevisionARN] = rev
	return rev
}

// UpdateDaemon updates an ACTIVE daemon and starts a deployment of the new
// revision, which stops the one in progress. As the developer guide says,
// settings are not kept from one call to the next: what the request
// leaves out takes its default.
func (e *ECS) UpdateDaemon(ctx context.Context, req *ecs.UpdateDaemonRequest) (*ecs.UpdateDaemonResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	cfg, err := daemonDeploymentConfig(req.DeploymentConfiguration)
	if err != nil {
		return nil, err
	}
	if req.PropagateTags != "" && !req.PropagateTags.Known() {
		return nil, invalidParameter("propagateTags %q is not valid: use one of %v.", req.PropagateTags, req.PropagateTags.Values())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	dm, err := e.daemonOf(req.DaemonARN)
	if err != nil {
		return nil, err
	}
	if dm.status != ecs.DaemonStatusActive {
		return nil, apiErrorf(daemonNotActiveException, ecs.ErrInvalid, "The daemon %s is %s: only an ACTIVE daemon can be updated.", dm.arn, dm.status)
	}
	td, providers, err := e.daemonTarget(dm.cl, req.DaemonTaskDefinitionARN, req.CapacityProviderARNs)
	if err != nil {
		return nil, err
	}
	rev := e.newDaemonRevision(dm, td, providers, cfg, req.PropagateTags, req.EnableECSManagedTags, req.EnableExecuteCommand)
	dm.updatedAt = ecs.NewTime(e.clock.Now())
	dep := e.startDaemonDeployment(dm, rev)
	return &ecs.UpdateDaemonResponse{DaemonARN: dm.arn, Status: dm.status, CreatedAt: dm.createdAt,
		UpdatedAt: dm.updatedAt, DeploymentARN: dep.d.DaemonDeploymentARN}, nil
}

// DeleteDaemon deletes an ACTIVE daemon: it is DELETE_IN_PROGRESS, and a
// deployment drains its instances a batch at a time and replaces them
// with instances that run no task of it. Once that deployment ends, the
// daemon is no longer found.
func (e *ECS) DeleteDaemon(ctx context.Context, req *ecs.DeleteDaemonRequest) (*ecs.DeleteDaemonResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	dm, err := e.daemonOf(req.DaemonARN)
	if err != nil {
		return nil, err
	}
	if dm.status != ecs.DaemonStatusActive {
		return nil, apiErrorf(daemonNotActiveException, ecs.ErrInvalid, "The daemon %s is %s: only an ACTIVE daemon can be deleted.", dm.arn, dm.status)
	}
	dm.status = ecs.DaemonStatusDeleteInProgress
	dm.updatedAt = ecs.NewTime(e.clock.Now())
	dep := e.startDaemonDeployment(dm, nil)
	return &ecs.DeleteDaemonResponse{DaemonARN: dm.arn, Status: dm.status, CreatedAt: dm.createdAt,
		UpdatedAt: dm.updatedAt, DeploymentARN: dep.d.DaemonDeploymentARN}, nil
}

// daemonOf returns the daemon arn names, or ECS's error: the
// InvalidParameterException of a malformed ARN, the
// ClusterNotFoundException of a cluster that is gone, the
// DaemonNotFoundException of a daemon that is. e.mu must be held.
func (e *ECS) daemonOf(arn string) (*daemon, error) {
	if arn == "" {
		return nil, invalidParameter("daemonArn is required.")
	}
	p, ok := e.arns.parse("daemon", arn)
	cluster, _, two := strings.Cut(p.Name, "/")
	if !ok || !two {
		return nil, invalidParameter("daemonArn %s is not a daemon ARN of this account and Region (arn:aws:ecs:%s:%s:daemon/CLUSTER/NAME).", arn, e.arns.region, e.arns.account)
	}
	if _, err := e.activeCluster(cluster); err != nil {
		return nil, err
	}
	dm := e.daemonByARN(arn)
	if dm == nil {
		return nil, apiErrorf(daemonNotFoundException, ecs.ErrNotFound, "The daemon %s does not exist.", arn)
	}
	return dm, nil
}

// DescribeDaemon describes a daemon: its status, its latest deployment,
// and the revisions its instances run, with the count of its tasks that
// run each, per capacity provider.
func (e *ECS) DescribeDaemon(ctx context.Context, req *ecs.DescribeDaemonRequest) (*ecs.DescribeDaemonResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	dm, err := e.daemonOf(req.DaemonARN)
	if err != nil {
		return nil, err
	}
	d := &ecs.DaemonDetail{DaemonARN: dm.arn, ClusterARN: dm.cl.info.ClusterARN, Status: dm.status,
		DeploymentARN: dm.latest().d.DaemonDeploymentARN, CreatedAt: dm.createdAt, UpdatedAt: dm.updatedAt,
		CurrentRevisions: []ecs.DaemonRevisionDetail{}}
	for _, rc := range e.runningByRevision(dm) {
		rd := ecs.DaemonRevisionDetail{ARN: rc.rev.rev.DaemonRevisionARN, CapacityProviders: []ecs.DaemonCapacityProvider{}}
		for _, name := range slices.Sorted(maps.Keys(rc.byProvider)) {
			rd.CapacityProviders = append(rd.CapacityProviders, ecs.DaemonCapacityProvider{
				ARN: e.arns.prefix() + "capacity-provider/" + name, RunningCount: rc.byProvider[name]})
			rd.TotalRunningCount += rc.byProvider[name]
		}
		d.CurrentRevisions = append(d.CurrentRevisions, rd)
	}
	return &ecs.DescribeDaemonResponse{Daemon: d}, nil
}

// ListDaemons lists the daemons of the cluster req.ClusterARN names (of
// every cluster when empty) that run on one of the capacity providers
// req.CapacityProviderARNs names (any, when empty), by ARN, at most
// req.MaxResults (1 to 100, default 100) at a time.
func (e *ECS) ListDaemons(ctx context.Context, req *ecs.ListDaemonsRequest) (*ecs.ListDaemonsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	p, err := readPage("ListDaemons", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var only *cluster
	if req.ClusterARN != "" {
		if only, err = e.activeCluster(req.ClusterARN); err != nil {
			return nil, err
		}
	}
	want := map[string]bool{}
	for _, ref := range req.CapacityProviderARNs {
		want[ref[strings.LastIndexByte(ref, '/')+1:]] = true
	}
	var list []*daemon
	for _, dm := range e.daemons.all {
		switch {
		case dm.gone || dm.cl.dead || dm.cl.info.Status != statusActive:
		case only != nil && dm.cl != only:
		case len(want) > 0 && !slices.ContainsFunc(dm.providers(), func(n string) bool { return want[n] }):
		default:
			list = append(list, dm)
		}
	}
	slices.SortFunc(list, func(a, b *daemon) int { return strings.Compare(a.arn, b.arn) })
	pg, next := page(p, list, func(d *daemon) string { return d.arn }, false)
	resp := &ecs.ListDaemonsResponse{DaemonSummariesList: []ecs.DaemonSummary{}, NextToken: next}
	for _, dm := range pg {
		resp.DaemonSummariesList = append(resp.DaemonSummariesList, ecs.DaemonSummary{
			DaemonARN: dm.arn, Status: dm.status, CreatedAt: dm.createdAt, UpdatedAt: dm.updatedAt})
	}
	return resp, nil
}

// providers returns the capacity providers the daemon runs on: those of
// its revision, or of the revision it was deleted from.
func (dm *daemon) providers() []string {
	for _, dep := range slices.Backward(dm.deps) {
		if dep.target != nil {
			return dep.target.providers
		}
		for _, src := range dep.sources {
			return src.providers
		}
	}
	return nil
}

// latest returns the daemon's latest deployment.
func (dm *daemon) latest() *daemonDeployment { return dm.deps[len(dm.deps)-1] }

// taskDefsInUse returns the ARNs of the daemon task definitions the
// daemon runs or rolls out.
func (dm *daemon) taskDefsInUse() []string {
	var out []string
	if dm.rev != nil {
		out = append(out, dm.rev.td.td.DaemonTaskDefinitionARN)
	}
	for _, tk := range dm.tasks {
		out = append(out, tk.td.TaskDefinitionARN)
	}
	return out
}

// revisionCount is how many tasks of a revision run, per provider.
type revisionCount struct {
	rev        *daemonRevision
	byProvider map[string]int
}

// runningByRevision returns the revisions whose tasks run on the
// daemon's instances, newest first, with the RUNNING tasks of each per
// capacity provider. e.mu must be held.
func (e *ECS) runningByRevision(dm *daemon) []revisionCount {
	byRev := map[*daemonRevision]map[string]int{}
	for inst, tk := range dm.tasks {
		if tk.t.LastStatus != ecs.TaskStatusRunning || tk.stopping() {
			continue
		}
		if byRev[tk.daemonRev] == nil {
			byRev[tk.daemonRev] = map[string]int{}
		}
		byRev[tk.daemonRev][inst.ci.CapacityProviderName]++
	}
	var out []revisionCount
	for rev, n := range byRev {
		out = append(out, revisionCount{rev, n})
	}
	slices.SortFunc(out, func(a, b revisionCount) int {
		if c := b.rev.rev.CreatedAt.Compare(a.rev.rev.CreatedAt.Time); c != 0 {
			return c
		}
		return strings.Compare(a.rev.rev.DaemonRevisionARN, b.rev.rev.DaemonRevisionARN)
	})
	return out
}

// The resource types of daemon ARNs that TagResource takes.
const (
	arnTypeDaemon               = "daemon"
	arnTypeDaemonTaskDefinition = "daemon-task-definition"
)

// daemonTaggable is where the tags of a daemon (by its ARN) or of a
// daemon task definition revision are kept, for the tagging operations
// (taggable). A daemon's tags propagate to the tasks of the revisions
// deployed after they changed (propagateTags DAEMON). e.mu must be held.
func (e *ECS) daemonTaggable(p ecs.ARN, arn string, missing func(string) error) (taggable, error) {
	if p.ResourceType == arnTypeDaemonTaskDefinition {
		d, err := e.daemonTaskDef(arn)
		if err != nil || !strings.Contains(p.Name, ":") || d.td.Status == ecs.DaemonTaskDefinitionStatusDeleted {
			return taggable{}, missing("daemon task definition")
		}
		return taggable{
			tags: func() []ecs.Tag { return slices.Clone(d.tags) },
			set:  func(tags []ecs.Tag) error { d.tags = slices.Clone(tags); return nil },
		}, nil
	}
	dm := e.daemonByARN(arn)
	if dm == nil {
		return taggable{}, missing("daemon")
	}
	return taggable{
		tags: func() []ecs.Tag { return slices.Clone(dm.tags) },
		set:  func(tags []ecs.Tag) error { dm.tags = slices.Clone(tags); return nil },
	}, nil
}

// String names the daemon, for logs.
func (dm *daemon) String() string { return fmt.Sprintf("daemon %s", dm.arn) }

// pruneDaemon forgets a daemon that is gone: ECS no longer finds it
// (DescribeDaemon, ListDaemons), so it leaves the list, the index by ARN
// and the client tokens, which would otherwise grow with every daemon
// ever created. Its deployments and revisions stay describable, as
// ECS's do. e.mu must be held.
func (e *ECS) pruneDaemon(dm *daemon) {
	st := &e.daemons
	st.all = slices.DeleteFunc(st.all, func(d *daemon) bool { return d == dm })
	if st.byARN[dm.arn] == dm {
		delete(st.byARN, dm.arn)
	}
	maps.DeleteFunc(st.tokens, func(_ string, d *daemon) bool { return d == dm })
}
