package placement_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// randomCluster returns up to 40 instances of random sizes, zones, racks,
// states and types.
func randomCluster(rng *rand.Rand) []*instance {
	n := 1 + rng.IntN(40)
	zones := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
	types := []string{"m5.large", "c5.xlarge", "t3.micro"}
	var out []*instance
	ids := rng.Perm(n)
	for i := range n {
		cpu, mem := 256*(1+rng.IntN(16)), 256*(1+rng.IntN(32))
		in := newInstance(fmt.Sprintf("ci%02d", ids[i])).res(cpu, mem).
			free(rng.IntN(cpu+1), rng.IntN(mem+1)).
			attr(ecs.AttrInstanceType, types[rng.IntN(len(types))])
		if rng.IntN(8) > 0 {
			in.az(zones[rng.IntN(len(zones))])
		} else {
			in.Attributes = slices.DeleteFunc(in.Attributes, func(a ecs.Attribute) bool { return a.Name == ecs.AttrAvailabilityZone })
		}
		if rng.IntN(2) == 0 {
			in.attr("rack", fmt.Sprintf("r%d", rng.IntN(3)))
		}
		if rng.IntN(3) == 0 {
			in.attr(ecs.AttrTaskENI, "")
		}
		switch rng.IntN(12) {
		case 0:
			in.disconnected()
		case 1:
			in.status("DRAINING")
		}
		if rng.IntN(4) == 0 {
			in.gpus(rng.IntN(3))
		}
		if rng.IntN(4) == 0 {
			in.udpPorts(53, 5353) // taken, as remainingResources PORTS_UDP says
		}
		out = append(out, in)
	}
	return out
}

// memberOfPool are expressions with their meaning, for checking.
var memberOfPool = []struct {
	expr string
	ok   func(placement.InstanceState, *instance) bool
}{
	{"attribute:rack == r1", func(_ placement.InstanceState, in *instance) bool { return attrOf(in, "rack") == "r1" }},
	{"attribute:ecs.instance-type =~ m5.*", func(_ placement.InstanceState, in *instance) bool {
		return attrOf(in, ecs.AttrInstanceType) == "m5.large"
	}},
	{"not(attribute:rack exists)", func(_ placement.InstanceState, in *instance) bool { return !hasAttr(in, "rack") }},
	{"runningTasksCount < 3", func(st placement.InstanceState, _ *instance) bool { return st.RunningTasks < 3 }},
}

