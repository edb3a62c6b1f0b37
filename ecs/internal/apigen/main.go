// Command apigen writes the Go types of package ecs from the ECS API model
// (botocore's service-2.json), so that every member the model defines for
// the shapes the library needs is present, spelled as the API spells it.
//
// Usage (from package ecs, see its go:generate line):
//
//	go run ./internal/apigen -model ../../shared/aws-ecs-api/service-2.json -out api_types.go
//
// Structures become structs whose members carry the API's JSON names; boxed
// numbers and booleans, and nested structures, become pointers so that an
// absent value stays distinct from 0 and false; string enums become typed
// string constants; timestamps become ecs.Time. Members that ECS added after
// the bundled model was cut are merged in from the overlay in overlay.go,
// which also gives an enum to members the model leaves plain strings (the
// task and container lastStatus).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"sort"
	"strings"
)

// roots are the shapes the library speaks; everything they reach is written.
var roots = []string{
	"TaskDefinition",
	"RegisterTaskDefinitionRequest",
	"RegisterTaskDefinitionResponse",
	"DescribeTaskDefinitionResponse",
	"ContainerInstance",
	"DescribeContainerInstancesResponse",
	"Task",
	"DescribeTasksResponse",
	"RunTaskRequest",
	"RunTaskResponse",
	"Service",
	"DescribeServicesResponse",
	"Cluster",
	"Failure",
	"PlacementStrategy",
	"PlacementConstraint",
	"CapacityProviderStrategyItem",
	"NetworkConfiguration",
	"LoadBalancer",
	"ServiceEvent",
	"DeploymentAlarms",
	"TaskOverride",
	// The operations the in-memory ECS (ecs/ecstest) serves.
	"CreateClusterRequest", "CreateClusterResponse",
	"DescribeClustersRequest", "DescribeClustersResponse",
	"ListClustersRequest", "ListClustersResponse",
	"DeleteClusterRequest", "DeleteClusterResponse",
	"RegisterContainerInstanceRequest", "RegisterContainerInstanceResponse",
	"DeregisterContainerInstanceRequest", "DeregisterContainerInstanceResponse",
	"ListContainerInstancesRequest", "ListContainerInstancesResponse",
	"DescribeContainerInstancesRequest",
	"UpdateContainerInstancesStateRequest", "UpdateContainerInstancesStateResponse",
	"PutAttributesRequest", "PutAttributesResponse",
	"DeleteAttributesRequest", "DeleteAttributesResponse",
	"ListAttributesRequest", "ListAttributesResponse",
	"DescribeTaskDefinitionRequest",
	"DeregisterTaskDefinitionRequest", "DeregisterTaskDefinitionResponse",
	"ListTaskDefinitionsRequest", "ListTaskDefinitionsResponse",
	"ListTaskDefinitionFamiliesRequest", "ListTaskDefinitionFamiliesResponse",
	"StartTaskRequest", "StartTaskResponse",
	"StopTaskRequest", "StopTaskResponse",
	"ListTasksRequest", "ListTasksResponse",
	"DescribeTasksRequest",
	"CreateServiceRequest", "CreateServiceResponse",
	"UpdateServiceRequest", "UpdateServiceResponse",
	"DeleteServiceRequest", "DeleteServiceResponse",
	"ListServicesRequest", "ListServicesResponse",
	"DescribeServicesRequest",
	"CreateCapacityProviderRequest", "CreateCapacityProviderResponse",
	"UpdateCapacityProviderRequest", "UpdateCapacityProviderResponse",
	"DeleteCapacityProviderRequest", "DeleteCapacityProviderResponse",
	"DescribeCapacityProvidersRequest", "DescribeCapacityProvidersResponse",
	"PutClusterCapacityProvidersRequest", "PutClusterCapacityProvidersResponse",
	// Tags, account settings, cluster and task definition updates, service
	// deployments and revisions, task protection (issue 15).
	"TagResourceRequest", "TagResourceResponse",
	"UntagResourceRequest", "UntagResourceResponse",
	"ListTagsForResourceRequest", "ListTagsForResourceResponse",
	"PutAccountSettingRequest", "PutAccountSettingResponse",
	"PutAccountSettingDefaultRequest", "PutAccountSettingDefaultResponse",
	"ListAccountSettingsRequest", "ListAccountSettingsResponse",
	"DeleteAccountSettingRequest", "DeleteAccountSettingResponse",
	"UpdateClusterRequest", "UpdateClusterResponse",
	"UpdateClusterSettingsRequest", "UpdateClusterSettingsResponse",
	"DeleteTaskDefinitionsRequest", "DeleteTaskDefinitionsResponse",
	"ListServiceDeploymentsRequest", "ListServiceDeploymentsResponse",
	"DescribeServiceDeploymentsRequest", "DescribeServiceDeploymentsResponse",
	"DescribeServiceRevisionsRequest", "DescribeServiceRevisionsResponse",
	"StopServiceDeploymentRequest", "StopServiceDeploymentResponse",
	"ContinueServiceDeploymentRequest", "ContinueServiceDeploymentResponse",
	"UpdateTaskProtectionRequest", "UpdateTaskProtectionResponse",
	"GetTaskProtectionRequest", "GetTaskProtectionResponse",
	// Daemons (issue 15 item 7).
	"CreateDaemonRequest", "CreateDaemonResponse",
	"UpdateDaemonRequest", "UpdateDaemonResponse",
	"DeleteDaemonRequest", "DeleteDaemonResponse",
	"DescribeDaemonRequest", "DescribeDaemonResponse",
	"ListDaemonsRequest", "ListDaemonsResponse",
	"RegisterDaemonTaskDefinitionRequest", "RegisterDaemonTaskDefinitionResponse",
	"DescribeDaemonTaskDefinitionRequest", "DescribeDaemonTaskDefinitionResponse",
	"ListDaemonTaskDefinitionsRequest", "ListDaemonTaskDefinitionsResponse",
	"DeleteDaemonTaskDefinitionRequest", "DeleteDaemonTaskDefinitionResponse",
	"DescribeDaemonDeploymentsRequest", "DescribeDaemonDeploymentsResponse",
	"ListDaemonDeploymentsRequest", "ListDaemonDeploymentsResponse",
	"DescribeDaemonRevisionsRequest", "DescribeDaemonRevisionsResponse",
	// The rest (issue 15 item 8).
	"ListServicesByNamespaceRequest", "ListServicesByNamespaceResponse",
	"ExecuteCommandRequest", "ExecuteCommandResponse",
	"DiscoverPollEndpointRequest", "DiscoverPollEndpointResponse",
	"SubmitTaskStateChangeRequest", "SubmitTaskStateChangeResponse",
	"SubmitContainerStateChangeRequest", "SubmitContainerStateChangeResponse",
	"SubmitAttachmentStateChangesRequest", "SubmitAttachmentStateChangesResponse",
	"UpdateContainerAgentRequest", "UpdateContainerAgentResponse",
	"CreateExpressGatewayServiceRequest", "CreateExpressGatewayServiceResponse",
	"DescribeExpressGatewayServiceRequest", "DescribeExpressGatewayServiceResponse",
	"UpdateExpressGatewayServiceRequest", "UpdateExpressGatewayServiceResponse",
	"DeleteExpressGatewayServiceRequest", "DeleteExpressGatewayServiceResponse",
	// Task sets (issue 15 item 6).
	"CreateTaskSetRequest", "CreateTaskSetResponse",
	"UpdateTaskSetRequest", "UpdateTaskSetResponse",
	"DeleteTaskSetRequest", "DeleteTaskSetResponse",
	"DescribeTaskSetsRequest", "DescribeTaskSetsResponse",
	"UpdateServicePrimaryTaskSetRequest", "UpdateServicePrimaryTaskSetResponse",
}

