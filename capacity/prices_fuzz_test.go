package capacity

import (
	"bytes"
	"math"
	"testing"
)

// FuzzLoadPrices reads arbitrary documents as price tables: no input may
// panic; a table that loads has a region, finite prices that are not
// negative, and sources its table lists; and its EC2 and storage prices
// read as the table says.
func FuzzLoadPrices(f *testing.F) {
	f.Add([]byte(`{"region":"us-east-1","currency":"USD","date":"2026-09-28","sources":[{"id":"R","title":"t"}],` +
		`"fargate":[{"os":"LINUX","architecture":"X86_64","spot":false,"vcpuHour":0.04048,"gbHour":0.004445,"minimumSeconds":60,"sources":["R"]},` +
		`{"os":"WINDOWS","architecture":"X86_64","vcpuHour":0.09,"gbHour":0.01,"osLicenseVcpuHour":0.046,"sources":["R"]}],` +
		`"ephemeralStorage":{"gbHour":0.000111,"freeGb":20,"sources":["R"]},` +
		`"ec2":{"onDemand":{"c5.large":0.085},"spot":{"c5.large":0.03},"sources":["R"]}}`))
	f.Add([]byte(`{"region":"r","fargate":[{"os":"LINUX","architecture":"ARM64","vcpuHour":-1,"gbHour":0}]}`))
	f.Add([]byte(`{"region":"r","ec2":{"onDemand":{"x":1e400}}}`))
	f.Add([]byte(`{"region":"","unknown":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		table, err := LoadPrices(bytes.NewReader(data))
		if err != nil {
			if table != nil {
				t.Fatalf("error %v with a table", err)
			}
			return
		}
		if table.Region == "" {
			t.Fatal("a table without a region")
		}
		ids := map[string]bool{}
		for _, s := range table.Sources {
			ids[s.ID] = true
		}
		good := func(p float64) bool { return p >= 0 && !math.IsInf(p, 0) && !math.IsNaN(p) }
		for _, r := range table.Fargate {
			if !good(r.VCPUHour) || !good(r.GBHour) || !good(r.OSLicenseVCPUHour) {
				t.Fatalf("Fargate rate %+v", r)
			}
			for _, s := range r.Sources {
				if !ids[s] {
					t.Fatalf("source %q not listed", s)
				}
			}
		}
		for name, p := range table.EC2.OnDemand {
			got, err := table.EC2Hourly(name, false)
			if err != nil || got != p || !good(p) {
				t.Fatalf("EC2Hourly(%q) = %v, %v; table %v", name, got, err, p)
			}
		}
		if s := table.EphemeralStorageHourly(table.EphemeralStorage.FreeGB + 1); !good(s) {
			t.Fatalf("ephemeral storage %v", s)
		}
	})
}