func attrOf(in *instance, name string) string {
	for _, a := range in.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

func hasAttr(in *instance, name string) bool {
	return slices.ContainsFunc(in.Attributes, func(a ecs.Attribute) bool { return a.Name == name })
}

// randomRequest returns a request of random size, ports, strategy and
// constraints. It reports the memberOf checks it used.
func randomRequest(rng *rand.Rand, ins []*instance) (*placement.Request, []int) {
	var ports []int
	for range rng.IntN(3) {
		ports = append(ports, []int{0, 0, 80, 8080}[rng.IntN(4)])
	}
	td := taskDef([]string{"web", "api"}[rng.IntN(2)], 128*rng.IntN(5), 128*(1+rng.IntN(8)), ports...)
	if rng.IntN(5) == 0 {
		td = taskDef(td.Family, 128, 256)
		td.NetworkMode = ecs.NetworkModeAwsvpc
	}
	if td.NetworkMode == ecs.NetworkModeBridge && rng.IntN(3) == 0 {
		// UDP host ports: dynamic, or static ones some instances have taken.
		for k := range 1 + rng.IntN(2) {
			cp, hp := 9000+k, []int{0, 0, 53, 5353, 8080}[rng.IntN(5)]
			td.ContainerDefinitions[0].PortMappings = append(td.ContainerDefinitions[0].PortMappings,
				ecs.PortMapping{ContainerPort: &cp, HostPort: &hp, Protocol: ecs.TransportProtocolUDP})
		}
	}
	if rng.IntN(6) == 0 {
		td.ContainerDefinitions[0].ResourceRequirements = []ecs.ResourceRequirement{{Type: ecs.ResourceTypeGPU, Value: "1"}}
	}
	req := &placement.Request{TaskDefinition: td, Count: 1 + rng.IntN(6), Seed: rng.Uint64(), AllOrNothing: rng.IntN(4) == 0}
	switch rng.IntN(4) {
	case 0:
		req.Service = "svc" + fmt.Sprint(rng.IntN(2))
	case 1:
		req.Group = "g"
	case 2: // more groups than the engine keeps count indexes for
		req.Group = "g" + fmt.Sprint(rng.IntN(12))
	}
	steps := []ecs.PlacementStrategy{
		binpack("memory"), binpack("cpu"), spread("instanceId"), spread(azField), spread("attribute:rack"), random(),
	}
	for range rng.IntN(4) {
		req.Strategy = append(req.Strategy, steps[rng.IntN(len(steps))])
	}
	var checks []int
	if rng.IntN(3) == 0 {
		req.Constraints = append(req.Constraints, distinct())
	}
	if rng.IntN(4) == 0 {
		for _, in := range ins {
			if rng.IntN(2) == 0 {
				req.Instances = append(req.Instances, in.ContainerInstanceARN)
			}
		}
	}
	if rng.IntN(3) == 0 {
		k := rng.IntN(len(memberOfPool))
		req.Constraints = append(req.Constraints, memberOf(memberOfPool[k].expr))
		checks = append(checks, k)
	}
	return req, checks
}

// TestPropertyIndexedMatchesExhaustive runs random request sequences on
// random clusters on the indexed and the exhaustive engine: they must
// make the same placements and explanations, and every placement must
// respect the cluster's capacity and the request's constraints. The
// indexed engine places into a reused Batch, the exhaustive one with
// Place; some steps stop tasks or scale in.
func TestPropertyIndexedMatchesExhaustive(t *testing.T) {
	sequences := uint64(1000)
	if testing.Short() || raceEnabled {
		sequences = 300
	}
	for seed := range sequences {
		rng := rand.New(rand.NewPCG(seed, 7))
		ins := randomCluster(rng)
		byARN := map[string]*instance{}
		for _, in := range ins {
			byARN[in.ContainerInstanceARN] = in
		}
		tasks := randomTasks(rng, ins)
		fast, slow := engine(t, cluster(ins...), tasks, false), engine(t, cluster(ins...), tasks, true)
		var b placement.Batch
		for step := range 12 {
			switch rng.IntN(12) {
			case 0, 1:
				scaleIn(t, rng, fast, slow)
				continue
			case 2:
				stopSome(t, rng, fast, slow)
				continue
			}
			req, checks := randomRequest(rng, ins)
			before := states(fast)
			require.NoError(t, fast.PlaceInto(&b, req))
			got := b.Result()
			want, err := slow.Place(req)
			require.NoError(t, err)
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(placement.Result{}, "Examined")); diff != "" {
				t.Fatalf("seed %d step %d: %+v %+v count %d: indexed and exhaustive differ (-exhaustive +indexed):\n%s", seed, step, req.Strategy, req.Constraints, req.Count, diff)
			}
			checkPlacements(t, req, checks, got, before, byARN)
			checkPorts(t, got, before)
			checkCapacity(t, fast, byARN)
			require.NoError(t, placement.CheckIndexes(fast))
		}
	}
}

// stopSome stops random tasks, the same on both engines, which must
// agree on the tasks they hold.
func stopSome(t *testing.T, rng *rand.Rand, fast, slow *placement.Engine) {
	t.Helper()
	live := fast.Tasks()
	require.Equal(t, slow.Tasks(), live)
	for _, ts := range live {
		if rng.IntN(3) == 0 {
			require.NoError(t, fast.Stop(ts.Task))
			require.NoError(t, slow.Stop(ts.Task))
		}
	}
	require.NoError(t, placement.CheckIndexes(fast))
}

