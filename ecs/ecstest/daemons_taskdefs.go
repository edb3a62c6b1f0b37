package ecstest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// Daemon task definitions (the developer guide's "Daemon task
// definitions", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-task-definitions.html):
// a registry of their own, apart from the task definitions', numbered by
// family as those are. A revision is checked by the library's task
// definition validation (ecs.ValidateTaskDefinition) as the task its
// daemon runs: its containers as containers of an EC2 task definition in
// bridge mode, which takes no host port (daemon containers have no port
// mappings: daemons share a network namespace of their own,
// daemon_bridge, that application tasks' ports never meet), and its
// volumes as bind mounts (host.sourcePath), the only volumes daemons
// take.

// daemonFamilyPattern is the family's rule: up to 255 letters, numbers,
// underscores and hyphens.
var daemonFamilyPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// daemonTaskDef is one revision of a daemon task definition.
type daemonTaskDef struct {
	td   ecs.DaemonTaskDefinition
	tags []ecs.Tag
	// run is the task definition a daemon task of this revision runs:
	// its containers and volumes, its ARN the revision's.
	run *ecs.TaskDefinition
}

// daemonTaskDefs is the daemon task definition registry of one Region.
type daemonTaskDefs struct {
	families map[string][]*daemonTaskDef // revision n at n-1
}

// RegisterDaemonTaskDefinition registers the next revision of the
// request's family (1 for a new family): ACTIVE, with registeredAt and
// registeredBy. It is refused, with ECS's ClientException naming the
// first problem, when its containers or sizes are not what ECS takes
// (ecs.ValidateTaskDefinition), and with an InvalidParameterException
// when the family, a volume or the tags break their rules.
func (e *ECS) RegisterDaemonTaskDefinition(ctx context.Context, req *ecs.RegisterDaemonTaskDefinitionRequest) (*ecs.RegisterDaemonTaskDefinitionResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if !daemonFamilyPattern.MatchString(req.Family) {
		return nil, invalidParameter("family %q is not valid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.", req.Family)
	}
	if len(req.ContainerDefinitions) == 0 {
		return nil, clientError("containerDefinitions must have at least one container definition.")
	}
	if err := checkTags(req.Tags); err != nil {
		return nil, err
	}
	run, err := daemonRunDefinition(req)
	if err != nil {
		return nil, err
	}
	td := ecs.DaemonTaskDefinition{
		Family: req.Family, TaskRoleARN: req.TaskRoleARN, ExecutionRoleARN: req.ExecutionRoleARN,
		ContainerDefinitions: slices.Clone(req.ContainerDefinitions), Volumes: slices.Clone(req.Volumes),
		CPU: run.CPU, Memory: run.Memory, Status: ecs.DaemonTaskDefinitionStatusActive,
	}
	if err := deepCopyInto(&td); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	reg := &e.daemons.taskDefs
	if reg.families == nil {
		reg.families = map[string][]*daemonTaskDef{}
	}
	revs := reg.families[req.Family]
	td.Revision = len(revs) + 1
	td.DaemonTaskDefinitionARN = e.arns.prefix() + "daemon-task-definition/" + req.Family + ":" + strconv.Itoa(td.Revision)
	td.RegisteredAt = ecs.NewTime(e.clock.Now())
	td.RegisteredBy = "arn:aws:iam::" + e.arns.account + ":root"
	run.Family, run.Revision, run.TaskDefinitionARN = td.Family, td.Revision, td.DaemonTaskDefinitionARN
	run.Status, run.RegisteredAt = ecs.TaskDefinitionStatusActive, td.RegisteredAt
	run.Compatibilities = []ecs.Compatibility{ecs.CompatibilityEC2}
	run.RequiresAttributes = ecs.RequiredAttributes(run)
	reg.families[req.Family] = append(revs, &daemonTaskDef{td: td, tags: slices.Clone(req.Tags), run: run})
	return &ecs.RegisterDaemonTaskDefinitionResponse{DaemonTaskDefinitionARN: td.DaemonTaskDefinitionARN}, nil
}

// deepCopyInto replaces *v with a deep copy of itself, so that what is
// stored shares nothing with the caller's request.
func deepCopyInto[T any](v *T) error {
	c := deepCopy(v)
	if c == nil {
		return errors.New("ecstest: copy of a daemon shape failed")
	}
	*v = *c
	return nil
}

