package netmode_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

// snapshot is everything a State holds, read through its accessors.
type snapshot struct {
	Reserved, Static, Dynamic [2][]int
	ReservedCount, ENIs       int
}

var protos = [2]ecs.TransportProtocol{ecs.TransportProtocolTCP, ecs.TransportProtocolUDP}

func snap(s *netmode.State) snapshot {
	var sn snapshot
	for i, p := range protos {
		sn.Reserved[i], sn.Static[i], sn.Dynamic[i] = s.Reserved(p), s.StaticInUse(p), s.DynamicInUse(p)
	}
	sn.ReservedCount, sn.ENIs = s.ReservedCount(), s.ENIsInUse()
	return sn
}

// randomTask returns a task definition with random mappings: static ports
// from a small pool (so they collide, and some are reserved or inside the
// dynamic range), dynamic ports and ranges, over TCP and UDP.
func randomTask(rng *rand.Rand, dyn netmode.PortRange) *ecs.TaskDefinition {
	modes := []ecs.NetworkMode{"", "", ecs.NetworkModeBridge, ecs.NetworkModeHost, ecs.NetworkModeAwsvpc, ecs.NetworkModeNone}
	mode := modes[rng.IntN(len(modes))]
	td := &ecs.TaskDefinition{NetworkMode: mode}
	for c := range 1 + rng.IntN(3) {
		cd := ecs.ContainerDefinition{Name: "c" + strconv.Itoa(c)}
		for range rng.IntN(4) {
			if mode == ecs.NetworkModeNone {
				break
			}
			cd.PortMappings = append(cd.PortMappings, randomMapping(rng, mode, dyn))
		}
		td.ContainerDefinitions = append(td.ContainerDefinitions, cd)
	}
	return td
}

func randomMapping(rng *rand.Rand, mode ecs.NetworkMode, dyn netmode.PortRange) ecs.PortMapping {
	staticPool := []int{22, 80, 81, 443, 2375, 8080, 8081, 9000, dyn.First, dyn.First + 1, dyn.Last}
	var pm ecs.PortMapping
	if rng.IntN(3) == 0 {
		pm.Protocol = ecs.TransportProtocolUDP
	}
	port := staticPool[rng.IntN(len(staticPool))]
	switch k := rng.IntN(10); {
	case k < 2 && mode != ecs.NetworkModeHost:
		first := 1000 + rng.IntN(100)
		pm.ContainerPortRange = fmt.Sprintf("%d-%d", first, first+1+rng.IntN(4))
	case k < 6 || mode == ecs.NetworkModeHost:
		pm.ContainerPort, pm.HostPort = intp(port), intp(port)
	default:
		pm.ContainerPort = intp(port)
	}
	return pm
}

// TestPropertyAllocateRelease runs random sequences of allocations,
// releases and restores (Allocate and Release, or Bind and Unbind, which
// must agree) and checks after every step: no host port is held
// twice, no reserved port is handed out, the reserved count stays within
// its limit, dynamic ports stay in the range, the ENI count matches, Fits
// agrees with Allocate, a failed allocation changes nothing, and releasing
// everything restores the initial state.
func TestPropertyAllocateRelease(t *testing.T) {
	configs := []struct {
		ci   *ecs.ContainerInstance
		opts netmode.Options
	}{
		{instance("c5.large", false), netmode.Options{}},
		{instance("c5.large", true), netmode.Options{DynamicRange: netmode.PortRange{First: 40000, Last: 40011}}},
		{instance("z9.huge", false, ports(ecs.ResourcePorts, 22, 8080), ports(ecs.ResourcePortsUDP, 53, 9000)),
			netmode.Options{DynamicRange: netmode.PortRange{First: 100, Last: 107}, ReservedPortLimit: 12, AwsvpcTaskLimit: 3}},
	}
	for seed := range uint64(60) {
		cfg := configs[seed%uint64(len(configs))]
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 0x6e65746d6f6465))
			s := mustState(t, cfg.ci, cfg.opts)
			initial := snap(s)
			var live []held
			for step := range 300 {
				s, live = randomStep(t, rng, s, live)
				checkInvariants(t, s, live, fmt.Sprintf("step %d", step))
				if rng.IntN(50) == 0 {
					s = s.Clone() // carry on with a copy-on-write clone
				}
			}
			for _, h := range live {
				require.NoError(t, h.release(s))
			}
			require.Empty(t, cmp.Diff(initial, snap(s)), "releasing everything restores the initial state")
		})
	}
}

