package netmode_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

func TestNewReservedPorts(t *testing.T) {
	tests := []struct {
		name     string
		ci       *ecs.ContainerInstance
		opts     netmode.Options
		tcp, udp []int
	}{
		{"defaults", nil, netmode.Options{}, []int{22, 2375, 2376, 51678, 51679, 51680}, []int{}},
		{"defaults without 51680", nil, netmode.Options{OmitMetricsPort: true}, []int{22, 2375, 2376, 51678, 51679}, []int{}},
		{"registered PORTS only", instance("", false, ports(ecs.ResourcePorts, 8080, 22)), netmode.Options{}, []int{22, 8080}, []int{}},
		{"registered empty PORTS", instance("", false, ports(ecs.ResourcePorts)), netmode.Options{}, []int{}, []int{}},
		{"registered PORTS_UDP only", instance("", false, ports(ecs.ResourcePortsUDP, 53)), netmode.Options{},
			[]int{22, 2375, 2376, 51678, 51679, 51680}, []int{53}},
		{"option ignored when registered", instance("", false, ports(ecs.ResourcePorts, 22, 2375, 2376, 51678, 51679, 51680)),
			netmode.Options{OmitMetricsPort: true}, []int{22, 2375, 2376, 51678, 51679, 51680}, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustState(t, tt.ci, tt.opts)
			require.Equal(t, tt.tcp, s.Reserved(ecs.TransportProtocolTCP))
			require.Equal(t, tt.udp, s.Reserved(ecs.TransportProtocolUDP))
			require.Equal(t, len(tt.tcp)+len(tt.udp), s.ReservedCount())
		})
	}
	require.Equal(t, []int{22, 2375, 2376, 51678, 51679}, netmode.DefaultReservedPorts(true))
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		ci   *ecs.ContainerInstance
		opts netmode.Options
		want string
	}{
		{"range reversed", nil, netmode.Options{DynamicRange: netmode.PortRange{First: 600, Last: 500}}, "dynamic host port range"},
		{"range past 65535", nil, netmode.Options{DynamicRange: netmode.PortRange{First: 600, Last: 70000}}, "dynamic host port range"},
		{"negative limit", nil, netmode.Options{ReservedPortLimit: -1}, "reserved port limit"},
		{"port not a number", instance("", false, ecs.Resource{Name: ecs.ResourcePorts, StringSetValue: []string{"ssh"}}), netmode.Options{}, "PORTS"},
		{"port 0", instance("", false, ports(ecs.ResourcePortsUDP, 0)), netmode.Options{}, "PORTS_UDP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := netmode.New(tt.ci, func(o *netmode.Options) { *o = tt.opts })
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestParsePortRange(t *testing.T) {
	r, err := netmode.ParsePortRange("32768-60999")
	require.NoError(t, err)
	require.Equal(t, netmode.PortRange{First: 32768, Last: 60999}, r)
	require.Equal(t, 28232, r.Len())
	require.Equal(t, "32768-60999", r.String())
	require.True(t, r.Contains(32768) && r.Contains(60999) && !r.Contains(61000))
	for _, bad := range []string{"", "5", "a-b", "0-10", "10-5", "1-65536", "1--2"} {
		_, err := netmode.ParsePortRange(bad)
		require.Error(t, err, bad)
	}
	require.Equal(t, netmode.PortRange{First: 49153, Last: 65535}, netmode.DefaultDynamicRange())
}

func TestTaken(t *testing.T) {
	s := mustState(t, nil, netmode.Options{})
	_, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(81, 0), udpPort(53, 5353)))))
	require.NoError(t, err)
	require.Equal(t, []int{22, 2375, 2376, 8080, 51678, 51679, 51680}, s.Taken(ecs.TransportProtocolTCP))
	require.Equal(t, []int{5353}, s.Taken(ecs.TransportProtocolUDP))
	require.Equal(t, []int{8080}, s.StaticInUse(ecs.TransportProtocolTCP))
	require.Equal(t, []int{49153}, s.DynamicInUse(ecs.TransportProtocolTCP))
	require.Equal(t, []int{}, s.DynamicInUse(ecs.TransportProtocolUDP))
}

