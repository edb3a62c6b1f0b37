package ecs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// TestCatalogRule83 checks the developer guide's awsvpc task limits per
// instance type, without and with ENI trunking (rule 83).
func TestCatalogRule83(t *testing.T) {
	tests := []struct {
		name          string
		without, with int
	}{
		{"c5.large", 2, 10},
		{"c5.xlarge", 3, 20},
		{"c5.2xlarge", 3, 40},
		{"c5.4xlarge", 7, 60},
		{"c5.24xlarge", 14, 120},
		{"m5.large", 2, 10},
		{"m5.xlarge", 3, 20},
		{"m5.2xlarge", 3, 40},
		{"m5.4xlarge", 7, 60},
		{"m5.8xlarge", 7, 60},
		{"m5.24xlarge", 14, 120},
		{"r5.large", 2, 10},
		{"r5.xlarge", 3, 20},
		{"m6i.8xlarge", 7, 90},
		{"m6i.12xlarge", 7, 120},
		{"a1.medium", 1, 10},
		{"c6g.medium", 1, 4},
	}
	cat := ecs.DefaultCatalog()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, ok := cat.Lookup(tt.name)
			require.True(t, ok)
			require.Equal(t, tt.without, it.MaxENIs-1, "without trunking")
			require.Equal(t, tt.with, it.TrunkENIs, "with trunking")
		})
	}
}

func TestCatalogCoversFamilies(t *testing.T) {
	families := map[string]int{}
	for it := range ecs.DefaultCatalog().All() {
		family, _, _ := strings.Cut(it.Name, ".")
		families[family]++
	}
	for _, f := range []string{"a1", "c5", "c6g", "c6i", "c7g", "m5", "m6g", "m6i", "m7g", "r5", "r6g", "r6i", "t3"} {
		require.Positive(t, families[f], "family %s", f)
	}
	require.Equal(t, ecs.DefaultCatalog().Len(), sum(families))
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestCatalogEveryFigureCited checks that every figure has a source or a
// rule, that CPU is VCPUs × 1024 and that registered memory is below
// nominal memory (rule 80).
func TestCatalogEveryFigureCited(t *testing.T) {
	for it := range ecs.DefaultCatalog().All() {
		s := it.Sources
		cited := map[string]string{
			"VCPUs": s.VCPUs, "CPU": s.CPU, "MemoryMiB": s.MemoryMiB,
			"RegisteredMemoryMiB": s.RegisteredMemoryMiB, "MaxENIs": s.MaxENIs,
			"Architecture": s.Architecture, "GPUs": s.GPUs,
		}
		for field, src := range cited {
			require.NotEmpty(t, src, "%s %s", it.Name, field)
		}
		if it.TrunkENIs > 0 {
			require.NotEmpty(t, s.TrunkENIs, "%s TrunkENIs", it.Name)
		}
		require.Equal(t, it.VCPUs*1024, it.CPU, it.Name)
		require.Positive(t, it.RegisteredMemoryMiB, it.Name)
		require.Less(t, it.RegisteredMemoryMiB, it.MemoryMiB, it.Name)
		require.Positive(t, it.MaxENIs, it.Name)
		require.Contains(t, []string{"x86_64", "arm64"}, it.Architecture, it.Name)
	}
}

func TestCatalogLookup(t *testing.T) {
	cat := ecs.DefaultCatalog()
	c5, ok := cat.Lookup("c5.large")
	require.True(t, ok)
	want := ecs.InstanceType{
		Name: "c5.large", VCPUs: 2, CPU: 2048, MemoryMiB: 4096, RegisteredMemoryMiB: 3704,
		MaxENIs: 3, TrunkENIs: 10, Architecture: "x86_64", GPUs: 0,
	}
	require.Empty(t, cmp.Diff(want, c5, cmpIgnoreSources))
	require.Contains(t, c5.Sources.RegisteredMemoryMiB, "exo-lives-aws")
	require.Contains(t, c5.Sources.TrunkENIs, "container-instance-eni")

	t3, ok := cat.Lookup("t3.micro")
	require.True(t, ok)
	require.Zero(t, t3.TrunkENIs, "t3 has no ENI trunking")
	require.Contains(t, t3.Sources.TrunkENIs, "left out")
	require.Equal(t, ecs.DefaultMemoryOverhead().Registered(1024), t3.RegisteredMemoryMiB)
	require.True(t, strings.HasPrefix(t3.Sources.RegisteredMemoryMiB, "rule:"))

	g, ok := cat.Lookup("c7g.large")
	require.True(t, ok)
	require.Equal(t, "arm64", g.Architecture)

	_, ok = cat.Lookup("p9.mega")
	require.False(t, ok)
	var nilCat *ecs.Catalog
	_, ok = nilCat.Lookup("c5.large")
	require.False(t, ok)
	require.Zero(t, nilCat.Len())
}

var cmpIgnoreSources = cmp.FilterPath(func(p cmp.Path) bool {
	return p.String() == "Sources"
}, cmp.Ignore())

func TestMemoryOverheadRule(t *testing.T) {
	tests := []struct {
		rule    ecs.MemoryOverhead
		nominal int
		want    int
	}{
		{ecs.DefaultMemoryOverhead(), 8192, 8192 - 615}, // ⌈614.4⌉
		{ecs.DefaultMemoryOverhead(), 1024, 1024 - 77},  // ⌈76.8⌉
		{ecs.MemoryOverhead{Fraction: 0.075, ReservedMiB: 256}, 8192, 8192 - 615 - 256},
		{ecs.MemoryOverhead{}, 4096, 4096},
		{ecs.MemoryOverhead{ReservedMiB: 9999}, 4096, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.rule, tt.nominal), func(t *testing.T) {
			require.Equal(t, tt.want, tt.rule.Registered(tt.nominal))
		})
	}
}

