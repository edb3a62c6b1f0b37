package ecs

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseTaskDefinitionRef reads arbitrary strings as task definition
// references: no input may panic; a success names a family without ':'
// (and a positive revision when it names one), and family[:revision]
// reads back the same; a failure names nothing and quotes the input.
func FuzzParseTaskDefinitionRef(f *testing.F) {
	for _, s := range []string{
		"web", "web:3", "web:0", "web:-1", "web:x", ":3", "", "web:3:4",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web",
		"arn:aws:ecs:us-east-1:123456789012:cluster/default", "arn:", "web:99999999999999999999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		family, revision, hasRevision, err := ParseTaskDefinitionRef(ref)
		if err != nil {
			if family != "" || revision != 0 || hasRevision {
				t.Fatalf("ParseTaskDefinitionRef(%q): error %v with %q %d %t", ref, err, family, revision, hasRevision)
			}
			if !strings.Contains(err.Error(), strconv.Quote(ref)) {
				t.Fatalf("ParseTaskDefinitionRef(%q): error %q does not quote the reference", ref, err)
			}
			return
		}
		if family == "" || strings.Contains(family, ":") || hasRevision != (revision > 0) || (!hasRevision && revision != 0) {
			t.Fatalf("ParseTaskDefinitionRef(%q) = %q, %d, %t", ref, family, revision, hasRevision)
		}
		again := family
		if hasRevision {
			again += ":" + strconv.Itoa(revision)
		}
		f2, r2, h2, err := ParseTaskDefinitionRef(again)
		if err != nil || f2 != family || r2 != revision || h2 != hasRevision {
			t.Fatalf("ParseTaskDefinitionRef(%q) = %q, %d, %t, %v; from %q", again, f2, r2, h2, err, ref)
		}
	})
}

// FuzzParseResources reads arbitrary documents as a container instance's
// resource list and parses it: no input may panic; a success has sorted,
// distinct ports from 0 to 65535 and a CPU and memory of the API's
// Integer, and its ResourceList parses back to the same resources.
func FuzzParseResources(f *testing.F) {
	for _, s := range []string{
		`[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":3904},` +
			`{"name":"PORTS","type":"STRINGSET","stringSetValue":["22","2375","51678"]},{"name":"PORTS_UDP","type":"STRINGSET","stringSetValue":[]}]`,
		`[{"name":"CPU","doubleValue":1024.5},{"name":"MEMORY","longValue":4294967296}]`,
		`[{"name":"GPU","stringSetValue":["gpu-0","gpu-1"]},{"name":"PORTS","stringSetValue":["80","80","-1"]}]`,
		`[{"name":"PORTS","stringSetValue":["65536"]},{"name":"FUTURE","integerValue":1}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var list []Resource
		if Unmarshal(data, &list, Lenient) != nil && list == nil {
			return
		}
		r, err := ParseResources(list)
		if err != nil {
			return
		}
		for _, ports := range [][]int{r.PortsTCP, r.PortsUDP} {
			if !slices.IsSorted(ports) || len(slices.Compact(slices.Clone(ports))) != len(ports) {
				t.Fatalf("ports not sorted and distinct: %v", ports)
			}
			for _, p := range ports {
				if p < 0 || p > 65535 {
					t.Fatalf("port %d", p)
				}
			}
		}
		if r.CPU != int(int32(r.CPU)) || r.MemoryMiB != int(int32(r.MemoryMiB)) {
			t.Fatalf("CPU %d or memory %d beyond an Integer", r.CPU, r.MemoryMiB)
		}
		back, err := ParseResources(r.ResourceList())
		if err != nil {
			t.Fatalf("ParseResources of our own list: %v", err)
		}
		if back.CPU != r.CPU || back.MemoryMiB != r.MemoryMiB || back.GPUs != r.GPUs ||
			!slices.Equal(back.PortsTCP, r.PortsTCP) || !slices.Equal(back.PortsUDP, r.PortsUDP) {
			t.Fatalf("resources changed through ResourceList: %+v, then %+v", r, back)
		}
	})
}

// FuzzLoadCatalog reads arbitrary documents as instance type catalogues:
// no input may panic, and every type of a catalogue that loads has a
// name, vCPUs and memory above 0, registered memory below its memory,
// and a source for each figure it gives.
func FuzzLoadCatalog(f *testing.F) {
	f.Add([]byte(`{"sources":{"a":"https://example.com"},"types":[` +
		`{"instanceType":"a1.medium","vcpu":1,"memoryMiB":2048,"maxEnis":2,"trunkEnis":10,"architecture":"arm64","gpus":0,` +
		`"sources":{"vcpu":"a","memoryMiB":"a","maxEnis":"a","trunkEnis":"a","architecture":"a","gpus":"a"}},` +
		`{"instanceType":"c5.large","vcpu":2,"memoryMiB":4096,"registeredMemoryMiB":3748,"gpus":0,` +
		`"sources":{"vcpu":"a","memoryMiB":"a","registeredMemoryMiB":"a","gpus":"a"}}]}`))
	f.Add([]byte(`{"sources":{},"types":[{"instanceType":"x","vcpu":1,"memoryMiB":1,"sources":{"vcpu":"missing"}}]}`))
	f.Add([]byte(`{"types":[{"instanceType":"x","vcpu":2,"memoryMiB":4,"registeredMemoryMiB":8}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := LoadCatalog(data)
		if err != nil {
			if c != nil {
				t.Fatalf("error %v with a catalogue", err)
			}
			return
		}
		for it := range c.All() {
			if it.Name == "" || it.VCPUs <= 0 || it.MemoryMiB <= 0 || it.RegisteredMemoryMiB >= it.MemoryMiB {
				t.Fatalf("instance type %+v", it)
			}
			if it.Sources.VCPUs == "" || it.Sources.MemoryMiB == "" {
				t.Fatalf("instance type %s without sources: %+v", it.Name, it.Sources)
			}
			if got, ok := c.Lookup(it.Name); !ok || got.Name != it.Name {
				t.Fatalf("Lookup(%q) = %+v, %t", it.Name, got, ok)
			}
		}
	})
}