type model struct {
	Shapes map[string]*shape `json:"shapes"`
}

type shape struct {
	Type     string             `json:"type"`
	Box      bool               `json:"box"`
	Enum     []string           `json:"enum"`
	Required []string           `json:"required"`
	Members  map[string]*member `json:"members"`
	Member   *member            `json:"member"`
	Key      *member            `json:"key"`
	Value    *member            `json:"value"`
	Doc      string             `json:"documentation"`
	// order keeps the members in the model's order; encoding/json loses it.
	order []string
}

type member struct {
	Shape      string `json:"shape"`
	Doc        string `json:"documentation"`
	Deprecated bool   `json:"deprecated"`
}

func main() {
	modelPath := flag.String("model", "../../shared/aws-ecs-api/service-2.json", "path of the ECS API model")
	out := flag.String("out", "api_types.go", "file to write")
	flag.Parse()

	data, err := os.ReadFile(*modelPath)
	if err != nil {
		log.Fatal(err)
	}
	m, err := load(data)
	if err != nil {
		log.Fatal(err)
	}
	applyOverlay(m)
	src, err := generate(m)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// load decodes the model and records each structure's member order.
func load(data []byte) (*model, error) {
	var m model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	var raw struct {
		Shapes map[string]json.RawMessage `json:"shapes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	for name, s := range m.Shapes {
		if s.Type != "structure" {
			continue
		}
		order, err := memberOrder(raw.Shapes[name])
		if err != nil {
			return nil, fmt.Errorf("shape %s: %w", name, err)
		}
		s.order = order
	}
	return &m, nil
}

// memberOrder returns the keys of a shape's "members" object in document order.
func memberOrder(shapeJSON json.RawMessage) ([]string, error) {
	var s struct {
		Members json.RawMessage `json:"members"`
	}
	if err := json.Unmarshal(shapeJSON, &s); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(s.Members))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var order []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		order = append(order, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// reachable returns the structure and enum shapes reachable from roots, sorted.
func reachable(m *model) (structs, enums []string) {
	seen := map[string]bool{}
	var walk func(name string)
	walk = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		s := m.Shapes[name]
		if s == nil {
			log.Fatalf("shape %s is not in the model", name)
		}
		switch s.Type {
		case "structure":
			structs = append(structs, name)
			for _, mn := range s.order {
				walk(s.Members[mn].Shape)
			}
		case "list":
			walk(s.Member.Shape)
		case "map":
			walk(s.Key.Shape)
			walk(s.Value.Shape)
		case "string":
			if len(s.Enum) > 0 {
				enums = append(enums, name)
			}
		}
	}
	for _, r := range roots {
		walk(r)
	}
	sort.Strings(structs)
	sort.Strings(enums)
	return structs, enums
}

func generate(m *model) ([]byte, error) {
	structs, enums := reachable(m)
	var b bytes.Buffer
	b.WriteString("// Code generated by ecs/internal/apigen from the ECS API model; DO NOT EDIT.\n\n")
	b.WriteString("package ecs\n\n")
	for _, name := range structs {
		if err := writeStruct(&b, m, name); err != nil {
			return nil, err
		}
	}
	for _, name := range enums {
		if err := writeEnum(&b, name, m.Shapes[name]); err != nil {
			return nil, err
		}
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return b.Bytes(), fmt.Errorf("format generated code: %w", err)
	}
	return src, nil
}

func writeStruct(b *bytes.Buffer, m *model, name string) error {
	s := m.Shapes[name]
	writeDoc(b, "", fmt.Sprintf("%s is the ECS API shape %s.", name, name), s.Doc)
	fmt.Fprintf(b, "type %s struct {\n", name)
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	used := map[string]string{}
	for i, mn := range s.order {
		mem := s.Members[mn]
		field := goName(mn)
		if prev, ok := used[field]; ok {
			return fmt.Errorf("%s: members %s and %s both map to field %s", name, prev, mn, field)
		}
		used[field] = mn
		typ, omit := goType(m, mem.Shape)
		tag := mn
		if omit != "" && (!required[mn] || strings.HasPrefix(typ, "*")) {
			tag += "," + omit
		}
		// ValidateDocument reads the model's required members from the
		// ecs tag: a member without an omit option is not therefore
		// required, since unboxed numbers and booleans have none.
		extra := ""
		if required[mn] && !strings.HasPrefix(typ, "*") {
			extra = ` ecs:"required"`
		}
		if mem.Doc != "" || mem.Deprecated {
			if i > 0 {
				b.WriteString("\n")
			}
			doc := mem.Doc
			writeDoc(b, "\t", "", doc)
			if mem.Deprecated {
				b.WriteString("\t//\n\t// Deprecated: the API marks this member deprecated.\n")
			}
		}
		fmt.Fprintf(b, "\t%s %s `json:\"%s\"%s`\n", field, typ, tag, extra)
	}
	b.WriteString("}\n\n")
	return nil
}

