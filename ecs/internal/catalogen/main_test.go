package main

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

// TestCatalogueIsCurrent checks that ecs/instancetypes.json is what the
// data tables give: run go generate in package ecs after changing them.
func TestCatalogueIsCurrent(t *testing.T) {
	got, err := Generate(os.DirFS("testdata"))
	require.NoError(t, err)
	want, err := os.ReadFile("../../instancetypes.json")
	require.NoError(t, err)
	require.True(t, string(want) == string(got), "ecs/instancetypes.json is stale: run go generate ./ecs")
}

func TestCompareTypes(t *testing.T) {
	want := []string{
		"c7i.large", "c7i.xlarge", "c7i.2xlarge", "c7i.12xlarge", "c7i.48xlarge", "c7i.metal-24xl", "c7i.metal-48xl",
		"c7i-flex.large", "m5.large", "m5.metal", "t3.nano", "t3.micro", "t3.small", "t3.medium", "t3.large",
		"u-3tb1.56xlarge", "u7i-12tb.224xlarge", "x.odd",
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, compareTypes)
	require.Equal(t, want, got)
}

// tables is a small set of data tables; each test case replaces some.
func tables() fstest.MapFS {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		"sources.json": file(`{"about": "test", "leaveOutFamilies": ["mac1"], "sources": {
			"autoscaler": "AS", "karpenter-vpclimits": "K", "ecs-dg-trunking": "T {withoutTrunking}; note: {rowsOverNote}",
			"ecs-dg-trunking-excluded": "X", "ecs-dg-trunking-excluded-family": "XF", "ecs-dg-trunking-absent": "A",
			"ecs-dg-trunking-unlisted": "U", "ecs-dg-trunking-unusable": "N", "lab": "L"}}`),
		"autoscaler.tsv": file("# comment\n" +
			"c5.large\t2\t4096\t0\tamd64\nc5.metal\t96\t196608\t0\tamd64\nc5.xlarge\t4\t8192\t0\tamd64\n" +
			"c5n.large\t2\t5376\t0\tamd64\nm5n.large\t2\t8192\t0\tamd64\nt3.micro\t2\t1024\t0\tamd64\n" +
			"g4ad.xlarge\t4\t16384\t1\tamd64\nmac1.metal\t12\t32768\t0\tamd64\n"),
		"vpclimits.tsv": file("c5.large\t3\nc5.metal\t15\nc5.xlarge\t4\nc5n.large\t3\nm5n.large\t3\nt3.micro\t2\n" +
			"g4ad.xlarge\t2\nmac1.metal\t8\n"),
		"ecs-trunking.tsv": file("c5.large\t2\t10\nc5.xlarge\t2\t20\nm5n.large\t2\t-2\n" +
			"type\tc5.metal\nfamily\tc5n\nfamily\tm5n\n"),
		"registered.tsv": file("c5.large\t3704\tlab\n"),
		"gpus.tsv":       file("g4ad.xlarge\t0\tlab\n"),
	}
}

func TestGenerate(t *testing.T) {
	out, err := Generate(tables())
	require.NoError(t, err)
	s := string(out)
	for _, want := range []string{
		`{"instanceType":"c5.large","vcpu":2,"memoryMiB":4096,"registeredMemoryMiB":3704,"maxEnis":3,"trunkEnis":10,"architecture":"x86_64","gpus":0,` +
			`"sources":{"vcpu":"autoscaler","memoryMiB":"autoscaler","registeredMemoryMiB":"lab","maxEnis":"karpenter-vpclimits","trunkEnis":"ecs-dg-trunking","architecture":"autoscaler","gpus":"autoscaler"}}`,
		`"instanceType":"c5.metal"`, `"trunkEnis":"ecs-dg-trunking-excluded"`,
		`"trunkEnis":"ecs-dg-trunking-excluded-family"`, `"trunkEnis":"ecs-dg-trunking-absent"`,
		`"trunkEnis":"ecs-dg-trunking-unusable"`,
		`"instanceType":"g4ad.xlarge","vcpu":4,"memoryMiB":16384,"maxEnis":2,"architecture":"x86_64","gpus":0,`,
		`"ecs-dg-trunking": "T for every type here but c5.xlarge (2, maxEnis - 1 being 3); note: m5n.large"`,
	} {
		require.Contains(t, s, want)
	}
	require.NotContains(t, s, "mac1.metal")
	require.Less(t, strings.Index(s, `"c5.xlarge"`), strings.Index(s, `"c5.metal"`), "sizes in order")
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name, file, data, want string
	}{
		{"no ENI figure", "vpclimits.tsv", "c5.large\t3\n", "not in vpclimits.tsv"},
		{"zero ENIs", "vpclimits.tsv", "c5.large\t0\nc5.metal\t15\nc5.xlarge\t4\nc5n.large\t3\nm5n.large\t3\nt3.micro\t2\ng4ad.xlarge\t2\n", "0 network interfaces"},
		{"bad architecture", "autoscaler.tsv", "c5.large\t2\t4096\t0\ti386\n", `"i386"`},
		{"short row", "autoscaler.tsv", "c5.large\t2\t4096\n", "3 fields, want 5"},
		{"twice", "autoscaler.tsv", "t3.micro\t2\t1024\t0\tamd64\nt3.micro\t2\t1024\t0\tamd64\n", "t3.micro twice"},
		{"unknown source", "registered.tsv", "c5.large\t3704\tnowhere\n", `source "nowhere"`},
		{"registered not below", "registered.tsv", "c5.large\t4096\tlab\n", "not below"},
		{"figure for an absent type", "gpus.tsv", "p9.mega\t1\tlab\n", "p9.mega has a figure"},
		{"bad trunking row", "ecs-trunking.tsv", "c5.large\t2\n", "2 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := tables()
			fs[tt.file].Data = []byte(tt.data)
			_, err := Generate(fs)
			require.ErrorContains(t, err, tt.want)
		})
	}
}
