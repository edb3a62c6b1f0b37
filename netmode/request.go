package netmode

import (
	"fmt"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// Request is what one task of a task definition asks of an instance's
// network: its static host ports, its dynamic ports and port ranges, and
// its ENI. Build it once per task definition with NewRequest and ask many
// instances with State.Fits; it is immutable and safe to share. The zero
// Request, like a nil one, asks for nothing: no container, port or ENI.
type Request struct {
	mode  ecs.NetworkMode
	enis  int
	names []string  // container names, in task definition order
	maps  []mapping // host port mappings, in task definition order
	// static holds each protocol's static host ports, sorted, duplicates
	// kept, so the dynamic search can step over them.
	static  [2][]uint16
	nStatic int
	nDyn    [2]int    // per protocol, the mappings that take dynamic ports
	dup     [2]uint16 // per protocol, the first host port asked for twice, or 0
	// ranges holds, per mapping, the containerPortRange text of a range
	// mapping ("" for the others); nil when the task maps no range. Every
	// allocation shares the strings.
	ranges []string
	// single says the task binds one dynamic port or range and nothing
	// else, the commonest task: Fits and Bind try next-fit's common
	// answer for it before searching (see State.single).
	single bool
}

// kind tells how a mapping gets its host port.
type kind uint8

const (
	static    kind = iota // hostPort given (bridge) or containerPort (host)
	dynamic               // one port from the dynamic range
	portRange             // a contiguous run from the dynamic range
)

// mapping is one port mapping that binds host ports.
type mapping struct {
	container     int32
	kind          kind
	pr            proto
	hostPort      uint16 // static only
	containerPort uint16 // first container port for a range
	n             uint16 // ports in a range; 1 otherwise
}

// NewRequest reads the network needs of one task of td. The network mode
// decides them: bridge (also when empty) binds static hostPorts, dynamic
// ports for a hostPort of 0 or absent, and contiguous host ranges for a
// containerPortRange; host binds each containerPort as its host port;
// awsvpc binds no host port and takes one ENI; none binds nothing. An error
// wrapping ErrInvalid names a mapping no mode could bind, by its field path.
func NewRequest(td *ecs.TaskDefinition) (*Request, error) {
	if td == nil {
		return nil, fmt.Errorf("netmode: NewRequest needs a task definition, not nil: %w", ErrInvalid)
	}
	r := &Request{mode: td.NetworkMode}
	if r.mode == "" {
		r.mode = ecs.NetworkModeBridge
	}
	r.names = make([]string, len(td.ContainerDefinitions))
	for i := range td.ContainerDefinitions {
		r.names[i] = td.ContainerDefinitions[i].Name
	}
	switch r.mode {
	case ecs.NetworkModeAwsvpc:
		r.enis = 1
		return r, nil
	case ecs.NetworkModeNone:
		return r, checkNoMappings(td)
	case ecs.NetworkModeBridge, ecs.NetworkModeHost:
	default:
		return nil, fmt.Errorf("networkMode: %w: unsupported network mode %q", ErrInvalid, td.NetworkMode)
	}
	for i := range td.ContainerDefinitions {
		for j, pm := range td.ContainerDefinitions[i].PortMappings {
			m, err := r.readMapping(pm)
			if err != nil {
				return nil, fmt.Errorf("containerDefinitions[%d].portMappings[%d].%w", i, j, err)
			}
			m.container = int32(i)
			r.add(m)
		}
	}
	r.index()
	return r, nil
}

func checkNoMappings(td *ecs.TaskDefinition) error {
	for i, c := range td.ContainerDefinitions {
		if len(c.PortMappings) > 0 {
			return fmt.Errorf("containerDefinitions[%d].portMappings: %w: network mode none takes no port mappings", i, ErrInvalid)
		}
	}
	return nil
}

// readMapping reads one port mapping under bridge or host mode. An error
// starts with the field's name, to follow the mapping's path.
func (r *Request) readMapping(pm ecs.PortMapping) (mapping, error) {
	pr, ok := protoOf(pm.Protocol)
	if !ok {
		return mapping{}, fmt.Errorf("protocol: %w: %q is not tcp or udp", ErrInvalid, pm.Protocol)
	}
	if pm.ContainerPortRange != "" {
		return readRange(pm, pr, r.mode)
	}
	if pm.ContainerPort == nil || !isPort(*pm.ContainerPort) {
		return mapping{}, fmt.Errorf("containerPort: %w: want a port from 1 to 65535", ErrInvalid)
	}
	cp := *pm.ContainerPort
	m := mapping{pr: pr, containerPort: uint16(cp), n: 1}
	hp := 0
	if pm.HostPort != nil {
		hp = *pm.HostPort
	}
	switch {
	case hp != 0 && !isPort(hp):
		return mapping{}, fmt.Errorf("hostPort: %w: want a port from 1 to 65535, or 0", ErrInvalid)
	case r.mode == ecs.NetworkModeHost && hp != 0 && hp != cp:
		return mapping{}, fmt.Errorf("hostPort: %w: host mode binds hostPort = containerPort (%d), have %d", ErrInvalid, cp, hp)
	case r.mode == ecs.NetworkModeHost:
		m.kind, m.hostPort = static, uint16(cp)
	case hp == 0:
		m.kind = dynamic
	default:
		m.kind, m.hostPort = static, uint16(hp)
	}
	return m, nil
}

func readRange(pm ecs.PortMapping, pr proto, mode ecs.NetworkMode) (mapping, error) {
	if mode != ecs.NetworkModeBridge {
		return mapping{}, fmt.Errorf("containerPortRange: %w: only bridge and awsvpc modes take a range", ErrInvalid)
	}
	if pm.HostPort != nil && *pm.HostPort != 0 {
		return mapping{}, fmt.Errorf("hostPort: %w: a containerPortRange takes no hostPort", ErrInvalid)
	}
	cr, err := ParsePortRange(pm.ContainerPortRange)
	if err != nil || cr.First == cr.Last {
		return mapping{}, fmt.Errorf("containerPortRange: %w: want first-last with first < last, have %q", ErrInvalid, pm.ContainerPortRange)
	}
	return mapping{kind: portRange, pr: pr, containerPort: uint16(cr.First), n: uint16(cr.Len())}, nil
}

func isPort(p int) bool { return p >= 1 && p <= 65535 }

func (r *Request) add(m mapping) {
	r.maps = append(r.maps, m)
	if m.kind == static {
		r.static[m.pr] = append(r.static[m.pr], m.hostPort)
		r.nStatic++
	} else {
		r.nDyn[m.pr]++
	}
}

// index sorts the static ports, finds per protocol the first one, in task
// definition order, that the task asks for twice, and writes the range
// mappings' containerPortRange texts.
func (r *Request) index() {
	r.single = len(r.maps) == 1 && r.maps[0].kind != static && r.enis == 0
	for pr := range r.static {
		slices.Sort(r.static[pr])
	}
	for i, m := range r.maps {
		switch m.kind {
		case static:
			set := r.static[m.pr]
			j, _ := slices.BinarySearch(set, m.hostPort)
			if r.dup[m.pr] == 0 && j+1 < len(set) && set[j+1] == m.hostPort {
				r.dup[m.pr] = m.hostPort
			}
		case portRange:
			if r.ranges == nil {
				r.ranges = make([]string, len(r.maps))
			}
			r.ranges[i] = PortRange{int(m.containerPort), int(m.containerPort) + int(m.n) - 1}.String()
		}
	}
}

// Matches reports whether NewRequest(td) would return a request that binds
// what r binds: the same network mode, containers and port mappings. It
// allocates nothing, so that a caller may keep the request it read from a
// task definition and check, cheaply, that the definition still asks for
// it.
func (r *Request) Matches(td *ecs.TaskDefinition) bool {
	if r == nil || td == nil {
		return false
	}
	mode := td.NetworkMode
	if mode == "" {
		mode = ecs.NetworkModeBridge
	}
	if mode != r.mode || len(td.ContainerDefinitions) != len(r.names) {
		return false
	}
	for i := range td.ContainerDefinitions {
		if td.ContainerDefinitions[i].Name != r.names[i] {
			return false
		}
	}
	switch mode {
	case ecs.NetworkModeAwsvpc:
		return true
	case ecs.NetworkModeNone:
		for i := range td.ContainerDefinitions {
			if len(td.ContainerDefinitions[i].PortMappings) > 0 {
				return false
			}
		}
		return true
	}
	k := 0
	for i := range td.ContainerDefinitions {
		for _, pm := range td.ContainerDefinitions[i].PortMappings {
			if k >= len(r.maps) || !r.sameMapping(pm, int32(i), r.maps[k]) {
				return false
			}
			k++
		}
	}
	return k == len(r.maps)
}

// sameMapping reports whether pm, of container c, reads as mapping m. It
// allocates nothing, for a mapping that reads, and reads no further than
// it must.
func (r *Request) sameMapping(pm ecs.PortMapping, c int32, m mapping) bool {
	pr, ok := protoOf(pm.Protocol)
	switch {
	case !ok || pr != m.pr || c != m.container:
		return false
	case pm.ContainerPortRange != "":
		if m.kind != portRange || r.mode != ecs.NetworkModeBridge || pm.HostPort != nil && *pm.HostPort != 0 {
			return false
		}
		cr, err := ParsePortRange(pm.ContainerPortRange)
		return err == nil && cr.First != cr.Last && cr.First == int(m.containerPort) && cr.Len() == int(m.n)
	case pm.ContainerPort == nil || *pm.ContainerPort != int(m.containerPort) || m.kind == portRange:
		return false
	}
	hp := 0
	if pm.HostPort != nil {
		hp = *pm.HostPort
	}
	if r.mode == ecs.NetworkModeHost {
		return (hp == 0 || hp == *pm.ContainerPort) && m.kind == static && int(m.hostPort) == *pm.ContainerPort
	}
	if hp == 0 {
		return m.kind == dynamic
	}
	return m.kind == static && int(m.hostPort) == hp
}

// Mode returns the task's network mode (bridge when the task definition
// leaves it empty).
func (r *Request) Mode() ecs.NetworkMode {
	if r == nil {
		return ""
	}
	return r.mode
}

// ENIs returns the ENIs one task takes: 1 in awsvpc mode, else 0.
func (r *Request) ENIs() int {
	if r == nil {
		return 0
	}
	return r.enis
}

// StaticPorts returns how many static host ports one task binds, over both
// protocols; they count toward the reserved-port limit.
func (r *Request) StaticPorts() int {
	if r == nil {
		return 0
	}
	return r.nStatic
}