// goType returns the Go type of a member shape and the omit option that
// leaves it out of the JSON when unset, "" for a member always written:
// an unboxed number or boolean (the model's Integer, Long, Double and
// Boolean, as against BoxedInteger and the like), which ECS writes with
// its value, 0 and false included, as the API's own examples show
// ("activeServicesCount": 0, "doubleValue": 0.0, "longValue": 0).
func goType(m *model, name string) (typ, omit string) {
	s := m.Shapes[name]
	switch s.Type {
	case "structure":
		return "*" + name, "omitempty"
	case "list":
		elem, _ := goType(m, s.Member.Shape)
		// omitzero keeps a given empty list ("attachments": []) apart from an
		// absent one.
		return "[]" + strings.TrimPrefix(elem, "*"), "omitzero"
	case "map":
		k, _ := goType(m, s.Key.Shape)
		v, _ := goType(m, s.Value.Shape)
		return "map[" + k + "]" + v, "omitzero"
	case "string":
		if len(s.Enum) > 0 {
			return name, "omitempty"
		}
		return "string", "omitempty"
	case "integer":
		return box(s, "int"), boxOmit(s)
	case "long":
		return box(s, "int64"), boxOmit(s)
	case "double":
		return box(s, "float64"), boxOmit(s)
	case "boolean":
		return box(s, "bool"), boxOmit(s)
	case "timestamp":
		return "Time", "omitzero"
	}
	log.Fatalf("shape %s: unsupported type %s", name, s.Type)
	return "", ""
}