func TestCatalogWithMemoryOverhead(t *testing.T) {
	base := ecs.DefaultCatalog()
	cat := base.WithMemoryOverhead(ecs.MemoryOverhead{Fraction: 0.05, ReservedMiB: 100})
	require.Equal(t, 0.05, cat.MemoryOverhead().Fraction)

	// No source gives c6i.large's registered memory: 4096 − ⌈204.8⌉ − 100.
	derived, _ := cat.Lookup("c6i.large")
	require.Equal(t, 4096-205-100, derived.RegisteredMemoryMiB)
	require.Contains(t, derived.Sources.RegisteredMemoryMiB, "0.05")

	// c5.large registers 3704 MiB by its source, less ECS_RESERVED_MEMORY.
	sourced, _ := cat.Lookup("c5.large")
	require.Equal(t, 3704-100, sourced.RegisteredMemoryMiB)

	orig, _ := base.Lookup("c6i.large")
	require.Equal(t, ecs.DefaultMemoryOverhead().Registered(4096), orig.RegisteredMemoryMiB, "the default is unchanged")
}

func TestCatalogWithTypes(t *testing.T) {
	base := ecs.DefaultCatalog()
	custom := ecs.InstanceType{
		Name: "x9.large", VCPUs: 2, MemoryMiB: 4096, MaxENIs: 3, Architecture: "x86_64",
		Sources: ecs.InstanceTypeSources{VCPUs: "my lab", MemoryMiB: "my lab", MaxENIs: "my lab"},
	}
	replaced := ecs.InstanceType{Name: "c5.large", VCPUs: 2, MemoryMiB: 4096, RegisteredMemoryMiB: 3800, MaxENIs: 3}
	cat := base.WithTypes(custom, replaced)

	require.Equal(t, base.Len()+1, cat.Len())
	got, ok := cat.Lookup("x9.large")
	require.True(t, ok)
	require.Equal(t, 2048, got.CPU)
	require.Equal(t, ecs.DefaultMemoryOverhead().Registered(4096), got.RegisteredMemoryMiB)
	c5, _ := cat.Lookup("c5.large")
	require.Equal(t, 3800, c5.RegisteredMemoryMiB)
	old, _ := base.Lookup("c5.large")
	require.Equal(t, 3704, old.RegisteredMemoryMiB, "the base catalogue is unchanged")
	_, ok = base.Lookup("x9.large")
	require.False(t, ok)

	only := ecs.NewCatalog(custom)
	require.Equal(t, 1, only.Len())
}

func TestLoadCatalogErrors(t *testing.T) {
	const head = `{"sources": {"a": "somewhere"}, "types": [`
	tests := []struct {
		name, entry, want string
	}{
		{"no source", `{"instanceType": "x.l", "vcpu": 2, "memoryMiB": 4096, "gpus": 0, "sources": {"vcpu": "a", "memoryMiB": "a"}}`, "gpus has no source"},
		{"unknown key", `{"instanceType": "x.l", "vcpu": 2, "memoryMiB": 4096, "gpus": 0, "sources": {"vcpu": "a", "memoryMiB": "a", "gpus": "b"}}`, `no source "b"`},
		{"registered not below nominal", `{"instanceType": "x.l", "vcpu": 2, "memoryMiB": 4096, "registeredMemoryMiB": 4096, "gpus": 0, "sources": {}}`, "not below"},
		{"unknown field", `{"instanceType": "x.l", "cores": 2}`, "unknown field"},
		{"bad architecture", `{"instanceType": "x.l", "vcpu": 2, "memoryMiB": 4096, "architecture": "sparc", "sources": {}}`, "sparc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ecs.LoadCatalog([]byte(head + tt.entry + `]}`))
			require.ErrorContains(t, err, tt.want)
		})
	}
	cat, err := ecs.LoadCatalog([]byte(head + `{"instanceType": "x.l", "vcpu": 2, "memoryMiB": 4096, "gpus": 0, "sources": {"vcpu": "a", "memoryMiB": "a", "gpus": "a"}}]}`))
	require.NoError(t, err)
	x, _ := cat.Lookup("x.l")
	require.Equal(t, "somewhere", x.Sources.VCPUs)
}

func ExampleCatalog_Lookup() {
	t, _ := ecs.DefaultCatalog().Lookup("c5.large")
	fmt.Println(t.VCPUs, "vCPU,", t.CPU, "CPU units,", t.MemoryMiB, "MiB nominal,", t.RegisteredMemoryMiB, "MiB registered")
	fmt.Println("awsvpc tasks:", t.MaxENIs-1, "without trunking,", t.TrunkENIs, "with")
	// Output:
	// 2 vCPU, 2048 CPU units, 4096 MiB nominal, 3704 MiB registered
	// awsvpc tasks: 2 without trunking, 10 with
}
