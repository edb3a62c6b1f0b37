package ecs_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// defaultCatalogTypes is how many types the default catalogue has: every
// type of autoscaler's table (1,108) but the 7 Mac ones.
const defaultCatalogTypes = 1101

func TestDefaultCatalogCount(t *testing.T) {
	require.Equal(t, defaultCatalogTypes, ecs.DefaultCatalog().Len())
	n := 0
	for range ecs.DefaultCatalog().All() {
		n++
	}
	require.Equal(t, defaultCatalogTypes, n)
}

// TestDefaultCatalogTypesPeopleRun checks types of every generation that
// people run ECS on, with figures from autoscaler's table (vCPUs, memory,
// architecture, GPUs) and Karpenter's (ENIs).
func TestDefaultCatalogTypesPeopleRun(t *testing.T) {
	tests := []struct {
		name             string
		vcpu, mem, enis  int
		arch             string
		gpus, trunk      int
		registeredSource string
	}{
		{"t2.micro", 1, 1024, 2, "x86_64", 0, 0, "rule:"},
		{"t2.small", 1, 2048, 3, "x86_64", 0, 0, "exo-lives-aws"},
		{"m4.large", 2, 8192, 2, "x86_64", 0, 0, "rule:"},
		{"c4.xlarge", 4, 7680, 4, "x86_64", 0, 0, "rule:"},
		{"m1.small", 1, 1740, 2, "x86_64", 0, 0, "rule:"},
		{"r4.large", 2, 15616, 3, "x86_64", 0, 0, "rule:"},
		{"t4g.small", 2, 2048, 3, "arm64", 0, 0, "rule:"},
		{"m7i.large", 2, 8192, 3, "x86_64", 0, 0, "rule:"},
		{"g4dn.xlarge", 4, 16384, 3, "x86_64", 1, 0, "rule:"},
		{"c5d.large", 2, 4096, 3, "x86_64", 0, 10, "exo-lives-aws"},
		{"m5n.large", 2, 8192, 3, "x86_64", 0, 10, "rule:"},
	}
	cat := ecs.DefaultCatalog()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, ok := cat.Lookup(tt.name)
			require.True(t, ok)
			require.Equal(t, tt.vcpu, it.VCPUs)
			require.Equal(t, tt.vcpu*1024, it.CPU)
			require.Equal(t, tt.mem, it.MemoryMiB)
			require.Equal(t, tt.enis, it.MaxENIs)
			require.Equal(t, tt.arch, it.Architecture)
			require.Equal(t, tt.gpus, it.GPUs)
			require.Equal(t, tt.trunk, it.TrunkENIs)
			require.Contains(t, it.Sources.RegisteredMemoryMiB, tt.registeredSource)
			if strings.HasPrefix(tt.registeredSource, "rule:") {
				require.Equal(t, ecs.DefaultMemoryOverhead().Registered(tt.mem), it.RegisteredMemoryMiB)
			}
		})
	}
}

// TestDefaultCatalogSane checks every type: figures above 0 and cited, a
// known architecture, at least one ENI, registered memory below nominal,
// and a trunk figure only where the developer guide's table gives it, and
// then the guide's.
func TestDefaultCatalogSane(t *testing.T) {
	documented := trunkTable(t)
	for it := range ecs.DefaultCatalog().All() {
		require.Positive(t, it.VCPUs, it.Name)
		require.Equal(t, it.VCPUs*1024, it.CPU, it.Name)
		require.Positive(t, it.MemoryMiB, it.Name)
		require.Positive(t, it.RegisteredMemoryMiB, it.Name)
		require.Less(t, it.RegisteredMemoryMiB, it.MemoryMiB, it.Name)
		require.Contains(t, []string{"x86_64", "arm64"}, it.Architecture, it.Name)
		require.GreaterOrEqual(t, it.MaxENIs, 1, it.Name)
		require.GreaterOrEqual(t, it.GPUs, 0, it.Name)
		require.LessOrEqual(t, it.TrunkENIs, max(documented[it.Name], 0), it.Name)
		if it.TrunkENIs > 0 {
			require.Equal(t, documented[it.Name], it.TrunkENIs, it.Name)
			require.Contains(t, it.Sources.TrunkENIs, "container-instance-eni", it.Name)
		} else {
			require.Contains(t, it.Sources.TrunkENIs, "left out", it.Name)
		}
		for field, src := range map[string]string{
			"VCPUs": it.Sources.VCPUs, "MemoryMiB": it.Sources.MemoryMiB, "MaxENIs": it.Sources.MaxENIs,
			"Architecture": it.Sources.Architecture, "GPUs": it.Sources.GPUs,
		} {
			require.Contains(t, src, "https://", "%s %s", it.Name, field)
		}
		require.False(t, strings.HasPrefix(it.Name, "mac"), "%s: ECS runs no Mac instances", it.Name)
	}
}

// trunkTable reads the developer guide's task limits with ENI trunking
// from the generator's data table.
func trunkTable(t *testing.T) map[string]int {
	t.Helper()
	f, err := os.Open("internal/catalogen/testdata/ecs-trunking.tsv")
	require.NoError(t, err)
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 3 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		n, err := strconv.Atoi(fields[2])
		require.NoError(t, err, sc.Text())
		out[fields[0]] = n
	}
	require.NoError(t, sc.Err())
	require.Greater(t, len(out), 400)
	return out
}

// TestDefaultCatalogGPUsECSRegisters checks that only NVIDIA GPUs count:
// g4ad's AMD GPUs and dl1's Gaudi accelerators are not registered by ECS.
func TestDefaultCatalogGPUsECSRegisters(t *testing.T) {
	cat := ecs.DefaultCatalog()
	for _, name := range []string{"g4ad.xlarge", "dl1.24xlarge"} {
		it, ok := cat.Lookup(name)
		require.True(t, ok, name)
		require.Zero(t, it.GPUs, name)
		require.Contains(t, it.Sources.GPUs, "ecs-gpu.html", name)
	}
	p4, ok := cat.Lookup("p4d.24xlarge")
	require.True(t, ok)
	require.Equal(t, 8, p4.GPUs)
}
