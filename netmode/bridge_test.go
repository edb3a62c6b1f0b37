package netmode_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

// TestBridgeSequence allocates tasks one after the other on one fresh
// instance and checks the host ports each gets, or why it does not fit.
func TestBridgeSequence(t *testing.T) {
	type step struct {
		td      *ecs.TaskDefinition
		want    []string          // host ports given
		wantErr *netmode.FitError // or the refusal
	}
	small := netmode.Options{DynamicRange: netmode.PortRange{First: 50000, Last: 50004}}
	tests := []struct {
		name  string
		opts  netmode.Options
		ci    *ecs.ContainerInstance
		steps []step
	}{{
		name: "static hostPort is taken as given, then refused as in use",
		steps: []step{
			{td: taskDef("", ctr("web", tcpPort(80, 8080))), want: []string{"8080/tcp"}},
			{td: taskDef("", ctr("web", tcpPort(80, 8080))), wantErr: &netmode.FitError{
				Reason: netmode.ReasonPorts, Cause: netmode.CauseInUse, Protocol: "tcp", Port: 8080}},
			{td: taskDef("", ctr("web", udpPort(80, 8080))), want: []string{"8080/udp"}},
		},
	}, {
		name: "reserved ports refuse static mappings (rule 76)",
		steps: []step{
			{td: taskDef("", ctr("ssh", tcpPort(22, 22))), wantErr: &netmode.FitError{
				Reason: netmode.ReasonPorts, Cause: netmode.CauseReserved, Protocol: "tcp", Port: 22}},
			{td: taskDef("", ctr("agent", tcpPort(51680, 51680))), wantErr: &netmode.FitError{
				Reason: netmode.ReasonPorts, Cause: netmode.CauseReserved, Protocol: "tcp", Port: 51680}},
			{td: taskDef("", ctr("dns", udpPort(22, 22))), want: []string{"22/udp"}},
		},
	}, {
		name: "51680 free when left out of the default set",
		opts: netmode.Options{OmitMetricsPort: true},
		steps: []step{
			{td: taskDef("", ctr("m", tcpPort(9100, 51680))), want: []string{"51680/tcp"}},
		},
	}, {
		name: "dynamic: lowest free port first, then next-fit",
		steps: []step{
			{td: taskDef("", ctr("a", tcpPort(80, 0), tcpPort(443, 0))), want: []string{"49153/tcp", "49154/tcp"}},
			{td: taskDef("", ctr("b", tcpPort(80, 0))), want: []string{"49155/tcp"}},
			{td: taskDef("", ctr("c", udpPort(53, 0))), want: []string{"49153/udp"}},
		},
	}, {
		name: "hostPort 0 is dynamic",
		steps: []step{
			{td: taskDef("", ctr("a", ecs.PortMapping{ContainerPort: intp(80), HostPort: intp(0)})), want: []string{"49153/tcp"}},
		},
	}, {
		name: "dynamic search steps over the task's own static port",
		steps: []step{
			{td: taskDef("", ctr("a", tcpPort(80, 0), tcpPort(81, 49153))), want: []string{"49154/tcp", "49153/tcp"}},
		},
	}, {
		name: "containerPortRange takes a contiguous host range",
		steps: []step{
			{td: taskDef("", ctr("a", tcpPort(80, 0))), want: []string{"49153/tcp"}},
			{td: taskDef("", ctr("r", portRange("8000-8009", ""), portRange("9000-9001", "udp"))),
				want: []string{"49154-49163/tcp", "49153-49154/udp"}},
		},
	}, {
		name: "custom dynamic range (ECS_DYNAMIC_HOST_PORT_RANGE)",
		opts: netmode.Options{DynamicRange: netmode.PortRange{First: 32768, Last: 60999}},
		steps: []step{
			{td: taskDef("", ctr("a", tcpPort(80, 0))), want: []string{"32768/tcp"}},
		},
	}, {
		name: "dynamic range exhausted",
		opts: small,
		steps: []step{
			{td: taskDef("", ctr("a", tcpPort(1, 0), tcpPort(2, 0), tcpPort(3, 0), tcpPort(4, 0))),
				want: []string{"50000/tcp", "50001/tcp", "50002/tcp", "50003/tcp"}},
			{td: taskDef("", ctr("b", tcpPort(1, 0), tcpPort(2, 0))), wantErr: &netmode.FitError{
				Reason: netmode.ReasonPorts, Cause: netmode.CauseNoDynamicPort, Protocol: "tcp",
				Count: 1, Range: small.DynamicRange}},
			{td: taskDef("", ctr("c", tcpPort(1, 0))), want: []string{"50004/tcp"}},
		},
	}, {
		name: "no contiguous range",
		opts: small,
		steps: []step{
			{td: taskDef("", ctr("a", tcpPort(1, 50002))), want: []string{"50002/tcp"}},
			{td: taskDef("", ctr("r", portRange("1-3", "udp"))), want: []string{"50000-50002/udp"}},
			{td: taskDef("", ctr("r", portRange("1-3", "tcp"))), wantErr: &netmode.FitError{
				Reason: netmode.ReasonPorts, Cause: netmode.CauseNoContiguousRange, Protocol: "tcp",
				Count: 3, Range: small.DynamicRange}},
			{td: taskDef("", ctr("r", portRange("1-2", "tcp"))), want: []string{"50000-50001/tcp"}},
		},
	}, {
		name: "the task asks for a host port twice",
		steps: []step{
			{td: taskDef("", ctr("a", tcpPort(80, 8080)), ctr("b", tcpPort(81, 8080))), wantErr: &netmode.FitError{
				Reason: netmode.ReasonPorts, Cause: netmode.CauseDuplicate, Protocol: "tcp", Port: 8080}},
		},
	}, {
		name: "registered PORTS replace the defaults; PORTS_UDP reserve UDP",
		ci:   instance("", false, ports(ecs.ResourcePorts, 22, 8080), ports(ecs.ResourcePortsUDP, 53)),
		steps: []step{
			{td: taskDef("", ctr("a", tcpPort(80, 2375))), want: []string{"2375/tcp"}},
			{td: taskDef("", ctr("a", tcpPort(80, 8080))), wantErr: &netmode.FitError{
				Reason: netmode.ReasonPorts, Cause: netmode.CauseReserved, Protocol: "tcp", Port: 8080}},
			{td: taskDef("", ctr("d", udpPort(53, 53))), wantErr: &netmode.FitError{
				Reason: netmode.ReasonPortsUDP, Cause: netmode.CauseReserved, Protocol: "udp", Port: 53}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustState(t, tt.ci, tt.opts)
			for i, st := range tt.steps {
				r := mustRequest(t, st.td)
				fe, fits := s.Fits(r)
				a, err := s.Allocate(r)
				if st.wantErr != nil {
					require.False(t, fits, "step %d", i)
					var got *netmode.FitError
					require.True(t, errors.As(err, &got), "step %d: %v", i, err)
					require.Empty(t, cmp.Diff(*st.wantErr, *got), "step %d", i)
					require.Equal(t, *got, fe, "step %d: Fits and Allocate agree", i)
					continue
				}
				require.True(t, fits, "step %d: %v", i, fe.Error())
				require.NoError(t, err, "step %d", i)
				require.Equal(t, st.want, hostPorts(a), "step %d", i)
			}
		})
	}
}

// TestReservedPortLimit checks rule 77: reserved plus static host ports
// may not pass 100; dynamic ports do not count.
func TestReservedPortLimit(t *testing.T) {
	s := mustState(t, nil, netmode.Options{}) // 6 reserved
	for p := 10000; p < 10094; p++ {
		_, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", tcpPort(80, p)))))
		require.NoError(t, err)
	}
	require.Equal(t, 100, s.ReservedCount())

	_, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", udpPort(80, 7000)))))
	var fe *netmode.FitError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, netmode.FitError{Reason: netmode.ReasonPortsUDP, Cause: netmode.CauseReservedLimit,
		Protocol: "udp", Port: 7000, Limit: 100}, *fe)
	require.Equal(t, "RESOURCE:PORTS_UDP: host port 7000/udp would pass the limit of 100 reserved ports", fe.Error())

	a, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", tcpPort(80, 0), udpPort(80, 0)))))
	require.NoError(t, err, "dynamic ports do not count")
	require.Equal(t, []string{"49153/tcp", "49153/udp"}, hostPorts(a))
	require.Equal(t, 100, s.ReservedCount())
}

