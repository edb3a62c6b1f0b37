package sdkbridge

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// pair is an ecs shape and its SDK counterpart.
type pair struct{ ecs, sdk any }

// pairs are the shapes the library reads and writes: the describe outputs
// (and, through their members, every shape nested in them) and the
// requests of the operations a deployment tool calls.
var pairs = []pair{
	{ecs.ContainerInstance{}, types.ContainerInstance{}},
	{ecs.Task{}, types.Task{}},
	{ecs.Service{}, types.Service{}},
	{ecs.TaskDefinition{}, types.TaskDefinition{}},
	{ecs.Cluster{}, types.Cluster{}},
	{ecs.CapacityProvider{}, types.CapacityProvider{}},
	{ecs.ServiceDeployment{}, types.ServiceDeployment{}},
	{ecs.ServiceRevision{}, types.ServiceRevision{}},
	{ecs.TaskSet{}, types.TaskSet{}},
	{ecs.Failure{}, types.Failure{}},
	{ecs.RegisterTaskDefinitionRequest{}, sdk.RegisterTaskDefinitionInput{}},
	{ecs.CreateServiceRequest{}, sdk.CreateServiceInput{}},
	{ecs.UpdateServiceRequest{}, sdk.UpdateServiceInput{}},
	{ecs.RunTaskRequest{}, sdk.RunTaskInput{}},
	{ecs.RegisterContainerInstanceRequest{}, sdk.RegisterContainerInstanceInput{}},
	{ecs.CreateClusterRequest{}, sdk.CreateClusterInput{}},
}

// TestRoundTrip fills every member of each SDK shape, and of each shape
// nested in it, with a value that is not zero, converts it to the ecs
// shape and back, and wants what it started with; then the same from the
// ecs side. A member one side has and the other lacks fails it, so a new
// member of either breaks the test until the bridge carries it.
func TestRoundTrip(t *testing.T) {
	opts := cmp.Options{cmpopts.IgnoreUnexported(allStructs()...), cmpopts.EquateEmpty()}
	for _, p := range pairs {
		et, st := reflect.TypeOf(p.ecs), reflect.TypeOf(p.sdk)
		t.Run(st.String(), func(t *testing.T) {
			in := reflect.New(st)
			fill(in.Elem(), st.String(), 0)
			mid := reflect.New(et)
			var skipped []string
			c := &converter{o: Options{Lenient: true, Skipped: &skipped}}
			if err := c.convert(mid.Elem(), in.Elem(), st.String()); err != nil {
				t.Fatalf("to ecs: %v", err)
			}
			if d := cmp.Diff(newerThanModel[st.String()], skipped, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("members of the SDK the ecs model lacks (-known +found):\n%s", d)
			}
			for _, p := range skipped {
				clear(in.Elem(), strings.TrimPrefix(p, st.String()+".")) // what the ecs model cannot carry does not come back
			}
			back := reflect.New(st)
			if err := c.convert(back.Elem(), mid.Elem(), et.String()); err != nil {
				t.Fatalf("back to the SDK: %v", err)
			}
			if d := cmp.Diff(in.Interface(), back.Interface(), opts); d != "" {
				t.Errorf("SDK → ecs → SDK changed it (-want +got):\n%s", d)
			}
		})
		t.Run(et.String(), func(t *testing.T) {
			in := reflect.New(et)
			fill(in.Elem(), et.String(), 0)
			mid := reflect.New(st)
			c := new(converter)
			if err := c.convert(mid.Elem(), in.Elem(), et.String()); err != nil {
				t.Fatalf("to the SDK: %v", err)
			}
			back := reflect.New(et)
			if err := c.convert(back.Elem(), mid.Elem(), st.String()); err != nil {
				t.Fatalf("back to ecs: %v", err)
			}
			if d := cmp.Diff(in.Interface(), back.Interface(), opts); d != "" {
				t.Errorf("ecs → SDK → ecs changed it (-want +got):\n%s", d)
			}
		})
	}
}