// held is a live task: bound by Allocate (a) or by Bind (ports), or
// restored, with its containers' bindings.
type held struct {
	r          *netmode.Request
	a          *netmode.Allocation
	ports      []uint16
	containers []netmode.ContainerBindings
}

func (h held) release(s *netmode.State) error {
	if h.a != nil {
		return s.Release(h.a)
	}
	return s.Unbind(h.r, h.ports)
}

// randomStep allocates (with Allocate or Bind, which must agree with
// each other and with Fits), releases, or releases and restores a task.
func randomStep(t *testing.T, rng *rand.Rand, s *netmode.State, live []held) (*netmode.State, []held) {
	t.Helper()
	switch op := rng.IntN(10); {
	case op < 6 || len(live) == 0:
		r, err := netmode.NewRequest(randomTask(rng, s.DynamicRange()))
		if err != nil {
			return s, live // an invalid task definition binds nowhere
		}
		before := snap(s)
		fe, fits := s.Fits(r)
		twin := s.Clone()
		a, err := s.Allocate(r)
		ports := make([]uint16, r.Mappings())
		bfe, bound := twin.Bind(r, ports)
		require.Equal(t, err == nil, bound, "Allocate and Bind disagree: %v", err)
		if err != nil {
			require.False(t, fits, "Fits said yes, Allocate no: %v", err)
			var got *netmode.FitError
			require.ErrorAs(t, err, &got)
			require.Equal(t, fe, *got)
			require.Equal(t, fe, bfe)
			require.Empty(t, cmp.Diff(before, snap(s)), "a failed allocation changes nothing")
			require.Empty(t, cmp.Diff(before, snap(twin)), "a failed bind changes nothing")
			return s, live
		}
		require.True(t, fits, "Allocate said yes, Fits no: %v", fe.Error())
		require.Empty(t, cmp.Diff(snap(s), snap(twin)), "Allocate and Bind hold the same")
		bindings := r.Bindings(1, ports)[0]
		require.Empty(t, cmp.Diff(a.Containers, bindings), "Allocate and Bind bind the same")
		if rng.IntN(2) == 0 {
			return s, append(live, held{r: r, a: a, containers: a.Containers})
		}
		// Go on with the bound twin, releasing with Unbind.
		return twin, append(live, held{r: r, ports: ports, containers: bindings})
	case op < 9:
		i := rng.IntN(len(live))
		require.NoError(t, live[i].release(s))
		return s, slices.Delete(live, i, i+1)
	default: // release, then restore from the bindings as a snapshot shows them
		i := rng.IntN(len(live))
		h := live[i]
		require.NoError(t, h.release(s))
		var running []ecs.Container
		for _, c := range h.containers {
			running = append(running, ecs.Container{Name: c.Name, NetworkBindings: c.NetworkBindings})
		}
		a, err := s.Restore(h.r, running)
		require.NoError(t, err)
		live[i] = held{r: h.r, a: a, containers: a.Containers}
		return s, live
	}
}