// TestCloneIsIndependent checks that a clone and its original change
// apart, whichever changes first.
func TestCloneIsIndependent(t *testing.T) {
	orig := mustState(t, instance("c5.large", false), netmode.Options{})
	web := mustRequest(t, taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(81, 0))))
	a, err := orig.Allocate(web)
	require.NoError(t, err)

	c1 := orig.Clone()
	c2 := orig.Clone()
	_, err = c1.Allocate(mustRequest(t, taskDef("", ctr("b", tcpPort(80, 9090), tcpPort(81, 0)))))
	require.NoError(t, err)
	require.NoError(t, orig.Release(a))
	_, err = c2.Allocate(mustRequest(t, taskDef(ecs.NetworkModeAwsvpc, ctr("c"))))
	require.NoError(t, err)

	require.Equal(t, []int{}, orig.StaticInUse(ecs.TransportProtocolTCP))
	require.Equal(t, []int{8080, 9090}, c1.StaticInUse(ecs.TransportProtocolTCP))
	require.Equal(t, []int{49153, 49154}, c1.DynamicInUse(ecs.TransportProtocolTCP))
	require.Equal(t, []int{8080}, c2.StaticInUse(ecs.TransportProtocolTCP))
	require.Equal(t, []int{49153}, c2.DynamicInUse(ecs.TransportProtocolTCP))
	require.Equal(t, 1, c2.ENIsInUse())
	require.Zero(t, orig.ENIsInUse())

	require.NoError(t, c1.Release(a), "an allocation from before the clone releases on the clone")
	require.Equal(t, []int{9090}, c1.StaticInUse(ecs.TransportProtocolTCP))
}

func TestReleaseNotHeld(t *testing.T) {
	s := mustState(t, instance("c5.large", false), netmode.Options{})
	a, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(81, 0)))))
	require.NoError(t, err)
	b, err := s.Allocate(mustRequest(t, taskDef(ecs.NetworkModeAwsvpc, ctr("b"))))
	require.NoError(t, err)
	require.NoError(t, s.Release(a))
	require.ErrorIs(t, s.Release(a), netmode.ErrNotHeld)
	require.NoError(t, s.Release(b))
	require.ErrorIs(t, s.Release(b), netmode.ErrNotHeld)
	require.Equal(t, 6, s.ReservedCount())
}

// TestFitsDoesNotAllocate checks the check-only path allocates nothing,
// for a task with static, dynamic and range mappings and for a refusal.
func TestFitsDoesNotAllocate(t *testing.T) {
	s := mustState(t, instance("c5.large", false), netmode.Options{})
	for p := range 500 {
		_, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", tcpPort(80, 20000+p), tcpPort(81, 0)))))
		if err != nil {
			break // the reserved-port limit
		}
	}
	fits := mustRequest(t, taskDef("", ctr("a", tcpPort(80, 0), udpPort(53, 0), portRange("1000-1009", ""))))
	refused := mustRequest(t, taskDef("", ctr("a", tcpPort(80, 22))))
	awsvpc := mustRequest(t, taskDef(ecs.NetworkModeAwsvpc, ctr("a")))
	for _, r := range []*netmode.Request{fits, refused, awsvpc} {
		allocs := testing.AllocsPerRun(100, func() { s.Fits(r) })
		require.Zero(t, allocs)
	}
	_, ok := s.Fits(fits)
	require.True(t, ok)
}