func TestReservedPortLimitNamesFirstPortPast(t *testing.T) {
	s := mustState(t, nil, netmode.Options{ReservedPortLimit: 8}) // 6 reserved, room for 2
	_, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", tcpPort(1, 1001), tcpPort(2, 1002)), ctr("b", tcpPort(3, 1003)))))
	var fe *netmode.FitError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, netmode.CauseReservedLimit, fe.Cause)
	require.Equal(t, 1003, fe.Port)
	require.Equal(t, 8, fe.Limit)
}

// TestNextFitWrapsOnce checks that the search continues after the last
// port given, wraps to the start once, and never hands out a port in use.
func TestNextFitWrapsOnce(t *testing.T) {
	s := mustState(t, nil, netmode.Options{DynamicRange: netmode.PortRange{First: 100, Last: 104}})
	one := mustRequest(t, taskDef("", ctr("a", tcpPort(80, 0))))
	var got []string
	var allocs []*netmode.Allocation
	for range 5 {
		a, err := s.Allocate(one)
		require.NoError(t, err)
		got = append(got, hostPorts(a)...)
		allocs = append(allocs, a)
	}
	require.Equal(t, []string{"100/tcp", "101/tcp", "102/tcp", "103/tcp", "104/tcp"}, got)

	require.NoError(t, s.Release(allocs[1])) // 101
	require.NoError(t, s.Release(allocs[3])) // 103
	a, err := s.Allocate(one)
	require.NoError(t, err)
	require.Equal(t, []string{"101/tcp"}, hostPorts(a), "wraps after 104")
	a, err = s.Allocate(one)
	require.NoError(t, err)
	require.Equal(t, []string{"103/tcp"}, hostPorts(a), "continues after 101")
	require.NoError(t, s.Release(allocs[0])) // 100
	a, err = s.Allocate(one)
	require.NoError(t, err)
	require.Equal(t, []string{"100/tcp"}, hostPorts(a), "wraps after 103")
}

