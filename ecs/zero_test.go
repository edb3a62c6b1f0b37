package ecs_test

import (
	"reflect"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/zerotest"
	"github.com/stretchr/testify/require"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: each returns an error or a
// documented zero result, never a panic (zerotest describes the calls).
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[*ecs.Registry](): {func() any { return ecs.NewRegistry() }},
			zerotest.TypeOf[*ecs.Catalog]():  {func() any { return ecs.DefaultCatalog() }},
		},
		Funcs: []any{
			(*ecs.APIError).Error,
			(*ecs.APIError).Unwrap,
			ecs.ARN.ID,
			ecs.ARN.String,
			(*ecs.Catalog).All,
			(*ecs.Catalog).Len,
			(*ecs.Catalog).Lookup,
			(*ecs.Catalog).MemoryOverhead,
			(*ecs.Catalog).WithMemoryOverhead,
			(*ecs.Catalog).WithTypes,
			ecs.DecodeContainerInstances,
			(*ecs.DecodeError).Error,
			(*ecs.DecodeError).Unwrap,
			ecs.DecodeServices,
			ecs.DecodeTaskDefinition,
			ecs.DecodeTasks,
			ecs.DeploymentPercentages,
			ecs.DescribedTaskResources,
			(*ecs.FieldError).Error,
			(*ecs.FieldError).Unwrap,
			ecs.Finding.String,
			ecs.Findings.Err,
			ecs.Findings.HasErrors,
			ecs.Findings.RequestErr,
			(*ecs.FindingsError).Error,
			(*ecs.FindingsError).Unwrap,
			ecs.InstanceType.AwsvpcTaskLimit,
			ecs.Lenient,
			ecs.LoadCatalog,
			ecs.Marshal,
			ecs.MarshalIndent,
			ecs.MemoryOverhead.Registered,
			ecs.MemoryOverhead.String,
			ecs.NewAPIError,
			ecs.NewCatalog,
			ecs.NewRegistry,
			ecs.NewTime,
			ecs.ParseResources,
			(*ecs.Registry).Delete,
			(*ecs.Registry).Deregister,
			(*ecs.Registry).Describe,
			(*ecs.Registry).Families,
			(*ecs.Registry).Purge,
			(*ecs.Registry).Register,
			(*ecs.Registry).SetTags,
			(*ecs.Registry).Tags,
			(*ecs.Registry).TaskDefinitions,
			ecs.RequiredAttributes,
			ecs.Resources.Add,
			ecs.Resources.Fits,
			ecs.Resources.ResourceList,
			ecs.Resources.Sub,
			ecs.SetEmptyLists,
			(*ecs.SyntaxError).Error,
			ecs.TaskDefinitionFromTask,
			ecs.TaskResources,
			ecs.Time.MarshalJSON,
			ecs.Time.String,
			ecs.Unmarshal,
			ecs.ValidateDocument,
			ecs.ValidateTags,
			ecs.ValidateTaskDefinition,
			(*ecs.ValidationError).Error,
		},
	})
}

// TestZeroRegistry checks that the zero Registry is ready to use, as its
// doc says.
func TestZeroRegistry(t *testing.T) {
	var r ecs.Registry
	memory := 512
	td, err := r.Register(&ecs.TaskDefinition{Family: "web", ContainerDefinitions: []ecs.ContainerDefinition{
		{Name: "app", Image: "nginx", Memory: &memory},
	}}, []ecs.Tag{{Key: "team", Value: "a"}})
	require.NoError(t, err)
	if want := "arn:aws:ecs:" + ecs.DefaultRegion + ":" + ecs.DefaultAccount + ":task-definition/web:1"; td.TaskDefinitionARN != want {
		t.Errorf("ARN %s, want %s", td.TaskDefinitionARN, want)
	}
	got, err := r.Describe("web")
	require.NoError(t, err)
	if got != td {
		t.Errorf("Describe gave %+v, want the registered revision", got)
	}
	if tags := r.Tags(td.TaskDefinitionARN); len(tags) != 1 {
		t.Errorf("tags %v, want the one registered", tags)
	}
	var nilRegistry *ecs.Registry
	if _, err := nilRegistry.Describe("web"); err == nil {
		t.Error("a nil *Registry described a task definition")
	}
}

// TestUnmarshalUnsupported checks that a target outside the ecs types is
// an error, not a panic.
func TestUnmarshalUnsupported(t *testing.T) {
	var m map[string]any
	if err := ecs.Unmarshal([]byte(`{"a":1}`), &m); err == nil {
		t.Error("Unmarshal into map[string]any gave no error")
	}
}
