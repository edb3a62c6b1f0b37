package capacity

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

func TestDefaultPrices(t *testing.T) {
	p := DefaultPrices()
	require.Equal(t, "us-east-1", p.Region)
	require.Equal(t, "USD", p.Currency)
	require.Equal(t, "2026-09-28", p.Date)
	require.Len(t, p.Fargate, 5)
	require.NotEmpty(t, p.Sources)
	for _, r := range p.Fargate {
		require.NotEmpty(t, r.Sources, "%s %s spot=%t", r.OS, r.Architecture, r.Spot)
		require.NotEmpty(t, r.Date)
	}
	win, err := p.Rate(Platform{OS: ecs.OSFamilyWindowsServer2022Core})
	require.NoError(t, err)
	require.Len(t, win.Notes, 4, "the Windows caveats travel with the rate")
	require.Equal(t, 300, win.MinimumSeconds)

	// Each call is a fresh table: changing one leaves the next alone.
	p.Fargate[0].VCPUHour = 99
	require.InDelta(t, 0.04048, DefaultPrices().Fargate[0].VCPUHour, 1e-12)
}

func TestFargateHourly(t *testing.T) {
	p := DefaultPrices()
	small := ecs.FargateSize{CPU: 256, MemoryMiB: 512}
	one := ecs.FargateSize{CPU: 1024, MemoryMiB: 2048}
	tests := []struct {
		name string
		size ecs.FargateSize
		on   Platform
		want float64
	}{
		{"linux x86 0.25 vCPU 0.5 GB", small, Platform{}, 0.25*0.04048 + 0.5*0.004445},
		{"linux x86 1 vCPU 2 GB", one, Platform{OS: ecs.OSFamilyLinux}, 0.04937},
		{"linux arm64", one, Platform{Architecture: ecs.CPUArchitectureArm64}, 0.03238 + 2*0.00356},
		{"spot x86", one, Platform{Spot: true}, 0.01288871 + 2*0.00141527},
		{"spot arm64", one, Platform{Architecture: ecs.CPUArchitectureArm64, Spot: true}, 0.01030969 + 2*0.00113349},
		{"windows adds the licence", one, Platform{OS: ecs.OSFamilyWindowsServer2019Full}, 0.09148 + 0.046 + 2*0.01005},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.FargateHourly(tt.size, tt.on)
			require.NoError(t, err)
			require.InDelta(t, tt.want, got, 1e-12)
		})
	}
}

func TestFargateNoRate(t *testing.T) {
	p := DefaultPrices()
	for _, on := range []Platform{
		{OS: ecs.OSFamilyWindowsServer2022Full, Spot: true},
		{OS: ecs.OSFamilyWindowsServer2022Full, Architecture: ecs.CPUArchitectureArm64},
	} {
		_, err := p.FargateHourly(ecs.FargateSize{CPU: 1024, MemoryMiB: 2048}, on)
		require.ErrorIs(t, err, ErrNoPrice)
	}
}

func TestCheapestFargate(t *testing.T) {
	p := DefaultPrices()
	win := Platform{OS: ecs.OSFamilyWindowsServer2022Core}
	tests := []struct {
		name     string
		cpu, mem int
		on       Platform
		want     ecs.FargateSize
	}{
		{"nothing needed", 0, 0, Platform{}, ecs.FargateSize{CPU: 256, MemoryMiB: 512}},
		{"just over a quarter vCPU", 300, 600, Platform{}, ecs.FargateSize{CPU: 512, MemoryMiB: 1024}},
		{"memory heavy", 256, 3000, Platform{}, ecs.FargateSize{CPU: 512, MemoryMiB: 3072}},
		{"windows needs 1 vCPU", 300, 600, win, ecs.FargateSize{CPU: 1024, MemoryMiB: 2048}},
		{"beyond 4 vCPU memory", 4096, 31000, Platform{}, ecs.FargateSize{CPU: 8192, MemoryMiB: 32768}},
		{"largest", 16384, 122880, Platform{Spot: true}, ecs.FargateSize{CPU: 16384, MemoryMiB: 122880}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := p.CheapestFargate(tt.cpu, tt.mem, tt.on)
			require.NoError(t, err)
			require.Equal(t, tt.want, q.Size)
			want, err := p.FargateHourly(tt.want, tt.on)
			require.NoError(t, err)
			require.InDelta(t, want, q.Hourly, 1e-12)
			require.InDelta(t, want*730, q.Monthly(), 1e-9)
			require.True(t, ecs.IsFargateSize(q.Size.CPU, q.Size.MemoryMiB, tt.on.OS))
		})
	}
	_, err := p.CheapestFargate(4096, 31000, win)
	require.Error(t, err, "Windows stops at 4 vCPU and 30 GB")
	_, err = p.CheapestFargate(16385, 1024, Platform{})
	require.Error(t, err)
	_, err = p.CheapestFargate(256, 512, Platform{OS: ecs.OSFamilyWindowsServer2022Core, Spot: true})
	require.ErrorIs(t, err, ErrNoPrice)
}

