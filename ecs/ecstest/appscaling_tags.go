package ecstest

import (
	"context"
	"maps"
	"strings"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/ecs"
)

// The tag limits of Application Auto Scaling: at most 50 tags on a
// resource, keys of 1 to 128 characters, values of at most 256, none
// beginning with "aws:"
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TagResource.html).
const (
	aasMaxTags     = 50
	aasMaxTagKey   = 128
	aasMaxTagValue = 256
)

// checkAASTags checks tags as TagResource and RegisterScalableTarget do.
func checkAASTags(tags map[string]string) error {
	for k, v := range tags {
		if k == "" || len(k) > aasMaxTagKey || len(v) > aasMaxTagValue || strings.HasPrefix(k, "aws:") {
			return aasError(aasValidation, ecs.ErrInvalid, "Tag key %q: a key is 1 to %d characters not beginning with aws:, its value at most %d", k, aasMaxTagKey, aasMaxTagValue)
		}
	}
	if len(tags) > aasMaxTags {
		return aasError("TooManyTagsException", ecs.ErrInvalid, "A resource can have at most %d tags", aasMaxTags)
	}
	return nil
}

// taggedTarget returns the scalable target an ARN names, or the API's
// error. e.mu must be held.
func (e *ECS) taggedTarget(arn string) (*scalableTarget, error) {
	if arn == "" {
		return nil, aasError(aasValidation, ecs.ErrInvalid, "1 validation error detected: Value null at 'resourceARN' failed to satisfy constraint: Member must not be null")
	}
	for _, st := range e.aas.order {
		if st.t.ScalableTargetARN == arn {
			return st, nil
		}
	}
	return nil, aasError(aasObjectNotFound, ecs.ErrNotFound, "No scalable target found for ARN: %s", arn)
}

// TagScalableTarget is Application Auto Scaling's TagResource (ECS's
// TagResource has the name): it adds or replaces tags of the scalable
// target req.ResourceARN names.
func (e *ECS) TagScalableTarget(ctx context.Context, req *autoscaling.TagResourceRequest) (*autoscaling.TagResourceResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	if err := checkAASTags(req.Tags); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := e.taggedTarget(req.ResourceARN)
	if err != nil {
		return nil, err
	}
	next := maps.Clone(st.tags)
	maps.Copy(next, req.Tags)
	if len(next) > aasMaxTags {
		return nil, aasError("TooManyTagsException", ecs.ErrInvalid, "A resource can have at most %d tags", aasMaxTags)
	}
	st.tags = next
	return &autoscaling.TagResourceResponse{}, nil
}

// UntagScalableTarget is Application Auto Scaling's UntagResource: it
// deletes tags of a scalable target (keys it does not have are no error).
func (e *ECS) UntagScalableTarget(ctx context.Context, req *autoscaling.UntagResourceRequest) (*autoscaling.UntagResourceResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := e.taggedTarget(req.ResourceARN)
	if err != nil {
		return nil, err
	}
	for _, k := range req.TagKeys {
		delete(st.tags, k)
	}
	return &autoscaling.UntagResourceResponse{}, nil
}

// ListScalableTargetTags is Application Auto Scaling's
// ListTagsForResource: the tags of a scalable target.
func (e *ECS) ListScalableTargetTags(ctx context.Context, req *autoscaling.ListTagsForResourceRequest) (*autoscaling.ListTagsForResourceResponse, error) {
	if err := checkAAS(e, req); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := e.taggedTarget(req.ResourceARN)
	if err != nil {
		return nil, err
	}
	tags := maps.Clone(st.tags)
	if tags == nil {
		tags = map[string]string{}
	}
	return &autoscaling.ListTagsForResourceResponse{Tags: tags}, nil
}
