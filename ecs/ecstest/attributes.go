package ecstest

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// Limits of PutAttributes.
const (
	maxAttributesPerCall = 10
	maxCustomAttributes  = 10 // per container instance
)

// targetContainerInstance is the only target type of attributes.
const targetContainerInstance = "container-instance"

var (
	attributeNamePattern  = regexp.MustCompile(`^[a-zA-Z0-9_./\\-]{1,128}$`)
	attributeValuePattern = regexp.MustCompile(`^[a-zA-Z0-9_.@/\\: -]{1,128}$`)
)

func checkAttributeName(name string) error {
	if !attributeNamePattern.MatchString(name) {
		return invalidParameter("Attribute name %q is not valid: 1 to 128 letters, numbers, hyphens, underscores, forward slashes, back slashes or periods.", name)
	}
	return nil
}

func checkAttributeValue(name, value string) error {
	if !attributeValuePattern.MatchString(value) || strings.HasPrefix(value, " ") || strings.HasSuffix(value, " ") {
		return invalidParameter("The value of attribute %s is not valid: 1 to 128 letters, numbers, hyphens, underscores, periods, at signs, forward slashes, back slashes, colons or spaces, not starting or ending with a space.", name)
	}
	return nil
}

// putAttributes is PutAttributes with the request's members as arguments.
func (e *ECS) putAttributes(ctx context.Context, cluster string, attrs []ecs.Attribute) ([]ecs.Attribute, error) {
	return e.changeAttributes(cluster, attrs, true)
}

// deleteAttributes is DeleteAttributes with the request's members as arguments.
func (e *ECS) deleteAttributes(ctx context.Context, cluster string, attrs []ecs.Attribute) ([]ecs.Attribute, error) {
	return e.changeAttributes(cluster, attrs, false)
}

func (e *ECS) changeAttributes(cluster string, attrs []ecs.Attribute, put bool) ([]ecs.Attribute, error) {
	if len(attrs) == 0 || len(attrs) > maxAttributesPerCall {
		return nil, invalidParameter("attributes must have 1 to %d items.", maxAttributesPerCall)
	}
	for _, a := range attrs {
		if err := checkAttributeName(a.Name); err != nil {
			return nil, err
		}
		if put && a.Value != "" {
			if err := checkAttributeValue(a.Name, a.Value); err != nil {
				return nil, err
			}
		}
		if a.TargetType != "" && a.TargetType != targetContainerInstance {
			return nil, invalidParameter("Attribute target type %q is not valid: use container-instance.", a.TargetType)
		}
		if a.TargetID == "" {
			return nil, invalidParameter("Attribute %s has no targetId.", a.Name)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	// Resolve every target and check the limit before changing anything.
	targets := make([]*instance, len(attrs))
	custom := map[*instance]map[string]bool{}
	for i, a := range attrs {
		inst, err := e.registeredInstance(cl, a.TargetID)
		if err != nil {
			return nil, apiErrorf(ecs.TargetNotFoundException, ecs.ErrNotFound, "Could not find target %s.", a.TargetID)
		}
		targets[i] = inst
		if put {
			names := custom[inst]
			if names == nil {
				names = make(map[string]bool, len(inst.custom)+1)
				for n := range inst.custom {
					names[n] = true
				}
				custom[inst] = names
			}
			names[a.Name] = true
			if len(names) > maxCustomAttributes {
				return nil, apiErrorf(ecs.AttributeLimitExceededException, ecs.ErrInvalid,
					"Container instance %s would have more than %d custom attributes.", a.TargetID, maxCustomAttributes)
			}
		}
	}
	changed := map[*instance]bool{}
	for i, a := range attrs {
		inst := targets[i]
		if put {
			// A new list: the described copies share the old one.
			inst.ci.Attributes = setAttribute(slices.Clone(inst.ci.Attributes), ecs.Attribute{Name: a.Name, Value: a.Value})
			inst.custom[a.Name] = true
		} else {
			inst.ci.Attributes = slices.DeleteFunc(slices.Clone(inst.ci.Attributes), func(x ecs.Attribute) bool { return x.Name == a.Name })
			delete(inst.custom, a.Name)
		}
		changed[inst] = true
	}
	for inst := range changed {
		inst.ci.Version++
	}
	return slices.Clone(attrs), nil
}

// setAttribute sets a in list, kept in order of name, replacing one of the
// same name.
func setAttribute(list []ecs.Attribute, a ecs.Attribute) []ecs.Attribute {
	i, found := slices.BinarySearchFunc(list, a.Name, func(x ecs.Attribute, name string) int {
		return strings.Compare(x.Name, name)
	})
	if found {
		list[i] = a
		return list
	}
	return slices.Insert(list, i, a)
}

// listAttributes is ListAttributes with the request's members as arguments.
func (e *ECS) listAttributes(ctx context.Context, cluster, targetType, name, value string) ([]ecs.Attribute, error) {
	if targetType != targetContainerInstance {
		return nil, invalidParameter("targetType must be container-instance, not %q.", targetType)
	}
	if value != "" && name == "" {
		return nil, invalidParameter("attributeValue can only be given with attributeName.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil {
		return nil, err
	}
	out := []ecs.Attribute{}
	for _, inst := range cl.instances {
		if inst.ci.Status == statusInactive {
			continue
		}
		for _, a := range inst.ci.Attributes {
			if (name == "" || a.Name == name) && (value == "" || a.Value == value) {
				a.TargetType = targetContainerInstance
				a.TargetID = inst.ci.ContainerInstanceARN
				out = append(out, a)
			}
		}
	}
	slices.SortFunc(out, func(a, b ecs.Attribute) int {
		if c := strings.Compare(a.TargetID, b.TargetID); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}