// newerThanModel lists, by SDK shape, the members of the SDK's types
// (service/ecs v1.104.0) that the ecs types, generated from the API model
// the library ships, do not have yet: a lenient conversion skips them
// (Options.Lenient). Regenerating the ecs types from a newer model empties
// the list; a member that appears in a newer SDK adds to it and fails the
// test until it is listed or carried.
var newerThanModel = map[string][]string{
	"types.ContainerInstance": {"types.ContainerInstance.GpuDevices"},
	"types.Task":              {"types.Task.Containers[0].NeuronDeviceIds"},
	"types.Service": {
		"types.Service.DeploymentConfiguration.EarlySuccessCriteria",
		"types.Service.Deployments[0].ServiceConnectConfiguration.ContainerConfigurations",
		"types.Service.Deployments[0].VpcLatticeConfigurations[0].AdvancedConfiguration",
	},
	"types.ServiceDeployment": {"types.ServiceDeployment.DeploymentConfiguration.EarlySuccessCriteria"},
	"types.ServiceRevision": {
		"types.ServiceRevision.EcsManagedResources.GatewayConnections",
		"types.ServiceRevision.GatewayConnectors", "types.ServiceRevision.Monitoring",
		"types.ServiceRevision.Overrides",
		"types.ServiceRevision.ResolvedConfiguration.VpcLatticeConfigurations",
		"types.ServiceRevision.ServiceConnectConfiguration.ContainerConfigurations",
		"types.ServiceRevision.VpcLatticeConfigurations[0].AdvancedConfiguration",
	},
	"ecs.CreateServiceInput": {
		"ecs.CreateServiceInput.DeploymentConfiguration.EarlySuccessCriteria",
		"ecs.CreateServiceInput.GatewayConnectors",
		"ecs.CreateServiceInput.Monitoring",
		"ecs.CreateServiceInput.ServiceConnectConfiguration.ContainerConfigurations",
		"ecs.CreateServiceInput.VpcLatticeConfigurations[0].AdvancedConfiguration",
	},
	"ecs.UpdateServiceInput": {
		"ecs.UpdateServiceInput.DeploymentConfiguration.EarlySuccessCriteria",
		"ecs.UpdateServiceInput.GatewayConnectors",
		"ecs.UpdateServiceInput.Monitoring",
		"ecs.UpdateServiceInput.ServiceConnectConfiguration.ContainerConfigurations",
		"ecs.UpdateServiceInput.VpcLatticeConfigurations[0].AdvancedConfiguration",
	},
}

// clear sets the member at path (as the converter names it, less the
// type: A.B[0].C) of v to its zero value.
func clear(v reflect.Value, path string) {
	parts := strings.Split(path, ".")
	for i, part := range parts {
		name, idx, _ := strings.Cut(part, "[")
		for v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		v = v.FieldByName(name)
		if i == len(parts)-1 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		if idx != "" {
			for v.Kind() == reflect.Pointer {
				v = v.Elem()
			}
			v = v.Index(0)
		}
	}
}

// allStructs returns a value of every struct type reachable from the
// pairs, for cmpopts.IgnoreUnexported (the SDK's shapes hold an
// unexported serde marker).
func allStructs() []any {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				walk(t.Field(i).Type)
			}
		}
	}
	for _, p := range pairs {
		walk(reflect.TypeOf(p.ecs))
		walk(reflect.TypeOf(p.sdk))
	}
	var out []any
	for t := range seen {
		out = append(out, reflect.New(t).Elem().Interface())
	}
	return out
}

// when is the instant filled in: whole milliseconds, as the API keeps.
var when = time.Date(2026, 12, 7, 3, 0, 0, 123e6, time.UTC)

// fill sets every exported member of v, and of what it holds, to a value
// that is not zero; path makes strings apart. Recursion stops at depth 8.
func fill(v reflect.Value, path string, depth int) {
	if depth > 8 {
		return
	}
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(when))
		return
	case reflect.TypeFor[ecs.Time]():
		v.Set(reflect.ValueOf(ecs.NewTime(when)))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if e := v.Type().Elem(); e.Kind() == reflect.Struct && e.NumField() == 0 {
			return // an ecs document member (hookDetails), which holds nothing
		}
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), path, depth+1)
		v.Set(p)
	case reflect.Interface:
		// a document (hookDetails): not modelled by the ecs types
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.IsExported() && f.Name != "ResultMetadata" {
				fill(v.Field(i), path+"."+f.Name, depth+1)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), path+"[0]", depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, path+".k", depth+1)
		m.SetMapIndex(reflect.ValueOf("k").Convert(v.Type().Key()), e)
		v.Set(m)
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", len(path)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	}
}