// TestBindAllocations checks that Bind and Unbind allocate nothing for
// tasks of up to eight dynamic mappings, on a fresh instance (whose held
// ports are one run per kind) and on a busy one whose ports are scattered
// over many runs, and that Bindings builds the bindings of many tasks in a
// few allocations, not some per task.
func TestBindAllocations(t *testing.T) {
	fresh := func() *netmode.State { return mustState(t, instance("c5.large", false), netmode.Options{}) }
	busy := func() *netmode.State {
		s := fresh()
		one := mustRequest(t, taskDef("", ctr("a", tcpPort(80, 0))))
		var allocs []*netmode.Allocation
		for range 400 {
			a, err := s.Allocate(one)
			require.NoError(t, err)
			allocs = append(allocs, a)
		}
		for i := 0; i < len(allocs); i += 2 {
			require.NoError(t, s.Release(allocs[i])) // every other port free: 200 runs
		}
		return s
	}
	tests := []struct {
		name  string
		td    *ecs.TaskDefinition
		state func() *netmode.State
		want  float64
	}{
		{"one dynamic port", taskDef("", ctr("a", tcpPort(80, 0))), fresh, 0},
		{"one dynamic port, busy instance", taskDef("", ctr("a", tcpPort(80, 0))), busy, 0},
		{"static and dynamic, two containers", taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(81, 0)), ctr("b", udpPort(53, 0))), fresh, 0},
		{"eight dynamic ports", dynamicTask(8), fresh, 0},
		{"ten dynamic ports", dynamicTask(10), fresh, 1},
		{"two ranges", taskDef("", ctr("a", portRange("1000-1099", ""), portRange("2000-2009", "udp"))), fresh, 0},
		{"awsvpc", taskDef(ecs.NetworkModeAwsvpc, ctr("a", tcpPort(80, 80)), ctr("b")), fresh, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, r := tt.state(), mustRequest(t, tt.td)
			ports := make([]uint16, r.Mappings())
			got := testing.AllocsPerRun(100, func() {
				if fe, ok := s.Bind(r, ports); !ok {
					t.Fatal(fe.Error())
				}
				if err := s.Unbind(r, ports); err != nil {
					t.Fatal(err)
				}
			})
			require.Equal(t, tt.want, got)
		})
	}
	r := mustRequest(t, taskDef("", ctr("a", tcpPort(80, 0), portRange("1000-1009", "")), ctr("b", udpPort(53, 0))))
	s := fresh()
	const tasks = 100
	ports := make([]uint16, tasks*r.Mappings())
	for k := range tasks {
		_, ok := s.Bind(r, ports[k*r.Mappings():])
		require.True(t, ok)
	}
	got := testing.AllocsPerRun(10, func() { r.Bindings(tasks, ports) })
	require.LessOrEqual(t, got, 6.0, "Bindings of %d tasks", tasks)
}

// TestBindingsMatchAllocate checks that the bindings Bindings builds from
// Bind's ports are those Allocate lists, task after task, and that Unbind
// refuses ports not held.
func TestBindingsMatchAllocate(t *testing.T) {
	r := mustRequest(t, taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(81, 0), portRange("1000-1009", "")), ctr("b"), ctr("c", udpPort(53, 0))))
	a, b := mustState(t, instance("c5.large", false), netmode.Options{}), mustState(t, instance("c5.large", false), netmode.Options{})
	static := mustRequest(t, taskDef("", ctr("a", tcpPort(81, 0), portRange("1000-1009", "")), ctr("c", udpPort(53, 0))))
	var want [][]netmode.ContainerBindings
	var ports []uint16
	for k := range 5 {
		req := r
		if k > 0 {
			req = static // one task only may take host port 8080
		}
		al, err := a.Allocate(req)
		require.NoError(t, err)
		p := make([]uint16, req.Mappings())
		_, ok := b.Bind(req, p)
		require.True(t, ok)
		require.Equal(t, al.Containers, req.Bindings(1, p)[0])
		if k > 0 {
			want = append(want, al.Containers)
			ports = append(ports, p...)
		}
	}
	require.Equal(t, want, static.Bindings(4, ports))
	require.Equal(t, snap(a), snap(b))
	require.ErrorIs(t, b.Unbind(static, []uint16{49999, 50000, 50001}), netmode.ErrNotHeld)
	require.Equal(t, snap(a), snap(b), "a refused Unbind changes nothing")
}

// TestConcurrentClones checks, under the race detector, that goroutines
// may share a State to read and clone while each changes its own clone.
func TestConcurrentClones(t *testing.T) {
	base := mustState(t, instance("c5.large", false), netmode.Options{})
	_, err := base.Allocate(mustRequest(t, taskDef("", ctr("a", tcpPort(80, 8080), tcpPort(81, 0)))))
	require.NoError(t, err)
	r := mustRequest(t, taskDef("", ctr("b", tcpPort(80, 0), portRange("10-19", "udp"))))
	done := make(chan []int)
	for range 8 {
		go func() {
			c := base.Clone()
			for range 50 {
				base.Fits(r)
				if _, err := c.Allocate(r); err != nil {
					break
				}
			}
			done <- c.DynamicInUse(ecs.TransportProtocolTCP)
		}()
	}
	for range 8 {
		require.Len(t, <-done, 51)
	}
	require.Equal(t, []int{49153}, base.DynamicInUse(ecs.TransportProtocolTCP))
}
