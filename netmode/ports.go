package netmode

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// Defaults of a Linux container instance, as the ECS agent sets them.
const (
	// DefaultDynamicFirst and DefaultDynamicLast bound the dynamic host port
	// range the agent falls back to when it cannot read the kernel's
	// ip_local_port_range (agent/utils/ephemeral_ports_linux.go).
	DefaultDynamicFirst = 49153
	DefaultDynamicLast  = 65535

	// DefaultReservedPortLimit is how many reserved ports an instance may
	// have at a time: its reserved ports plus the static host ports of its
	// running tasks (API PortMapping.hostPort).
	DefaultReservedPortLimit = 100

	// MetricsPort is the agent's Prometheus metrics port. The developer
	// guide lists it among the default reserved ports; the agent reserves
	// it only when ECS_ENABLE_PROMETHEUS_METRICS is on.
	MetricsPort = 51680
)

// defaultReservedTCP is the default reserved TCP set: SSH, the Docker
// daemon ports, the agent's introspection, credentials and metrics ports.
// It is never written; States share slices of it.
var defaultReservedTCP = [...]uint16{22, 2375, 2376, 51678, 51679, MetricsPort}

// DefaultReservedPorts returns the TCP ports an instance reserves when it
// registers no PORTS resource: 22, 2375, 2376, 51678, 51679 and, unless
// omitMetricsPort, 51680. No UDP port is reserved by default.
func DefaultReservedPorts(omitMetricsPort bool) []int {
	set := defaultReserved(omitMetricsPort)
	ports := make([]int, len(set))
	for i, p := range set {
		ports[i] = int(p)
	}
	return ports
}

func defaultReserved(omitMetricsPort bool) []uint16 {
	n := len(defaultReservedTCP)
	if omitMetricsPort {
		n-- // MetricsPort is last
	}
	return defaultReservedTCP[:n:n]
}

// PortRange is an inclusive range of ports, First through Last.
type PortRange struct {
	First, Last int
}

// DefaultDynamicRange returns 49153–65535, the agent's fallback dynamic
// host port range.
func DefaultDynamicRange() PortRange {
	return PortRange{DefaultDynamicFirst, DefaultDynamicLast}
}

// ParsePortRange reads "first-last", the form of ECS_DYNAMIC_HOST_PORT_RANGE
// and of a containerPortRange, for example "32768-60999". Both ends must be
// ports from 1 to 65535 and first must not exceed last. The agent falls back
// to its default range when the setting is invalid; a caller that wants the
// same does so on error.
func ParsePortRange(s string) (PortRange, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return PortRange{}, fmt.Errorf("port range %q: want first-last", s)
	}
	first, err1 := strconv.Atoi(strings.TrimSpace(a))
	last, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return PortRange{}, fmt.Errorf("port range %q: want first-last", s)
	}
	r := PortRange{first, last}
	if err := r.check(); err != nil {
		return PortRange{}, fmt.Errorf("port range %q: %w", s, err)
	}
	return r, nil
}

func (r PortRange) check() error {
	if r.First < 1 || r.Last > 65535 || r.First > r.Last {
		return fmt.Errorf("want 1 <= first <= last <= 65535, have %d-%d", r.First, r.Last)
	}
	return nil
}

// String formats r as "first-last".
func (r PortRange) String() string {
	return strconv.Itoa(r.First) + "-" + strconv.Itoa(r.Last)
}

// Len returns the number of ports in r.
func (r PortRange) Len() int {
	if r.Last < r.First {
		return 0
	}
	return r.Last - r.First + 1
}

// Contains reports whether port lies in r.
func (r PortRange) Contains(port int) bool {
	return r.First <= port && port <= r.Last
}

// proto indexes the two separate port pools.
type proto uint8

const (
	tcp proto = iota
	udp
)

func protoOf(p ecs.TransportProtocol) (proto, bool) {
	switch p {
	case "", ecs.TransportProtocolTCP:
		return tcp, true
	case ecs.TransportProtocolUDP:
		return udp, true
	}
	return 0, false
}

func (p proto) api() ecs.TransportProtocol {
	if p == udp {
		return ecs.TransportProtocolUDP
	}
	return ecs.TransportProtocolTCP
}
