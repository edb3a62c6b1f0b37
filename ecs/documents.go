package ecs

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// DecodeTaskDefinition decodes a task definition document in any of the
// forms users have: a register-task-definition input (--cli-input-json, with
// its optional tags), the output of describe-task-definition or
// register-task-definition ({"taskDefinition": {...}, "tags": [...]}), or a
// Terraform-style bare array of container definitions. Values are kept as
// written; interpreting them is the job of registration and validation.
//
// When the document has field errors, the task definition holds the rest
// of it and the error is a *DecodeError listing every one; a document that
// is not JSON gives a *SyntaxError and no task definition.
func DecodeTaskDefinition(data []byte, opts ...DecodeOption) (*TaskDefinition, []Tag, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, nil, err
	}
	return decodeTaskDefinitionTree(data, root, opts)
}

// decodeTaskDefinitionTree is DecodeTaskDefinition on a document already
// parsed into root.
func decodeTaskDefinitionTree(data []byte, root jsonValue, opts []DecodeOption) (*TaskDefinition, []Tag, error) {
	d := newDecoder(data, opts)
	td := new(TaskDefinition)
	var tags []Tag
	switch {
	case root.kind == jsonArray:
		d.bind(root, reflect.ValueOf(&td.ContainerDefinitions).Elem())
	case hasObjectMember(root, "taskDefinition"):
		var out DescribeTaskDefinitionResponse
		d.bind(root, reflect.ValueOf(&out).Elem())
		if out.TaskDefinition != nil {
			td = out.TaskDefinition
		}
		tags = out.Tags
	default:
		// A register-task-definition input: the task definition's members
		// plus tags, which belong to the request and not to the definition.
		var in struct {
			TaskDefinition
			Tags []Tag `json:"tags,omitempty"`
		}
		d.bindStruct(root, reflect.ValueOf(&in.TaskDefinition).Elem(), "tags")
		if tagsVal, ok := member(root, "tags"); ok {
			d.path = append(d.path, pathSeg{key: "tags"})
			d.bind(tagsVal, reflect.ValueOf(&tags).Elem())
			d.path = d.path[:0]
		}
		*td = in.TaskDefinition
	}
	return td, tags, d.finish()
}

// DecodeContainerInstances decodes the output of
// describe-container-instances ({"containerInstances": [...], "failures":
// [...]}), a bare array of container instances, or a single one.
func DecodeContainerInstances(data []byte, opts ...DecodeOption) ([]ContainerInstance, []Failure, error) {
	var out DescribeContainerInstancesResponse
	err := decodeList(data, "containerInstances", &out, &out.ContainerInstances, opts)
	return out.ContainerInstances, out.Failures, err
}

// DecodeTasks decodes the output of describe-tasks ({"tasks": [...],
// "failures": [...]}), a bare array of tasks, or a single one.
func DecodeTasks(data []byte, opts ...DecodeOption) ([]Task, []Failure, error) {
	var out DescribeTasksResponse
	err := decodeList(data, "tasks", &out, &out.Tasks, opts)
	return out.Tasks, out.Failures, err
}

// DecodeServices decodes the output of describe-services ({"services":
// [...], "failures": [...]}), a bare array of services, or a single one.
func DecodeServices(data []byte, opts ...DecodeOption) ([]Service, []Failure, error) {
	var out DescribeServicesResponse
	err := decodeList(data, "services", &out, &out.Services, opts)
	return out.Services, out.Failures, err
}

// decodeList decodes a describe-* output (wrapper, whose list member is
// named key), a bare array into list, or a single element of list.
func decodeList[T any](data []byte, key string, wrapper any, list *[]T, opts []DecodeOption) error {
	root, err := parseJSON(data)
	if err != nil {
		return err
	}
	d := newDecoder(data, opts)
	switch {
	case root.kind == jsonArray:
		d.bind(root, reflect.ValueOf(list).Elem())
	case hasMember(root, key) || hasMember(root, "failures"):
		d.bind(root, reflect.ValueOf(wrapper).Elem())
	default:
		*list = make([]T, 1)
		d.bind(root, reflect.ValueOf(&(*list)[0]).Elem())
	}
	return d.finish()
}

func member(v jsonValue, key string) (jsonValue, bool) {
	if v.kind != jsonObject {
		return jsonValue{}, false
	}
	for _, m := range v.members {
		if m.key == key {
			return m.val, true
		}
	}
	return jsonValue{}, false
}

func hasMember(v jsonValue, key string) bool {
	_, ok := member(v, key)
	return ok
}

func hasObjectMember(v jsonValue, key string) bool {
	m, ok := member(v, key)
	return ok && m.kind == jsonObject
}

// Marshal encodes v as the ECS API writes it: the API's member names, unset
// optional members left out, timestamps as epoch seconds, and no HTML
// escaping of <, > and &.
func Marshal(v any) ([]byte, error) {
	return marshal(v, "")
}

// MarshalIndent is Marshal with each element on its own line, indented.
func MarshalIndent(v any, indent string) ([]byte, error) {
	return marshal(v, indent)
}

func marshal(v any, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
