package ecs

import "reflect"

// modelListLimits are the bounds the API model (service-2.json) states on
// the lists of request shapes, by shape and member: the decoder reads no
// more elements than these. The model bounds Tags at 50 wherever it
// appears, but only a request's tags are the user's alone: a resource's
// tags in a describe output may add aws: tags, which do not count towards
// the quota, so outputs are read up to MaxListLength. (EBSTagSpecification
// holds the tags a request gives a service's volumes.) TestModelListLimits
// checks the table against the model.
var modelListLimits = map[reflect.Type]map[string]int{
	reflect.TypeFor[CreateCapacityProviderRequest]():       {"tags": 50},
	reflect.TypeFor[CreateClusterRequest]():                {"tags": 50},
	reflect.TypeFor[CreateDaemonRequest]():                 {"tags": 50},
	reflect.TypeFor[CreateExpressGatewayServiceRequest]():  {"tags": 50},
	reflect.TypeFor[RegisterDaemonTaskDefinitionRequest](): {"tags": 50},
	reflect.TypeFor[CreateServiceRequest]():                {"tags": 50},
	reflect.TypeFor[CreateTaskSetRequest]():                {"tags": 50},
	reflect.TypeFor[RegisterContainerInstanceRequest]():    {"tags": 50},
	reflect.TypeFor[RegisterTaskDefinitionRequest]():       {"tags": 50},
	reflect.TypeFor[RunTaskRequest]():                      {"tags": 50},
	reflect.TypeFor[StartTaskRequest]():                    {"tags": 50},
	reflect.TypeFor[TagResourceRequest]():                  {"tags": 50},
	reflect.TypeFor[EBSTagSpecification]():                 {"tags": 50},
	reflect.TypeFor[InstanceRequirementsRequest]():         {"allowedInstanceTypes": 400, "excludedInstanceTypes": 400},
}