// TestCheapestIsCheapest checks against every size the table runs.
func TestCheapestIsCheapest(t *testing.T) {
	p := DefaultPrices()
	for _, need := range [][2]int{{1, 1}, {700, 5000}, {2000, 2000}, {3000, 20000}, {9000, 9000}} {
		q, err := p.CheapestFargate(need[0], need[1], Platform{})
		require.NoError(t, err)
		for size := range ecs.FargateSizes("") {
			if size.CPU >= need[0] && size.MemoryMiB >= need[1] {
				h, _ := p.FargateHourly(size, Platform{})
				require.GreaterOrEqual(t, h, q.Hourly, "%v is cheaper than %v", size, q.Size)
			}
		}
	}
}

func TestCheapestFargateFor(t *testing.T) {
	p := DefaultPrices()
	mem := 700
	td := &ecs.TaskDefinition{
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", CPU: 300, Memory: &mem}},
		RuntimePlatform:      &ecs.RuntimePlatform{CPUArchitecture: ecs.CPUArchitectureArm64},
	}
	q, err := p.CheapestFargateFor(td, false)
	require.NoError(t, err)
	require.Equal(t, ecs.FargateSize{CPU: 512, MemoryMiB: 1024}, q.Size)
	require.Equal(t, "ARM64", q.Rate.Architecture)

	td.CPU, td.Memory = "1 vCPU", "3GB"
	q, err = p.CheapestFargateFor(td, true)
	require.NoError(t, err)
	require.Equal(t, ecs.FargateSize{CPU: 1024, MemoryMiB: 3072}, q.Size)
	require.True(t, q.Rate.Spot)
}

func TestLoadPrices(t *testing.T) {
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(pricesJSON, &m))
		f(m)
		data, err := json.Marshal(m)
		require.NoError(t, err)
		return data
	}
	rate0 := func(m map[string]any) map[string]any { return m["fargate"].([]any)[0].(map[string]any) }
	tests := []struct {
		name string
		data []byte
		want string // part of the error; empty for none
	}{
		{"embedded", pricesJSON, ""},
		{"unknown field", edit(func(m map[string]any) { m["bogus"] = 1 }), "bogus"},
		{"no region", edit(func(m map[string]any) { delete(m, "region") }), "no region"},
		{"bad os", edit(func(m map[string]any) { rate0(m)["os"] = "MACOS" }), "os"},
		{"bad architecture", edit(func(m map[string]any) { rate0(m)["architecture"] = "RISCV" }), "architecture"},
		{"negative", edit(func(m map[string]any) { rate0(m)["gbHour"] = -1 }), "negative"},
		{"unknown source", edit(func(m map[string]any) { rate0(m)["sources"] = []string{"Z"} }), `"Z"`},
		{"duplicate rate", edit(func(m map[string]any) {
			m["fargate"] = append(m["fargate"].([]any), rate0(m))
		}), "second rate"},
		{"bad ec2", edit(func(m map[string]any) {
			m["ec2"].(map[string]any)["onDemand"].(map[string]any)["x.large"] = -2
		}), "x.large"},
		{"not json", []byte("{"), "price table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := LoadPrices(bytes.NewReader(tt.data))
			if tt.want == "" {
				require.NoError(t, err)
				require.Equal(t, "us-east-1", p.Region)
				return
			}
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestReplacedTable(t *testing.T) {
	table := `{"region":"eu-west-1","currency":"EUR","date":"2030-01-01",
		"sources":[{"id":"me","title":"my quote"}],
		"fargate":[{"os":"LINUX","architecture":"X86_64","spot":false,"vcpuHour":0.1,"gbHour":0.01,"sources":["me"]}],
		"ephemeralStorage":{"gbHour":0,"freeGb":20,"sources":[]},
		"ec2":{"onDemand":{"m5.large":0.1},"spot":{"m5.large":0.03},"sources":["me"]}}`
	p, err := LoadPrices(strings.NewReader(table))
	require.NoError(t, err)
	h, err := p.FargateHourly(ecs.FargateSize{CPU: 2048, MemoryMiB: 4096}, Platform{})
	require.NoError(t, err)
	require.InDelta(t, 0.24, h, 1e-12)
	_, err = p.FargateHourly(ecs.FargateSize{CPU: 2048, MemoryMiB: 4096}, Platform{Spot: true})
	require.True(t, errors.Is(err, ErrNoPrice))
	s, err := p.EC2Hourly("m5.large", true)
	require.NoError(t, err)
	require.InDelta(t, 0.03, s, 1e-12)
}

func TestEC2Hourly(t *testing.T) {
	p := DefaultPrices()
	h, err := p.EC2Hourly("c5.large", false)
	require.NoError(t, err)
	require.InDelta(t, 0.085, h, 1e-12)
	_, err = p.EC2Hourly("c5.large", true)
	require.ErrorIs(t, err, ErrNoPrice, "no EC2 Spot price was found")
	_, err = p.EC2Hourly("z9.huge", false)
	require.ErrorIs(t, err, ErrNoPrice)
}

func TestEphemeralStorageHourly(t *testing.T) {
	p := DefaultPrices()
	require.Zero(t, p.EphemeralStorageHourly(20))
	require.InDelta(t, 30*0.000111, p.EphemeralStorageHourly(50), 1e-12)
}
