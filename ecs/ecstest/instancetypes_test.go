package ecstest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// TestRegisterCommonInstanceTypes registers instances of types people run,
// current and previous generation, x86_64, arm64 and GPU, through the
// served API with the attribute ecs.instance-type only: each registers the
// catalogue's CPU, memory and GPUs, and its CPU architecture.
func TestRegisterCommonInstanceTypes(t *testing.T) {
	tests := []struct {
		typ, arch string
		cpu, gpus int
	}{
		{"t2.micro", "x86_64", 1024, 0},
		{"m4.large", "x86_64", 2048, 0},
		{"c4.xlarge", "x86_64", 4096, 0},
		{"m1.small", "x86_64", 1024, 0},
		{"r4.large", "x86_64", 2048, 0},
		{"t4g.small", "arm64", 2048, 0},
		{"m7i.large", "x86_64", 2048, 0},
		{"g4dn.xlarge", "x86_64", 4096, 1},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			it, ok := ecs.DefaultCatalog().Lookup(tt.typ)
			require.True(t, ok, "%s is in the catalogue", tt.typ)
			c := newAPIClient(t, newTestECS(t))
			var out ecs.RegisterContainerInstanceResponse
			c.call("RegisterContainerInstance", ecs.RegisterContainerInstanceRequest{
				Attributes: []ecs.Attribute{{Name: ecs.AttrInstanceType, Value: tt.typ}},
			}, &out)
			ci := *out.ContainerInstance
			reg, err := ecs.ParseResources(ci.RegisteredResources)
			require.NoError(t, err)
			require.Equal(t, tt.cpu, reg.CPU)
			require.Equal(t, it.RegisteredMemoryMiB, reg.MemoryMiB)
			require.Positive(t, reg.MemoryMiB)
			require.Less(t, reg.MemoryMiB, it.MemoryMiB)
			require.Equal(t, tt.gpus, reg.GPUs)
			arch, _ := attribute(ci, ecs.AttrCPUArchitecture)
			require.Equal(t, tt.arch, arch)
		})
	}
}

// TestRegisterUncataloguedTypeWithResources checks that a type the
// catalogue lacks registers when the instance gives its CPU and MEMORY, as
// the agent always does, through the Go API and the served one alike.
func TestRegisterUncataloguedTypeWithResources(t *testing.T) {
	const typ = "z9.future"
	_, known := ecs.DefaultCatalog().Lookup(typ)
	require.False(t, known)
	total := []ecs.Resource{
		{Name: ecs.ResourceCPU, Type: "INTEGER", IntegerValue: 8192},
		{Name: ecs.ResourceMemory, Type: "INTEGER", IntegerValue: 30000},
	}

	e := newTestECS(t)
	ci, err := e.LaunchInstance(context.Background(), "", Instance{InstanceType: typ, TotalResources: total})
	require.NoError(t, err)
	reg, err := ecs.ParseResources(ci.RegisteredResources)
	require.NoError(t, err)
	require.Equal(t, 8192, reg.CPU)
	require.Equal(t, 30000, reg.MemoryMiB)
	_, hasArch := attribute(*ci, ecs.AttrCPUArchitecture)
	require.False(t, hasArch, "no architecture is invented for an unknown type")

	c := newAPIClient(t, e)
	var out ecs.RegisterContainerInstanceResponse
	c.call("RegisterContainerInstance", ecs.RegisterContainerInstanceRequest{
		Attributes:     []ecs.Attribute{{Name: ecs.AttrInstanceType, Value: typ}, {Name: ecs.AttrCPUArchitecture, Value: "arm64"}},
		TotalResources: total,
	}, &out)
	arch, _ := attribute(*out.ContainerInstance, ecs.AttrCPUArchitecture)
	require.Equal(t, "arm64", arch)

	_, err = e.LaunchInstance(context.Background(), "", Instance{InstanceType: typ, TotalResources: total[:1]})
	require.ErrorContains(t, err, "not in the instance type catalogue", "CPU alone is not enough")
}
