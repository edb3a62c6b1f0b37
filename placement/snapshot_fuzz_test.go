package placement_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// FuzzNewSnapshot reads arbitrary bytes as describe-container-instances
// output, leniently as a user's newer CLI would write it, and builds a
// snapshot of what decoded: no input may panic, and when the snapshot
// builds, placing one small task (bridge with a dynamic port, bridge with
// host port 80, or awsvpc, by kind) either places it on an ACTIVE,
// connected instance of the snapshot or explains why not: every
// candidate turned away once, the reasons adding up to the failures, a
// closest instance when there was a candidate, and a service event.
func FuzzNewSnapshot(f *testing.F) {
	for _, doc := range splitDescribe(f, filepath.Join("..", "ecs", "testdata", "describe-container-instances-small-cluster.json")) {
		f.Add(doc, uint8(0))
	}
	seed, err := os.ReadFile(filepath.Join("..", "ecs", "testdata", "api-examples", "describe-container-instances-1-output.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, uint8(1))
	for k, in := range []*instance{
		newInstance("a"),
		newInstance("b").free(0, 0),
		newInstance("c").ports(22, 80).udpPorts(53),
		newInstance("d").disconnected(),
		newInstance("e").status("DRAINING").attr(ecs.AttrTaskENI, ""),
		newInstance("f").attr(ecs.AttrTaskENI, "").attr(ecs.AttrInstanceType, "t3.nano"),
	} {
		doc, err := ecs.Marshal(ecs.DescribeContainerInstancesResponse{ContainerInstances: cluster(in)})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(doc, uint8(k))
	}
	f.Add([]byte(`[{"containerInstanceArn":"x","status":"ACTIVE","agentConnected":true,"registeredResources":[{"name":"CPU","type":"INTEGER","integerValue":1024},{"name":"MEMORY","type":"INTEGER","integerValue":-5}]}]`), uint8(0))
	f.Add([]byte(`[{"containerInstanceArn":"x"},{"containerInstanceArn":"x"}]`), uint8(0))
	f.Add([]byte(`{"containerInstanceArn":"x","status":"ACTIVE","agentConnected":true,"remainingResources":[{"name":"PORTS","type":"STRINGSET","stringSetValue":["80","x","70000"]}]}`), uint8(1))

	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		cis, _, err := ecs.DecodeContainerInstances(data, ecs.Lenient)
		var se *ecs.SyntaxError
		if errors.As(err, &se) {
			return
		}
		// With field errors, cis holds the rest of the document: build on
		// that too.
		snap, err := placement.NewSnapshot(cis, nil)
		if err != nil {
			return
		}
		if snap.Len() != len(cis) {
			t.Fatalf("snapshot of %d instances has %d", len(cis), snap.Len())
		}
		e := placement.NewEngine(snap)
		if err := placement.CheckIndexes(e); err != nil {
			t.Fatal(err)
		}
		var td *ecs.TaskDefinition
		switch kind % 3 {
		case 0:
			td = taskDef("small", 16, 16, 0)
		case 1:
			td = taskDef("small", 16, 16, 80)
		default:
			td = taskDef("small", 16, 16)
			td.NetworkMode = ecs.NetworkModeAwsvpc
		}
		req := &placement.Request{TaskDefinition: td, Service: "web", Seed: uint64(kind)}
		if kind&4 != 0 {
			req.Service, req.Strategy = "", []ecs.PlacementStrategy{binpack("memory"), spread("instanceId")}
		}
		res, err := e.Place(req)
		if err != nil {
			t.Fatalf("Place: %v", err)
		}
		switch {
		case len(res.Placements) == 1:
			if res.Unplaced != 0 || res.Explanation != nil {
				t.Fatalf("placed, yet %d unplaced and explanation %+v", res.Unplaced, res.Explanation)
			}
			st, ok := e.Instance(res.Placements[0].ContainerInstanceARN)
			if !ok || st.Status != "ACTIVE" || !st.AgentConnected {
				t.Fatalf("placed on %+v (known %v)", st, ok)
			}
			if st.CPU < 0 || st.MemoryMiB < 0 {
				t.Fatalf("placed on an instance it over-commits: %+v", st)
			}
		case len(res.Placements) == 0:
			ex := res.Explanation
			if res.Unplaced != 1 || ex == nil {
				t.Fatalf("not placed, yet %d unplaced and explanation %+v", res.Unplaced, ex)
			}
			if len(ex.Failures) != ex.Candidates {
				t.Fatalf("not placed, yet %d candidates and %d turned away: %+v", ex.Candidates, len(ex.Failures), ex)
			}
			sum := 0
			for _, rc := range ex.Reasons {
				sum += rc.Count
			}
			if sum != len(ex.Failures) || (ex.Closest != nil) != (ex.Candidates > 0) {
				t.Fatalf("reasons %+v for %d failures, closest %+v of %d candidates", ex.Reasons, len(ex.Failures), ex.Closest, ex.Candidates)
			}
			if ex.Event() == "" {
				t.Fatalf("an explanation without an event: %+v", ex)
			}
		default:
			t.Fatalf("%d placements for one task", len(res.Placements))
		}
		if err := placement.CheckIndexes(e); err != nil {
			t.Fatal(err)
		}
	})
}

// splitDescribe returns each container instance of a describe output as
// a document of its own, compacted: seeds of a couple of KiB, which the
// fuzzer minimizes quickly.
func splitDescribe(f *testing.F, path string) [][]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	var doc struct {
		ContainerInstances []json.RawMessage `json:"containerInstances"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.ContainerInstances) == 0 {
		f.Fatalf("%s: %v, %d instances", path, err, len(doc.ContainerInstances))
	}
	var out [][]byte
	for _, ci := range doc.ContainerInstances {
		var b bytes.Buffer
		if err := json.Compact(&b, ci); err != nil {
			f.Fatal(err)
		}
		out = append(out, []byte(`{"containerInstances":[`+b.String()+`],"failures":[]}`))
	}
	return out
}
