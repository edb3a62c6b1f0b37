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
// of it and the error is a *DecodeError listing them; a document that is
// not JSON gives a *SyntaxError and no task definition. Decoding is
// bounded as Unmarshal's is.
func DecodeTaskDefinition(data []byte, opts ...func(*DecodeOptions)) (*TaskDefinition, []Tag, error) {
	if err := checkJSON(data); err != nil {
		return nil, nil, err
	}
	d := newDecoder(data, opts)
	form := formRegister
	switch kind, _ := rootMember(data, "taskDefinition"); {
	case d.peekKind() == jsonArray:
		form = formContainers
	case kind == jsonObject:
		form = formDescribe
	}
	return d.taskDefinition(form)
}

// decodeTaskDefinitionTree is DecodeTaskDefinition on a document already
// parsed into root, for ValidateDocument: it lists every field error.
func decodeTaskDefinitionTree(data []byte, root jsonValue, opts []func(*DecodeOptions)) (*TaskDefinition, []Tag, error) {
	d := newDecoder(data, opts)
	d.maxErrs = -1
	return d.taskDefinition(formOf(root))
}

// taskDefinition decodes a task definition document of the given form.
func (d *decoder) taskDefinition(form documentForm) (*TaskDefinition, []Tag, error) {
	td := new(TaskDefinition)
	var tags []Tag
	switch form {
	case formContainers:
		d.value(reflect.ValueOf(&td.ContainerDefinitions).Elem(), 0)
	case formDescribe:
		var out DescribeTaskDefinitionResponse
		d.value(reflect.ValueOf(&out).Elem(), 0)
		if out.TaskDefinition != nil {
			td = out.TaskDefinition
		}
		tags = out.Tags
	default:
		// A register-task-definition input: the task definition's members
		// plus tags, which belong to the request and not to the definition.
		d.object(reflect.ValueOf(td).Elem(), d.peekKind(), map[string]reflect.Value{"tags": reflect.ValueOf(&tags).Elem()})
	}
	return td, tags, d.finish()
}

// DecodeContainerInstances decodes the output of
// describe-container-instances ({"containerInstances": [...], "failures":
// [...]}), a bare array of container instances, or a single one.
func DecodeContainerInstances(data []byte, opts ...func(*DecodeOptions)) ([]ContainerInstance, []Failure, error) {
	var out DescribeContainerInstancesResponse
	err := decodeList(data, "containerInstances", &out, &out.ContainerInstances, opts)
	return out.ContainerInstances, out.Failures, err
}

// DecodeTasks decodes the output of describe-tasks ({"tasks": [...],
// "failures": [...]}), a bare array of tasks, or a single one.
func DecodeTasks(data []byte, opts ...func(*DecodeOptions)) ([]Task, []Failure, error) {
	var out DescribeTasksResponse
	err := decodeList(data, "tasks", &out, &out.Tasks, opts)
	return out.Tasks, out.Failures, err
}

// DecodeServices decodes the output of describe-services ({"services":
// [...], "failures": [...]}), a bare array of services, or a single one.
func DecodeServices(data []byte, opts ...func(*DecodeOptions)) ([]Service, []Failure, error) {
	var out DescribeServicesResponse
	err := decodeList(data, "services", &out, &out.Services, opts)
	return out.Services, out.Failures, err
}

// decodeList decodes a describe-* output (wrapper, whose list member is
// named key), a bare array into list, or a single element of list.
func decodeList[T any](data []byte, key string, wrapper any, list *[]T, opts []func(*DecodeOptions)) error {
	if err := checkJSON(data); err != nil {
		return err
	}
	d := newDecoder(data, opts)
	_, hasKey := rootMember(data, key)
	_, hasFailures := rootMember(data, "failures")
	switch {
	case d.peekKind() == jsonArray:
		d.value(reflect.ValueOf(list).Elem(), 0)
	case hasKey || hasFailures:
		d.value(reflect.ValueOf(wrapper).Elem(), 0)
	default:
		*list = make([]T, 1)
		d.value(reflect.ValueOf(&(*list)[0]).Elem(), 0)
	}
	return d.finish()
}

// rootMember returns the kind of the first member named key of data's
// root object, and whether there is one; data must be JSON.
func rootMember(data []byte, key string) (jsonKind, bool) {
	d := decoder{p: jsonParser{data: data}}
	d.p.skipSpace()
	if d.peekKind() != jsonObject {
		return 0, false
	}
	kind, found := jsonNull, false
	d.members(func(k string, _ int) {
		if !found && k == key {
			kind, found = d.peekKind(), true
		}
		d.skip()
	})
	return kind, found
}

// hasObjectMember reports whether v is an object whose first member named
// key is an object.
func hasObjectMember(v jsonValue, key string) bool {
	if v.kind != jsonObject {
		return false
	}
	for _, m := range v.members {
		if m.key == key {
			return m.val.kind == jsonObject
		}
	}
	return false
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