// randomTasks returns tasks already running on random instances, each
// holding one dynamic TCP port and some a dynamic UDP port.
func randomTasks(rng *rand.Rand, ins []*instance) []ecs.Task {
	var out []ecs.Task
	groups := []string{"service:svc0", "service:svc1", "family:web", "g"}
	for k := range rng.IntN(3 * len(ins)) {
		in := ins[rng.IntN(len(ins))]
		td := taskDef("web", 128, 128, 0)
		td.TaskDefinitionARN = "unknown"
		bindings := []ecs.NetworkBinding{binding(8000, 49153+k, "tcp")}
		if rng.IntN(3) == 0 {
			bindings = append(bindings, binding(9000, 49153+k, "udp"))
		}
		out = append(out, runningTask(fmt.Sprintf("t%d", k), in.EC2InstanceID[2:], td, groups[rng.IntN(len(groups))], bindings...))
	}
	return out
}

// scaleIn stops random tasks on both engines, which must agree: the
// indexed engine chooses by cells, the exhaustive one by scoring every
// candidate.
func scaleIn(t *testing.T, rng *rand.Rand, fast, slow *placement.Engine) {
	t.Helper()
	req := placement.ScaleInRequest{Service: "svc" + fmt.Sprint(rng.IntN(2)), Count: 1 + rng.IntN(6), Seed: rng.Uint64(),
		KeepResources: rng.IntN(2) == 0}
	steps := []ecs.PlacementStrategy{binpack("memory"), binpack("cpu"), spread(azField), spread("instanceId"), spread("attribute:rack"), random()}
	for range rng.IntN(4) {
		req.Strategy = append(req.Strategy, steps[rng.IntN(len(steps))])
	}
	if rng.IntN(2) == 0 {
		for _, ts := range fast.Tasks() {
			if rng.IntN(2) == 0 {
				req.Tasks = append(req.Tasks, ts.TaskARN)
			}
		}
	}
	got, err := fast.ScaleIn(req)
	require.NoError(t, err)
	want, err := slow.ScaleIn(req)
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.NoError(t, placement.CheckIndexes(fast))
}

func states(e *placement.Engine) map[string]placement.InstanceState {
	out := map[string]placement.InstanceState{}
	for st := range e.Instances() {
		out[st.ContainerInstanceARN] = st
	}
	return out
}

// checkPlacements checks each placement against the constraints, given
// the instance states before the request.
func checkPlacements(t *testing.T, req *placement.Request, checks []int, res *placement.Result, before map[string]placement.InstanceState, byARN map[string]*instance) {
	t.Helper()
	group := map[string]int{}
	running := map[string]int{}
	for _, p := range res.Placements {
		st := before[p.ContainerInstanceARN]
		st.RunningTasks += running[p.ContainerInstanceARN]
		for _, c := range req.Constraints {
			if c.Type == ecs.PlacementConstraintTypeDistinctInstance {
				require.Zero(t, st.Groups[p.Group]+group[p.ContainerInstanceARN], "distinctInstance violated on %s", p.InstanceID)
			}
		}
		for _, k := range checks {
			require.True(t, memberOfPool[k].ok(st, byARN[p.ContainerInstanceARN]), "%s violated on %s", memberOfPool[k].expr, p.InstanceID)
		}
		if len(req.Instances) > 0 {
			require.Contains(t, req.Instances, p.ContainerInstanceARN, "placed on an instance the request did not name")
		}
		require.Equal(t, "ACTIVE", st.Status)
		require.True(t, st.AgentConnected)
		group[p.ContainerInstanceARN]++
		running[p.ContainerInstanceARN]++
	}
}