func checkInvariants(t *testing.T, s *netmode.State, live []held, where string) {
	t.Helper()
	limit, known := s.AwsvpcTaskLimit()
	enis := 0
	for _, p := range protos {
		var fromTasks []int
		for _, h := range live {
			fromTasks = append(fromTasks, hostPortsOf(h.containers, p)...)
		}
		slices.Sort(fromTasks)
		require.Equal(t, len(fromTasks), len(slices.Compact(slices.Clone(fromTasks))), "%s: a %s port held twice: %v", where, p, fromTasks)
		inUse := append(s.StaticInUse(p), s.DynamicInUse(p)...)
		slices.Sort(inUse)
		if fromTasks == nil {
			fromTasks = []int{}
		}
		require.Equal(t, fromTasks, inUse, "%s: %s ports held = ports of live tasks", where, p)
		for _, port := range inUse {
			require.NotContains(t, s.Reserved(p), port, "%s: reserved port handed out", where)
		}
		for _, port := range s.DynamicInUse(p) {
			require.True(t, s.DynamicRange().Contains(port), "%s: dynamic %d/%s outside the range", where, port, p)
		}
	}
	for _, h := range live {
		enis += h.r.ENIs()
	}
	require.Equal(t, enis, s.ENIsInUse(), where)
	if known {
		require.LessOrEqual(t, s.ENIsInUse(), limit, where)
	}
	require.LessOrEqual(t, s.ReservedCount(), s.ReservedPortLimit(), where)
}

// hostPortsOf lists every host port an allocation binds over protocol p.
func hostPortsOf(cs []netmode.ContainerBindings, p ecs.TransportProtocol) []int {
	var out []int
	for _, c := range cs {
		for _, b := range c.NetworkBindings {
			if b.Protocol != p {
				continue
			}
			if b.HostPortRange != "" {
				r, _ := netmode.ParsePortRange(b.HostPortRange)
				for port := r.First; port <= r.Last; port++ {
					out = append(out, port)
				}
				continue
			}
			out = append(out, *b.HostPort)
		}
	}
	return out
}

// TestPropertyRequestMatches reads random task definitions, many alike:
// a request matches the definition it was read from; when it matches
// another, that one reads without error and binds the same ports, in the
// same bindings, on a fresh instance and on a busy one.
func TestPropertyRequestMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 0x6d617463))
	dyn := netmode.PortRange{First: 40000, Last: 40063}
	small := func() *ecs.TaskDefinition {
		td := randomTask(rng, dyn)
		td.ContainerDefinitions = td.ContainerDefinitions[:1] // few shapes, so that pairs match
		td.ContainerDefinitions[0].PortMappings = td.ContainerDefinitions[0].PortMappings[:min(2, len(td.ContainerDefinitions[0].PortMappings))]
		return td
	}
	matched := 0
	for range 3000 {
		td1, td2 := small(), small()
		r1, err := netmode.NewRequest(td1)
		if err != nil {
			continue
		}
		require.True(t, r1.Matches(td1))
		r2, err := netmode.NewRequest(td2)
		if !r1.Matches(td2) {
			continue
		}
		matched++
		require.NoError(t, err, "matches a definition that does not read")
		require.Equal(t, r1.Mode(), r2.Mode())
		require.Equal(t, r1.Mappings(), r2.Mappings())
		require.Equal(t, r1.ENIs(), r2.ENIs())
		for _, s := range []*netmode.State{mustState(t, instance("c5.large", false), netmode.Options{DynamicRange: dyn}), busyState(t, dyn)} {
			p1, p2 := make([]uint16, r1.Mappings()), make([]uint16, r2.Mappings())
			fe1, ok1 := s.Clone().Bind(r1, p1)
			fe2, ok2 := s.Clone().Bind(r2, p2)
			require.Equal(t, ok1, ok2)
			require.Equal(t, fe1, fe2)
			if ok1 {
				require.Equal(t, p1, p2)
				require.Equal(t, r1.Bindings(1, p1), r2.Bindings(1, p2))
			}
		}
	}
	require.Greater(t, matched, 100, "too few pairs matched to tell")
}

// busyState returns an instance with some static and dynamic ports held.
func busyState(t *testing.T, dyn netmode.PortRange) *netmode.State {
	s := mustState(t, instance("c5.large", false), netmode.Options{DynamicRange: dyn})
	for _, td := range []*ecs.TaskDefinition{taskDef("", ctr("a", tcpPort(80, 80), tcpPort(81, 0))), taskDef("", ctr("a", udpPort(53, 0)))} {
		_, err := s.Allocate(mustRequest(t, td))
		require.NoError(t, err)
	}
	return s
}
