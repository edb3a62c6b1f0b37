package ecs

import (
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxRevisions is the quota of revisions per family, deregistered ones
// included (rule 7).
const maxRevisions = 1_000_000

// Registry is an in-memory task definition registry, as ECS keeps one per
// account and Region. It is safe for concurrent use. The zero Registry is
// empty and ready to use, with NewRegistry's defaults; the methods of a
// nil *Registry return errors (Tags, Families and TaskDefinitions return
// nothing).
//
// Task definitions it returns are shared snapshots: they never change after
// they are returned (deregistration stores a new INACTIVE copy), and callers
// must not modify them.
type Registry struct {
	region, account string
	now             func() time.Time
	check           func(*TaskDefinition) error

	mu       sync.RWMutex
	families map[string]*family
	tags     map[string][]Tag // by task definition ARN
}

type family struct {
	// revisions[i] has revision i+1; it is nil once the revision is
	// deleted (Purge), whose number is never used again.
	revisions []*TaskDefinition
}

// RegistryOptions configure a Registry. The zero value names Region
// us-east-1 and account 123456789012 in ARNs and stamps times with
// time.Now.
type RegistryOptions struct {
	// Region is the Region named in ARNs.
	Region string
	// Account is the account named in ARNs.
	Account string
	// Clock stamps registeredAt and deregisteredAt.
	Clock func() time.Time
}

// NewRegistry returns an empty registry.
func NewRegistry(optFns ...func(*RegistryOptions)) *Registry {
	o := RegistryOptions{Region: DefaultRegion, Account: DefaultAccount, Clock: time.Now}
	for _, f := range optFns {
		if f != nil {
			f(&o)
		}
	}
	return &Registry{
		region:   o.Region,
		account:  o.Account,
		now:      o.Clock,
		check:    checkRegistration,
		families: map[string]*family{},
		tags:     map[string][]Tag{},
	}
}

// errNilRegistry is the error of the methods of a nil *Registry.
func errNilRegistry() error {
	return NewAPIError(ClientException, "ecs: the task definition registry is nil.", ErrInvalid)
}

// clock returns the time now, from the clock of WithClock if it was given
// one (the zero Registry has none).
func (r *Registry) clock() time.Time {
	if r.now == nil {
		return time.Now()
	}
	return r.now()
}

// Register registers td as the next revision of its family, as
// RegisterTaskDefinition does: it normalises cpu and memory to CPU units
// and MiB, fills compatibilities and requiresAttributes, sets status
// ACTIVE, registeredAt and the ARN, and numbers the revision one above the
// family's highest (numbers are never reused, also after deregistration).
// The output-only members of td are ignored. A task definition the API
// would refuse gives a ClientException *APIError wrapping ErrInvalid (and
// the findings, when validation finds them); the registry is then
// unchanged. td itself is never modified.
func (r *Registry) Register(td *TaskDefinition, tags []Tag) (*TaskDefinition, error) {
	if r == nil {
		return nil, errNilRegistry()
	}
	if td == nil {
		return nil, NewAPIError(ClientException, "Task definition is required.", ErrInvalid)
	}
	// Drop the output-only members before the copy, so that one the API
	// would not write (a timestamp out of its range) cannot fail it.
	in := *td
	clearOutputMembers(&in)
	reg, err := cloneTaskDefinition(&in)
	if err != nil {
		// A value the API's shapes cannot hold, such as a 32-bit integer
		// member above 2147483647.
		return nil, NewAPIError(ClientException, "Invalid task definition: "+err.Error(), fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	if data, err := Marshal(&in); err == nil && len(data) > maxTaskDefinitionSize {
		// Rule 7: at most 64 KiB, measured here as the API's JSON of the
		// task definition without spaces.
		return nil, NewAPIError(ClientException, fmt.Sprintf("The task definition is %d bytes; at most %d are allowed.",
			len(data), maxTaskDefinitionSize), ErrInvalid)
	}
	check := r.check
	if check == nil { // the zero Registry
		check = checkRegistration
	}
	if err := check(reg); err != nil {
		return nil, err
	}
	if err := normalizeSizes(reg); err != nil {
		return nil, NewAPIError(ClientException, err.Error(), fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	reg.Compatibilities = compatibilities(reg)
	reg.RequiresAttributes = RequiredAttributes(reg)
	reg.Status = TaskDefinitionStatusActive

	r.mu.Lock()
	defer r.mu.Unlock()
	fam := r.families[reg.Family]
	if fam == nil {
		fam = &family{}
	}
	if len(fam.revisions) >= maxRevisions {
		return nil, NewAPIError(ClientException,
			fmt.Sprintf("Too many revisions of family %s: the quota is %d.", reg.Family, maxRevisions), ErrInvalid)
	}
	reg.Revision = len(fam.revisions) + 1
	reg.TaskDefinitionARN = r.arn(reg.Family, reg.Revision)
	reg.RegisteredAt = NewTime(r.clock())
	fam.revisions = append(fam.revisions, reg)
	if r.families == nil { // the zero Registry
		r.families = map[string]*family{}
	}
	r.families[reg.Family] = fam
	if len(tags) > 0 {
		if r.tags == nil {
			r.tags = map[string][]Tag{}
		}
		r.tags[reg.TaskDefinitionARN] = slices.Clone(tags)
	}
	return reg, nil
}

func (r *Registry) arn(family string, revision int) string {
	region, account := r.region, r.account
	if region == "" { // the zero Registry
		region = DefaultRegion
	}
	if account == "" {
		account = DefaultAccount
	}
	return TaskDefinitionARN(region, account, family, revision).String()
}

// Describe returns the task definition that ref names: a family (its latest
// ACTIVE revision), family:revision, or an ARN. A revision is returned
// whatever its status; a family whose revisions are all INACTIVE gives an
// error wrapping ErrInactive, and an unknown one ErrNotFound.
func (r *Registry) Describe(ref string) (*TaskDefinition, error) {
	if r == nil {
		return nil, errNilRegistry()
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.lookup(ref)
}

func (r *Registry) lookup(ref string) (*TaskDefinition, error) {
	name, rev, hasRev, err := ParseTaskDefinitionRef(ref)
	if err != nil {
		return nil, NewAPIError(ClientException, err.Error(), fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	fam := r.families[name]
	if fam == nil {
		return nil, NewAPIError(ClientException, "Unable to describe task definition.",
			fmt.Errorf("task definition family %q: %w", name, ErrNotFound))
	}
	if hasRev {
		if rev < 1 || rev > len(fam.revisions) || fam.revisions[rev-1] == nil {
			return nil, NewAPIError(ClientException, "Unable to describe task definition.",
				fmt.Errorf("task definition %s:%d: %w", name, rev, ErrNotFound))
		}
		return fam.revisions[rev-1], nil
	}
	for i := len(fam.revisions) - 1; i >= 0; i-- {
		if td := fam.revisions[i]; td != nil && td.Status == TaskDefinitionStatusActive {
			return td, nil
		}
	}
	if !slices.ContainsFunc(fam.revisions, func(td *TaskDefinition) bool { return td != nil }) {
		return nil, NewAPIError(ClientException, "Unable to describe task definition.",
			fmt.Errorf("task definition family %q has no revision left: %w", name, ErrNotFound))
	}
	return nil, NewAPIError(ClientException, "Unable to describe task definition.",
		fmt.Errorf("task definition family %q has no ACTIVE revision: %w", name, ErrInactive))
}

// Deregister marks the revision ref names INACTIVE and stamps
// deregisteredAt. It stays describable by revision. ref must name a
// revision (family:revision or ARN); deregistering an INACTIVE revision
// gives an error wrapping ErrInactive and changes nothing.
func (r *Registry) Deregister(ref string) (*TaskDefinition, error) {
	if r == nil {
		return nil, errNilRegistry()
	}
	if err := needRevision(ref); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, err := r.lookup(ref)
	if err != nil {
		return nil, err
	}
	if cur.Status != TaskDefinitionStatusActive {
		return nil, NewAPIError(ClientException, "The specified task definition is already INACTIVE.",
			fmt.Errorf("task definition %s:%d: %w", cur.Family, cur.Revision, ErrInactive))
	}
	next := *cur // shallow: only top-level members change, the rest is shared and immutable
	next.Status = TaskDefinitionStatusInactive
	next.DeregisteredAt = NewTime(r.clock())
	r.families[cur.Family].revisions[cur.Revision-1] = &next
	return &next, nil
}

// Tags returns the tags registered with the task definition of arn.
func (r *Registry) Tags(arn string) []Tag {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.tags[arn])
}

// SetTags replaces the tags of the revision ref names (family:revision or
// an ARN), as TagResource and UntagResource leave them; the caller checks
// them. A reference to no revision gives an error wrapping ErrNotFound
// (ErrInvalid when it names no revision number).
func (r *Registry) SetTags(ref string, tags []Tag) error {
	if r == nil {
		return errNilRegistry()
	}
	if err := needRevision(ref); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	td, err := r.lookup(ref)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		delete(r.tags, td.TaskDefinitionARN)
		return nil
	}
	if r.tags == nil { // the zero Registry
		r.tags = map[string][]Tag{}
	}
	r.tags[td.TaskDefinitionARN] = slices.Clone(tags)
	return nil
}

// Delete asks for the deletion of the revision ref names
// (family:revision or an ARN), as DeleteTaskDefinitions does: an INACTIVE
// revision becomes DELETE_IN_PROGRESS, stamped deleteRequestedAt, and stays
// describable until Purge removes it, which its owner does once no task or
// service uses it. A revision that is DELETE_IN_PROGRESS already is
// returned as it is. An ACTIVE revision gives a ClientException wrapping
// ErrInvalid (deregister it first), an unknown one an error wrapping
// ErrNotFound; nothing changes then.
func (r *Registry) Delete(ref string) (*TaskDefinition, error) {
	if r == nil {
		return nil, errNilRegistry()
	}
	if err := needRevision(ref); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, err := r.lookup(ref)
	if err != nil {
		return nil, err
	}
	switch cur.Status {
	case TaskDefinitionStatusDeleteInProgress:
		return cur, nil
	case TaskDefinitionStatusActive:
		return nil, NewAPIError(ClientException,
			"The specified task definition is still in ACTIVE status. Please deregister the target and try again.",
			fmt.Errorf("task definition %s:%d is ACTIVE: %w", cur.Family, cur.Revision, ErrInvalid))
	}
	next := *cur // shallow, as Deregister's
	next.Status = TaskDefinitionStatusDeleteInProgress
	next.DeleteRequestedAt = NewTime(r.clock())
	r.families[cur.Family].revisions[cur.Revision-1] = &next
	return &next, nil
}

// Purge removes the revision ref names, which must be DELETE_IN_PROGRESS,
// with its tags: it is no longer described or listed, and its family is
// listed no more once none of its revisions is left. Its number is not
// given again. A revision of another status gives an error wrapping
// ErrInvalid, an unknown one an error wrapping ErrNotFound.
func (r *Registry) Purge(ref string) error {
	if r == nil {
		return errNilRegistry()
	}
	if err := needRevision(ref); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, err := r.lookup(ref)
	if err != nil {
		return err
	}
	if cur.Status != TaskDefinitionStatusDeleteInProgress {
		return NewAPIError(ClientException, "The specified task definition is not being deleted.",
			fmt.Errorf("task definition %s:%d is %s: %w", cur.Family, cur.Revision, cur.Status, ErrInvalid))
	}
	r.families[cur.Family].revisions[cur.Revision-1] = nil
	delete(r.tags, cur.TaskDefinitionARN)
	return nil
}

// needRevision refuses a reference that names no revision number, as
// Deregister does.
func needRevision(ref string) error {
	_, _, hasRev, err := ParseTaskDefinitionRef(ref)
	if err == nil && !hasRev {
		err = fmt.Errorf("task definition %q names no revision", ref)
	}
	if err != nil {
		return NewAPIError(ClientException, "Invalid revision number. "+err.Error(), fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	return nil
}

// Families yields the family names with at least one revision of the given
// status (any status when status is ""), in alphabetical order.
func (r *Registry) Families(status TaskDefinitionStatus) iter.Seq[string] {
	if r == nil {
		return slices.Values([]string(nil))
	}
	r.mu.RLock()
	var names []string
	for name, fam := range r.families {
		if slices.ContainsFunc(fam.revisions, func(td *TaskDefinition) bool {
			return td != nil && (status == "" || td.Status == status)
		}) {
			names = append(names, name)
		}
	}
	r.mu.RUnlock()
	slices.Sort(names)
	return slices.Values(names)
}

// TaskDefinitions yields the revisions of the given status (any when
// status is "") of every family whose name starts with familyPrefix, by
// family and then revision, as ListTaskDefinitions lists them.
func (r *Registry) TaskDefinitions(familyPrefix string, status TaskDefinitionStatus) iter.Seq[*TaskDefinition] {
	if r == nil {
		return slices.Values([]*TaskDefinition(nil))
	}
	r.mu.RLock()
	var list []*TaskDefinition
	for name, fam := range r.families {
		if !strings.HasPrefix(name, familyPrefix) {
			continue
		}
		for _, td := range fam.revisions {
			if td != nil && (status == "" || td.Status == status) {
				list = append(list, td)
			}
		}
	}
	r.mu.RUnlock()
	slices.SortFunc(list, func(a, b *TaskDefinition) int {
		if c := strings.Compare(a.Family, b.Family); c != 0 {
			return c
		}
		return a.Revision - b.Revision
	})
	return slices.Values(list)
}

// normalizeSizes writes task cpu and memory as CPU units and MiB, as ECS
// stores them ("1 vCPU" becomes "1024", "2 GB" becomes "2048").
func normalizeSizes(td *TaskDefinition) error {
	if td.CPU != "" {
		cpu, err := ParseCPU(td.CPU)
		if err != nil {
			return err
		}
		td.CPU = strconv.Itoa(cpu)
	}
	if td.Memory != "" {
		mem, err := ParseMemory(td.Memory)
		if err != nil {
			return err
		}
		td.Memory = strconv.Itoa(mem)
	}
	return nil
}

// compatibilities lists the launch types ECS records as compatible: EC2
// always, EXTERNAL for the network modes ECS Anywhere supports (all but
// awsvpc), and each launch type the task definition was validated against,
// in the order ECS writes them (["EXTERNAL", "EC2"], ["EC2", "FARGATE"]).
func compatibilities(td *TaskDefinition) []Compatibility {
	var out []Compatibility
	if td.NetworkMode != NetworkModeAwsvpc {
		out = append(out, CompatibilityExternal)
	}
	out = append(out, CompatibilityEC2)
	for _, c := range td.RequiresCompatibilities {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// clearOutputMembers drops what RegisterTaskDefinition does not take, so a
// describe-task-definition output can be registered again.
func clearOutputMembers(td *TaskDefinition) {
	td.TaskDefinitionARN = ""
	td.Revision = 0
	td.Status = ""
	td.RequiresAttributes = nil
	td.Compatibilities = nil
	td.RegisteredAt = Time{}
	td.RegisteredBy = ""
	td.DeregisteredAt = Time{}
	td.DeleteRequestedAt = Time{}
}

func cloneTaskDefinition(td *TaskDefinition) (*TaskDefinition, error) {
	data, err := Marshal(td)
	if err != nil {
		return nil, err
	}
	out := new(TaskDefinition)
	if err := Unmarshal(data, out); err != nil {
		return nil, err
	}
	return out, nil
}