// checkPorts checks that no host port is given twice on an instance for
// one protocol, nor one taken (reserved or in use) before the request:
// TCP and UDP ports are separate pools (PORTS and PORTS_UDP).
func checkPorts(t *testing.T, res *placement.Result, before map[string]placement.InstanceState) {
	t.Helper()
	type hostPort struct {
		arn   string
		proto ecs.TransportProtocol
		port  int
	}
	held := map[hostPort]bool{}
	seen := map[string]bool{}
	for _, p := range res.Placements {
		arn := p.ContainerInstanceARN
		if !seen[arn] {
			seen[arn] = true
			for _, port := range before[arn].PortsTCP {
				held[hostPort{arn, ecs.TransportProtocolTCP, port}] = true
			}
			for _, port := range before[arn].PortsUDP {
				held[hostPort{arn, ecs.TransportProtocolUDP, port}] = true
			}
		}
		for _, c := range p.Containers {
			for _, b := range c.NetworkBindings {
				proto := b.Protocol
				if proto == "" {
					proto = ecs.TransportProtocolTCP
				}
				require.NotNil(t, b.HostPort, "a binding without a host port on %s", p.InstanceID)
				k := hostPort{arn, proto, *b.HostPort}
				require.False(t, held[k], "%s port %d given twice on %s", proto, *b.HostPort, p.InstanceID)
				held[k] = true
			}
		}
	}
}

// checkCapacity checks that no instance is committed beyond what it has.
func checkCapacity(t *testing.T, e *placement.Engine, byARN map[string]*instance) {
	t.Helper()
	for st := range e.Instances() {
		typ, ok := ecs.DefaultCatalog().Lookup(attrOf(byARN[st.ContainerInstanceARN], ecs.AttrInstanceType))
		require.True(t, ok)
		require.LessOrEqual(t, st.ENIs, typ.MaxENIs-1, "%s: ENIs over-committed", st.InstanceID)
		require.GreaterOrEqual(t, st.CPU, 0, "%s CPU over-committed", st.InstanceID)
		require.GreaterOrEqual(t, st.MemoryMiB, 0, "%s memory over-committed", st.InstanceID)
		require.GreaterOrEqual(t, st.GPUs, 0, "%s GPUs over-committed", st.InstanceID)
		require.Equal(t, len(slices.Compact(slices.Clone(st.PortsTCP))), len(st.PortsTCP), "%s: a TCP port given twice", st.InstanceID)
		require.Equal(t, len(slices.Compact(slices.Clone(st.PortsUDP))), len(st.PortsUDP), "%s: a UDP port given twice", st.InstanceID)
	}
}

// TestPropertySpreadBalance: with room everywhere, each placement of a
// chain led by spread(attribute) goes to a value with the fewest tasks of
// the group, so from equal counts the values never differ by more than
// one (rules 86 and 89).
func TestPropertySpreadBalance(t *testing.T) {
	seconds := []ecs.PlacementStrategy{binpack("memory"), binpack("cpu"), spread("instanceId"), random(), spread("attribute:rack")}
	for seed := range uint64(100) {
		rng := rand.New(rand.NewPCG(seed, 11))
		var ins []*instance
		for i := range 2 + rng.IntN(30) {
			in := newInstance(fmt.Sprintf("ci%02d", i)).res(16384, 65536).az([]string{"us-east-1a", "us-east-1b", "us-east-1c"}[rng.IntN(3)])
			in.attr("rack", fmt.Sprintf("r%d", rng.IntN(4)))
			ins = append(ins, in)
		}
		field := []string{azField, "attribute:rack"}[rng.IntN(2)]
		chain := []ecs.PlacementStrategy{spread(field)}
		if rng.IntN(2) == 0 {
			chain = append(chain, seconds[rng.IntN(len(seconds))])
		}
		e := engine(t, cluster(ins...), nil, false)
		counts := map[string]int{}
		values := map[string]bool{}
		for _, in := range ins {
			values[attrOf(in, field[len("attribute:"):])] = true
		}
		for range 10 {
			got, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 64, 64), Service: "web", Count: 1 + rng.IntN(5), Strategy: chain, Seed: rng.Uint64()})
			require.Zero(t, res.Unplaced)
			for _, id := range got {
				for _, in := range ins {
					if in.EC2InstanceID == "i-"+id {
						counts[attrOf(in, field[len("attribute:"):])]++
					}
				}
				lo, hi := 1<<30, 0
				for v := range values {
					lo, hi = min(lo, counts[v]), max(hi, counts[v])
				}
				require.LessOrEqual(t, hi-lo, 1, "seed %d chain %v counts %v", seed, chain, counts)
			}
		}
	}
}