// daemonRunDefinition returns the task definition a daemon task of req
// runs, checked as ECS checks a task definition of those containers and
// sizes, or ECS's error. Its cpu and memory are in CPU units and MiB.
func daemonRunDefinition(req *ecs.RegisterDaemonTaskDefinitionRequest) (*ecs.TaskDefinition, error) {
	run := &ecs.TaskDefinition{
		Family: req.Family, TaskRoleARN: req.TaskRoleARN, ExecutionRoleARN: req.ExecutionRoleARN,
		NetworkMode: ecs.NetworkModeBridge, CPU: req.CPU, Memory: req.Memory,
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityEC2},
	}
	// The daemon's container definition members are the task
	// definition's, spelled alike: read them as such.
	data, err := ecs.Marshal(req.ContainerDefinitions)
	if err == nil {
		err = ecs.Unmarshal(data, &run.ContainerDefinitions)
	}
	if err != nil {
		return nil, clientError("Invalid daemon task definition: %v", err)
	}
	for i, v := range req.Volumes {
		if v.Host == nil {
			// "Daemon volumes support only bind mounts with host and sourcePath."
			return nil, clientError("volumes[%d]: a daemon volume must be a bind mount with host.sourcePath.", i)
		}
		run.Volumes = append(run.Volumes, ecs.Volume{Name: v.Name, Host: &ecs.HostVolumeProperties{SourcePath: v.Host.SourcePath}})
	}
	if err := ecs.ValidateTaskDefinition(run).Err(); err != nil {
		var ve *ecs.ValidationError
		msg := err.Error()
		if errors.As(err, &ve) {
			for _, f := range ve.Findings {
				if f.Severity == ecs.SeverityError {
					msg = cmp.Or(f.APIMessage, f.Message)
					break
				}
			}
		}
		return nil, ecs.NewAPIError(ecs.ClientException, msg, fmt.Errorf("%w: %w", ecs.ErrInvalid, err))
	}
	for _, s := range []*string{&run.CPU, &run.Memory} {
		if *s == "" {
			continue
		}
		parse := ecs.ParseCPU
		if s == &run.Memory {
			parse = ecs.ParseMemory
		}
		n, err := parse(*s)
		if err != nil {
			return nil, clientError("Invalid daemon task definition size %q: %v", *s, err)
		}
		*s = strconv.Itoa(n)
	}
	return run, nil
}

// daemonTaskDef returns the revision ref names (family, family:revision
// or ARN; a family alone names its latest ACTIVE revision), or ECS's
// ClientException. e.mu must be held.
func (e *ECS) daemonTaskDef(ref string) (*daemonTaskDef, error) {
	name := ref
	if strings.HasPrefix(ref, "arn:") {
		p, ok := e.arns.parse("daemon-task-definition", ref)
		if !ok {
			return nil, clientError("Daemon task definition %s is not a daemon task definition ARN of this account and Region.", ref)
		}
		name = p.Name
	}
	family, revStr, hasRev := strings.Cut(name, ":")
	revs := e.daemons.taskDefs.families[family]
	if !hasRev {
		for _, d := range slices.Backward(revs) {
			if d.td.Status == ecs.DaemonTaskDefinitionStatusActive {
				return d, nil
			}
		}
		return nil, clientError("Unable to describe daemon task definition %s: it has no ACTIVE revision.", ref)
	}
	rev, err := strconv.Atoi(revStr)
	if err != nil || rev < 1 || rev > len(revs) {
		return nil, clientError("Unable to describe daemon task definition %s: it does not exist.", ref)
	}
	return revs[rev-1], nil
}

