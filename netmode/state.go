package netmode

import (
	"fmt"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// Options set what an instance's registration does not say. The zero
// value gives the agent's Linux defaults.
type Options struct {
	// Catalog gives the instance type's ENI limits; nil means
	// ecs.DefaultCatalog().
	Catalog *ecs.Catalog
	// DynamicRange is the instance's dynamic host port range, as
	// ECS_DYNAMIC_HOST_PORT_RANGE sets it (ECS-optimized AMIs read
	// 32768–60999 from the kernel). The zero value means 49153–65535.
	DynamicRange PortRange
	// OmitMetricsPort leaves 51680 out of the default reserved TCP ports,
	// as the agent does unless ECS_ENABLE_PROMETHEUS_METRICS is on. It has
	// no effect when the instance registers its own PORTS.
	OmitMetricsPort bool
	// ReservedPortLimit caps reserved plus static host ports; 0 means 100.
	ReservedPortLimit int
	// AwsvpcTaskLimit, when above 0, is the number of awsvpc tasks the
	// instance can run, in place of the catalogue's figure. It lets an
	// instance of a type the catalogue does not know take awsvpc tasks.
	AwsvpcTaskLimit int
}

// State is the network state of one container instance: its reserved
// ports, the static and dynamic host ports its tasks hold (TCP and UDP
// apart), its dynamic range and next-fit cursors, and its ENIs.
//
// A State is small (see the package documentation) and Clone is cheap: the
// held ports are shared copy-on-write. Methods that only read (Fits, Clone,
// the accessors) may run concurrently with each other; Allocate, Release
// and Restore need the State to themselves.
//
// Make a State with New. The zero State is an instance with no dynamic
// range, no reserved-port room and no ENI: it fits only a task that binds
// no host port and takes no ENI. The accessors of a nil *State return zero
// values; Fits, Bind, Allocate and Restore a FitError of CauseInvalid, and
// Unbind and Release an error.
type State struct {
	reserved [2][]uint16 // never written; may be shared between States
	// The held ports, in four lists (staticTCP, ...) of runs. A list of
	// one run is one[k], with bit k of inline set, so that an instance
	// whose tasks hold contiguous ports, as next-fit hands them out,
	// needs no memory of its own for them; longer lists are in held.
	one     [lists]span
	inline  uint8
	held    *holdings // nil until a list has two runs; copy-on-write
	statics int32     // static host ports held, TCP and UDP
	dyn     PortRange
	// cursor is, per protocol, the last dynamic port handed out; the next
	// search starts after it. dyn.First-1 on a fresh instance.
	cursor       [2]int32
	limit        int32 // reserved-port limit
	enis         int32 // ENIs in use
	eniLimit     int32 // awsvpc tasks allowed; -1 when unknown
	instanceType string
}

// Attribute names the ENI limit depends on.
const (
	AttributeInstanceType = "ecs.instance-type"
	AttributeENITrunking  = "ecs.capability.task-eni-trunking"
)

// New returns the network state of a fresh container instance: no task
// holds a port or an ENI. ci may be nil, for an instance that registered
// nothing. The reserved TCP ports are the instance's registered PORTS when
// present, and only those, else DefaultReservedPorts; the reserved UDP ports
// are its registered PORTS_UDP, else none. The awsvpc task limit comes from
// Options.AwsvpcTaskLimit, else from the catalogue by the instance's
// ecs.instance-type attribute (see AwsvpcTaskLimit).
func New(ci *ecs.ContainerInstance, optFns ...func(*Options)) (*State, error) {
	var opts Options
	for _, f := range optFns {
		if f != nil {
			f(&opts)
		}
	}
	s := &State{dyn: opts.DynamicRange, limit: DefaultReservedPortLimit}
	if s.dyn == (PortRange{}) {
		s.dyn = DefaultDynamicRange()
	}
	if err := s.dyn.check(); err != nil {
		return nil, fmt.Errorf("dynamic host port range: %w", err)
	}
	switch {
	case opts.ReservedPortLimit < 0 || opts.ReservedPortLimit > 65535:
		return nil, fmt.Errorf("reserved port limit %d: want 0 to 65535", opts.ReservedPortLimit)
	case opts.ReservedPortLimit > 0:
		s.limit = int32(opts.ReservedPortLimit)
	}
	s.cursor = [2]int32{int32(s.dyn.First - 1), int32(s.dyn.First - 1)}
	s.reserved[tcp] = defaultReserved(opts.OmitMetricsPort)
	if ci != nil {
		if err := s.readRegistered(ci.RegisteredResources); err != nil {
			return nil, err
		}
	}
	s.eniLimit = -1
	if opts.AwsvpcTaskLimit > 0 {
		s.eniLimit = int32(opts.AwsvpcTaskLimit)
	}
	if ci != nil {
		s.readType(ci.Attributes, opts)
	}
	return s, nil
}

// readRegistered takes the reserved ports from the registered PORTS and
// PORTS_UDP resources that are present.
func (s *State) readRegistered(list []ecs.Resource) error {
	for _, res := range list {
		pr := tcp
		switch res.Name {
		case ecs.ResourcePorts:
		case ecs.ResourcePortsUDP:
			pr = udp
		default:
			continue
		}
		parsed, err := ecs.ParseResources([]ecs.Resource{res})
		if err != nil {
			return fmt.Errorf("registered resources: %w", err)
		}
		ports := parsed.PortsTCP
		if pr == udp {
			ports = parsed.PortsUDP
		}
		set, err := portSet(ports)
		if err != nil {
			return fmt.Errorf("registered resource %s: %w", res.Name, err)
		}
		s.reserved[pr] = set
	}
	return nil
}

// portSet converts sorted, distinct ports, sharing the default set when
// they equal it, as they mostly do.
func portSet(ports []int) ([]uint16, error) {
	set := make([]uint16, len(ports))
	for i, p := range ports {
		if !isPort(p) {
			return nil, fmt.Errorf("port %d: want 1 to 65535", p)
		}
		set[i] = uint16(p)
	}
	for _, omit := range []bool{false, true} {
		if d := defaultReserved(omit); slices.Equal(set, d) {
			return d, nil
		}
	}
	return slices.Clip(set), nil
}

func (s *State) readType(attrs []ecs.Attribute, opts Options) {
	trunking := false
	for _, a := range attrs {
		switch a.Name {
		case AttributeInstanceType:
			s.instanceType = a.Value
		case AttributeENITrunking:
			trunking = true
		}
	}
	if s.eniLimit >= 0 || s.instanceType == "" {
		return
	}
	cat := opts.Catalog
	if cat == nil {
		cat = ecs.DefaultCatalog()
	}
	if t, ok := cat.Lookup(s.instanceType); ok {
		if n, ok := AwsvpcTaskLimit(t, trunking); ok {
			s.eniLimit = int32(n)
		}
	}
}

// Clone returns an independent copy of s. It copies no port list: the
// copies share them until one of them changes.
func (s *State) Clone() *State {
	if s == nil {
		return nil
	}
	c := new(State)
	return s.CloneInto(c)
}

// CloneInto makes dst an independent copy of s, as Clone does, and
// returns dst; it returns nil, leaving dst alone, when s is nil. It lets a
// caller copying many states allocate them in one block.
func (s *State) CloneInto(dst *State) *State {
	if s == nil || dst == nil {
		return nil
	}
	*dst = *s
	if s.held != nil {
		s.held.refs.Add(1)
	}
	return dst
}

// static returns the runs of static host ports of protocol pr held.
func (s *State) static(pr proto) []span { return s.runs(listOf(pr, false)) }

// dynamic returns the runs of dynamic host ports of protocol pr held.
func (s *State) dynamic(pr proto) []span { return s.runs(listOf(pr, true)) }

// ReservedCount returns the instance's reserved ports plus the static host
// ports its tasks hold, TCP and UDP together: the figure the reserved-port
// limit caps. Dynamic ports do not count.
func (s *State) ReservedCount() int {
	if s == nil {
		return 0
	}
	return len(s.reserved[tcp]) + len(s.reserved[udp]) + int(s.statics)
}

// ReservedPortLimit returns the cap on ReservedCount (100 by default).
func (s *State) ReservedPortLimit() int {
	if s == nil {
		return 0
	}
	return int(s.limit)
}

// Reserved returns the instance's reserved ports of protocol p, sorted.
func (s *State) Reserved(p ecs.TransportProtocol) []int {
	if s == nil {
		return nil
	}
	pr, _ := protoOf(p)
	return ints(s.reserved[pr])
}

// StaticInUse returns the static host ports of protocol p that tasks hold,
// sorted.
func (s *State) StaticInUse(p ecs.TransportProtocol) []int {
	if s == nil {
		return nil
	}
	pr, _ := protoOf(p)
	return portsOf(s.static(pr))
}

// DynamicInUse returns the dynamic host ports of protocol p that tasks
// hold, sorted.
func (s *State) DynamicInUse(p ecs.TransportProtocol) []int {
	if s == nil {
		return nil
	}
	pr, _ := protoOf(p)
	return portsOf(s.dynamic(pr))
}

// Taken returns the reserved ports and the static host ports in use of
// protocol p, sorted: what the API's remainingResources list as PORTS or
// PORTS_UDP.
func (s *State) Taken(p ecs.TransportProtocol) []int {
	if s == nil {
		return nil
	}
	pr, _ := protoOf(p)
	out := append(ints(s.reserved[pr]), portsOf(s.static(pr))...)
	slices.Sort(out)
	return out
}

// DynamicRange returns the instance's dynamic host port range.
func (s *State) DynamicRange() PortRange {
	if s == nil {
		return PortRange{}
	}
	return s.dyn
}

// ENIsInUse returns the ENIs the instance's awsvpc tasks hold.
func (s *State) ENIsInUse() int {
	if s == nil {
		return 0
	}
	return int(s.enis)
}

// AwsvpcTaskLimit returns how many awsvpc tasks the instance can run, and
// false when that is unknown (an instance type the catalogue lacks, with no
// limit given): such an instance takes no awsvpc task.
func (s *State) AwsvpcTaskLimit() (int, bool) {
	if s == nil {
		return 0, false
	}
	return int(s.eniLimit), s.eniLimit >= 0
}

// InstanceType returns the instance's ecs.instance-type attribute, or "".
func (s *State) InstanceType() string {
	if s == nil {
		return ""
	}
	return s.instanceType
}