// TestPropertySpreadFullValues: with some attribute values full (every
// instance of the value too short of CPU or memory, disconnected or
// DRAINING) and others partly full, each placement of a chain led by
// spread(attribute) goes to a value with the fewest tasks of the group
// among the values that still have an instance the task fits: filters
// come before strategies (rule 84), and spread balances the values that
// can take the task (rules 86 and 89), counting the group's tasks on
// every instance of a value. A value without a fitting instance does not
// hold the others back, and a task is left unplaced only when no
// instance fits. An instance without the attribute counts as one more
// value.
func TestPropertySpreadFullValues(t *testing.T) {
	seconds := []ecs.PlacementStrategy{binpack("memory"), binpack("cpu"), spread("instanceId"), random(), spread("attribute:rack")}
	td := taskDef("web", 256, 512)
	need, err := placement.TaskDemand(td, nil)
	require.NoError(t, err)
	for seed := range uint64(150) {
		rng := rand.New(rand.NewPCG(seed, 13))
		field := []string{azField, "attribute:rack"}[rng.IntN(2)]
		name := field[len("attribute:"):]
		full := map[string]bool{} // values whose every instance is turned away
		for _, v := range []string{"us-east-1a", "us-east-1b", "us-east-1c", "r0", "r1", "r2", "r3", ""} {
			full[v] = rng.IntN(3) == 0
		}
		var ins []*instance
		var tasks []ecs.Task
		byARN := map[string]*instance{}
		for i := range 2 + rng.IntN(24) {
			id := fmt.Sprintf("ci%02d", i)
			in := newInstance(id).res(2048, 4096).az([]string{"us-east-1a", "us-east-1b", "us-east-1c"}[rng.IntN(3)])
			if rng.IntN(6) > 0 {
				in.attr("rack", fmt.Sprintf("r%d", rng.IntN(4)))
			}
			if full[attrOf(in, name)] || rng.IntN(4) == 0 {
				switch rng.IntN(4) {
				case 0:
					in.free(rng.IntN(need.CPU), 4096)
				case 1:
					in.free(2048, rng.IntN(need.MemoryMiB))
				case 2:
					in.disconnected()
				default:
					in.status("DRAINING")
				}
			} else {
				// Room for one to four tasks: values fill up as tasks go.
				in.free(need.CPU*(1+rng.IntN(4)), need.MemoryMiB*(1+rng.IntN(4)))
			}
			for k := range rng.IntN(3) {
				tasks = append(tasks, runningTask(fmt.Sprintf("t-%s-%d", id, k), id, td, "service:web"))
			}
			ins = append(ins, in)
			byARN[in.ContainerInstanceARN] = in
		}
		chain := []ecs.PlacementStrategy{spread(field)}
		if rng.IntN(2) == 0 {
			chain = append(chain, seconds[rng.IntN(len(seconds))])
		}
		for _, exhaustive := range []bool{false, true} {
			e := engine(t, cluster(ins...), tasks, exhaustive)
			rng := rand.New(rand.NewPCG(seed, 17))
			for step := range 8 {
				// What each instance has left, and the group's tasks per
				// value, as the placements of the request go.
				type room struct {
					cpu, mem int
					ok       bool
				}
				left := map[string]room{}
				counts := map[string]int{}
				for st := range e.Instances() {
					left[st.ContainerInstanceARN] = room{st.CPU, st.MemoryMiB, st.Status == "ACTIVE" && st.AgentConnected}
					counts[attrOf(byARN[st.ContainerInstanceARN], name)] += st.Groups["service:web"]
				}
				fitting := func() map[string]bool {
					out := map[string]bool{}
					for arn, r := range left {
						if r.ok && r.cpu >= need.CPU && r.mem >= need.MemoryMiB {
							out[attrOf(byARN[arn], name)] = true
						}
					}
					return out
				}
				req := &placement.Request{TaskDefinition: td, Service: "web", Count: 1 + rng.IntN(4), Strategy: chain, Seed: rng.Uint64()}
				res, err := e.Place(req)
				require.NoError(t, err)
				where := fmt.Sprintf("seed %d exhaustive %v step %d chain %v", seed, exhaustive, step, chain)
				for k, p := range res.Placements {
					fit := fitting()
					v := attrOf(byARN[p.ContainerInstanceARN], name)
					require.True(t, fit[v], "%s task %d: placed in %q, which has no instance the task fits", where, k, v)
					least := 1 << 30
					for u := range fit {
						least = min(least, counts[u])
					}
					require.Equal(t, least, counts[v], "%s task %d: placed in %q with %d tasks, but a value that fits has %d (counts %v, fitting %v)",
						where, k, v, counts[v], least, counts, fit)
					counts[v]++
					r := left[p.ContainerInstanceARN]
					r.cpu, r.mem = r.cpu-need.CPU, r.mem-need.MemoryMiB
					left[p.ContainerInstanceARN] = r
				}
				if res.Unplaced > 0 {
					require.Empty(t, fitting(), "%s: %d tasks unplaced while instances fit", where, res.Unplaced)
				}
				for st := range e.Instances() {
					r := left[st.ContainerInstanceARN]
					require.Equal(t, [2]int{r.cpu, r.mem}, [2]int{st.CPU, st.MemoryMiB}, "%s: %s", where, st.InstanceID)
				}
			}
		}
	}
}

