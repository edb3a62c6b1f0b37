package ecs

import "reflect"

// emptyLists names, by shape, the list members ECS writes even when they
// are empty ("loadBalancers": []), where the Go value leaves them nil and
// so out of the JSON. The sources:
//
//   - the API's own examples (ecs/testdata/api-examples, from the API
//     model's examples-1.json): a container definition's environment,
//     mountPoints, portMappings and volumesFrom, a task definition's
//     volumes, a service's events and loadBalancers, and the failures of
//     DescribeClusters, DescribeContainerInstances, DescribeServices and
//     DescribeTasks;
//   - the AWS CLI reference's example outputs: create-service's
//     serviceRegistries, placementConstraints and placementStrategy;
//     create-cluster's statistics, tags, capacityProviders and
//     defaultCapacityProviderStrategy; register-task-definition's
//     placementConstraints; describe-tasks' and
//     describe-container-instances' attachments.
var emptyLists = map[reflect.Type][]string{
	reflect.TypeFor[ContainerDefinition](): {"environment", "mountPoints", "portMappings", "volumesFrom"},
	reflect.TypeFor[TaskDefinition]():      {"volumes", "placementConstraints"},
	reflect.TypeFor[Service](): {"events", "loadBalancers", "serviceRegistries",
		"placementConstraints", "placementStrategy"},
	reflect.TypeFor[Cluster](): {"statistics", "tags", "capacityProviders",
		"defaultCapacityProviderStrategy"},
	reflect.TypeFor[Task]():                               {"attachments"},
	reflect.TypeFor[ContainerInstance]():                  {"attachments"},
	reflect.TypeFor[DescribeClustersResponse]():           {"failures"},
	reflect.TypeFor[DescribeContainerInstancesResponse](): {"failures"},
	reflect.TypeFor[DescribeServicesResponse]():           {"failures"},
	reflect.TypeFor[DescribeTasksResponse]():              {"failures"},
}

// SetEmptyLists sets, in v and everything it holds, the list members that
// ECS writes even when empty to [] where they are nil, so that v encodes
// as ECS writes it: a described service has "loadBalancers": [], a
// container definition "environment": []. v is a pointer to a value of
// the API's shapes (a response); values of other types are walked for
// such shapes within them. A served API (ecstest) calls it on every
// response; a library that hands the API's JSON back unchanged does not.
func SetEmptyLists(v any) {
	setEmptyLists(reflect.ValueOf(v))
}

func setEmptyLists(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			setEmptyLists(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			setEmptyLists(v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if e := it.Value(); e.Kind() == reflect.Pointer { // map values are not addressable
				setEmptyLists(e)
			}
		}
	case reflect.Struct:
		t := v.Type()
		if names, ok := emptyLists[t]; ok && v.CanSet() {
			for _, name := range names {
				if f := v.FieldByIndex(fieldIndex(t, name)); f.IsNil() {
					f.Set(reflect.MakeSlice(f.Type(), 0, 0))
				}
			}
		}
		for i := range v.NumField() {
			if t.Field(i).IsExported() {
				setEmptyLists(v.Field(i))
			}
		}
	}
}

// fieldIndex returns the index of the field of struct type t whose JSON
// name is name. The names of emptyLists are the API's, checked by a test.
func fieldIndex(t reflect.Type, name string) []int {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag := f.Tag.Get("json"); tag == name || len(tag) > len(name) && tag[:len(name)+1] == name+"," {
			return f.Index
		}
	}
	panic("ecs: " + t.Name() + " has no member " + name) // a wrong table entry; TestEmptyListsNames
}
