package ecstest

import (
	"context"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// The ECS managed tags (the developer guide's "Tagging your Amazon ECS
// resources" and "Amazon ECS usage reports"): with enableECSManagedTags,
// ECS tags each task it starts with its cluster's name, and a service's
// tasks with the service's name too.
const (
	// ManagedTagClusterName is the key of the managed tag whose value is
	// the name of the task's cluster.
	ManagedTagClusterName = "aws:ecs:clusterName"
	// ManagedTagServiceName is the key of the managed tag whose value is
	// the name of the task's service.
	ManagedTagServiceName = "aws:ecs:serviceName"
)

// tagsLongARN is ECS's refusal of a resource of a cluster named by an ARN
// in the old short form (service/NAME, task/ID), which tagging does not
// take.
const tagsLongARN = "Long arn format must be used for tagging operations"

// TagResource adds tags to the resource req.ResourceARN names (a cluster,
// service, task, task definition revision, container instance or capacity
// provider, by its long ARN): a key the resource has gets the new value,
// the others are added after its tags. The tags are checked as checkTags
// checks them, and the resource may hold at most 50 tags beside those in
// the aws: namespace (a LimitExceededException). A resource that does not
// exist is a ResourceNotFoundException, one of a deleted cluster an
// InvalidParameterException, as ECS says it.
func (e *ECS) TagResource(ctx context.Context, req *ecs.TagResourceRequest) (*ecs.TagResourceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.ResourceARN == "" {
		return nil, invalidParameter("resourceArn is required.")
	}
	if len(req.Tags) == 0 {
		return nil, invalidParameter("tags must have at least 1 item.")
	}
	if err := checkTags(req.Tags); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.taggable(req.ResourceARN, ecs.ResourceNotFoundException)
	if err != nil {
		return nil, err
	}
	merged := mergeTags(r.tags(), req.Tags)
	if n := userTagCount(merged); n > maxTags {
		return nil, apiErrorf(ecs.LimitExceededException, ecs.ErrInvalid,
			"A resource can have at most %d tags; this would give it %d.", maxTags, n)
	}
	if err := r.set(merged); err != nil {
		return nil, err
	}
	return &ecs.TagResourceResponse{}, nil
}

// UntagResource deletes the tags of the keys req.TagKeys names from the
// resource req.ResourceARN names (as TagResource finds it); keys it does
// not have are skipped. Keys in the aws: namespace cannot be deleted.
func (e *ECS) UntagResource(ctx context.Context, req *ecs.UntagResourceRequest) (*ecs.UntagResourceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.ResourceARN == "" {
		return nil, invalidParameter("resourceArn is required.")
	}
	if len(req.TagKeys) == 0 {
		return nil, invalidParameter("tagKeys must have at least 1 item.")
	}
	for _, k := range req.TagKeys {
		if err := checkTagKey(k); err != nil {
			return nil, err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.taggable(req.ResourceARN, ecs.ResourceNotFoundException)
	if err != nil {
		return nil, err
	}
	tags := slices.DeleteFunc(r.tags(), func(t ecs.Tag) bool { return slices.Contains(req.TagKeys, t.Key) })
	if err := r.set(tags); err != nil {
		return nil, err
	}
	return &ecs.UntagResourceResponse{}, nil
}

// ListTagsForResource returns the tags of the resource req.ResourceARN
// names (as TagResource finds it), in the order they were added, the ECS
// managed tags of a task included; an empty list when it has none. A
// resource that does not exist is an InvalidParameterException: the
// operation has no ResourceNotFoundException.
func (e *ECS) ListTagsForResource(ctx context.Context, req *ecs.ListTagsForResourceRequest) (*ecs.ListTagsForResourceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.ResourceARN == "" {
		return nil, invalidParameter("resourceArn is required.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.taggable(req.ResourceARN, ecs.InvalidParameterException)
	if err != nil {
		return nil, err
	}
	return &ecs.ListTagsForResourceResponse{Tags: append([]ecs.Tag{}, r.tags()...)}, nil
}

// taggable is where the tags of one resource are kept: tags returns a
// copy of them, set replaces them.
type taggable struct {
	tags func() []ecs.Tag
	set  func([]ecs.Tag) error
}

// taggable finds the resource arn names. A resource that does not exist
// is an error of type notFound. e.mu must be held.
func (e *ECS) taggable(arn, notFound string) (taggable, error) {
	missing := func(what string) error {
		return apiErrorf(notFound, ecs.ErrNotFound, "The specified %s could not be found.", what)
	}
	p, err := ecs.ParseARN(arn)
	if err != nil {
		return taggable{}, invalidParameterWrap(err, "Invalid resourceArn: %v.", err)
	}
	if p.Partition != "aws" || p.Region != e.arns.region || p.Account != e.arns.account {
		return taggable{}, missing("resource")
	}
	kept := func(get func() []ecs.Tag, set func([]ecs.Tag)) taggable {
		return taggable{
			tags: func() []ecs.Tag { return slices.Clone(get()) },
			set:  func(tags []ecs.Tag) error { set(slices.Clone(tags)); return nil },
		}
	}
	switch p.ResourceType {
	case ecs.ARNTypeTaskDefinition:
		if p.Revision == 0 {
			return taggable{}, invalidParameter("The task definition ARN %s names no revision.", arn)
		}
		if _, err := e.registry.Describe(arn); err != nil {
			return taggable{}, missing("task definition")
		}
		return taggable{
			tags: func() []ecs.Tag { return e.registry.Tags(arn) },
			set:  func(tags []ecs.Tag) error { return e.registry.SetTags(arn, tags) },
		}, nil
	case ecs.ARNTypeCapacityProvider:
		if capacity.IsFargate(p.Name) {
			return taggable{}, invalidParameter("The %s capacity provider is reserved and cannot be tagged.", p.Name)
		}
		cp := e.providers[p.Name]
		if cp == nil || cp.info.Status == ecs.CapacityProviderStatusInactive {
			return taggable{}, missing("capacity provider")
		}
		return kept(func() []ecs.Tag { return cp.info.Tags }, func(t []ecs.Tag) { cp.info.Tags = t }), nil
	case ecs.ARNTypeCluster:
		cl, err := e.taggedCluster(p.Name)
		if err != nil {
			return taggable{}, err
		}
		return kept(func() []ecs.Tag { return cl.info.Tags }, func(t []ecs.Tag) { cl.info.Tags = t }), nil
	case arnTypeDaemon, arnTypeDaemonTaskDefinition:
		return e.daemonTaggable(p, arn, missing)
	case ecs.ARNTypeService, ecs.ARNTypeTask, ecs.ARNTypeContainerInstance, ecs.ARNTypeTaskSet:
	default:
		return taggable{}, invalidParameter("Resources of type %s cannot be tagged.", p.ResourceType)
	}
	if p.Cluster == "" {
		return taggable{}, invalidParameter(tagsLongARN)
	}
	cl, err := e.taggedCluster(p.Cluster)
	if err != nil {
		return taggable{}, err
	}
	switch p.ResourceType {
	case ecs.ARNTypeService:
		svc := cl.services[p.Name]
		if svc == nil {
			return taggable{}, missing("service")
		}
		return kept(func() []ecs.Tag { return svc.info().Tags }, func(t []ecs.Tag) {
			s := *svc.info()
			s.Tags = t
			svc.drv.Service = &s
		}), nil
	case ecs.ARNTypeTaskSet:
		ts := cl.taskSetByARN(arn)
		if ts == nil {
			return taggable{}, missing("task set")
		}
		return kept(func() []ecs.Tag { return ts.info.Tags }, func(t []ecs.Tag) { ts.info.Tags = t }), nil
	case ecs.ARNTypeTask:
		tk := cl.tasks[p.Name]
		if tk == nil {
			return taggable{}, missing("task")
		}
		return kept(func() []ecs.Tag { return tk.t.Tags }, func(t []ecs.Tag) { tk.t.Tags = t }), nil
	}
	inst := cl.instances[p.Name]
	if inst == nil {
		return taggable{}, missing("container instance")
	}
	return kept(func() []ecs.Tag { return inst.ci.Tags }, func(t []ecs.Tag) { inst.ci.Tags = t }), nil
}

// taggedCluster returns the cluster called name for a tagging operation:
// one that never was is a ClusterNotFoundException, one that was deleted
// an InvalidParameterException in ECS's words. e.mu must be held.
func (e *ECS) taggedCluster(name string) (*cluster, error) {
	cl := e.clusters[name]
	switch {
	case cl == nil:
		return nil, clusterNotFound()
	case cl.info.Status != statusActive:
		return nil, invalidParameter("The specified cluster is inactive. Specify an active cluster and try again.")
	}
	return cl, nil
}

// mergeTags returns tags with add's: a key tags has takes add's value
// where it stands, the other keys of add follow in their order.
func mergeTags(tags, add []ecs.Tag) []ecs.Tag {
	out := slices.Clone(tags)
	for _, t := range add {
		if i := slices.IndexFunc(out, func(o ecs.Tag) bool { return o.Key == t.Key }); i >= 0 {
			out[i].Value = t.Value
		} else {
			out = append(out, t)
		}
	}
	return out
}

// userTagCount counts the tags that count against a resource's 50: those
// outside the aws: namespace, which AWS's own tags are in.
func userTagCount(tags []ecs.Tag) int {
	n := 0
	for _, t := range tags {
		if !reservedTagKey(t.Key) {
			n++
		}
	}
	return n
}

// reservedTagKey reports whether key is in the aws: namespace, in any
// case, which AWS reserves.
func reservedTagKey(key string) bool {
	return strings.HasPrefix(strings.ToLower(key), "aws:")
}

// serviceTaskTags returns the tags of a new task of svc that runs td: the
// service's tags or td's, as its propagateTags says, and with
// enableECSManagedTags the managed tags of its cluster and service. e.mu
// must be held.
func (e *ECS) serviceTaskTags(svc *service, td *ecs.TaskDefinition) []ecs.Tag {
	info := svc.info()
	var out []ecs.Tag
	switch info.PropagateTags {
	case ecs.PropagateTagsService:
		out = slices.Clone(info.Tags)
	case ecs.PropagateTagsTaskDefinition:
		out = e.registry.Tags(td.TaskDefinitionARN)
	}
	if info.EnableECSManagedTags {
		out = mergeTags(out, []ecs.Tag{
			{Key: ManagedTagClusterName, Value: svc.cl.info.ClusterName},
			{Key: ManagedTagServiceName, Value: svc.name},
		})
	}
	return out
}

// runTaskTags returns the tags of a task that RunTask or StartTask starts
// in cl: those req gives, the task definition's that it has no key of
// when req.PropagateTags is TASK_DEFINITION, and the cluster's managed
// tag with req.EnableECSManagedTags. SERVICE is refused: a task started
// so has no service to take tags from.
func (e *ECS) runTaskTags(cl *cluster, td *ecs.TaskDefinition, req *ecs.RunTaskRequest) ([]ecs.Tag, error) {
	out := slices.Clone(req.Tags)
	switch req.PropagateTags {
	case "", ecs.PropagateTagsNone:
	case ecs.PropagateTagsTaskDefinition:
		for _, t := range e.registry.Tags(td.TaskDefinitionARN) {
			if !slices.ContainsFunc(out, func(o ecs.Tag) bool { return o.Key == t.Key }) {
				out = append(out, t)
			}
		}
	case ecs.PropagateTagsService:
		return nil, invalidParameter("propagateTags SERVICE is only for the tasks of a service: a task run on its own can take its task definition's tags (TASK_DEFINITION).")
	default:
		return nil, invalidParameter("propagateTags %q is not valid: use TASK_DEFINITION or NONE.", req.PropagateTags)
	}
	if req.EnableECSManagedTags {
		out = mergeTags(out, []ecs.Tag{{Key: ManagedTagClusterName, Value: cl.info.ClusterName}})
	}
	return out, nil
}