func TestNextFitDoesNotRewindOnRelease(t *testing.T) {
	s := mustState(t, nil, netmode.Options{})
	one := mustRequest(t, taskDef("", ctr("a", tcpPort(80, 0))))
	a, err := s.Allocate(one)
	require.NoError(t, err)
	require.NoError(t, s.Release(a))
	b, err := s.Allocate(one)
	require.NoError(t, err)
	require.Equal(t, []string{"49154/tcp"}, hostPorts(b))
}

// TestRangeSpansNoWrap checks that a contiguous range is found below the
// cursor when none is left above it.
func TestRangeBelowCursor(t *testing.T) {
	s := mustState(t, nil, netmode.Options{DynamicRange: netmode.PortRange{First: 100, Last: 109}})
	first, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", portRange("1-4", "")))))
	require.NoError(t, err)
	require.Equal(t, []string{"100-103/tcp"}, hostPorts(first))
	_, err = s.Allocate(mustRequest(t, taskDef("", ctr("a", portRange("1-5", "")))))
	require.NoError(t, err) // 104-108; 109 is left
	require.NoError(t, s.Release(first))
	a, err := s.Allocate(mustRequest(t, taskDef("", ctr("a", portRange("1-3", "")))))
	require.NoError(t, err)
	require.Equal(t, []string{"100-102/tcp"}, hostPorts(a))
}

func TestBindingsShape(t *testing.T) {
	s := mustState(t, nil, netmode.Options{})
	td := taskDef("", ctr("web", tcpPort(80, 8080), tcpPort(443, 0)), ctr("sidecar"), ctr("media", portRange("5000-5001", "udp")))
	a, err := s.Allocate(mustRequest(t, td))
	require.NoError(t, err)
	want := []netmode.ContainerBindings{
		{Name: "web", NetworkBindings: []ecs.NetworkBinding{
			{BindIP: "0.0.0.0", ContainerPort: intp(80), HostPort: intp(8080), Protocol: "tcp"},
			{BindIP: "0.0.0.0", ContainerPort: intp(443), HostPort: intp(49153), Protocol: "tcp"},
		}},
		{Name: "sidecar"},
		{Name: "media", NetworkBindings: []ecs.NetworkBinding{
			{BindIP: "0.0.0.0", Protocol: "udp", ContainerPortRange: "5000-5001", HostPortRange: "49153-49154"},
		}},
	}
	require.Empty(t, cmp.Diff(want, a.Containers))
	require.Zero(t, a.ENIs)
}
