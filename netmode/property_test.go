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
// releases and restores and checks after every step: no host port is held
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
				live = randomStep(t, rng, s, live)
				checkInvariants(t, s, live, fmt.Sprintf("step %d", step))
				if rng.IntN(50) == 0 {
					s = s.Clone() // carry on with a copy-on-write clone
				}
			}
			for _, h := range live {
				require.NoError(t, s.Release(h.a))
			}
			require.Empty(t, cmp.Diff(initial, snap(s)), "releasing everything restores the initial state")
		})
	}
}

type held struct {
	r *netmode.Request
	a *netmode.Allocation
}

func randomStep(t *testing.T, rng *rand.Rand, s *netmode.State, live []held) []held {
	t.Helper()
	switch op := rng.IntN(10); {
	case op < 6 || len(live) == 0:
		r, err := netmode.NewRequest(randomTask(rng, s.DynamicRange()))
		if err != nil {
			return live // an invalid task definition binds nowhere
		}
		before := snap(s)
		fe, fits := s.Fits(r)
		a, err := s.Allocate(r)
		if err != nil {
			require.False(t, fits, "Fits said yes, Allocate no: %v", err)
			var got *netmode.FitError
			require.ErrorAs(t, err, &got)
			require.Equal(t, fe, *got)
			require.Empty(t, cmp.Diff(before, snap(s)), "a failed allocation changes nothing")
			return live
		}
		require.True(t, fits, "Allocate said yes, Fits no: %v", fe.Error())
		return append(live, held{r, a})
	case op < 9:
		i := rng.IntN(len(live))
		require.NoError(t, s.Release(live[i].a))
		return slices.Delete(live, i, i+1)
	default: // release, then restore from the bindings as a snapshot shows them
		i := rng.IntN(len(live))
		h := live[i]
		require.NoError(t, s.Release(h.a))
		var running []ecs.Container
		for _, c := range h.a.Containers {
			running = append(running, ecs.Container{Name: c.Name, NetworkBindings: c.NetworkBindings})
		}
		a, err := s.Restore(h.r, running)
		require.NoError(t, err)
		live[i].a = a
		return live
	}
}

func checkInvariants(t *testing.T, s *netmode.State, live []held, where string) {
	t.Helper()
	limit, known := s.AwsvpcTaskLimit()
	enis := 0
	for _, p := range protos {
		var fromTasks []int
		for _, h := range live {
			fromTasks = append(fromTasks, hostPortsOf(h.a, p)...)
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
		enis += h.a.ENIs
	}
	require.Equal(t, enis, s.ENIsInUse(), where)
	if known {
		require.LessOrEqual(t, s.ENIsInUse(), limit, where)
	}
	require.LessOrEqual(t, s.ReservedCount(), s.ReservedPortLimit(), where)
}

// hostPortsOf lists every host port an allocation binds over protocol p.
func hostPortsOf(a *netmode.Allocation, p ecs.TransportProtocol) []int {
	var out []int
	for _, c := range a.Containers {
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