// DescribeDaemonTaskDefinition describes the daemon task definition
// req.DaemonTaskDefinition names: a family (its latest ACTIVE revision),
// family:revision or an ARN.
func (e *ECS) DescribeDaemonTaskDefinition(ctx context.Context, req *ecs.DescribeDaemonTaskDefinitionRequest) (*ecs.DescribeDaemonTaskDefinitionResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.DaemonTaskDefinition == "" {
		return nil, invalidParameter("daemonTaskDefinition is required.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d, err := e.daemonTaskDef(req.DaemonTaskDefinition)
	if err != nil {
		return nil, err
	}
	e.sweepDaemonTaskDefs()
	return &ecs.DescribeDaemonTaskDefinitionResponse{DaemonTaskDefinition: deepCopy(&d.td)}, nil
}

// DeleteDaemonTaskDefinition deletes an ACTIVE daemon task definition
// revision (family:revision or ARN): no daemon can be created or updated
// with it from now on, and daemons running it go on. It is
// DELETE_IN_PROGRESS while a daemon that is not deleted runs it, and
// DELETED after.
func (e *ECS) DeleteDaemonTaskDefinition(ctx context.Context, req *ecs.DeleteDaemonTaskDefinitionRequest) (*ecs.DeleteDaemonTaskDefinitionResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	ref := req.DaemonTaskDefinition
	if ref == "" {
		return nil, invalidParameter("daemonTaskDefinition is required.")
	}
	if !strings.HasPrefix(ref, "arn:") && !strings.Contains(ref, ":") {
		return nil, invalidParameter("daemonTaskDefinition %s must name a revision: family:revision or its ARN.", ref)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d, err := e.daemonTaskDef(ref)
	if err != nil {
		return nil, err
	}
	if d.td.Status != ecs.DaemonTaskDefinitionStatusActive {
		return nil, clientError("Daemon task definition %s is %s: only an ACTIVE one can be deleted.", d.td.DaemonTaskDefinitionARN, d.td.Status)
	}
	d.td.Status = ecs.DaemonTaskDefinitionStatusDeleteInProgress
	d.td.DeleteRequestedAt = ecs.NewTime(e.clock.Now())
	e.sweepDaemonTaskDefs()
	return &ecs.DeleteDaemonTaskDefinitionResponse{DaemonTaskDefinitionARN: d.td.DaemonTaskDefinitionARN}, nil
}

// sweepDaemonTaskDefs marks DELETED the revisions being deleted that no
// daemon runs any more (one deleted, or deployed away from them). e.mu
// must be held.
func (e *ECS) sweepDaemonTaskDefs() {
	inUse := map[string]bool{}
	for _, dm := range e.daemons.all {
		if dm.gone {
			continue
		}
		for _, arn := range dm.taskDefsInUse() {
			inUse[arn] = true
		}
	}
	for _, revs := range e.daemons.taskDefs.families {
		for _, d := range revs {
			if d.td.Status == ecs.DaemonTaskDefinitionStatusDeleteInProgress && !inUse[d.td.DaemonTaskDefinitionARN] {
				d.td.Status = ecs.DaemonTaskDefinitionStatusDeleted
			}
		}
	}
}

// ListDaemonTaskDefinitions lists daemon task definition revisions:
// ACTIVE ones by default (req.Status ACTIVE, DELETE_IN_PROGRESS or ALL),
// of the family req.Family names or whose family starts with
// req.FamilyPrefix, only the last registered of each family with
// req.Revision LAST_REGISTERED, by family and revision (req.Sort ASC, the
// default, or DESC), at most req.MaxResults (1 to 100, default 100) at a
// time.
func (e *ECS) ListDaemonTaskDefinitions(ctx context.Context, req *ecs.ListDaemonTaskDefinitionsRequest) (*ecs.ListDaemonTaskDefinitionsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	switch {
	case req.Status != "" && !req.Status.Known():
		return nil, invalidParameter("status %q is not valid: use one of %v.", req.Status, req.Status.Values())
	case req.Revision != "" && !req.Revision.Known():
		return nil, invalidParameter("revision %q is not valid: use one of %v.", req.Revision, req.Revision.Values())
	case req.Sort != "" && !req.Sort.Known():
		return nil, invalidParameter("sort %q is not valid: use one of %v.", req.Sort, req.Sort.Values())
	case req.Family != "" && req.FamilyPrefix != "":
		return nil, invalidParameter("family and familyPrefix cannot both be specified.")
	}
	p, err := readPage("ListDaemonTaskDefinitions", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	status := req.Status
	if status == "" {
		status = ecs.DaemonTaskDefinitionStatusFilterActive
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sweepDaemonTaskDefs()
	var list []*daemonTaskDef
	for _, fam := range slices.Sorted(maps.Keys(e.daemons.taskDefs.families)) {
		if req.Family != "" && fam != req.Family || !strings.HasPrefix(fam, req.FamilyPrefix) {
			continue
		}
		revs := e.daemons.taskDefs.families[fam]
		if req.Revision == ecs.DaemonTaskDefinitionRevisionFilterLastRegistered {
			revs = revs[len(revs)-1:]
		}
		for _, d := range revs {
			if status == ecs.DaemonTaskDefinitionStatusFilterAll && d.td.Status != ecs.DaemonTaskDefinitionStatusDeleted ||
				string(d.td.Status) == string(status) {
				list = append(list, d)
			}
		}
	}
	if req.Sort == ecs.SortOrderDesc {
		slices.Reverse(list)
	}
	pg, next := pageInOrder(p, list, func(d *daemonTaskDef) string { return d.td.DaemonTaskDefinitionARN })
	resp := &ecs.ListDaemonTaskDefinitionsResponse{DaemonTaskDefinitions: []ecs.DaemonTaskDefinitionSummary{}, NextToken: next}
	for _, d := range pg {
		resp.DaemonTaskDefinitions = append(resp.DaemonTaskDefinitions, ecs.DaemonTaskDefinitionSummary{
			ARN: d.td.DaemonTaskDefinitionARN, RegisteredAt: d.td.RegisteredAt, RegisteredBy: d.td.RegisteredBy,
			DeleteRequestedAt: d.td.DeleteRequestedAt, Status: d.td.Status,
		})
	}
	return resp, nil
}
