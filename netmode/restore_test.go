package netmode_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
)

func bound(containerPort, hostPort int, p ecs.TransportProtocol) ecs.NetworkBinding {
	return ecs.NetworkBinding{BindIP: "0.0.0.0", ContainerPort: &containerPort, HostPort: &hostPort, Protocol: p}
}

// TestRestoreContinuesAfterHighest checks that an instance loaded from a
// snapshot hands out dynamic ports after its highest one in use.
func TestRestoreContinuesAfterHighest(t *testing.T) {
	s := mustState(t, nil, netmode.Options{})
	r := mustRequest(t, taskDef("", ctr("web", tcpPort(80, 8080), tcpPort(81, 0)), ctr("log", udpPort(514, 0))))
	running := []ecs.Container{
		{Name: "web", NetworkBindings: []ecs.NetworkBinding{
			bound(80, 8080, "tcp"),
			bound(81, 50000, "tcp"),
			{BindIP: "::", ContainerPort: intp(81), HostPort: intp(50000), Protocol: "tcp"}, // IPv6 twin
		}},
		{Name: "log", NetworkBindings: []ecs.NetworkBinding{bound(514, 49200, "udp")}},
	}
	a, err := s.Restore(r, running)
	require.NoError(t, err)
	require.Equal(t, []int{8080}, s.StaticInUse("tcp"))
	require.Equal(t, []int{50000}, s.DynamicInUse("tcp"))
	require.Equal(t, []int{49200}, s.DynamicInUse("udp"))
	require.Equal(t, 7, s.ReservedCount())

	b, err := s.Allocate(mustRequest(t, taskDef("", ctr("x", tcpPort(1, 0), udpPort(2, 0)))))
	require.NoError(t, err)
	require.Equal(t, []string{"50001/tcp", "49201/udp"}, hostPorts(b))

	require.NoError(t, s.Release(a))
	require.NoError(t, s.Release(b))
	require.Equal(t, []int{}, s.DynamicInUse("tcp"))
	require.Equal(t, 6, s.ReservedCount())
}

func TestRestoreRangesAndModes(t *testing.T) {
	s := mustState(t, instance("m5.large", false), netmode.Options{})
	rng := mustRequest(t, taskDef("", ctr("media", portRange("5000-5003", "udp"))))
	_, err := s.Restore(rng, []ecs.Container{{Name: "media", NetworkBindings: []ecs.NetworkBinding{
		{BindIP: "0.0.0.0", Protocol: "udp", ContainerPortRange: "5000-5003", HostPortRange: "60000-60003"}}}})
	require.NoError(t, err)
	require.Equal(t, []int{60000, 60001, 60002, 60003}, s.DynamicInUse("udp"))

	host := mustRequest(t, taskDef(ecs.NetworkModeHost, ctr("web", tcpPort(80, 0))))
	_, err = s.Restore(host, []ecs.Container{{Name: "web", NetworkBindings: []ecs.NetworkBinding{bound(80, 80, "tcp")}}})
	require.NoError(t, err)
	require.Equal(t, []int{80}, s.StaticInUse("tcp"))

	vpc := mustRequest(t, taskDef(ecs.NetworkModeAwsvpc, ctr("api", tcpPort(80, 80))))
	_, err = s.Restore(vpc, []ecs.Container{{Name: "api"}})
	require.NoError(t, err)
	require.Equal(t, 1, s.ENIsInUse())
}

func TestRestoreRefuses(t *testing.T) {
	web := mustRequest(t, taskDef("", ctr("web", tcpPort(80, 8080), tcpPort(81, 0))))
	tests := []struct {
		name       string
		containers []ecs.Container
		wantFit    *netmode.FitError
		wantErr    string
	}{
		{"reserved port", []ecs.Container{{Name: "web", NetworkBindings: []ecs.NetworkBinding{bound(81, 22, "tcp")}}},
			&netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseReserved, Protocol: "tcp", Port: 22}, ""},
		{"port in use", []ecs.Container{{Name: "web", NetworkBindings: []ecs.NetworkBinding{bound(81, 49153, "tcp")}}},
			&netmode.FitError{Reason: netmode.ReasonPorts, Cause: netmode.CauseInUse, Protocol: "tcp", Port: 49153}, ""},
		{"unknown container", []ecs.Container{{Name: "db"}}, nil, `container "db"`},
		{"bound twice", []ecs.Container{{Name: "web", NetworkBindings: []ecs.NetworkBinding{
			bound(80, 8080, "tcp"), bound(81, 8080, "tcp")}}}, nil, "bound twice"},
		{"no host port", []ecs.Container{{Name: "web", NetworkBindings: []ecs.NetworkBinding{{ContainerPort: intp(80)}}}}, nil, "hostPort"},
		{"bad range", []ecs.Container{{Name: "web", NetworkBindings: []ecs.NetworkBinding{{HostPortRange: "9-1"}}}}, nil, "hostPortRange"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustState(t, nil, netmode.Options{})
			_, err := s.Allocate(mustRequest(t, taskDef("", ctr("x", tcpPort(1, 0))))) // holds 49153
			require.NoError(t, err)
			_, err = s.Restore(web, tt.containers)
			if tt.wantFit != nil {
				var fe *netmode.FitError
				require.ErrorAs(t, err, &fe)
				require.Equal(t, *tt.wantFit, *fe)
			} else {
				require.ErrorIs(t, err, netmode.ErrInvalid)
				require.ErrorContains(t, err, tt.wantErr)
			}
			require.Equal(t, []int{49153}, s.DynamicInUse("tcp"), "unchanged")
			require.Equal(t, 6, s.ReservedCount())
		})
	}
}