// TestPropertyRunsMatchExhaustive places long runs of spread and binpack
// requests without constraints (the requests bulk.go places without the
// count index while instances without the group's tasks fit, and hands
// over to the index when a zone runs out of them; or on the instance
// binpack filled last while it fits) on random clusters, several per
// group, so that runs start on instances that hold the group's tasks and
// go on past the instances that have none: the indexed and the
// exhaustive engine must agree.
func TestPropertyRunsMatchExhaustive(t *testing.T) {
	sequences := uint64(400)
	if testing.Short() || raceEnabled {
		sequences = 100
	}
	chains := [][]ecs.PlacementStrategy{
		nil, // a service's default: spread over zones, then instances
		{spread("instanceId")},
		{spread(azField), spread("instanceId")},
		{spread("attribute:rack"), spread("instanceId")},
		{binpack("memory")},
		{binpack("cpu")},
	}
	for seed := range sequences {
		rng := rand.New(rand.NewPCG(seed, 11))
		ins := randomCluster(rng)
		byARN := map[string]*instance{}
		for _, in := range ins {
			byARN[in.ContainerInstanceARN] = in
		}
		tasks := randomTasks(rng, ins)
		fast, slow := engine(t, cluster(ins...), tasks, false), engine(t, cluster(ins...), tasks, true)
		var b placement.Batch
		for step := range 10 {
			if rng.IntN(6) == 0 {
				stopSome(t, rng, fast, slow)
				continue
			}
			ports := []int{0, 0, 0, 8080}[:rng.IntN(4)]
			td := taskDef([]string{"web", "api"}[rng.IntN(2)], 128*rng.IntN(4), 128*(1+rng.IntN(6)), ports...)
			req := &placement.Request{TaskDefinition: td, Count: 1 + rng.IntN(3*len(ins)),
				Service: "svc" + fmt.Sprint(rng.IntN(2)), Strategy: chains[rng.IntN(len(chains))],
				Seed: rng.Uint64(), AllOrNothing: rng.IntN(5) == 0}
			before := states(fast)
			require.NoError(t, fast.PlaceInto(&b, req))
			got := b.Result()
			want, err := slow.Place(req)
			require.NoError(t, err)
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(placement.Result{}, "Examined")); diff != "" {
				t.Fatalf("seed %d step %d: %+v count %d: indexed and exhaustive differ (-exhaustive +indexed):\n%s", seed, step, req.Strategy, req.Count, diff)
			}
			checkPlacements(t, req, nil, got, before, byARN)
			checkCapacity(t, fast, byARN)
			require.NoError(t, placement.CheckIndexes(fast))
		}
	}
}
