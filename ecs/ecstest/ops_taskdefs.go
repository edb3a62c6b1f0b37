package ecstest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// RegisterTaskDefinition registers the request's task definition in the
// registry, which validates it (Fargate sizes included), once its
// placement constraints pass placement.ValidatePlacement.
func (e *ECS) RegisterTaskDefinition(ctx context.Context, req *ecs.RegisterTaskDefinitionRequest) (*ecs.RegisterTaskDefinitionResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	tags := req.Tags
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	in := *req
	in.Tags = nil
	td := new(ecs.TaskDefinition)
	data, err := ecs.Marshal(&in)
	if err == nil {
		err = ecs.Unmarshal(data, td) // the request's members are the task definition's
	}
	if err != nil {
		return nil, fmt.Errorf("read task definition from request: %w", err)
	}
	if err := placement.ValidatePlacement(nil, nil, td); err != nil {
		return nil, err
	}
	reg, err := e.registry.Register(td, tags)
	if err != nil {
		return nil, err
	}
	return &ecs.RegisterTaskDefinitionResponse{TaskDefinition: reg, Tags: e.registry.Tags(reg.TaskDefinitionARN)}, nil
}

// DescribeTaskDefinition describes a revision (family:revision or ARN), or
// a family's latest ACTIVE revision, with its tags when req.Include asks
// for TAGS; an INACTIVE or DELETE_IN_PROGRESS revision stays describable
// by revision.
func (e *ECS) DescribeTaskDefinition(ctx context.Context, req *ecs.DescribeTaskDefinitionRequest) (*ecs.DescribeTaskDefinitionResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	withTags, err := includes(req.Include, ecs.TaskDefinitionFieldTags)
	if err != nil {
		return nil, err
	}
	if req.TaskDefinition == "" {
		return nil, clientError("taskDefinition is required.")
	}
	td, err := e.registry.Describe(req.TaskDefinition)
	if err != nil {
		return nil, err
	}
	resp := &ecs.DescribeTaskDefinitionResponse{TaskDefinition: td}
	if withTags[ecs.TaskDefinitionFieldTags] {
		resp.Tags = e.registry.Tags(td.TaskDefinitionARN)
	}
	return resp, nil
}

// DeregisterTaskDefinition makes a revision INACTIVE (ecs.Registry's
// Deregister): the tasks and services that run it go on, but RunTask,
// StartTask, CreateService and UpdateService refuse it.
func (e *ECS) DeregisterTaskDefinition(ctx context.Context, req *ecs.DeregisterTaskDefinitionRequest) (*ecs.DeregisterTaskDefinitionResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	td, err := e.registry.Deregister(req.TaskDefinition)
	if err != nil {
		return nil, err
	}
	return &ecs.DeregisterTaskDefinitionResponse{TaskDefinition: td}, nil
}

// ListTaskDefinitions lists revisions of one status (ACTIVE by default)
// by family and revision; familyPrefix, despite its name, is a whole
// family name, as the API documents.
func (e *ECS) ListTaskDefinitions(ctx context.Context, req *ecs.ListTaskDefinitionsRequest) (*ecs.ListTaskDefinitionsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	status := req.Status
	if status == "" {
		status = ecs.TaskDefinitionStatusActive
	}
	if !status.Known() {
		return nil, invalidParameter("Task definition status %q is not valid: use ACTIVE, INACTIVE or DELETE_IN_PROGRESS.", status)
	}
	if req.Sort != "" && req.Sort != ecs.SortOrderAsc && req.Sort != ecs.SortOrderDesc {
		return nil, invalidParameter("sort %q is not valid: use ASC or DESC.", req.Sort)
	}
	p, err := readPage("ListTaskDefinitions", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	var list []*ecs.TaskDefinition
	for td := range e.registry.TaskDefinitions(req.FamilyPrefix, status) {
		if req.FamilyPrefix == "" || td.Family == req.FamilyPrefix {
			list = append(list, td)
		}
	}
	desc := req.Sort == ecs.SortOrderDesc
	if desc {
		slices.Reverse(list)
	}
	key := func(td *ecs.TaskDefinition) string { return fmt.Sprintf("%s\x00%010d", td.Family, td.Revision) }
	pg, next := page(p, list, key, desc)
	resp := &ecs.ListTaskDefinitionsResponse{TaskDefinitionARNs: make([]string, 0, len(pg)), NextToken: next}
	for _, td := range pg {
		resp.TaskDefinitionARNs = append(resp.TaskDefinitionARNs, td.TaskDefinitionARN)
	}
	return resp, nil
}

// ListTaskDefinitionFamilies lists family names that start with
// familyPrefix: with status ACTIVE those with an ACTIVE revision, with
// INACTIVE those without one, and all of them by default (ALL).
func (e *ECS) ListTaskDefinitionFamilies(ctx context.Context, req *ecs.ListTaskDefinitionFamiliesRequest) (*ecs.ListTaskDefinitionFamiliesResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	var families []string
	switch req.Status {
	case "", ecs.TaskDefinitionFamilyStatusAll:
		families = slices.Collect(e.registry.Families(""))
	case ecs.TaskDefinitionFamilyStatusActive:
		families = slices.Collect(e.registry.Families(ecs.TaskDefinitionStatusActive))
	case ecs.TaskDefinitionFamilyStatusInactive:
		active := slices.Collect(e.registry.Families(ecs.TaskDefinitionStatusActive))
		for f := range e.registry.Families("") {
			if _, found := slices.BinarySearch(active, f); !found {
				families = append(families, f)
			}
		}
	default:
		return nil, invalidParameter("Task definition family status %q is not valid: use ACTIVE, INACTIVE or ALL.", req.Status)
	}
	p, err := readPage("ListTaskDefinitionFamilies", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	families = slices.DeleteFunc(families, func(f string) bool { return !strings.HasPrefix(f, req.FamilyPrefix) })
	pg, next := page(p, families, func(f string) string { return f }, false)
	return &ecs.ListTaskDefinitionFamiliesResponse{Families: append([]string{}, pg...), NextToken: next}, nil
}

// includes checks the values of a request's include member against the
// ones its operation knows and returns them as a set.
func includes[T ~string](values []T, known ...T) (map[T]bool, error) {
	set := make(map[T]bool, len(values))
	for _, v := range values {
		if !slices.Contains(known, v) {
			return nil, invalidParameter("include value %q is not valid: use %v.", v, known)
		}
		set[v] = true
	}
	return set, nil
}