// boxOmit returns the omit option of a number or boolean: omitempty for
// a boxed one, which may be absent, none for an unboxed one.
func boxOmit(s *shape) string {
	if s.Box {
		return "omitempty"
	}
	return ""
}

func box(s *shape, t string) string {
	if s.Box {
		return "*" + t
	}
	return t
}

func writeEnum(b *bytes.Buffer, name string, s *shape) error {
	writeDoc(b, "", fmt.Sprintf("%s is the ECS API enum %s. A value the library does not know is kept as written.", name, name), s.Doc)
	fmt.Fprintf(b, "type %s string\n\n", name)
	fmt.Fprintf(b, "// Values of %s, as the API spells them.\nconst (\n", name)
	used := map[string]string{}
	var consts []string
	for _, v := range s.Enum {
		c := name + enumWord(v)
		if prev, ok := used[c]; ok {
			return fmt.Errorf("enum %s: values %q and %q both map to %s", name, prev, v, c)
		}
		used[c] = v
		consts = append(consts, c)
		fmt.Fprintf(b, "\t%s %s = %q\n", c, name, v)
	}
	b.WriteString(")\n\n")
	fmt.Fprintf(b, "// Values returns the values of %s that the API model defines.\n", name)
	fmt.Fprintf(b, "func (%s) Values() []%s {\n\treturn []%s{%s}\n}\n\n", name, name, name, strings.Join(consts, ", "))
	fmt.Fprintf(b, "// Known reports whether v is one of the values the API model defines.\n")
	fmt.Fprintf(b, "func (v %s) Known() bool {\n\tswitch v {\n\tcase %s:\n\t\treturn true\n\t}\n\treturn false\n}\n\n", name, strings.Join(consts, ", "))
	return nil
}
